"""The timeline (an inline SVG histogram) and the period facets on the
results page, through the real app."""
import re

from test_web import html


def bars(page: str) -> list[tuple[str, str]]:
    """(link, accessible name) of each bar of the page's timeline."""
    svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S).group()
    return re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', svg)


def dates(page: str) -> list[str]:
    return re.findall(r'<time datetime="([\d-]+)"', page)


def test_timeline_by_year_links_each_bar_to_its_year(client):
    page = html(client.get("/?q=energy"))
    found = bars(page)
    assert [name for _, name in found] == ["2019: 4 results", "2020: 4 results", "2021: 4 results",
                                           "2022: 5 results", "2023: 5 results", "2024: 4 results",
                                           "2025: 0 results", "2026: 1 result"]
    link = found[0][0].replace("&amp;", "&")
    assert link == "/?q=energy&since=2019-01-01&until=2019-12-31"
    filtered = html(client.get(link))
    assert dates(filtered) and {d[:4] for d in dates(filtered)} == {"2019"}
    # A chosen year is drawn by its months.
    assert [name for _, name in bars(filtered)][:2] == ["2019-01: 2 results", "2019-02: 0 results"]
    assert len(bars(filtered)) == 12


def test_month_bar_filters_by_its_month(client):
    page = html(client.get("/?q=energy&since=2023-01-01&until=2023-12-31"))
    link = dict((name, href) for href, name in bars(page))["2023-05: 3 results"].replace("&amp;", "&")
    assert link == "/?q=energy&since=2023-05-01&until=2023-05-31"
    filtered = html(client.get(link))
    assert dates(filtered) and {d[:7] for d in dates(filtered)} == {"2023-05"}
    assert re.search(r'<a href="[^"]+" aria-label="2023-05: 3 results" aria-current="true"', filtered)


def test_few_years_are_drawn_by_month(client):
    page = html(client.get("/?q=turbine+OR+outage"))
    assert [name for _, name in bars(page)][5] == "2021-06: 2 results"


def test_timeline_is_inline_svg_without_script_or_style(client):
    page = html(client.get("/?q=energy"))
    svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S).group()
    assert "style" not in svg and "script" not in svg and "on" not in re.findall(r"\s(on)\w+=", svg)


def test_year_facet_has_an_undated_bucket_that_adds_up(client):
    page = html(client.get("/?q=energy"))
    assert re.search(r'class="undated">undated <span class="n">2<', page)
    counts = re.search(r"<h3>Year</h3>(.*?)</ul>", page, re.S).group(1)
    assert sum(int(n) for n in re.findall(r'class="n">(\d+)<', counts)) == 29
    body = client.get("/api/search?q=energy").get_json()
    assert body["facets"]["year"]["undated"] == 2
    assert sum(body["facets"]["year"].values()) == body["total"]


def test_month_facet_of_a_chosen_year(client):
    page = html(client.get("/?q=energy&since=2023-01-01&until=2023-12-31"))
    months = re.search(r"<h3>Month</h3>(.*?)</ul>", page, re.S).group(1)
    assert re.search(r'href="/\?q=energy&amp;since=2023-11-01&amp;until=2023-11-30">2023-11</a> <span class="n">2<',
                     months)
    assert client.get("/api/search?q=energy&since=2023-01-01&until=2023-12-31").get_json()["facets"]["month"] == \
        {"2023-05": 3, "2023-11": 2}
