"""The outlet an article comes from: named in its text, its footer or its URL."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class _Outlet:
    name: str
    aliases: tuple[str, ...]  # as written in text, case-sensitive
    domains: tuple[str, ...] = ()


_OUTLETS = (
    _Outlet("Trend", ("Trend",), ("trend.az",)),
    _Outlet("Azernews", ("Azernews", "AzerNews"), ("azernews.az",)),
    _Outlet("RIA Novosti", ("РИА Новости", "RIA Novosti"), ("ria.ru",)),
    _Outlet("Kazinform", ("Kazinform", "Казинформ"), ("inform.kz",)),
    _Outlet("Day.Az", ("Day.Az",), ("day.az",)),
    _Outlet("TuraNews", ("TuraNews",)),
)
BY_ALIAS = {a: o.name for o in _OUTLETS for a in o.aliases}
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
