"""The layout of an index directory, for its readers and its writer:
numbered generations and a CURRENT file naming the live one (indexing.py
writes them). Kept apart so that a query does not import the indexer."""
from __future__ import annotations

import json
from pathlib import Path

MANIFEST = "manifest.json"


class IndexError_(Exception):
    """A problem with an index directory that its user can fix (none yet,
    locked, no space left); str() is one clear line."""


class NoIndex(IndexError_):
    pass


class IndexLocked(IndexError_):
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
