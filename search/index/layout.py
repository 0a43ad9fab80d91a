"""The layout of an index directory, for its readers and its writer.

    indexes/corpus/
        CURRENT          "gen-000007": the live generation
        gen-000007/      whoosh files, then the files below, manifest.json last
        .lock            locked (POSIX lock) by the one running indexer

Kept apart from the writer, so that a query does not import it, and free
of whoosh, so that the query side can name fields and files cheaply.
"""
from __future__ import annotations

import json
from pathlib import Path

from search.index import wordtables
from search.languages import CODES

MANIFEST = "manifest.json"
# Files the indexer writes beside whoosh's in each generation.
DOC_ARRAYS = "documents.npz"  # per-document arrays (index/arrays.py)
# The body's terms in each script (languages.script_of), one a line: the
# candidates of fuzzy name matching in translation.
BODY_TERMS = "terms-body-{script}.txt"
# The searchable text fields, in the order their scores are summed (an
# order change moves scores in the last float32 bit).
TEXT_FIELDS = ("title", "lead", "body")


GENERATION_FILES = (DOC_ARRAYS, *(BODY_TERMS.format(script=code) for code in CODES), *wordtables.FILES)
# Written by the vector phase (index/vectors.py), when it runs: per docnum,
# the hash of its embedded text; the embedder's spec.
VECTOR_KEYS = "vector-keys.npy"
VECTORS_META = "vectors.json"
VECTOR_FILES = (VECTOR_KEYS, VECTORS_META)


class IndexUnavailable(Exception):
    """A problem with an index directory that its user can fix (none yet,
    locked, no space left); str() is one clear line."""


class OutdatedIndex(Exception):
    """A generation written by an earlier version of the indexer."""


class NoIndex(IndexUnavailable):
    pass


class IndexLocked(IndexUnavailable):
    pass


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


def read_word_df(gen_path: Path) -> dict[str, int]:
    """Surface words of a generation's corpus and their document frequencies."""
    return dict(wordtables.load(gen_path, wordtables.SURFACE).items())
