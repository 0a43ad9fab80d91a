"""The web UI and JSON API through Flask's test client."""
from __future__ import annotations

import re
import shutil

import pytest

from helpers import IMG_PAYLOAD, LINKED_ID, SCRIPT_PAYLOAD, SCRIPT_URL_ID, XSS_ID
from search.index.writer import build
from web import create_app

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def html(response) -> str:
    return response.get_data(as_text=True)


def badges(page: str) -> list[str]:
    return re.findall(r'class="badge badge-(\w+)"', page.split('class="hits"', 1)[1].split("</ol>", 1)[0])


# -- search page -------------------------------------------------------------

def test_home_page_explains_the_syntax_in_both_languages(client):
    page = html(client.get("/"))
    assert 'id="help-heading"' in page
    assert "energy security" in page and "газопровод" in page
    assert 'href="/?q=title:pipeline"' in page


def test_search_shows_results_in_both_languages_with_highlights(client):
    response = client.get("/?q=energy&limit=50")
    page = html(response)
    assert response.status_code == 200
    assert "29 results" in page
    assert 'value="energy"' in page
    assert {"en", "ru"} <= set(badges(page))
    assert "<mark>Energy</mark>" in page and "<mark>энергии</mark>" in page
    assert re.search(r'class="translations">Also searched as:.*энергия', page, re.S)
    assert 'href="/doc/gen/en_00.txt?q=energy&amp;limit=50"' not in page  # the article link carries only q
    assert 'href="/doc/gen/en_00.txt?q=energy"' in page


def test_russian_query_highlights_every_inflected_form(client):
    page = html(client.get("/?q=энергетика&lang=ru"))
    assert "<mark>энергетики</mark>" in page


def test_language_filter_and_facets(client):
    page = html(client.get("/?q=energy&lang=ru"))
    assert set(badges(page)) == {"ru"}
    assert '<option value="ru" selected>' in page
    assert re.search(r'href="/\?q=energy&amp;lang=ru" aria-current="true">Russian</a> <span class="n">14<', page)
    assert 'href="/?q=energy">Both</a>' in page
    page = html(client.get("/?q=energy"))
    assert re.search(r'href="/\?q=energy&amp;lang=en">English</a> <span class="n">15<', page)


def test_year_facet_filters_by_date(client):
    page = html(client.get("/?q=energy"))
    link = re.search(r'href="(/\?q=energy&amp;since=2023-01-01&amp;until=2023-12-31)"', page).group(1)
    filtered = html(client.get(link.replace("&amp;", "&")))
    dates = re.findall(r'<time datetime="(\d{4})', filtered)
    assert dates and set(dates) == {"2023"}
    assert 'value="2023-01-01"' in filtered


def test_date_sort(client):
    hits = client.get("/api/search?q=energy&sort=date&limit=50").json["hits"]
    dates = [h["date"] for h in hits if h["date"]]
    assert dates == sorted(dates, reverse=True)


def test_pagination(client):
    first = html(client.get("/?q=energy"))
    assert 'aria-current="page" aria-label="Page 1"' in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = html(client.get("/?q=energy&page=3"))
    assert 'aria-current="page" aria-label="Page 3"' in last
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert '<ol class="hits" start="21">' in last


def test_translate_checkbox(client):
    page = html(client.get("/?q=energy&limit=50&translate=0"))
    assert "16 results" in page and 'class="translations"' not in page
    assert 'id="translate" name="translate" type="checkbox" value="1">' in page
    # The form sends the hidden "0" and the checked box's "1": on.
    page = html(client.get("/?q=energy&limit=50&translate=0&translate=1"))
    assert "29 results" in page
    assert 'value="1" checked>' in page


def test_did_you_mean(client):
    page = html(client.get("/?q=enrgy"))
    assert re.search(r'Did you mean:\s*<a href="/\?q=energy">energy</a>', page)


def test_no_results_suggests_dropping_filters(client):
    page = html(client.get("/?q=energy&lang=en&since=1990-01-01&until=1990-12-31"))
    assert "Nothing found" in page
    assert 'href="/?q=energy">Search again without the filters' in page


def test_untitled_article_is_named_by_its_first_words(client):
    page = html(client.get("/?q=energy&lang=ru&limit=50"))
    assert ">В рамках бизнес-миссии" in page


# -- bad input: a message and a 400, never a 500 -------------------------------

BAD_SEARCHES = [
    "lang=xx", "sort=best", "page=0", "page=abc", "page=-1", "page=1001", "limit=0", "limit=101",
    "limit=1.5", "since=2023-13-01", "since=yesterday", "until=2023-02-30", "translate=maybe",
]
BAD_QUERIES = ['"unclosed', "(energy", "energy)", "AND", "lang:xx", "date:2024..2023", "q" * 1001]


@pytest.mark.parametrize("args", BAD_SEARCHES)
def test_bad_parameters_are_400_in_the_api(client, args):
    response = client.get(f"/api/search?q=energy&{args}")
    assert response.status_code == 400
    assert response.is_json and response.json["error"]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_malformed_queries_are_400_in_the_api(client, query):
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code == 400
    assert response.json["error"]


def test_missing_query_is_400_in_the_api(client):
    assert client.get("/api/search").json == {"error": "empty query"}


@pytest.mark.parametrize("args", BAD_SEARCHES + [f"q={q}" for q in BAD_QUERIES[:3]])
def test_bad_input_on_the_search_page_is_a_message(client, args):
    response = client.get(f"/?q=energy&{args}" if not args.startswith("q=") else f"/?{args}")
    assert response.status_code == 400
    assert 'class="notice error" role="alert"' in html(response)


def test_overlong_query_is_refused_and_cut_in_the_box(client):
    response = client.get("/", query_string={"q": "x" * 5000})
    assert response.status_code == 400
    assert "query too long" in html(response)
    assert re.search(r'id="q" name="q" type="search" value="x{1000}"', html(response))


# -- injection ---------------------------------------------------------------

def test_query_echo_is_escaped(client):
    page = html(client.get("/", query_string={"q": SCRIPT_PAYLOAD + " " + IMG_PAYLOAD}))
    assert SCRIPT_PAYLOAD not in page and IMG_PAYLOAD not in page
    assert ESCAPED_SCRIPT in page


def test_article_payloads_are_inert_in_results(client):
    page = html(client.get("/?q=payload"))
    assert XSS_ID in page
    assert SCRIPT_PAYLOAD not in page and IMG_PAYLOAD not in page and "<img" not in page
    assert ESCAPED_SCRIPT in page


def test_article_payloads_are_inert_on_the_article_page(client):
    page = html(client.get(f"/doc/{XSS_ID}?q=payload"))
    assert SCRIPT_PAYLOAD not in page and IMG_PAYLOAD not in page and "<img" not in page
    assert ESCAPED_SCRIPT in page
    assert "<mark>payload</mark>" in page


def test_api_snippets_are_escaped_html(client):
    hit = next(h for h in client.get("/api/search?q=payload").json["hits"] if h["id"] == XSS_ID)
    assert SCRIPT_PAYLOAD not in hit["snippet"] and "<mark>payload</mark>" in hit["snippet"]


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/?q=energy", f"/doc/{XSS_ID}", "/about", "/nope"):
        page = html(client.get(url))
        assert "<script" not in page and "style=" not in page and "<style" not in page


def test_only_web_urls_become_links(client):
    page = html(client.get(f"/doc/{LINKED_ID.replace('#', '%23')}"))
    assert '<a href="https://example.com/turbines" rel="noopener noreferrer nofollow">' in page
    page = html(client.get(f"/doc/{SCRIPT_URL_ID.replace('#', '%23')}"))
    assert "Grid outage report" in page and "javascript:" not in page


# -- article page ------------------------------------------------------------

def test_article_page(client):
    page = html(client.get("/doc/gen/en_03.txt"))
    assert "<title>Energy ministers meet in Vienna · mlsearch</title>" in page
    assert '<div class="article-body" lang="en">Energy ministers from the region met in Vienna' in page
    assert '<time datetime="2022-04-13">' in page and "<code>gen/en_03.txt</code>" in page
    assert "<mark>" not in page


def test_article_highlights_the_query_and_its_translation(client):
    page = html(client.get("/doc/gen/ru_03.txt?q=energy"))
    assert "<mark>энергии</mark>" in page
    assert 'href="/?q=energy">← Back to the results' in page
    page = html(client.get("/doc/gen/en_03.txt?q=pipelines -energy"))
    assert "<mark>pipelines</mark>" in page and "<mark>Energy</mark>" not in page


def test_article_with_a_malformed_query_still_shows(client):
    response = client.get('/doc/gen/en_03.txt?q="unclosed')
    assert response.status_code == 200 and "<mark>" not in html(response)


def test_related_articles_put_the_counterpart_first(client):
    page = html(client.get("/doc/gen/ru_03.txt"))
    related = page.split('id="related-heading"', 1)[1]
    assert related.index('class="counterpart"') < related.index("<li>")
    assert re.search(r'class="counterpart">\s*<span class="label">In the other language</span>\s*'
                     r'<a href="/doc/gen/en_\d\d.txt" lang="en">', related)


@pytest.mark.parametrize("path", [
    "/doc/../../etc/passwd", "/doc/%2e%2e/%2e%2e/etc/passwd", "/doc/a/%2E%2E/b", "/doc/a%5Cb",
    "/doc/a%00b", "/doc/" + "a" * 600, "/api/doc/%2e%2e/%2e%2e/etc/passwd", "/api/doc/a%00b",
])
def test_invalid_document_ids_are_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "root:" not in html(response)


@pytest.mark.parametrize("path", ["/doc//etc/passwd", "/doc/nope.txt", "/api/doc/nope.txt"])
def test_unknown_documents_are_404(client, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json == {"error": "no document with id 'nope.txt'"}
    else:
        assert "There is no article with this id." in html(response)


# -- about, UI language --------------------------------------------------------

def test_about_page_shows_corpus_statistics(client):
    page = html(client.get("/about"))
    assert re.search(r"<dt>Documents</dt><dd>32</dd>", page)
    assert re.search(r"<th scope=\"row\">English</th><td class=\"n\">18</td>", page)
    assert re.search(r"<th scope=\"row\">2019</th><td class=\"n\">4</td>", page)
    assert "Index built" in page and re.search(r"<dt>Index size</dt><dd>[\d.]+ kB", page)


def test_accept_language_picks_russian(client):
    page = html(client.get("/?q=energy", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}))
    assert '<html lang="ru">' in page and "Найти" in page and "29 результатов" in page
    page = html(client.get("/", headers={"Accept-Language": "de,en;q=0.5"}))
    assert '<html lang="en">' in page


def test_ui_toggle_is_remembered(client):
    page = html(client.get("/?q=energy&ui=ru"))
    assert '<html lang="ru">' in page
    assert 'href="/?q=energy&amp;ui=en" lang="en" hreflang="en" class="ui-switch">English</a>' in page
    assert client.get_cookie("ui").value == "ru"
    assert '<html lang="ru">' in html(client.get("/about"))
    assert '<html lang="en">' in html(client.get("/about?ui=en"))
    assert client.get_cookie("ui").value == "en"


def test_responses_vary_on_language(client):
    assert {"Accept-Language", "Cookie"} <= set(client.get("/").vary)


# -- JSON API ----------------------------------------------------------------

def test_api_search(client):
    body = client.get("/api/search?q=energy&lang=en&page=2&limit=5").json
    assert set(body) >= {"query", "total", "took_ms", "hits", "translations", "suggestions", "facets"}
    assert body["total"] == 15 and body["page"] == 2 and body["limit"] == 5 and len(body["hits"]) == 5
    assert set(body["hits"][0]) == {"id", "title", "title_derived", "lang", "date", "source", "url", "score",
                                    "snippet", "versions"}
    assert {h["lang"] for h in body["hits"]} == {"en"}
    assert body["facets"]["year"]


def test_api_translate_false(client):
    on = client.get("/api/search?q=energy").json
    off = client.get("/api/search?q=energy&translate=false").json
    assert on["translations"] and not off["translations"]
    assert off["total"] < on["total"]


def test_api_document(client):
    doc = client.get("/api/doc/gen/en_00.txt").json
    assert doc["title"] == "Energy ministers meet in Baku" and doc["lang"] == "en"
    assert doc["body"].startswith("Energy ministers from the region met in Baku")


def test_api_health(client):
    assert client.get("/api/health").json == {"status": "ok", "documents": 32, "generation": "gen-000001"}


def test_api_errors_are_json(client):
    assert client.get("/api/nope").json["error"]
    response = client.post("/api/search")
    assert response.status_code == 405 and response.json["error"] and "GET" in response.headers["Allow"]


def test_openapi_describes_every_route(app, client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    served = {re.sub(r"<(?:path:)?(\w+)>", r"{\1}", r.rule).replace("{doc_id}", "{id}")
              for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert documented == served
    search = spec["paths"]["/api/search"]["get"]
    assert [p["name"] for p in search["parameters"]] == ["q", "lang", "since", "until", "sort", "page", "limit",
                                                         "translate", "format", "as_typed"]
    assert {"200", "400", "503"} <= set(search["responses"])
    assert {"200", "400", "404", "503"} <= set(spec["paths"]["/api/doc/{id}"]["get"]["responses"])
    for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', client.get("/api/openapi.json").get_data(as_text=True)):
        assert ref in spec["components"]["schemas"]


# -- security headers --------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/?q=energy", "/doc/gen/en_00.txt", "/about", "/nope", "/?lang=xx",
                                 "/api/search?q=energy", "/api/nope", "/static/style.css", "/api/openapi.json"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"


# -- the index: missing, rebuilt ---------------------------------------------

@pytest.fixture
def no_index_client(tmp_path):
    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "missing")}).test_client()


@pytest.mark.parametrize("url", ["/?q=energy", "/doc/gen/en_00.txt", "/about"])
def test_no_index_is_a_503_page(no_index_client, url):
    response = no_index_client.get(url)
    assert response.status_code == 503
    assert "Search is unavailable" in html(response) and "mlsearch index" in html(response)


def test_no_index_home_page_still_shows_help(no_index_client):
    assert no_index_client.get("/").status_code == 200


@pytest.mark.parametrize("url", ["/api/search?q=energy", "/api/doc/gen/en_00.txt"])
def test_no_index_is_a_503_in_the_api(no_index_client, url):
    response = no_index_client.get(url)
    assert response.status_code == 503 and "no index" in response.json["error"]


def test_no_index_health(no_index_client):
    response = no_index_client.get("/api/health")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_engine_is_shared_and_follows_a_rebuild(app, client, corpus, tmp_path):
    assert client.get("/api/search?q=quokka").json["total"] == 0
    engine = app.extensions["mlsearch_engine"].engine
    grown = tmp_path / "corpus"
    shutil.copytree(corpus, grown)
    (grown / "quokka.txt").write_text(" date 2024-05-01\n\nQuokka photos\n\nA quokka was photographed on the island.\n",
                                        encoding="utf-8")
    build(grown, app.config["INDEX_DIR"])
    assert client.get("/api/search?q=quokka").json["total"] == 1
    assert app.extensions["mlsearch_engine"].engine is engine


def test_malformed_query_page_offers_its_plain_words(client):
    page = html(client.get("/?q=energy+(security+OR"))
    assert 'Search these words instead: <a href="/?q=energy+security">energy security</a>' in page
    # A query whose fault is no syntax offers nothing.
    assert "Search these words instead" not in html(client.get("/?q=energy&lang=xx"))


def test_no_such_month(client):
    response = client.get("/api/search?q=gas+date:2023-13")
    assert response.status_code == 400 and response.get_json()["error"] == "bad date '2023-13': no such month"
