import datetime as dt
import re

import pytest

from search.query import And, Must, Not, Or, Phrase, Prefix, QueryError, Seq, Word, parse, plain_words


def test_plain_words_are_a_sequence():
    assert parse("gas pipeline").root == Seq((Word("gas"), Word("pipeline")))


def test_operators_and_grouping():
    root = parse('(gas OR oil) AND Azerbaijan -Iran').root
    assert root == Seq((And((Or((Word("gas"), Word("oil"))), Word("Azerbaijan"))), Not(Word("Iran"))))
    assert parse("+gas oil").root == Seq((Must(Word("gas")), Word("oil")))
    assert parse("NOT gas").root == Seq((Not(Word("gas")),))


def test_phrases_fields_and_filters():
    p = parse('title:"energy security" lang:ru date:2022-03..2023 source:Trend')
    assert p.root == Phrase(("energy", "security"), "title")
    assert p.langs == ("ru",)
    assert (p.since, p.until) == (dt.date(2022, 3, 1), dt.date(2023, 12, 31))
    assert p.sources == ("Trend",)
    assert parse("«энергетическая безопасность»").root == Phrase(("энергетическая", "безопасность"))


def test_unknown_prefix_is_text():
    assert parse("10:30").root == Word("10:30")


def test_override_suffix_stays_with_its_word():
    assert parse("oil[+мазут,-масло] price").root == Seq((Word("oil[+мазут,-масло]"), Word("price")))


@pytest.mark.parametrize("bad, message", [
    ("", "empty query"),
    ('"energy security', "unclosed quote"),
    ("(gas OR oil", "unclosed '('"),
    ("gas)", "unmatched ')'"),
    ("gas OR", "needs a word on both sides"),
    ("lang:de gas", "unknown language"),
    ("date:2023-13 gas", "bad date '2023-13': no such month"),
    ("date:2023-00-10 gas", "no such month"),
    ("date:2023-02-30 gas", "no such day"),
    ("Ga*", "at least 3 letters before '*'"),
    ("G4zp*", "letters only"),
    ("*", "at least 3 letters"),
    ("date:2024..2023 gas", "empty date range"),
    ("(" * 40 + "gas" + ")" * 40, "too deeply nested"),
    ("x" * 1001, "too long"),
])
def test_malformed_queries_raise_query_error(bad, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(bad)


def test_prefix_queries():
    parsed = parse("Gazp* title:Азербайдж* gas")
    assert parsed.root == Seq((Prefix("Gazp"), Prefix("Азербайдж", "title"), Word("gas")))
    assert parsed.words == [Word("gas")]  # a prefix gets no spelling suggestion
    assert parsed.prefixes == [Prefix("Gazp"), Prefix("Азербайдж", "title")]
    assert parse("title:(Gazp* OR oil)").root == Or((Prefix("Gazp", "title"), Word("oil", "title")))


@pytest.mark.parametrize("query, words", [
    ("energy (security", "energy security"),
    ('"unclosed phrase', "unclosed phrase"),
    ("gas AND", "gas"),
    ("title:(Gazp* OR", "Gazp"),
    ("date:2023-13 oil", "oil"),
    ("Нью-Йорк )", "Нью-Йорк"),
])
def test_plain_words_of_a_malformed_query(query, words):
    assert plain_words(query) == words
