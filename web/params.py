"""The request parameters the search page and the JSON API share, checked:
every bad one is a QueryError, which both answer with a 400."""
from __future__ import annotations

from search.options import MAX_PAGE, SORTS
from search.ingest import id_fault
from search.languages import DOCUMENT_LANGUAGE_CHOICES, DOCUMENT_LANGUAGES
from search.query import MAX_QUERY_CHARS, QueryError

# Results a page may hold: a web client needs no more (the engine allows
# MAX_LIMIT, for batch runs).
PAGE_LIMIT = 100
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")

def _int_arg(args, name: str, default: int, highest: int) -> int:
    value = args.get(name, "")
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= highest:
        raise QueryError(f"{name} must be a whole number from 1 to {highest}")
    return int(value)


def _bool_arg(args, name: str, default: bool) -> bool:
    # The last value wins: the search form sends a hidden "0" before its checkbox's "1".
    values = args.getlist(name)
    if not values:
        return default
    value = values[-1].lower()
    if value not in _TRUE + _FALSE:
        raise QueryError(f"{name} must be true or false")
    return value in _TRUE


def search_args(args) -> dict:
    """Engine.search keyword arguments from request arguments; QueryError
    for a bad one (the engine checks the query text and dates itself)."""
    query = args.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: at most {MAX_QUERY_CHARS} characters")
    lang = args.get("lang") or None
    if lang is not None and lang not in DOCUMENT_LANGUAGES:
        raise QueryError(f"unknown language {lang!r}: use {DOCUMENT_LANGUAGE_CHOICES}")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use relevance or date")
    return {"query": query, "lang": lang, "since": args.get("since") or None, "until": args.get("until") or None,
            "sort": sort, "page": _int_arg(args, "page", 1, MAX_PAGE),
            "limit": _int_arg(args, "limit", 10, PAGE_LIMIT), "translate": _bool_arg(args, "translate", True),
            "as_typed": _bool_arg(args, "as_typed", False)}


def feed_args(args) -> list[tuple[str, str]]:
    """The search parameters a feed keeps (web/feed.py): the query and its
    filters, not the page, order or page size."""
    return [(name, value) for name in ("q", "lang", "since", "until", "translate")
            for value in args.getlist(name)[-1:] if value]


def valid_doc_id(doc_id: str) -> bool:
    """Ids are relative corpus paths (plus '#n' for a record). The engine
    looks them up in the index, never on disk; odd ones are refused anyway,
    by the rule the indexer skips files by, so that every id indexed opens."""
    return not id_fault(doc_id)
