"""The web UI and JSON API over one index: `create_app(config)`.

Config: INDEX_DIR (the index directory), LEXICONS (extra lexicon files) and
SEMANTIC (fuse the semantic channel); BACKEND, a sphinxql:// URL, serves a
cluster instead (search/cluster.py).
"""
from __future__ import annotations

import threading
from urllib.parse import quote, urlencode

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from search import caches
from search.engine import Engine
from search.index.layout import IndexUnavailable
from web import i18n
from web.security import add_security_headers


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR="indexes/corpus", LEXICONS=[], SEMANTIC=False)
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.extensions["mlsearch_engine"] = _EngineSlot()

    from web import api, feed, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feed.bp)
    app.after_request(_remember_ui_language)
    app.after_request(add_security_headers)
    app.context_processor(_template_globals)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(IndexUnavailable, _index_unavailable)
    app.teardown_request(_trim_caches)
    return app


class _EngineSlot:
    """The app's one Engine, opened on first use so that the app starts (and
    answers 503) before the index is built. The Engine itself is thread-safe
    and follows rebuilds of the index."""

    def __init__(self):
        self.lock = threading.Lock()
        self.engine = None


def get_engine() -> Engine:
    """The app's Engine; NoIndex (-> 503) while there is no index."""
    slot = current_app.extensions["mlsearch_engine"]
    with slot.lock:
        if slot.engine is None:
            if current_app.config.get("BACKEND"):
                from search.cluster import ClusterEngine

                slot.engine = ClusterEngine(current_app.config["BACKEND"], current_app.config["LEXICONS"])
            else:
                slot.engine = Engine(current_app.config["INDEX_DIR"], current_app.config["LEXICONS"],
                                     semantic=current_app.config["SEMANTIC"])
        return slot.engine


def _trim_caches(error) -> None:
    """Keep the analysis caches to a server's bounds (search/caches.py)."""
    caches.trim()


# -- UI language -------------------------------------------------------------

def ui_language() -> str:
    if "ui_lang" not in g:
        g.ui_lang = i18n.choose(request.args.get("ui"), request.cookies.get(i18n.COOKIE),
                                request.accept_languages)
    return g.ui_lang


def t(key: str, **values) -> str:
    return i18n.translator(ui_language())(key, **values)


def _remember_ui_language(response):
    chosen = request.args.get("ui")
    if chosen in i18n.UI_LANGUAGES:
        response.set_cookie(i18n.COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def url_with(**changes) -> str:
    """This page's URL with some query parameters changed (None drops one)."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = [value]
    query = urlencode(args, doseq=True)
    return quote(request.path) + ("?" + query if query else "")


def _template_globals() -> dict:
    lang = ui_language()
    other = "ru" if lang == "en" else "en"
    return {"t": i18n.translator(lang), "ui_lang": lang, "other_ui_lang": other,
            "ui_switch_url": url_with(ui=other), "url_with": url_with}


# -- errors: JSON under /api/, a page elsewhere ------------------------------

def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str):
    if wants_json():
        return jsonify(error=message), status
    titles = {404: "not_found", 503: "unavailable", 500: "server_error"}
    return render_template("error.html", title=t(titles.get(status, "error")), message=message), status


def _http_error(e: HTTPException):
    response = make_response(error_response(e.code or 500, e.description or e.name))
    for name, value in e.get_headers():  # e.g. Allow on a 405
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _index_unavailable(e: IndexUnavailable):
    return error_response(503, str(e))
