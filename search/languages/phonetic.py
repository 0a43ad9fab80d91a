"""Sound keys for names across scripts: Венгер and Wenger, Блэр and Blair,
Гринспен and Greenspan share one key, where letter-by-letter fuzzy matching
finds lookalike words (vener, blear).

A key is the word's consonant skeleton in one alphabet for both scripts:
vowels dropped (е/э/ё and ai/ea/ee are the usual disagreements), letter
groups that spell one sound read as it (sch, sh, ш: S; kh, initial h, х: H,
an h inside a word being silent, as in Johnson: Джонсон;
dzh, j, дж: j; ph, ф: f; ck, c, q, к: k), w and a Russian word-initial
у before a vowel read as v (Уэльс, Wales), doubled letters once. The
translator looks up the index terms of the other script with a key of the
query word's spellings and ranks them by similarity and frequency.
"""
from __future__ import annotations

import re

# Letter groups first (one regex pass), then single letters (str.translate);
# "." marks a dropped letter until doubled letters are merged.
_LATIN_GROUPS = [
    (r"sch|sh|sz", "S"), (r"tch|ch|cz", "C"), (r"dzh|dj|zh", "j"), (r"kh|^h", "H"), (r"ck", "k"),
    (r"ph", "f"), (r"th", "t"), (r"gh", "g"), (r"tz|ts", "s"), (r"c(?=[eiy])", "s"),
]
_LATIN_LETTERS = str.maketrans({**dict.fromkeys("aeiouyäöüéèêëáàâíìîóòôúùûý'’-", "."), "h": "", "ş": "S", "š": "S", "č": "C", "ć": "C",
                                "ž": "j", "q": "k", "x": "ks", "c": "k", "w": "v", "z": "s"})
_CYRILLIC_GROUPS = [(r"^у(?=[эиоаеы])", "в"), (r"дж", "ж"), (r"тс", "с")]
_CYRILLIC_LETTERS = str.maketrans({
    **dict.fromkeys("аеёиоуыэюяйьъ-", "."), "б": "b", "в": "v", "г": "g", "д": "d", "ж": "j", "з": "s",
    "к": "k", "л": "l", "м": "m", "н": "n", "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f", "х": "H",
    "ц": "s", "ч": "C", "ш": "S", "щ": "S"})


def _compile(table):
    return re.compile("|".join(f"({pattern})" for pattern, _ in table)), [reading for _, reading in table]


_LATIN_RE, _LATIN_READINGS = _compile(_LATIN_GROUPS)
_CYRILLIC_RE, _CYRILLIC_READINGS = _compile(_CYRILLIC_GROUPS)
_DOUBLED = re.compile(r"(.)\1+")


def _key(word: str, groups: re.Pattern, readings: list[str], letters: dict) -> str:
    read = groups.sub(lambda m: readings[m.lastindex - 1], word.lower()).translate(letters)
    return _DOUBLED.sub(r"\1", read).replace(".", "")


def latin_key(word: str) -> str:
    return _key(word, _LATIN_RE, _LATIN_READINGS, _LATIN_LETTERS)


def cyrillic_key(word: str) -> str:
    return _key(word, _CYRILLIC_RE, _CYRILLIC_READINGS, _CYRILLIC_LETTERS)


def key(word: str, script: str) -> str:
    """The sound key of a word in script 'en' (Latin) or 'ru' (Cyrillic)."""
    return latin_key(word) if script == "en" else cyrillic_key(word)
