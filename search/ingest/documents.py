"""What ingest makes of a corpus: documents, and the files and records it
left out (Skipped) or repaired (Note), each with its reason.

Text files are in the corpus layout: an optional ` date YYYY-MM-DD ...` line,
an optional title line, the body paragraphs, perhaps a breadcrumb line above
the title and footer noise (share buttons, the outlet's name) below the body.
A file that cannot be read raises UnreadableFile with a one-line reason, and
nothing in ingest raises for one bad entry of a walk: the indexer reports
them as skipped and goes on.
"""
from __future__ import annotations

from dataclasses import dataclass


SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})

# Only the first 1,000,000 characters of a text file's or HTML page's text,
# and of each JSON record's body, are indexed: a 50 MB file is read in part
# rather than refused. The first 4 MB of a text or HTML file are read (UTF-8
# takes at most 4 bytes a character). JSON cannot be parsed in part: a .json
# file over 4 MB is refused, and so is a .jsonl line over 4 million
# characters, but not the rest of the file, which is read a line at a time.
MAX_TEXT_CHARS = 1_000_000
MAX_READ_BYTES = 4 * MAX_TEXT_CHARS
MAX_LINE_CHARS = 4 * MAX_TEXT_CHARS


@dataclass
class Document:
    # Relative POSIX path; "<path>#<n>" for a record of a .json list (n its
    # 1-based position) or of a .jsonl (n its 1-based line number).
    id: str
    title: str
    body: str
    date: str  # YYYY-MM-DD or ""
    lang: str  # "en" | "ru" | "other"
    source: str  # outlet name, or ""
    url: str = ""
    title_derived: bool = False  # the title is headlines.derive_headline's, the file gave none


@dataclass
class Skipped:
    path: str  # as listed: it may hold any name; printable() shows it
    reason: str


@dataclass
class Note:
    """Something left out of a file that was indexed, or repaired in it."""
    path: str  # the file's, or "<file>#<n>" for a record of it
    text: str


class UnreadableFile(Exception):
    """A file that gives no documents; str() is the reason."""


def replaced_note(path: str, count: int) -> list[Note]:
    return [Note(path, f"{count} undecodable byte(s) replaced")] if count else []
