"""Hostile input at scale: a corpus of generated articles with names, links
and files meant to break the indexer, a failing worker, and a full disk,
each through `python -m search index` in a subprocess (a hang is a failure
at TIMEOUT s, not a hang) and the Flask app where serving matters.

  a. a parallel full build of --files articles plus the hostile entries:
     each is skipped or noted with its reason and its name escaped, nothing
     from outside the corpus is indexed or served, every indexed id opens;
  b. the same build under a file size limit its workers exceed: exit 1
     within WORKER_FAILURE_SECONDS, the previous index live;
  c. a full disk (a 5 MB tmpfs), for an update and for --full: exit 2 with
     one line, no unfinished generation, the live index answers as before,
     and the next run succeeds once there is room;
  d. ROUNDS of (c)'s failing update back to back: no generation piles up.

tests/test_reliability.py has short versions of each; `make stress` runs this:

    python -m benchmarks.stress_hostile [--files 2200] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from benchmarks.stress_crash import (QUERIES, _EN, _RU, answers, article, end_session, index_command, record,
                                     session_members, write_articles)

TIMEOUT = 300  # seconds: an indexer still running by then hangs
WORKER_FAILURE_SECONDS = 20  # from the start of (b)'s build to its exit 1, on a loaded 2-core machine
FILE_LIMIT = 64 * 1024  # bytes (b): more than the indexer writes itself before its workers end, less than theirs
DISK_MB = 5  # (c): holds an index of 400 generated articles twice over, not one with 500 long ones added
BASE, ADDED = 400, 500  # (c): articles indexed, then long articles added
ROUNDS = 20  # (d)
NO_SPACE = "mlsearch: no space left on device while writing the index at {}\n"
WORKER_FAILED = "mlsearch: an indexing worker failed: OSError: [Errno 27] File too large"
OUTSIDE_MARKER = "Zanzibar"  # in the files of the directory linked from outside the corpus
LATIN1 = " The café in Zürich served crème brûlée.\n"  # 5 bytes that are not UTF-8 once encoded as Latin-1
BIG_CHUNK = "pipeline " * 100_000  # 900,000 characters, written 5 times: over 4 MB, over 4 million characters

# What the summary of (a)'s build must list, names as printed (escaped), and nothing else.
SKIPPED = {
    r"bad\xff\xfe.txt": "file name is not valid UTF-8",
    r"line\nbreak.txt": "file name has a line break or backslash",
    "back\\slash.txt": "file name has a line break or backslash",
    "passwd.txt": "outside the corpus",
    "outdir": "outside the corpus",
    "big.json": "JSON file over 4 MB: make it .jsonl, a record a line",
}
NOTES = {"latin1.txt": "5 undecodable byte(s) replaced", "long.jsonl#2": "line over 4 million characters"}
HOSTILE_IDS = {"inside.txt", "latin1.txt", "records.jsonl#1", "records.jsonl#2", "records.jsonl#3",
               "long.jsonl#1", "long.jsonl#3"}  # indexed besides the generated articles
# Nothing from /etc/passwd or the linked directory may be found.
OUTSIDE_QUERIES = ("root", "passwd", '"/etc/passwd"', "nologin", OUTSIDE_MARKER)


def write_hostile(corpus: Path, outside: Path, rnd: random.Random) -> None:
    """The hostile entries beside the generated articles of `corpus`."""
    raw = os.fsencode(corpus)
    text = article(rnd, 0).encode()
    with open(raw + b"/bad\xff\xfe.txt", "wb") as f:
        f.write(text)
    for name in ("line\nbreak.txt", "back\\slash.txt"):
        (corpus / name).write_bytes(text)
    (outside / "dir").mkdir(parents=True)
    (outside / "dir/leak.txt").write_text(f"{OUTSIDE_MARKER} ledger\n\nThe {OUTSIDE_MARKER} memo.\n", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "outdir").symlink_to(outside / "dir")
    (corpus / "inside.txt").symlink_to("a0001.txt")
    (corpus / "latin1.txt").write_bytes((article(rnd, 2).rstrip("\n") + LATIN1).encode("latin-1"))
    records = [{"title": "Talks\u2028resume", "text": "Talks resumed.\u2028" + article(rnd, 4)},
               {"title": "Oil talks", "text": article(rnd, 6)}, {"text": article(rnd, 8)}]
    (corpus / "records.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                          encoding="utf-8")
    small = json.dumps({"text": article(rnd, 10)})
    with open(corpus / "big.json", "w", encoding="ascii") as big, \
            open(corpus / "long.jsonl", "w", encoding="ascii") as long:
        long.write(small + "\n")
        for f in (big, long):
            f.write('{"text": "')
            for _ in range(5):
                f.write(BIG_CHUNK)
            f.write('"}')
        long.write("\n" + small + "\n")


def write_long_articles(root: Path, numbers: range, seed: int) -> None:
    """Articles of about 3,000 words each, 21 KB: (c)'s 500 need some 6.5 MB of index."""
    rnd = random.Random(seed)
    for n in numbers:
        words = _EN if n % 2 == 0 else _RU
        extra = "\n\n".join(" ".join(rnd.choice(words) for _ in range(100)) + "." for _ in range(30))
        (root / f"a{n:04d}.txt").write_text(article(rnd, n) + "\n" + extra + "\n", encoding="utf-8")


@dataclass
class Run:
    status: int | None  # None: still running after TIMEOUT s (then killed)
    stdout: bytes
    stderr: bytes
    seconds: float
    left: int  # processes of its session still running once it ended


def run_indexer(work: Path, corpus: Path, index: Path, full: bool, preexec=None) -> Run:
    """The indexer in its own session, its output in files: a pipe would stay
    open as long as a worker lives, and reading it would hang."""
    out, err = work / "indexer.out", work / "indexer.err"
    with open(out, "wb") as o, open(err, "wb") as e:
        started = time.monotonic()
        process = subprocess.Popen(index_command(corpus, index, full, None), stdout=o, stderr=e,
                                   start_new_session=True, preexec_fn=preexec)
    try:
        try:
            status = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            status = None
        seconds = time.monotonic() - started
        deadline = time.monotonic() + 2  # the kernel ends workers right after their parent
        while session_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = len(session_members(process.pid))
    finally:
        end_session(process.pid)
        process.wait()
    return Run(status, out.read_bytes(), err.read_bytes(), seconds, left)


def report_of(output: str) -> dict[str, dict[str, str]]:
    """The lists of an `mlsearch index` summary: {"skipped": {path: reason}, "notes": {path: note}}."""
    lists: dict[str, dict[str, str]] = {"skipped": {}, "notes": {}}
    current = None
    for line in output.splitlines():
        if line.startswith("  skipped "):
            current = lists["skipped"]
        elif line.startswith("  ") and line.endswith(" on indexed files:"):
            current = lists["notes"]
        elif line.startswith("    ") and current is not None:
            path, reason = line[4:].split(": ", 1)
            current[path] = reason
    return lists


def indexed_ids(index: Path) -> set[str]:
    """The ids in the live generation, read with whoosh itself."""
    from whoosh import index as whoosh_index

    from search.index.layout import current_generation

    with whoosh_index.open_dir(str(current_generation(index))).searcher() as searcher:
        return {fields["id"] for fields in searcher.all_stored_fields()}


def generations(index: Path) -> list[str]:
    """Generation directories, an unfinished one (no manifest) marked with '*'."""
    return sorted(p.name + ("" if (p / "manifest.json").exists() else "*") for p in index.glob("gen-*"))


def served_answers(client) -> dict[str, tuple]:
    """(status, total, first 100 ids) of the fixed queries from /api/search."""
    found = {}
    for q in QUERIES:
        response = client.get("/api/search", query_string={"q": q, "limit": 100})
        body = response.get_json(silent=True) or {}
        found[q] = (response.status_code, body.get("total"), [h["id"] for h in body.get("hits", [])])
    return found


@dataclass
class Case:
    name: str
    checked: str
    figures: list[str] = field(default_factory=list)  # the outcome when nothing failed
    problems: list[str] = field(default_factory=list)
    seconds: float | None = None

    def check(self, ok: bool, problem: str) -> bool:
        if not ok:
            self.problems.append(problem)
        return ok

    def ended(self, run: Run, status: int, what: str) -> bool:
        """Whether `run` exited with `status` and left no process behind."""
        if run.status is None:
            return self.check(False, f"{what}: still running after {TIMEOUT} s (a hang)")
        self.check(run.left == 0, f"{what}: {run.left} process(es) of it still running")
        return self.check(run.status == status, f"{what}: exit {run.status}, not {status}: "
                          f"{run.stderr.decode(errors='replace').strip()[-300:]!r}")

    def row(self) -> str:
        shown = self.problems[:3] + ([f"and {len(self.problems) - 3} more"] if len(self.problems) > 3 else [])
        outcome = "; ".join(self.figures) if not self.problems else "FAILED: " + "; ".join(shown)
        seconds = "-" if self.seconds is None else f"{self.seconds:.1f}"
        return f"| {self.name} | {self.checked} | {outcome} | {seconds} |"


def fresh_answers(index: Path) -> dict[str, frozenset[str]]:
    """The fixed queries' ids from an engine opened for them, and closed: an
    engine left open would keep a removed generation's files, and their
    space, on the small disk."""
    from search.engine import Engine

    engine = Engine(index)
    try:
        return answers(index, engine)
    finally:
        engine.close()


def output_of(run: Run, case: Case) -> str:
    """The summary, which must be UTF-8 without a control character: every
    name in it escaped."""
    try:
        text = run.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        case.check(False, f"a raw byte in the summary: {e}")
        return run.stdout.decode("utf-8", errors="replace")
    raw = sorted({repr(c) for c in text if (c < " " and c != "\n") or "\x7f" <= c <= "\x9f" or c in "\u2028\u2029"})
    case.check(not raw, f"raw control characters in the summary: {', '.join(raw)}")
    return text


def differences(got: dict, expected: dict) -> str:
    return ", ".join([f"{k!r} missing" for k in expected if k not in got]
                     + [f"{k!r}: {got[k]!r}" for k in got if expected.get(k) != got[k]])


# -- a. the hostile corpus ------------------------------------------------------

def hostile_build(work: Path, corpus: Path, index: Path, files: int) -> tuple[Case, set[str]]:
    case = Case("a. parallel full build",
                f"`index --full` (worker processes) of {files:,} generated articles and the hostile entries: exit 0, "
                "the summary UTF-8 with every name escaped, exactly the 6 entries skipped and 2 noted with their reasons, "
                "the indexed ids exactly the articles, the link inside and the 5 good records")
    run = run_indexer(work, corpus, index, True)
    case.seconds = run.seconds
    if not case.ended(run, 0, "the build"):
        return case, set()
    report = report_of(output_of(run, case))
    case.check(report["skipped"] == SKIPPED, f"skipped otherwise: {differences(report['skipped'], SKIPPED)}")
    case.check(report["notes"] == NOTES, f"noted otherwise: {differences(report['notes'], NOTES)}")
    ids = indexed_ids(index)
    expected = {f"a{n:04d}.txt" for n in range(files)} | HOSTILE_IDS
    case.check(ids == expected, f"ids: missing {sorted(expected - ids)[:5]}, unexpected {sorted(ids - expected)[:5]}")
    case.figures = [f"exit 0 in {run.seconds:.1f} s", f"{len(ids):,} documents",
                    f"{len(report['skipped'])} skipped and {len(report['notes'])} noted, as expected, names escaped"]
    return case, ids


def records_kept(client) -> Case:
    case = Case("a. records and bytes", "the U+2028 record's title intact, the Latin-1 bytes replaced in the body, "
                "the records around the over-long line indexed")
    started = time.monotonic()
    record_1 = client.get("/api/doc/" + quote("records.jsonl#1")).get_json(silent=True) or {}
    case.check(record_1.get("title") == "Talks\u2028resume", f"records.jsonl#1 title {record_1.get('title')!r}")
    body = (client.get("/api/doc/latin1.txt").get_json(silent=True) or {}).get("body", "")
    case.check(body.endswith("The caf\ufffd in Z\ufffdrich served cr\ufffdme br\ufffdl\ufffde."),
               f"latin1.txt body ends {body[-60:]!r}")
    for doc_id in ("long.jsonl#1", "long.jsonl#3"):
        case.check(client.get("/api/doc/" + quote(doc_id)).status_code == 200, f"{doc_id} does not open")
    case.figures = ["as expected"]
    case.seconds = time.monotonic() - started
    return case


def nothing_from_outside(index: Path, ids: set[str], client) -> Case:
    case = Case("a. links out of the corpus",
                f"no id for passwd.txt or under outdir/; {', '.join(f'`{q}`' for q in OUTSIDE_QUERIES)} find nothing "
                "(API), `root` nothing (CLI); /api/doc/passwd.txt, /doc/passwd.txt and /api/doc/outdir/leak.txt 404")
    started = time.monotonic()
    leaked = sorted(i for i in ids if i == "passwd.txt" or i.startswith("outdir/"))
    case.check(not leaked, f"indexed from outside: {leaked}")
    for q in OUTSIDE_QUERIES:
        response = client.get("/api/search", query_string={"q": q})
        found = (response.get_json(silent=True) or {}).get("total")
        case.check(response.status_code == 200 and found == 0, f"{q!r}: {response.status_code}, {found} found")
    cli = subprocess.run([sys.executable, "-m", "search", "search", "root", "--index", str(index), "--json"],
                         capture_output=True, text=True, timeout=TIMEOUT)
    found = json.loads(cli.stdout)["total"] if cli.returncode == 0 else f"exit {cli.returncode}"
    case.check(found == 0, f"CLI search root: {found}")
    for path in ("/api/doc/passwd.txt", "/doc/passwd.txt", "/api/doc/outdir/leak.txt"):
        response = client.get(path)
        case.check(response.status_code == 404 and "root:" not in response.get_data(as_text=True),
                   f"{path}: {response.status_code}")
    case.figures = ["nothing found or served"]
    case.seconds = time.monotonic() - started
    return case


def every_id_opens(ids: set[str], client) -> Case:
    case = Case("a. every indexed id opens", f"GET /api/doc/<id> for all {len(ids):,} ids, /doc/<id> for the "
                "link inside, the Latin-1 text and the records")
    started = time.monotonic()
    statuses: dict[int, int] = {}
    for doc_id in sorted(ids):
        response = client.get("/api/doc/" + quote(doc_id))
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        ok = response.status_code == 200 and (response.get_json(silent=True) or {}).get("id") == doc_id
        case.check(ok, f"{doc_id!r}: {response.status_code}")
    for doc_id in sorted(HOSTILE_IDS & ids):
        status = client.get("/doc/" + quote(doc_id)).status_code
        case.check(status == 200, f"/doc/{doc_id}: {status}")
    case.figures = [", ".join(f"{n:,} × {status}" for status, n in sorted(statuses.items()))]
    case.seconds = time.monotonic() - started
    return case


# -- b. a failing worker ---------------------------------------------------------

def limit_file_size():
    """In the indexer, before it runs: a write past FILE_LIMIT bytes fails
    with EFBIG (SIGXFSZ ignored: it would kill the writer instead)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def worker_failure(work: Path, corpus: Path, index: Path, client, expected_ids: set[str]) -> Case:
    case = Case("b. a worker fails", f"the same `index --full` under a {FILE_LIMIT // 1024} KB file size limit "
                f"(RLIMIT_FSIZE, SIGXFSZ ignored): exit 1 within {WORKER_FAILURE_SECONDS} s with the error's line, "
                "no process left, no new generation, the same ids for the fixed queries (a fresh engine and the "
                "app's); then the next run, without the limit, exits 0 with the same ids")
    before, served_before, gens_before = fresh_answers(index), served_answers(client), generations(index)
    run = run_indexer(work, corpus, index, True, preexec=limit_file_size)
    case.seconds = run.seconds
    if case.ended(run, 1, "the build"):
        last = (run.stderr.decode(errors="replace").splitlines() or [""])[-1]
        case.check(last == WORKER_FAILED, f"last line {last!r}")
        case.check(run.seconds < WORKER_FAILURE_SECONDS, f"exit after {run.seconds:.1f} s")
    case.check(generations(index) == gens_before, f"generations {generations(index)}, not {gens_before}")
    case.check(fresh_answers(index) == before, "a fresh engine answered otherwise")
    case.check(served_answers(client) == served_before, "the app answered otherwise")
    rerun = run_indexer(work, corpus, index, True)
    if case.ended(rerun, 0, "the next run"):
        case.check(indexed_ids(index) == expected_ids, "the next run indexed other ids")
    case.figures = [f"exit 1 in {run.seconds:.1f} s", f"{gens_before[-1]} still live, same answers",
                    f"next run exit 0 in {rerun.seconds:.1f} s"]
    return case


# -- c, d. a full disk --------------------------------------------------------------

def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def remove_added(corpus: Path) -> None:
    for n in range(BASE, BASE + ADDED):
        (corpus / f"a{n:04d}.txt").unlink()


def recovers(work: Path, corpus: Path, index: Path, full: bool, before: dict, case: Case) -> str:
    """Remove the added articles and run again: exit 0, BASE documents, the same answers."""
    remove_added(corpus)
    rerun = run_indexer(work, corpus, index, full)
    if not case.ended(rerun, 0, f"the run after removing the {ADDED}"):
        return "no recovery"
    first = rerun.stdout.decode(errors="replace").splitlines()[0]
    case.check(f": {BASE} documents" in first, f"after removing the {ADDED}: {first!r}")
    case.check(fresh_answers(index) == before, f"after removing the {ADDED}: other answers")
    return f"after removing the {ADDED}: exit 0 in {rerun.seconds:.1f} s ({first.split('(')[1].split(')')[0]})"


def disk_full(work: Path, corpus: Path, index: Path, client, full: bool, seed: int) -> Case:
    command = "`index --full`" if full else "`index`"
    case = Case(f"c. full disk, {command}", f"{command} after {ADDED} long articles were added to the {BASE} indexed: "
                "exit 2 with the one line and nothing else, no unfinished generation left, the same ids for the "
                "fixed queries (a fresh engine and the app's); once they are removed, exit 0")
    before, served_before, gens_before = fresh_answers(index), served_answers(client), generations(index)
    write_long_articles(corpus, range(BASE, BASE + ADDED), seed)
    run = run_indexer(work, corpus, index, full)
    case.seconds = run.seconds
    if case.ended(run, 2, "the run on a full disk"):
        case.check(run.stdout == b"" and run.stderr.decode(errors="replace") == NO_SPACE.format(index),
                   f"output {run.stdout[-200:]!r}, {run.stderr[-300:]!r}")
    case.check(generations(index) == gens_before, f"generations {generations(index)}, not {gens_before}")
    case.check(fresh_answers(index) == before, "a fresh engine answered otherwise")
    case.check(served_answers(client) == served_before, "the app answered otherwise")
    case.figures = [f"exit 2 in {run.seconds:.1f} s with the one line", f"generations untouched ({', '.join(gens_before)})",
                    "same answers", recovers(work, corpus, index, full, before, case)]
    return case


def failing_rounds(work: Path, corpus: Path, index: Path, client, seed: int) -> Case:
    case = Case(f"d. {ROUNDS} failing updates", f"(c)'s failing `index` {ROUNDS} times back to back: each exit 2 "
                "with the one line, the generation directories as before each time, the app's answers the same "
                "each time and a fresh engine's after, the free space back; then exit 0")
    before, served_before, gens_before = fresh_answers(index), served_answers(client), generations(index)
    free_before = free_bytes(index)
    write_long_articles(corpus, range(BASE, BASE + ADDED), seed)
    started = time.monotonic()
    counts, seconds = [], []
    for r in range(1, ROUNDS + 1):
        run = run_indexer(work, corpus, index, False)
        seconds.append(run.seconds)
        if not case.ended(run, 2, f"round {r}"):
            break
        case.check(run.stderr.decode(errors="replace") == NO_SPACE.format(index), f"round {r}: {run.stderr[-300:]!r}")
        gens = generations(index)
        counts.append(len(gens))
        case.check(gens == gens_before, f"round {r}: generations {gens}")
        case.check(served_answers(client) == served_before, f"round {r}: the app answered otherwise")
    case.seconds = time.monotonic() - started
    case.check(fresh_answers(index) == before, "a fresh engine answered otherwise after the rounds")
    free_after = free_bytes(index)
    case.check(free_after >= free_before, f"free space {free_before:,} bytes before, {free_after:,} after")
    case.figures = [f"{len(counts)}/{ROUNDS} exit 2 with the one line ({min(seconds):.1f}-{max(seconds):.1f} s each)",
                    f"{'-'.join(map(str, sorted({min(counts, default=0), max(counts, default=0)})))} generation "
                    f"directories after each ({', '.join(gens_before)})",
                    f"free {free_before / 2**20:.2f} MB before, {free_after / 2**20:.2f} MB after", "same answers",
                    recovers(work, corpus, index, False, before, case)]
    return case


def on_a_small_disk(work: Path, seed: int) -> list[Case]:
    """(c) for an update and for --full, then (d), on a DISK_MB tmpfs mounted
    for them; skipped (said so in the table) where mounting is not allowed."""
    from web import create_app

    disk = work / "disk"
    disk.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(disk)],
                                 capture_output=True, text=True)
        reason = (mounted.stderr.strip() or f"mount exit {mounted.returncode}") if mounted.returncode else ""
    except OSError as e:  # no mount command
        reason = str(e)
    if reason:
        return [Case(name, "-", [f"skipped: cannot mount a {DISK_MB} MB tmpfs here ({reason})"])
                for name in ("c. full disk, `index`", "c. full disk, `index --full`", f"d. {ROUNDS} failing updates")]
    app = None
    try:
        corpus, index = work / "disk-corpus", disk / "index"
        write_articles(corpus, BASE, seed)
        first = run_indexer(work, corpus, index, False)
        if first.status != 0:
            raise RuntimeError(f"the first build of {BASE} articles failed: {first.stderr[-300:]!r}")
        app = create_app({"INDEX_DIR": str(index)})
        client = app.test_client()
        return [disk_full(work, corpus, index, client, False, seed), disk_full(work, corpus, index, client, True, seed),
                failing_rounds(work, corpus, index, client, seed)]
    finally:
        engine = app and app.extensions["mlsearch_engine"].engine
        if engine:
            engine.close()
        subprocess.run(["umount", "--lazy", str(disk)], check=True)  # lazy: a file may still be open here


# -- the long run ---------------------------------------------------------------

def stopped(name: str, e: Exception) -> Case:
    """The row of a case that raised: its message is the report."""
    return Case(name, "-", problems=[f"stopped: {type(e).__name__}: {str(e).strip()[:300]}"])


def main() -> int:
    from web import create_app

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2200, help="generated articles beside the hostile entries")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    cases: list[Case] = []

    def done(*new: Case) -> None:
        for case in new:
            cases.append(case)
            print(case.row(), flush=True)

    with tempfile.TemporaryDirectory(prefix="stress-hostile-") as work:
        work = Path(work)
        corpus, index = work / "corpus", work / "index"
        app = None
        try:
            write_articles(corpus, args.files, args.seed)
            write_hostile(corpus, work / "outside", random.Random(args.seed))
            build, ids = hostile_build(work, corpus, index, args.files)
            done(build)
            if ids:
                app = create_app({"INDEX_DIR": str(index)})  # not TESTING: a fault is a 500, not an exception
                client = app.test_client()
                done(records_kept(client), nothing_from_outside(index, ids, client), every_id_opens(ids, client))
                done(worker_failure(work, corpus, index, client, ids))
        except Exception as e:  # a fault no check got past
            done(stopped("a, b. hostile corpus", e))
        finally:
            engine = app and app.extensions["mlsearch_engine"].engine
            if engine:
                engine.close()
        try:
            done(*on_a_small_disk(work, args.seed))
        except Exception as e:
            done(stopped("c, d. full disk", e))

    failed = [c for c in cases if c.problems]
    table = "\n".join([
        f"Run with `python -m benchmarks.stress_hostile` (seed {args.seed}). Every build is `python -m search index` "
        f"in a subprocess of its own session (a run still going after {TIMEOUT} s would be a failure, not a hang), "
        "serving is checked through the Flask app. (a) A parallel full build of "
        f"{args.files:,} generated articles with a name that is not UTF-8 (`bad\\xff\\xfe.txt`), one with a newline, "
        "one with a backslash, a link to /etc/passwd, a link to a directory outside the corpus, a link inside it, a "
        "text with 5 Latin-1 bytes, a JSONL record with a raw U+2028, a 4.5 MB .json and a .jsonl with a 4.5-million-"
        f"character line between two good records. (b) The same build under a {FILE_LIMIT // 1024} KB file size limit, "
        f"which its worker processes exceed. (c) A {DISK_MB} MB tmpfs index of {BASE} articles, then {ADDED} long ones "
        f"(~3,000 words: 6.5 MB of index) added; removed again for the next run. (d) {ROUNDS} rounds of (c)'s "
        "failing update. Seconds: the build (a), the run until its exit (b, c), all the rounds (d), the checks (a's others).",
        "",
        "| case | what was checked | outcome | seconds |",
        "| --- | --- | --- | --- |",
        *(c.row() for c in cases),
    ])
    record("Hostile input", table)
    print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
