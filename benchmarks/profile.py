"""Where the time goes: py-spy over a full news-mix index build (the
writer's worker processes included) and over the server under load,
pyinstrument over warm queries and over one cold CLI query, and the
server's memory after each step of its start. Writes function tables (self
and inclusive seconds) and call trees to .cache/bench/profile/, read for
benchmarks/results/profile.md.

    .venv/bin/python -m benchmarks.profile
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from benchmarks import http_load, queries
from benchmarks.bench import HTTP_QUERIES, MLSEARCH, WORK, kit_dir, query_sets
from benchmarks.report import MB

OUT = WORK / "profile"
RATE = 100  # py-spy samples per second
TOP = 40
_LINE = re.compile(r":\d+\)$")


def flat(stacks: Counter, seconds_per_sample: float) -> str:
    """A table of the functions with the most inclusive time, from
    {(frame, ...): samples}; a function is counted once per stack."""
    inclusive, own = Counter(), Counter()
    total = sum(stacks.values())
    for stack, n in stacks.items():
        for name in set(stack):
            inclusive[name] += n
        own[stack[-1]] += n
    lines = [f"{total * seconds_per_sample:.1f} s sampled", "", f"{'incl s':>8} {'self s':>8}  function"]
    for name, n in inclusive.most_common(TOP):
        lines.append(f"{n * seconds_per_sample:8.2f} {own[name] * seconds_per_sample:8.2f}  {name}")
    lines += ["", "our code (search/, web/) by inclusive time:", f"{'incl s':>8} {'self s':>8}  function"]
    ours = [(name, n) for name, n in inclusive.most_common() if "(search/" in name or "(web/" in name]
    lines += [f"{n * seconds_per_sample:8.2f} {own[name] * seconds_per_sample:8.2f}  {name}" for name, n in ours[:TOP]]
    lines += ["", "by self time:", f"{'self s':>8}  function"]
    lines += [f"{n * seconds_per_sample:8.2f}  {name}" for name, n in own.most_common(TOP)]
    return "\n".join(lines) + "\n"


def profile_index(corpus: Path, index_dir: Path):
    shutil.rmtree(index_dir, ignore_errors=True)
    raw = OUT / "index.raw"
    py_spy = Path(sys.executable).with_name("py-spy")
    subprocess.run([str(py_spy), "record", "--subprocesses", "--format", "raw", "--rate", str(RATE),
                    "--output", str(raw), "--", MLSEARCH, "index", str(corpus), "--index", str(index_dir), "--full"],
                   check=True, stdout=subprocess.DEVNULL)
    (OUT / "index.txt").write_text(_read_raw(raw))


def _read_raw(raw: Path) -> str:
    """The function table of a py-spy raw (collapsed stacks) file."""
    stacks, by_process = Counter(), Counter()
    for line in raw.read_text().splitlines():
        text, _, count = line.rpartition(" ")
        frames = text.split(";")
        # With --subprocesses a stack starts with the process and its
        # ancestors: one for the indexer, two for a writer worker.
        procs = [f for f in frames if f.startswith("process ")]
        who = "main" if len(procs) <= 1 else "worker " + procs[-1].split(":")[0].split()[1]
        by_process[who] += int(count)
        if frames[len(procs):]:
            stacks[tuple(_LINE.sub(")", f) for f in frames[len(procs):])] += int(count)
    head = ["seconds sampled per process:"] + [f"{n / RATE:8.2f} s  {p}" for p, n in by_process.most_common()]
    return "\n".join(head) + "\n\n" + flat(stacks, 1 / RATE)


def profile_server(index_dir: Path, sets: dict, warmup: dict, seconds: int = 20):
    """py-spy on `mlsearch serve` (its workers too) while wrk keeps 32
    connections busy with distinct requests (`sets` as for bench's HTTP
    load)."""
    raw = OUT / "server.raw"
    py_spy = Path(sys.executable).with_name("py-spy")
    with http_load.serving(index_dir) as (base, pid):
        http_load.warm_up(base, warmup)
        spy = subprocess.Popen([str(py_spy), "record", "--subprocesses", "--pid", str(pid),
                                "--duration", str(seconds),
                                "--format", "raw", "--rate", str(RATE), "--output", str(raw)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        figures = http_load.wrk(base, http_load.paths(sets), 32, seconds)
        spy.wait()
    (OUT / "server.txt").write_text(f"wrk: {json.dumps(figures)}\n\n" + _read_raw(raw))


def memory_steps(index_dir: Path, sets: dict, warmup: dict) -> str:
    """RSS after each step of a server's start, measured in this process
    (run it in a fresh one)."""
    steps = [("python", None)]
    steps.append(("import search.engine, web", lambda: __import__("web").create_app({"INDEX_DIR": str(index_dir)})))
    from search.engine import Engine

    engine = None

    def open_engine():
        nonlocal engine
        engine = Engine(index_dir)

    def warm_up():
        for items in warmup.values():
            for lg, t in items:
                engine.search(t)
                engine.search(t, lang=lg, translate=False)

    lang, text = sets["one-word"][0]
    steps += [("Engine open", open_engine),
              ("first same-language query (spelling vocabulary)",
               lambda: engine.search(text, lang=lang, translate=False)),
              ("first translated query (lexicon, vocabularies)", lambda: engine.search(sets["translated"][0][1])),
              ("all warm-up queries, both modes", warm_up)]
    lines = []
    for name, step in steps:
        if step:
            step()
        lines.append(f"{http_load.memory(os.getpid())['rss'] / MB:7.0f} MB  {name}")
    return "\n".join(lines) + "\n"


def _frames(frame, path=()):
    """(stack of function names, seconds) of each leaf of a pyinstrument
    frame tree; a "[self]" leaf is its parent's own time."""
    if frame.is_synthetic:
        yield path, frame.time
        return
    stack = path + (f"{frame.function} ({frame.file_path_short})",)
    if not frame.children:
        yield stack, frame.time
    for child in frame.children:
        yield from _frames(child, stack)


def profile_queries(index_dir: Path, sets: dict, warmup: dict, corpus: str):
    from pyinstrument import Profiler

    from search.engine import Engine

    engine = Engine(index_dir)
    for items in warmup.values():
        for lang, text in items:
            engine.search(text)
            engine.search(text, lang=lang, translate=False)
    for kind in ("translated", "one-word", "phrase"):
        name = kind if kind == "translated" else f"{kind}-same-language"
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for lang, text in sets[kind]:
            if kind == "translated":
                engine.search(text)
            else:
                engine.search(text, lang=lang, translate=False)
        profiler.stop()
        stacks = Counter()
        for stack, seconds in _frames(profiler.last_session.root_frame()):
            stacks[stack] += seconds
        (OUT / f"query-{corpus}-{name}.txt").write_text(flat(stacks, 1.0) + "\n" + profiler.output_text(color=False))


def profile_cold(index_dir: Path, text: str):
    pyinstrument = Path(sys.executable).with_name("pyinstrument")
    subprocess.run([str(pyinstrument), "--renderer", "text", "--outfile", str(OUT / "cold-cli.txt"),
                    "-m", "search", "search", text, "--index", str(index_dir)], check=True,
                   stdout=subprocess.DEVNULL)
    importtime = subprocess.run([sys.executable, "-X", "importtime", "-m", "search", "search", text,
                                 "--index", str(index_dir)], capture_output=True, text=True, check=True).stderr
    # "import time: self | cumulative | name", µs; a top-level import's name
    # has one space of indentation, a nested one more.
    rows = [line.split("|") for line in importtime.splitlines() if line.startswith("import time:")]
    top = sorted(((int(c), n.strip()) for _, c, n in rows[1:] if n.startswith(" ") and not n.startswith("  ")),
                 reverse=True)
    (OUT / "cold-imports.txt").write_text("".join(f"{us / 1e3:8.1f} ms {name}\n" for us, name in top[:TOP]))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    kit = kit_dir()
    sets, warmup = query_sets(kit)
    index_dir = OUT / "index"
    if sys.argv[1:] == ["memory"]:
        print(memory_steps(index_dir, sets, warmup), end="")
        return
    print("profiling the news-mix index build (py-spy)", file=sys.stderr)
    profile_index(kit / "corpora" / "news-mix", index_dir)
    print("server memory, step by step", file=sys.stderr)
    memory = subprocess.run([sys.executable, "-m", "benchmarks.profile", "memory"], check=True,
                            capture_output=True, text=True).stdout
    (OUT / "server-memory.txt").write_text(memory)
    print("profiling warm queries (pyinstrument)", file=sys.stderr)
    profile_queries(index_dir, sets, warmup, "news-mix")
    big = WORK / "news-mix-10x" / "mlsearch"  # left by `make bench`
    if big.is_dir():
        profile_queries(big, sets, warmup, "news-mix-10x")
    print("profiling a cold CLI query (pyinstrument, -X importtime)", file=sys.stderr)
    profile_cold(index_dir, sets["translated"][0][1])
    print("profiling the server under load (py-spy, wrk)", file=sys.stderr)
    profile_server(index_dir, queries.build(kit, HTTP_QUERIES), warmup)
    print(f"written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
