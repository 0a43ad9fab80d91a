import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import _INVISIBLE, WORD_RE, _is_compound, _surface_prefixes, _words, analyze, find_terms, terms_of
from search.index.schema import MultilingualAnalyzer
from search.languages.russian import lemma as russian_lemma


@pytest.mark.parametrize("text, expected", [
    ("энергетической безопасности", ["энергетический", "безопасность"]),
    ("Энергетическая безопасность", ["энергетический", "безопасность"]),
    ("партнёров и партнеров", ["партнер", "партнер"]),
    ("Шахбазова Шахбазову Шахбазов", ["шахбазов", "шахбазов", "шахбазов"]),
    ("представителей SOCAR и ExxonMobil", ["представитель", "socar", "exxonmobil"]),
    ("the energy ministers were meeting", ["energi", "minist", "meet"]),
    ("gas news was", ["gas", "news"]),
    ("132-kilometer section in 2020", ["132-kilomet", "132", "kilomet", "section", "2020"]),
    ("бизнес-миссии", ["бизнес-миссия", "бизнес", "миссия"]),
    ("из-за этого", []),
    ("Хёсон Ли", ["хесон", "ли"]),
    ("ударе́ние", ["ударение"]),
])
def test_exact_terms(text, expected):
    assert terms_of(text) == expected


def test_compound_whole_shares_first_part_position():
    terms = analyze("В рамках бизнес-миссии США")
    assert [(t.text, t.pos) for t in terms] == [
        ("рамка", 0), ("бизнес-миссия", 1), ("бизнес", 1), ("миссия", 2), ("сша", 3)]
    assert [(t.start, t.end) for t in terms[1:3]] == [(9, 22), (9, 15)]


def test_unknown_capitalized_name_is_not_taken_for_a_verb():
    assert russian_lemma("азерэнержи", True) == "азерэнерж"


def test_analyzer_pickles_and_matches_function():
    a = pickle.loads(pickle.dumps(MultilingualAnalyzer()))
    tokens = [(t.text, t.pos) for t in a("Энергетической безопасности Европы", positions=True)]
    assert tokens == [("энергетический", 0), ("безопасность", 1), ("европа", 2)]


def test_find_terms_marks_forms_that_do_not_start_like_their_lemma():
    text = "Люди и Человек; у́дар, ёлки, северо-запад, Energy"
    wanted = {"человек", "удар", "елка", "запад", "energi"}
    assert [(text[s:e], t) for s, e, t in find_terms(text, wanted)] == [
        ("Люди", "человек"), ("Человек", "человек"), ("у́дар", "удар"), ("ёлки", "елка"),
        ("северо-запад", "запад"), ("Energy", "energi")]


# find_terms visits only the words a regular expression finds; it must give
# what the plain scan of every word gives.
_WORDS = ["Люди", "людей", "человек", "у\u0301дар", "Ёлки", "елка", "северо-запад", "Energy", "energies",
          "gas", "Газа", "стали", "сталь", "2020", "e\u0301nergy", "x", "5", "ООН", "NATO-led", "о\u00adбщество"]
_GAPS = [" ", "-", "--", " -", ", ", "_", "\u0301", "\u00ad", "\u2010", "\n", ""]


def _find_terms_by_scanning_every_word(text, wanted):
    prefixes = set().union(*(_surface_prefixes(t) for t in wanted))
    out = []
    for m in WORD_RE.finditer(text):
        surface = m.group()
        if not _is_compound(surface) and _INVISIBLE.sub("", surface[:4]).lower().replace("ё", "е")[:2] not in prefixes:
            continue
        found = [t.text for t in analyze(surface, alternatives=True)]
        term = next((t for t in found if t in wanted), None)
        if term:
            out.append((m.start(), m.end(), term))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GAPS)), min_size=1, max_size=12),
       st.data())
def test_find_terms_finds_what_scanning_every_word_finds(pieces, data):
    text = "".join(w + gap for w, gap in pieces)
    terms = sorted({t.text for t in analyze(text, alternatives=True)})
    wanted = set(data.draw(st.lists(st.sampled_from(terms), max_size=4))) if terms else {"человек"}
    assert find_terms(text, wanted) == _find_terms_by_scanning_every_word(text, wanted)


def test_find_terms_finds_one_character_words():
    assert find_terms("Bought 5 x 5 and 55", {"5", "x"}) == [(7, 8, "5"), (9, 10, "x"), (11, 12, "5")]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("aZ9яЁ \u0301\u00ad-‐‑,.²½ǅ中\n"), st.characters())))
def test_the_word_pattern_for_texts_without_underscores_finds_what_word_re_finds(text):
    text = text.replace("_", " ")
    assert _words(text).findall(text) == WORD_RE.findall(text)
