"""The two-language merge: one ranked list from each document language's.

A query is run once per document language, as written for its own language
and translated for the other. Each list is divided by its best score, times
the confidence that its best article is on the query's subject (the share
of the query's words it holds), and the lists are merged by the higher
score; on a tie the query's own language goes first.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.index.backend import IndexReader
from search.rank.bm25f import coverage, top
from search.rank.plan import rank_plan

TRANSLATED_BEST = 0.999
# A side whose best article holds this share of the query's words or more
# counts fully (wmt-ru2en +0.10 MRR@10 where one Russian article sat among
# English ones; see benchmarks/results/eval.md).
FULL_COVERAGE = 0.4
# ... and this share of the words the other side's best article holds
# (wmt-ru2en: a lone Russian article holding 2 of 5 words no longer ties
# English ones holding 4; chosen on the kit).
RELATIVE_COVERAGE = 0.6


@dataclass
class LanguageList:
    """One document language's ranking of a query."""
    lang: str
    scores: np.ndarray
    match: np.ndarray
    best: float  # the best score among the documents shown
    coverage: float  # the share of the query's word groups the best one holds


def rank_language(view: IndexReader, lang: str, plan, side: np.ndarray, own: np.ndarray,
                  shown: np.ndarray) -> LanguageList:
    """The ranking of `plan` over the documents of `side` (a language's own
    `own` and those in no known language); `shown`: those the filters keep.
    Documents in no known language never set the best score."""
    scores, match = rank_plan(view, plan, shown, within=side)
    shown = match & shown
    best = float(scores[shown & own].max(initial=0.0)) or float(scores[shown].max(initial=0.0))
    covered = coverage(view, plan, int(top(scores, shown, 1)[0])) if best > 0 else 0.0
    return LanguageList(lang, scores, match, best, covered)


def merge(lists: list[LanguageList], query_lang: str, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, match) of the merged list. Each language's best is 1,
    unless it holds few of the query's words, absolutely (one shared name)
    or next to the other language's best."""
    scores = np.zeros(size, np.float32)
    match = np.zeros(size, bool)
    full = max([FULL_COVERAGE] + [RELATIVE_COVERAGE * ranked.coverage for ranked in lists])
    for ranked in lists:
        s = ranked.scores
        if ranked.best > 0:
            confidence = min(1.0, ranked.coverage / full)
            s = s / ranked.best * confidence * (1.0 if ranked.lang == query_lang else TRANSLATED_BEST)
        scores = np.where(ranked.match, np.maximum(scores, s), scores)
        match |= ranked.match
    return scores, match
