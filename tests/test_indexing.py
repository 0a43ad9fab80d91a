"""The parallel full build and the files written beside each generation."""
from __future__ import annotations

import datetime as dt
import random
import subprocess
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from benchmarks.stress_crash import answers, change_articles, index_command, write_articles
from search.analysis import analyze
from search.index.layout import BODY_TERMS, DOC_ARRAYS, WORD_DF, current_generation, read_manifest
from search.index.reader import WhooshReader
from search.indexing import build
from search.rank.bm25f import group_idf
from search.rank.proximity import proximity


def generation_files(index: Path) -> dict[str, str]:
    gen = current_generation(index)
    return {name: (gen / name).read_text(encoding="utf-8")
            for name in (WORD_DF, BODY_TERMS.format(script="en"), BODY_TERMS.format(script="ru"))}


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
    assert "zqmarker\t" in generation_files(updated)[WORD_DF]


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


def test_the_postings_cache_is_bounded_by_bytes(tmp_path):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 40, seed=4)
    build(corpus, tmp_path / "index")
    view = WhooshReader(current_generation(tmp_path / "index"))
    view.POSTINGS_CACHE_BYTES = 2000
    for term in view.body_terms("en")[:300]:
        view.postings("body", term)
    # Each entry: its arrays, ~300 bytes of objects, and where its blocks lie.
    kept = sum(300 + docs.nbytes + tfs.nbytes for docs, tfs in view._postings.values())
    kept += sum(100 + d.nbytes for directories in view._directories.values() for _, _, d in directories)
    assert 0 < kept == view._postings_bytes <= 2000
    assert len(view._postings) < 300
    assert set(view._directories) == set(view._postings)  # evicted together


def as_lists(positions: dict) -> dict:
    return {d: p.tolist() for d, p in positions.items()}


def test_cached_positions_are_the_indexs_and_their_cache_is_bounded(tmp_path):
    corpus = tmp_path / "corpus"
    write_articles(corpus, 40, seed=4)
    build(corpus, tmp_path / "index")
    view = WhooshReader(current_generation(tmp_path / "index"))
    fresh = WhooshReader(current_generation(tmp_path / "index"))
    view.POSITIONS_CACHE_BYTES = 3000
    docs = list(range(view.size))
    terms = view.body_terms("en")[:200]
    for term in terms[:20]:
        view.positions("body", term, docs[:10])
        # Partly cached: the rest of the documents are read.
        assert as_lists(view.positions("body", term, docs)) == as_lists(fresh.positions("body", term, docs))
    for term in terms:
        view.positions("body", term, docs[:10])
    assert 0 < view._positions_bytes <= 3000
    assert view._positions_bytes == sum(size for _, size in view._positions.values())
    assert len(view._positions) < 200


def test_phrases_match_adjacent_words_in_order_only(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {"a.txt": "Gas pipeline talks resume in Baku today",
             "b.txt": "Pipeline gas talks resume in Baku today",
             "c.txt": "Gas and a new pipeline: talks resume in Baku",
             "d.txt": "New talks on the gas pipeline pipeline gas pipeline"}
    for name, text in texts.items():
        (corpus / name).write_text(f"Energy news\n\n{text}\n", encoding="utf-8")
    build(corpus, tmp_path / "index")
    view = WhooshReader(current_generation(tmp_path / "index"))
    ids = lambda docs: sorted(view.stored(int(d))["id"] for d in docs)  # noqa: E731
    assert ids(view.postings("body", "gas pipelin")[0]) == ["a.txt", "d.txt"]
    assert ids(view.postings("body", "pipelin gas talk")[0]) == ["b.txt"]
    assert ids(view.postings("body", "pipelin pipelin gas")[0]) == ["d.txt"]
    d = view.document_number("d.txt")
    assert as_lists(view.positions("body", "pipelin", [d])) == {d: [3, 4, 6]}  # stop words take no position


# Random texts of five words, and each word's index term.
_WORDS = {"gas": "gas", "oil": "oil", "pipeline": "pipelin", "price": "price", "deal": "deal"}


def random_texts_view(tmp_path, rng, count: int, longest: int, shortest: int = 1):
    """(texts as word lists, an WhooshReader over them); text i is NNN.txt."""
    texts = [rng.choices(list(_WORDS), k=rng.randint(shortest, longest)) for _ in range(count)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(texts):
        (corpus / f"{i:03}.txt").write_text("Energy\n\n" + " ".join(text), encoding="utf-8")
    build(corpus, tmp_path / "index", procs=1)
    return texts, WhooshReader(current_generation(tmp_path / "index"))


def test_phrases_on_random_texts_match_the_documents_with_the_words_adjacent(tmp_path):
    rng = random.Random(5)
    texts, view = random_texts_view(tmp_path, rng, 300, longest=40, shortest=2)
    for _ in range(30):
        phrase = rng.choices(list(_WORDS), k=rng.randint(2, 3))
        expected = sorted(f"{i:03}.txt" for i, text in enumerate(texts)
                          if any(text[j:j + len(phrase)] == phrase for j in range(len(text))))
        found = view.postings("body", " ".join(_WORDS[w] for w in phrase))[0]
        assert sorted(view.stored(int(d))["id"] for d in found) == expected, phrase


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


def test_proximity_on_random_texts_is_the_nearest_distance_of_each_pair_of_groups(tmp_path):
    rng = random.Random(6)
    texts, view = random_texts_view(tmp_path, rng, 100, longest=60)
    number = {view.stored(d)["id"]: d for d in range(view.size)}
    for _ in range(20):
        groups = list(dict.fromkeys(tuple(_WORDS[w] for w in rng.sample(list(_WORDS), rng.randint(1, 2)))
                                    for _ in range(3)))
        expected = []
        for text in texts:
            where = [[p for p, w in enumerate(text) if _WORDS[w] in g] for g in groups]
            bonus = 0.0
            for a in range(len(groups)):
                for b in range(a + 1, len(groups)):
                    if where[a] and where[b]:
                        nearest = min(abs(x - y) for x in where[a] for y in where[b])
                        if nearest:
                            bonus += min(group_idf(view, groups[a]), group_idf(view, groups[b])) / nearest
            expected.append(bonus)
        docs = np.array([number[f"{i:03}.txt"] for i in range(len(texts))])
        assert np.allclose(proximity(view, groups, docs), expected, rtol=1e-5), groups
