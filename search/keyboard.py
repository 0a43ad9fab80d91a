"""Queries typed in the wrong keyboard layout: `ytanm` is нефть typed on
the English layout, `руддщ` is hello typed on the Russian one.

A query of plain words is read on the other layout (the same keys, the
other layout's characters) and searched so when that reading is far more
likely in the index, by the documents that hold its words (see RATIO).
"""
from __future__ import annotations

from search.languages import fold

# The keys of the standard US and Russian (ЙЦУКЕН) layouts, in the same
# order, without and with shift.
_US = "`qwertyuiop[]asdfghjkl;'zxcvbnm,." + '~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>'
_RU = "ёйцукенгшщзхъфывапролджэячсмитьбю" + "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ"
_TO_RU = str.maketrans(_US, _RU)
_TO_US = str.maketrans(_RU, _US)

# A word read on the other layout is evidence for it when it is in RATIO
# times more documents than the word as typed (plus one); a query is read so
# when at least half of its words are, and none is rarer read so. On the
# kit's 11,511 topics, each against its own corpus (tools/check_keyboard.py),
# this retypes none, and recovers 5,888 of the same topics typed in the wrong
# layout (ratio 1: 7,480, 5: 5,143, 10: 3,919; none retypes a topic). The
# engine asks only when some word is in no document as typed, which can
# only retype fewer.
RATIO = 3
MIN_LETTERS = 3  # shorter words (в, и, of) are no evidence either way
# Characters that make a query more than plain words: it is left as typed.
_SYNTAX = set(':"«»“”()*') | {"AND", "OR", "NOT"}


def _table(words: list[str]):
    """The translation to the other layout of plain words of one layout;
    None for a query with syntax, or with letters of neither or both."""
    if not words or any(w in _SYNTAX or any(c in _SYNTAX for c in w) for w in words):
        return None
    text = "".join(words)
    if all(c in _US or not c.isalpha() for c in text):
        return _TO_RU
    if all(c in _RU or not c.isalpha() for c in text):
        return _TO_US
    return None


def candidate_words(query: str) -> list[str]:
    """The words of MIN_LETTERS letters or more of a query that may have
    been typed in the wrong layout (plain words of one layout); [] if none."""
    words = query.split()
    if _table(words) is None:
        return []
    return [part for w in words for part in w.split("-") if sum(c.isalpha() for c in part) >= MIN_LETTERS]


def other_reading(query: str, word_df: dict[str, int]) -> tuple[str, list[tuple[int, int]]] | None:
    """The query read on the other layout, and for each of its words of
    MIN_LETTERS letters or more: (documents with it as typed, documents with
    it read so). None when the query is not plain words of one layout."""
    words = query.split()
    table = _table(words)
    if table is None:
        return None
    meant = " ".join(words).translate(table)
    counts = []
    for typed, read in zip(words, meant.split(" ")):
        for typed_part, read_part in zip(typed.split("-"), read.split("-")):
            typed_part, read_part = fold(typed_part.strip(".,;!?")), fold(read_part)
            if sum(c.isalpha() for c in typed_part) >= MIN_LETTERS:
                counts.append((word_df.get(typed_part, 0), word_df.get(read_part, 0) if read_part.isalpha() else 0))
    return meant, counts


def far_more_likely(counts: list[tuple[int, int]], ratio: float = RATIO) -> bool:
    """Whether words' (as typed, read so) document counts make the other
    reading the one meant (see RATIO)."""
    if not counts or any(typed > read for typed, read in counts):
        return False
    return 2 * sum(read >= ratio * (typed + 1) for typed, read in counts) >= len(counts)


def retyped(query: str, word_df: dict[str, int]) -> str | None:
    """The query as meant, when it was typed in the wrong layout; else None."""
    reading = other_reading(query, word_df)
    return reading[0] if reading and far_more_likely(reading[1]) else None


def wrong_layout(text: str) -> str:
    """Text typed on the other layout: Russian on the US keys, English on
    the Russian ones (to test and measure the rule)."""
    return text.translate(_TO_US if any(c in _RU for c in text) else _TO_RU)
