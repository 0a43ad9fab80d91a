"""The index backend's interface: what translation, ranking and the engine
may ask of one open generation of an index.

Nothing above search/index/ imports whoosh or reaches into a reader's
parts: a second backend (a vector store beside the index, a distributed
engine) implements this and is opened by `open_generation`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from search.index.reader import WhooshReader
from search.wordgroups import SortedWords, WordGroups


class IndexReader(Protocol):
    path: Path  # the generation's directory
    size: int  # documents, deleted ones included: the length of every array below
    n_live: int
    # Per document, by docnum: not deleted; language code (index.arrays.LANG_CODES);
    # days since 1970 (-1: undated); year (0: undated); outlet, lower-cased;
    # whether the title was derived (ingest/headlines.py); the group of its
    # near-duplicate versions, numbered by the first's docnum (index/duplicates.py);
    # live and with other live versions.
    live: np.ndarray
    lang: np.ndarray
    days: np.ndarray
    year: np.ndarray
    source: np.ndarray
    title_derived: np.ndarray
    group: np.ndarray
    shared: np.ndarray
    field_lengths: dict[str, np.ndarray]  # terms per document, per text field

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, term frequencies) of live documents, docnums ascending.
        A term of several words matches as a phrase, with tf 1."""

    def positions(self, field: str, term: str, docs) -> dict[int, np.ndarray]:
        """Word positions (ascending) of a term in each of `docs` (ascending
        docnums) that has it."""

    def doc_frequency(self, field: str, term: str) -> int: ...

    def phrase_mask(self, field: str, terms: tuple[str, ...]) -> np.ndarray:
        """Live documents where the terms stand next to each other in the field."""

    def mean_field_length(self, field: str) -> float:
        """Terms per live document in the field (the whole index's)."""

    def group_df(self, terms, fields, langs=()) -> int | None:
        """Documents of the whole index (of the language codes `langs`, all
        if empty) with any of the terms in any of the fields, when this view
        holds only part of it (the cluster's candidates); None when the
        view's own postings count them."""

    def language_figures(self, langs) -> tuple[int, dict[str, float]] | None:
        """(live documents, mean terms per text field) of the whole index's
        documents of the language codes `langs`, when this view holds only
        part of it; None when the view's own arrays count them."""

    def body_terms(self, script: str) -> list[str]:
        """The body's index terms written in a language's script (its code)."""

    def word_table(self, name: str) -> SortedWords | WordGroups:
        """One of the generation's word tables (index/wordtables.py)."""

    def stored(self, docnum: int) -> dict:
        """A document's stored fields: id, title, body, lang, date, source, url, title_derived."""

    def document_number(self, doc_id: str) -> int | None: ...

    def close(self) -> None: ...


def open_generation(gen_path: Path) -> IndexReader:
    """A reader of one generation; OutdatedIndex when this version cannot read it."""
    return WhooshReader(gen_path)


def union_df(view: IndexReader, terms, within: np.ndarray | None = None) -> int:
    """Documents with any of the terms in title or body (and in the mask
    `within`): a mask, not np.unique over the concatenated postings, which
    sorts hundreds of thousands of docnums on a large index."""
    hit = np.zeros(view.size, bool)
    for f in ("title", "body"):
        for t in terms:
            hit[view.postings(f, t)[0]] = True
    if within is not None:
        hit &= within
    return int(np.count_nonzero(hit))
