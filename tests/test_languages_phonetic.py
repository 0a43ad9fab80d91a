"""Names by sound: one key for a name's spellings in both scripts, and the
translator matching a name against the names the other language's index
holds, where letter-by-letter fuzzy matching found lookalike words."""
import pytest

from search.analysis import normalize_word
from search.languages.phonetic import cyrillic_key, latin_key
from search.translate.translator import TermVocabulary, translate

PAIRS = [("Венгер", "Wenger"), ("Блэр", "Blair"), ("Гринспен", "Greenspan"), ("Шрёдер", "Schroeder"),
         ("Шредер", "Schröder"), ("Уэльс", "Wales"), ("Джонсон", "Johnson"), ("Хабаровск", "Khabarovsk"),
         ("Михаил", "Mikhail"), ("Челси", "Chelsea")]


@pytest.mark.parametrize("cyrillic, latin", PAIRS)
def test_a_name_has_one_key_in_both_scripts(cyrillic, latin):
    assert cyrillic_key(cyrillic) == latin_key(latin)


def test_keys_keep_consonants_apart():
    assert cyrillic_key("Венгер") != latin_key("Vener")
    assert cyrillic_key("Гринспен") != latin_key("Greenpeace")


ENGLISH = TermVocabulary.from_texts([
    "The vener and the vengeance of a blear baler.",
    "Arsene Wenger spoke to Tony Blair about Alan Greenspan.",
    "Gerhard Schroeder visited Wales. Dmitry Peskov said the sand was wet.",
    "Chef Myasnikov and the butcher.",
])
RUSSIAN = TermVocabulary.from_texts([
    "Арсен Венгер заявил, что Венгера ждут в Лондоне.",
    "Венера и вентиляция: жаркий спор.",
    "Тони Блэр и Алан Гринспен встретились.",
])


def ru(word):
    return translate(word, normalize_word(word), "ru", ENGLISH)


def en(word):
    return translate(word, normalize_word(word), "en", RUSSIAN)


@pytest.mark.parametrize("word, name", [("Венгер", "wenger"), ("Блэр", "blair"), ("Гринспен", "greenspan"),
                                        ("Шрёдер", "schroeder"), ("Уэльс", "wale")])
def test_a_cyrillic_name_finds_its_english_spelling_first(word, name):
    assert ru(word).terms[:1] == [name]


def test_inflected_cyrillic_names_find_the_name():
    assert ru("Гринспена").terms[:1] == ["greenspan"]
    assert ru("Мясникова").terms[:1] == ["myasnikov"]


def test_a_surname_that_is_also_a_common_word_keeps_both_readings():
    # Песков is also the genitive of песок (sand), which its lemma gives.
    assert {"peskov", "sand"} <= set(ru("Песков").terms)


def test_a_latin_name_finds_its_russian_spelling_under_case_endings():
    # Венгер and Венгера are both lemmas pymorphy3 gives the name's forms.
    assert set(en("Wenger").terms) == {"венгер", "венгера"}
    assert en("Greenspan").terms[:1] == ["гринспен"]


def test_lower_case_words_and_acronyms_are_not_matched_by_sound():
    assert "wenger" not in ru("венгер").terms
    assert ru("ВНГР").terms == []
