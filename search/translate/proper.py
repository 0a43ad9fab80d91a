"""Proper nouns that are also common words: Ли is the surname Lee and the
particle ли. Documents index a capitalised mid-sentence occurrence under a
name term too (analysis: Ли), so a name query can leave the common word out
where it would drown the name: when the index holds the common word's term
far more often than the name's.
"""
from __future__ import annotations

from search.languages import fold, language_of

# The common word's documents per name document above which a name query
# searches the name term alone: ли in news-mix is in thousands of articles,
# Ли in a few; путин, mostly the name, stays as it is.
COMMON_DOMINANCE = 10


def name_reading(word: str, term: str, vocabulary) -> str | None:
    """The name term to search instead of `term` for a capitalised `word`
    (its surface or lemma), or None to search `term` as usual."""
    lower = fold(word)
    language = language_of(lower)
    name = language.name_term(lower) if language else None
    if not name or name not in vocabulary:
        return None
    return name if vocabulary.df(term) >= COMMON_DOMINANCE * vocabulary.df(name) else None
