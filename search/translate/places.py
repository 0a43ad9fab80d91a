"""Russian place adjectives and the place names they come from.

An article says «карабахских», «женевские переговоры», «иркутской области»
where a query says Карабах, Женева, Иркутск, and the lexicon rarely lists
the adjective (гонконгский was read as гонка, a race). A place adjective is
the name's stem with -ский (-цкий after ц, -ской when stressed), the name
losing its final vowel or soft sign, or its -ск:

    Карабах: карабахский, Женева: женевский, Рязань: рязанский,
    Иркутск: иркутский, Донецк: донецкий, Тверь: тверской, Курилы: курильский.

Both directions give candidates only; callers keep those a lexicon or an
index has, and only for a name pymorphy3 tags as a place (Geox).
"""
from __future__ import annotations

from search.languages import russian

_ADJECTIVE_ENDINGS = ("ский", "ской", "цкий", "цкой")
_NAME_ENDINGS = ("", "а", "я", "ь", "ы", "и", "о", "ия", "ск")
_MIN_STEM = 2  # Омск: омский; a shorter one is no stem


def is_place(term: str) -> bool:
    """Whether pymorphy3 reads a Russian index term as a place name."""
    return any("Geox" in parse.tag for parse in russian.parses(term))


def place_names(adjective: str) -> list[str]:
    """Candidate place names of a Russian adjective's index term
    (гонконгский: гонконг, ...; иркутский: ..., иркутск); [] for a word
    that is no such adjective."""
    for ending in _ADJECTIVE_ENDINGS:
        if adjective.endswith(ending) and len(adjective) - len(ending) >= _MIN_STEM:
            stem = adjective[:-len(ending)]
            if ending.startswith("ц"):
                return [stem + "цк", stem + "ц"]
            stems = [stem, stem[:-1]] if stem.endswith("ь") else [stem]
            return [s + name_ending for s in stems for name_ending in _NAME_ENDINGS]
    return []


def adjectives(name: str) -> list[str]:
    """Candidate adjective index terms of a Russian place name's term
    (карабах: карабахский, карабахской; рязань: рязанский, ...)."""
    stems = [name]
    if name.endswith("цк"):
        return [name[:-2] + "цкий", name[:-2] + "цкой"]
    if name.endswith("ск"):
        stems = [name[:-2]]
    elif name.endswith("ия"):
        stems = [name[:-2]]
    elif name[-1:] in "аяьыиое":
        stems = [name[:-1], name[:-1] + "ь"]
    return [stem + ending for stem in stems if len(stem) >= _MIN_STEM for ending in ("ский", "ской")]


def place_adjectives(name: str, vocabulary) -> tuple[str, ...]:
    """The adjectives of a Russian place name that the index holds
    (Карабах: карабахский, for «карабахских»); () for a word that is no place."""
    found = tuple(a for a in adjectives(name) if a in vocabulary)
    return found if found and is_place(name) else ()
