"""Large word lists held compactly, for the server's workers.

A list of 100,000 words is 100,000 string objects (~6 MB, plus a dict's
slots to look them up), and each server worker builds its own. Here a group
of words is one string, about a byte a letter, split into a list only while
one lookup needs it: the did-you-mean and fuzzy-name lists of news-mix went
from ~13 MB to ~2 MB a worker (benchmarks/server_memory.py).
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable, Iterator

import numpy as np

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


class SortedWords:
    """Words with a count each (a document frequency), sorted, as one
    string with the words' offsets and counts in arrays: a word's count and
    the words that start with a prefix are found by binary search. The
    surface words of news-mix: 11.6 MB as a dict, ~3 MB so."""

    def __init__(self, counts: Iterable[tuple[str, int]]):
        pairs = sorted(counts)
        self._text = "".join(word + _SEP for word, _ in pairs)
        self._starts = np.cumsum([0] + [len(word) + 1 for word, _ in pairs])[:-1].astype(np.int64)
        self._counts = np.array([n for _, n in pairs], np.int64)

    def __len__(self) -> int:
        return len(self._counts)

    def _word(self, i: int) -> str:
        start = int(self._starts[i])
        return self._text[start:self._text.index(_SEP, start)]

    def _first_not_below(self, word: str) -> int:
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._word(mid) < word:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def get(self, word: str, default: int = 0) -> int:
        i = self._first_not_below(word)
        return int(self._counts[i]) if i < len(self) and self._word(i) == word else default

    def starting(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most counted words that start with `prefix`, ties in
        alphabetical order."""
        start = self._first_not_below(prefix)
        end = self._first_not_below(prefix + "\U0010ffff")
        best = np.argsort(-self._counts[start:end], kind="stable")[:limit]
        return [self._word(start + int(i)) for i in best]

    def items(self) -> Iterator[tuple[str, int]]:
        for i, word in enumerate(self._text[:-1].split(_SEP) if len(self) else ()):
            yield word, int(self._counts[i])
