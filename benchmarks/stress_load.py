"""Load during a reindex: `mlsearch serve` (gunicorn) on a free loopback
port, wrk at concurrency 32 for 60 s, while incremental updates of the
corpus (a third of the articles rewritten, some added, some deleted) run
back to back. Any response but a 200 is an error.

    python -m benchmarks.stress_load [--seconds 60] [--connections 32] [--articles 2000]

Needs Debian's wrk (`make stress` installs it). Loopback only; wrk stops
after --seconds, the updates after the load.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.http_load import serving, wrk
from benchmarks.stress_crash import change_articles, record, write_articles

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ("energy", "газ", "pipeline security", '"grain harvest"', "нефть OR банк", "title:summit",
           "market -price", "port lang:ru", "budget date:2015..2018", "инвестиции", "Azerbaijan energy",
           "энергетическая безопасность")
# Searches as the web client sends them, some on the second page, and pages.
PATHS = ([f"/api/search?{urlencode({'q': q})}" for q in QUERIES]
         + [f"/api/search?{urlencode({'q': q, 'page': 2, 'lang': 'en'})}" for q in QUERIES[:4]]
         + [f"/?{urlencode({'q': q})}" for q in QUERIES[:3]] + ["/api/health"])


def health(base: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + "/api/health", timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


class Reindexer(threading.Thread):
    """Incremental updates back to back until stopped."""

    def __init__(self, corpus: Path, index: Path, seed: int):
        super().__init__()
        self.corpus, self.index, self.rnd = corpus, index, random.Random(seed)
        self.stopping = threading.Event()
        self.seconds: list[float] = []
        self.failures: list[str] = []

    def run(self):
        command = [str(Path(sys.executable).parent / "mlsearch"), "index", str(self.corpus), "--index", str(self.index)]
        while not self.stopping.is_set():
            change_articles(self.corpus, self.rnd, f"zq{len(self.seconds):03d}")
            started = time.monotonic()
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode:
                self.failures.append(done.stderr.strip()[-300:])
            self.seconds.append(time.monotonic() - started)


def main() -> int:
    from search.index.writer import build

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--articles", type=int, default=2000, help="generated articles beside the shipped corpus")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("stress_load: needs wrk: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="stress-load-") as work:
        work = Path(work)
        corpus, index = work / "corpus", work / "index"
        write_articles(corpus, args.articles, args.seed)
        for path in (ROOT / "corpus").glob("*.txt"):
            (corpus / path.name).write_bytes(path.read_bytes())
        build(corpus, index)
        log = work / "server.log"
        reindexer = Reindexer(corpus, index, args.seed)
        with open(log, "w") as log_file, serving(index, log_file) as (base, _):
            try:
                for path in PATHS:  # warm up: translations, lexicon, caches
                    urllib.request.urlopen(base + path, timeout=60).read()
                generation_before = health(base)[1]["generation"]
                reindexer.start()
                figures = wrk(base, PATHS, args.connections, args.seconds, threads=2)
                reindexer.stopping.set()
                reindexer.join()
                status, body = health(base)
                generation_after = (body["generation"] if status == 200
                                    else f"no working index ({status} on /api/health)")
            finally:
                reindexer.stopping.set()
        server_log = log.read_text(encoding="utf-8", errors="replace")

    errors = figures["errors"]
    tracebacks = server_log.count("Traceback")
    updates = len(reindexer.seconds)
    table = "\n".join([
        f"wrk, {args.connections} connections, 2 threads, {args.seconds} s, on 127.0.0.1 against `mlsearch serve` "
        f"(gunicorn, a worker per core, 4 threads each) over {args.articles} generated articles and the shipped corpus, cycling "
        f"{len(PATHS)} requests (API searches in both languages, second pages, result pages, health). "
        f"Meanwhile {updates} incremental updates ran back to back (a third of the articles rewritten, 5 added, "
        f"5 deleted each; {min(reindexer.seconds):.1f}-{max(reindexer.seconds):.1f} s each), and the server "
        f"went from {generation_before} to {generation_after}.",
        "",
        "| requests served | req/s | errors | non-200 | socket errors | p50 ms | p95 ms | p99 ms | max ms "
        "| server tracebacks | failed updates |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {figures['requests']:,} | {figures['requests'] / figures['seconds']:.0f} | {errors} | {figures['status']} "
        f"| {errors - figures['status']} | {figures['p50_ms']:.0f} | {figures['p95_ms']:.0f} "
        f"| {figures['p99_ms']:.0f} | {figures['max_ms']:.0f} | {tracebacks} | {len(reindexer.failures)} |",
    ])
    if tracebacks:
        last = server_log[server_log.rindex("Traceback"):].strip().splitlines()
        table += f"\n\nLast server traceback ends: `{last[-1]}`"
    record("Load", table)
    print(table)
    return 1 if errors or tracebacks or reindexer.failures else 0


if __name__ == "__main__":
    sys.exit(main())
