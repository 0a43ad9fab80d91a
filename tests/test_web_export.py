"""Search results as CSV (/api/search?…&format=csv)."""
import csv
import io
import json

import pytest

from search.index.writer import build
from web import create_app

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"]


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8"))))


def test_csv_export_of_a_search(client):
    response = client.get("/api/search?q=energy&lang=ru&limit=3&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mlsearch-results.csv"'
    table = rows(response)
    assert table[0] == ["id", "title", "date", "outlet", "language", "score", "url"]
    assert len(table) == 4
    hits = client.get("/api/search?q=energy&lang=ru&limit=3").get_json()["hits"]
    assert [r[0] for r in table[1:]] == [h["id"] for h in hits]
    assert [r[1] for r in table[1:]] == [h["title"] for h in hits]
    assert any("Министры" in r[1] for r in table[1:])  # UTF-8
    assert [r[4] for r in table[1:]] == ["ru"] * 3
    assert float(table[1][5]) == hits[0]["score"]


def test_unknown_format_is_400(client):
    response = client.get("/api/search?q=energy&format=xml")
    assert response.status_code == 400 and "csv" in response.get_json()["error"]


@pytest.fixture
def hostile_client(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [{"title": title, "body": f"A pipeline story number {i}.", "lang": "en", "date": "2022-01-01",
                "url": "=cmd|' /C calc'!A0"} for i, title in enumerate(HOSTILE)]
    (corpus / "hostile.json").write_text(json.dumps(records), encoding="utf-8")
    build(corpus, tmp_path / "index")
    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()


def test_cells_a_spreadsheet_would_run_are_quoted(hostile_client):
    table = rows(hostile_client.get("/api/search?q=pipeline&format=csv"))
    assert sorted(r[1] for r in table[1:]) == sorted("'" + title for title in HOSTILE)
    assert {r[6] for r in table[1:]} == {"'=cmd|' /C calc'!A0"}
