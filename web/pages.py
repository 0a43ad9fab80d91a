"""The HTML pages: search, article, about."""
from __future__ import annotations

import math
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, render_template, request, url_for

from search import query as q
from search.analysis import terms_of
from search.options import MAX_PAGE
from search.languages import CODES
from search.snippets import highlight_all
from web import error_response, get_engine, t, url_with
from web.params import feed_args, search_args, valid_doc_id
from web.timeline import bounds, timeline_svg

bp = Blueprint("pages", __name__)


def _titles(hits) -> dict[str, str]:
    # Ingest derives a headline for an article without one (ingest/headlines.py).
    return {h.id: h.title or t("untitled") for h in hits}


@bp.get("/")
def search():
    query = request.args.get("q", "")
    result = error = None
    options, titles, vectors = {}, {}, None
    try:
        options = search_args(request.args)
        if query.strip():
            engine = get_engine()
            result = engine.search(**options)
            titles = _titles(result.hits)
            vectors = engine.vector_progress()
    except q.QueryError as e:
        error = str(e)
    instead = _words_instead(query) if error else None
    form = {"q": query[:q.MAX_QUERY_CHARS], "lang": request.args.get("lang", ""),
            "since": request.args.get("since", ""), "until": request.args.get("until", ""),
            "sort": request.args.get("sort", "relevance"), "translate": options.get("translate", True)}
    filtered = any(form[name] for name in ("lang", "since", "until"))
    pages = _page_links(result.page, math.ceil(result.total / result.limit)) if result else []
    timeline = timeline_svg(result.facets, lambda since, until: url_with(since=since, until=until, page=None),
                            (form["since"], form["until"]),
                            lambda period, n: f"{period}: {t('results', n=n)}" if period else t("timeline")) \
        if result else ""
    feed = url_for("feed.feed") + "?" + urlencode(feed_args(request.args)) if result else None
    return render_template("search.html", form=form, result=result, error=error, filtered=filtered,
                           pages=pages, titles=titles, timeline=timeline,
                           period_bounds=bounds, feed=feed, instead=instead,
                           vectors=vectors), 400 if error else 200


def _words_instead(query: str) -> str | None:
    """A malformed query's plain words, when they make another query."""
    words = q.plain_words(query[:q.MAX_QUERY_CHARS])
    if not words or words == query.strip():
        return None
    try:
        q.parse(words)
    except q.QueryError:
        return None
    return words


def _page_links(current: int, count: int) -> list[int | None]:
    """Page numbers to link: the first, the last and two either side of the
    current one; None where numbers are left out."""
    count = min(count, MAX_PAGE)
    shown = sorted({1, count} | set(range(max(1, current - 2), min(count, current + 2) + 1)))
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out if count > 1 else []


@bp.get("/doc/<path:doc_id>")
def document(doc_id):
    if not valid_doc_id(doc_id):
        return error_response(400, t("bad_id"))
    engine = get_engine()
    doc = engine.document(doc_id)
    if doc is None:
        return error_response(404, t("no_document"))
    query = request.args.get("q", "")[:q.MAX_QUERY_CHARS]
    terms = _matched_terms(engine, query, doc.get("lang"))
    best, confident = engine.counterpart(doc_id)
    counterpart = [best] if best and confident else []
    versions = engine.versions(doc_id)
    # A version is listed as such, not again as a related article.
    related = ([best] if best and not confident else []) + \
        [h for h in engine.similar(doc_id, limit=5) if h.id not in {v.id for v in versions}]
    url = doc.get("url") or ""  # a corpus file's url may be anything: link only web addresses
    return render_template("document.html", doc=doc, query=query,
                           link=url if urlsplit(url).scheme in ("http", "https") else None,
                           heading=doc.get("title") or t("untitled"),
                           title=highlight_all(doc.get("title", ""), terms),
                           body=highlight_all(doc.get("body", ""), terms),
                           counterpart=counterpart, related=related, versions=versions,
                           titles=_titles(counterpart + related + versions))


def _matched_terms(engine, query: str, lang: str | None) -> set[str]:
    """The index terms a search for `query` matches in an article in `lang`:
    those of the query's words and of their translations."""
    if not query.strip():
        return set()
    try:
        result = engine.search(query, lang=lang if lang in CODES else None, limit=1,
                               with_snippets=False, suggest=False)
        parsed = q.parse(result.query)  # as meant, when typed in the wrong layout
    except q.QueryError:
        return set()
    terms = set(terms_of(" ".join(_positive_words(parsed.root))))
    for translation in result.translations:
        terms.update(translation["terms"])
    return terms


def _positive_words(node) -> list[str]:
    """The words a match can show: not the excluded ones, nor the filters."""
    if node is None or isinstance(node, (q.Not, q.Prefix)):  # a prefix's words come with its report
        return []
    if isinstance(node, q.Word):
        return [node.text.split("[", 1)[0]]
    if isinstance(node, q.Phrase):
        return list(node.words)
    if isinstance(node, q.Must):
        return _positive_words(node.item)
    return [word for item in node.items for word in _positive_words(item)]


@bp.get("/about")
def about():
    stats = get_engine().stats()
    return render_template("about.html", stats=stats)
