"""Dense scores: the cosine of a query's vector with each document's,
exactly, over the int8 vectors of index/vectors.py.

No BLAS: numpy's matmul gives a large block to OpenBLAS, whose threads wait
for each other on a server's busy cores. Scoring every vector with matmul
over 2,048 rows at a time took p50 86 ms for news-mix's 23.7k and 187 ms
(p95 898) for the 10x corpus's 237k; with einsum, 2.3 and 38 ms (p95 40)
(benchmarks/semantic.py --scale, README "Semantic channel").
"""
from __future__ import annotations

import numpy as np

from search.index.vectors import GenerationVectors

# Rows gathered at a time: bounds the copy (1.5 MB at 384 dims).
CHUNK = 4096


def _dot(rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    # einsum casts the int8 rows in small buffers of its own: no float32
    # copy of them, and no threads.
    return np.einsum("ij,j->i", rows, query, dtype=np.float32)


def cosines(vectors: GenerationVectors, query: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """float32 cosines of `docs` (docnums, each with a vector) to `query`
    (a unit float32 vector)."""
    out = np.empty(len(docs), np.float32)
    for start in range(0, len(docs), CHUNK):
        part = docs[start:start + CHUNK]
        out[start:start + CHUNK] = _dot(vectors.matrix[part], query) * vectors.scales[part]
    return out


def scores(vectors: GenerationVectors, query: np.ndarray, within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, cosines) of the documents in the mask `within` that have a vector."""
    docs = np.flatnonzero(within & vectors.has)
    if 2 * len(docs) > vectors.size:
        # Most rows: all of them where they lie beat gathering these (237k
        # random rows at load 4: 114 against 148 ms).
        return docs, (_dot(vectors.matrix, query) * vectors.scales)[docs]
    return docs, cosines(vectors, query, docs)


def best(docs: np.ndarray, cos: np.ndarray, limit: int) -> np.ndarray:
    """Positions in `docs` of the `limit` highest cosines, best first, equal
    ones by docnum. Only those at or above the limit-th cosine are sorted:
    sorting 237k random cosines took 114 ms, partitioning 0.6 (load 4)."""
    at = np.arange(len(docs))
    if len(docs) > limit:
        at = np.flatnonzero(cos >= np.partition(cos, len(cos) - limit)[len(cos) - limit])
    return at[np.lexsort((docs[at], -cos[at]))][:limit]
