"""Reading one corpus file into its documents, by its format."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from search.ingest.datelines import split_dateline
from search.ingest.decode import decode
from search.ingest.documents import (MAX_READ_BYTES, MAX_TEXT_CHARS, SUPPORTED_SUFFIXES, Document, Note,
                                     UnreadableFile, replaced_note)
from search.ingest.headlines import derive_headline
from search.ingest.html import html_document
from search.ingest.outlets import outlet_of_path
from search.ingest.records import json_documents, jsonl_documents
from search.ingest.text import text_document
from search.ingest.walk import inside, os_reason


def read_documents(root: Path, relpath: str) -> tuple[list[Document], list[Note]]:
    """The documents of one file, and notes on what was left out of it or
    repaired; raises UnreadableFile(reason)."""
    suffix = Path(relpath).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"not an article format ({suffix or 'no extension'})")
    with _open(Path(root), relpath) as f:
        try:
            if suffix == ".jsonl":
                docs, notes = jsonl_documents(relpath, f)
            else:
                docs, notes = _file_documents(relpath, suffix, f)
        except OSError as e:
            raise UnreadableFile(os_reason(e)) from None
    docs = [d for d in docs if d.body]
    if not docs:
        raise UnreadableFile("no text")
    for doc in docs:
        _complete(doc, relpath)
    return docs, notes


def _complete(doc: Document, relpath: str) -> None:
    """A headline for a document without a title; its outlet from its
    dateline, else from its path, else as its format found it: a BBC
    article in bbc/ that quotes what someone "told Reuters" is BBC's."""
    if not doc.title:
        doc.title, doc.title_derived = derive_headline(doc.body), True
    doc.source = split_dateline(doc.body.lstrip()[:_DATELINE_CHARS])[0] or outlet_of_path(relpath) or doc.source


_DATELINE_CHARS = 300  # a dateline is the start of the first line


def _open(root: Path, relpath: str):
    """relpath under root opened for reading in binary, a regular file
    whose real path lies in root's: it is checked again here, as a link may
    have been put in a listed file's place."""
    path = root / relpath
    try:
        real = os.path.realpath(path, strict=True)
        if not inside(real, os.path.realpath(root)):
            raise UnreadableFile("outside the corpus")
        # O_NOFOLLOW: the real path's last part is not followed if it has
        # become a link since. O_NONBLOCK: opening a FIFO must not hang;
        # fstat then refuses it.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as e:
        raise UnreadableFile(os_reason(e, os.path.islink(path))) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnreadableFile("is a directory" if stat.S_ISDIR(mode) else "not a regular file")
    return os.fdopen(fd, "rb")


def _file_documents(relpath: str, suffix: str, f) -> tuple[list[Document], list[Note]]:
    """The documents of a text, HTML or JSON file, read whole or, past
    MAX_READ_BYTES, in part."""
    if suffix == ".json" and os.fstat(f.fileno()).st_size > MAX_READ_BYTES:
        raise UnreadableFile(f"JSON file over {MAX_READ_BYTES // 10**6} MB: make it .jsonl, a record a line")
    data = f.read(MAX_READ_BYTES)
    text, replaced = decode(data, cut=bool(f.read(1)))
    notes = replaced_note(relpath, replaced)
    if not text.strip():
        raise UnreadableFile("empty file")
    if suffix == ".json":
        docs, record_notes = json_documents(relpath, text)
        return docs, notes + record_notes
    if suffix in (".html", ".htm"):
        return [html_document(relpath, text)], notes
    return [text_document(relpath, text[:MAX_TEXT_CHARS], suffix == ".md")], notes
