"""Snippets: the passage of a document that best shows why it matched.

Every word is re-analyzed, so each inflected form whose index term matched
is highlighted («энергетической» for the query "энергетическая"). Markup is
built from escaped text only, so article text can never inject HTML.
"""
from __future__ import annotations

import html
import re

from search.analysis import find_terms

SNIPPET_CHARS = 240
_SPACES = re.compile(r"\s+")


def _best_window(text: str, spans, width: int) -> tuple[int, int]:
    """The window of `width` characters holding the most distinct matched
    terms, then the most matches; the lead when nothing matched."""
    if not spans:
        return 0, min(len(text), width)
    best, best_key = (0, 0), (-1, -1)
    j = 0
    for i, (start, _, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + width:
            j += 1
        window = spans[i:j]
        key = (len({s[2] for s in window}), len(window))
        if key > best_key:
            best_key = key
            # Centre the matches in the window, then keep it inside the text.
            used = window[-1][1] - start
            lo = max(0, start - (width - used) // 2)
            best = (lo, min(len(text), lo + width))
    return best


def _snap(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen the window to whole words, by at most 20 characters a side."""
    for _ in range(20):
        if lo == 0 or text[lo - 1].isspace():
            break
        lo -= 1
    for _ in range(20):
        if hi >= len(text) or text[hi].isspace():
            break
        hi += 1
    return lo, hi


def fragments(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """The snippet as (piece, highlighted) pairs of plain text, with '…'
    where the text was cut. Empty for an empty text."""
    if not text:
        return []
    spans = find_terms(text, terms)
    lo, hi = _snap(text, *_best_window(text, spans, width))
    pieces: list[tuple[str, bool]] = []
    if lo > 0:
        pieces.append(("…", False))
    pos = lo
    for start, end, _ in spans:
        if start < lo or end > hi:
            continue
        if start > pos:
            pieces.append((_SPACES.sub(" ", text[pos:start]), False))
        pieces.append((text[start:end], True))
        pos = end
    if hi > pos:
        pieces.append((_SPACES.sub(" ", text[pos:hi]), False))
    if hi < len(text):
        pieces.append(("…", False))
    return pieces


def to_html(pieces: list[tuple[str, bool]]) -> str:
    return "".join(f"<mark>{html.escape(p)}</mark>" if hit else html.escape(p) for p, hit in pieces)


def to_terminal(pieces: list[tuple[str, bool]], bold: bool) -> str:
    """ANSI bold on a terminal, [brackets] elsewhere."""
    on, off = ("\033[1m", "\033[0m") if bold else ("[", "]")
    return "".join(f"{on}{p}{off}" if hit else p for p, hit in pieces)


def highlight_all(text: str, terms: set[str]) -> list[tuple[str, bool]]:
    """The whole text as (piece, highlighted) pairs, for an article page."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for start, end, _ in find_terms(text, terms):
        if start > pos:
            pieces.append((text[pos:start], False))
        pieces.append((text[start:end], True))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces
