"""The Atom feed of a search (/feed), read by a real feed parser."""
import re

import feedparser

from test_web import html


def test_feed_holds_the_newest_twenty_matches(client):
    response = client.get("/feed?q=energy")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.title == "energy · mlsearch"
    assert len(feed.entries) == 20
    dates = [e.updated[:10] for e in feed.entries]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2026-02-10"
    entry = feed.entries[0]
    assert entry.link.startswith("http://localhost/doc/") and entry.id == entry.link
    assert entry.title and entry.summary
    assert client.get(entry.link.removeprefix("http://localhost")).status_code == 200


def test_feed_keeps_the_search_filters(client):
    feed = feedparser.parse(client.get("/feed?q=energy&lang=ru&since=2020-01-01&until=2021-12-31").data)
    assert feed.entries and {e.tags[0].term for e in feed.entries} == {"ru"}
    assert {e.updated[:4] for e in feed.entries} <= {"2020", "2021"}
    # A feed reader's link back goes to the same search.
    assert feed.feed.link == "http://localhost/?q=energy&lang=ru&since=2020-01-01&until=2021-12-31"


def test_every_results_page_links_to_its_feed(client):
    page = html(client.get("/?q=energy&lang=en&page=2&sort=relevance"))
    href = "/feed?q=energy&amp;lang=en"
    assert f'<link rel="alternate" type="application/atom+xml" title="Feed of new results (Atom)" href="{href}">' in page
    assert re.search(rf'<a class="feed-link" href="{re.escape(href)}"[^>]*>Feed of new results', page)
    assert "application/atom+xml" not in html(client.get("/"))  # no search, no feed


def test_bad_feed_requests_are_400(client):
    assert client.get("/feed").status_code == 400
    response = client.get("/feed?q=energy+(")
    assert response.status_code == 400 and "unclosed" in html(response)
