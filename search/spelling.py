"""Spelling: "did you mean" from the corpus's own surface words.

whoosh's corrector compares a word with every term in Python (75 ms a word
on a 240-document index); rapidfuzz compares it with the words of similar
length in C.
"""
from __future__ import annotations

from collections import defaultdict

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein


class Speller:
    """The corpus's words, bucketed by length; a candidate's document
    frequency ranks it."""

    def __init__(self, word_df: dict[str, int]):
        self.word_df = word_df
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in word_df:
            self._by_length[len(word)].append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.word_df

    def suggest(self, word: str) -> str | None:
        """The most frequent word within edit distance 1 (2 for words longer
        than 5 letters), or None."""
        limit = 2 if len(word) > 5 else 1
        best = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            candidates = self._by_length.get(length)
            if not candidates:
                continue
            for found, distance, _ in process.extract(word, candidates, scorer=Levenshtein.distance,
                                                      score_cutoff=limit, limit=20):
                key = (distance, -self.word_df[found])
                if best is None or key < best[0]:
                    best = (key, found)
        return best[1] if best else None
