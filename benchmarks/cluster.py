"""`make bench-cluster`: the cluster backend beside whoosh, in one run.

Quality: each task's corpus indexed into whoosh and into a local cluster
(two shards), its topics run through `mlsearch batch` on both, and scored.
Speed: news-mix indexed into a cluster of one shard and of two (documents
per second, beside whoosh's one-process build), and the query latency of
benchmarks/latency.py's query sets on each. Writes
benchmarks/results/cluster.md.

    python -m benchmarks.cluster [--tasks ria-title,...] [--no-speed] [--work DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import latency
from search.evaluation import evaluate
from search.index.sphinxql import local

ROOT = Path(__file__).resolve().parents[1]
TASKS = ("ria-title", "bbc-title", "xquad-en2ru", "wmt-ru2en")
MLSEARCH = [sys.executable, "-m", "search"]
LIMIT = 100


def index(corpus: Path, target: list[str]) -> float:
    """Seconds to index `corpus` with `mlsearch index ... TARGET`."""
    started = time.perf_counter()
    subprocess.run([*MLSEARCH, "index", str(corpus), *target], check=True, cwd=ROOT, stdout=sys.stderr)
    return time.perf_counter() - started


def run_topics(topics: Path, target: list[str], run_path: Path) -> None:
    run_path.parent.mkdir(parents=True, exist_ok=True)
    with open(run_path, "w", encoding="utf-8") as out:
        subprocess.run([*MLSEARCH, "batch", str(topics), *target, "--limit", str(LIMIT)],
                       check=True, cwd=ROOT, stdout=out)


def quality(kit: Path, tasks, work: Path) -> dict:
    results = {}
    for task in tasks:
        meta = json.loads((kit / "tasks" / task / "task.json").read_text(encoding="utf-8"))
        corpus = kit / "corpora" / meta["corpus"]
        whoosh_dir = work / "whoosh" / meta["corpus"]
        shutil.rmtree(whoosh_dir, ignore_errors=True)
        index(corpus, ["--index", str(whoosh_dir), "--procs", "1"])
        url = local.start(work / "cluster", shards=2)
        try:
            index(corpus, ["--backend", url])
            row = {"metric": meta["metric"]}
            for name, target in (("whoosh", ["--index", str(whoosh_dir)]), ("cluster", ["--backend", url])):
                run = work / "runs" / name / f"{task}.run"
                run_topics(kit / "tasks" / task / "topics.tsv", target, run)
                row[name] = evaluate(run, kit / "tasks" / task / "qrels.txt")
        finally:
            local.stop(work / "cluster")
        results[task] = row
        print(task, json.dumps(row), file=sys.stderr)
    return results


def speed(kit: Path, work: Path) -> dict:
    from benchmarks.bench import query_sets
    from search.cluster import ClusterEngine

    corpus = kit / "corpora" / "news-mix"
    documents = sum(1 for _ in corpus.rglob("*") if _.is_file())
    sets, warmup = query_sets(kit)
    out = {"files": documents}
    whoosh_dir = work / "whoosh" / "news-mix"
    shutil.rmtree(whoosh_dir, ignore_errors=True)
    out["whoosh"] = {"index_s": index(corpus, ["--index", str(whoosh_dir), "--procs", "1"])}
    out["whoosh"]["latency"] = latency.ours(whoosh_dir, sets, warmup)
    for shards in (1, 2):
        url = local.start(work / "cluster", shards=shards)
        try:
            row = {"index_s": index(corpus, ["--backend", url])}
            row["latency"] = latency.ours(url, sets, warmup, open_engine=ClusterEngine)
        finally:
            local.stop(work / "cluster")
        out[f"cluster-{shards}"] = row
        print(shards, json.dumps(row), file=sys.stderr)
    return out


def markdown(quality_rows: dict, speed_rows: dict | None) -> str:
    lines = ["# The cluster backend beside whoosh", "",
             "`python -m benchmarks.cluster` (`make bench-cluster`): Debian's sphinxsearch 2.2.11, "
             "two shard nodes and a head on loopback, 2 shared cores.", "",
             "| task | metric | whoosh | cluster | difference |", "|---|---|---|---|---|"]
    for task, row in quality_rows.items():
        metric = row["metric"]
        a, b = row["whoosh"][metric], row["cluster"][metric]
        lines.append(f"| {task} | {metric} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
    if speed_rows:
        lines += ["", f"news-mix ({speed_rows['files']} files): indexing in one process, and query "
                  "latency in one warm process (benchmarks/latency.py's sets).", "",
                  "| backend | index s | docs/s | " + " | ".join(
                      f"p95 {k} ms" for k in speed_rows["whoosh"]["latency"] if "/" in k) + " |",
                  "|---|---|---|" + "---|" * sum(1 for k in speed_rows["whoosh"]["latency"] if "/" in k)]
        for name in ("whoosh", "cluster-1", "cluster-2"):
            row = speed_rows[name]
            p95 = " | ".join(f"{v['p95']:.0f}" for k, v in row["latency"].items() if "/" in k)
            lines.append(f"| {name} | {row['index_s']:.0f} | {speed_rows['files'] / row['index_s']:.0f} | {p95} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--no-speed", action="store_true", help="quality only")
    parser.add_argument("--kit", type=Path, default=ROOT / ".cache" / "kit")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-cluster")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "cluster.md")
    args = parser.parse_args()
    quality_rows = quality(args.kit, [t for t in args.tasks.split(",") if t], args.work)
    speed_rows = None if args.no_speed else speed(args.kit, args.work)
    table = markdown(quality_rows, speed_rows)
    args.out.write_text(table, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps({"quality": quality_rows, "speed": speed_rows},
                                                          indent=1) + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
