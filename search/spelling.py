"""Spelling: "did you mean" from the corpus's own surface words.

whoosh's corrector compares a word with every term in Python (75 ms a word
on a 240-document index); rapidfuzz compares it with the words of similar
length in C.
"""
from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from search.index.wordtables import length_key
from search.wordgroups import WordGroups


class Speller:
    """The corpus's words with their document frequencies, grouped by
    length (wordtables.SPELLING: a generation's table, mapped by every
    server worker); a candidate's document frequency ranks it."""

    def __init__(self, words: WordGroups):
        self._words = words

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def suggest(self, word: str) -> str | None:
        """The most frequent word within edit distance 1 (2 for words longer
        than 5 letters), or None."""
        limit = 2 if len(word) > 5 else 1
        best = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            key = length_key(length)
            candidates = self._words.group(key)
            if not candidates:
                continue
            dfs = self._words.group_counts(key)
            for found, distance, i in process.extract(word, candidates, scorer=Levenshtein.distance,
                                                      score_cutoff=limit, limit=20):
                rank = (distance, -int(dfs[i]))
                if best is None or rank < best[0]:
                    best = (rank, found)
        return best[1] if best else None
