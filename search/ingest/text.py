"""Text and Markdown files in the corpus layout -> a document."""
from __future__ import annotations

import re

from search.ingest.dates import normalize_date
from search.ingest.detection import detect
from search.ingest.documents import Document
from search.ingest.outlets import ALIAS_PATTERN, BY_ALIAS, outlet_in_text


_DATE_LINE = re.compile(r"\s*date\s+(\d{4}-\d{1,2}-\d{1,2})(?!\d)\s*(.*)", re.S)
# What may follow the date on its line besides the body: "5 May 2023 11:57
# (UTC+04:00)", "14:37 (UTC+03:00)", "5 мая 2023 г.".
_DATE_WORD = re.compile(
    r"\(?(?:\d{1,4}[:.,/]?|\d\d?:\d\d(?::\d\d)?|(?:UTC|GMT|MSK)(?:[+\-−]\d\d?(?::?\d\d)?)?\)?"
    r"|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|янв|фев|мар|апр|ма[йя]|июн|июл"
    r"|авг|сен|окт|ноя|дек)[a-zа-я]*\.?,?|г\.|года|(?i:am|pm))\)?,?")
_BREADCRUMB = re.compile(
    # "ГлавноеПолитика", "Home", "Home > Politics", "ГЛАВНАЯ / Новости"
    r"(?:Home|Main|Главная|Главное)(?:[A-ZА-ЯЁ]|$)|(?i:home|main|главная|главное)\s*[>›»/|→]"
    # "News › World › Europe": three or more short parts
    r"|[^\s>›»/|→][^>›»/|→]{0,40}(?:\s[>›»/|→]\s[^>›»/|→]{1,40}){2,}$")
_FOOTER = re.compile(
    r"(?i:back to top(?: button)?|share(?: this)?|поделиться|tweet|print|печать|subscribe"
    r"|подписаться|read more|читайте также|comments?|комментарии|advertisement|реклама"
    r"|related|tags?|теги|(?:©|\(c\)|copyright).*|все права защищены.*)\s*:?"
    rf"|{ALIAS_PATTERN}")
_FOOTER_LINES = 8
_SENTENCE_END = ".!?…:;,"
_CLOSING = "\"'”’»)]"
_MAX_TITLE_CHARS = 250
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*")


def text_document(relpath: str, text: str, markdown: bool) -> Document:
    lines = text.splitlines()
    date = ""
    body_first = False  # the date line goes on with the body: no title then
    m = _DATE_LINE.fullmatch(lines[0]) if lines else None
    if m:
        date = normalize_date(m.group(1))
        rest = m.group(2).strip()
        body_first = not all(_DATE_WORD.fullmatch(w) for w in rest.split())
        lines[0] = rest if body_first else ""
    lines, footer_source = strip_noise(lines)
    title = ""
    if lines and not body_first:
        heading = _MARKDOWN_HEADING.fullmatch(lines[0]) if markdown else None
        if heading or _is_title(lines):
            title = heading.group(1) if heading else lines[0].strip()
            lines = lines[1:]
    body = "\n".join(lines).strip()
    return Document(
        id=relpath, title=title, body=body, date=date,
        lang=detect(f"{title}\n{body}"),
        source=footer_source or outlet_in_text(f"{title}\n{body}"),
    )


def strip_noise(lines: list[str]) -> tuple[list[str], str]:
    """Lines without leading blanks and breadcrumbs and without trailing
    footer noise, and the outlet a footer line names."""
    start = 0
    while start < len(lines) and (
            not lines[start].strip() or _BREADCRUMB.match(lines[start].strip())):
        start += 1
    lines = lines[start:]
    source = ""
    for _ in range(_FOOTER_LINES):
        while lines and not lines[-1].strip():
            lines.pop()
        last = lines[-1].strip() if lines else ""
        if not last or len(last) > 60 or not _FOOTER.fullmatch(last):
            break
        alias = re.search(ALIAS_PATTERN, last)
        if alias and not source:
            source = BY_ALIAS[alias.group()]
        lines.pop()
    return lines, source


def _is_title(lines: list[str]) -> bool:
    """Whether lines[0] is a headline: two words or more but short, not
    ending a sentence, and followed by a blank line or by a paragraph twice
    as long. A document's only paragraph is never a title."""
    first = lines[0].strip()
    if len(first) > _MAX_TITLE_CHARS or len(first.split()) < 2:
        return False
    if first.rstrip(_CLOSING)[-1:] in _SENTENCE_END:
        return False
    if not any(line.strip() for line in lines[1:]):
        return False
    return not lines[1].strip() or len(lines[1]) > 2 * len(first)
