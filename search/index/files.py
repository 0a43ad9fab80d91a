"""Indexing one corpus file: its documents added, updated or deleted by a
whoosh writer, and the outcome (Outcome) that builds and their workers add up."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from search.analysis import surface_words
from search.index.duplicates import signature
from search.ingest import Document, Note, Skipped, UnreadableFile, read_documents


# Each writer's posting pool in memory before it spills sorted runs to disk
# (pickled, read back and merged: a third of the writers' time at 256).
LIMIT_MB = 512


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


def signed_text(doc: Document) -> str:
    """What a near-duplicate signature is taken of: the title with the body,
    as Reuters' dividend and earnings notices share their bodies word for
    word (Qtly div 40 cts vs 40 cts prior ...) and differ in their headlines."""
    return f"{doc.title}\n{doc.body}"


def document_fields(doc: Document) -> dict:
    return dict(id=doc.id, title=doc.title, body=doc.body, lead=lead_of(doc.body),
                lang=doc.lang, date=doc.date, source=doc.source, url=doc.url,
                title_derived="1" if doc.title_derived else "", minhash=signature(signed_text(doc)))


@dataclass
class Outcome:
    """What indexing some files did; the workers' outcomes are merged."""
    manifest: dict = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    deleted: int = 0
    word_df: Counter = field(default_factory=Counter)  # change in documents per surface word

    def merge(self, other: "Outcome") -> None:
        self.manifest.update(other.manifest)
        self.skipped += other.skipped
        self.notes += other.notes
        self.added += other.added
        self.updated += other.updated
        self.deleted += other.deleted
        self.word_df.update(other.word_df)


def index_file(writer, corpus_dir: Path, path: str, stat, old_entry: dict | None,
                outcome: Outcome, forget: Callable[[str], None]) -> None:
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
            writer.update_document(**document_fields(doc))
            outcome.updated += 1
        else:
            writer.add_document(**document_fields(doc))
            outcome.added += 1
        outcome.word_df.update(surface_words(doc.title + "\n" + doc.body))
    for doc_id in old_ids - {d.id for d in docs}:
        forget(doc_id)
        writer.delete_by_term("id", doc_id)
        outcome.deleted += 1
    if docs:
        outcome.manifest[path] = {"stat": list(stat), "ids": [d.id for d in docs]}
