"""Proper nouns that are also common words: Ли is the surname Lee and the
particle ли. A capitalised mid-sentence occurrence is indexed as a name too,
and a name query finds the name without drowning in the particle (real
indexes)."""
import pytest

from helpers import engine_over, ids
from search.analysis import analyze

# Many articles with the particle, two with the surname. The particle's
# articles share one text, so they are searched with one_version=False:
# each counts, as it would were they separate stories.
PARTICLE = "Неизвестно, придёт ли он на встречу и будет ли там решение, спросил ли кто-то.\n"
ARTICLES = {f"particle_{n:02}.txt": f"Вопросы недели {n}\n\n{PARTICLE}" for n in range(24)}
ARTICLES |= {
    "lee_ru.txt": "Климатический доклад\n\nПредседатель МГЭИК Хёсон Ли представил доклад о климате.\n",
    "lee2_ru.txt": "Визит в Сеул\n\nПрезидент Южной Кореи Ли встретился с министрами.\n",
    "lee_en.txt": "Climate report\n\nIPCC chair Hoesung Lee presented the report.\n",
}


def test_a_capitalised_word_in_mid_sentence_is_indexed_as_a_name_too():
    terms = [t.text for t in analyze("Председатель МГЭИК Хёсон Ли заявил, придёт ли он.", alternatives=True)]
    assert terms.count("ли") == 2 and terms.count("Ли") == 1
    # At a sentence's start a capital says nothing; in a query, nothing is added.
    assert "Ли" not in [t.text for t in analyze("Ли заявил.", alternatives=True)]
    assert "Ли" not in [t.text for t in analyze("Хёсон Ли")]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_over(tmp_path_factory.mktemp("proper"), ARTICLES)


def test_a_name_query_finds_the_name_not_the_particle(engine):
    assert set(ids(engine.search("Хёсон Ли", lang="ru", one_version=False))[:2]) == {"lee_ru.txt", "lee2_ru.txt"}
    assert not any(i.startswith("particle") for i in ids(engine.search("Хёсон Ли", lang="ru", one_version=False)))


def test_an_english_name_finds_its_russian_name_not_the_particle(engine):
    found = ids(engine.search("Lee", lang="ru", one_version=False))
    assert set(found) == {"lee_ru.txt", "lee2_ru.txt"}


def test_the_particle_is_still_found_in_lower_case(engine):
    assert len(ids(engine.search("придёт ли", lang="ru", limit=50, one_version=False))) >= 24
