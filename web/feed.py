"""Alerts: `GET /feed?q=…` is an Atom feed (RFC 4287) of the newest articles
that match a search, with the search page's filters, for a feed reader."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, request, url_for

from search.query import QueryError
from web import error_response, get_engine, t
from web.params import feed_args, search_args

bp = Blueprint("feed", __name__)

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 20  # the newest matches a feed holds


@bp.get("/feed")
def feed():
    try:
        options = search_args(request.args)
        if not options["query"].strip():
            raise QueryError("a feed needs a query: /feed?q=…")
        engine = get_engine()
        result = engine.search(**{**options, "sort": "date", "page": 1, "limit": ENTRIES})
    except QueryError as e:
        return error_response(400, str(e))
    built = _built(engine.stats().get("built"))
    return Response(_atom(options["query"], result, built, engine), mimetype="application/atom+xml")


def _atom(query: str, result, built: str, engine) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _child(root, "title", f"{query} · {t('site')}")
    _child(root, "id", request.url)
    _child(root, "link", rel="self", href=request.url)
    _child(root, "link", rel="alternate", type="text/html",
           href=url_for("pages.search", _external=True) + "?" + urlencode(feed_args(request.args)))
    dates = [_day(h.date) for h in result.hits if h.date]
    _child(root, "updated", max(dates, default=built))
    author = _child(root, "author")
    _child(author, "name", t("site"))
    for hit in result.hits:
        page = url_for("pages.document", doc_id=hit.id, _external=True)
        entry = _child(root, "entry")
        _child(entry, "id", page)
        _child(entry, "title", hit.title or t("untitled"))
        _child(entry, "link", rel="alternate", type="text/html", href=page)
        _child(entry, "updated", _day(hit.date) if hit.date else built)
        if hit.source:
            _child(_child(entry, "author"), "name", hit.source)
        _child(entry, "category", term=hit.lang)
        _child(entry, "summary", "".join(text for text, _ in hit.fragments))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _child(parent, tag: str, text: str | None = None, **attributes):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _day(date: str) -> str:
    return f"{date}T00:00:00Z"


def _built(stamp: str | None) -> str:
    """The index's build time in RFC 3339 (the manifest writes +0000)."""
    if not stamp:
        return "1970-01-01T00:00:00Z"
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z").isoformat()
