"""Large word lists held compactly, and shared by the server's workers.

A list of 100,000 words is 100,000 string objects (~6 MB, plus a dict's
slots to look them up), and each server worker would build its own. Here a
table of words is one buffer in the format below, searched by binary
search: built in memory where a backend has no files (the cluster), or
written by the indexer beside each generation (index/wordtables.py) and
mapped from its file, so that its pages are the page cache's, counted once
however many workers read them.

A table, integers little-endian:

    bytes                content
    0-7                  b"mlwords1"
    8-11                 n, the words (uint32)
    12-15                g, the groups (uint32); 0 in a table of sorted words
    16 + 4i              uint32: the end in the word text of word i's
                         separator, i < n
    16 + 4n + 4i         int32: word i's count (a document frequency; 0 when
                         the table has none)
    16 + 8n + 4j         uint32: the end in the key text of key j's separator
    16 + 8n + 4g + 4j    uint32: one past the index of group j's last word
    16 + 8n + 8g         the word text: each word in UTF-8, then "\\n"
    then                 the key text: each group's key in UTF-8, then "\\n"

Sorted words (SortedWords) are in UTF-8 byte order, which is the order of
their code points, as Python compares strings. Grouped words (WordGroups)
are by their keys in that order, each group's words in the order given.
"""
from __future__ import annotations

import mmap
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

MAGIC = b"mlwords1"
_HEADER = 16
_SEP = b"\n"  # the words are read from lines: no word holds one


def _image(words: list[bytes], counts: list[int], keys: list[bytes], group_ends: list[int]) -> bytes:
    """A table's bytes: `words` and `keys` in UTF-8, without separators."""
    def ends(items):
        return np.cumsum([len(x) + 1 for x in items], dtype=np.int64).astype("<u4")

    return b"".join([MAGIC, np.array([len(words), len(keys)], "<u4").tobytes(), ends(words).tobytes(),
                     np.array(counts, "<i4").tobytes(), ends(keys).tobytes(),
                     np.array(group_ends, "<u4").tobytes(), b"".join(w + _SEP for w in words),
                     b"".join(k + _SEP for k in keys)])


class _Table:
    """A table's buffer (bytes, or a file mapped read-only) and its arrays."""

    def __init__(self, buffer):
        if buffer[:8] != MAGIC:
            raise ValueError("not a word table")
        self._buffer = buffer
        n, g = (int(x) for x in np.frombuffer(buffer, "<u4", 2, 8))
        self._word_ends = np.frombuffer(buffer, "<u4", n, _HEADER)
        self.counts = np.frombuffer(buffer, "<i4", n, _HEADER + 4 * n)
        self._key_ends = np.frombuffer(buffer, "<u4", g, _HEADER + 8 * n)
        self._group_ends = np.frombuffer(buffer, "<u4", g, _HEADER + 8 * n + 4 * g)
        self._words_at = _HEADER + 8 * n + 8 * g
        self._keys_at = self._words_at + (int(self._word_ends[-1]) if n else 0)

    @classmethod
    def load(cls, path: Path, *args):
        """The table written at `path`, mapped read-only."""
        with open(path, "rb") as f:
            return cls(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), *args)

    @property
    def image(self) -> bytes:
        """The table's bytes, as a file holds them."""
        return bytes(self._buffer)

    def __len__(self) -> int:
        return len(self._word_ends)

    def _span(self, ends: np.ndarray, at: int, i: int) -> tuple[int, int]:
        """Where item i of a text (words or keys) lies, without its separator."""
        return at + (int(ends[i - 1]) if i else 0), at + int(ends[i]) - 1

    def _words(self, first: int, end: int) -> list[str]:
        """Words first..end-1, decoded."""
        if first >= end:
            return []
        start, _ = self._span(self._word_ends, self._words_at, first)
        _, stop = self._span(self._word_ends, self._words_at, end - 1)
        return self._buffer[start:stop].decode("utf-8").split("\n")

    def _first_not_below(self, ends: np.ndarray, at: int, target: bytes) -> int:
        """The first item of a sorted text not below `target` (bytes)."""
        lo, hi = 0, len(ends)
        while lo < hi:
            mid = (lo + hi) // 2
            start, stop = self._span(ends, at, mid)
            if self._buffer[start:stop] < target:
                lo = mid + 1
            else:
                hi = mid
        return lo


class SortedWords(_Table):
    """Words with a count each (a document frequency), sorted: a word's
    count and the words that start with a prefix are found by binary
    search. The surface words of news-mix: 11.6 MB as a dict, ~3 MB as one
    string in a worker, their file's pages shared."""

    def __init__(self, counts: Iterable[tuple[str, int]] | bytes | mmap.mmap):
        if not isinstance(counts, (bytes, mmap.mmap)):
            pairs = sorted(counts)
            counts = _image([w.encode("utf-8") for w, _ in pairs], [n for _, n in pairs], [], [])
        super().__init__(counts)

    def _word(self, i: int) -> bytes:
        start, stop = self._span(self._word_ends, self._words_at, i)
        return self._buffer[start:stop]

    def get(self, word: str, default: int = 0) -> int:
        target = word.encode("utf-8", "surrogatepass")
        i = self._first_not_below(self._word_ends, self._words_at, target)
        return int(self.counts[i]) if i < len(self) and self._word(i) == target else default

    def starting(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most counted words that start with `prefix`, ties in
        alphabetical order."""
        target = prefix.encode("utf-8", "surrogatepass")
        start = self._first_not_below(self._word_ends, self._words_at, target)
        end = self._first_not_below(self._word_ends, self._words_at, target + b"\xff")  # no UTF-8 byte
        best = np.argsort(-self.counts[start:end], kind="stable")[:limit]
        return [self._word(start + int(i)).decode("utf-8") for i in best]

    def items(self) -> Iterator[tuple[str, int]]:
        return zip(self._words(0, len(self)), (int(n) for n in self.counts))


class WordGroups(_Table):
    """Words grouped by `key(word)` (a string), each group in the order
    given, with a count each."""

    def __init__(self, counts: Iterable[tuple[str, int]] | bytes | mmap.mmap, key: Callable[[str], str]):
        self._key = key
        if not isinstance(counts, (bytes, mmap.mmap)):
            groups: dict[bytes, list[tuple[str, int]]] = {}
            for word, n in counts:
                groups.setdefault(key(word).encode("utf-8"), []).append((word, n))
            keys = sorted(groups)
            pairs = [pair for k in keys for pair in groups[k]]
            ends = np.cumsum([len(groups[k]) for k in keys], dtype=np.int64).tolist()
            counts = _image([w.encode("utf-8") for w, _ in pairs], [n for _, n in pairs], keys, ends)
        super().__init__(counts)

    def _range(self, key: str) -> tuple[int, int]:
        """The indexes of the words of a group: first, one past the last."""
        target = key.encode("utf-8", "surrogatepass")
        j = self._first_not_below(self._key_ends, self._keys_at, target)
        if j == len(self._key_ends):
            return 0, 0
        start, stop = self._span(self._key_ends, self._keys_at, j)
        if self._buffer[start:stop] != target:
            return 0, 0
        return (int(self._group_ends[j - 1]) if j else 0), int(self._group_ends[j])

    def group(self, key: str) -> list[str]:
        """The words of one group (a new list), in their order."""
        return self._words(*self._range(key))

    def group_counts(self, key: str) -> np.ndarray:
        """The counts of a group's words, in their order."""
        first, end = self._range(key)
        return self.counts[first:end]

    def __contains__(self, word: str) -> bool:
        first, end = self._range(self._key(word))
        if first >= end:
            return False
        start, _ = self._span(self._word_ends, self._words_at, first)
        _, stop = self._span(self._word_ends, self._words_at, end - 1)
        return _SEP + word.encode("utf-8", "surrogatepass") + _SEP in _SEP + self._buffer[start:stop + 1]
