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

import hashlib
import math
import weakref
from typing import NamedTuple

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

# Per open generation, for the whole index (None) and each language's side
# (a scope's key): each field's weight over its length normalization.
_NORMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Scope(NamedTuple):
    """The articles whose statistics (document count and frequencies, mean
    field lengths) a ranking counts: in a two-language index, one language's,
    where a Russian word's rarity is among Russian articles, not among all
    (6 Dec, tools/evaluate_kit.py --one-process: xquad-en2both 0.9485 ->
    0.9493, xquad-ru2both 0.9415 -> 0.9423; one-language indexes unchanged)."""
    mask: np.ndarray
    live: int  # live documents in it
    key: bytes  # its documents, hashed: the key of its cached norms
    langs: tuple[int, ...] = ()  # its language codes: a view of part of the index counts df there
    mean_length: dict[str, float] | None = None  # None: the mean over `mask`


def scope_of(view: IndexReader, mask: np.ndarray, langs: tuple[int, ...] = ()) -> Scope | None:
    """The scope of the documents of `mask`, those of the languages `langs`
    (codes); None for all of the index (a one-language index: no second set
    of norms). A view of part of the index (a cluster's candidates) gives
    the figures of those languages' documents in the whole index, or, with
    no `langs`, those of the whole index."""
    figures = view.language_figures(langs) if langs else None
    if figures is not None:
        live, mean_length = figures
        if live == view.n_live:
            return None
        return Scope(mask & view.live, live, bytes(langs), langs, mean_length)
    if view.n_live != int(np.count_nonzero(view.live)):
        return None
    inside = mask & view.live
    live = int(np.count_nonzero(inside))
    if live == view.n_live:
        return None
    return Scope(inside, live, hashlib.blake2b(np.packbits(inside).tobytes(), digest_size=16).digest(), langs)


def _inverse_norms(view: IndexReader, scope: Scope | None = None) -> dict[str, np.ndarray]:
    cached = _NORMS.setdefault(view, {})
    norms = cached.get(scope and scope.key)
    if norms is None:
        norms = {}
        for f, length in view.field_lengths.items():
            if scope is None:
                avg = view.mean_field_length(f)
            elif scope.mean_length is not None:
                avg = scope.mean_length[f]
            else:
                avg = float(length[scope.mask].mean()) if scope.live else 0.0
            b = FIELD_B[f]
            norm = (1 - b) + b * length / avg if avg > 0 else np.ones(view.size, np.float32)
            weight = np.where(view.title_derived, DERIVED_TITLE_WEIGHT, FIELD_WEIGHT[f]) if f == "title" \
                else FIELD_WEIGHT[f]
            norms[f] = (weight / norm).astype(np.float32)
        cached[scope and scope.key] = norms
    return norms


def group_score(view: IndexReader, terms, fields, weights=None,
                scope: Scope | None = None) -> tuple[np.ndarray, np.ndarray]:
    """BM25F of a structured group: (scores, match mask) over all documents,
    with the statistics of `scope` (None: the whole index)."""
    pseudo = np.zeros(view.size, np.float32)
    hit = np.zeros(view.size, bool)
    norms = _inverse_norms(view, scope)
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
    df = view.group_df(terms, fields, scope.langs if scope else ())
    if df is None:
        df = len(matched) if scope is None else int(np.count_nonzero(scope.mask[matched]))
    scores[matched] = _idf(view.n_live if scope is None else scope.live, df) * tf * (K1 + 1) / (K1 + tf)
    return scores, hit


def score(view: IndexReader, node, scope: Scope | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(scores, match mask) of a query tree over all documents, with the
    statistics of `scope` (None: the whole index)."""
    if isinstance(node, TermGroup):
        return group_score(view, node.terms, node.fields, node.weights, scope)
    if isinstance(node, PhraseGroup):
        if len(node.terms) == 1:
            return group_score(view, node.terms, node.fields, scope=scope)
        mask = np.zeros(view.size, bool)
        for f in node.fields:
            mask |= view.phrase_mask(f, node.terms)
        scores = np.zeros(view.size, np.float32)
        for term in node.terms:
            scores += group_score(view, (term,), node.fields, scope=scope)[0]
        return np.where(mask, scores, 0.0).astype(np.float32), mask
    if isinstance(node, (Must, Not)):
        return score(view, node.item, scope)
    if isinstance(node, And):
        scores = np.zeros(view.size, np.float32)
        mask = view.live.copy()
        for item in node.items:
            if isinstance(item, Not):
                mask &= ~score(view, item.item, scope)[1]
                continue
            s, m = score(view, item, scope)
            scores += s
            mask &= m
        return np.where(mask, scores, 0.0).astype(np.float32), mask
    if isinstance(node, Or):
        scores = np.zeros(view.size, np.float32)
        mask = np.zeros(view.size, bool)
        for item in node.items:
            s, m = score(view, item, scope)
            scores += s
            mask |= m
        return scores, mask
    if isinstance(node, Seq):
        return _seq(view, node, scope)
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


def group_idf(view: IndexReader, terms, scope: Scope | None = None) -> float:
    """idf of a group over the union of its terms' documents (in `scope`); 0 if none."""
    words = [t for t in terms if " " not in t]
    df = view.group_df(words, ("title", "body"), scope.langs if scope else ()) if words else 0
    if df is None:
        df = union_df(view, words, None if scope is None else scope.mask)
    return _idf(view.n_live if scope is None else scope.live, df) if df else 0.0


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


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


def _seq(view: IndexReader, node: Seq, scope: Scope | None) -> tuple[np.ndarray, np.ndarray]:
    scores = np.zeros(view.size, np.float32)
    optional = [x for x in node.items if not isinstance(x, (Must, Not))]
    any_optional = np.zeros(view.size, bool)
    for item in optional:
        s, m = score(view, item, scope)
        scores += s
        any_optional |= m
    mask = any_optional if optional else view.live.copy()
    for item in node.items:
        if isinstance(item, Must):
            s, m = score(view, item.item, scope)
            scores += s
            mask &= m
        elif isinstance(item, Not):
            mask &= ~score(view, item.item, scope)[1]
    return np.where(mask, scores, 0.0).astype(np.float32), mask


def top(scores: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """Docnums of the k best-scoring candidates, best first (ties by docnum)."""
    docs = np.flatnonzero(candidates)
    if len(docs) > k:
        kth = np.partition(scores[docs], len(docs) - k)[len(docs) - k]
        docs = docs[scores[docs] >= kth]  # ties at the cut stay, sorted by docnum below
    order = np.lexsort((docs, -scores[docs]))
    return docs[order][:k]
