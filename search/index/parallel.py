"""A full build on several cores: worker processes that each read, detect,
analyze and write a share of the files as a whoosh segment of their own
(whoosh's MpWriter with multisegment does the same, but reads every document
in the parent and pickles it across); the parent commits their segments."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import traceback
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search.index.codec import ArrayCodec
from search.index.files import LIMIT_MB, Outcome, index_file
from search.index.generations import DISK_FULL


BATCH_FILES = 32  # files per job handed to a worker of a full build


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
        outcome = Outcome()
        while (number := _take_batch(taken)) < len(batches):
            for path, stat in batches[number]:
                index_file(writer, corpus_dir, path, stat, None, outcome, None)
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


def build_in_parallel(ix, gen, corpus_dir, changed, workers, outcome, progress) -> None:
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
