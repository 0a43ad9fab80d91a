import random
import time
from pathlib import Path

import pytest

from search.analysis import normalize_word
from search.translate.translator import TermVocabulary, Translator, parse_override, translate

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

RUSSIAN_TEXTS = [
    "Круглый стол с участием министра энергетики Азербайджана Парвиза Шахбазова.",
    "Шахбазова поддержали представители SOCAR и «Азерэнержи».",
    "Цены на нефть выросли, инфляция ускорилась в 2023 году.",
    "В Ньюкасле прошли выборы, растительное масло подорожало.",
]
ENGLISH_TEXTS = [
    "Energy Minister Parviz Shahbazov said that Azerbaijan exports oil.",
    "The elections were held in Newcastle.",
    "Dusan Prorokovic and President Ilham Aliyev met in Belgrade.",
]


@pytest.fixture(scope="module")
def russian():
    return TermVocabulary.from_texts(RUSSIAN_TEXTS)


@pytest.fixture(scope="module")
def english():
    return TermVocabulary.from_texts(ENGLISH_TEXTS)


def en(token, vocabulary, **options):
    word = parse_override(token)[0] if "[" in token else token
    return translate(token, normalize_word(word), "en", vocabulary, **options)


def ru(word, vocabulary):
    return translate(word, normalize_word(word), "ru", vocabulary)


def test_vocabulary_counts_documents():
    vocabulary = TermVocabulary.from_texts(["нефть и нефть", "нефть", "газ"])
    assert vocabulary.df("нефть") == 2
    assert vocabulary.df("газ") == 1
    assert vocabulary.df("уголь") == 0
    assert "газ" in vocabulary and "уголь" not in vocabulary


def test_similar_finds_close_terms_most_similar_first():
    vocabulary = TermVocabulary({"шахбазов": 3, "шахбазова": 1, "шахматы": 9, "баку": 5})
    assert vocabulary.similar("шахбазов") == ["шахбазов", "шахбазова"]
    assert vocabulary.similar("шахбазов", min_similarity=100) == ["шахбазов"]


def test_similar_is_fast_on_a_large_vocabulary():
    rng = random.Random(0)
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    vocabulary = TermVocabulary({"".join(rng.choices(letters, k=rng.randint(3, 14))): 1
                                 for _ in range(300_000)})
    start = time.perf_counter()
    for word in ["шахбазов", "мустафаев", "пророкович", "азербайджан"] * 25:
        vocabulary.similar(word)
    assert time.perf_counter() - start < 2.0  # about 0.4 s here


def test_lexicon_translations_that_the_index_has(russian):
    group = en("oil", russian)
    assert group.source == "oil"
    assert group.terms == ["масло", "нефть"]  # the dictionary's order
    assert group.how == {"масло": "lexicon", "нефть": "lexicon"}
    # смазывать (to oil) is not in the index: neither searched nor shown.
    assert group.display == ["масло", "нефть"]


def test_russian_to_english(english):
    group = ru("выборы", english)
    assert group.terms == ["elect"]
    assert group.display == ["election"]


def test_latin_name_finds_its_inflected_cyrillic_form(russian):
    # «Шахбазова», «Парвиза Шахбазова» are indexed as шахбазов.
    group = en("Shahbazov", russian)
    assert group.terms == ["шахбазов"]
    assert group.how == {"шахбазов": "transliteration"}


def test_name_the_index_spells_differently_is_matched_by_sound(russian):
    # «Азерэнержи» is indexed as азерэнерж; no spelling of Azerenerji is.
    group = en("Azerenerji", russian)
    assert group.terms == ["азерэнерж"]
    assert group.how == {"азерэнерж": "sound"}


def test_a_name_whose_english_stem_lost_letters_is_matched_by_sound():
    # Snowball indexes Westchester as westchest: the name's own sound key
    # (vstchstr) misses it, the key of its stemmed spelling (vestchest) does not.
    english = TermVocabulary.from_texts(["Schools in Westchester reopened.", "A chest of silver."])
    group = ru("Вестчестере", english)
    assert group.how == {"westchest": "sound"}


def test_cyrillic_name_finds_the_english_spelling(english):
    assert ru("Шахбазова", english).terms == ["shahbazov"]
    assert ru("Алиева", english).terms == ["aliyev"]
    assert ru("Пророкович", english).terms == [normalize_word("Prorokovic")]


def test_known_name_whose_translation_the_index_lacks(russian):
    # The lexicon has Newcastle -> Ньюкасл, but «в Ньюкасле» was indexed as
    # ньюкасла: the name is matched against the index instead.
    group = en("Newcastle", russian)
    assert group.terms == [normalize_word("Ньюкасле")]
    assert group.how[group.terms[0]] == "fuzzy"


def test_names_numbers_and_acronyms_pass_through(russian):
    assert en("SOCAR", russian).how == {"socar": "passthrough"}
    assert en("2023", russian).terms == ["2023"]
    assert en("SOCAR", russian).display == ["SOCAR"]


def test_passthrough_is_kept_beside_translations():
    mixed = TermVocabulary.from_texts(["Нефть и oil в одном тексте."])
    group = en("oil", mixed)
    assert group.terms == ["oil", "нефть"]
    assert group.how == {"oil": "passthrough", "нефть": "lexicon"}


def test_unknown_word_falls_back_to_its_derivation(russian):
    group = en("inflationary", russian)
    assert group.terms == ["инфляция"]
    assert group.how == {"инфляция": "prefix"}


def test_word_the_lexicon_lacks_is_read_as_a_loanword():
    english = TermVocabulary.from_texts(["Cytotoxic drugs and the decarbonization of industry."])
    assert ru("цитотоксических", english).terms == ["cytotox"]  # fuzzy: citotox
    assert ru("декарбонизации", english).how == {"decarbon": "transliteration"}
    russian = TermVocabulary.from_texts(["Цитотоксические препараты и декарбонизация."])
    assert en("cytotoxic", russian).terms == ["цитотоксический"]
    assert en("decarbonization", russian).terms == ["декарбонизация"]


def test_name_whose_lemma_is_guessed_wrong_is_spelled_from_its_noun_reading():
    # pymorphy3 reads Гослингу as a form of a feminine Гослинга.
    english = TermVocabulary.from_texts(["Ryan Gosling spoke."])
    assert ru("Гослингу", english).terms == [normalize_word("Gosling")]


def test_place_the_index_names_only_by_its_adjective():
    russian = TermVocabulary.from_texts(["Торонтская биржа выросла."])
    assert en("Toronto", russian).how == {"торонтский": "place"}


def test_function_word_translates_to_nothing():
    vocabulary = TermVocabulary.from_texts(["More bowlers and balls."])
    assert ru("более", vocabulary).terms == []


def test_word_with_nothing_in_the_index(russian):
    group = en("spacecraft", russian)
    assert group.terms == [] and group.display == []


def test_translator_with_a_user_lexicon(tmp_path, russian):
    user = tmp_path / "user.tsv"
    user.write_text("roundtable\tкруглый стол\n", encoding="utf-8")
    translator = Translator([user])
    group = translator.translate("roundtable", "roundtabl", "en", russian)
    assert group.terms == ["круглый стол"]  # a phrase
    assert group.display == ["круглый стол"]
    assert translator.translate("oil", "oil", "en", russian).terms == ["масло", "нефть"]


def test_parse_override():
    assert parse_override("oil[+нефтепродукт,-масло]") == ("oil", ["нефтепродукт"], ["масло"])
    assert parse_override("oil[ +нефтепродукт , -масло , +мазут ]") == (
        "oil", ["нефтепродукт", "мазут"], ["масло"])
    assert parse_override("oil[]") == ("oil", [], [])
    assert parse_override("oil[нефть]") == ("oil", ["нефть"], [])
    assert parse_override("oil") is None
    assert parse_override("[+нефть]") is None


def test_override_adds_and_drops(russian):
    group = en("oil[+нефтепродукты,-масло]", russian)
    assert group.source == "oil"
    assert group.terms == ["нефть", normalize_word("нефтепродукты")]
    assert group.display == ["нефть", "нефтепродукты"]
    assert group.how[normalize_word("нефтепродукты")] == "override"


def test_override_drops_by_term_or_inflected_word(russian):
    assert "масло" not in en("oil[-масла]", russian).terms
    assert en("Shahbazov[-шахбазов]", russian).terms == []


def test_override_adds_what_the_index_lacks(russian):
    group = en("oil[+мазут]", russian)
    assert group.terms == ["масло", "нефть", "мазут"]


def test_corpus_samples_cross_language():
    vocabulary = TermVocabulary.from_texts(p.read_text(encoding="utf-8")
                                           for p in sorted(CORPUS.glob("*.txt")))
    # English query words reach the Russian articles' terms, and the reverse.
    assert "шахбазов" in en("Shahbazov", vocabulary).terms
    assert "азербайджан" in en("Azerbaijan", vocabulary).terms
    assert "нато" in en("NATO", vocabulary).terms
    assert "mustafayev" in ru("Мустафаев", vocabulary).terms
    assert "balluku" in ru("Баллуку", vocabulary).terms
    assert normalize_word("energy") in ru("энергия", vocabulary).terms


def test_terms_are_deduplicated():
    # Found by the lexicon and again as a capitalized name: kept once.
    group = en("Azerbaijan", TermVocabulary.from_texts(["Азербайджан, Азербайджана"]))
    assert group.terms == ["азербайджан"]
    assert group.display == ["Азербайджан"]


def test_capitalised_word_known_only_by_its_stem_is_read_as_a_name():
    # Snowball stems Fielding to field; the dictionary has no "fielding".
    russian = TermVocabulary.from_texts(["Генри Филдинг написал роман.", "Поле и лес."])
    assert en("Fielding", russian).how == {normalize_word("Филдинга"): "sound"}
    assert en("field", russian).terms == ["поле"]


def test_comparative_is_translated_as_its_adjective():
    # Not видео, a lookalike of the spelling видер.
    russian = TermVocabulary.from_texts(["Широкая дорога.", "Видео дня."])
    assert en("wider", russian).how == {"широкий": "lexicon"}
    assert en("Wider", russian, sentence_start=True).how == {"широкий": "lexicon"}


def test_plural_whose_stem_differs_from_its_singulars_is_translated_as_the_singular():
    # Snowball stems buses to buse and lenses to lens (lens: len); tapes keeps
    # tape's own translations (and is no "tap").
    russian = TermVocabulary.from_texts(["Новые автобусы вышли на линию.", "Линза и объектив.",
                                         "Кран на кухне.", "Бусы из янтаря."])
    assert en("buses", russian).how == {"автобус": "lexicon"}
    assert set(en("lenses", russian).how.values()) == {"lexicon"}
    assert "кран" not in en("tapes", russian).terms


def test_known_word_starting_a_query_is_not_matched_by_sound_as_a_name():
    russian = TermVocabulary.from_texts(["Группа Бойз выступила."])
    assert en("Boys", russian, sentence_start=True).terms == []
    assert en("Boys", russian).how == {"бойз": "sound"}  # mid-sentence, a band's name


def test_short_common_word_gets_no_lookalike():
    # storm's translations are not in this index; стормик only looks like сторм.
    russian = TermVocabulary({"стормик": 3})
    assert en("storm", russian).terms == []
    assert en("Storm", russian).how == {"стормик": "fuzzy"}  # capitalised: maybe a name
