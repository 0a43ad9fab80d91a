"""`make eval`: effectiveness of mlsearch and of stock whoosh on the shared kit.

Builds the kit with ../shared/eval/make_tasks.py (SHARED_DIR overrides) into
.cache/kit when it is missing, indexes each task's corpus once per engine,
runs all of a task's topics in one batch process per engine, and writes the
table to benchmarks/results/eval.md and eval.json.

    .venv/bin/python tools/evaluate_kit.py [--tasks xquad-ru,ria-title] [--reuse] [--out DIR]

To check that a change keeps every ranking, run the kit with both versions
of the code with --one-process (the runs then agree byte for byte: a
parallel build numbers documents in the order its workers finish, which
reorders tied documents from build to build) and compare the runs:

    tools/evaluate_kit.py --one-process --work /tmp/old   # in the old checkout
    tools/evaluate_kit.py --one-process --work /tmp/new   # in the new one
    diff -r /tmp/old/mlsearch/runs /tmp/new/mlsearch/runs

--semantic indexes and searches mlsearch with the semantic channel. A
rebuild keeps the index's vector store (keyed by text hash, so only texts
not embedded before are): embedding a corpus is slow.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from search.evaluation import evaluate

ROOT = Path(__file__).resolve().parents[1]
TASKS = (
    "xquad-ru", "xquad-en", "xquad-en2ru", "xquad-ru2en", "xquad-en2both", "xquad-ru2both",
    "wmt-en2ru", "wmt-ru2en", "ria-title", "bbc-title", "cranfield",
)
# Both engines take the same `index CORPUS --index DIR` and
# `batch TOPICS --index DIR --limit N` commands.
ENGINES = {
    "mlsearch": [str(Path(sys.executable).parent / "mlsearch")],
    "stock-whoosh": [sys.executable, "-m", "benchmarks.stock_whoosh"],
}
LIMIT = 100


def build_kit(kit: Path, make_tasks: Path):
    """Build into a side directory first, so an interrupted build is never taken for a kit."""
    partial = kit.with_name(kit.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    print(f"building the evaluation kit into {kit}", file=sys.stderr)
    subprocess.run([sys.executable, str(make_tasks), str(partial)], check=True, stdout=subprocess.DEVNULL)
    partial.rename(kit)


def build_index(engine: str, corpus_dir: Path, index_dir: Path, one_process: bool, semantic: bool):
    store = index_dir / "vectors"
    kept = index_dir.with_name(index_dir.name + ".vectors")
    if store.is_dir():
        shutil.rmtree(kept, ignore_errors=True)
        store.rename(kept)
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    if kept.is_dir():
        index_dir.mkdir()
        kept.rename(store)
    # Index summaries go to stderr with the progress, leaving stdout to the table.
    command = [*ENGINES[engine], "index", str(corpus_dir), "--index", str(index_dir)]
    if one_process and engine == "mlsearch":
        command += ["--procs", "1"]
    if semantic and engine == "mlsearch":
        command += ["--semantic"]
    subprocess.run(command, check=True, cwd=ROOT, stdout=sys.stderr)


def run_topics(engine: str, topics: Path, index_dir: Path, run_path: Path, semantic: bool):
    run_path.parent.mkdir(parents=True, exist_ok=True)
    with open(run_path, "w", encoding="utf-8") as out:
        command = [*ENGINES[engine], "batch", str(topics), "--index", str(index_dir), "--limit", str(LIMIT)]
        if semantic and engine == "mlsearch":
            command += ["--semantic"]
        subprocess.run(command, check=True, cwd=ROOT, stdout=out)


def evaluate_tasks(kit: Path, tasks: list[str], work: Path, reuse: bool, one_process: bool,
                   semantic: bool = False) -> dict:
    results = {}
    indexed = set()  # (engine, corpus) built during this run
    for number, task in enumerate(tasks, 1):
        task_dir = kit / "tasks" / task
        meta = json.loads((task_dir / "task.json").read_text(encoding="utf-8"))
        corpus = meta["corpus"]
        row = {"corpus": corpus, "metric": meta["metric"], "anchors": meta["anchors"]}
        for engine in ENGINES:
            print(f"[{number}/{len(tasks)}] {task}: {engine}", file=sys.stderr)
            index_dir = work / engine / "index" / corpus
            if (engine, corpus) not in indexed and not (reuse and index_dir.is_dir()):
                build_index(engine, kit / "corpora" / corpus, index_dir, one_process, semantic)
            indexed.add((engine, corpus))
            run_path = work / engine / "runs" / f"{task}.run"
            run_topics(engine, task_dir / "topics.tsv", index_dir, run_path, semantic)
            row[engine] = evaluate(run_path, task_dir / "qrels.txt")
        results[task] = row
    return results


def markdown(results: dict) -> str:
    lines = [
        "| task | metric | mlsearch nDCG@10 | mlsearch MRR@10 | mlsearch R@100 "
        "| stock whoosh nDCG@10 | stock whoosh MRR@10 | published anchor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for task, row in results.items():
        ours, peer = row["mlsearch"], row["stock-whoosh"]
        anchor = "; ".join(f"{value} ({name})" for name, value in row["anchors"].items())
        lines.append(
            f"| {task} | {row['metric']} | {ours['nDCG@10']:.3f} | {ours['MRR@10']:.3f} | {ours['R@100']:.3f} "
            f"| {peer['nDCG@10']:.3f} | {peer['MRR@10']:.3f} | {anchor} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated subset of: " + ", ".join(TASKS))
    parser.add_argument("--reuse", action="store_true", help="keep indexes from an earlier run")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--kit", type=Path, default=ROOT / ".cache" / "kit")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "eval", help="indexes and runs")
    parser.add_argument("--one-process", action="store_true",
                        help="index in one process: documents numbered in file order, runs reproducible")
    parser.add_argument("--semantic", action="store_true", help="mlsearch with the semantic channel")
    args = parser.parse_args()
    tasks = args.tasks.split(",")
    unknown = sorted(set(tasks) - set(TASKS))
    if unknown:
        parser.error("unknown task(s): " + ", ".join(unknown))

    shared = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
    make_tasks = shared / "eval" / "make_tasks.py"
    if not make_tasks.is_file():
        sys.exit(f"evaluate_kit: {make_tasks} not found; the evaluation needs ../shared (or SHARED_DIR)")
    try:
        if not args.kit.is_dir():
            build_kit(args.kit, make_tasks)
        results = evaluate_tasks(args.kit, tasks, args.work, args.reuse, args.one_process, args.semantic)
    except subprocess.CalledProcessError as error:
        sys.exit(f"evaluate_kit: `{' '.join(error.cmd)}` failed with exit code {error.returncode}")

    table = markdown(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "eval.md").write_text(table, encoding="utf-8")
    (args.out / "eval.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
