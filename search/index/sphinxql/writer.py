"""Indexing into a SphinxQL cluster: documents analyzed here, written to
the shard their id hashes to; incremental by each corpus file's stamp,
which the cluster stores beside the file's documents."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from search.analysis import scan
from search.index.arrays import LANG_CODES, days_of
from search.index.files import lead_of
from search.index.layout import TEXT_FIELDS, IndexUnavailable
from search.index.sphinxql.connection import Connection, connect
from search.index.sphinxql.schema import (ALTERNATIVE, DISTRIBUTED, NODES, SHARD, SLOT, STRING_ATTRS, TERMS,
                                          UINT_ATTRS, doc_key, shard_of, token)
from search.index.writer import BuildReport
from search.ingest import Document, Skipped, UnreadableFile, list_files, read_documents
from search.languages import CODES, OTHER, script_of

COLUMNS = ("id", *(f for base in TEXT_FIELDS for f in (base, base + "_alt")), *STRING_ATTRS, *UINT_ATTRS)
# A REPLACE statement is sent when its values pass this (searchd's default
# max_packet_size is 8 MB).
BATCH_BYTES = 2_000_000
PAGE = 10_000  # rows per page when listing what the cluster holds


def analyzed(text: str) -> tuple[str, str, str, int]:
    """(field text, its _alt twin, the slots attribute, index terms) of a
    field's text. A slot's first term that is no hyphenated compound is
    the field's token at that position; the others go to the twin."""
    slots: list[list[str]] = []
    count = 0
    for term, pos, _, _ in scan(text, True):
        if pos == len(slots):
            slots.append([])
        slots[pos].append(term)
        count += 1
    main, alt = [], []
    for terms in slots:
        first = next((t for t in terms if "-" not in t), terms[0])
        main.append(first)
        alt.extend(t for t in terms if t is not first)

    def tokens(terms):
        return " ".join(token(w) for t in terms for w in t.split(" "))

    return tokens(main), tokens(alt), SLOT.join(ALTERNATIVE.join(ts) for ts in slots), count


def row(doc: Document, file: str, stamp: str) -> tuple[tuple, set[str]]:
    """The row of a document, and its body's terms."""
    values = {"id": doc_key(doc.id)}
    texts = {"title": doc.title, "lead": lead_of(doc.body), "body": doc.body}
    for f, text in texts.items():
        values[f], values[f + "_alt"], values[f"terms_{f}"], values[f"len_{f}"] = analyzed(text)
    days = days_of_date(doc.date)
    values.update(doc_id=doc.id, title_text=doc.title, body_text=doc.body, lang_name=doc.lang or OTHER,
                  date=doc.date, source_name=doc.source, source_key=doc.source.lower(), url=doc.url,
                  file=file, stamp=stamp, lang=LANG_CODES.get(doc.lang or OTHER, LANG_CODES[OTHER]),
                  day=days + 1 if days >= 0 else 0, year=int(doc.date[:4]) if days >= 0 else 0,
                  title_derived=int(doc.title_derived))
    body_terms = {t for slot in values["terms_body"].split(SLOT) for t in slot.split(ALTERNATIVE) if t}
    return tuple(values[c] for c in COLUMNS), body_terms


def days_of_date(date: str) -> int:
    """Days since 1970 of a YYYY-MM-DD date; -1 for none."""
    try:
        return days_of(dt.date.fromisoformat(date))
    except (TypeError, ValueError):
        return -1


class ClusterWriter:
    """Writes rows to the shard nodes the head lists (mlsearch_nodes)."""

    def __init__(self, url: str):
        self.head = connect(url)
        nodes = sorted(self.head.execute(f"SELECT shard, address FROM {NODES} LIMIT 1000"))
        if not nodes:
            raise IndexUnavailable(f"{url} lists no shard nodes in {NODES}")
        self.shards: list[Connection] = [connect(address) for _, address in nodes]
        self._pending: list[list] = [[] for _ in self.shards]
        self._pending_bytes = [0] * len(self.shards)
        self.terms: set[str] = set()

    def stamps(self) -> dict[str, tuple[str, list[str]]]:
        """{file: (stamp, [doc ids])} of what the cluster holds."""
        found: dict[str, tuple[str, list[str]]] = {}
        last = 0
        while True:
            rows = self.head.execute(f"SELECT id, file, stamp, doc_id FROM {DISTRIBUTED} WHERE id > %s "
                                     f"ORDER BY id ASC LIMIT {PAGE} OPTION max_matches={PAGE}", (last,))
            for _, file, stamp, doc_id in rows:
                found.setdefault(file, (stamp, []))[1].append(doc_id)
            if len(rows) < PAGE:
                return found
            last = rows[-1][0]

    def truncate(self) -> None:
        """Empty the tables: DELETE, which both Sphinx 2.2 and Manticore take
        (TRUNCATE is RTINDEX in one and TABLE in the other)."""
        for n, shard in enumerate(self.shards):
            shard.execute(f"DELETE FROM {SHARD.format(n=n)} WHERE id > 0")
        self.head.execute(f"DELETE FROM {TERMS} WHERE id > 0")

    def add(self, doc: Document, file: str, stamp: str) -> None:
        values, body_terms = row(doc, file, stamp)
        self.terms |= body_terms
        n = shard_of(values[0], len(self.shards))
        self._pending[n].append(values)
        self._pending_bytes[n] += sum(len(v) for v in values if isinstance(v, str))
        if self._pending_bytes[n] > BATCH_BYTES:
            self._flush(n)

    def delete(self, doc_ids) -> None:
        by_shard: dict[int, list[int]] = {}
        for doc_id in doc_ids:
            key = doc_key(doc_id)
            by_shard.setdefault(shard_of(key, len(self.shards)), []).append(key)
        for n, keys in by_shard.items():
            for i in range(0, len(keys), 1000):
                self.shards[n].execute(f"DELETE FROM {SHARD.format(n=n)} WHERE id IN "
                                       f"({', '.join(map(str, keys[i:i + 1000]))})")

    def _flush(self, n: int) -> None:
        rows = self._pending[n]
        if rows:
            placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
            self.shards[n].execute(f"REPLACE INTO {SHARD.format(n=n)} ({', '.join(COLUMNS)}) VALUES "
                                   + ", ".join([placeholders] * len(rows)), [v for r in rows for v in r])
        self._pending[n], self._pending_bytes[n] = [], 0

    def finish(self) -> None:
        """Write what is pending, and the new body terms to the vocabulary."""
        for n in range(len(self.shards)):
            self._flush(n)
        terms = sorted(t for t in self.terms if script_of(t) in CODES)
        for i in range(0, len(terms), 2000):
            chunk = terms[i:i + 2000]
            self.head.execute(f"REPLACE INTO {TERMS} (id, term, text, script) VALUES "
                              + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)),
                              [v for t in chunk for v in (doc_key(t), token(t.split(" ")[0]), t,
                                                          CODES.index(script_of(t)))])
        self.terms = set()

    def documents(self) -> dict[str, int]:
        names = {code: name for name, code in LANG_CODES.items()}
        return {names[code]: n for code, n in self.head.execute(
            f"SELECT lang, COUNT(*) FROM {DISTRIBUTED} GROUP BY lang ORDER BY lang ASC")}

    def close(self) -> None:
        for c in (self.head, *self.shards):
            c.close()


def build(corpus_dir: Path, url: str, *, full: bool = False, progress=None) -> BuildReport:
    """Bring the cluster at `url` up to date with corpus_dir (new, changed
    and deleted files only, unless `full`)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise IndexUnavailable(f"corpus directory not found: {corpus_dir}")
    started = time.perf_counter()
    report = BuildReport(generation=url)
    files, report.skipped = list_files(corpus_dir)
    writer = ClusterWriter(url)
    try:
        if full:
            writer.truncate()
        held = {} if full else writer.stamps()
        stamp_of = {p: f"{size}:{mtime}" for p, (size, mtime) in files.items()}
        changed = [p for p in files if held.get(p, ("",))[0] != stamp_of[p]]
        gone = [p for p in held if p not in files]
        report.unchanged_files = len(files) - len(changed)
        for p in gone:
            writer.delete(held[p][1])
            report.deleted += len(held[p][1])
        for p in (progress(changed, len(changed)) if progress else changed):
            old_ids = held.get(p, ("", []))[1]
            try:
                docs, notes = read_documents(corpus_dir, p)
            except UnreadableFile as e:
                report.skipped.append(Skipped(p, str(e)))
                docs, notes = [], []
            report.notes += notes
            new_ids = {d.id for d in docs}
            stale = [i for i in old_ids if i not in new_ids]
            writer.delete(stale)
            report.deleted += len(stale)
            for doc in docs:
                writer.add(doc, p, stamp_of[p])
            report.updated += len(new_ids & set(old_ids))
            report.added += len(new_ids - set(old_ids))
        writer.finish()
        report.documents = writer.documents()
    finally:
        writer.close()
    report.seconds = time.perf_counter() - started
    return report
