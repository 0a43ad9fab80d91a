"""A search's options checked and combined with the query's own filters:
sort, page, limit, languages and dates. Shared by every engine (engine.py,
cluster.py) and by the web parameters."""
from __future__ import annotations

import datetime as dt

from search import query as q
from search.languages import DOCUMENT_LANGUAGE_CHOICES, DOCUMENT_LANGUAGES

SORTS = ("relevance", "date")
MAX_LIMIT = 1000  # results a page may hold: a batch run asks for 100 or more
MAX_PAGE = 1000


def parse_search(query, lang, since, until, sort, page, limit):
    """(parsed query, languages, since, until) of a search's options, the
    query's own filters applied; QueryError for a bad one."""
    parsed = q.parse(query)
    if sort not in SORTS:
        raise q.QueryError(f"unknown sort {sort!r}: use relevance or date")
    if not (1 <= limit <= MAX_LIMIT):
        raise q.QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if not (1 <= page <= MAX_PAGE):
        raise q.QueryError(f"page must be between 1 and {MAX_PAGE}")
    langs = set(parsed.langs)
    if lang:
        for code in lang.split(","):
            if code not in DOCUMENT_LANGUAGES:
                raise q.QueryError(f"unknown language {code!r}: use {DOCUMENT_LANGUAGE_CHOICES}")
        langs = (langs & set(lang.split(","))) if langs else set(lang.split(","))
        if not langs:
            langs = {"none"}
    since = _date_bound(since, end=False) if since else None
    until = _date_bound(until, end=True) if until else None
    since = max(filter(None, (since, parsed.since)), default=None)
    until = min(filter(None, (until, parsed.until)), default=None)
    return parsed, langs, since, until


def _date_bound(value, end: bool) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return q.parse_date_bound(str(value), end=end)
