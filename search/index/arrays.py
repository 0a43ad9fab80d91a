"""The per-document arrays of a generation (DOC_ARRAYS): liveness, field
lengths, language, date, outlet, whether the title was derived and the group of
near-duplicate versions (duplicates.py), of every document, by docnum.

Read from whoosh once per generation by the indexer (a Python loop over
every document and field), they load in milliseconds in each query process.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from search.index.duplicates import SIGNATURE, groups
from search.index.layout import DOC_ARRAYS, TEXT_FIELDS
from search.languages import CODES, OTHER

# A document's language as a small integer: the registry's order, then OTHER.
LANG_CODES = {**{code: i for i, code in enumerate(CODES)}, OTHER: len(CODES)}
EPOCH = dt.date(1970, 1, 1)


def save_document_arrays(gen_path: Path, reader) -> None:
    """Write the arrays of the generation that `reader` (whoosh's) reads."""
    size = reader.doc_count_all()
    leaves = reader.leaf_readers()
    live = np.ones(size, bool)
    lengths = {f: np.zeros(size, np.float32) for f in TEXT_FIELDS}
    columns = {"lang": [], "date": [], "source": [], "title_derived": [], "minhash": []}
    for leaf, offset in leaves:
        for d in leaf.deleted_docs_set if leaf.has_deletions() else ():
            live[offset + d] = False
        for f, length in lengths.items():
            for d in range(leaf.doc_count_all()):
                # whoosh returns None, not the default, for a field of no terms
                # (length byte 0): stored as NaN, it made the field's mean NaN
                # and turned off its length normalization (1,451 of news-mix's leads).
                length[offset + d] = leaf.doc_field_length(d, f, 0) or 0
        for name, values in columns.items():
            values.extend(leaf.column_reader(name))
    days = np.array([_days(v) for v in columns["date"]], np.int32)
    signatures = np.frombuffer(b"".join(columns["minhash"]), np.uint32).reshape(size, SIGNATURE)
    np.savez(gen_path / DOC_ARRAYS, live=live, **{f"length_{f}": length for f, length in lengths.items()},
             lang=np.array([LANG_CODES.get(v or OTHER, LANG_CODES[OTHER]) for v in columns["lang"]], np.int8),
             days=days,
             year=np.array([int(v[:4]) if n >= 0 else 0 for v, n in zip(columns["date"], days)], np.int16),
             source=np.array([(v or "").lower() for v in columns["source"]], str),
             title_derived=np.array([bool(v) for v in columns["title_derived"]], bool),
             group=groups(signatures, live, days))


def load_document_arrays(gen_path: Path) -> dict[str, np.ndarray]:
    with np.load(gen_path / DOC_ARRAYS) as arrays:
        return {name: arrays[name] for name in arrays.files}


def _days(date: str) -> int:
    try:
        return (dt.date.fromisoformat(date) - EPOCH).days
    except (TypeError, ValueError):
        return -1


def days_of(date: dt.date) -> int:
    return (date - EPOCH).days
