"""The project's glossary: its data analyzes to index terms without
collisions, acronyms are matched as written, and a query finds the other
language's article through it (real indexes)."""
import pytest

from helpers import engine_over, ids
from search.languages import fold
from search.translate import glossary
from search.translate.lexicon import SHIPPED, Lexicon, _read_compiled, index_phrase, shipped

ENTRIES = glossary.read()


def test_the_glossary_has_a_few_hundred_entries_each_with_a_source():
    assert len(ENTRIES) >= 250
    assert all(entry.source.strip() and entry.kind.strip() for entry in ENTRIES)


def test_every_entry_analyzes_to_index_terms_on_both_sides():
    for entry in ENTRIES:
        for lang, side in entry.forms.items():
            assert any(index_phrase(form) for form in side), (lang, side)
            # A form that analyzes to nothing (WHO: who is a stop word) must
            # be an acronym, which is looked up as written, not by term.
            assert all(index_phrase(form) or glossary.is_acronym(form) for form in side), (lang, side)


def test_no_acronym_lemmatizes_into_a_common_word():
    # МОК lemmatizes to мокнуть and AIDS stems to aid: as a translation,
    # such a form would match every article with the common word.
    # A Wiktionary entry for the same thing (OSCE: osc, ОБСЕ) is no collision.
    common = Lexicon(_read_compiled(SHIPPED))
    for entry in ENTRIES:
        for lang, side in entry.forms.items():
            other = {index_phrase(form) for forms in entry.forms.values() for form in forms}
            for form in side:
                term = index_phrase(form)
                if glossary.is_acronym(form) and term and term != fold(form):
                    senses = {t.term for t in common.translations(term, lang)}
                    assert not senses or senses & other, (form, term, senses)


def test_acronyms_are_matched_as_written():
    lexicon = shipped()
    assert "ФРС" in [t.display for t in lexicon.exact("Fed", "en")]
    assert "World Health Organization" in [t.display for t in lexicon.exact("ВОЗ", "ru")]
    assert lexicon.exact("fed", "en") == () and lexicon.exact("воз", "ru") == ()
    # fed and воз keep their common senses (feed, cart), without the acronym's.
    assert "ФРС" not in [t.display for t in lexicon.translations("fed", "en")]
    assert "World Health Organization" not in [t.display for t in lexicon.translations("воз", "ru")]


def test_institutions_translate_both_ways():
    lexicon = Lexicon.load()
    assert "Минфин" in [t.display for t in lexicon.translations(index_phrase("finance ministry"), "en")]
    assert index_phrase("finance ministry") in [t.term for t in lexicon.translations(index_phrase("Минфина"), "ru")]
    assert "МИД" in [t.display for t in lexicon.translations(index_phrase("foreign ministry"), "en")]


ARTICLES = {
    "fed_ru.txt": "ФРС сохранила ставку\n\nФедеральная резервная система США оставила ставку без изменений.\n",
    "feed_ru.txt": "Как кормить кошку\n\nВетеринары рассказали, чем кормить кошку и сколько корма ей нужно.\n",
    "who_en.txt": "WHO warns of measles\n\nThe World Health Organization warned of a rise in measles cases.\n",
    "cart_en.txt": "A cart of hay\n\nThe farmer loaded the cart with hay and drove to the village.\n",
    "gdp_en.txt": "GDP grew by two percent\n\nThe country's GDP grew by two percent in the second quarter.\n",
    "minfin_ru.txt": "Минфин разместил облигации\n\nМинфин России разместил облигации на 20 млрд рублей.\n",
    "ministry_en.txt": "The foreign ministry summoned the ambassador\n\nThe foreign ministry said talks would go on.\n",
    "minister_en.txt": "The minister visited a school\n\nThe minister of education opened a school.\n",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("glossary"), ARTICLES)


def test_the_fed_finds_the_frs_not_feeding(engine):
    assert ids(engine.search("Fed rate", lang="ru"))[:1] == ["fed_ru.txt"]
    assert "feed_ru.txt" not in ids(engine.search("Fed", lang="ru"))


def test_an_acronym_spelled_like_a_stop_word_is_translated(engine):
    assert ids(engine.search("ВОЗ корь", lang="en"))[:1] == ["who_en.txt"]
    assert ids(engine.search("WHO", lang="ru")) == []  # no Russian article about it
    assert "cart_en.txt" not in ids(engine.search("ВОЗ", lang="en"))


def test_short_forms_of_institutions_find_the_other_language(engine):
    assert ids(engine.search("МИД", lang="en"))[:1] == ["ministry_en.txt"]
    assert ids(engine.search("finance ministry", lang="ru"))[:1] == ["minfin_ru.txt"]


def test_compiled_terms_match_the_analyzer():
    compiled = glossary.compiled_terms()
    for entry in ENTRIES:
        for lang, side in entry.forms.items():
            for form in side:
                assert compiled.get((lang, form)) == index_phrase(form), (form, "run tools/build_glossary.py")
