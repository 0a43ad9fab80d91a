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

# English prefix -> its Russian spellings.
PREFIXES: dict[str, tuple[str, ...]] = {
    "anti": ("анти", "противо"),
    "co": ("со",),
    "counter": ("контр",),
    "ex": ("экс",),
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
    "vice": ("вице",),
}
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


def russian_compounds(prefix: str, translations: list[str], vocabulary) -> list[str]:
    """Index terms of the Russian words made of an English prefix's
    counterpart and the root of one of the rest's translations
    (anti, коррупция: антикоррупционный)."""
    found = []
    for translation in translations:
        stem = root(translation) if " " not in translation else None
        for spelling in PREFIXES.get(prefix, ()) if stem else ():
            for word in vocabulary.words_starting(spelling + stem):
                found += terms_of(word)[:1]
    return list(dict.fromkeys(found))


def split_russian(term: str) -> tuple[str, str] | None:
    """(English prefix, the rest) of a Russian lemma that starts with one
    of the prefixes' Russian spellings (пророссийский: pro, российский);
    None for any other."""
    for spelling, prefix in _RUSSIAN:
        if term.startswith(spelling) and root(term[len(spelling):]):
            return prefix, term[len(spelling):]
    return None


def english_compounds(prefix: str, translations: list[str], vocabulary) -> list[str]:
    """Index terms of the hyphenated English words made of the prefix and
    one of the rest's translations (pro, russian: pro-russian). Closed ones
    are other words by chance too often (pro, test: protest)."""
    spellings = (f"{prefix}-{t}" for t in translations if " " not in t)
    return [s for s in dict.fromkeys(spellings) if s in vocabulary]
