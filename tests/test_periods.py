"""The year facet with its undated bucket, and the month facet."""
import pytest

from helpers import SAMPLE
from search.engine import Engine
from search.index.writer import build


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index = tmp_path_factory.mktemp("ix") / "sample"
    build(SAMPLE, index)
    return Engine(index)


def test_year_buckets_add_up_to_the_total(engine):
    result = engine.search("Азербайджан")
    assert result.facets["year"] == {"2026": 1, "2023": 1, "2022": 1, "undated": 2}
    assert sum(result.facets["year"].values()) == result.total


def test_months_of_a_chosen_year(engine):
    result = engine.search("Азербайджан", since="2023-01-01", until="2023-12-31")
    assert result.facets["month"] == {"2023-05": 1}
    # The years stay countable, to choose another one.
    assert "2026" in result.facets["year"]


def test_no_months_over_many_years(engine):
    assert "month" not in engine.search("Азербайджан").facets


def test_months_when_the_results_span_few_years(engine):
    assert engine.search("Albania").facets["month"] == {"2023-05": 1}
    # 2023 and 2026: too far apart for months.
    assert "month" not in engine.search("Shahbazov").facets


def test_undated_results_only(engine):
    assert engine.search("НАТО").facets["year"] == {"undated": 1}
