"""The dateline that opens a news article: «МОСКВА, 11 окт - РИА Новости.»,
"LONDON (Reuters) -", «МОСКВА, 5 марта. /ТАСС/.», "WASHINGTON, March 5 (AP) —".

Headlines are derived without it, and the agency it names is the article's outlet.
"""
from __future__ import annotations

import re

from search.ingest.outlets import ALIAS_PATTERN, BY_ALIAS

# One place in capitals: "МОСКВА", "С.-ПЕТЕРБУРГ", "NEW YORK", "КРАСНОДАР
# (Краснодарский край)", the brackets not an agency's.
_PLACE = (r"(?:[A-ZА-ЯЁ]\.-?\s?)?[A-ZА-ЯЁ][A-ZА-ЯЁ'’\-]+(?:[ \-][A-ZА-ЯЁ][A-ZА-ЯЁ'’\-]+)*"
          rf"(?:\s*\((?!\s*(?:{ALIAS_PATTERN})\s*\))[^()\n]{{1,40}}\))?")
# "11 окт", "20 ноября", "March 5", "Oct. 5", with an optional year.
_DAY = r"(?:\d{1,2}\s+[^\W\d_]{3,9}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s+\d{4})?"
_DATELINE = re.compile(
    # "BAKU, Azerbaijan, November 24." names a country after the place.
    rf"\s*{_PLACE}(?:,\s*{_PLACE})*(?:,\s*[A-ZА-ЯЁ][a-zа-яё]+)?(?:,\s*(?P<day>{_DAY}))?\s*(?P<stop>\.)?\s*"
    rf"(?:"
    # "(Reuters) -", "/ТАСС/."
    rf"(?:\(\s*(?P<paren>{ALIAS_PATTERN})\s*\)|/\s*(?P<slash>{ALIAS_PATTERN})\s*/)\s*[-–—.:]*"
    # "- РИА Новости.", "— РИА Новости, Анастасия Силкина.", "/ Радио Sputnik."
    rf"|[-–—/]\s*(?P<tag>{ALIAS_PATTERN})(?:,\s*[^.\n]{{2,40}})?\s*\."
    # "LONDON -": a place and a dash alone
    rf"|[-–—]"
    # "BAKU, Azerbaijan, November 24.": a place and a day alone
    rf"|(?(day)(?(stop)|(?!))|(?!))"
    rf")\s*")


def split_dateline(text: str) -> tuple[str, str]:
    """(the outlet the dateline names or "", the text after the dateline);
    ("", text) when the text opens with none."""
    m = _DATELINE.match(text)
    if not m or m.end() >= len(text):
        return "", text
    agency = m.group("paren") or m.group("slash") or m.group("tag")
    return BY_ALIAS[agency] if agency else "", text[m.end():]
