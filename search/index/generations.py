"""An index directory's generations on disk, for the writer: the lock that
lets one indexer run, numbering, atomic writes, hard-linked copies and the
removal of what is not live (layout.py says what a reader needs)."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from pathlib import Path

from search.index.layout import GENERATION_FILES, MANIFEST, VECTOR_FILES, IndexLocked, IndexUnavailable, NoIndex, current_generation


GENERATIONS_KEPT = 2  # the live one and its predecessor, for readers still on it
# A full disk or quota is the user's to fix, not a bug: one line, exit 2.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class Lock:
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


def write_atomically(path: Path, content: str | bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(content.encode("utf-8") if isinstance(content, str) else content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def next_generation(index_dir: Path) -> Path:
    numbers = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    return index_dir / f"gen-{max(numbers, default=0) + 1:06d}"


def remove_old_generations(index_dir: Path, live: Path | None) -> None:
    """Keep the live generation, if any, and the complete one before it;
    drop the rest, including unfinished ones a killed build left (no
    manifest)."""
    gens = sorted(p for p in index_dir.glob("gen-*") if p.is_dir())
    complete = [p for p in gens if live and p <= live and (p / MANIFEST).exists()]
    keep = set(complete[-GENERATIONS_KEPT:])
    for p in gens:
        if p not in keep:
            shutil.rmtree(p, ignore_errors=True)


def live_generation(index_dir: Path) -> Path | None:
    try:
        return current_generation(index_dir)
    except NoIndex:
        return None


@contextlib.contextmanager
def disk_full_reported(index_dir: Path):
    try:
        yield
    except OSError as e:
        if e.errno not in DISK_FULL:
            raise
        raise IndexUnavailable(f"{os.strerror(e.errno).lower()} while writing the index at {index_dir}") from e


@contextlib.contextmanager
def removed_unless_live(gen: Path):
    """Remove the generation being written when its build fails or is
    interrupted (unless CURRENT already names it), rather than leave it to
    fill the disk until a later build succeeds."""
    try:
        yield
    except BaseException:
        if live_generation(gen.parent) != gen:
            shutil.rmtree(gen, ignore_errors=True)
        raise


def link_copy(src: Path, dst: Path) -> None:
    """Hard links to whoosh's files of a generation, which whoosh never
    rewrites in place; the files the indexer writes itself are written
    anew in each generation, never into a link the live one shares (and a
    vector phase's keys belong to their generation's documents only)."""
    dst.mkdir()
    own = {MANIFEST, *GENERATION_FILES, *VECTOR_FILES}
    for f in src.iterdir():
        if f.is_file() and not f.name.endswith(".lock") and f.name not in own:
            os.link(f, dst / f.name)
