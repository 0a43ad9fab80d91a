"""The whoosh backend's reader: postings and positions of one generation as
numpy arrays, cached, and its stored fields (backend.IndexReader)."""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from search.analysis import phrase_words
from search.index import wordtables
from search.index.arrays import load_document_arrays
from search.index.codec import ArrayCodec, PositionArrays, read_postings, read_values
from search.index.layout import BODY_TERMS, GENERATION_FILES, TEXT_FIELDS, OutdatedIndex


def _open_index(gen_path: Path):
    try:
        return whoosh_index.open_dir(str(gen_path))
    except (ImportError, AttributeError):
        # Its schema pickles classes that this version has moved.
        raise OutdatedIndex(gen_path) from None


def _written_by_this_version(gen_path: Path, ix) -> bool:
    """Whether a generation has the files, the positions format and the
    posting blocks this version reads (`ix`: the generation's whoosh index)."""
    return (all((gen_path / name).exists() for name in GENERATION_FILES)
            and isinstance(ix.schema["body"].format, PositionArrays)
            and "title_derived" in ix.schema and "minhash" in ix.schema
            and all(isinstance(segment.codec(), ArrayCodec) for segment in ix._segments()))


def is_current_format(gen_path: Path) -> bool:
    """Whether this version can read (and so extend) a generation."""
    try:
        return _written_by_this_version(gen_path, _open_index(gen_path))
    except OutdatedIndex:
        return False


def _sorted_intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of two sorted arrays of unique values that both hold:
    a binary search of one in the other (np.intersect1d sorts both again)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a) or not len(b):
        return a[:0]
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return a[b[at] == a]


# The postings of a term no document of a field has, one for all: most
# terms looked up are translations and spellings that no document holds
# (18,000 of the 33,000 cached after 1,000 distinct queries), and arrays of
# their own cost such an entry ~1 KB more. Empty, they cannot be changed.
_NO_POSTINGS = (np.empty(0, np.int64), np.empty(0, np.float32))

# The fields whose terms keep, with their cached postings, where their
# blocks lie (to read their positions): proximity reads the body and title
# positions of most query terms, and only a lead phrase reads other
# positions, which finds its terms' blocks again. Kept for every field, title
# and lead terms held 45% of the directories after 3,000 distinct news-mix
# queries (~5 of the ~12 MB that tracemalloc finds in a worker); the cache's
# byte bound counts them. Finding the title's blocks again cost proximity
# 5-9 ms a translated news-mix query, keeping them 1-3 ms (6 Dec).
_KEPT_DIRECTORIES = frozenset({"body", "title"})

# Rough size of a document's entry in the positions cache: its dict slot,
# key and array header (each position then takes 8 bytes).
_POSITIONS_ENTRY_BYTES = 200


class WhooshReader:
    """One open generation of a whoosh index (backend.IndexReader), with
    its per-document arrays for scoring, filtering and facets."""

    # Decoded postings kept for reuse, least recently used out first; bounded
    # by bytes, since one common term of a large index is megabytes. Each
    # server worker keeps its own, and it was the most of a worker's memory:
    # 3,000 distinct news-mix queries took 36.7 s of CPU with 32 MB (24,600
    # entries, ~28 MB in tracemalloc), 43.6 s with 12 MB (7,300 entries).
    POSTINGS_CACHE_BYTES = 12 << 20
    # 16 MB held the positions of 5,000 terms after 10,000 queries; proximity
    # asks for those of the best few documents of the query's terms.
    POSITIONS_CACHE_BYTES = 4 << 20

    def __init__(self, gen_path):
        self.path = Path(gen_path)
        self._index = _open_index(gen_path)
        self._searcher = self._index.searcher()
        self._leaves = self._searcher.reader().leaf_readers()
        if not _written_by_this_version(self.path, self._index):
            self._searcher.close()
            raise OutdatedIndex(gen_path)
        arrays = load_document_arrays(self.path)
        self.live = arrays["live"]
        self.field_lengths = {f: arrays[f"length_{f}"] for f in TEXT_FIELDS}
        self.lang = arrays["lang"]
        self.days = arrays["days"]
        self.year = arrays["year"]
        self.source = arrays["source"].astype(object)
        self.title_derived = arrays["title_derived"]
        self.group = arrays["group"]
        # Live documents whose story has other live versions.
        self.shared = self.live & (np.bincount(self.group[self.live], minlength=len(self.live))[self.group] > 1)
        self.size = len(self.live)
        self.n_live = int(self.live.sum())
        self._postings: OrderedDict = OrderedDict()
        # Where each cached term's blocks lie, per segment: its positions
        # are read from there (codec.BlockDirectory).
        self._directories: dict = {}
        self._postings_bytes = 0
        self._positions: OrderedDict = OrderedDict()  # (field, term) -> ({docnum: positions}, bytes)
        self._positions_bytes = 0

    def close(self):
        self._searcher.close()

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, term frequencies) of live documents. A term of several
        words (a multi-word translation) matches as a phrase, with tf 1."""
        key = (field, term)
        hit = self._postings.get(key)
        if hit is not None:
            self._postings.move_to_end(key)
            return hit
        if " " in term:
            docs = self._phrase_docs(field, phrase_words(term))
            return self._remember(key, (docs, np.ones(len(docs), np.float32)) if len(docs) else _NO_POSTINGS)
        parts, directories = [], []
        for leaf, offset in self._leaves:
            ids, tfs, directory = read_postings(leaf, field, term)
            if len(ids):
                parts.append((ids + offset, tfs))
                directories.append((offset, leaf.doc_count_all(), directory))
        if not parts:
            return self._remember(key, _NO_POSTINGS)
        if field in _KEPT_DIRECTORIES:
            self._directories[key] = directories
        ids = np.concatenate([p[0] for p in parts])
        tfs = np.concatenate([p[1] for p in parts])
        keep = self.live[ids]
        return self._remember(key, (ids[keep], tfs[keep]))

    def _remember(self, key, result):
        self._postings[key] = result
        self._postings_bytes += self._entry_bytes(key)
        while self._postings_bytes > self.POSTINGS_CACHE_BYTES:
            dropped = next(iter(self._postings))
            self._postings_bytes -= self._entry_bytes(dropped)
            del self._postings[dropped]
            self._directories.pop(dropped, None)
        return result

    def _entry_bytes(self, key) -> int:
        """Memory of a cached postings entry: most are a few documents long,
        so the arrays' objects, the tuples, the key and the two dicts' slots
        count (~1,100 bytes), and so does each segment's block directory
        (~150). Measured: 30,000 news-mix terms held 48 MB (tracemalloc),
        as this counts; at 300 and 100 it counted 22. An entry of
        _NO_POSTINGS holds only its key (~200: 150 measured, and the term)."""
        docs, tfs = self._postings[key]
        if docs is _NO_POSTINGS[0]:
            return 200
        return 1100 + docs.nbytes + tfs.nbytes + sum(150 + d.nbytes for _, _, d in self._directories.get(key, ()))

    def positions(self, field: str, term: str, docs) -> dict[int, np.ndarray]:
        """Word positions (sorted) of a term in each of `docs` (sorted
        docnums) that has it. Kept for reuse: proximity asks for each query
        term's positions in the best few documents, and queries that share
        a word share many of those."""
        # Only the documents its (cached) postings hold: most of the best
        # documents lack most translations.
        held = self.postings(field, term)[0]
        if not len(held):
            return {}
        docs = np.asarray(docs, np.int64)
        docs = docs[held[np.minimum(np.searchsorted(held, docs), len(held) - 1)] == docs].tolist()
        key = (field, term)
        known, old_size = self._positions.pop(key, ({}, 0))
        size = old_size
        missing = [d for d in docs if d not in known]
        if missing:
            owners, sizes, words = self._encoded_positions(field, term, np.asarray(missing, np.int64))
            ends = np.cumsum(sizes).tolist()
            for d, n, end in zip(owners.tolist(), sizes.tolist(), ends):
                known[d] = words[end - n + 1:end].copy()  # after the count
                size += _POSITIONS_ENTRY_BYTES + 8 * (n - 1)
        self._positions[key] = (known, size)
        self._positions_bytes += size - old_size
        while self._positions_bytes > self.POSITIONS_CACHE_BYTES:
            _, (_, dropped) = self._positions.popitem(last=False)
            self._positions_bytes -= dropped
        return {d: known[d] for d in docs}

    def _encoded_positions(self, field: str, term: str, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The PositionArrays values of a term in `docs` (sorted docnums
        that its postings hold): (docnums, size of each value in uint32
        words, the values' words concatenated), each value a count and then
        the positions."""
        directories = self._directories.get((field, term))
        if directories is None:  # not kept for the field, or evicted
            directories = [(offset, leaf.doc_count_all(), directory) for leaf, offset in self._leaves
                           for ids, _, directory in (read_postings(leaf, field, term),) if len(ids)]
        owners, sizes, data = [], [], []
        for offset, size, directory in directories:
            local = docs[(docs >= offset) & (docs < offset + size)] - offset
            if len(local):
                found, lengths, values = read_values(directory, local)
                owners.append(found + offset)
                sizes.append(lengths // 4)
                data.append(values)
        if not owners:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
        words = np.frombuffer(b"".join(data), "<u4").astype(np.int64)
        return np.concatenate(owners), np.concatenate(sizes), words

    def _position_keys(self, field: str, term: str, docs: np.ndarray, shift: int) -> np.ndarray:
        """docnum << 32 | (position - shift) for the occurrences of the term
        in `docs`, decoded in one numpy pass; sorted and unique, since
        documents are read in docnum order and each one's positions are
        stored ascending."""
        owners, sizes, words = self._encoded_positions(field, term, docs)
        if not len(owners):
            return np.empty(0, np.int64)
        is_count = np.zeros(len(words), bool)
        is_count[np.cumsum(sizes) - sizes] = True
        starts = words[~is_count] - shift
        keys = (np.repeat(owners, sizes - 1) << 32) | starts
        return keys[starts >= 0]  # an occurrence before position `shift` starts no phrase

    def doc_frequency(self, field: str, term: str) -> int:
        return len(self.postings(field, term)[0])

    def phrase_mask(self, field: str, terms: tuple[str, ...]) -> np.ndarray:
        """Live documents where the terms stand next to each other in the field."""
        mask = np.zeros(self.size, bool)
        mask[self.postings(field, " ".join(terms))[0]] = True
        return mask

    def _phrase_docs(self, field: str, terms: tuple[str, ...]) -> np.ndarray:
        """Candidates are the documents with every term, from the cached
        postings; positions are read for those only, and compared in numpy
        (whoosh's Phrase compares them document by document in Python)."""
        if field == "lead":  # no positions: the phrase is in the body, its words in the lead
            docs = self.postings("body", " ".join(terms))[0]
            for term in terms:
                docs = _sorted_intersection(docs, self.postings("lead", term)[0])
            return docs
        candidates = None
        for term in sorted(set(terms), key=lambda t: len(self.postings(field, t)[0])):
            docs = self.postings(field, term)[0]
            candidates = docs if candidates is None else _sorted_intersection(candidates, docs)
            if not len(candidates):
                return candidates
        # A phrase occurs where term i stands at p + i for every i: keys
        # (docnum, position - i) common to all terms.
        common = None
        for i, term in enumerate(terms):
            keys = self._position_keys(field, term, candidates, i)
            common = keys if common is None else _sorted_intersection(common, keys)
        return np.unique(common >> 32)

    def mean_field_length(self, field: str) -> float:
        return float(self.field_lengths[field][self.live].mean()) if self.n_live else 0.0

    def group_df(self, terms, fields, langs=()) -> None:
        return None  # the whole index: rank/ counts the postings

    def language_figures(self, langs) -> None:
        return None  # the whole index: rank/ counts its arrays

    def body_terms(self, script: str) -> list[str]:
        """The body's terms written in `script` ("en": Latin, "ru": Cyrillic)."""
        text = (self.path / BODY_TERMS.format(script=script)).read_text(encoding="utf-8")
        return text.split("\n") if text else []

    def word_table(self, name: str):
        return wordtables.load(self.path, name)

    def stored(self, docnum: int) -> dict:
        return self._searcher.stored_fields(docnum)

    def document_number(self, doc_id: str) -> int | None:
        return self._searcher.document_number(id=doc_id)
