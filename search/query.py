"""Query parsing: the user's query string -> a small syntax tree plus filters.

Syntax (documented in the README):
    gas pipeline            plain words: documents matching more of them rank first
    "energy security"       a phrase; it matches across inflection
    gas AND Azerbaijan      both required; OR, NOT and -word / +word work too
    (gas OR oil) -Iran      grouping
    title:pipeline          a word or "phrase" in the title only (body: likewise)
    lang:ru                 only Russian articles (en, ru, other)
    date:2023  date:2022-01..2023-06-30  date:..2021   a date range
    source:Trend            only articles from that outlet
    oil[+мазут,-масло]      add or drop translations of one word
    Gazp*                   words that start so (MIN_PREFIX letters or more)
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from search.index.layout import TEXT_FIELDS
from search.languages import DOCUMENT_LANGUAGE_CHOICES, DOCUMENT_LANGUAGES

MAX_QUERY_CHARS = 1000
MAX_WORDS = 200
MAX_DEPTH = 16
# Letters a prefix query needs: "Ga*" would stand for hundreds of words.
MIN_PREFIX = 3


class QueryError(ValueError):
    """A malformed query; str() is a message for the user."""


@dataclass(frozen=True)
class Word:
    text: str  # surface word, possibly with a [+add,-drop] suffix
    field: str | None = None


@dataclass(frozen=True)
class Prefix:
    """`Gazp*`: the corpus's words that start with `text`, never translated."""
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None


@dataclass(frozen=True)
class Seq:
    """Juxtaposed clauses: any may match, more matches rank higher;
    Must children are required and Not children excluded."""
    items: tuple


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class Must:
    item: object


# The leaves of a plan: the tree above with each Word and Phrase resolved
# into index terms (translate/planner.py), which ranking scores.

@dataclass(frozen=True)
class TermGroup:
    """One query word: its index terms, scored as a single term."""
    terms: tuple[str, ...]
    fields: tuple[str, ...] = TEXT_FIELDS
    weights: tuple[float, ...] | None = None  # per term; None: all 1


@dataclass(frozen=True)
class PhraseGroup:
    """Words that must stand next to each other (by index position)."""
    terms: tuple[str, ...]
    fields: tuple[str, ...] = TEXT_FIELDS


@dataclass
class ParsedQuery:
    root: object | None  # None when the query holds only filters
    langs: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    sources: tuple[str, ...] = ()
    words: list[Word] = field(default_factory=list)  # every Word, for suggestions
    prefixes: list[Prefix] = field(default_factory=list)


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>[A-Za-z]+):(?=[^\s)])
  | (?P<phrase>"[^"]*"|«[^»]*»|“[^”]*”)
  | (?P<quote>["«“])
  | (?P<word>[^\s()"«»“”\[]+(?:\[[^\]]*\])?|\[[^\]]*\]?)
""", re.VERBOSE)

_FIELDS = {"title", "body", "lang", "date", "source"}


def parse_date_bound(text: str, end: bool) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD; `end` picks the last day of a partial date."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not m:
        raise QueryError(f"bad date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        raise QueryError(f"bad date {text!r}: no such month")
    try:
        if day:
            return dt.date(year, int(month), int(day))
        if month:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            following = dt.date(year + int(month) // 12, int(month) % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        raise QueryError(f"bad date {text!r}: no such day")


def parse_date_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    if ".." in text:
        lo, _, hi = text.partition("..")
        since = parse_date_bound(lo, end=False) if lo else None
        until = parse_date_bound(hi, end=True) if hi else None
        if since and until and since > until:
            raise QueryError(f"empty date range {text!r}: the start is after the end")
        return since, until
    return parse_date_bound(text, end=False), parse_date_bound(text, end=True)


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # only a lone '[' can get here
            raise QueryError(f"unexpected {text[pos]!r} at position {pos + 1}")
        kind = m.lastgroup
        if kind == "quote":
            raise QueryError(f"unclosed quote at position {pos + 1}")
        if kind != "space":
            out.append((kind, m.group()))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0
        self.result = ParsedQuery(root=None)
        self.depth = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self) -> ParsedQuery:
        root = self.or_expr()
        if self.i < len(self.tokens):
            raise QueryError("unmatched ')'")
        self.result.root = root
        return self.result

    def or_expr(self):
        items = [self.seq()]
        while self.peek() == ("word", "OR"):
            self.take()
            if self.peek()[0] in (None, "rparen"):
                raise QueryError("'OR' needs a word on both sides")
            items.append(self.seq())
        items = [x for x in items if x is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def seq(self):
        items = []
        while True:
            kind, text = self.peek()
            if kind is None or kind == "rparen" or (kind, text) == ("word", "OR"):
                break
            item = self.and_expr()
            if item is not None:
                items.append(item)
        if not items:
            return None
        return items[0] if len(items) == 1 and not isinstance(items[0], Not) else Seq(tuple(items))

    def and_expr(self):
        items = [self.unary()]
        while self.peek() == ("word", "AND"):
            self.take()
            if self.peek()[0] in (None, "rparen"):
                raise QueryError("'AND' needs a word on both sides")
            items.append(self.unary())
        items = [x for x in items if x is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self):
        kind, text = self.peek()
        if (kind, text) == ("word", "NOT"):
            self.take()
            item = self.unary()
            return Not(item) if item is not None else None
        if kind == "word" and len(text) > 1 and text[0] in "-+" and text[1] not in "-+":
            self.tokens[self.i] = ("word", text[1:])
            item = self.unary()
            if item is None:
                return None
            return Not(item) if text[0] == "-" else Must(item)
        return self.primary()

    def primary(self, field_name: str | None = None):
        kind, text = self.take()
        if kind is None:
            raise QueryError("the query ends where a word was expected")
        if kind in ("lparen",):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"too deeply nested: at most {MAX_DEPTH} levels of parentheses")
            inner = self.or_expr()
            if self.take()[0] != "rparen":
                raise QueryError("unclosed '('")
            self.depth -= 1
            return inner if field_name is None else _with_field(inner, field_name)
        if kind == "rparen":
            raise QueryError("unmatched ')'")
        if kind == "phrase":
            words = tuple(text[1:-1].split())
            return Phrase(words, field_name) if words else None
        if kind == "field":
            name = text[:-1].lower()
            if name not in _FIELDS:
                # Not one of ours (e.g. "10:30"): read it as plain text.
                nxt = self.take()
                return self._word(text + (nxt[1] or ""), field_name)
            if field_name is not None:
                raise QueryError(f"'{name}:' cannot stand inside another field")
            if name in ("lang", "date", "source"):
                self._filter(name)
                return None
            return self.primary(name)
        if kind == "word" and text in ("AND", "OR"):
            raise QueryError(f"'{text}' needs a word on both sides")
        return self._word(text, field_name)

    def _word(self, text, field_name):
        if text.endswith("*"):
            return self._prefix(text, field_name)
        word = Word(text, field_name)
        self.result.words.append(word)
        if len(self.result.words) > MAX_WORDS:
            raise QueryError(f"too many words: at most {MAX_WORDS}")
        return word

    def _prefix(self, text, field_name):
        stem = text[:-1]
        if not stem.isalpha() or len(stem) < MIN_PREFIX:
            raise QueryError(f"{text!r}: a prefix search needs at least {MIN_PREFIX} letters before '*', "
                             f"and letters only")
        prefix = Prefix(stem, field_name)
        self.result.prefixes.append(prefix)
        if len(self.result.words) + len(self.result.prefixes) > MAX_WORDS:
            raise QueryError(f"too many words: at most {MAX_WORDS}")
        return prefix

    def _filter(self, name):
        kind, value = self.take()
        if kind not in ("word", "phrase"):
            raise QueryError(f"'{name}:' needs a value")
        value = value.strip('"«»“”')
        if name == "lang":
            langs = tuple(v.lower() for v in value.split(","))
            bad = [v for v in langs if v not in DOCUMENT_LANGUAGES]
            if bad:
                raise QueryError(f"unknown language {bad[0]!r}: use {DOCUMENT_LANGUAGE_CHOICES}")
            self.result.langs = tuple(sorted(set(self.result.langs) | set(langs)))
        elif name == "date":
            self.result.since, self.result.until = parse_date_range(value)
        else:
            self.result.sources = self.result.sources + (value,)


def _with_field(node, field_name):
    if isinstance(node, Word):
        return Word(node.text, field_name)
    if isinstance(node, Phrase):
        return Phrase(node.words, field_name)
    if isinstance(node, Prefix):
        return Prefix(node.text, field_name)
    if isinstance(node, (Not, Must)):
        return type(node)(_with_field(node.item, field_name))
    if isinstance(node, (Seq, And, Or)):
        return type(node)(tuple(_with_field(x, field_name) for x in node.items))
    return node


_PLAIN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def plain_words(text: str) -> str:
    """The words of a query without its syntax (operators, fields, quotes,
    brackets): what a malformed query's page offers to search instead."""
    text = re.sub(r"\b(?:lang|date|source):\S*|\b[A-Za-z]+:(?=\S)", " ", text, flags=re.I)
    words = [w for w in _PLAIN_WORD.findall(text) if w not in ("AND", "OR", "NOT")]
    return " ".join(words)


def parse(text: str) -> ParsedQuery:
    """Parse a query string; QueryError with a message when malformed."""
    if not isinstance(text, str) or not text.strip():
        raise QueryError("empty query")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: at most {MAX_QUERY_CHARS} characters")
    if "\x00" in text:
        raise QueryError("the query holds a NUL character")
    return _Parser(_tokens(text)).parse()
