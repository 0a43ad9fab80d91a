"""The semantic channel's fusion: the lexical ranking and the dense one,
merged by reciprocal rank (RRF: each list adds weight / (K + rank)).

A long query of plain words lets the dense list bring in documents the
lexical one lacks (paraphrase, the other language without a dictionary).
A short or structured query only has its lexical candidates re-ranked:
on 2-4-word news queries naive fusion let weak dense neighbours in and
lost 0.035 nDCG@10 (../shared/notes/semantic.md), and a dense neighbour
would not honour NOT, a phrase or a field.

The dense list weighs more for documents in the other language than the
query's, where the lexical side depends on translation, than for those in
its own, where BM25 is strong (xquad-ru lost 0.004 nDCG@10 at equal weights).
For a long query the candidates then take the fused scores RRF gave them
in the order of a convex combination of their lexical score and cosine:
ranks drop how far ahead the best match is. Only documents still without a
vector (a vector phase under way) keep their RRF score among them.
"""
from __future__ import annotations

import numpy as np

from search.index.vectors import GenerationVectors
from search.rank import dense
from search.rank.bm25f import top

DEPTH = 100  # ranks of each list that are fused
# Tuned with tools/tune_fusion.py on the English-query tasks (xquad-en,
# xquad-en2ru, wmt-en2ru, short-en2ru, names-en2ru); the Russian-query ones
# are held out (README, "Semantic channel").
K = 10  # RRF's damping: 10 beat 20 by 0.003 (xquad-en2ru), 60 lost in the prototype
LONG_WORDS = 3  # plain words that may add dense candidates: 3 beat 4 by 0.012 (short-en2ru)
# The dense list's weight by (long, document in the query's language); the
# lexical list weighs 1. Re-tuned at 1,200 characters (README): long, own
# language: 0.3 (xquad-en 0.975; 0.5 within 0.001, 1.0 lost 0.006 at 600);
# long, other: 1.0 beat 0.7 and 1.5 on the mean (xquad-en2ru 0.948, where
# 1.5 lost 0.010 while wmt-en2ru gained 0.009); short, other: 0.3 beat 0.5
# by 0.002 on short-en2ru (0.964) and names-en2ru (0.951); short, own: the
# kit has no such set, so the long one's. Since COSINE_WEIGHT, K and the
# long weights order a long query's candidates only against documents that
# have no vector yet.
DENSE_WEIGHT = {(True, True): 0.3, (True, False): 1.0, (False, True): 0.3, (False, False): 0.3}
# A long query's candidates ordered by (1 - COSINE_WEIGHT) times the lexical
# score over the best plus COSINE_WEIGHT times the cosine min-max normalised
# over them (tools/tune_fusion.py --cosine-weight): on xquad-en 0.6 gave 0.983
# against RRF's 0.975 (0.55 to 0.7 within 0.0006, 0.3 0.977, 0.8 0.980); on
# xquad-en2ru and wmt-en2ru 0.6 beat 0.5 and 0.7 on the mean (0.9532, 0.9895).
# Over both languages at once, not each on its own: xquad-en2both 0.956
# against 0.948 (evaluate_kit.py). Held out, xquad-ru 0.965 -> 0.975 (README).
COSINE_WEIGHT = 0.6
# Below the least fused score (0.3 / (K + DEPTH) = 0.0027): documents past
# both depths keep their lexical order after the fused ones.
TAIL = 1e-4


def fuse(lexical: np.ndarray, match: np.ndarray, visible: np.ndarray, own_language: np.ndarray,
         vectors: GenerationVectors, query: np.ndarray, long: bool) -> tuple[np.ndarray, np.ndarray]:
    """(scores, match) of the fused ranking. `visible`: the documents the
    filters let through; `own_language`: those in the query's language;
    `query`: the query's unit vector."""
    lexical_top = top(lexical, match & visible, DEPTH)
    dense_top = dense_list(vectors, query, visible if long else None, lexical_top)
    best = float(lexical[lexical_top[0]]) if len(lexical_top) else 0.0
    fused = np.where(match, lexical / best * TAIL if best > 0 else 0.0, 0.0).astype(np.float32)
    weights = np.where(own_language, DENSE_WEIGHT[long, True], DENSE_WEIGHT[long, False])
    fused += rrf(len(fused), lexical_top, dense_top, weights)
    if long:
        docs = np.union1d(lexical_top, dense_top)
        docs = docs[vectors.has[docs]]
        scores, cosines = np.where(match[docs], lexical[docs], 0.0), dense.cosines(vectors, query, docs)
        by_scores(fused, docs, scores, cosines)
    match = match.copy()
    match[dense_top] = True
    return fused, match


def rrf(size: int, lexical_top: np.ndarray, dense_top: np.ndarray, dense_weight, k: int = K) -> np.ndarray:
    """Each document's reciprocal-rank score from the two ranked lists of
    docnums; `dense_weight`: one, or one per docnum."""
    fused = np.zeros(size, np.float32)
    fused[lexical_top] += 1.0 / (k + np.arange(1, len(lexical_top) + 1))
    weight = dense_weight[dense_top] if isinstance(dense_weight, np.ndarray) else dense_weight
    fused[dense_top] += weight / (k + np.arange(1, len(dense_top) + 1))
    return fused


def by_scores(fused: np.ndarray, docs: np.ndarray, lexical: np.ndarray, cosines: np.ndarray,
              weight: float = COSINE_WEIGHT) -> None:
    """Gives `docs` the fused scores they hold, in place, best to the best
    of (1 - weight) * lexical / its best + weight * cosine min-max
    normalised over `docs`, equal ones by docnum: where they stand among
    other documents stays as it was."""
    if len(docs) < 2:
        return
    best, low, high = lexical.max(), cosines.min(), cosines.max()
    combined = (1 - weight) * (lexical / best if best > 0 else lexical) \
        + weight * ((cosines - low) / (high - low) if high > low else 0.0)
    fused[docs[np.lexsort((docs, -combined))]] = np.sort(fused[docs])[::-1]


def dense_list(vectors: GenerationVectors, query: np.ndarray, visible: np.ndarray | None,
               lexical_top: np.ndarray) -> np.ndarray:
    """Docnums by cosine, best first: the DEPTH best of `visible`, or, when
    it is None, the lexical candidates that have a vector."""
    if visible is None:
        docs = lexical_top[vectors.has[lexical_top]]
        cos = dense.cosines(vectors, query, docs)
    else:
        docs, cos = dense.scores(vectors, query, visible)
    return docs[dense.best(docs, cos, DEPTH)]
