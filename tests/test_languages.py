"""The language registry: codes, scripts, folding and per-language terms."""
import pytest

from search.analysis import normalize_word
from search.languages import (BY_CODE, CODES, DOCUMENT_LANGUAGE_CHOICES, DOCUMENT_LANGUAGES, OTHER, fold,
                              language_of, script_of)


def test_the_registry_lists_each_language_once_and_other_last():
    assert CODES == ("en", "ru")
    assert DOCUMENT_LANGUAGES == ("en", "ru", OTHER)
    assert DOCUMENT_LANGUAGE_CHOICES == "en, ru or other"
    assert all(BY_CODE[code].code == code for code in CODES)


@pytest.mark.parametrize("word, code", [
    ("газ", "ru"), ("gas", "en"), ("Café", "en"), ("2023", ""), ("東京", ""),
    ("СОСАR", "ru"),  # mixed scripts: the Cyrillic letters win
    ("нефть Brent", "ru"),  # a query: Latin names are common in Russian ones
])
def test_script_of_names_the_language_of_the_script(word, code):
    assert script_of(word) == code
    assert (language_of(word).code if language_of(word) else "") == code


def test_fold_lowers_case_and_reads_yo_as_ye():
    assert fold("Ёлка ЁЖ Energy") == "елка еж energy"


@pytest.mark.parametrize("word, term", [
    ("выборов", "выборы"), ("Шахбазова", "шахбазов"), ("elections", "elect"), ("the", None), ("и", None),
    ("Её", None), ("1990", "1990"),
])
def test_each_word_is_normalized_by_its_languages_rules(word, term):
    assert normalize_word(word) == term


def test_an_ambiguous_russian_word_has_its_other_normal_forms():
    assert "сталь" in BY_CODE["ru"].alternatives("стали")
    assert BY_CODE["en"].alternatives("steel") == ()


def test_stop_words_are_function_words_only():
    for code in CODES:
        stop = BY_CODE[code].stop_words
        assert not stop & {"us", "will", "may", "it", "ли", "мая", "мир"}


@pytest.mark.parametrize("query, lang", [
    ("газ", "ru"), ("Баку", "ru"), ("Шахбазов визит", "ru"), ("нефть SOCAR", "ru"),
    ("SOCAR", "en"), ("NATO", "en"), ("energy", "en"), ("gas pipeline", "en"),
    ("Київ", "ru"), ("123", ""), ("", ""), ('"?"', ""),
])
def test_a_querys_language_is_its_script(query, lang):
    assert script_of(query) == lang
