"""The JSON API. Every bad parameter is a 400 with {"error": message}."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from search.index.layout import IndexUnavailable
from search.query import QueryError
from web import error_response, get_engine
from web.export import csv_response
from web.openapi import SPEC
from web.params import search_args, valid_doc_id

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    output = request.args.get("format") or "json"
    if output not in ("json", "csv"):
        return error_response(400, "format must be json or csv")
    try:
        result = get_engine().search(**search_args(request.args))
    except QueryError as e:
        return error_response(400, str(e))
    return csv_response(result) if output == "csv" else jsonify(result.to_dict())


@bp.get("/doc/<path:doc_id>")
def document(doc_id):
    if not valid_doc_id(doc_id):
        return error_response(400, "invalid document id")
    doc = get_engine().document(doc_id)
    if doc is None:
        return error_response(404, f"no document with id {doc_id!r}")
    return jsonify({**doc, "versions": [h.id for h in get_engine().versions(doc_id)]})


@bp.get("/health")
def health():
    try:
        stats = get_engine().stats()
    except IndexUnavailable as e:
        return jsonify(status="unavailable", error=str(e)), 503
    return jsonify(status="ok", documents=stats["documents"], generation=stats["generation"])


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(SPEC)
