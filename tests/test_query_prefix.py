"""Prefix queries (Gazp*, Азербайдж*) over a real index: the engine, the
API, the page and the CLI."""
import json

from click.testing import CliRunner

from search.cli import main
from test_web import html


def expansion(body: dict, word: str) -> dict:
    return next(t for t in body["translations"] if t["word"] == word)


def test_latin_prefix_expands_over_the_corpus_words_and_is_not_translated(client):
    body = client.get("/api/search?q=Azerbaij*&limit=50").get_json()
    found = expansion(body, "Azerbaij*")
    assert found["expansion"] is True
    assert found["translations"] == ["azerbaijan", "azerbaijani"]  # most frequent first
    assert [t for t in body["translations"] if t["word"] != "Azerbaij*"] == []  # nothing translated
    assert body["total"] == 3 and {h["lang"] for h in body["hits"]} == {"en"}
    assert "<mark>Azerbaijani</mark>" in "".join(h["snippet"] for h in body["hits"])


def test_cyrillic_prefix_finds_every_word_it_starts(client):
    body = client.get("/api/search?q=Азербайдж*").get_json()
    assert {"азербайджан", "азербайджана"} <= set(expansion(body, "Азербайдж*")["translations"])
    assert body["total"] == 2 and {h["lang"] for h in body["hits"]} == {"ru"}


def test_prefix_in_a_field(client):
    body = client.get("/api/search?q=title:Азербайдж*").get_json()
    assert [h["title"][:10] for h in body["hits"]] == ["Азербайджа"]


def test_short_prefix_is_a_clear_400(client):
    response = client.get("/api/search?q=Ga*")
    assert response.status_code == 400
    assert response.get_json()["error"] == "'Ga*': a prefix search needs at least 3 letters before '*', and letters only"


def test_prefix_expansion_is_shown_on_the_page(client):
    page = html(client.get("/?q=Azerbaij*"))
    assert "Azerbaij*</span> →" in page and "azerbaijan, azerbaijani" in page


def test_prefix_in_the_cli(index_dir):
    result = CliRunner().invoke(main, ["search", "Azerbaij*", "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert expansion(json.loads(result.output), "Azerbaij*")["translations"] == ["azerbaijan", "azerbaijani"]
