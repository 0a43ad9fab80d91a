"""A headline for an article that has none: the first sentence of its lead,
without the dateline, shortened at a word when long.

Most RIA, WMT and BBC files have no title line; the same derived headline is
shown by the CLI, the API and the web, and indexed as the title, so that
`title:` searches what the user sees.
"""
from __future__ import annotations

import re

from search.ingest.datelines import split_dateline

# Long enough for a news headline (RIA's run to ~120 characters), short
# enough for one line of results.
MAX_HEADLINE_CHARS = 150
# A sentence ends at . ! ? or … before a capital, a digit or an opening
# quote, unless the word before the point is one letter (an initial: «А. Пушкин»,
# "U.S.") or a common abbreviation.
_SENTENCE_END = re.compile(
    r"(?<![\s.][^\W\d_])(?<!\b(?:Mr|Ms|Dr|St|vs|Jr|Sr|гг|им|ул|св))(?<!\bMrs)"
    r"[.!?…]+[\"'”’»)]*(?=\s+[\"'“‘«(]?[A-ZА-ЯЁ0-9])")


def derive_headline(body: str) -> str:
    """The headline of a text without a title; "" for an empty text."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    first = split_dateline(first)[1]
    end = _SENTENCE_END.search(first)
    sentence = first[:end.end()] if end else first
    sentence = " ".join(sentence.split())
    if len(sentence) > MAX_HEADLINE_CHARS:
        cut = sentence.rfind(" ", 0, MAX_HEADLINE_CHARS)
        return sentence[:cut if cut > 0 else MAX_HEADLINE_CHARS].rstrip(",;:-–— ") + " …"
    # A headline has no full stop; its ? and ! stay.
    return sentence[:-1] if sentence.endswith(".") and not sentence.endswith("..") else sentence
