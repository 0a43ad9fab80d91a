"""Large word lists held compactly, for the server's workers.

A list of 100,000 words is 100,000 string objects (~6 MB, plus a dict's
slots to look them up), and each server worker builds its own. Here a group
of words is one string, about a byte a letter, split into a list only while
one lookup needs it: the did-you-mean and fuzzy-name lists of news-mix went
from ~13 MB to ~2 MB a worker (benchmarks/server_memory.py).
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable

_SEP = "\n"  # the lists are read from lines: no word holds one


class WordGroups:
    """Words grouped by `key(word)`, each group in the order given."""

    def __init__(self, words: Iterable[str], key: Callable[[str], Hashable]):
        self._key = key
        groups: dict[Hashable, list[str]] = {}
        for word in words:
            groups.setdefault(key(word), []).append(word)
        # Each group between separators, so that a word is found whole.
        self._groups = {k: _SEP + _SEP.join(ws) + _SEP for k, ws in groups.items()}

    def group(self, key: Hashable) -> list[str]:
        """The words of one group (a new list), in their order."""
        text = self._groups.get(key)
        return text[1:-1].split(_SEP) if text else []

    def __contains__(self, word: str) -> bool:
        text = self._groups.get(self._key(word))
        return text is not None and f"{_SEP}{word}{_SEP}" in text
