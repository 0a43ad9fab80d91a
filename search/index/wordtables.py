"""A generation's word tables: the corpus's words as the query side looks
them up (keyboard layout, did-you-mean, prefix queries, fuzzy and
sound-alike names), each a file in wordgroups.py's format.

The indexer writes them beside each generation, so that a server's workers
map the same files instead of each building its own tables on its first
queries (~1.5 s and over 15 MB a worker on news-mix); the cluster, which has no
generation directory, builds them in memory from its terms. A table's keys
are part of the index format: a change to a key (phonetic.key, say) needs a
full rebuild, which renaming its file forces (layout.GENERATION_FILES).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from search.languages import CODES, phonetic, script_of
from search.wordgroups import SortedWords, WordGroups

SURFACE = "words.tab"  # every surface word with its document count: the keyboard layout
SPELLING = "spelling.tab"  # the same grouped by length: did-you-mean
PREFIXES = "words-{script}.tab"  # the surface words of one script: prefix queries (Gazp*)
SIMILAR = "similar-{script}.tab"  # the body's terms of a script by first letter and length: fuzzy names
SOUNDS = "sounds-{script}.tab"  # the same by sound key: names that sound alike
HYPHENATED = "hyphenated-{script}.tab"  # its hyphenated terms by their spelling without hyphens
FILES = (SURFACE, SPELLING,
         *(name.format(script=code) for name in (PREFIXES, SIMILAR, SOUNDS, HYPHENATED) for code in CODES))


def length_key(length: int) -> str:
    """The key of the words of a length (did-you-mean's candidates)."""
    return str(length)


def spelling_key(word: str) -> str:
    return length_key(len(word))


def bucket(first: str, length: int) -> str:
    """The key of the terms of a first letter and a length: a term is
    compared only with those that can be as similar (translator.SimilarTerms)."""
    return f"{first}\t{length}"


def similar_key(term: str) -> str:
    return bucket(term[:1], len(term))


def sound_key(term: str) -> str:
    return phonetic.key(term, script_of(term))


def closed_key(term: str) -> str:
    """A hyphenated term's spelling without hyphens (play-off: playoff)."""
    return term.replace("-", "")


def similar_table(terms: Iterable[str]) -> WordGroups:
    """Terms by first letter and length: fuzzy names (translator.SimilarTerms)."""
    return WordGroups(((t, 0) for t in terms), similar_key)


def sound_table(terms: Iterable[str]) -> WordGroups:
    """Single-word terms of a known script by sound key: names that sound alike."""
    return WordGroups(((t, 0) for t in terms if " " not in t and script_of(t)), sound_key)


def build(name: str, word_df: dict[str, int], body_terms: Callable[[str], list[str]]) -> SortedWords | WordGroups:
    """The table of file `name` (one of FILES) from a generation's surface
    words with their document counts and its body terms of a script."""
    if name == SURFACE:
        return SortedWords(word_df.items())
    if name == SPELLING:
        return WordGroups(sorted(word_df.items()), spelling_key)
    kind, _, script = name.removesuffix(".tab").partition("-")
    if kind == "words":
        return SortedWords((w, n) for w, n in word_df.items() if script_of(w) == script)
    if kind == "similar":
        return similar_table(body_terms(script))
    if kind == "sounds":
        return sound_table(body_terms(script))
    if kind == "hyphenated":
        return WordGroups(((t, 0) for t in body_terms(script) if "-" in t), closed_key)
    raise ValueError(f"no word table {name}")


def load(gen_path: Path, name: str) -> SortedWords | WordGroups:
    """A generation's table of file `name`, mapped read-only."""
    if name == SURFACE or name.startswith("words-"):
        return SortedWords.load(gen_path / name)
    keys = {"spelling": spelling_key, "similar": similar_key, "sounds": sound_key, "hyphenated": closed_key}
    return WordGroups.load(gen_path / name, keys[name.removesuffix(".tab").partition("-")[0]])
