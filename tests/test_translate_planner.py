"""The query planner over a real index: plans per document language, and
what it tells the user it translated."""
import pytest

from helpers import SAMPLE
from search.index.backend import open_generation
from search.index.layout import current_generation
from search.index.writer import build
from search.query import Must, PhraseGroup, Seq, TermGroup, parse
from search.translate.lexicon import shipped
from search.translate.planner import QueryPlanner, Side, highlighted_terms, translation_weights
from search.translate.translator import Group
from search.translate.vocabulary import IndexVocabulary


@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    index = tmp_path_factory.mktemp("ix") / "sample"
    build(SAMPLE, index)
    view = open_generation(current_generation(index))
    vocabularies = {}
    yield QueryPlanner((), lambda lang: vocabularies.setdefault(lang, IndexVocabulary(view, lang)))
    view.close()


def plan(planner, query, target, report=None):
    return planner.plan(parse(query).root, Side(target, "en" if target != "en" else "ru",
                                                [] if report is None else report))


def test_as_written_a_query_keeps_its_own_terms(planner):
    assert planner.plan(parse("energy +NATO").root, Side(None, "en", [])) == \
        Seq((TermGroup(("energi",)), Must(TermGroup(("nato",)))))
    assert planner.plan(parse('"energy security"').root, Side(None, "en", [])) == \
        PhraseGroup(("energi", "secur"))


def test_a_word_in_the_other_script_becomes_one_group_of_its_translations(planner):
    report = []
    group = plan(planner, "security", "ru", report)
    assert isinstance(group, TermGroup) and "безопасность" in group.terms
    assert len(group.weights) == len(group.terms)
    assert report[0]["word"] == "security" and report[0]["to"] == "ru"
    assert "безопасность" in report[0]["terms"]


def test_a_field_restriction_survives_translation(planner):
    group = planner.plan(parse("title:security").root, Side("ru", "en", []))
    assert group.fields == ("title",)


def test_highlighted_terms_are_the_words_of_every_group_not_under_not(planner):
    tree = planner.plan(parse("energy -NATO").root, Side(None, "en", []))
    assert highlighted_terms(tree) == {"energi"}


def test_a_translation_weighs_by_its_senses_that_translate_back():
    # точка is point in 3 of its 12 senses (dot in 4, ...), очко in 1 of 7;
    # a name kept as spelled counts fully.
    group = Group("point", ["точка", "очко", "пойнт"],
                  how={"точка": "lexicon", "очко": "lexicon", "пойнт": "transliteration"})
    assert translation_weights(group, "point", "ru", shipped()) == pytest.approx((0.5, (1 / 7) ** 0.5, 1.0))
