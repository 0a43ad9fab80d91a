"""The two-language merge: one ranked list from each document language's.

A query is run once per document language, as written for its own language
and translated for the other. Each list is divided by its best score, times
the confidence that its best article is on the query's subject (the share
of the query's words it holds), and the lists are merged by the higher
score; on a tie the query's own language goes first. Numbers are written
alike in both languages: a translated side's article that shares the numbers
of the best article in the query's own language, the side read without
translation, is likelier to tell the same story and gains by that share
over the other articles of its side.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from search.index.arrays import LANG_CODES
from search.index.backend import IndexReader
from search.languages import OTHER
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
# A translated side's top articles gain this much times the Jaccard share of
# numbers they have in common with the own side's best article (6 Dec,
# tools/evaluate_kit.py --one-process --reuse: xquad-en2both 0.9493 -> 0.9581,
# xquad-ru2both 0.9423 -> 0.9503, wmt-ru2en unchanged; 1.0 gave 0.9582 and
# 0.9494 with the merge replayed on the same lists; chosen on these tasks).
NUMBERS_WEIGHT = 0.5
# The translated side's top articles read: 20 as proximity; 10 gave xquad-en2both
# 0.9576 and ru2both 0.9493 and halves the step's cost (stored fields read and
# scanned: about 2 against 4-5 ms a translated news-mix query, p50).
NUMBERS_DEPTH = 20
# A number, its thousands grouped or not: 1,200 in English is 1 200 in Russian.
NUMBER_RE = re.compile(r"(?<!\d)\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+")
GROUPING_RE = re.compile(r"[,\u00a0\u202f ]")


@dataclass
class LanguageList:
    """One document language's ranking of a query."""
    lang: str
    scores: np.ndarray
    match: np.ndarray
    best: float  # the best score among the documents shown
    coverage: float  # the share of the query's word groups the best one holds
    shown: np.ndarray  # the matching documents the filters keep
    first: int = -1  # the best shown document, -1 for none


def side_languages(lang: str) -> tuple[int, ...]:
    """The language codes of a language's side: its own and no known language."""
    return LANG_CODES[lang], LANG_CODES[OTHER]


def rank_language(view: IndexReader, lang: str, plan, side: np.ndarray, own: np.ndarray,
                  shown: np.ndarray) -> LanguageList:
    """The ranking of `plan` over the documents of `side` (a language's own
    `own` and those in no known language); `shown`: those the filters keep.
    Documents in no known language never set the best score."""
    scores, match = rank_plan(view, plan, shown, within=side, langs=side_languages(lang))
    shown = match & shown
    best = float(scores[shown & own].max(initial=0.0)) or float(scores[shown].max(initial=0.0))
    first = int(top(scores, shown, 1)[0]) if best > 0 else -1
    covered = coverage(view, plan, first) if best > 0 else 0.0
    return LanguageList(lang, scores, match, best, covered, shown, first)


def numbers_of(stored: dict) -> frozenset[str]:
    """The numbers written in an article's title and body."""
    text = stored.get("title", "") + "\n" + stored.get("body", "")
    return frozenset(GROUPING_RE.sub("", number) for number in NUMBER_RE.findall(text))


def merge(lists: list[LanguageList], query_lang: str, size: int,
          stored: Callable[[int], dict] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(scores, match) of the merged list. Each language's best is 1,
    unless it holds few of the query's words, absolutely (one shared name)
    or next to the other language's best; `stored`: a document's stored
    fields (IndexReader.stored), whose numbers the translated sides gain by."""
    scores = np.zeros(size, np.float32)
    match = np.zeros(size, bool)
    full = max([FULL_COVERAGE] + [RELATIVE_COVERAGE * ranked.coverage for ranked in lists])
    for ranked in lists:
        s = ranked.scores
        if ranked.best > 0:
            confidence = min(1.0, ranked.coverage / full)
            s = s / ranked.best * confidence * (1.0 if ranked.lang == query_lang else TRANSLATED_BEST)
            if stored is not None and ranked.lang != query_lang:
                _shared_numbers(s, ranked, lists, query_lang, lambda d: numbers_of(stored(d)))
        scores = np.where(ranked.match, np.maximum(scores, s), scores)
        match |= ranked.match
    return scores, match


def _shared_numbers(s: np.ndarray, ranked: LanguageList, lists: list[LanguageList], query_lang: str,
                    numbers: Callable[[int], frozenset[str]]) -> None:
    """Adds to a translated side's normalized scores `s` its top articles'
    share of the numbers of the own side's best article, then scales the
    side back to its best score: the numbers reorder a translated side, they
    do not lift it above the query's own language."""
    anchor = next((numbers(own.first) for own in lists if own.lang == query_lang and own.first >= 0), None)
    if not anchor:
        return
    docs = top(ranked.scores, ranked.shown, NUMBERS_DEPTH)
    before = float(s[docs].max(initial=0.0))
    for d in docs:
        held = numbers(int(d))
        if held:
            s[d] += NUMBERS_WEIGHT * len(held & anchor) / len(held | anchor)
    after = float(s[docs].max(initial=0.0))
    if after > before > 0:
        s *= before / after
