"""What widens a query word's translation group beyond the dictionary's
words for it, each where the target index holds the word:

- the other readings of an ambiguous word (графики: графика, graphics, and
  график, chart), as documents index every reading of one;
- the Russian adjectives of its nouns, as English puts a noun before a noun
  where Russian puts an adjective (greenhouse gases: парниковые газы);
- the Russian loanword of a learned English word (protestantism:
  протестантизм, beside the dictionary's протестантство);
- for a Russian word the dictionary lacks, the English word of its prefix
  and its rest (антиправительственный: anti-government, prefixes.py).

Each returns (term, display, how) candidates, as translator.py's steps do.
"""
from __future__ import annotations

import os

from search.analysis import language_of
from search.languages import fold
from search.translate import prefixes
from search.translate.transliteration import loanword_terms

# The lemma endings of Russian adjectives.
ADJECTIVE_ENDINGS = ("ый", "ий", "ой")
# Letters an English word and an adjective's translation share when they
# are of one root (energ-y, energ-etic; coal and угловой, angular, share none).
SHARED_ROOT = 4
# English suffixes of Latin and Greek words whose Russian loanword means the
# same (-изм, -ический, -ивный); not -tion, whose loanwords are false friends
# as often (action: акция, application: аппликация, agitation: агитация).
LEARNED_ENDINGS = ("ism", "ic", "ical", "ive")


def reading_translations(surface: str, term: str, source: str, lexicon) -> list:
    """The lexicon's translations of a word's normal forms other than `term`."""
    word = fold(surface)
    language = language_of(word)
    return [t for reading in (language.alternatives(word) if language else ()) if reading != term
            for t in lexicon.translations(reading, source)]


def other_readings(surface: str, term: str, source: str, vocabulary, lexicon) -> list[tuple[str, str, str]]:
    """Those of reading_translations that the index holds."""
    return [(t.term, t.display, "lexicon") for t in reading_translations(surface, term, source, lexicon)
            if all(w in vocabulary for w in t.term.split(" "))]


def relational_adjectives(nouns: list[str], term: str, vocabulary, lexicon) -> list[tuple[str, str, str]]:
    """The Russian adjectives the index holds that start with the root of
    one of `nouns` (парник: парниковый; банк: банковский). One the
    dictionary translates must share a root with the English query word
    `term` (страна: not странный, strange)."""
    found = []
    for noun in nouns:
        stem = prefixes.root(noun) if " " not in noun and not noun.endswith(ADJECTIVE_ENDINGS) else None
        for adjective in prefixes.terms_starting(stem, vocabulary) if stem else ():
            if not adjective.endswith(ADJECTIVE_ENDINGS):
                continue
            own = [t.term for t in lexicon.translations(adjective, "ru")]
            if not own or any(len(os.path.commonprefix((term, o))) >= min(SHARED_ROOT, len(term)) for o in own):
                found.append((adjective, adjective, "adjective"))
    return found


def loanwords(surface: str, vocabulary) -> list[tuple[str, str, str]]:
    """The Russian loanwords the index holds of a learned English word."""
    if not surface.lower().endswith(LEARNED_ENDINGS):
        return []
    return [(s, s, "loanword") for s in loanword_terms(surface) if s in vocabulary]


def prefixed(term: str, vocabulary, lexicon) -> list[tuple[str, str, str]]:
    """The English words of a Russian word's prefix and rest that the index
    holds (пророссийский: pro-russian)."""
    return [(word, word, "prefixed") for prefix, rest in prefixes.split_russian(term)
            for word in prefixes.english_compounds(prefix, [t.display for t in lexicon.translations(rest, "ru")],
                                                   vocabulary)]
