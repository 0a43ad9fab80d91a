"""Crash safety: SIGKILL the indexer at random points, then check the index.

Each trial starts `python -m search index` in its own session, waits until
it holds the index lock, kills it after a seeded random delay, and checks
that the previous index still answers a fixed set of queries with the same
ids, that the next run completes and says it recovered the stale lock, and
that the index it leaves is right. tests/test_reliability.py runs a few
trials per mode; `make stress` runs many:

    python -m benchmarks.stress_crash [--kills 20] [--seed 1]
"""
from __future__ import annotations

import argparse
import fcntl
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "stress.md"

_EN = ("energy gas pipeline oil market price minister talks security export grid solar wind power "
       "transit tanker refinery budget inflation bank railway port cargo harvest grain drought "
       "election parliament summit treaty border visit agreement investment").split()
_RU = ("энергетика газ нефть трубопровод рынок цена министр переговоры безопасность экспорт сеть "
       "солнце ветер мощность транзит танкер завод бюджет инфляция банк дорога порт груз урожай "
       "зерно засуха выборы парламент саммит договор граница визит соглашение инвестиции").split()
# Fixed queries whose matching ids are compared before and after a kill:
# plain words in both languages (so translated), operators, fields, filters.
QUERIES = ("energy", "газ", "pipeline security", "нефть OR банк", "title:summit", '"grain harvest"',
           "market -price", "port lang:ru", "budget date:2015..2018", "+treaty border")


def article(rnd: random.Random, number: int, marker: str = "") -> str:
    """A short dated article, English for even numbers and Russian for odd."""
    words = _EN if number % 2 == 0 else _RU
    title = " ".join(rnd.choice(words) for _ in range(4)).capitalize()
    paragraphs = [" ".join(rnd.choice(words) for _ in range(30)) + "." for _ in range(2)]
    if marker:
        paragraphs.append(marker)
    date = f"{2010 + number % 14}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    return f" date {date}\n\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_articles(root: Path, count: int, seed: int) -> None:
    """`count` articles as root/aNNNN.txt."""
    rnd = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (root / f"a{n:04d}.txt").write_text(article(rnd, n), encoding="utf-8")


def change_articles(root: Path, rnd: random.Random, marker: str) -> tuple[set[str], set[str]]:
    """Work for an incremental update: rewrite a third of the articles with
    `marker` in them, add a few and delete a few. Returns (ids that must
    match `marker` now, ids deleted)."""
    names = sorted(p.name for p in root.glob("a*.txt"))
    changed = set(rnd.sample(names, len(names) // 3))
    deleted = set(rnd.sample(sorted(set(names) - changed), 5))
    top = int(names[-1][1:5])
    added = {f"a{n:04d}.txt" for n in range(top + 1, top + 6)}
    for name in changed | added:
        (root / name).write_text(article(rnd, int(name[1:5]), marker), encoding="utf-8")
    for name in deleted:
        (root / name).unlink()
    return changed | added, deleted


def answers(index: Path, engine=None) -> dict[str, frozenset[str]]:
    """The ids every fixed query matches, from `engine` or a freshly opened one."""
    from search.engine import Engine

    engine = engine or Engine(index)
    return {q: frozenset(h.id for h in engine.search(q, limit=1000, with_snippets=False, suggest=False).hits)
            for q in QUERIES}


def index_command(corpus: Path, index: Path, full: bool, procs: int | None) -> list[str]:
    command = [sys.executable, "-m", "search", "index", str(corpus), "--index", str(index)]
    return command + (["--full"] if full else []) + (["--procs", str(procs)] if procs else [])


def start_indexer(command: list[str], log: Path) -> subprocess.Popen:
    """The indexer in its own session, so that worker processes it forks can
    be found and ended, with its output in `log`: a pipe would stay open as
    long as such a worker lives, and reading it to the end would hang."""
    with open(log, "wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_lock(index: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    """Until `process` holds the index lock: its pid is in DIR/.lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if (index / ".lock").read_text().strip() == str(process.pid):
                return
        except FileNotFoundError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"indexer {process.pid} never took the lock (exit {process.poll()})")


def session_members(session: int) -> list[int]:
    """Pids of the live processes in a session, zombies aside."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()  # state, ppid, pgrp, session, ...
            if int(fields[3]) == session and fields[0] != "Z":
                members.append(int(entry))
    return members


def lock_held(index: Path) -> bool:
    """Whether some other process holds the POSIX lock on DIR/.lock."""
    with open(index / ".lock", "r+b") as f:
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(f, fcntl.LOCK_UN)
        return False


def end_session(session: int) -> None:
    try:
        os.killpg(session, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass
class Trial:
    mode: str
    delay: float  # seconds between taking the lock and the kill
    killed: bool = False  # False: the build had finished when the kill came
    outlived_by: int = 0  # processes of the killed indexer still running after it
    survivors_held_lock: bool = False
    unfinished_kept: list[str] = field(default_factory=list)  # generations without a manifest
    problems: list[str] = field(default_factory=list)


def crash_trial(corpus: Path, index: Path, *, mode: str, full: bool, procs: int | None, delay: float,
                expected: dict[str, frozenset[str]], marker: str = "",
                marked: frozenset[str] = frozenset(), deleted: frozenset[str] = frozenset()) -> Trial:
    """Kill one build `delay` s after it takes the lock. `expected` are the
    answers of the index before it; after the recovery run, `marker` must
    find exactly `marked` and no id in `deleted` may be left (incremental),
    or the answers must be `expected` again (a full rebuild of one corpus)."""
    from search.engine import Engine

    trial = Trial(mode, round(delay, 3))
    reader = Engine(index)  # a server's engine, open across the kill
    live_before = (index / "CURRENT").read_text()
    command = index_command(corpus, index, full, procs)
    process = start_indexer(command, index.parent / "indexer.log")
    try:
        wait_for_lock(index, process)
        time.sleep(delay)
        if process.poll() is not None:
            return trial
        process.send_signal(signal.SIGKILL)
        process.wait()
        if (index / ".lock").read_text().strip() != str(process.pid):
            return trial  # killed on its way out, its work done and the lock released
        trial.killed = True
        # The kernel ends the workers right after their parent (PR_SET_PDEATHSIG);
        # give it a moment before counting survivors.
        deadline = time.monotonic() + 2.0
        while session_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        trial.outlived_by = len(session_members(process.pid))
        # Problems read "what: details"; the stress table groups them by what.
        if trial.outlived_by:
            trial.survivors_held_lock = lock_held(index)
            trial.problems.append(f"workers outlived the killed indexer: {trial.outlived_by} of pid {process.pid}")
            end_session(process.pid)

        # Killed after switching CURRENT (while removing old generations):
        # the new, complete index is live, and is checked after the next run.
        if (index / "CURRENT").read_text() == live_before:
            if answers(index) != expected:
                trial.problems.append("the previous index answered otherwise: a fresh engine")
            if answers(index, reader) != expected:
                trial.problems.append("the previous index answered otherwise: an engine open across the kill")

        rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if rerun.returncode != 0:
            trial.problems.append(f"the next run failed: exit {rerun.returncode}, {rerun.stderr.strip()[-300:]}")
            return trial
        if f"recovered a stale lock left by indexer pid {process.pid}," not in rerun.stderr:
            trial.problems.append(f"no stale-lock message: stderr {rerun.stderr.strip()[-300:]!r}")
        trial.unfinished_kept = sorted(g.name for g in index.glob("gen-*") if not (g / "manifest.json").exists())
        after = Engine(index)
        if marker:
            found = {h.id for h in after.search(marker, limit=1000, with_snippets=False, suggest=False).hits}
            if found != marked:
                trial.problems.append(f"the update is wrong: {marker!r} finds {len(found)}, not {len(marked)}")
            left = {i for i in deleted if after.document(i) is not None}
            if left:
                trial.problems.append(f"the update is wrong: deleted articles still found, {sorted(left)}")
        elif answers(index, after) != expected:
            trial.problems.append("the rebuild is wrong: other answers than before")
    finally:
        end_session(process.pid)
    return trial


def crash_trials(work: Path, *, mode: str, kills: int, seed: int, articles: int = 250) -> list[Trial]:
    """`kills` killed builds in `mode`: "full" (a single-process rebuild),
    "full-parallel" (the default worker processes) or "incremental"."""
    rnd = random.Random(seed)
    corpus, index = work / "corpus", work / "index"
    write_articles(corpus, articles, seed)
    full = mode != "incremental"
    procs = 1 if mode == "full" else None
    # An uncut build first: the index to crash on, and how long a build takes.
    if mode == "incremental":
        subprocess.run(index_command(corpus, index, True, None), check=True, capture_output=True)
        change_articles(corpus, rnd, "warmup")
    log = work / "indexer.log"
    process = start_indexer(index_command(corpus, index, full, procs), log)
    wait_for_lock(index, process)
    started = time.monotonic()
    if process.wait() != 0:
        raise RuntimeError(f"the uncut build failed: {log.read_text()[-500:]}")
    duration = time.monotonic() - started
    trials: list[Trial] = []
    for attempt in range(2 * kills):
        if sum(t.killed for t in trials) == kills:
            break
        expected = answers(index)
        marker, marked, deleted = "", frozenset(), frozenset()
        if mode == "incremental":
            marker = f"zq{attempt:03d}"
            marked, deleted = map(frozenset, change_articles(corpus, rnd, marker))
        trials.append(crash_trial(corpus, index, mode=mode, full=full, procs=procs,
                                  delay=rnd.uniform(0, 0.9 * duration), expected=expected,
                                  marker=marker, marked=marked, deleted=deleted))
    return trials


def record(section: str, text: str) -> None:
    """Replace one `## section` of benchmarks/results/stress.md, keeping the others."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# `make stress` results\n"
    head, *parts = old.split("\n## ")
    sections = {part.split("\n", 1)[0]: part.rstrip("\n") for part in parts}
    sections[section] = f"{section}\n\n{text.strip()}"
    order = ["Fuzzing", "Load", "Crash safety"]
    names = sorted(sections, key=lambda s: order.index(s) if s in order else len(order))
    RESULTS.write_text(head.rstrip("\n") + "\n" + "".join(f"\n## {sections[s]}\n" for s in names),
                       encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20, help="killed builds per mode")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows, failed = [], 0
    for mode in ("full", "incremental", "full-parallel"):
        with tempfile.TemporaryDirectory(prefix=f"stress-crash-{mode}-") as work:
            try:
                trials = crash_trials(Path(work), mode=mode, kills=args.kills, seed=args.seed)
            except Exception as e:  # a fault no trial got past: the row says which
                failed += 1
                rows.append(f"| {mode} | - | - | - | - | stopped: {type(e).__name__}: {e} |")
                print(rows[-1], flush=True)
                continue
        killed = [t for t in trials if t.killed]
        survived = [t for t in killed if not t.problems]
        failed += len(killed) - len(survived)
        problems = sorted({p.split(":")[0] for t in killed for p in t.problems})
        rows.append(f"| {mode} | {len(killed)} | {len(survived)} | {sum(t.outlived_by > 0 for t in killed)} "
                    f"({sum(t.survivors_held_lock for t in killed)}) | {sum(bool(t.unfinished_kept) for t in killed)} "
                    f"| {'; '.join(problems) or '-'} |")
        print(rows[-1], flush=True)
    table = "\n".join([
        f"SIGKILL at a random point (seed {args.seed}) of builds over 250 generated articles: `full` is "
        "`index --full --procs 1`, `full-parallel` `index --full` (the indexer's worker processes), `incremental` "
        "`index` after a third of the articles were rewritten, 5 added and 5 deleted. A kill survived when "
        "the previous index answered the fixed queries with the same ids (unless the kill came after "
        "CURRENT named the new, complete generation), the next run completed and "
        "reported the stale lock, and its index was right. 'Unfinished generation kept': after the next "
        "run, a generation directory without a manifest was still there.",
        "",
        "| mode | kills | survived | workers outlived the kill (and held the lock) | unfinished generation kept "
        "| problems |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
    ])
    record("Crash safety", table)
    print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
