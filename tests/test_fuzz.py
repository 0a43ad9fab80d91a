"""Fuzzing: any text gives the parser, the analyzer and the engine a result
or a QueryError; random requests to /api/search and schemathesis cases give
the real app no 500 and no answer outside its OpenAPI description.

`make stress` runs the same checks with many more inputs
(benchmarks/stress_fuzz.py).
"""
from __future__ import annotations


import pytest
from hypothesis import given

from search.engine import Engine
from web import create_app

from benchmarks.stress_fuzz import (
    check_analysis, check_parse, check_search, fuzz_api, hypothesis_settings, queries, run_schemathesis,
    search_options,
)

pytestmark = pytest.mark.slow

API_REQUESTS = 10_000


@pytest.fixture(scope="module")
def engine(index_dir):
    return Engine(index_dir)


@pytest.fixture(scope="module")
def live_app(index_dir):
    """The app as served: not in testing mode, so a fault is a 500 response."""
    return create_app({"INDEX_DIR": str(index_dir)})


@hypothesis_settings(500)
@given(queries())
def test_any_text_parses_or_is_a_query_error(text):
    check_parse(text)


@hypothesis_settings(500)
@given(queries())
def test_any_text_analyzes(text):
    check_analysis(text)


@hypothesis_settings(300)
@given(text=queries(), options=search_options())
def test_any_search_gives_results_or_a_query_error(engine, text, options):
    check_search(engine, text, options)


def test_random_api_searches_are_never_a_500(live_app):
    statuses, bad = fuzz_api(live_app.test_client(), API_REQUESTS, seed=1)
    assert bad == []
    assert statuses[200] > API_REQUESTS // 4 and statuses[400] > API_REQUESTS // 4  # both paths exercised


def test_the_api_conforms_to_its_description(live_app):
    assert run_schemathesis(live_app, examples=150) >= 200


@pytest.mark.parametrize("query", ["\U00017000ж", "Ø\U00017000"])
def test_tangut_letters_in_a_query_are_not_a_500(live_app, query):
    assert live_app.test_client().get("/api/search", query_string={"q": query}).status_code == 200


EMPTY_ACCEPTED = ("lang", "since", "until", "sort", "page", "limit")


def test_the_description_admits_empty_parameters(live_app):
    client = live_app.test_client()
    described = {p["name"]: p for p in client.get("/api/openapi.json").json["paths"]["/api/search"]["get"]["parameters"]}
    for name in EMPTY_ACCEPTED:
        assert client.get("/api/search", query_string={"q": "gas", name: ""}).status_code == 200, name
    assert [n for n in EMPTY_ACCEPTED if not described[n].get("allowEmptyValue")] == []
