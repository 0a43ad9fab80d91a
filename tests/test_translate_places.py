"""Place adjectives: a Russian adjective translates as its place, and a
place name finds the articles that use only its adjective (real indexes)."""
import pytest

from helpers import engine_over, ids
from search.translate.places import adjectives, place_adjectives, place_names
from search.translate.translator import TermVocabulary


@pytest.mark.parametrize("adjective, name", [
    ("гонконгский", "гонконг"), ("женевский", "женева"), ("рязанский", "рязань"),
    ("омский", "омск"), ("донецкий", "донецк"), ("тверской", "тверь")])
def test_an_adjective_gives_its_place_among_the_candidates(adjective, name):
    assert name in place_names(adjective)


@pytest.mark.parametrize("name, adjective", [
    ("карабах", "карабахский"), ("женева", "женевский"), ("рязань", "рязанский"),
    ("омск", "омский"), ("донецк", "донецкий"), ("тверь", "тверской")])
def test_a_place_gives_its_adjective_among_the_candidates(name, adjective):
    assert adjective in adjectives(name)


ARTICLES = {
    "hongkong_en.txt": "Hong Kong protests\n\nThousands marched in Hong Kong on Sunday against the new law.\n",
    "race_en.txt": "A car race in Monaco\n\nThe race ended with a crash on the last lap.\n",
    "karabakh_ru.txt": "Переговоры в Женеве\n\nСтороны обсудили судьбу карабахских беженцев на женевской встрече.\n",
    "omsk_ru.txt": "Морозы в регионе\n\nВ омской области ударили морозы, закрыты школы.\n",
    "geneva_en.txt": "Talks in Geneva\n\nThe talks in Geneva discussed refugees.\n",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("places"), ARTICLES)


def test_a_place_adjective_translates_as_its_place(engine):
    assert ids(engine.search("гонконгский", lang="en")) == ["hongkong_en.txt"]
    assert ids(engine.search("женевские", lang="en")) == ["geneva_en.txt"]


def test_a_russian_place_finds_the_article_with_only_its_adjective(engine):
    assert ids(engine.search("Карабах", lang="ru")) == ["karabakh_ru.txt"]
    assert ids(engine.search("Омск", lang="ru")) == ["omsk_ru.txt"]


def test_an_english_place_finds_the_russian_adjective(engine):
    assert ids(engine.search("Omsk", lang="ru")) == ["omsk_ru.txt"]


def test_a_common_word_gets_no_adjective():
    vocabulary = TermVocabulary.from_texts(["мирской суд и мир", "карабахский вопрос"])
    assert place_adjectives("мир", vocabulary) == ()  # мир is no place, мирской no place adjective
    assert place_adjectives("карабах", vocabulary) == ("карабахский",)
