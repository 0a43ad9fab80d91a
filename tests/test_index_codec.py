"""The posting blocks of search/postings.py, read back against the texts
they were written from, through our numpy readers and through whoosh's own
matcher interface (its queries and its segment merges)."""
from __future__ import annotations

import random
from collections import Counter, defaultdict

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import TEXT, Schema
from whoosh.query import Phrase, Term

from search.engine import Engine, NoIndex
from search.index.writer import build
from search.index.codec import ArrayCodec, PositionArrays, read_postings, read_values
from search.index.layout import OutdatedIndex
from search.index.reader import WhooshReader

VOCABULARY = ["oil", "gas", "price", "rose", "fell", "pipeline", "moscow", "opec", "deal", "talks"]


def random_texts(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    # Skewed, so that the common words fill several 128-posting blocks and
    # the rare ones a block of one or two.
    weights = [2 ** -i for i in range(len(VOCABULARY))]
    return [rng.choices(VOCABULARY, weights, k=rng.randint(1, 30)) for _ in range(count)]


def write(path, texts, segments: int):
    body = TEXT(analyzer=SpaceSeparatedTokenizer())
    body.format = PositionArrays(field_boost=1.0)
    ix = whoosh_index.create_in(str(path), Schema(body=body, lead=TEXT(analyzer=SpaceSeparatedTokenizer(),
                                                                       phrase=False)))
    share = -(-len(texts) // segments)
    for start in range(0, len(texts), share):
        writer = ix.writer(codec=ArrayCodec())
        for words in texts[start:start + share]:
            writer.add_document(body=" ".join(words), lead=" ".join(words))
        writer.commit(merge=False)
    return ix


def expected_positions(texts) -> dict[str, dict[int, list[int]]]:
    where: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for docnum, words in enumerate(texts):
        for position, word in enumerate(words):
            where[word].setdefault(docnum, []).append(position)
    return where


def postings_of(reader, field, term):
    parts = [(ids + offset, weights) for leaf, offset in reader.leaf_readers()
             for ids, weights, _ in [read_postings(leaf, field, term)]]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


@pytest.mark.parametrize("segments", [1, 3])
def test_blocks_read_back_the_postings_and_positions_written(tmp_path, segments):
    texts = random_texts(segments, 700)
    ix = write(tmp_path, texts, segments)
    where = expected_positions(texts)
    assert max(len(docs) for docs in where.values()) > 3 * 128  # several blocks
    rng = random.Random(7)
    with ix.searcher() as s:
        assert len(s.reader().leaf_readers()) == segments
        for term, docs in where.items():
            for field in ("body", "lead"):
                ids, weights = postings_of(s.reader(), field, term)
                assert ids.tolist() == sorted(docs)
                assert weights.tolist() == [len(docs[d]) for d in sorted(docs)]
            wanted = sorted(rng.sample(range(len(texts)), 150))
            positions = {}
            for leaf, offset in s.reader().leaf_readers():
                local = np.array([d - offset for d in wanted if offset <= d < offset + leaf.doc_count_all()])
                directory = read_postings(leaf, "body", term)[2]
                if directory is None or not len(local):
                    continue
                owners, lengths, data = read_values(directory, local)
                words = np.frombuffer(data, "<u4")
                for owner, end, n in zip(owners, np.cumsum(lengths // 4), lengths // 4):
                    positions[int(owner) + offset] = words[end - n + 1:end].tolist()
            assert positions == {d: docs[d] for d in wanted if d in docs}


def test_whoosh_queries_and_merges_read_the_blocks(tmp_path):
    texts = random_texts(11, 500)
    ix = write(tmp_path, texts, 3)
    where = expected_positions(texts)
    pairs = Counter((a, b) for words in texts for a, b in zip(words, words[1:]))
    (first, second), _ = pairs.most_common(1)[0]
    with_phrase = sorted(d for d, words in enumerate(texts) if any(
        (a, b) == (first, second) for a, b in zip(words, words[1:])))
    ix.writer(codec=ArrayCodec()).commit(optimize=True)  # whoosh merges through our matcher
    with ix.searcher() as s:
        assert len(s.reader().leaf_readers()) == 1
        for term, docs in where.items():
            assert sorted(s.docs_for_query(Term("body", term))) == sorted(docs)
            assert postings_of(s.reader(), "lead", term)[1].tolist() == [len(docs[d]) for d in sorted(docs)]
        assert sorted(s.docs_for_query(Phrase("body", [first, second]))) == with_phrase


def test_an_index_written_with_whooshs_own_blocks_is_rebuilt(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Gas pipeline\n\nThe gas pipeline to Europe was finished.", encoding="utf-8")
    index = tmp_path / "index"
    build(corpus, index)
    gen = index / (index / "CURRENT").read_text()
    whoosh_index.open_dir(str(gen)).writer(codec=W3Codec()).commit(optimize=True)
    with pytest.raises(OutdatedIndex):
        WhooshReader(gen)
    with pytest.raises(NoIndex, match="--full"):
        Engine(index).search("pipeline")
    build(corpus, index)  # not --full: it notices and rebuilds
    assert [h.id for h in Engine(index).search("pipeline").hits] == ["a.txt"]
