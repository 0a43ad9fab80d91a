"""The engine over a real index: ranking, query syntax, snippets, facets,
suggestions, pages."""
import pytest

from helpers import NATO_RU, SAMPLE, ids
from search.engine import Engine
from search.index.writer import build
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
    assert result.facets["year"] == {"2026": 1, "2023": 1, "2022": 1, "undated": 2}
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
