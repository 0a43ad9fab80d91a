"""Index: documents -> a whoosh index that is switched to only when complete.

An index directory holds numbered generations and a CURRENT file naming
the live one:

    indexes/corpus/
        CURRENT          "gen-000007"
        gen-000007/      whoosh files + manifest.json
        .lock            locked (POSIX lock) by the one running indexer

A build writes a new generation, full or as hard links of the current one
plus an incremental update (whoosh never rewrites a file in place, so the
links are safe), then replaces CURRENT atomically. A crash at any point
leaves CURRENT naming a complete generation; a build that fails or is
interrupted removes the one it was writing, and a build first removes
what a killed one left.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import multiprocessing
import os
import pickle
import queue
import shutil
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.query import Term
from whoosh.writing import SegmentWriter

from search.analysis import surface_words
from search.ingest import Document, Note, Skipped, UnreadableFile, list_files, printable, read_documents
from search.index.arrays import save_document_arrays
from search.index.codec import ArrayCodec
from search.index.layout import (BODY_TERMS, GENERATION_FILES, MANIFEST, WORD_DF, IndexLocked, IndexUnavailable, NoIndex,
                                 current_generation, read_manifest, read_word_df)
from search.index.reader import is_current_format
from search.index.schema import schema
from search.languages import CODES, script_of

# Each writer's posting pool in memory before it spills sorted runs to disk
# (pickled, read back and merged: a third of the writers' time at 256).
LIMIT_MB = 512
BATCH_FILES = 32  # files per job handed to a worker of a full build
GENERATIONS_KEPT = 2  # the live one and its predecessor, for readers still on it
# A full disk or quota is the user's to fix, not a bug: one line, exit 2.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


@dataclass
class BuildReport:
    documents: dict[str, int] = field(default_factory=dict)  # per language, in the new index
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged_files: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # on files indexed
    seconds: float = 0.0
    generation: str = ""
    recovered_lock: str = ""


class _Lock:
    """An exclusive POSIX lock on DIR/.lock. The kernel drops it when its
    holder dies, so a lock file left by a killed indexer never blocks the
    next one; unlike flock, forked worker processes do not inherit it.

    The file holds the holder's pid, blanked rather than truncated on
    release: the file keeps its block, so that taking the lock needs no
    free space, and a build can clean up a disk filled by a killed one."""

    PID_BYTES = 32  # more digits than any pid has

    def __init__(self, index_dir: Path):
        self.path = index_dir / ".lock"
        self.fd = None
        self.recovered = ""

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(self.fd, self.PID_BYTES, 0).decode(errors="replace").strip() or "unknown"
            os.close(self.fd)
            raise IndexLocked(f"another indexer (pid {holder}) is updating {self.path.parent}; try again when it finishes")
        stale = os.pread(self.fd, self.PID_BYTES, 0).decode(errors="replace").strip()
        if stale:
            self.recovered = f"recovered a stale lock left by indexer pid {stale}, which is no longer running"
        os.pwrite(self.fd, str(os.getpid()).ljust(self.PID_BYTES).encode(), 0)
        os.fsync(self.fd)
        return self

    def __exit__(self, *exc):
        os.pwrite(self.fd, b" " * self.PID_BYTES, 0)
        fcntl.lockf(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


LEAD_CHARS = 300


def lead_of(body: str) -> str:
    """The opening of an article, where news states its story: the first
    paragraph, cut at a word boundary after LEAD_CHARS. A text of one
    paragraph (an abstract, a passage) has no lead."""
    first, _, rest = body.strip().partition("\n")
    if not rest.strip():
        return ""
    if len(first) <= LEAD_CHARS:
        return first
    cut = first.rfind(" ", 0, LEAD_CHARS)
    return first[:cut if cut > 0 else LEAD_CHARS]


def _fields(doc: Document) -> dict:
    return dict(id=doc.id, title=doc.title, body=doc.body, lead=lead_of(doc.body),
                lang=doc.lang, date=doc.date, source=doc.source, url=doc.url)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _next_generation(index_dir: Path) -> Path:
    numbers = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    return index_dir / f"gen-{max(numbers, default=0) + 1:06d}"


def _remove_old_generations(index_dir: Path, live: Path | None) -> None:
    """Keep the live generation, if any, and the complete one before it;
    drop the rest, including unfinished ones a killed build left (no
    manifest)."""
    gens = sorted(p for p in index_dir.glob("gen-*") if p.is_dir())
    complete = [p for p in gens if live and p <= live and (p / MANIFEST).exists()]
    keep = set(complete[-GENERATIONS_KEPT:])
    for p in gens:
        if p not in keep:
            shutil.rmtree(p, ignore_errors=True)


def _live_generation(index_dir: Path) -> Path | None:
    try:
        return current_generation(index_dir)
    except NoIndex:
        return None


@contextlib.contextmanager
def _disk_full_reported(index_dir: Path):
    try:
        yield
    except OSError as e:
        if e.errno not in DISK_FULL:
            raise
        raise IndexUnavailable(f"{os.strerror(e.errno).lower()} while writing the index at {index_dir}") from e


@contextlib.contextmanager
def _removed_unless_live(gen: Path):
    """Remove the generation being written when its build fails or is
    interrupted (unless CURRENT already names it), rather than leave it to
    fill the disk until a later build succeeds."""
    try:
        yield
    except BaseException:
        if _live_generation(gen.parent) != gen:
            shutil.rmtree(gen, ignore_errors=True)
        raise


_workers_die_with_parent = False
_forking_pid = 0  # set just before each fork, read in the child


def _make_workers_die_with_parent() -> None:
    """Worker processes wait on their job queue forever once the indexer is
    killed; have the kernel kill them with it (Linux prctl
    PR_SET_PDEATHSIG), set in each child forked from here on. A parent
    killed between the fork and the prctl call is caught by its pid."""
    global _workers_die_with_parent
    if _workers_die_with_parent or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)

    def before():
        global _forking_pid
        _forking_pid = os.getpid()

    def in_child():
        libc.prctl(1, signal.SIGKILL)
        if os.getppid() != _forking_pid:  # already orphaned: the signal will never come
            os._exit(1)

    os.register_at_fork(before=before, after_in_child=in_child)
    _workers_die_with_parent = True


def _link_copy(src: Path, dst: Path) -> None:
    """Hard links to whoosh's files of a generation, which whoosh never
    rewrites in place; the files the indexer writes itself are written
    anew in each generation, never into a link the live one shares."""
    dst.mkdir()
    own = {MANIFEST, *GENERATION_FILES}
    for f in src.iterdir():
        if f.is_file() and not f.name.endswith(".lock") and f.name not in own:
            os.link(f, dst / f.name)


def build(corpus_dir: Path, index_dir: Path, *, full: bool = False, procs: int | None = None,
          progress: Callable[[Iterable, int], Iterable] | None = None) -> BuildReport:
    """Bring the index at index_dir up to date with corpus_dir.

    Incremental unless `full` or there is no usable index yet: only new,
    changed and deleted files are touched. `progress` wraps an iterable that
    yields once per file indexed (e.g. a tqdm bar).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise IndexUnavailable(f"corpus directory not found: {corpus_dir}")
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = BuildReport()
    with _disk_full_reported(index_dir), _Lock(index_dir) as lock:
        report.recovered_lock = lock.recovered
        files, report.skipped = list_files(corpus_dir)
        previous = None
        if not full:
            try:
                previous = current_generation(index_dir)
                old_files = read_manifest(previous)["files"]
                if is_current_format(previous):
                    old_word_df = Counter(read_word_df(previous))
                else:
                    previous = None  # written by an older version: rebuild
            except (IndexUnavailable, OSError, ValueError, KeyError):
                previous = None  # none or damaged: rebuild
        gen = _next_generation(index_dir)  # before the clean-up: a number is never used twice
        # What failed or killed builds left would take space this one needs.
        _remove_old_generations(index_dir, _live_generation(index_dir))
        with _removed_unless_live(gen):
            if previous is None:
                old_files, old_word_df = {}, Counter()
                gen.mkdir()
                ix = whoosh_index.create_in(str(gen), schema())
            else:
                _link_copy(previous, gen)
                ix = whoosh_index.open_dir(str(gen))

            changed = [p for p, stat in files.items() if old_files.get(p, {}).get("stat") != list(stat)]
            gone = [p for p in old_files if p not in files]
            report.unchanged_files = len(files) - len(changed)
            unchanged = set(files) - set(changed)  # a set: membership in the list was quadratic
            outcome = _Outcome(manifest={p: old_files[p] for p in files if p in unchanged})

            workers = procs or min(os.cpu_count() or 1, 4)
            if previous is None and len(changed) > 200 and workers > 1:
                _build_in_parallel(ix, gen, corpus_dir, [(p, files[p]) for p in changed], workers, outcome, progress)
            else:
                _update(ix, corpus_dir, [(p, files[p]) for p in changed], gone, old_files, outcome, progress)

            report.added, report.updated, report.deleted = outcome.added, outcome.updated, outcome.deleted
            report.skipped += outcome.skipped
            report.notes = outcome.notes
            word_df = old_word_df
            word_df.update(outcome.word_df)
            with ix.searcher() as s:
                counts: dict[str, int] = {}
                for lang in s.lexicon("lang"):
                    lang = lang.decode()
                    # Live documents only: doc_frequency counts deleted ones too.
                    live = sum(1 for _ in s.docs_for_query(Term("lang", lang)))
                    if live:
                        counts[lang] = live
                save_document_arrays(gen, s.reader())
                by_script: dict[str, list[str]] = {code: [] for code in CODES}
                for term in s.reader().lexicon("body"):
                    term = term.decode("utf-8")
                    if (script := script_of(term)) in by_script:
                        by_script[script].append(term)
                for script, terms in by_script.items():
                    _write_atomically(gen / BODY_TERMS.format(script=script), "\n".join(terms))
            _write_atomically(gen / WORD_DF, "".join(f"{w}\t{n}\n" for w, n in sorted(word_df.items()) if n > 0))
            report.documents = counts
            report.seconds = time.perf_counter() - started
            report.generation = gen.name
            manifest = {  # names as printable text: one that is not UTF-8 cannot be written as such
                "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "corpus": printable(str(corpus_dir.resolve())),
                "documents": counts,
                "skipped": [[printable(s.path), printable(s.reason)] for s in report.skipped],
                "files": outcome.manifest,
            }
            _write_atomically(gen / MANIFEST, json.dumps(manifest, ensure_ascii=False))
            _write_atomically(index_dir / "CURRENT", gen.name)
        _remove_old_generations(index_dir, gen)
    return report


@dataclass
class _Outcome:
    """What indexing some files did; the workers' outcomes are merged."""
    manifest: dict = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    deleted: int = 0
    word_df: Counter = field(default_factory=Counter)  # change in documents per surface word

    def merge(self, other: "_Outcome") -> None:
        self.manifest.update(other.manifest)
        self.skipped += other.skipped
        self.notes += other.notes
        self.added += other.added
        self.updated += other.updated
        self.deleted += other.deleted
        self.word_df.update(other.word_df)


def _index_file(writer, corpus_dir: Path, path: str, stat, old_entry: dict | None,
                outcome: _Outcome, forget: Callable[[str], None]) -> None:
    """Add, update and delete the documents of one corpus file."""
    try:
        docs, notes = read_documents(corpus_dir, path)
    except UnreadableFile as e:
        outcome.skipped.append(Skipped(path, str(e)))
        if old_entry:  # keep what was indexed; retried next run
            outcome.manifest[path] = old_entry
        return
    outcome.notes += notes
    old_ids = set(old_entry["ids"]) if old_entry else set()
    for doc in docs:
        if doc.id in old_ids:
            forget(doc.id)
            writer.update_document(**_fields(doc))
            outcome.updated += 1
        else:
            writer.add_document(**_fields(doc))
            outcome.added += 1
        outcome.word_df.update(surface_words(doc.title + "\n" + doc.body))
    for doc_id in old_ids - {d.id for d in docs}:
        forget(doc_id)
        writer.delete_by_term("id", doc_id)
        outcome.deleted += 1
    if docs:
        outcome.manifest[path] = {"stat": list(stat), "ids": [d.id for d in docs]}


def _update(ix, corpus_dir, changed, gone, old_files, outcome, progress) -> None:
    """Index the changed files in this process, one segment, deleting
    replaced documents; small updates and single-core builds."""
    # Not cancelled when this fails: build() removes the whole generation,
    # and whoosh's cancel() writes the segment out first (failing again on a
    # full disk, over the first error).
    writer = ix.writer(limitmb=LIMIT_MB, compound=False, codec=ArrayCodec())
    with ix.searcher() as before:
        def forget(doc_id):
            old = before.document(id=doc_id)
            if old:
                outcome.word_df.subtract(surface_words(old.get("title", "") + "\n" + old.get("body", "")))

        for path in gone:
            for doc_id in old_files[path]["ids"]:
                forget(doc_id)
                writer.delete_by_term("id", doc_id)
                outcome.deleted += 1
        for path, stat in (progress(changed, len(changed)) if progress else changed):
            _index_file(writer, corpus_dir, path, stat, old_files.get(path), outcome, forget)
    writer.commit()


class WorkerFailed(Exception):
    """A worker process of a full build raised or was killed: an internal
    failure, not a usage error. str() is one line; `details` is the worker's
    traceback, when it had one."""

    def __init__(self, reason: str, details: str = ""):
        super().__init__(f"an indexing worker failed: {reason}")
        self.details = details


def _take_batch(taken) -> int:
    """The number of the next batch no worker has taken yet."""
    with taken.get_lock():
        taken.value += 1
        return taken.value - 1


def _parallel_worker(gen: Path, corpus_dir: Path, batches: list, taken, events) -> None:
    """One worker of a full build: takes batches of files until none is left,
    reads, detects, analyzes and writes them as a segment of its own, and
    leaves the segment and what it did in a file for the parent."""
    try:
        writer = SegmentWriter(whoosh_index.open_dir(str(gen)), _lk=False, limitmb=LIMIT_MB, compound=False,
                               codec=ArrayCodec())
        outcome = _Outcome()
        while (number := _take_batch(taken)) < len(batches):
            for path, stat in batches[number]:
                _index_file(writer, corpus_dir, path, stat, None, outcome, None)
            events.put(("files", len(batches[number])))
        if outcome.added:
            segment = writer._finalize_segment()
        else:
            # Not cancel(): it empties the temporary folder all the writers share.
            writer._close_segment()
            segment = None
        # A file, not a message: a worker killed halfway through a message
        # longer than the pipe takes at once would leave the parent reading.
        result = gen / f"worker-{os.getpid()}.pickle"
        result.write_bytes(pickle.dumps((segment, outcome)))
        events.put(("done", result))
    except BaseException as e:
        # Nothing to clean up: the parent removes the whole generation.
        events.put(("error", e.errno if isinstance(e, OSError) else None, traceback.format_exc()))


def _ending(exitcode: int) -> str:
    """How a worker process ended, from its exit code (a signal's negated)."""
    if exitcode > 0:
        return f"exited with status {exitcode}"
    try:
        return f"killed by {signal.Signals(-exitcode).name}"
    except ValueError:  # a real-time signal has no name
        return f"killed by signal {-exitcode}"


def _build_in_parallel(ix, gen, corpus_dir, changed, workers, outcome, progress) -> None:
    """A full build on several cores: the files go in batches to worker
    processes that each write a segment (whoosh's MpWriter with
    multisegment does the same, but reads every document in the parent
    and pickles it across); the parent commits their segments together.
    A worker that fails or dies ends the build at once."""
    _make_workers_die_with_parent()
    context = multiprocessing.get_context("fork")
    batches = [changed[i:i + BATCH_FILES] for i in range(0, len(changed), BATCH_FILES)]
    # The workers, forked, have the batches and take them by number from a
    # shared count. (A queue of them kept the parent from exiting once the
    # workers stopped reading it: its feeder thread, blocked on the full
    # pipe, is joined at exit.)
    taken = context.Value("q", 0)
    events = context.Queue()
    processes = [context.Process(target=_parallel_worker, args=(gen, corpus_dir, batches, taken, events),
                                 daemon=True) for _ in range(workers)]
    segments = []

    def files_done():
        finished = 0
        while finished < workers:
            ended = [p.exitcode for p in processes if p.exitcode is not None]
            if killed := [code for code in ended if code]:  # it will send nothing more
                raise WorkerFailed(_ending(killed[0]))
            try:
                event = events.get(timeout=1)
            except queue.Empty:
                # All that an exited worker sent was in the pipe before it
                # exited, and the pipe has been read empty since.
                if len(ended) > finished:
                    raise WorkerFailed("it exited without reporting")
                continue
            if event[0] == "files":
                yield from range(event[1])
            elif event[0] == "done":
                segment, other = pickle.loads(event[1].read_bytes())
                event[1].unlink()
                if segment is not None:
                    segments.append(segment)
                outcome.merge(other)
                finished += 1
            else:
                _, error_number, details = event
                if error_number in DISK_FULL:
                    raise OSError(error_number, os.strerror(error_number))
                raise WorkerFailed(details.rstrip().rsplit("\n", 1)[-1], details)

    try:
        # Ctrl-C is for the parent, which stops the workers. SIGINT is blocked
        # while it forks them, where Python drops a KeyboardInterrupt (in an
        # at-fork hook, or in a child not yet running), and stays blocked in
        # the workers, which inherit the mask.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for p in processes:
                p.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # raises a Ctrl-C that came meanwhile
        for _ in (progress(files_done(), len(changed)) if progress else files_done()):
            pass
    except BaseException:
        for p in processes:
            if p.pid:  # started
                p.kill()
        raise
    finally:
        for p in processes:
            if p.pid:
                p.join()
    # Made only now, so that a failure before it leaves no writer of the
    # parent's to clean up; it adds nothing itself.
    writer = SegmentWriter(ix, limitmb=1)
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()
