"""Analysis: text -> index terms, routed per token by script.

Each word is normalized by the language its script belongs to
(search.languages): Cyrillic words become pymorphy3 normal forms, Latin
words English Snowball stems (so SOCAR inside a Russian article is analyzed
as English); numbers stay as they are. Case and ё are folded. A hyphenated
compound is indexed whole at the position of its first part, and each part
at its own position, so both "бизнес-миссия" and "миссия" find
«бизнес-миссии».

`analyze` is the one entry point used at index and at query time, which is
what makes inflected phrases match.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from search.caches import server_bound
from search.languages import UNFOLDED, fold, language_of

# A word is letters/digits; stress marks and soft hyphens may sit inside it.
_PART = r"[^\W_](?:[^\W_]|[\u0300-\u036f\u00ad])*"
WORD_RE = re.compile(rf"{_PART}(?:[-‐‑]{_PART})*")
# WORD_RE for a text without "_", where \w is [^\W_]: one character class
# per letter instead of an alternation, 40% faster.
_PART_NO_UNDERSCORE = r"[^\W_][\w\u0300-\u036f\u00ad]*"
_WORD_RE_NO_UNDERSCORE = re.compile(rf"{_PART_NO_UNDERSCORE}(?:[-‐‑]{_PART_NO_UNDERSCORE})*")
_INVISIBLE = re.compile(r"[\u0300-\u036f\u00ad]")
_HYPHENS = re.compile(r"[‐‑]")


class Term(NamedTuple):
    text: str  # the index term
    pos: int  # word position, stop words skipped
    start: int  # character offsets of the surface word in the text
    end: int


# The indexer's hot path, per token; a server keeps 8,192 surface words
# (~2.5 MB: 95,000 held 31 MB after 10,000 distinct queries on news-mix).
@server_bound(8192)
@functools.lru_cache(maxsize=300_000)
def _word_terms(surface: str, alternatives: bool) -> tuple[str, ...]:
    """The index term of one surface word (no hyphen), then its alternative
    normal forms if asked; () for a stop word. Cached on the surface form:
    text repeats its words, and this is the per-token hot path."""
    norm = normalize_word(surface)
    if norm is None:
        return ()
    language = language_of(norm) if alternatives else None
    if language is not None:
        lower = fold(_INVISIBLE.sub("", surface))
        return (norm,) + tuple(a for a in language.alternatives(lower) if a != norm)
    return (norm,)


def normalize_word(surface: str) -> str | None:
    """One word (no hyphen) -> its index term, or None for a stop word."""
    word = _INVISIBLE.sub("", surface)
    lower = fold(word)
    language = language_of(lower)
    if language is None:
        return lower
    return language.index_term(lower, word[:1].isupper())


def phrase_words(term: str) -> tuple[str, ...]:
    """The words of a multi-word index term (a lexicon phrase, space-joined)
    one per position, as a text holds them: a compound's whole stands at its
    first part's position and each part at its own (военный-морской флот:
    военный, морской, флот), a stop-word part at none."""
    return tuple(part for word in term.split(" ")
                 for part in (word.split("-") if "-" in word else (word,))
                 if part and ("-" not in word or normalize_word(part) is not None))


def _words(text: str) -> re.Pattern:
    """WORD_RE, or its faster equal for the text."""
    return WORD_RE if "_" in text else _WORD_RE_NO_UNDERSCORE


def _is_compound(surface: str) -> bool:
    """A hyphenated word (any of the hyphens WORD_RE joins words with)."""
    return "-" in surface or "‐" in surface or "‑" in surface


# What ends a sentence or opens a quote: a capitalised word after one may
# be capitalised only for its place.
_SENTENCE_BREAKS = frozenset('.!?…:;"«»“”„\'()[]—–-\n')


def _mid_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` follows another word of its sentence."""
    before = text[:start].rstrip(" \t")
    return bool(before) and before[-1] not in _SENTENCE_BREAKS


def _name_terms(surface: str) -> tuple[str, ...]:
    """The name term of a capitalised word that is also a common word
    (Ли: the particle ли and the surname Lee), indexed beside its term; ()
    for any other word."""
    lower = fold(_INVISIBLE.sub("", surface))
    language = language_of(lower)
    name = language.name_term(lower) if language else None
    return (name,) if name else ()


def analyze(text: str, alternatives: bool = False) -> list[Term]:
    """All index terms of a text, with positions and character offsets.
    With `alternatives` (documents, not queries), an ambiguous Russian word
    also yields its other normal forms at the same position."""
    return [Term(*t) for t in scan(text, alternatives)]


def scan(text: str, alternatives: bool):
    """analyze() as plain (term, pos, start, end) tuples: the indexer's hot
    path (index/schema.py). In documents, a capitalised word in mid-sentence
    that is also a common word is indexed as a name too (_name_terms)."""
    pos = 0
    for m in _words(text).finditer(text):
        surface = m.group()
        if not _is_compound(surface):
            found = _word_terms(surface, alternatives)
            if found and alternatives and surface[:1].isupper() and _mid_sentence(text, m.start()):
                found += _name_terms(surface)
            if found:
                start, end = m.span()
                for term in found:
                    yield term, pos, start, end
                pos += 1
            continue
        surface = _HYPHENS.sub("-", surface)
        parts = []
        offset = m.start()
        for piece in surface.split("-"):
            parts.append((normalize_word(piece), offset, offset + len(piece)))
            offset += len(piece) + 1
        kept = [p for p in parts if p[0] is not None]
        if len(kept) > 1:
            whole = "-".join(fold(_INVISIBLE.sub("", piece))
                             if norm is None else norm
                             for piece, (norm, _, _) in zip(surface.split("-"), parts))
            yield whole, pos, m.start(), m.end()
        for norm, start, end in kept:
            yield norm, pos, start, end
            pos += 1


@server_bound(4096)
@functools.lru_cache(maxsize=16384)
def _compound_terms(surface: str) -> tuple[str, ...]:
    """A hyphenated word's terms: the whole, then its parts."""
    return tuple(t.text for t in analyze(surface, alternatives=True))


@functools.lru_cache(maxsize=4096)  # a server's recent query terms: lexemes are slow to list
def _surface_prefixes(term: str) -> frozenset[str]:
    """The first two letters of every word that can analyze to `term`: a
    stem or lemma starts like its words, and a lemma's lexeme holds the
    forms that do not (люди, людей for человек)."""
    prefixes = {term[:2]}
    language = language_of(term)
    if language is not None:
        prefixes.update(language.lexeme_prefixes(term))
    return frozenset(prefixes)


def find_terms(text: str, wanted: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of each word of a document whose index term (or
    alternative normal form) is wanted; a compound counts once, whole.
    Each distinct surface word is analyzed once, and only when it starts
    like a word of a wanted term: pymorphy3 takes ~30 us a new word. The
    words found are then located with str.find, not by a second scan."""
    prefixes = frozenset().union(*(_surface_prefixes(t) for t in wanted))
    heads = _spellings(prefixes)
    matched: dict[str, str] = {}
    # Most words neither start with a head nor hold a hyphen or mark (not
    # isalnum): dropped here, in C calls, before the loop below.
    word_re = _words(text)
    words = set(word_re.findall(text))
    for surface in [w for w in words if w[:2] in heads or not w.isalnum()]:
        if _is_compound(surface):
            found = _compound_terms(surface)
        elif surface[:2] not in heads and not _INVISIBLE.match(surface, 1):
            continue  # most words: exact unless a mark sits in the first two letters
        elif fold(_INVISIBLE.sub("", surface[:4]))[:2] not in prefixes:
            continue
        else:
            found = _word_terms(surface, True)
        for term in found:
            if term in wanted:
                matched[surface] = term
                break
    spans = []
    for surface, term in matched.items():
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if _starts_word(text, start) and word_re.match(text, start).end() == end:
                spans.append((start, end, term))
            start = text.find(surface, start + 1)
    spans.sort()
    return spans


@functools.lru_cache(maxsize=256)
def _spellings(prefixes: frozenset[str]) -> frozenset[str]:
    """Every way a word can begin and still lower-case to one of the
    prefixes: each letter in either case, е also as ё."""
    out = set()
    for prefix in prefixes:
        spelled = [""]
        for c in prefix:
            cases = (c, c.upper(), *(u for letter in UNFOLDED.get(c, ()) for u in (letter, letter.upper())))
            spelled = [head + case for head in spelled for case in cases]
        out.update(spelled)
    return frozenset(out)


def _in_part(text: str, i: int) -> bool:
    """Whether text[i] belongs to a word part: a letter or digit (what
    [^\\W_] matches), or a mark that follows one."""
    while i >= 0 and _INVISIBLE.match(text, i):
        i -= 1
    return i >= 0 and text[i].isalnum()


def _starts_word(text: str, i: int) -> bool:
    """Whether WORD_RE's scan of the text starts a word at i (which holds a
    letter or digit), rather than continuing one, directly or through a
    hyphen."""
    if i == 0:
        return True
    if _in_part(text, i - 1):
        return False
    return not (text[i - 1] in "-‐‑" and _in_part(text, i - 2))


def terms_of(text: str) -> list[str]:
    """The index terms of a text, in order."""
    return [t.text for t in analyze(text)]


def surface_words(text: str) -> set[str]:
    """Lower-cased surface words of a text (3 letters or more, no numbers):
    the vocabulary spelling suggestions are drawn from, so a suggestion is
    a word a person would type."""
    words = set()
    for word in set(WORD_RE.findall(fold(text))):
        if word.isalpha():  # most words: no hyphen, stress mark or digit
            if len(word) >= 3:
                words.add(word)
            continue
        for piece in _HYPHENS.sub("-", _INVISIBLE.sub("", word)).split("-"):
            if len(piece) >= 3 and not piece.isdigit():
                words.add(piece)
    return words
