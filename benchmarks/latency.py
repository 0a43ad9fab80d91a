"""Query latency in one warm process: our Engine, stock whoosh and FTS5.

Each engine first runs the warm-up queries (which also loads our lexicon),
then every measured query once: repeating a query would only time caches.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from benchmarks import fts5, stock_whoosh
from search.engine import Engine

LIMIT = 10


def percentiles(seconds: list[float]) -> dict:
    ms = np.asarray(seconds) * 1000
    return {"n": len(ms), "p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95)),
            "p99": float(np.percentile(ms, 99)), "max": float(ms.max())}


def _timed(run, queries) -> list[float]:
    out = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        out.append(time.perf_counter() - start)
    return out


def ours(index_dir: Path, sets: dict, warmup: dict, open_engine=Engine) -> dict:
    """{mode/kind: percentiles}. same-language: lang= the query's language,
    no translation; bilingual: the default (both sides, translated).
    Also the time to open the Engine and the slowest warm-up queries: the
    first queries load the lexicon and build vocabularies. `open_engine`:
    Engine, or the cluster's (benchmarks/cluster.py)."""
    start = time.perf_counter()
    engine = open_engine(index_dir)
    out = {"open_s": time.perf_counter() - start}
    same = lambda lq: engine.search(lq[1], lang=lq[0], translate=False, limit=LIMIT)  # noqa: E731
    both = lambda lq: engine.search(lq[1], limit=LIMIT)  # noqa: E731
    first = []
    for kind, queries in warmup.items():
        first += zip(_timed(both, queries), queries)
        if kind != "translated":
            _timed(same, queries)
    out["slowest_warmup"] = [(seconds, text) for seconds, (_, text) in sorted(first, reverse=True)[:3]]
    for kind, queries in sets.items():
        if kind != "translated":
            out[f"same-language/{kind}"] = percentiles(_timed(same, queries))
        out[f"bilingual/{kind}"] = percentiles(_timed(both, queries))
    return out


class _Clock:
    """Iterates over (qid, text) topics, noting the time of every step.
    stock_whoosh.batch opens its searcher before the loop and does nothing
    but the query between two steps, so the gaps are the query times."""

    def __init__(self, queries):
        self.items = iter(enumerate(queries))
        self.marks = []

    def __iter__(self):
        return self

    def __next__(self):
        self.marks.append(time.perf_counter())
        n, (_, text) = next(self.items)
        self.marks.append(time.perf_counter())
        return str(n), text

    def seconds(self) -> list[float]:
        # marks: call0 ret0 call1 ret1 ... callN; query k runs from ret_k to call_k+1.
        return [b - a for a, b in zip(self.marks[1::2], self.marks[2::2])]


def stock(index_dir: Path, sets: dict, warmup: dict) -> dict:
    stock_whoosh.batch(index_dir, [(str(n), t) for qs in warmup.values() for n, (_, t) in enumerate(qs)], LIMIT)
    out = {}
    for kind, queries in sets.items():
        clock = _Clock(queries)
        stock_whoosh.batch(index_dir, clock, LIMIT)
        out[kind] = percentiles(clock.seconds())
    return out


def sqlite(db: Path, sets: dict, warmup: dict) -> dict:
    searcher = fts5.Searcher(db)
    for queries in warmup.values():
        _timed(lambda lq: searcher.search(lq[1], LIMIT), queries)
    return {kind: percentiles(_timed(lambda lq: searcher.search(lq[1], LIMIT), queries))
            for kind, queries in sets.items()}
