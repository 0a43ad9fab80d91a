"""Proximity: the best documents gain for query words that stand close.

The best PROXIMITY_DEPTH documents gain PROXIMITY_WEIGHT x the sum over
pairs of word groups of min(idf) / distance of their nearest occurrences
in the body or in the title, whichever is nearer (+0.004 nDCG@10 on
xquad-ru and ria-title for the body; the title: see FIELDS).
"""
from __future__ import annotations

import numpy as np

from search.index.backend import IndexReader
from search.rank.bm25f import Scope, group_idf, groups_of, top

PROXIMITY_WEIGHT = 0.5
PROXIMITY_DEPTH = 20
# The title too: a headline-shaped query's words stand together in the
# headline of the article it names, often far apart in its body (6 Dec,
# tools/evaluate_kit.py --one-process: MRR@10 wmt-en2ru 0.9744 -> 0.9842,
# wmt-ru2en 0.9741 -> 0.9825; xquad, ria-title, bbc-title, cranfield equal
# to 4 decimals: their titles are absent or repeat the body's first sentence).
FIELDS = ("body", "title")


def with_proximity(view: IndexReader, tree, scores: np.ndarray, candidates: np.ndarray,
                   scope: Scope | None = None) -> np.ndarray:
    """Scores with the proximity bonus added for the best candidates (idf
    counted in `scope`)."""
    best = top(scores, candidates, PROXIMITY_DEPTH)
    bonus = proximity(view, groups_of(tree), best, scope)
    if bonus.any():
        scores = scores.copy()
        scores[best] += PROXIMITY_WEIGHT * bonus
    return scores


def proximity(view: IndexReader, groups: list[tuple[str, ...]], docs: np.ndarray,
              scope: Scope | None = None) -> np.ndarray:
    """Sum over pairs of groups of min(idf) / distance of their nearest
    occurrences in one field (the nearer of body and title), for each of `docs`."""
    bonus = np.zeros(len(docs), np.float32)
    groups = list(dict.fromkeys(g for g in groups if g))
    if len(groups) < 2 or not len(docs):
        return bonus
    order = sorted(int(d) for d in docs)
    found = {f: [_positions(view, f, terms, order) for terms in groups] for f in FIELDS}
    idf = [group_idf(view, terms, scope) for terms in groups]
    for i, d in enumerate(int(x) for x in docs):
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                distance = min((_nearest(found[f][a][d], found[f][b][d]) for f in FIELDS
                                if d in found[f][a] and d in found[f][b]), default=0)
                if distance:
                    # A float64 term rounded into the float32 sum each time, as
                    # numpy's distance gave: equal documents stay exactly tied.
                    bonus[i] += np.float64(min(idf[a], idf[b]) / distance)
    return bonus


def _positions(view: IndexReader, field: str, terms, docs: list[int]) -> dict[int, list[int]]:
    """{doc: sorted positions in `field` of any of a group's single words}."""
    where: dict[int, list[np.ndarray]] = {}
    for term in terms:
        if " " in term:
            continue
        for d, ps in view.positions(field, term, docs).items():
            where.setdefault(d, []).append(ps)
    return {d: (ps[0] if len(ps) == 1 else np.sort(np.concatenate(ps))).tolist() for d, ps in where.items()}


def _nearest(a: list[int], b: list[int]) -> int:
    """The least distance between a position in `a` and one in `b` (both
    sorted), in one merge: a few numbers each, where numpy's calls cost
    more than the work."""
    i = j = 0
    best = abs(a[0] - b[0])
    while i < len(a) and j < len(b):
        gap = a[i] - b[j]
        if gap < 0:
            best = min(best, -gap)
            i += 1
        else:
            best = min(best, gap)
            j += 1
    return best
