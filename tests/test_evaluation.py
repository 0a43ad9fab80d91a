"""evaluate() on a hand-scored run, and the stock whoosh peer on a tiny corpus."""
import subprocess
import sys
from math import log2
from pathlib import Path

import pytest

from search.evaluation import evaluate

ROOT = Path(__file__).resolve().parents[1]

QRELS = """\
q1 0 d1 1
q1 0 d2 1
q2 0 d3 2
q2 0 d4 1
q3 0 d5 1
"""
# q1: one of two relevant documents, at rank 2. q2: both graded documents,
# the less relevant first. q3: no results at all. q4: not judged.
RUN = """\
q1 Q0 d9 1 2.0 test
q1 Q0 d1 2 1.0 test
q2 Q0 d4 1 5.0 test
q2 Q0 d3 2 4.0 test
q4 Q0 d1 1 1.0 test
"""


@pytest.fixture
def scored(tmp_path):
    (tmp_path / "qrels.txt").write_text(QRELS)
    (tmp_path / "run.txt").write_text(RUN)
    return evaluate(tmp_path / "run.txt", tmp_path / "qrels.txt")


def test_mrr_counts_a_query_without_results_as_zero(scored):
    assert scored["MRR@10"] == pytest.approx((1 / 2 + 1 + 0) / 3)


def test_recall_at_100(scored):
    assert scored["R@100"] == pytest.approx((1 / 2 + 1 + 0) / 3)


def test_ndcg_uses_graded_gains(scored):
    q1 = (1 / log2(3)) / (1 + 1 / log2(3))
    q2 = (1 + 2 / log2(3)) / (2 + 1 / log2(3))
    assert scored["nDCG@10"] == pytest.approx((q1 + q2 + 0) / 3)


def test_reciprocal_rank_is_cut_at_10(tmp_path):
    (tmp_path / "qrels.txt").write_text("q1 0 d11 1\n")
    (tmp_path / "run.txt").write_text("".join(f"q1 Q0 d{r} {r} {20 - r} test\n" for r in range(1, 12)))
    scored = evaluate(tmp_path / "run.txt", tmp_path / "qrels.txt")
    assert scored == {"nDCG@10": 0.0, "MRR@10": 0.0, "R@100": 1.0}


def test_ties_are_broken_as_trec_eval_does_for_every_measure(tmp_path):
    # Equal scores: trec_eval ranks the higher docid first, whatever the rank column says.
    (tmp_path / "qrels.txt").write_text("q1 0 d1 1\n")
    (tmp_path / "run.txt").write_text("q1 Q0 d1 1 1.0 test\nq1 Q0 d2 2 1.0 test\n")
    scored = evaluate(tmp_path / "run.txt", tmp_path / "qrels.txt")
    assert scored["MRR@10"] == pytest.approx(1 / 2)
    assert scored["nDCG@10"] == pytest.approx(1 / log2(3))


def stock_whoosh(*args):
    """The peer through its CLI, from the repo root as the harness runs it."""
    command = [sys.executable, "-m", "benchmarks.stock_whoosh", *map(str, args)]
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout


def test_stock_whoosh_ranks_the_relevant_document_first(tmp_path):
    corpus = tmp_path / "corpus"
    docs = {
        "en/pipeline.txt": "Gas pipeline opens\n\nThe new pipeline carries gas from the Caspian to Europe.",
        "en/football.txt": "Cup final\n\nThe football club won the cup final on Sunday.",
        "ru/pipeline.txt": "Газопровод открыт\n\nНовый газопровод доставит газ из Каспия в Европу.",
        "ru/football.txt": "Финал кубка\n\nФутбольный клуб выиграл финал кубка в воскресенье.",
    }
    for docid, text in docs.items():
        (corpus / docid).parent.mkdir(parents=True, exist_ok=True)
        (corpus / docid).write_text(text, encoding="utf-8")
    # Inflected forms only match through each language's stemmer.
    (tmp_path / "topics.tsv").write_text(
        "1\tWhich pipelines carry gas?\n2\tфиналы кубков\n3\tпо газопроводу\n", encoding="utf-8"
    )
    stock_whoosh("index", corpus, "--index", tmp_path / "index")
    run = stock_whoosh("batch", tmp_path / "topics.tsv", "--index", tmp_path / "index", "--limit", 2)
    first = {}
    for line in run.splitlines():
        qid, _, docid, rank, _, tag = line.split()
        assert tag == "stock-whoosh"
        if rank == "1":
            first[qid] = docid
    assert first == {"1": "en/pipeline.txt", "2": "ru/football.txt", "3": "ru/pipeline.txt"}
