"""Spelling: "did you mean" from the corpus's own surface words.

whoosh's corrector compares a word with every term in Python (75 ms a word
on a 240-document index); rapidfuzz compares it with the words of similar
length in C.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from search.wordgroups import WordGroups


class Speller:
    """The corpus's words, grouped by length (compactly: a server worker
    holds one); a candidate's document frequency ranks it."""

    def __init__(self, word_df: Iterable[tuple[str, int]]):
        """`word_df`: (word, document frequency) pairs."""
        words, dfs = [], {}
        for word, n in word_df:
            words.append(word)
            dfs.setdefault(len(word), []).append(n)
        self._words = WordGroups(words, len)
        # Each length's document frequencies, in the order of its words.
        self._dfs = {length: np.array(ns, np.int32) for length, ns in dfs.items()}

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def suggest(self, word: str) -> str | None:
        """The most frequent word within edit distance 1 (2 for words longer
        than 5 letters), or None."""
        limit = 2 if len(word) > 5 else 1
        best = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            candidates = self._words.group(length)
            if not candidates:
                continue
            for found, distance, i in process.extract(word, candidates, scorer=Levenshtein.distance,
                                                      score_cutoff=limit, limit=20):
                key = (distance, -int(self._dfs[length][i]))
                if best is None or key < best[0]:
                    best = (key, found)
        return best[1] if best else None
