"""Words made with a productive prefix, between English and Russian.

English news writes them hyphenated (anti-corruption, pro-Russian,
non-governmental), Russian news closed (антикоррупционный, пророссийский,
неправительственный), and the dictionary lists few of either. Translated
part by part, the prefix alone is no word (anti: a lookalike, антип). So a
compound is translated whole, as a bilingual reader would: its prefix's
counterpart joined to its rest's translations, kept where the index holds
such a word.
"""
from __future__ import annotations

import re

from search.analysis import terms_of

# English prefix -> its Russian spellings. English hyphenates these
# (anti-corruption) but for CLOSED ones, which only a Russian word is
# translated into (неравный: unequal, независимый: independent).
PREFIXES: dict[str, tuple[str, ...]] = {
    "anti": ("анти", "противо"),
    "co": ("со",),
    "counter": ("контр",),
    "ex": ("экс",),
    "in": ("не",),
    "inter": ("меж", "интер"),
    "multi": ("много", "мульти"),
    "neo": ("нео",),
    "non": ("не",),
    "post": ("пост",),
    "pre": ("пред",),
    "pro": ("про",),
    "pseudo": ("псевдо",),
    "self": ("само",),
    "semi": ("полу",),
    "super": ("сверх", "супер"),
    "ultra": ("ультра",),
    "un": ("не",),
    "vice": ("вице",),
}
CLOSED = frozenset({"in", "un"})
_RUSSIAN = sorted(((ru, en) for en, spellings in PREFIXES.items() for ru in spellings),
                  key=lambda pair: -len(pair[0]))

# The ending a Russian word drops before a suffix (коррупци|я, правительств|о,
# российск|ий): what is left is the root a derived word starts with.
_ENDING = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|[аеёиоуыэюяьй])$")
# Shorter roots start too many other words (вод|а: водить, водка).
MIN_ROOT = 4


def root(term: str) -> str | None:
    """The root of a Russian lemma that derived words start with, or None
    for one too short to tell its derivatives from other words."""
    stem = _ENDING.sub("", term)
    return stem if len(stem) >= MIN_ROOT else None


def terms_starting(start: str, vocabulary) -> list[str]:
    """The index terms of the corpus's words that start with `start`, the
    most frequent words first (IndexVocabulary.words_starting)."""
    return [t for word in vocabulary.words_starting(start) for t in terms_of(word)[:1]]


def russian_compounds(prefix: str, translations: list[str], vocabulary) -> list[str]:
    """Index terms of the Russian words made of an English prefix's
    counterpart and the root of one of the rest's translations
    (anti, коррупция: антикоррупционный)."""
    found = []
    for translation in translations:
        stem = root(translation) if " " not in translation else None
        for spelling in PREFIXES.get(prefix, ()) if stem else ():
            found += terms_starting(spelling + stem, vocabulary)
    return list(dict.fromkeys(found))


def split_russian(term: str) -> list[tuple[str, str]]:
    """(English prefix, the rest) for each reading of a Russian lemma that
    starts with one of the prefixes' Russian spellings, the longest
    (пророссийский: pro, российский; противовоспалительный: anti, not pro;
    неравный: in, non and un, равный); [] for any other."""
    found = [(spelling, prefix) for spelling, prefix in _RUSSIAN
             if term.startswith(spelling) and root(term[len(spelling):])]
    return [(prefix, term[len(spelling):]) for spelling, prefix in found if len(spelling) == len(found[0][0])]


def english_compounds(prefix: str, words: list[str], vocabulary) -> list[str]:
    """Index terms of the English words made of the prefix and one of the
    rest's translations, as written (pro, Russian: pro-russian; un, equal:
    unequ). Only CLOSED prefixes are joined closed: others would make other
    words by chance too often (pro, test: protest)."""
    joint = "" if prefix in CLOSED else "-"
    terms = (terms_of(f"{prefix}{joint}{w}")[:1] for w in words if " " not in w)
    return [t for t in dict.fromkeys(t for found in terms for t in found) if t in vocabulary]
