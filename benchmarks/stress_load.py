"""Load during a reindex: `mlsearch serve` (waitress) on a free loopback
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
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.stress_crash import change_articles, record, write_articles

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ("energy", "газ", "pipeline security", '"grain harvest"', "нефть OR банк", "title:summit",
           "market -price", "port lang:ru", "budget date:2015..2018", "инвестиции", "Azerbaijan energy",
           "энергетическая безопасность")
# Searches as the web client sends them, some on the second page, and pages.
PATHS = ([f"/api/search?{urlencode({'q': q})}" for q in QUERIES]
         + [f"/api/search?{urlencode({'q': q, 'page': 2, 'lang': 'en'})}" for q in QUERIES[:4]]
         + [f"/?{urlencode({'q': q})}" for q in QUERIES[:3]] + ["/api/health"])
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %%d, "seconds": %%.2f, "status": %%d, "connect": %%d, "read": %%d, '
    .. '"write": %%d, "timeout": %%d, "p50": %%.1f, "p95": %%.1f, "p99": %%.1f, "max": %%.1f}\\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(base: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + "/api/health", timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not come up at {url}")


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
    from search.indexing import build

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--articles", type=int, default=2000, help="generated articles beside the shipped corpus")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("stress_load: needs wrk: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="stress-load-") as work:
        work = Path(work)
        corpus, index = work / "corpus", work / "index"
        write_articles(corpus, args.articles, args.seed)
        for path in (ROOT / "corpus").glob("*.txt"):
            (corpus / path.name).write_bytes(path.read_bytes())
        build(corpus, index)
        script = work / "paths.lua"
        script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in PATHS), encoding="utf-8")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = work / "server.log"  # a file, not a pipe: a full pipe would stall the server
        with open(log, "w") as log_file:
            server = subprocess.Popen([str(Path(sys.executable).parent / "mlsearch"), "serve", "--index", str(index),
                                       "--host", "127.0.0.1", "--port", str(port)],
                                      stdout=subprocess.DEVNULL, stderr=log_file)
        reindexer = Reindexer(corpus, index, args.seed)
        try:
            wait_until_up(base + "/api/health", server)
            for path in PATHS:  # warm up: translations, lexicon, caches
                urllib.request.urlopen(base + path, timeout=60).read()
            generation_before = health(base)[1]["generation"]
            reindexer.start()
            load = subprocess.run([wrk, "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "10s",
                                   "-s", str(script), base], capture_output=True, text=True,
                                  timeout=args.seconds + 60)
            reindexer.stopping.set()
            reindexer.join()
            status, body = health(base)
            generation_after = body["generation"] if status == 200 else f"no working index ({status} on /api/health)"
        finally:
            reindexer.stopping.set()
            server.terminate()
            server.wait(timeout=30)
            server_log = log.read_text(encoding="utf-8", errors="replace")

    figures = json.loads(next(line for line in load.stdout.splitlines() if line.startswith("{")))
    errors = sum(figures[k] for k in ("status", "connect", "read", "write", "timeout"))
    tracebacks = server_log.count("Traceback")
    updates = len(reindexer.seconds)
    table = "\n".join([
        f"wrk, {args.connections} connections, 2 threads, {args.seconds} s, on 127.0.0.1 against `mlsearch serve` "
        f"(waitress, 8 threads) over {args.articles} generated articles and the shipped corpus, cycling "
        f"{len(PATHS)} requests (API searches in both languages, second pages, result pages, health). "
        f"Meanwhile {updates} incremental updates ran back to back (a third of the articles rewritten, 5 added, "
        f"5 deleted each; {min(reindexer.seconds):.1f}-{max(reindexer.seconds):.1f} s each), and the server "
        f"went from {generation_before} to {generation_after}.",
        "",
        "| requests served | req/s | errors | non-200 | socket errors | p50 ms | p95 ms | p99 ms | max ms "
        "| server tracebacks | failed updates |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {figures['requests']:,} | {figures['requests'] / figures['seconds']:.0f} | {errors} | {figures['status']} "
        f"| {errors - figures['status']} | {figures['p50']:.0f} | {figures['p95']:.0f} | {figures['p99']:.0f} "
        f"| {figures['max']:.0f} | {tracebacks} | {len(reindexer.failures)} |",
    ])
    if tracebacks:
        last = server_log[server_log.rindex("Traceback"):].strip().splitlines()
        table += f"\n\nLast server traceback ends: `{last[-1]}`"
    record("Load", table)
    print(table)
    return 1 if errors or tracebacks or reindexer.failures else 0


if __name__ == "__main__":
    sys.exit(main())
