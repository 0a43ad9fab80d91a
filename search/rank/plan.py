"""A plan's ranking: BM25F over its groups, then proximity for the best of
the documents shown. A ranking feature is added here once, for the
documents of one language (merge.py) and for an untranslated query alike."""
from __future__ import annotations

import numpy as np

from search.index.backend import IndexReader
from search.rank.bm25f import score, scope_of
from search.rank.proximity import with_proximity


def rank_plan(view: IndexReader, plan, shown: np.ndarray, within: np.ndarray | None = None,
              langs: tuple[int, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """(scores, match) of a plan over the documents `within` (all if None),
    those of the languages `langs`; `shown`: those the filters keep, among
    which proximity re-ranks. The statistics are those of the documents
    `within` (bm25f.scope_of)."""
    scope = None if within is None else scope_of(view, within, langs)
    scores, match = score(view, plan, scope)
    if within is not None:
        match &= within
    return with_proximity(view, plan, scores, match & shown, scope), match
