"""What a newsroom expects (issue 17): derived headlines, outlets and one
story once, through the real index, Flask app and CLI over agency-style files."""
import json
import re

import pytest
from click.testing import CliRunner

from search.cli import main
from search.index.writer import build
from web import create_app

GAZPROM = "Газпром увеличил поставки газа в Китай на треть"
NEWS = {
    "ria/ria-1001.txt": (" date 2023-10-11 14:52 (UTC+03:00)\nМОСКВА, 11 окт - РИА Новости. "
                         f"{GAZPROM}. Об этом сообщили в компании, отметив рост спроса на топливо зимой. "
                         "Поставки идут по газопроводу «Сила Сибири»."),
    "ria/ria-1002.txt": (" date 2023-10-12\nС.-ПЕТЕРБУРГ, 12 окт – РИА Новости, Анна Петрова. "
                         "Новый мост через Неву откроют весной. Строители завершили монтаж пролётов, "
                         "сообщили в администрации города."),
    "tass-7.txt": ("МОСКВА, 5 марта. /ТАСС/. Переговоры о поставках нефти продолжатся в Баку. "
                   "Делегации обсудят цены и объёмы экспорта в следующем году."),
    "en/reuters/17.txt": (" date 1987-02-26\nOil Prices Rise In London Trading\n\n"
                          "LONDON (Reuters) - Oil prices rose on Monday as traders bet on lower output "
                          "from the Gulf. Brent crude gained a dollar in early trading, dealers said."),
    "en/bbc/business-001.txt": ("Shares in the pipeline operator jumped after it reported record profits "
                                "for the year. The company said demand for gas in Europe had grown "
                                "faster than expected, and it raised its dividend."),
}


@pytest.fixture(scope="module")
def news_index(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("news")
    for name, text in NEWS.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("news-ix") / "ix"
    build(corpus, index)
    return index


@pytest.fixture
def client(news_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(news_index), "LEXICONS": []}).test_client()


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# ---------------------------------------------------------------- headlines

def test_api_gives_the_derived_headline_and_says_so(client):
    hits = {h["id"]: h for h in client.get("/api/search?q=поставки&limit=20").json["hits"]}
    assert (hits["ria/ria-1001.txt"]["title"], hits["ria/ria-1001.txt"]["title_derived"]) == (GAZPROM, True)
    assert hits["tass-7.txt"]["title"] == "Переговоры о поставках нефти продолжатся в Баку"
    doc = client.get("/api/doc/en/reuters/17.txt").json
    assert (doc["title"], doc["title_derived"]) == ("Oil Prices Rise In London Trading", False)


def test_title_search_finds_the_shown_headline(client):
    ids = [h["id"] for h in client.get("/api/search?q=title:Газпром").json["hits"]]
    assert ids == ["ria/ria-1001.txt"]
    ids = [h["id"] for h in client.get("/api/search?q=title:мост").json["hits"]]
    assert ids == ["ria/ria-1002.txt"]


def test_cli_and_web_show_the_same_headline(client, news_index):
    result = cli("search", "title:Газпром", "--index", news_index)
    assert result.exit_code == 0, result.output
    assert f"1. {GAZPROM}  [ru · 2023-10-11" in result.output
    page = client.get("/?q=title:Газпром").get_data(as_text=True)
    heading = re.search(r'<a class="hit-link"[^>]*>(.*?)</a>', page).group(1)
    assert heading == GAZPROM
    page = client.get("/doc/ria/ria-1001.txt").get_data(as_text=True)
    assert f"<title>{GAZPROM} ·" in page and "МОСКВА, 11 окт" not in page.split("<h1", 1)[1].split("</h1>")[0]


# ---------------------------------------------------------------- outlets

OUTLETS = {"ria/ria-1001.txt": "RIA Novosti", "ria/ria-1002.txt": "RIA Novosti", "tass-7.txt": "TASS",
           "en/reuters/17.txt": "Reuters", "en/bbc/business-001.txt": "BBC"}


def test_outlets_from_datelines_and_folders(client):
    for doc_id, outlet in OUTLETS.items():
        assert client.get(f"/api/doc/{doc_id}").json["source"] == outlet, doc_id


@pytest.mark.parametrize("query, ids", [
    ("source:ria", {"ria/ria-1001.txt", "ria/ria-1002.txt"}),
    ("source:РИА", {"ria/ria-1001.txt", "ria/ria-1002.txt"}),  # an alias: РИА Новости
    ('source:"RIA Novosti"', {"ria/ria-1001.txt", "ria/ria-1002.txt"}),
    ("source:Reu,tass", {"en/reuters/17.txt", "tass-7.txt"}),
    ("source:ТАСС", {"tass-7.txt"}),
    ("source:BBC", {"en/bbc/business-001.txt"}),
    ("source:nobody", set()),
])
def test_source_matches_a_prefix_or_an_alias_in_any_case(client, query, ids):
    body = client.get("/api/search", query_string={"q": query, "limit": 50}).json
    assert {h["id"] for h in body["hits"]} == ids


def test_outlet_facet_in_api_and_web(client):
    facets = client.get("/api/search?q=source:ria").json["facets"]
    # The facet ignores source:, as the language facet ignores lang.
    assert facets["source"] == {"RIA Novosti": 2, "BBC": 1, "Reuters": 1, "TASS": 1}
    page = client.get("/?q=source:ria").get_data(as_text=True)
    facet = page.split('<ul class="facet-source">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<>]+)</a> <span class=\"n\">(\d+)<", facet) == [
        ("RIA Novosti", "2"), ("BBC", "1"), ("Reuters", "1"), ("TASS", "1")]


def test_stats_and_about_list_the_outlets(client, news_index):
    result = cli("stats", "--index", news_index)
    assert "outlets: RIA Novosti 2, BBC 1, Reuters 1, TASS 1" in result.output
    about = client.get("/about").get_data(as_text=True)
    assert all(f">{name}</a></th><td class=\"n\">" in about for name in set(OUTLETS.values()))
