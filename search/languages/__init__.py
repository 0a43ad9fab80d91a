"""The languages that mlsearch analyzes, detects and translates between.

Each language is one module of this package that defines LANGUAGE: its
code, the letters of its script, its stop words and its word normalizer.
The rest of the engine asks this registry rather than naming a language,
so adding one is a module here plus its lexicon (ARCHITECTURE.md, "Adding
a language").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1: a document's lang, and the value of `lang:`
    script: str  # the name of its script
    letter: re.Pattern  # one letter of that script
    # (lower-cased, folded word, whether it was capitalized) -> its index
    # term, or None for a stop word
    index_term: Callable[[str, bool], str | None]
    # The other normal forms of an ambiguous lower-cased word (сталь for
    # стали), indexed beside the best one in documents; () for none.
    alternatives: Callable[[str], tuple[str, ...]]
    # The first two letters of the words that analyze to a term, besides
    # the term's own (люди, людей for человек): where snippets look for it.
    lexeme_prefixes: Callable[[str], set[str]]
    stop_words: frozenset[str]
    letter_folds: tuple[tuple[str, str], ...] = ()  # (letter, the letter it is read as)
    # A lower-cased word that is both a name and a common word -> the term
    # its name reading is indexed under when capitalised mid-sentence (ли:
    # Ли, the surname Lee); None for any other word.
    name_term: Callable[[str], str | None] = lambda word: None


from search.languages import english, russian  # noqa: E402  (they import Language)

LANGUAGES: tuple[Language, ...] = (english.LANGUAGE, russian.LANGUAGE)
CODES = tuple(language.code for language in LANGUAGES)
OTHER = "other"  # a document in none of them
DOCUMENT_LANGUAGES = CODES + (OTHER,)
# For messages: "en, ru or other".
DOCUMENT_LANGUAGE_CHOICES = f"{', '.join(DOCUMENT_LANGUAGES[:-1])} or {DOCUMENT_LANGUAGES[-1]}"
BY_CODE = {language.code: language for language in LANGUAGES}
# A word that mixes scripts is taken for the non-Latin one: Latin letters
# in a Cyrillic word are lookalikes (СОСАR), not the other way round.
_BY_PRECEDENCE = sorted(LANGUAGES, key=lambda language: language.script == "Latin")
_FOLDS = tuple(pair for language in LANGUAGES for pair in language.letter_folds)
# Each folded-to letter, with the letters folded into it (е: ё).
UNFOLDED: dict[str, list[str]] = {}
for _letter, _as in _FOLDS:
    UNFOLDED.setdefault(_as, []).append(_letter)


def language_of(word: str) -> Language | None:
    """The language whose script the word is written in; None for none
    (numbers, other scripts)."""
    for language in _BY_PRECEDENCE:
        if language.letter.search(word):
            return language
    return None


def script_of(word: str) -> str:
    """The code of language_of(word), '' for none."""
    language = language_of(word)
    return language.code if language else ""


def fold(text: str) -> str:
    """Text lower-cased, with each language's letter folds applied (ё: е):
    how the index compares words."""
    text = text.lower()
    for letter, folded in _FOLDS:
        text = text.replace(letter, folded)
    return text


def fold_letters(text: str) -> str:
    """fold() for text that is lower case already. str.replace, not
    str.translate, which took 35x as long on an article's text."""
    for letter, folded in _FOLDS:
        text = text.replace(letter, folded)
    return text
