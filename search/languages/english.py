"""English: Snowball English stems (Porter 1 in whoosh stems gas to ga,
news to new) and function words as stop words."""
from __future__ import annotations

import functools
import re

from search.caches import server_bound
from search.languages import Language

# Function words only: each leaves out words that are also content words or
# names ("us" is the country, "will" and "may" are nouns, "it" is IT).
STOP_WORDS = frozenset("""
a an the and or but nor if then else so than that this these those
of in on at by for from to into onto with without within via about over under
as is are was were be been being am do does did doing done have has had having
i me my myself you your yours yourself yourselves he him his himself she her hers
herself its itself we our ours ourselves they them their theirs themselves
what which who whom whose why how when where there here
not no yes very too also just only such both each either neither
all any some few more most other own same s t d ll m o re ve y
can could would should shall might must
because while until unless although though whether
up down out off again further once
""".split())


@functools.lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@server_bound(4096)
@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-cased Latin word."""
    return _stemmer().stemWord(word)


def index_term(word: str, capitalized: bool) -> str | None:
    return None if word in STOP_WORDS else stem(word)


def comparative_bases(word: str) -> list[str]:
    """The adjectives a lower-cased comparative or superlative may come
    from, most likely first (higher: high, larger: large, bigger: big,
    earliest: early); [] for another word. Snowball keeps -er and -est."""
    for ending in ("est", "er"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[:-len(ending)]
            bases = [stem, stem + "e"]
            if stem.endswith("i"):
                bases.insert(0, stem[:-1] + "y")
            if stem[-1] == stem[-2]:
                bases.insert(0, stem[:-1])
            return bases
    return []


def singular_of(word: str) -> str | None:
    """The singular of a lower-cased plural in -es (gases: gas, lenses:
    lens), None for another word; Snowball stems some of these apart from
    their singulars (gases: gase, buses: buse, lenses: lens against len)."""
    return word[:-2] if word.endswith("es") and len(word) > 4 else None


LANGUAGE = Language(
    code="en", script="Latin", letter=re.compile(r"[a-z\u00c0-\u024f]", re.I),
    index_term=index_term, alternatives=lambda word: (), lexeme_prefixes=lambda term: set(),
    stop_words=STOP_WORDS)
