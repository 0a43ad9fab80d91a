"""Shared fixtures: a test corpus, its index (built once per session), and a
Flask app, client and CLI runner over a private copy of that index."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import IMG_PAYLOAD, SAMPLE, SCRIPT_PAYLOAD, XSS_ID
from search.index.writer import build
from web import create_app

_CITIES = ["Baku", "Tbilisi", "Ankara", "Vienna", "Rome", "Athens", "Sofia", "Tirana", "Belgrade",
           "Astana", "Tashkent", "Doha"]
_CITIES_RU = ["Баку", "Тбилиси", "Анкаре", "Вене", "Риме", "Афинах", "Софии", "Тиране", "Белграде",
           "Астане", "Ташкенте", "Дохе"]


def _generated_articles() -> dict[str, str]:
    """12 English and 12 Russian energy stories, 2019-2024: with the shipped
    corpus, "energy" finds more than two pages of ten. Figures of their own
    keep them apart from near-duplicates (search/index/duplicates.py)."""
    files = {}
    for i, (city, city_ru) in enumerate(zip(_CITIES, _CITIES_RU)):
        date = f"{2019 + i % 6}-{1 + i % 12:02d}-{10 + i:02d}"
        files[f"gen/en_{i:02d}.txt"] = (
            f" date {date}\n\nEnergy ministers meet in {city}\n\n"
            f"Energy ministers from the region met in {city} on Tuesday to discuss the security of energy supply, "
            f"new pipelines and the growth of renewable power. The talks covered gas exports, electricity grids "
            f"and investment in solar and wind projects, officials said after the meeting.\n\n"
            f"The delegations agreed to meet again next year and to prepare a joint energy strategy.\n\n"
            f"The meeting, number {100 + i}, lasted {2 + i} hours and drew {40 + 3 * i} delegates "
            f"from {5 + i} countries. They signed {3 + i} of {20 + 2 * i} drafts, {7 + i} pages each, "
            f"and set {60 + i} goals for {2030 + i}.\n")
        files[f"gen/ru_{i:02d}.txt"] = (
            f" date {date}\n\nМинистры энергетики встретились в {city_ru}\n\n"
            f"Министры энергетики стран региона провели встречу в {city_ru}, где обсудили надёжность поставок "
            f"энергии, строительство новых газопроводов и развитие возобновляемой энергетики. Стороны "
            f"рассмотрели экспорт газа, электрические сети и инвестиции в солнечные и ветровые проекты.\n\n"
            f"Делегации договорились встретиться в следующем году и подготовить совместную стратегию.\n\n"
            f"Заседание номер {100 + i} длилось {2 + i} часа, на него прибыли {40 + 3 * i} делегатов "
            f"из {5 + i} стран. Они подписали {3 + i} из {20 + 2 * i} проектов по {7 + i} страниц "
            f"и поставили {60 + i} целей на {2030 + i} год.\n")
    return files


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """The shipped corpus, generated energy stories, one article whose title
    and body carry HTML injection payloads, and two JSON records with urls,
    one of them a javascript: url."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SAMPLE, root, dirs_exist_ok=True)
    (root / "gen").mkdir()
    for name, text in _generated_articles().items():
        (root / name).write_text(text, encoding="utf-8")
    (root / XSS_ID).write_text(
        f" date 2024-03-01\n\nPayload headline {SCRIPT_PAYLOAD} {IMG_PAYLOAD} about pipelines\n\n"
        f"This article tests the escaping of article text. Its payload {SCRIPT_PAYLOAD} sits next to the "
        f"word pipeline, and so does {IMG_PAYLOAD} in the middle of the body of the payload story.\n",
        encoding="utf-8")
    records = [
        {"title": "Turbine factory opens", "body": "A wind turbine factory opened near the coast.",
         "url": "https://example.com/turbines", "lang": "en", "date": "2021-06-01"},
        {"title": "Grid outage report", "body": "A report on last winter's grid outage was published.",
         "url": "javascript:alert(1)", "lang": "en", "date": "2021-06-02"},
    ]
    (root / "links.json").write_text(json.dumps(records), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def index_dir(corpus, tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("index") / "corpus"
    build(corpus, index)
    return index


@pytest.fixture
def app(index_dir, tmp_path):
    """An app over this test's own copy of the index."""
    own = tmp_path / "index"
    shutil.copytree(index_dir, own)
    return create_app({"TESTING": True, "INDEX_DIR": str(own), "LEXICONS": []})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
