"""The outlet an article comes from: named in its text, its dateline, its
footer, its URL or its file's path."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class _Outlet:
    name: str
    aliases: tuple[str, ...]  # as written in text, case-sensitive
    domains: tuple[str, ...] = ()
    # Lower-case words of a folder or file name that mean the outlet:
    # news-mix/en/reuters/1.txt, bbc-tech-245.txt, wmttest2023-interfax.56858.txt.
    path_words: tuple[str, ...] = ()


_OUTLETS = (
    _Outlet("Trend", ("Trend",), ("trend.az",)),
    _Outlet("Azernews", ("Azernews", "AzerNews"), ("azernews.az",), ("azernews",)),
    _Outlet("RIA Novosti", ("РИА Новости", "RIA Novosti", "РИА Недвижимость"), ("ria.ru",), ("ria",)),
    _Outlet("TASS", ("ТАСС", "TASS", "ИТАР-ТАСС"), ("tass.ru", "tass.com"), ("tass",)),
    _Outlet("Interfax", ("Интерфакс", "Interfax", "INTERFAX.RU", "INTERFAX"), ("interfax.ru",), ("interfax",)),
    _Outlet("Sputnik", ("Радио Sputnik", "Sputnik"), ("sputniknews.com",), ("sputnik",)),
    _Outlet("Reuters", ("Reuters", "Reuter", "Рейтер"), ("reuters.com",), ("reuters",)),
    _Outlet("AP", ("AP", "Associated Press", "Ассошиэйтед Пресс"), ("apnews.com",)),
    _Outlet("AFP", ("AFP", "Agence France-Presse", "Франс Пресс"), ("afp.com",), ("afp",)),
    _Outlet("BBC", ("BBC", "BBC News", "Би-би-си"), ("bbc.co.uk", "bbc.com"), ("bbc",)),
    _Outlet("Kazinform", ("Kazinform", "Казинформ"), ("inform.kz",), ("kazinform",)),
    _Outlet("Day.Az", ("Day.Az",), ("day.az",)),
    _Outlet("TuraNews", ("TuraNews",)),
)
BY_ALIAS = {a: o.name for o in _OUTLETS for a in o.aliases}
# What `source:` matches a prefix of, lower-cased: an outlet's name and aliases.
SEARCH_NAMES = {o.name: tuple(sorted({o.name.lower(), *(a.lower() for a in o.aliases)})) for o in _OUTLETS}
_BY_PATH_WORD = {w: o.name for o in _OUTLETS for w in o.path_words}
ALIAS_PATTERN = "|".join(re.escape(a) for a in sorted(BY_ALIAS, key=len, reverse=True))
# Attribution: "told Trend", "Azernews reports", "МОСКВА, 20 ноя - РИА
# Новости", "пишет агентство Kazinform", "Как сообщает Day.Az".
_ATTRIBUTION = re.compile(
    rf"(?:\b(?:told|to|according to|reports?|reported|пишет|сообщает|сообщил[аио]?|"
    rf"передает|передаёт|рассказал[аио]?|заявил[аио]?)(?:\s+агентств[оу])?\s+|\s[-–—]\s+)"
    rf"(?P<a>{ALIAS_PATTERN})(?!\w)"
    rf"|(?P<b>{ALIAS_PATTERN})\s+(?:reports|reported|writes|сообщает|пишет)\b")
_ATTRIBUTION_CHARS = 3000  # the first paragraphs


def outlet_in_text(text: str) -> str:
    m = _ATTRIBUTION.search(text[:_ATTRIBUTION_CHARS])
    return BY_ALIAS[m.group("a") or m.group("b")] if m else ""


def outlet_of_url(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for outlet in _OUTLETS:
        if any(host == d or host.endswith("." + d) for d in outlet.domains):
            return outlet.name
    return ""


def outlet_of_path(relpath: str) -> str:
    """The outlet a folder or file name names by one of its words, the
    innermost first (the file's own name before its folders')."""
    for part in reversed(relpath.lower().split("/")):
        for word in re.split(r"[^a-z0-9]+", part):
            if word in _BY_PATH_WORD:
                return _BY_PATH_WORD[word]
    return ""
