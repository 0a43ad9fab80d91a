"""Russian: pymorphy3 normal forms, ё read as е, function words as stop words."""
from __future__ import annotations

import functools
import re

from search.caches import server_bound
from search.languages import Language

# Function words only: each leaves out words that are also content words or
# names («ли» is the surname Lee, «мая» and «мир» are words).
STOP_WORDS = frozenset("""
а и или но да же ж бы б то это этот эта эти тот та те того тому том тем той
в во на с со к ко о об обо от до по за из изо у при про для без над под перед между через
не ни нет ну вот вон уж уже ещё еще лишь только
я ты он она оно мы вы они меня мне мной тебя тебе тобой его ему им него нему ним
её ее ей ней нее неё нас нам нами вас вам вами их ими них ними
мой моя моё мое мои твой твоя твоё твое твои свой своя своё свое свои наш наша наше наши ваш ваша ваше ваши
себя себе собой
как так когда где куда откуда зачем почему что чтобы чем кто кого кому ком
который которая которое которые которого которой котором которых которым которыми
если хотя пока либо нибудь то-то
тоже также ведь разве неужели именно
всё все весь вся всех всем всеми всего всему
быть был была было были будет будут есть
какой какая какое какие каком какую каких каким какими каков какова каковы сколько чей чья чье чьи
""".split())

# pymorphy3 grammemes that mark a proper name.
_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


def _fold(word: str) -> str:
    return word.replace("ё", "е")


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


# Briefly: the lemma and the alternatives of a new word ask for its parses
# one after the other. A word's parses are ~4 KB: 4,096 held 16 MB in each
# server worker after 10,000 distinct news-mix queries.
@functools.lru_cache(maxsize=256)
def parses(word: str) -> tuple:
    """pymorphy3's parses; none for a word it cannot read (its is_latin()
    raises ValueError on letters without a Unicode name, e.g. Tangut)."""
    try:
        return tuple(_morph().parse(word))
    except ValueError:
        return ()


@server_bound(8192)
@functools.lru_cache(maxsize=200_000)
def lemma(word: str, capitalized: bool = False) -> str:
    """The normal form of a lower-cased Cyrillic word.

    A known word takes its best parse. A capitalized or unknown word sums the
    parse scores per normal form instead, with name parses favoured when
    capitalized and verb guesses discounted when unknown: so every form of
    «Шахбазов» gives шахбазов and «Азерэнержи» is not taken for a verb.
    """
    found = parses(word)
    if not found:
        return word
    best = found[0]
    if best.is_known and not capitalized:
        return _fold(best.normal_form)
    totals: dict[str, float] = {}
    for p in found:
        weight = p.score
        if capitalized and is_name_parse(p):
            weight *= 2.0
        if not p.is_known and p.tag.POS in ("VERB", "INFN", "GRND", "PRTF", "PRTS"):
            weight *= 0.1
        totals[p.normal_form] = totals.get(p.normal_form, 0.0) + weight
    return _fold(max(totals, key=totals.get))


@server_bound(8192)
@functools.lru_cache(maxsize=200_000)
def alternatives(word: str) -> tuple[str, ...]:
    """The other normal forms of an ambiguous lower-cased Cyrillic word
    (стали: стать, and also сталь). Indexed beside the best one, they let
    a query for either reading find it (+0.002 nDCG@10 on xquad-ru)."""
    forms = dict.fromkeys(_fold(p.normal_form) for p in parses(word))
    return tuple(f for f in forms if f not in STOP_WORDS)


def is_name_parse(parse) -> bool:
    """Whether a pymorphy3 parse reads the word as a name (Песков: Surn)."""
    return bool(_NAME_TAGS & parse.tag.grammemes)


@server_bound(8192)
@functools.lru_cache(maxsize=200_000)
def name_term(word: str) -> str | None:
    """Ли for ли (a particle, and the surname Lee), Путин for путин: the
    name reading's normal form, capitalised so that no common word's term
    equals it; None for a word with no name reading or no common one in the
    dictionary (a guess at an unknown word is no common word)."""
    found = parses(word)
    names = [p for p in found if is_name_parse(p)]
    if not names or not any(p.is_known and not is_name_parse(p) for p in found):
        return None
    return _fold(names[0].normal_form).capitalize()


def index_term(word: str, capitalized: bool) -> str | None:
    if word in STOP_WORDS:
        return None
    term = lemma(word, capitalized)
    return None if term in STOP_WORDS else term


def lexeme_prefixes(term: str) -> set[str]:
    """The first two letters of every form of the words whose normal form
    is `term` (люди, людей for человек)."""
    prefixes = set()
    for parse in parses(term):
        if _fold(parse.normal_form) == term:
            prefixes.update(_fold(form.word)[:2] for form in parse.lexeme)
    return prefixes


LANGUAGE = Language(
    code="ru", script="Cyrillic", letter=re.compile(r"[\u0400-\u04ff]"),
    index_term=index_term, alternatives=alternatives, lexeme_prefixes=lexeme_prefixes,
    stop_words=STOP_WORDS,
    letter_folds=(("ё", "е"),), name_term=name_term)
