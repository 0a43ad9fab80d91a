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
leaves CURRENT naming a complete generation.
"""
from __future__ import annotations

import ctypes
import fcntl
import json
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import Term

from search.analysis import MultilingualAnalyzer, SurfaceAnalyzer
from search.documents import Document, Skipped, UnreadableFile, list_files, read_documents

MANIFEST = "manifest.json"
# Term lists written beside each generation: spelling suggestions and fuzzy
# name matching read them in milliseconds, where whoosh takes seconds.
VOCABULARY_FIELDS = ("words", "body")
GENERATIONS_KEPT = 2  # the live one and its predecessor, for readers still on it


class IndexError_(Exception):
    """A usage problem with an index directory; str() is one clear line."""


class NoIndex(IndexError_):
    pass


class IndexLocked(IndexError_):
    pass


def schema() -> Schema:
    text = MultilingualAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, stored=True),
        body=TEXT(analyzer=text, stored=True),
        lead=TEXT(analyzer=text),
        words=TEXT(analyzer=SurfaceAnalyzer(), phrase=False),
        lang=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        url=STORED(),
    )


def current_generation(index_dir: Path) -> Path:
    """The live generation's directory; NoIndex when there is none."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NoIndex(f"no index at {index_dir}: run 'mlsearch index CORPUS_DIR --index {index_dir}' first")
    gen = index_dir / name
    if not gen.is_dir():
        raise NoIndex(f"index at {index_dir} is damaged: {name} is missing; rebuild it with 'mlsearch index'")
    return gen


def read_manifest(gen: Path) -> dict:
    return json.loads((gen / MANIFEST).read_text(encoding="utf-8"))


@dataclass
class BuildReport:
    documents: dict[str, int] = field(default_factory=dict)  # per language, in the new index
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged_files: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    generation: str = ""
    recovered_lock: str = ""


class _Lock:
    """An exclusive POSIX lock on DIR/.lock. The kernel drops it when its
    holder dies, so a lock file left by a killed indexer never blocks the
    next one; unlike flock, whoosh's forked workers do not inherit it."""

    def __init__(self, index_dir: Path):
        self.path = index_dir / ".lock"
        self.fd = None
        self.recovered = ""

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(self.fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(self.fd)
            raise IndexLocked(f"another indexer (pid {holder}) is updating {self.path.parent}; try again when it finishes")
        stale = os.pread(self.fd, 32, 0).decode(errors="replace").strip()
        if stale:
            self.recovered = f"recovered a stale lock left by indexer pid {stale}, which is no longer running"
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)
        os.fsync(self.fd)
        return self

    def __exit__(self, *exc):
        os.ftruncate(self.fd, 0)
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
                words=doc.title + "\n" + doc.body,
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


def _remove_old_generations(index_dir: Path, live: Path) -> None:
    """Keep the live generation and the complete one before it; drop the
    rest, including unfinished ones a killed build left (no manifest)."""
    gens = sorted(p for p in index_dir.glob("gen-*") if p.is_dir())
    complete = [p for p in gens if p <= live and (p / MANIFEST).exists()]
    keep = set(complete[-GENERATIONS_KEPT:])
    for p in gens:
        if p not in keep:
            shutil.rmtree(p, ignore_errors=True)


_workers_die_with_parent = False


def _make_workers_die_with_parent() -> None:
    """whoosh's worker processes wait on their job queue forever once the
    indexer is killed; have the kernel kill them with it (Linux prctl
    PR_SET_PDEATHSIG), set in each child forked from here on."""
    global _workers_die_with_parent
    if _workers_die_with_parent or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    os.register_at_fork(after_in_child=lambda: libc.prctl(1, signal.SIGKILL))
    _workers_die_with_parent = True


def _link_copy(src: Path, dst: Path) -> None:
    dst.mkdir()
    for f in src.iterdir():
        if f.is_file() and not f.name.endswith(".lock") and f.name != MANIFEST:
            os.link(f, dst / f.name)


def build(corpus_dir: Path, index_dir: Path, *, full: bool = False, procs: int | None = None,
          progress: Callable[[Iterable, int], Iterable] | None = None) -> BuildReport:
    """Bring the index at index_dir up to date with corpus_dir.

    Incremental unless `full` or there is no usable index yet: only new,
    changed and deleted files are touched. `progress` wraps the iterable of
    files being read (e.g. a tqdm bar).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise IndexError_(f"corpus directory not found: {corpus_dir}")
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = BuildReport()
    with _Lock(index_dir) as lock:
        report.recovered_lock = lock.recovered
        files, report.skipped = list_files(corpus_dir)
        previous = None
        if not full:
            try:
                previous = current_generation(index_dir)
                old_files = read_manifest(previous)["files"]
            except (IndexError_, OSError, ValueError, KeyError):
                previous = None
        gen = _next_generation(index_dir)
        if previous is None:
            old_files = {}
            gen.mkdir()
            ix = whoosh_index.create_in(str(gen), schema())
        else:
            _link_copy(previous, gen)
            ix = whoosh_index.open_dir(str(gen))

        changed = [p for p, stat in files.items() if old_files.get(p, {}).get("stat") != list(stat)]
        gone = [p for p in old_files if p not in files]
        report.unchanged_files = len(files) - len(changed)
        unchanged = set(files) - set(changed)  # a set: membership in the list was quadratic
        new_manifest = {p: old_files[p] for p in files if p in unchanged}

        bulk = previous is None and len(changed) > 200
        workers = procs or min(os.cpu_count() or 1, 4)
        if bulk and workers > 1:
            _make_workers_die_with_parent()
            writer = ix.writer(procs=workers, multisegment=True, limitmb=256)
        else:
            writer = ix.writer(limitmb=256)
        try:
            for path in gone:
                for doc_id in old_files[path]["ids"]:
                    writer.delete_by_term("id", doc_id)
                    report.deleted += 1
            for path in (progress(changed, len(changed)) if progress else changed):
                try:
                    docs = read_documents(corpus_dir, path)
                except UnreadableFile as e:
                    report.skipped.append(Skipped(path, str(e)))
                    if path in old_files:  # keep what was indexed; retried next run
                        new_manifest[path] = old_files[path]
                    continue
                old_ids = set(old_files.get(path, {}).get("ids", ()))
                for doc in docs:
                    if doc.id in old_ids:
                        writer.update_document(**_fields(doc))
                        report.updated += 1
                    else:
                        writer.add_document(**_fields(doc))
                        report.added += 1
                for doc_id in old_ids - {d.id for d in docs}:
                    writer.delete_by_term("id", doc_id)
                    report.deleted += 1
                if docs:
                    new_manifest[path] = {"stat": list(files[path]), "ids": [d.id for d in docs]}
            writer.commit()
        except BaseException:
            writer.cancel()
            raise

        with ix.searcher() as s:
            counts: dict[str, int] = {}
            for lang in s.lexicon("lang"):
                lang = lang.decode()
                # Live documents only: doc_frequency counts deleted ones too.
                live = sum(1 for _ in s.docs_for_query(Term("lang", lang)))
                if live:
                    counts[lang] = live
            for f in VOCABULARY_FIELDS:
                _write_atomically(gen / f"terms-{f}.txt",
                                  "\n".join(t.decode("utf-8") for t in s.reader().lexicon(f)))
        report.documents = counts
        report.seconds = time.perf_counter() - started
        report.generation = gen.name
        manifest = {
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "corpus": str(corpus_dir.resolve()),
            "documents": counts,
            "skipped": [[s.path, s.reason] for s in report.skipped],
            "files": new_manifest,
        }
        _write_atomically(gen / MANIFEST, json.dumps(manifest, ensure_ascii=False))
        _write_atomically(index_dir / "CURRENT", gen.name)
        _remove_old_generations(index_dir, gen)
    return report
