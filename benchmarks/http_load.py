"""HTTP load on /api/search: `mlsearch serve` (gunicorn) on loopback, wrk
cycling through a list of queries at each concurrency for a fixed time."""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

WRK_SCRIPT = Path(__file__).with_name("cycle.lua")


def paths(sets: dict) -> list[str]:
    """Each query as the web client sends it (both sides, translated) and,
    except translated ones, restricted to its language untranslated too;
    the kinds interleaved."""
    out = []
    for row in itertools.zip_longest(*sets.values()):
        for kind, item in zip(sets, row):
            if item is None:
                continue
            lang, text = item
            out.append("/api/search?" + urlencode({"q": text}))
            if kind != "translated":
                out.append("/api/search?" + urlencode({"q": text, "lang": lang, "translate": "false"}))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, ()))
    return found


def memory(pid: int) -> dict:
    """Memory of a process and its descendants (the server's workers), in
    bytes: PSS summed (a page shared by n processes counts 1/n in each, so
    the sum is what they hold together) and RSS summed (shared pages in
    every process: an upper bound)."""
    total = {"pss": 0, "rss": 0, "processes": 0}
    for p in process_tree(pid):
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        fields = {k: int(v.split()[0]) * 1024 for k, _, v in (line.partition(":") for line in rollup[1:])}
        total["pss"] += fields["Pss"]
        total["rss"] += fields["Rss"]
        total["processes"] += 1
    return total


def workers_cpu(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) so far of each descendant of a process
    (the server's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for p in process_tree(pid)[1:]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[p] = (int(fields[11]) + int(fields[12])) / tick
    return out


def get(url: str, timeout: float = 60) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        r.read()
        return r.status


def _wait_healthy(base: str, server: subprocess.Popen, limit: float = 120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mlsearch serve exited with code {server.returncode}")
        try:
            if get(base + "/api/health", timeout=5) == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("mlsearch serve did not answer /api/health in time")


@contextlib.contextmanager
def serving(index_dir: Path, log=subprocess.DEVNULL, options: tuple[str, ...] = ()):
    """`mlsearch serve` on a free loopback port with more `options`, its
    stderr to `log` (a file, not a pipe: a full pipe would stall the
    server): yields (base URL, pid)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    mlsearch = Path(sys.executable).with_name("mlsearch")
    server = subprocess.Popen([str(mlsearch), "serve", "--index", str(index_dir), "--port", str(port), *options],
                              stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait_healthy(base, server)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(base: str, requests: list[str], concurrency: int, seconds: int, threads: int = 1) -> dict:
    """wrk's figures for one run cycling through the request paths."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
        f.write("\n".join(requests) + "\n")
        f.flush()
        out = subprocess.run(["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s",
                              "-s", str(WRK_SCRIPT), base], check=True, capture_output=True,
                             text=True, env=dict(os.environ, WRK_PATHS=f.name)).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return figures


def warm_up(base: str, warmup: dict):
    """The warm-up queries, one at a time: the first translated one loads the lexicon."""
    for path in paths(warmup):
        get(base + path)


def run(index_dir: Path, sets: dict, repeated: dict, warmup: dict, seconds: int = 20) -> dict:
    """wrk at concurrency 8 and 32 over `sets`, which should hold more
    requests than the engine's result cache (an LRU never hits on a cycle
    longer than itself), then at 32 over the shorter `repeated`, cycled
    from the cache."""
    with serving(index_dir) as (base, pid):
        result = {"memory_started": memory(pid)}
        warm_up(base, warmup)
        result["memory_warm"] = memory(pid)
        result["requests_distinct"] = len(paths(sets))
        runs = [("c8", paths(sets), 8), ("c32", paths(sets), 32), ("c32_repeated", paths(repeated), 32)]
        result["requests_repeated"] = len(paths(repeated))
        for key, requests, concurrency in runs:
            # Each worker's CPU time shows whether the load was shared.
            before = workers_cpu(pid)
            result[key] = wrk(base, requests, concurrency, seconds)
            after = workers_cpu(pid)
            result[key]["workers_cpu_s"] = sorted((after[p] - before.get(p, 0.0) for p in after), reverse=True)
        result["memory_after"] = memory(pid)
        return result
