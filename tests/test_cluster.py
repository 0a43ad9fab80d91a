"""The cluster backend (search/cluster.py, search/index/sphinxql/,
rank/sphinxql.py) against a real local cluster of Debian's sphinxsearch:
two shard nodes and a distributed head on loopback, started here."""
from __future__ import annotations

import os
import re
import shutil
import signal
import time

import pytest
from click.testing import CliRunner

from helpers import ids
from search.cli import main
from search.engine import Engine
from search.index.sphinxql import local
from search.index.sphinxql.writer import build as build_on_cluster
from search.index.writer import build as build_on_whoosh
from search.query import And, Must, Not, Or, PhraseGroup, Seq, TermGroup
from search.rank.sphinxql import match_of
from web import create_app

QUERIES = ["energy", "energy security", '"energy ministers"', "газ", "Shahbazov energy", "pipeline -gas",
           "title:ministers", "энергетика AND Баку"]


def test_match_of_a_plan():
    group = TermGroup(("gas", "газ"), ("title",))
    assert match_of(group) == "(@(title,title_alt) (gas | газ))"
    assert match_of(PhraseGroup(("energi", "secur"), ("title", "body"))) == '(@(title,body) "energi secur")'
    assert match_of(TermGroup(("united states",))) .count('"united states"') == 1
    seq = Seq((TermGroup(("a",)), TermGroup(("b",)), Must(TermGroup(("c",))), Not(TermGroup(("d",)))))
    m = match_of(seq)
    assert m.startswith("((@(") and " | " in m and m.endswith("d))") and " -(@(" in m
    assert match_of(And((TermGroup(()), TermGroup(("a",))))) is None  # a word with no terms matches nothing
    assert match_of(Or((TermGroup(()), TermGroup(("a",))))) == "((@(title,title_alt,lead,lead_alt,body,body_alt) (a)))"
    assert match_of(TermGroup(("é-x",))).startswith("(@(title,title_alt,lead,lead_alt,body,body_alt) (x")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if shutil.which(local.SEARCHD) is None:
        pytest.skip("Debian's sphinxsearch is not installed here ('make sphinxsearch' installs it)")
    root = tmp_path_factory.mktemp("cluster")
    url = local.start(root, shards=2)
    yield root, url
    local.stop(root)


@pytest.fixture(scope="module")
def indexed(cluster, corpus):
    root, url = cluster
    build_on_cluster(corpus, url, full=True)
    return url


@pytest.mark.slow
def test_the_cluster_finds_what_whoosh_finds(indexed, index_dir):
    from search.cluster import ClusterEngine

    whoosh, cluster = Engine(index_dir), ClusterEngine(indexed)
    for query in QUERIES:
        # Every match, not their order: whoosh stores field lengths rounded
        # to a byte, the cluster exact ones.
        a, b = whoosh.search(query, limit=100), cluster.search(query, limit=100)
        assert sorted(ids(b)) == sorted(ids(a)), query
        assert b.total == a.total, query
        assert b.facets == a.facets, query
        assert b.translations == a.translations, query
        snippets = {h.id: h.snippet for h in a.hits}
        assert all(h.snippet == snippets[h.id] for h in b.hits), query
    assert ids(cluster.search("Shahbazov energy security", limit=2)) == \
        ids(whoosh.search("Shahbazov energy security", limit=2))
    a, b = whoosh.search("energy", lang="ru", since="2021"), cluster.search("energy", lang="ru", since="2021")
    assert sorted(ids(b)) == sorted(ids(a)) and b.total == a.total and b.facets == a.facets
    assert cluster.document("gen/en_03.txt") == {k: v for k, v in whoosh.document("gen/en_03.txt").items()
                                                if k in cluster.document("gen/en_03.txt")}
    assert cluster.document("no/such.txt") is None
    for other in (False, True):
        a = whoosh.similar("gen/en_03.txt", other_language=other, limit=30)
        b = cluster.similar("gen/en_03.txt", other_language=other, limit=30)
        assert sorted(h.id for h in b) == sorted(h.id for h in a) and a
    assert cluster.similar("no/such.txt") == []


@pytest.mark.slow
def test_cli_and_web_take_the_backend(indexed):
    runner = CliRunner()
    done = runner.invoke(main, ["search", "energy ministers", "--backend", indexed, "--json"])
    assert done.exit_code == 0, done.output
    assert '"gen/' in done.output
    done = runner.invoke(main, ["search", "energy"], env={"MLSEARCH_BACKEND": indexed})
    assert done.exit_code == 0 and "result(s)" in done.output
    done = runner.invoke(main, ["search", "energy", "--backend", "mysql://nowhere"])
    assert done.exit_code == 2 and "not a SphinxQL backend URL" in done.output
    client = create_app({"TESTING": True, "BACKEND": indexed, "LEXICONS": []}).test_client()
    answer = client.get("/api/search?q=energy+ministers&limit=3")
    assert answer.status_code == 200 and len(answer.get_json()["hits"]) == 3
    assert client.get("/api/search?q=%22unclosed").status_code == 400


@pytest.mark.slow
def test_incremental_updates_and_deletes(cluster, corpus, tmp_path):
    from search.cluster import ClusterEngine

    root, url = cluster
    own = tmp_path / "corpus"
    shutil.copytree(corpus, own)
    build_on_cluster(own, url, full=True)
    engine = ClusterEngine(url)
    assert ids(engine.search("Tbilisi", lang="en"))[:1] == ["gen/en_01.txt"]
    (own / "gen" / "en_01.txt").write_text(" date 2020-01-01\n\nZanzibar cloves\n\nZanzibar exports cloves.\n")
    (own / "gen" / "en_02.txt").unlink()
    report = build_on_cluster(own, url)
    assert (report.updated, report.deleted, report.added) == (1, 1, 0)
    assert ids(engine.search("Tbilisi", lang="en")) == []
    assert ids(engine.search("Zanzibar")) == ["gen/en_01.txt"]
    assert engine.document("gen/en_02.txt") is None
    build_on_cluster(corpus, url, full=True)  # as the other tests expect


@pytest.mark.slow
def test_a_killed_shard_gives_partial_results_with_a_warning(corpus, tmp_path):
    if shutil.which(local.SEARCHD) is None:
        pytest.skip("Debian's sphinxsearch is not installed here ('make sphinxsearch' installs it)")
    from search.cluster import ClusterEngine

    url = local.start(tmp_path / "cluster", shards=2)
    try:
        build_on_cluster(corpus, url, full=True)
        engine = ClusterEngine(url)
        whole = engine.search("energy", limit=50)
        assert whole.warnings == []
        # A hung shard: left out after the agent's query timeout.
        hung = int((tmp_path / "cluster" / "shard1" / "searchd.pid").read_text())
        os.kill(hung, signal.SIGSTOP)
        try:
            started = time.monotonic()
            partial = engine.search("energy", limit=50)
            assert time.monotonic() - started < local.AGENT_QUERY_TIMEOUT_MS / 1000 + 5
            assert partial.warnings and 0 < len(partial.hits) < len(whole.hits)
        finally:
            os.kill(hung, signal.SIGCONT)
        assert engine.search("energy", limit=50).warnings == []
        local.stop_node(tmp_path / "cluster" / "shard0", signal.SIGKILL)
        started = time.monotonic()
        partial = engine.search("energy", limit=50)
        assert time.monotonic() - started < 10
        assert partial.warnings and "cluster:" in partial.warnings[0]
        assert 0 < len(partial.hits) < len(whole.hits)
        assert set(ids(partial)) < set(ids(whole))
        done = CliRunner().invoke(main, ["search", "energy", "--backend", url])
        assert done.exit_code == 0 and "mlsearch: warning: cluster:" in done.stderr
        # The head itself gone: a clear error, a 503 on the web.
        local.stop_node(tmp_path / "cluster" / "head", signal.SIGKILL)
        done = CliRunner().invoke(main, ["search", "energy", "--backend", url])
        assert done.exit_code == 2 and "mlsearch: " in done.output and "Traceback" not in done.output
        client = create_app({"TESTING": True, "BACKEND": url, "LEXICONS": []}).test_client()
        assert client.get("/api/search?q=energy").status_code == 503
    finally:
        local.stop(tmp_path / "cluster")


# The outlets of the test corpus: Azernews, Day.Az, Trend, TuraNews.
FILTERED = ["energy source:tr", "source:TREND,day", "source:nobody", "Азербайджан source:азер", "Азербайджан",
            "Albania", "НАТО", "energy security source:Tura"]


@pytest.mark.slow
def test_outlets_years_and_months_as_on_whoosh(indexed, index_dir):
    from search.cluster import ClusterEngine

    whoosh, cluster = Engine(index_dir), ClusterEngine(indexed)
    for query in FILTERED:
        a, b = whoosh.search(query, limit=100), cluster.search(query, limit=100)
        assert sorted(ids(b)) == sorted(ids(a)) and b.total == a.total, query
        assert b.facets == a.facets and list(b.facets["source"]) == list(a.facets["source"]), query
    a = whoosh.search("Азербайджан", since="2023-01-01", until="2023-12-31")
    b = cluster.search("Азербайджан", since="2023-01-01", until="2023-12-31")
    assert b.facets["month"] == a.facets["month"] and b.facets["month"]
    assert cluster.search("Albania").facets["month"] == whoosh.search("Albania").facets["month"]
    assert "undated" in cluster.search("Азербайджан").facets["year"]
    assert ids(cluster.search("source:nobody")) == []
    stats, expected = cluster.stats(), whoosh.stats()
    assert {k: stats[k] for k in ("years", "undated", "outlets")} == \
        {k: expected[k] for k in ("years", "undated", "outlets")} and stats["outlets"]
    done = CliRunner().invoke(main, ["stats", "--backend", indexed])
    assert done.exit_code == 0 and "outlets: " + ", ".join(f"{k} {n}" for k, n in expected["outlets"].items()) \
        in done.output, done.output


@pytest.mark.slow
def test_a_prefix_query_is_a_clear_error_on_the_cluster(indexed):
    from search.cluster import ClusterEngine
    from search.query import QueryError

    with pytest.raises(QueryError, match="does not search by prefix"):
        ClusterEngine(indexed).search("Gazp* energy")
    client = create_app({"TESTING": True, "BACKEND": indexed, "LEXICONS": []}).test_client()
    answer = client.get("/api/search?q=Gazp*")
    assert answer.status_code == 400 and "prefix" in answer.get_json()["error"]
    page = client.get("/?q=Azerb*")
    assert page.status_code == 400 and "does not search by prefix" in page.get_data(as_text=True)
    done = CliRunner().invoke(main, ["search", "Gazp*", "--backend", indexed])
    assert done.exit_code == 2 and "prefix" in done.output and "Traceback" not in done.output


@pytest.mark.slow
def test_the_web_pages_over_the_cluster(indexed, index_dir):
    """Every page and export through the Flask app with BACKEND set, beside
    the same app over the whoosh index."""
    cluster = create_app({"TESTING": True, "BACKEND": indexed, "LEXICONS": []}).test_client()
    whoosh = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "LEXICONS": []}).test_client()
    page = cluster.get("/?q=Азербайджан")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Trend" in text and 'class="hit-link"' in text and "/feed?" in text
    page = cluster.get("/?q=Азербайджан&since=2023-01-01&until=2023-12-31").get_data(as_text=True)
    assert "<svg" in page  # the timeline, drawn from the month facet
    assert cluster.get("/?q=energy+source:nobody").status_code == 200
    doc = cluster.get("/doc/gen/en_03.txt")
    assert doc.status_code == 200
    # The counterpart and related articles, as over whoosh.
    links = re.compile(r'href="/doc/([^"?]+)')
    assert set(links.findall(doc.get_data(as_text=True))) == \
        set(links.findall(whoosh.get("/doc/gen/en_03.txt").get_data(as_text=True)))
    assert cluster.get("/doc/no/such.txt").status_code == 404
    about = cluster.get("/about").get_data(as_text=True)
    assert "Azernews" in about and "2023" in about
    feed = cluster.get("/feed?q=energy")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    assert feed.get_data(as_text=True).count("<entry>") == whoosh.get("/feed?q=energy").get_data(as_text=True).count("<entry>") > 0
    csv = cluster.get("/api/search?q=energy&format=csv&limit=50")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    rows = csv.get_data(as_text=True).splitlines()
    expected = whoosh.get("/api/search?q=energy&format=csv&limit=50").get_data(as_text=True).splitlines()
    assert rows[0] == expected[0] and sorted(r.split(",")[0] for r in rows[1:]) == \
        sorted(r.split(",")[0] for r in expected[1:]) and len(rows) > 1


def _two_languages(root):
    """Twenty English articles and three Russian ones: over the whole index,
    the Russian words' idf and the mean lengths would be mostly the English
    side's."""
    cities = ["Baku", "Tbilisi", "Ankara", "Vienna", "Rome", "Athens", "Sofia", "Tirana", "Doha", "Astana"]
    for i, city in enumerate(cities):
        gas = " Gas exports fell." if i % 3 == 0 else ""
        # Short: whoosh stores lengths over 10 rounded, the cluster exact ones.
        (root / f"en_{i:02d}.txt").write_text(
            f" date 2024-01-{10 + i}\n\nOil prices in {city}\n\nOil prices rose in {city}.{gas}"
            f"{' Traders sold.' * (i % 2)}\n", encoding="utf-8")
        # Not among a query's candidates: the cluster's view is of part of the index.
        (root / f"snow_{i:02d}.txt").write_text(f"Snow in {city}\n\nSnow fell in {city}.\n", encoding="utf-8")
    russian = {"ru_a": "Нефть дорожает\n\nНефть, нефть и снова нефть: цены на нефть растут.",
               "ru_b": "Газ подорожал\n\nЦены на газ выросли в Москве.",
               "ru_c": "Нефть подешевела\n\nНефть подешевела в Москве после торгов на бирже в понедельник."}
    for name, text in russian.items():
        (root / f"{name}.txt").write_text(f" date 2024-02-01\n\n{text}\n", encoding="utf-8")


@pytest.mark.slow
def test_each_language_ranks_with_its_own_statistics_as_on_whoosh(tmp_path):
    if shutil.which(local.SEARCHD) is None:
        pytest.skip("Debian's sphinxsearch is not installed here ('make sphinxsearch' installs it)")
    from search.cluster import ClusterEngine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _two_languages(corpus)
    build_on_whoosh(corpus, tmp_path / "index")
    url = local.start(tmp_path / "cluster", shards=2)
    try:
        build_on_cluster(corpus, url, full=True)
        whoosh, cluster = Engine(tmp_path / "index"), ClusterEngine(url)
        for query in ("oil gas", "нефть газ", "gas"):
            a, b = whoosh.search(query, limit=20), cluster.search(query, limit=20)
            assert ids(b) == ids(a) and len(ids(a)) > 3, query
            assert [h.score for h in b.hits] == pytest.approx([h.score for h in a.hits], rel=1e-4), query
    finally:
        local.stop(tmp_path / "cluster")
