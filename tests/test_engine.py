"""The engine end to end over real indexes: ranking, query syntax,
snippets, facets, suggestions, incremental updates."""
import shutil
import subprocess
import sys

import pytest

from helpers import NATO_RU, SAMPLE, ids
from search.engine import Engine
from search.index.layout import IndexLocked, current_generation
from search.indexing import build
from search.query import QueryError

DAYAZ_RU = "003_1da6fcedd6322d04.txt"
ALBANIA_EN = "000_1b4e62a6aabbd5a2.txt"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index = tmp_path_factory.mktemp("ix") / "sample"
    build(SAMPLE, index)
    return Engine(index)


def test_inflected_russian_query_finds_the_article(engine):
    result = engine.search("безопасностью Азербайджана НАТО", translate=False)
    assert ids(result)[0] == NATO_RU


def test_phrase_matches_across_inflection(engine):
    result = engine.search('"энергетическая безопасность"', translate=False)
    assert set(ids(result)) == {NATO_RU, DAYAZ_RU}
    # The words apart do not make the phrase.
    assert ids(engine.search('"безопасность энергетическая"', translate=False)) == []


def test_snippet_marks_every_inflected_form(engine):
    hit = engine.search("энергетическая безопасность", lang="ru", translate=False).hits[0]
    assert hit.id == NATO_RU
    assert "<mark>энергетической</mark> <mark>безопасности</mark>" in hit.snippet
    assert "<mark>энергетической</mark> инфраструктуры" in hit.snippet


def test_more_matched_words_rank_first(engine):
    result = engine.search("Serbia electricity Albania", translate=False)
    # 001 has Serbia and electricity, 000 only Albania; both match.
    assert ids(result)[:2] == ["001_e525b34afe8532cd.txt", ALBANIA_EN]


def test_boolean_operators_and_fields(engine):
    assert set(ids(engine.search("Serbia OR Iran", translate=False))) == {
        "001_e525b34afe8532cd.txt", "002_6d56cdcdf6ea52bb.txt"}
    assert ids(engine.search("Azerbaijan AND Serbia", translate=False)) == ["001_e525b34afe8532cd.txt"]
    assert "001_e525b34afe8532cd.txt" not in ids(engine.search("Azerbaijan -Serbia", translate=False))
    assert ids(engine.search("title:НАТО", translate=False)) == [NATO_RU]


def test_language_and_date_filters(engine):
    assert {h.lang for h in engine.search("Азербайджан", lang="ru").hits} == {"ru"}
    result = engine.search("Azerbaijan date:2022..2023", translate=False)
    assert set(ids(result)) == {ALBANIA_EN, "001_e525b34afe8532cd.txt"}
    assert ids(engine.search("Azerbaijan", since="2023-01-01", translate=False)) == [ALBANIA_EN]


def test_sort_by_date_puts_newest_first(engine):
    result = engine.search("энергетика energy", sort="date")
    dates = [h.date for h in result.hits if h.date]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2026-02-10"


def test_facets_count_languages_and_years(engine):
    result = engine.search("Азербайджан")
    assert result.facets["lang"] == {"en": 3, "ru": 2}
    assert result.facets["year"] == {"2026": 1, "2023": 1, "2022": 1}
    # The language filter leaves the other language countable.
    assert engine.search("Азербайджан", lang="ru").facets["lang"] == {"en": 3, "ru": 2}


def test_did_you_mean_in_both_languages(engine):
    assert engine.search("enrgy corridr", translate=False).suggestions == ["energy corridor"]
    assert engine.search("безопастности", translate=False).suggestions == ["безопасности"]
    assert engine.search("безопасности", translate=False).suggestions == []


@pytest.mark.parametrize("bad", ['"unclosed', "gas AND", "date:2023-02-30 gas", "lang:de gas"])
def test_malformed_query_raises_query_error(engine, bad):
    with pytest.raises(QueryError):
        engine.search(bad)


@pytest.mark.parametrize("option", [{"sort": "score"}, {"limit": 0}, {"page": 0}, {"since": "yesterday"}])
def test_bad_options_raise_query_error(engine, option):
    with pytest.raises(QueryError):
        engine.search("gas", **option)


def test_pages_do_not_overlap(engine):
    first = ids(engine.search("Azerbaijan", limit=2, page=1))
    second = ids(engine.search("Azerbaijan", limit=2, page=2))
    assert len(first) == 2 and second and not set(first) & set(second)


def test_incremental_add_change_delete(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    index = tmp_path / "index"
    report = build(corpus, index)
    assert (report.added, report.documents) == (5, {"en": 3, "ru": 2})
    engine = Engine(index)
    assert ids(engine.search("Tirana", translate=False)) == [ALBANIA_EN]

    (corpus / "new.txt").write_text("Pipeline news\n\nA new pipeline to Tirana was opened.\n", encoding="utf-8")
    changed = corpus / ALBANIA_EN
    changed.write_text("Albania\n\nThe text no longer names the capital.\n", encoding="utf-8")
    (corpus / NATO_RU).unlink()
    report = build(corpus, index)
    assert (report.added, report.updated, report.deleted, report.unchanged_files) == (1, 1, 1, 3)
    assert ids(engine.search("Tirana", translate=False)) == ["new.txt"]
    assert engine.document(NATO_RU) is None
    assert engine.stats()["documents"] == 5

    report = build(corpus, index)
    assert (report.added, report.updated, report.deleted) == (0, 0, 0)


def test_unreadable_file_keeps_what_was_indexed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    index = tmp_path / "index"
    build(corpus, index)
    (corpus / ALBANIA_EN).write_bytes(b"\x00\x01binary now")
    report = build(corpus, index)
    assert [(s.path, s.reason) for s in report.skipped] == [(ALBANIA_EN, "binary file")]
    assert Engine(index).document(ALBANIA_EN) is not None


def test_second_indexer_gets_a_clear_error(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    # The first indexer is another process: the lock is per process.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from search.indexing import _Lock\n"
         "with _Lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)", str(index)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked, match=f"another indexer \\(pid {holder.pid}\\)"):
            build(SAMPLE, index)
    finally:
        holder.kill()
        holder.wait()


def test_failed_build_leaves_the_previous_index_live(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    index = tmp_path / "index"
    build(corpus, index)
    live = current_generation(index)
    (corpus / "more.txt").write_text("Another story about Tirana.\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("search.indexing.read_documents", crash)
    with pytest.raises(RuntimeError):
        build(corpus, index)
    assert current_generation(index) == live
    assert ids(Engine(index).search("Tirana", translate=False)) == [ALBANIA_EN]
