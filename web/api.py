"""The JSON API, and the parameter checks the search page shares with it.

Every bad parameter is a 400 with {"error": message}.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from search.ingest import id_fault
from search.engine import MAX_PAGE, SORTS
from search.index.layout import IndexUnavailable
from search.query import MAX_QUERY_CHARS, QueryError
from web import error_response, get_engine

LANGS = ("en", "ru", "other")
MAX_LIMIT = 100  # per page; the engine allows more, a web client needs no more
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")

bp = Blueprint("api", __name__, url_prefix="/api")


def _int_arg(args, name: str, default: int, highest: int) -> int:
    value = args.get(name, "")
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= highest:
        raise QueryError(f"{name} must be a whole number from 1 to {highest}")
    return int(value)


def _translate_arg(args) -> bool:
    # The last value wins: the search form sends a hidden "0" before its checkbox's "1".
    values = args.getlist("translate")
    value = values[-1].lower() if values else "true"
    if value not in _TRUE + _FALSE:
        raise QueryError("translate must be true or false")
    return value in _TRUE


def search_args(args) -> dict:
    """Engine.search keyword arguments from request arguments; QueryError
    for a bad one (the engine checks the query text and dates itself)."""
    query = args.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: at most {MAX_QUERY_CHARS} characters")
    lang = args.get("lang") or None
    if lang is not None and lang not in LANGS:
        raise QueryError(f"unknown language {lang!r}: use en, ru or other")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use relevance or date")
    return {"query": query, "lang": lang, "since": args.get("since") or None, "until": args.get("until") or None,
            "sort": sort, "page": _int_arg(args, "page", 1, MAX_PAGE),
            "limit": _int_arg(args, "limit", 10, MAX_LIMIT), "translate": _translate_arg(args)}


def valid_doc_id(doc_id: str) -> bool:
    """Ids are relative corpus paths (plus '#n' for a record). The engine
    looks them up in the index, never on disk; odd ones are refused anyway,
    by the rule the indexer skips files by, so that every id indexed opens."""
    return not id_fault(doc_id)


@bp.get("/search")
def search():
    try:
        result = get_engine().search(**search_args(request.args))
    except QueryError as e:
        return error_response(400, str(e))
    return jsonify(result.to_dict())


@bp.get("/doc/<path:doc_id>")
def document(doc_id):
    if not valid_doc_id(doc_id):
        return error_response(400, "invalid document id")
    doc = get_engine().document(doc_id)
    if doc is None:
        return error_response(404, f"no document with id {doc_id!r}")
    return jsonify(doc)


@bp.get("/health")
def health():
    try:
        stats = get_engine().stats()
    except IndexUnavailable as e:
        return jsonify(status="unavailable", error=str(e)), 503
    return jsonify(status="ok", documents=stats["documents"], generation=stats["generation"])


@bp.get("/openapi.json")
def openapi_json():
    from web.openapi import SPEC  # it reads this module's limits, so it comes after it

    return jsonify(SPEC)
