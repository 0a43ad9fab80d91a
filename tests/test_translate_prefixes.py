"""Words made with a productive prefix, on words of our own choosing (the
English-to-Russian way over a real index: tests/test_engine_crosslang.py)."""
from search.translate.prefixes import english_compounds, root, split_russian
from search.translate.translator import TermVocabulary


def test_a_root_drops_the_ending_a_derived_word_replaces():
    assert root("коррупция") == "коррупци"
    assert root("правительство") == "правительств"
    assert root("российский") == "российск"
    assert root("вода") is None  # вод starts водить and водка too


def test_a_russian_prefix_finds_the_hyphenated_english_word():
    assert split_russian("пророссийский") == [("pro", "российский")]
    assert split_russian("противовоспалительный") == [("anti", "воспалительный")]
    assert split_russian("проект") == []  # ект is no root
    english = TermVocabulary.from_texts(["Pro-Russian and anti-government rallies.", "The government met."])
    assert english_compounds("pro", ["Russian", "Russia"], english) == ["pro-russian"]
    # Closed spellings are other words by chance (pro + test: protest) but
    # for the negations English writes closed.
    assert english_compounds("pro", ["test"], TermVocabulary.from_texts(["A protest."])) == []
    assert {prefix for prefix, _ in split_russian("неравный")} == {"in", "non", "un"}
    english = TermVocabulary.from_texts(["Unequal pay and independent courts."])
    assert english_compounds("un", ["equal"], english) == ["unequ"]
    assert english_compounds("in", ["dependent"], english) == ["independ"]
