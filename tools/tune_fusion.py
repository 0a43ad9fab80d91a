"""Tune the semantic channel's fusion (search/rank/fusion.py) on kit tasks.

Each argument is TASK_DIR:INDEX_DIR, a task's topics.tsv and qrels.txt and
an index built with `--semantic` (tools/evaluate_kit.py --semantic leaves
them in WORK/mlsearch/index/CORPUS; tools/evaluate_short.py --semantic its
sets in WORK/sets and indexes in WORK/index). Every query is searched once
lexically and embedded once; each setting of the grid is then fused from
those two lists, as fusion.fuse does, and scored:

    PYTHONPATH=$PWD .venv/bin/python tools/tune_fusion.py \\
        .cache/kit/tasks/xquad-en2ru:/tmp/eval/mlsearch/index/xquad-ru ...

It prints nDCG@10 (MRR@10 for wmt) of the lexical ranking, of the dense one
alone and of each setting, best mean first. A task's documents are all in
one language, so its weights are those of fusion.DENSE_WEIGHT for documents
in the query's language (xquad-en) or in the other (xquad-en2ru): tune
each kind on its own tasks. `--cosine-weight` tries fusion.COSINE_WEIGHT
(long queries' candidates ordered by scores). Tune on some tasks, then
report on others with evaluate_kit.py.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from search import embedding
from search import query as q
from search.analysis import WORD_RE
from search.engine import Engine
from search.evaluation import evaluate_run
from search.index.vectors import vectors_of
from search.rank import dense, fusion
from search.semantic import FILTER_RE, plain_words


def prepare(task_dir: Path, index_dir: Path) -> dict:
    """Per query: its plain-word count (0: not plain), lexical top docnums,
    dense top docnums, the lexical candidates re-ranked by cosine, and the
    lexical scores and cosines of the first two's union."""
    engine = Engine(index_dir)
    view = engine._view_or_raise()
    vectors = vectors_of(view.path, index_dir)
    model = embedding.load(vectors.embedder_spec, threads=2)
    topics = [line.split("\t", 1) for line in (task_dir / "topics.tsv").read_text(encoding="utf-8").splitlines()
              if "\t" in line]
    queries = model.embed_queries([" ".join(FILTER_RE.sub(" ", text).split()) for _, text in topics])
    rows = {}
    for (qid, text), vector in zip(topics, queries):
        try:
            parsed = q.parse(text)
        except q.QueryError:  # as `mlsearch batch`: its words
            text = " ".join(m.group() for m in WORD_RE.finditer(text) if m.group() not in ("AND", "OR", "NOT"))
            parsed = q.parse(text)
        hits = engine.search(text, limit=view.size, with_snippets=False, suggest=False).hits
        lexical_scores = np.zeros(view.size, np.float32)  # all matches: a dense one may be past DEPTH
        lexical_scores[[view.document_number(h.id) for h in hits]] = [h.score for h in hits]
        lexical = np.array([view.document_number(h.id) for h in hits[:fusion.DEPTH]], np.int64)
        dense_top = fusion.dense_list(vectors, vector, view.live.copy(), lexical)
        union = np.union1d(lexical, dense_top)
        union = union[vectors.has[union]]
        rows[qid] = (plain_words(parsed), lexical, dense_top, fusion.dense_list(vectors, vector, None, lexical),
                     (union, lexical_scores[union], dense.cosines(vectors, vector, union)))
    ids = [view.stored(d)["id"] if view.live[d] else "" for d in range(view.size)]
    return {"rows": rows, "ids": ids, "size": view.size, "qrels": task_dir / "qrels.txt",
            "metric": json.loads((task_dir / "task.json").read_text())["metric"]
            if (task_dir / "task.json").exists() else "nDCG@10"}


def score(task: dict, k: int, long_weight: float, short_weight: float, long_words: int, dense_only=False,
          cosine_weight: float | None = None) -> float:
    run = {}
    for qid, (words, lexical, dense_top, reranked, union_scores) in task["rows"].items():
        long = words >= long_words
        if dense_only:
            order = dense_top
        else:
            fused = fusion.rrf(task["size"], lexical, dense_top if long else reranked,
                               long_weight if long else short_weight, k)
            if long and cosine_weight is not None:
                fusion.by_scores(fused, *union_scores, cosine_weight)
            union = np.union1d(lexical, dense_top if long else reranked)
            order = union[np.lexsort((union, -fused[union]))]
        run[qid] = {task["ids"][d]: float(len(order) - i) for i, d in enumerate(order)}
    return evaluate_run(run, task["qrels"])[task["metric"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", nargs="+", help="TASK_DIR:INDEX_DIR")
    parser.add_argument("--k", default="10,20")
    parser.add_argument("--long-weight", default="0.3,0.5,0.7,1,1.5")
    parser.add_argument("--short-weight", default="0,0.3,0.5,0.7,1")
    parser.add_argument("--long-words", default="3,4,5")
    parser.add_argument("--cosine-weight", default="", help="weights of fusion.by_scores; none: RRF's order")
    parser.add_argument("--top", type=int, default=15, help="settings printed")
    args = parser.parse_args()
    tasks = {}
    for pair in args.pairs:
        task_dir, _, index_dir = pair.partition(":")
        tasks[Path(task_dir).name] = prepare(Path(task_dir), Path(index_dir))
        print(f"prepared {Path(task_dir).name}", file=sys.stderr)
    names = list(tasks)
    print("| setting (k, long w, short w, long words[, cosine weight]) | " + " | ".join(names) + " | mean |")
    print("|---|" + "---|" * (len(names) + 1))

    def row(label, figures):
        print(f"| {label} | " + " | ".join(f"{f:.4f}" for f in figures) + f" | {np.mean(figures):.4f} |")

    row("lexical", [score(t, 10, 0, 0, 10**6) for t in tasks.values()])
    row("dense alone", [score(t, 10, 0, 0, 0, dense_only=True) for t in tasks.values()])
    by_scores = [None] + [float(w) for w in args.cosine_weight.split(",") if w]
    grid = itertools.product(*(map(float, v.split(",")) for v in (args.k, args.long_weight, args.short_weight,
                                                                  args.long_words)), by_scores)
    results = sorted(((np.mean(f := [score(t, int(k), lw, sw, int(n), cosine_weight=c) for t in tasks.values()]),
                       (k, lw, sw, n, c), f) for k, lw, sw, n, c in grid), key=lambda r: -r[0])
    for _, (k, lw, sw, n, c), figures in results[:args.top]:
        row(f"{int(k)}, {lw}, {sw}, {int(n)}" + ("" if c is None else f", cosine weight {c}"), figures)


if __name__ == "__main__":
    main()
