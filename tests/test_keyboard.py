"""Queries typed in the wrong keyboard layout, over a real index: the rule,
the engine, the API and the page."""
import pytest

from helpers import index_over
from search.engine import Engine
from search.keyboard import retyped, wrong_layout
from web import create_app

# Distinct stories: near-duplicates would be one hit (index/duplicates.py).
_RU_NEWS = ["«Газпром» сообщил о росте экспорта в Китай по новому контракту.",
            "Акции «Газпрома» выросли на биржах Европы после отчёта ОПЕК.",
            "Министерство и «Газпром» обещали новый прогноз добычи к пятнице.",
            "Аналитики банков ждут, что «Газпром» снизит запасы зимой."]
_EN_NEWS = ["Ministers met in Vienna for a second round of energy talks.",
            "The delegation flew home after a short energy visit to Baku.",
            "Journalists waited outside the hall while energy firms signed deals."]
ARTICLES = {
    **{f"ru/oil_{i}.txt": f" date 2024-0{i + 1}-01\n\nЦена на нефть выросла\n\n{news} Нефть подорожала.\n"
       for i, news in enumerate(_RU_NEWS)},
    **{f"en/hello_{i}.txt": f" date 2024-0{i + 1}-02\n\nA hello from the summit\n\n{news} Leaders said hello "
                            f"to the press.\n" for i, news in enumerate(_EN_NEWS)},
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return index_over(tmp_path_factory.mktemp("keyboard"), ARTICLES)


@pytest.fixture(scope="module")
def engine(index):
    return Engine(index)


@pytest.fixture
def client(index):
    return create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()


def test_the_rule_on_document_counts():
    df = {"нефть": 40, "газпром": 12, "hello": 3, "energy": 30, "ytanm": 1, "leaders": 3, "дуфвукы": 0}
    assert retyped("ytanm", df) == "нефть"
    assert retyped("Ufpghjv", df) == "Газпром"
    assert retyped("руддщ", df) == "hello"
    assert retyped("ytanm Ufpghjv", df) == "нефть Газпром"
    assert retyped("energy", df) is None  # a word of the index stays
    assert retyped("ytanm energy", df) is None  # energy is more likely as typed
    assert retyped("дуфвукы", {"leaders": 2}) is None  # 2 documents are too few: ratio 3
    assert retyped("title:ytanm", df) is None and retyped("ytanm OR hello", df) is None  # syntax stays
    assert wrong_layout("нефть") == "ytanm" and wrong_layout("hello") == "руддщ"


@pytest.mark.parametrize("typed, meant, lang", [("ytanm", "нефть", "ru"), ("Ufpghjv", "Газпром", "ru"),
                                                ("руддщ", "hello", "en")])
def test_engine_searches_the_query_as_meant(engine, typed, meant, lang):
    result = engine.search(typed, translate=False)
    assert result.query == meant and result.typed == typed
    assert result.total >= 3 and {h.lang for h in result.hits} == {lang}
    as_typed = engine.search(typed, translate=False, as_typed=True)
    assert as_typed.query == typed and as_typed.typed is None and as_typed.total == 0


def test_a_query_of_the_index_is_not_retyped(engine):
    result = engine.search("energy")
    assert result.typed is None and result.query == "energy" and result.total == 3


def test_api_tells_the_query_as_typed(client):
    body = client.get("/api/search?q=ytanm").get_json()
    assert body["query"] == "нефть" and body["typed"] == "ytanm" and body["total"] == 4
    body = client.get("/api/search?q=ytanm&as_typed=1").get_json()
    assert body["query"] == "ytanm" and body["typed"] is None and body["total"] == 0
    assert client.get("/api/search?q=energy").get_json()["typed"] is None
    assert client.get("/api/search?q=ytanm&as_typed=maybe").status_code == 400


def test_page_shows_a_notice_and_a_link_back_to_the_query_as_typed(client):
    page = client.get("/?q=Ufpghjv").get_data(as_text=True)
    assert "Showing results for <strong>Газпром</strong>." in page
    assert '<a href="/?q=Ufpghjv&amp;as_typed=1">Search for “Ufpghjv” as typed</a>' in page
    assert "<mark>Газпром</mark>" in page
    as_typed = client.get("/?q=Ufpghjv&as_typed=1").get_data(as_text=True)
    assert "Showing results for" not in as_typed and 'value="Ufpghjv"' in as_typed


def test_cli_searches_as_meant_unless_told(index):
    from click.testing import CliRunner

    from search.cli import main

    result = CliRunner().invoke(main, ["search", "ytanm", "--index", str(index)])
    assert result.exit_code == 0
    assert result.output.splitlines()[1] == "  searched as нефть (typed in the other keyboard layout; " \
                                            "--as-typed searches ytanm)"
    result = CliRunner().invoke(main, ["search", "ytanm", "--index", str(index), "--as-typed"])
    assert result.output.startswith("0 result(s)") and "searched as" not in result.output
