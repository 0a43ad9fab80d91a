"""BM25F over an index backend's postings, computed with numpy.

The backend stores and finds the postings; the scoring is done here, on
dense per-document arrays, because a translated query has 25-50 terms and
whoosh's matcher tree is slow at that size. It also gives structured
("Pirkola") groups for free: all translations of one source word are
scored as one term, their frequencies summed and their document frequency
taken over the union, so a word with twelve translations does not outweigh
a word with one.

A query reaches this module as a plan (query.py's tree with TermGroup and
PhraseGroup leaves, made by translate/planner.py); `score` turns it into
a score and a match mask over all documents.
"""
from __future__ import annotations

import math
import weakref

import numpy as np

from search.index.backend import IndexReader, union_df
from search.query import And, Must, Not, Or, PhraseGroup, Seq, TermGroup

K1 = 1.2
FIELD_WEIGHT = {"title": 2.0, "lead": 1.0, "body": 1.0}
FIELD_B = {"title": 0.5, "lead": 0.5, "body": 0.75}
# A derived title (ingest/headlines.py) repeats the lead's first sentence, so
# it counts as much as the lead, not as much as a given title. Against 2.0
# (5 Dec, tools/evaluate_kit.py): xquad-ru 0.9631 vs 0.9618, xquad-en2ru
# 0.9097 vs 0.9067, ria-title 0.9345 vs 0.9379, bbc-title 0.8264 vs 0.8289
# (headline queries favour the first sentence), wmt equal.
DERIVED_TITLE_WEIGHT = 1.0

# Per open generation: each field's weight over its length normalization.
_NORMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _inverse_norms(view: IndexReader) -> dict[str, np.ndarray]:
    norms = _NORMS.get(view)
    if norms is None:
        norms = {}
        for f, length in view.field_lengths.items():
            avg = view.mean_field_length(f)
            b = FIELD_B[f]
            norm = (1 - b) + b * length / avg if avg > 0 else np.ones(view.size, np.float32)
            weight = np.where(view.title_derived, DERIVED_TITLE_WEIGHT, FIELD_WEIGHT[f]) if f == "title" \
                else FIELD_WEIGHT[f]
            norms[f] = (weight / norm).astype(np.float32)
        _NORMS[view] = norms
    return norms


def group_score(view: IndexReader, terms, fields, weights=None) -> tuple[np.ndarray, np.ndarray]:
    """BM25F of a structured group: (scores, match mask) over all documents."""
    pseudo = np.zeros(view.size, np.float32)
    hit = np.zeros(view.size, bool)
    norms = _inverse_norms(view)
    for f in fields:
        inv_norm = norms[f]
        for i, term in enumerate(terms):
            docs, tfs = view.postings(f, term)
            if len(docs):
                pseudo[docs] += (weights[i] if weights else 1.0) * tfs * inv_norm[docs]
                hit[docs] = True
    matched = np.flatnonzero(hit)
    if not len(matched):
        return pseudo, hit
    # Saturate only the matched documents: most groups match few of them.
    tf = pseudo[matched]
    scores = np.zeros(view.size, np.float32)
    df = view.group_df(terms, fields)
    scores[matched] = _idf(view, len(matched) if df is None else df) * tf * (K1 + 1) / (K1 + tf)
    return scores, hit


def score(view: IndexReader, node) -> tuple[np.ndarray, np.ndarray]:
    """(scores, match mask) of a query tree over all documents."""
    if isinstance(node, TermGroup):
        return group_score(view, node.terms, node.fields, node.weights)
    if isinstance(node, PhraseGroup):
        if len(node.terms) == 1:
            return group_score(view, node.terms, node.fields)
        mask = np.zeros(view.size, bool)
        for f in node.fields:
            mask |= view.phrase_mask(f, node.terms)
        scores = np.zeros(view.size, np.float32)
        for term in node.terms:
            scores += group_score(view, (term,), node.fields)[0]
        return np.where(mask, scores, 0.0).astype(np.float32), mask
    if isinstance(node, (Must, Not)):
        return score(view, node.item)
    if isinstance(node, And):
        scores = np.zeros(view.size, np.float32)
        mask = view.live.copy()
        for item in node.items:
            if isinstance(item, Not):
                mask &= ~score(view, item.item)[1]
                continue
            s, m = score(view, item)
            scores += s
            mask &= m
        return np.where(mask, scores, 0.0).astype(np.float32), mask
    if isinstance(node, Or):
        scores = np.zeros(view.size, np.float32)
        mask = np.zeros(view.size, bool)
        for item in node.items:
            s, m = score(view, item)
            scores += s
            mask |= m
        return scores, mask
    if isinstance(node, Seq):
        return _seq(view, node)
    raise TypeError(f"not a query node: {node!r}")


def groups_of(node) -> list[tuple[str, ...]]:
    """The scored word groups of a tree (not those under NOT), in order."""
    if isinstance(node, TermGroup):
        return [node.terms]
    if isinstance(node, PhraseGroup):
        return [(t,) for t in node.terms]
    if isinstance(node, Not):
        return []
    if isinstance(node, Must):
        return groups_of(node.item)
    return [g for item in node.items for g in groups_of(item)]


def group_idf(view: IndexReader, terms) -> float:
    """idf of a group over the union of its terms' documents; 0 if none."""
    words = [t for t in terms if " " not in t]
    df = view.group_df(words, ("title", "body")) if words else 0
    if df is None:
        df = union_df(view, words)
    return _idf(view, df) if df else 0.0


def _idf(view: IndexReader, df: int) -> float:
    return math.log(1.0 + (view.n_live - df + 0.5) / (df + 0.5))


def coverage(view: IndexReader, node, docnum: int) -> float:
    """The share of the query's word groups that a document contains."""
    groups = list(dict.fromkeys(groups_of(node)))
    if not groups:
        return 0.0
    present = 0
    for terms in groups:
        for f in ("title", "body"):
            for t in terms:
                docs = view.postings(f, t)[0]
                i = np.searchsorted(docs, docnum)
                if i < len(docs) and docs[i] == docnum:
                    break
            else:
                continue
            present += 1
            break
    return present / len(groups)


def _seq(view: IndexReader, node: Seq) -> tuple[np.ndarray, np.ndarray]:
    scores = np.zeros(view.size, np.float32)
    optional = [x for x in node.items if not isinstance(x, (Must, Not))]
    any_optional = np.zeros(view.size, bool)
    for item in optional:
        s, m = score(view, item)
        scores += s
        any_optional |= m
    mask = any_optional if optional else view.live.copy()
    for item in node.items:
        if isinstance(item, Must):
            s, m = score(view, item.item)
            scores += s
            mask &= m
        elif isinstance(item, Not):
            mask &= ~score(view, item.item)[1]
    return np.where(mask, scores, 0.0).astype(np.float32), mask


def top(scores: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """Docnums of the k best-scoring candidates, best first (ties by docnum)."""
    docs = np.flatnonzero(candidates)
    if len(docs) > k:
        kth = np.partition(scores[docs], len(docs) - k)[len(docs) - k]
        docs = docs[scores[docs] >= kth]  # ties at the cut stay, sorted by docnum below
    order = np.lexsort((docs, -scores[docs]))
    return docs[order][:k]
