"""Index: documents -> a whoosh index that is switched to only when complete.

A build writes a new generation (layout.py), full or as hard links of the
current one plus an incremental update (whoosh never rewrites a file in
place, so the links are safe), then replaces CURRENT atomically. A crash at
any point leaves CURRENT naming a complete generation; a build that fails or
is interrupted removes the one it was writing, and a build first removes
what a killed one left."""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.query import Term

from search.analysis import surface_words
from search.index.arrays import save_document_arrays
from search.index.codec import ArrayCodec
from search.index.files import LIMIT_MB, Outcome, index_file
from search.index.generations import (Lock, disk_full_reported, link_copy, live_generation, next_generation,
                                      remove_old_generations, removed_unless_live, write_atomically)
from search.index import wordtables
from search.index.layout import BODY_TERMS, MANIFEST, IndexUnavailable, current_generation, read_manifest, read_word_df
from search.index.parallel import build_in_parallel
from search.index.reader import is_current_format
from search.index.schema import schema
from search.ingest import Note, Skipped, list_files, printable
from search.languages import CODES, script_of


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
    with disk_full_reported(index_dir), Lock(index_dir) as lock:
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
        gen = next_generation(index_dir)  # before the clean-up: a number is never used twice
        # What failed or killed builds left would take space this one needs.
        remove_old_generations(index_dir, live_generation(index_dir))
        with removed_unless_live(gen):
            if previous is None:
                old_files, old_word_df = {}, Counter()
                gen.mkdir()
                ix = whoosh_index.create_in(str(gen), schema())
            else:
                link_copy(previous, gen)
                ix = whoosh_index.open_dir(str(gen))

            changed = [p for p, stat in files.items() if old_files.get(p, {}).get("stat") != list(stat)]
            gone = [p for p in old_files if p not in files]
            report.unchanged_files = len(files) - len(changed)
            unchanged = set(files) - set(changed)  # a set: membership in the list was quadratic
            outcome = Outcome(manifest={p: old_files[p] for p in files if p in unchanged})

            workers = procs or min(os.cpu_count() or 1, 4)
            if previous is None and len(changed) > 200 and workers > 1:
                build_in_parallel(ix, gen, corpus_dir, [(p, files[p]) for p in changed], workers, outcome, progress)
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
                    write_atomically(gen / BODY_TERMS.format(script=script), "\n".join(terms))
            live_words = {w: n for w, n in word_df.items() if n > 0}
            for name in wordtables.FILES:
                write_atomically(gen / name, wordtables.build(name, live_words, by_script.__getitem__).image)
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
            write_atomically(gen / MANIFEST, json.dumps(manifest, ensure_ascii=False))
            write_atomically(index_dir / "CURRENT", gen.name)
        remove_old_generations(index_dir, gen)
    return report


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
            index_file(writer, corpus_dir, path, stat, old_files.get(path), outcome, forget)
    writer.commit()
