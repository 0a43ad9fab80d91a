"""What a newsroom expects (issue 17): derived headlines, outlets and one
story once, through the real index, Flask app and CLI over agency-style files."""
import re
import shutil

import pytest
from click.testing import CliRunner

from helpers import index_over

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
                                "faster than expected, and it raised its dividend, its chief told Reuters."),
}


@pytest.fixture(scope="module")
def news_index(tmp_path_factory):
    return index_over(tmp_path_factory.mktemp("news"), NEWS)


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


# ---------------------------------------------------------------- one story once

REPUBLISHED = {  # ria-1001 again hours later, a word changed; business-001 word for word
    "ria/ria-1003.txt": NEWS["ria/ria-1001.txt"].replace("14:52", "18:05").replace("зимой", "этой зимой"),
    "en/bbc/business-002.txt": NEWS["en/bbc/business-001.txt"],
    # Two companies' notices, their bodies alike but for a word: two stories.
    "en/reuters/16653.txt": "Athlone Industries Inc <Ath> Sets Qtly Dividend\n\nQtly div 40 cts vs 40 cts prior\n"
                            "    Pay May 15\n    Record May one.\n",
    "en/reuters/6572.txt": "Stone And Webster Inc <Sw> Sets Quarterly\n\nQtly div 40 cts vs 40 cts prior\n"
                           "    Pay May 15\n    Record April One\n",
}
# A recurring report, word for word four weeks apart: two stories.
BUNDESBANK = ("Bundesbank Leaves Credit Policies Unchanged\n\nThe Bundesbank left credit policies unchanged "
              "after today's regular meeting of its council, a spokesman said in answer to enquiries.\n")
REPUBLISHED |= {"en/reuters/1971.txt": f" date 1987-03-05\n{BUNDESBANK}",
                "en/reuters/12456.txt": f" date 1987-04-02\n{BUNDESBANK}"}


@pytest.fixture(scope="module")
def dup_index(tmp_path_factory):
    return index_over(tmp_path_factory.mktemp("dups"), {**NEWS, **REPUBLISHED})


@pytest.fixture
def dup_client(dup_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(dup_index), "LEXICONS": []}).test_client()


def test_a_story_is_one_hit_listing_its_versions(dup_client):
    body = dup_client.get("/api/search?q=Газпром").json
    assert body["total"] == 1 and body["facets"]["lang"] == {"ru": 1}
    hit, = body["hits"]
    assert {hit["id"], *hit["versions"]} == {"ria/ria-1001.txt", "ria/ria-1003.txt"}
    assert len(hit["versions"]) == 1
    assert dup_client.get(f"/api/doc/{hit['id']}").json["versions"] == hit["versions"]
    body = dup_client.get("/api/search?q=pipeline+OR+Газпром").json
    assert sorted(len(h["versions"]) for h in body["hits"]) == [1, 1] and body["total"] == 2


def test_notices_alike_under_different_headlines_are_two_stories(dup_client):
    body = dup_client.get("/api/search?q=qtly+div").json
    assert body["total"] == 2 and [h["versions"] for h in body["hits"]] == [[], []]


def test_a_recurring_report_weeks_apart_is_two_stories(dup_client):
    body = dup_client.get("/api/search?q=Bundesbank").json
    assert body["total"] == 2 and [h["versions"] for h in body["hits"]] == [[], []]


def test_web_shows_more_versions_and_the_article_lists_them(dup_client):
    page = dup_client.get("/?q=profits").get_data(as_text=True)
    assert page.count('class="hit"') == 1 and "1 more version(s) of this story" in page
    shown = re.search(r'<a class="hit-link" href="/doc/([^"?]+)', page).group(1)
    other = ({"en/bbc/business-001.txt", "en/bbc/business-002.txt"} - {shown}).pop()
    article = dup_client.get(f"/doc/{shown}").get_data(as_text=True)
    versions, related = article.split('id="versions"', 1)[1].split("</aside>", 2)[:2]
    assert f'href="/doc/{other}"' in versions and f'href="/doc/{other}"' not in related


def test_cli_search_prints_the_versions_and_batch_keeps_them_all(dup_index, tmp_path):
    result = cli("search", "Газпром", "--index", dup_index)
    assert "1 result(s)" in result.output and "(+1 more version(s): ria/ria-100" in result.output
    topics = tmp_path / "topics.tsv"
    topics.write_text("q1\tГазпром\n", encoding="utf-8")
    run = cli("batch", topics, "--index", dup_index).output.splitlines()
    assert sorted(line.split()[2] for line in run) == ["ria/ria-1001.txt", "ria/ria-1003.txt"]


def test_an_index_without_signatures_is_outdated(dup_index, tmp_path):
    from whoosh import index as whoosh_index

    from search.engine import Engine
    from search.index.codec import ArrayCodec
    from search.index.layout import NoIndex, current_generation

    shutil.copytree(dup_index, tmp_path / "old")
    old = whoosh_index.open_dir(str(current_generation(tmp_path / "old")))
    writer = old.writer(codec=ArrayCodec())
    writer.remove_field("minhash")  # as an index written before near-duplicates were found
    writer.commit(merge=False)
    with pytest.raises(NoIndex, match="built by an older version of mlsearch"):
        Engine(tmp_path / "old")
    result = cli("search", "Газпром", "--index", tmp_path / "old")
    assert result.exit_code == 2 and "older version" in result.output


def test_an_incremental_update_groups_a_new_version_with_the_indexed_one(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    for name in ("ria/ria-1001.txt", "tass-7.txt"):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(NEWS[name], encoding="utf-8")
    build(corpus, index)
    (corpus / "ria/ria-1003.txt").write_text(REPUBLISHED["ria/ria-1003.txt"], encoding="utf-8")
    assert build(corpus, index).added == 1
    client = create_app({"TESTING": True, "INDEX_DIR": str(index), "LEXICONS": []}).test_client()
    hit, = client.get("/api/search?q=Газпром").json["hits"]
    assert {hit["id"], *hit["versions"]} == {"ria/ria-1001.txt", "ria/ria-1003.txt"}
