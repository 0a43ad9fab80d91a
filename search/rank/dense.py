"""Dense scores: the cosine of a query's vector with each document's,
exactly, over the int8 vectors of index/vectors.py."""
from __future__ import annotations

import numpy as np

from search.index.vectors import GenerationVectors

# Rows dequantized at a time: bounds the float32 copy (4 MB at 384 dims).
CHUNK = 2048


def cosines(vectors: GenerationVectors, query: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """float32 cosines of `docs` (docnums, each with a vector) to `query`
    (a unit float32 vector)."""
    out = np.empty(len(docs), np.float32)
    for start in range(0, len(docs), CHUNK):
        part = docs[start:start + CHUNK]
        out[start:start + CHUNK] = (vectors.matrix[part].astype(np.float32) @ query) * vectors.scales[part]
    return out


def scores(vectors: GenerationVectors, query: np.ndarray, within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, cosines) of the documents in the mask `within` that have a vector."""
    docs = np.flatnonzero(within & vectors.has)
    return docs, cosines(vectors, query, docs)
