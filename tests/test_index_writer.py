"""Building an index: full and incremental builds, in one process or
several, the files written beside each generation, and the lock."""
from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from benchmarks.stress_crash import answers, change_articles, index_command, write_articles
from helpers import NATO_RU, SAMPLE, ids
from search.analysis import analyze
from search.engine import Engine
from search.index import wordtables
from search.keyboard import wrong_layout
from search.index.layout import (BODY_TERMS, DOC_ARRAYS, IndexLocked, NoIndex, current_generation, read_manifest,
                                 read_word_df)
from search.index.reader import WhooshReader
from search.index.writer import build

ALBANIA_EN = "000_1b4e62a6aabbd5a2.txt"


def generation_files(index: Path) -> dict[str, bytes]:
    gen = current_generation(index)
    return {name: (gen / name).read_bytes()
            for name in (BODY_TERMS.format(script="en"), BODY_TERMS.format(script="ru"), *wordtables.FILES)}


def segments(index: Path) -> int:
    """Segments of the live generation, as whoosh counts them."""
    return len(whoosh_index.open_dir(str(current_generation(index))).reader().leaf_readers())


def test_a_parallel_build_indexes_what_one_process_does(tmp_path):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 260, seed=3)
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    one, two = tmp_path / "one", tmp_path / "two"
    single = build(corpus, one, procs=1)
    parallel = build(corpus, two, procs=2)
    assert parallel.added == single.added == 260
    assert [s.path for s in parallel.skipped] == [s.path for s in single.skipped] == ["broken.txt"]
    assert segments(two) == 2  # one segment per worker
    assert read_manifest(current_generation(two))["files"] == read_manifest(current_generation(one))["files"]
    assert generation_files(two) == generation_files(one)
    assert answers(two) == answers(one)


def test_a_parallel_build_in_which_a_worker_indexes_nothing(tmp_path):
    # Such a worker cancelled its writer, which emptied the temporary folder
    # the parent's writer shared: the build failed.
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 1, seed=2)
    for n in range(300):
        (corpus / f"b{n:03d}.txt").write_bytes(b"\x00binary")
    result = subprocess.run(index_command(corpus, index, True, 2), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"index {index} (gen-000001): 1 documents: 1 en\n")
    assert segments(index) == 1


def test_word_frequencies_follow_an_incremental_update(tmp_path):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 40, seed=8)
    updated, rebuilt = tmp_path / "updated", tmp_path / "rebuilt"
    build(corpus, updated)
    change_articles(corpus, random.Random(8), "zqmarker")
    report = build(corpus, updated)
    assert report.updated and report.deleted and report.added
    build(corpus, rebuilt, full=True)
    assert generation_files(updated) == generation_files(rebuilt)
    assert read_word_df(current_generation(updated))["zqmarker"] > 0


def test_a_generation_without_word_tables_is_rebuilt_whole(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 30, seed=5)
    build(corpus, index)
    gen = current_generation(index)
    words = dict(WhooshReader(gen).word_table(wordtables.SURFACE).items())
    for name in wordtables.FILES:  # as a generation written before the tables were
        (gen / name).unlink()
    with pytest.raises(NoIndex, match="built by an older version of mlsearch"):
        Engine(index)
    report = build(corpus, index)  # not --full: an outdated generation is not extended
    assert report.added == 30 and report.unchanged_files == 0
    rebuilt = current_generation(index)
    assert rebuilt != gen and all((rebuilt / name).is_file() for name in wordtables.FILES)
    assert dict(WhooshReader(rebuilt).word_table(wordtables.SURFACE).items()) == words
    # The keyboard layout reads the rebuilt table: a frequent word typed on the Russian layout.
    word = max((w for w in words if w.isascii() and w.isalpha() and len(w) > 4), key=words.get)
    assert Engine(index).search(wrong_layout(word)).typed == wrong_layout(word)


def test_document_arrays_match_the_index(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(" date 2019-03-04\nGas talks\n\nGas prices rose again today.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Переговоры о газе\n\nЦены на газ снова выросли сегодня утром.\n",
                                  encoding="utf-8")
    index = tmp_path / "index"
    build(corpus, index)
    (corpus / "a.txt").unlink()
    build(corpus, index)  # a deletion: the arrays mark it
    view = WhooshReader(current_generation(index))
    assert "газ" in view.body_terms("ru") and "газ" not in view.body_terms("en")
    with np.load(current_generation(index) / DOC_ARRAYS) as arrays:
        assert arrays["live"].tolist() == [False, True]
        assert arrays["lang"].tolist()[1] == 1  # ru
        assert arrays["length_title"].tolist()[1] == len(analyze("Переговоры о газе", alternatives=True))
        assert arrays["days"].tolist()[0] == (dt.date(2019, 3, 4) - dt.date(1970, 1, 1)).days


def test_an_update_leaves_the_previous_generations_files_as_they_were(tmp_path):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 30, seed=6)
    index = tmp_path / "index"
    build(corpus, index)
    previous = current_generation(index)
    before = {f.name: f.read_bytes() for f in previous.iterdir() if f.is_file()}
    change_articles(corpus, random.Random(6), "zqlater")
    build(corpus, index)
    assert current_generation(index) != previous
    assert {f.name: f.read_bytes() for f in previous.iterdir() if f.is_file()} == before


def test_incremental_add_change_delete(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    index = tmp_path / "index"
    report = build(corpus, index)
    assert (report.added, report.documents) == (5, {"en": 3, "ru": 2})
    engine = Engine(index)
    assert ids(engine.search("Tirana", translate=False)) == [ALBANIA_EN]

    (corpus / "new.txt").write_text("Pipeline news\n\nA new pipeline to Tirana was opened.\n", encoding="utf-8")
    changed = corpus / ALBANIA_EN
    changed.write_text("Albania\n\nThe text no longer names the capital.\n", encoding="utf-8")
    (corpus / NATO_RU).unlink()
    report = build(corpus, index)
    assert (report.added, report.updated, report.deleted, report.unchanged_files) == (1, 1, 1, 3)
    assert ids(engine.search("Tirana", translate=False)) == ["new.txt"]
    assert engine.document(NATO_RU) is None
    assert engine.stats()["documents"] == 5

    report = build(corpus, index)
    assert (report.added, report.updated, report.deleted) == (0, 0, 0)


def test_unreadable_file_keeps_what_was_indexed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    index = tmp_path / "index"
    build(corpus, index)
    (corpus / ALBANIA_EN).write_bytes(b"\x00\x01binary now")
    report = build(corpus, index)
    assert [(s.path, s.reason) for s in report.skipped] == [(ALBANIA_EN, "binary file")]
    assert Engine(index).document(ALBANIA_EN) is not None


def test_second_indexer_gets_a_clear_error(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    # The first indexer is another process: the lock is per process.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from search.index.generations import Lock\n"
         "with Lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)", str(index)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked, match=f"another indexer \\(pid {holder.pid}\\)"):
            build(SAMPLE, index)
    finally:
        holder.kill()
        holder.wait()
