"""The semantic fusion's arithmetic (rank/fusion.py) on hand-made lists:
reciprocal ranks, and for a long query its candidates in the order of
their scores, given the fused scores reciprocal ranks gave them."""
from __future__ import annotations

import numpy as np

from search.index.vectors import GenerationVectors
from search.rank import fusion

# Docs 0-2 in the query's language, doc 3 in the other. Doc 1 is lexically
# all but level with doc 0 and far closer by cosine; ranks hide both margins.
LEXICAL = np.array([1.0, 0.98, 0.5, 0.6], np.float32)
COSINES = [0.80, 0.90, 0.85, 0.88]
OWN = np.array([True, True, True, False])
QUERY = np.array([1.0, 0.0], np.float32)


def vectors_of_cosines(cosines):
    """A generation's vectors whose cosines to QUERY are `cosines`."""
    vectors = GenerationVectors.__new__(GenerationVectors)
    vectors.size = len(cosines)
    vectors.matrix = np.array([[100, 0]] * len(cosines), np.int8)
    vectors.scales = np.array(cosines, np.float32) / 100
    vectors.has = np.ones(len(cosines), bool)
    return vectors


def order(scores, match):
    docs = np.flatnonzero(match)
    return docs[np.lexsort((docs, -scores[docs]))].tolist()


def test_a_long_query_orders_its_candidates_by_scores_with_the_fused_scores_ranks_gave():
    everything = np.ones(4, bool)
    scores, match = fusion.fuse(LEXICAL, everything, everything, OWN, vectors_of_cosines(COSINES), QUERY, long=True)
    # Reciprocal ranks alone: 3 (1/13 + 1/12), 0 (1/11 + 0.3/14), 1, 2.
    # By 0.4 * lexical / best + 0.6 * min-max cosine: 1 (0.992), 3 (0.72), 2 (0.5), 0 (0.4).
    assert order(scores, match) == [1, 3, 2, 0]
    ranks = [1 / 13 + 1 / 12, 1 / 11 + 0.3 / 14, 1 / 12 + 0.3 / 11, 1 / 14 + 0.3 / 13]
    assert np.allclose(scores[[1, 3, 2, 0]], ranks, atol=fusion.TAIL)  # each plus at most TAIL


def test_a_short_query_keeps_reciprocal_ranks():
    everything = np.ones(4, bool)
    scores, match = fusion.fuse(LEXICAL, everything, everything, OWN, vectors_of_cosines(COSINES), QUERY, long=False)
    # Lexical ranks 0, 1, 3, 2; by cosine 1, 3, 2, 0; all weigh 0.3.
    assert order(scores, match) == [0, 1, 3, 2]


def test_by_scores_weighs_lexical_against_cosine_and_breaks_ties_by_docnum():
    docs = np.array([4, 7, 9])
    lexical = np.array([2.0, 1.0, 1.0])
    cosines = np.array([0.5, 0.7, 0.7])
    for weight, expected in ((0.0, [4, 7, 9]), (1.0, [7, 9, 4]), (0.6, [7, 9, 4]), (0.25, [4, 7, 9])):
        fused = np.zeros(10)
        fused[docs] = [0.1, 0.3, 0.2]
        fusion.by_scores(fused, docs, lexical, cosines, weight)
        assert docs[np.argsort(-fused[docs], kind="stable")].tolist() == expected
        assert sorted(fused[docs]) == [0.1, 0.2, 0.3]
    fused = np.array([0.0, 0.3])
    fusion.by_scores(fused, np.array([1]), np.array([1.0]), np.array([0.2]))
    assert fused.tolist() == [0.0, 0.3]
