"""What widens a translation group, on words of our own choosing (the
adjectives, which need an index's words by their start, over a real index
in tests/test_engine_crosslang.py)."""
from search.translate.lexicon import shipped
from search.translate.translator import TermVocabulary
from search.translate.widening import loanwords, other_readings, prefixed


def test_other_readings_translate_each_normal_form_but_the_one_given():
    english = TermVocabulary.from_texts(["The court found guilt.", "Wine from Crimea."])
    found = other_readings("вина", "вино", "ru", english, shipped())
    assert ("guilt", "guilt", "lexicon") in found
    assert all(term != "wine" for term, _, _ in found)


def test_loanwords_only_of_learned_words():
    russian = TermVocabulary.from_texts(["Протестантизм и лист бумаги."])
    assert loanwords("protestantism", russian) == [("протестантизм", "протестантизм", "loanword")]
    assert loanwords("list", russian) == []


def test_a_prefixed_russian_word_finds_the_hyphenated_english_word():
    english = TermVocabulary.from_texts(["Pro-Russian rallies.", "The Russian side."])
    assert prefixed("пророссийский", english, shipped()) == [("pro-russian", "pro-russian", "prefixed")]
    assert prefixed("российский", english, shipped()) == []
