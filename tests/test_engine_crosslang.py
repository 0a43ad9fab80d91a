"""Cross-language lookup over real indexes: names across scripts, inflected
Russian queries finding English articles, structured groups, overrides and
counterpart articles."""
import shutil

import pytest

from helpers import NATO_RU, SAMPLE, engine_over, ids
from search.engine import Engine
from search.index.writer import build

NATO_EN = (
    "Azerbaijan and NATO exchange views on energy cooperation\n\n"
    "A round table \"Azerbaijan - NATO\" was held in Baku, devoted to energy security and climate change.\n\n"
    "The forum was organized within the 30th anniversary of Azerbaijan joining the NATO framework document "
    "Partnership for Peace, the Kazinform agency writes. The forum discussed energy security, the role of "
    "Azerbaijan in ensuring the energy security of Europe, threats and risks to important energy "
    "infrastructure, and climate change.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SAMPLE, corpus, dirs_exist_ok=True)
    (corpus / "nato_en.txt").write_text(NATO_EN, encoding="utf-8")
    index = tmp_path_factory.mktemp("ix") / "bilingual"
    build(corpus, index)
    return Engine(index)


def test_latin_name_finds_its_inflected_cyrillic_spelling(engine):
    result = engine.search("Shahbazov", lang="ru")
    assert ids(result) == ["003_1da6fcedd6322d04.txt"]  # «Парвиза Шахбазова»
    assert result.translations[0]["word"] == "Shahbazov"
    assert "шахбазов" in result.translations[0]["terms"]


def test_cyrillic_name_finds_latin_spelling(engine):
    result = engine.search("Шахбазову", lang="en")
    assert ids(result) == ["000_1b4e62a6aabbd5a2.txt"]


def test_inflected_russian_query_finds_english_articles(engine):
    result = engine.search("энергетической безопасности", lang="en")
    assert ids(result)[0] == "nato_en.txt"
    shown = {t["word"]: t["translations"] for t in result.translations}
    assert "security" in shown["безопасности"]


def test_without_translation_only_names_cross(engine):
    assert ids(engine.search("энергетической безопасности", lang="en", translate=False)) == []


def test_one_bilingual_ranking_by_default(engine):
    result = engine.search("energy security NATO")
    assert {"nato_en.txt", NATO_RU} <= set(ids(result)[:2])
    assert {h.lang for h in result.hits} == {"en", "ru"}


def test_override_drops_and_adds_translations(engine):
    plain = engine.search("security", lang="ru").translations[0]
    assert "безопасность" in plain["terms"]
    dropped = engine.search("security[-безопасность]", lang="ru")
    assert "безопасность" not in dropped.translations[0]["terms"]
    assert NATO_RU not in ids(dropped) or "безопасность" not in dropped.translations[0]["terms"]
    added = engine.search("security[+климат]", lang="ru").translations[0]
    assert "климат" in added["terms"]


def test_counterpart_lookup_finds_the_same_story(engine):
    assert engine.similar("nato_en.txt", other_language=True)[0].id == NATO_RU
    assert engine.similar(NATO_RU, other_language=True)[0].id == "nato_en.txt"
    same_language = engine.similar("nato_en.txt")
    assert same_language and {h.lang for h in same_language} == {"en"}
    assert engine.similar("no-such-id") == []


def test_a_side_holding_far_fewer_words_than_the_other_ranks_below_it(tmp_path):
    # The lone Russian article holds 2 of the query's 5 words, enough alone
    # to count fully; next to an English article holding all 5 it does not.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "en-dementia.txt").write_text(
        "Biologist named the causes of the emergence of dementia\n\n"
        "A biologist named the main causes of the emergence of dementia in older people.\n",
        encoding="utf-8")
    (corpus / "en-sleep.txt").write_text(
        "Doctors discuss sleep\n\nDoctors discussed how people sleep in the winter.\n",
        encoding="utf-8")
    (corpus / "ru-sleep.txt").write_text(
        "Сомнолог назвал причины проблем со сном\n\n"
        "Сомнолог назвал главные причины проблем со сном зимой.\n", encoding="utf-8")
    build(corpus, tmp_path / "ix")
    result = Engine(tmp_path / "ix").search("биолог назвал причины появления деменции")
    assert ids(result) == ["en-dementia.txt", "ru-sleep.txt"]


def test_a_compound_the_dictionary_lists_whole_is_translated_whole(tmp_path):
    engine = engine_over(tmp_path, {
        "new_york.txt": "Markets in New York\n\nTrading in New York closed higher on Friday.\n",
        "playoffs.txt": "Capitals in the play-offs\n\nWashington reached the play-offs again.\n",
        "nu.txt": "Nu metal\n\nThe band plays nu metal in Oslo.\n"})
    result = engine.search("Нью-Йорк", lang="en")
    assert ids(result) == ["new_york.txt"]  # not «нью» alone, transliterated to nu
    assert [(t["word"], t["translations"]) for t in result.translations] == [("Нью-Йорк", ["New York"])]
    # The dictionary's closed spelling also finds the articles' hyphenated one.
    result = engine.search("плей-офф.", lang="en")
    assert ids(result) == ["playoffs.txt"]
    assert result.translations[0]["word"] == "плей-офф"
    assert "play-off" in result.translations[0]["terms"]
    # A compound the dictionary lacks is translated by its parts.
    assert [t["word"] for t in engine.search("бизнес-миссия", lang="en").translations] == ["бизнес", "миссия"]


def test_words_the_dictionary_lists_as_one_phrase_translate_together(tmp_path):
    engine = engine_over(tmp_path, {
        "usa.txt": "Санкции\n\nСША ввели новые санкции в пятницу.\n",
        "states.txt": "Штаты Индии\n\nНесколько штатов Индии объединили энергосети до порога зимы.\n",
        "railway.txt": "A new line\n\nThe railway to the port opens in May.\n",
        "iron.txt": "Ore\n\nIron ore is carried by road.\n",
        "spb.txt": "Parade\n\nShips sailed past St. Petersburg on Sunday.\n",
        "scale.txt": "Protests\n\nThe protests grew to a larger scale.\n"})
    # Word by word, United States is «объединённые штаты» (India's), not США.
    result = engine.search("the United States", lang="ru")
    assert sorted(ids(result)) == ["states.txt", "usa.txt"]
    assert result.translations[0] == {"word": "United States", "from": "en", "to": "ru",
                                      "translations": ["США"], "terms": ["сша"]}
    assert [t["word"] for t in result.translations[1:]] == ["United", "States"]
    result = engine.search("железная дорога", lang="en")
    assert sorted(ids(result)) == ["iron.txt", "railway.txt"]
    assert result.translations[0]["translations"] == ["railway"]
    # The phrase adds to its words' translations: words apart still match.
    assert "scale.txt" in ids(engine.search("крупный масштаб", lang="en"))
    result = engine.search("в Санкт-Петербурге", lang="en")
    assert ids(result) == ["spb.txt"]
    assert "St. Petersburg" in result.translations[0]["translations"]
    # A word whose translation the corpus has is no typo (дорога: порога).
    assert engine.search("железная дорога").suggestions == []
    assert engine.search("железная дорога", translate=False).suggestions == ["железная порога"]


def test_a_translated_article_sharing_the_numbers_of_the_own_languages_best_ranks_higher(tmp_path):
    engine = engine_over(tmp_path, {
        "en-fire.txt": "Wildfire near Marseille\n\nA wildfire near Marseille burned 1,200 hectares of forest on "
                       "Tuesday; 340 firefighters fought the fire.\n",
        "ru-older.txt": "Лесной пожар у Марселя\n\nЛесной пожар у Марселя в 2017 году уничтожил лес. "
                        "Пожар у Марселя тушили пожарные.\n",
        "ru-same.txt": "Пожарные под Марселем\n\nВо вторник 340 пожарных тушили пожар в лесу под Марселем, "
                       "огонь прошёл 1 200 гектаров.\n",
        "en-floods.txt": "Floods in Spain\n\nFloods hit Valencia.\n"})
    ranked = ids(engine.search("wildfire near Marseille"))
    # By its words the older story is the better Russian match; the same
    # story's numbers (340, 1,200 as 1 200) outweigh that.
    assert ranked.index("ru-same.txt") < ranked.index("ru-older.txt")
    assert set(ranked) == {"en-fire.txt", "ru-older.txt", "ru-same.txt"}


def test_a_translation_finds_the_sense_the_dictionary_gives_not_its_homograph(tmp_path):
    engine = engine_over(tmp_path, {
        "guilt.txt": "Приговор\n\nСуд признал вину директора завода.\n",
        "wine.txt": "Урожай\n\nВ долине выпили молодое вино этого года.\n"})
    # вина (guilt), not вино (wine), whose genitive вина is the best parse.
    result = engine.search("guilt", lang="ru")
    assert ids(result) == ["guilt.txt"]
    assert "вина" in result.translations[0]["terms"]


def test_a_chinese_name_is_found_in_pinyin_and_in_palladius(tmp_path):
    engine = engine_over(tmp_path, {
        "visit_ru.txt": "Визит\n\nСи Цзиньпин прибыл в Шэньчжэнь и встретился с руководством Хуавэй.\n",
        "rain_ru.txt": "Погода\n\nВ Москве весь день шёл дождь.\n",
        "visit_en.txt": "Visit\n\nXi Jinping arrived in Wuhan on Monday.\n",
        "rain_en.txt": "Weather\n\nIt rained all day in London.\n"})
    result = engine.search("Xi Jinping", lang="ru")
    assert ids(result) == ["visit_ru.txt"]
    assert [("си" in t["terms"], "цзиньпин" in t["terms"]) for t in result.translations] == [(True, False), (False, True)]
    # An inflected Palladius form finds the pinyin spelling.
    result = engine.search("Цзиньпина", lang="en")
    assert ids(result) == ["visit_en.txt"]
    assert result.translations[0]["translations"] == ["jinp"]


def test_a_prefixed_word_is_translated_whole(tmp_path):
    engine = engine_over(tmp_path, {
        "measures_ru.txt": "Меры\n\nДума приняла антикоррупционные поправки.\n",
        "corruption_ru.txt": "Суд\n\nДело о коррупции передано в суд.\n",
        "rally_en.txt": "Rally\n\nAn anti-government rally was held in the capital.\n",
        "cabinet_en.txt": "Cabinet\n\nThe government met on Monday.\n"})
    result = engine.search("anti-corruption", lang="ru")
    assert ids(result) == ["measures_ru.txt"]
    assert result.translations == [{"word": "anti-corruption", "from": "en", "to": "ru",
                                    "translations": ["антикоррупционный"], "terms": ["антикоррупционный"]}]
    result = engine.search("антиправительственные", lang="en")
    assert ids(result) == ["rally_en.txt"]
    assert result.translations[0]["terms"] == ["anti-govern"]


def test_a_learned_word_also_finds_its_russian_loanword(tmp_path):
    engine = engine_over(tmp_path, {
        "fronts_ru.txt": "Погода\n\nСиноптики описали атмосферические фронты над морем.\n",
        "rain_ru.txt": "Осадки\n\nАтмосферные осадки превысили норму.\n",
        "leaf_ru.txt": "Сад\n\nС дерева упал жёлтый лист.\n",
        "list_ru.txt": "Выборы\n\nЦИК опубликовал список кандидатов.\n"})
    # The dictionary gives атмосферный; the corpus also says атмосферический.
    result = engine.search("atmospheric", lang="ru")
    assert sorted(ids(result)) == ["fronts_ru.txt", "rain_ru.txt"]
    assert result.translations[0]["terms"] == ["атмосферный", "атмосферический"]
    # A plain word's lookalike is a false friend as often: list is no лист.
    assert ids(engine.search("list", lang="ru")) == ["list_ru.txt"]


def test_an_ambiguous_russian_word_is_translated_in_every_reading(tmp_path):
    engine = engine_over(tmp_path, {
        "court_en.txt": "Court\n\nThe director admitted his guilt in court.\n",
        "cellar_en.txt": "Cellar\n\nThe cellar holds old wine from Crimea.\n",
        "bread_en.txt": "Bakery\n\nThe bakery sells fresh bread.\n"})
    # «вина»: the genitive of вино (wine), its best parse, and вина (guilt).
    result = engine.search("вина", lang="en")
    assert sorted(ids(result)) == ["cellar_en.txt", "court_en.txt"]
    assert {"wine", "guilt"} <= set(result.translations[0]["terms"])


def test_an_english_noun_also_finds_the_russian_adjective_of_its_translation(tmp_path):
    engine = engine_over(tmp_path, {
        "emissions_ru.txt": "Климат\n\nВыбросы парниковых газов снова выросли.\n",
        "garden_ru.txt": "Дача\n\nВ парнике созрели ранние огурцы.\n",
        "odd_ru.txt": "Происшествие\n\nСтранный случай произошёл в порту.\n",
        "land_ru.txt": "Выборы\n\nСтрана готовится к выборам.\n"})
    # English says "greenhouse gases", Russian «парниковые газы».
    result = engine.search("greenhouse", lang="ru")
    assert sorted(ids(result)) == ["emissions_ru.txt", "garden_ru.txt"]
    assert "парниковый" in result.translations[0]["terms"]
    # An adjective of another word that starts alike is not taken: странный
    # is strange, no root shared with country.
    result = engine.search("country", lang="ru")
    assert ids(result) == ["land_ru.txt"]
    assert "странный" not in result.translations[0]["terms"]
