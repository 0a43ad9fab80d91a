"""`make bench`: speed and memory of mlsearch next to stock whoosh and FTS5.

On the kit's news-mix corpus and on a corpus SCALE times its size made from
it (benchmarks/corpus10x.py): indexing docs/s, MB/s, peak RSS and index size;
warm query latency per query set; cold CLI query time; HTTP load on
/api/search; server memory, warmed up and after 10,000 distinct queries. Peers are measured in the same run, because the
machine is shared and only ratios are comparable. Writes
benchmarks/results/bench.md and bench.json.

    .venv/bin/python -m benchmarks.bench [--reuse] [--scale 10]

The larger corpus is written once, into .cache/bench/corpora. --reuse keeps
its indexes (and their build figures) from an earlier run; news-mix is always
indexed afresh.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


from benchmarks import corpus10x, http_load, latency, queries, server_memory
from benchmarks.report import MB, markdown
from search.index.layout import current_generation, read_manifest
from search.index.reader import is_current_format

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "bench"
RESULTS = ROOT / "benchmarks" / "results"
QUERIES = 60  # measured per query set
QUERIES_BIG = 30  # on the larger corpus, where a query takes up to seconds
HTTP_QUERIES = 300  # per set: about 2,000 distinct requests, more than a result cache keeps
HTTP_REPEATED = 12  # per set: 84 requests, fewer than a worker's result cache keeps (128)
WARMUP = 6  # per query set, not measured
COLD_RUNS = 3
HTTP_SECONDS = 20


# -- measuring processes ------------------------------------------------------

def _tree_rss(pid: int) -> int:
    """RSS of a process and all its descendants, in bytes (pages shared
    after fork are counted in each: an upper bound)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for p in http_load.process_tree(pid):
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def measured(command: list[str]) -> dict:
    """Run a command; its wall time and the peak RSS of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.wait(0.25):
            peak = max(peak, _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode:
        sys.exit(f"bench: `{' '.join(command)}` failed with exit code {proc.returncode}:\n{err[-2000:]}")
    return {"seconds": time.perf_counter() - start, "peak_rss": peak}


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _corpus_figures(corpus: Path) -> dict:
    files = list(corpus.rglob("*.txt"))
    return {"docs": len(files), "bytes": sum(f.stat().st_size for f in files)}


# -- indexing ---------------------------------------------------------------

PY = sys.executable
MLSEARCH = str(Path(PY).with_name("mlsearch"))
INDEXERS = {  # engine -> (command, whether the target is a file)
    "mlsearch": (lambda c, t: [MLSEARCH, "index", str(c), "--index", str(t), "--full"], False),
    "stock-whoosh": (lambda c, t: [PY, "-m", "benchmarks.stock_whoosh", "index", str(c), "--index", str(t)], False),
    "fts5": (lambda c, t: [PY, "-m", "benchmarks.fts5", "index", str(c), "--db", str(t)], True),
}


def _current(engine: str, target: Path) -> bool:
    """Whether an index exists and (ours) is in this version's format."""
    if engine != "mlsearch" or not target.exists():
        return target.exists()
    gen = current_generation(target)
    return is_current_format(gen)


def index(engine: str, corpus: Path, target: Path, corpus_figures: dict, reuse: bool) -> dict:
    """Build figures of an index, built now or (reuse) remembered beside it."""
    remembered = target.with_name(target.name + ".build.json")
    if reuse and remembered.is_file() and _current(engine, target):
        print(f"  {engine}: reusing {target}", file=sys.stderr)
        return dict(json.loads(remembered.read_text()), reused=True)
    command, is_file = INDEXERS[engine]
    if is_file:
        target.unlink(missing_ok=True)
    else:
        shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"  {engine}: indexing {corpus}", file=sys.stderr)
    run = measured(command(corpus, target))
    docs = corpus_figures["docs"]
    if engine == "mlsearch":
        docs = sum(read_manifest(current_generation(target))["documents"].values())
    figures = {"docs": docs, "bytes": corpus_figures["bytes"], "seconds": run["seconds"],
               "docs_per_s": docs / run["seconds"], "mb_per_s": corpus_figures["bytes"] / MB / run["seconds"],
               "peak_rss": run["peak_rss"], "index_bytes": _size(target)}
    remembered.write_text(json.dumps(figures))
    return figures


# -- cold CLI -----------------------------------------------------------------

def cold_cli(index_dir: Path, sets: dict) -> dict:
    """Median wall time of `mlsearch search QUERY --index DIR`, start to
    printed results, for the first query of each kind (its default mode)."""
    out = {}
    for kind, items in sets.items():
        text = items[0][1]
        times = []
        for _ in range(COLD_RUNS):
            start = time.perf_counter()
            subprocess.run([MLSEARCH, "search", text, "--index", str(index_dir)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        out[kind] = {"query": text, "median_s": statistics.median(times), "runs": times}
    return out


# -- the run ------------------------------------------------------------------

def kit_dir() -> Path:
    """The evaluation kit, built by ../shared/eval/make_tasks.py when missing."""
    kit = ROOT / ".cache" / "kit"
    if kit.is_dir():
        return kit
    make_tasks = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared")) / "eval" / "make_tasks.py"
    if not make_tasks.is_file():
        sys.exit(f"bench: {make_tasks} not found; the benchmark needs ../shared (or SHARED_DIR) to build its kit")
    from tools.evaluate_kit import build_kit

    build_kit(kit, make_tasks)
    return kit


def query_sets(kit: Path) -> tuple[dict, dict]:
    """(measured, warm-up) query sets; the warm-up takes from both ends,
    which are different languages."""
    drawn = queries.build(kit, WARMUP + QUERIES)
    head = WARMUP // 2
    warmup = {k: v[:head] + v[len(v) - (WARMUP - head):] for k, v in drawn.items()}
    sets = {k: v[head:len(v) - (WARMUP - head)] for k, v in drawn.items()}
    return sets, warmup


def larger_corpus(news_mix: Path, scale: int) -> tuple[str, Path]:
    """(name, directory) of news-mix at `scale` (benchmarks/corpus10x.py),
    written when missing."""
    name = f"news-mix-{scale}x"
    corpus = WORK / "corpora" / name
    if not corpus.is_dir():
        print(f"writing {corpus}", file=sys.stderr)
        corpus10x.build(news_mix, corpus, scale)
    return name, corpus


def larger_sets(sets: dict) -> dict:
    """The query sets for the larger corpus: QUERIES_BIG of each, from both
    ends (both languages)."""
    half = QUERIES_BIG // 2
    return {k: v[:half] + v[len(v) - half:] for k, v in sets.items()}


def corpus_run(name: str, corpus: Path, engines: tuple[str, ...], sets: dict, warmup: dict, reuse: bool) -> dict:
    print(f"{name}:", file=sys.stderr)
    figures = _corpus_figures(corpus)
    work = WORK / name
    targets = {"mlsearch": work / "mlsearch", "stock-whoosh": work / "stock-whoosh", "fts5": work / "fts5.db"}
    out = {"corpus": dict(figures, path=str(corpus)), "indexing": {}, "latency": {}}
    for engine in engines:
        out["indexing"][engine] = index(engine, corpus, targets[engine], figures, reuse)
        print(f"  {engine}: queries", file=sys.stderr)
        measure = {"mlsearch": latency.ours, "stock-whoosh": latency.stock, "fts5": latency.sqlite}[engine]
        out["latency"][engine] = measure(targets[engine], sets, warmup)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="reuse the larger corpus's indexes from an earlier run")
    parser.add_argument("--scale", type=int, default=10, help="size of the larger corpus, in news-mix sizes")
    args = parser.parse_args()
    started = time.perf_counter()
    kit = kit_dir()
    sets, warmup = query_sets(kit)
    news_mix = kit / "corpora" / "news-mix"
    results = {"machine": {"cpus": os.cpu_count(), "load_avg_start": os.getloadavg()},
               "query_sets": sets}
    results["news-mix"] = corpus_run("news-mix", news_mix, ("mlsearch", "stock-whoosh", "fts5"), sets, warmup,
                                     reuse=False)
    print("news-mix: cold CLI", file=sys.stderr)
    results["news-mix"]["cold_cli"] = cold_cli(WORK / "news-mix" / "mlsearch", sets)
    print("news-mix: HTTP load", file=sys.stderr)
    repeated = {kind: items[:HTTP_REPEATED] for kind, items in sets.items()}
    results["http"] = http_load.run(WORK / "news-mix" / "mlsearch", queries.build(kit, HTTP_QUERIES), repeated,
                                    warmup, seconds=HTTP_SECONDS)
    print(f"news-mix: server memory after {server_memory.QUERIES} distinct queries", file=sys.stderr)
    results["server_memory"] = server_memory.run(WORK / "news-mix" / "mlsearch",
                                                 queries.distinct(kit, server_memory.QUERIES), warmup)

    big_name, big = larger_corpus(news_mix, args.scale)
    # Stock whoosh is left out here, its build alone would take longer than
    # the whole run may.
    results[big_name] = corpus_run(big_name, big, ("mlsearch", "fts5"), larger_sets(sets), warmup, args.reuse)
    results["machine"]["load_avg_end"] = os.getloadavg()
    results["seconds"] = time.perf_counter() - started

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    table = markdown(results, big_name)
    (RESULTS / "bench.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
