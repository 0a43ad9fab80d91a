"""Effectiveness of a TREC run against TREC qrels: nDCG@10, MRR@10, R@100.

Figures are means over every judged query, so a query the run has no
results for counts as 0 (ir_measures alone would average only over the
queries present in the run).
"""
from __future__ import annotations

from pathlib import Path

import ir_measures
from ir_measures import RR, R, nDCG

MEASURES = {"nDCG@10": nDCG @ 10, "MRR@10": RR @ 10, "R@100": R @ 100}


def read_run(path: str | Path) -> dict[str, dict[str, float]]:
    """qid -> {docid: score} from 'qid Q0 docid rank score tag' lines."""
    run: dict[str, dict[str, float]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                qid, _, docid, _, score = line.split()[:5]
                run.setdefault(qid, {})[docid] = float(score)
    return run


def trec_eval_order(run: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """The run with distinct scores, in trec_eval's order: score, then docid, both descending.

    ir_measures takes RR@10 from one provider and nDCG@10 from another, and
    they break ties differently; ranking once here keeps the figures consistent.
    """
    ranked = {}
    for qid, scores in run.items():
        order = sorted(scores, key=lambda docid: (scores[docid], docid), reverse=True)
        ranked[qid] = {docid: float(len(order) - i) for i, docid in enumerate(order)}
    return ranked


def evaluate(run_path: str | Path, qrels_path: str | Path) -> dict[str, float]:
    return evaluate_run(read_run(run_path), qrels_path)


def evaluate_run(run: dict[str, dict[str, float]], qrels_path: str | Path) -> dict[str, float]:
    """As evaluate(), for a run held in memory (qid -> {docid: score})."""
    qrels = list(ir_measures.read_trec_qrels(str(qrels_path)))
    # As trec_eval: a query with no relevant document cannot be scored.
    judged = {qrel.query_id for qrel in qrels if qrel.relevance > 0}
    names = {measure: name for name, measure in MEASURES.items()}
    totals = dict.fromkeys(MEASURES, 0.0)
    run = trec_eval_order(run)
    for result in ir_measures.iter_calc(list(MEASURES.values()), qrels, run):
        if result.query_id in judged:
            totals[names[result.measure]] += result.value
    return {name: total / len(judged) for name, total in totals.items()}
