"""Ranking: BM25F over whoosh postings, computed with numpy.

whoosh stores and finds the postings; the scoring is done here, on dense
per-document arrays, because a translated query has 25-50 terms and
whoosh's matcher tree is slow at that size. It also gives structured
("Pirkola") groups for free: all translations of one source word are
scored as one term, their frequencies summed and their document frequency
taken over the union, so a word with twelve translations does not outweigh
a word with one.

A query reaches this module as a tree of the nodes below (built by the
engine from the parsed query and its translation); `evaluate` turns it into
a score and a match mask over all documents.
"""
from __future__ import annotations

import datetime as dt
import math
import struct
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.formats import Positions
from whoosh.system import pack_uint

from search.postings import ArrayCodec, read_postings, read_values
from search.query import And, Must, Not, Or, Seq

K1 = 1.2
FIELD_WEIGHT = {"title": 2.0, "lead": 1.0, "body": 1.0}
FIELD_B = {"title": 0.5, "lead": 0.5, "body": 0.75}
TEXT_FIELDS = tuple(FIELD_WEIGHT)
# Proximity: the best PROXIMITY_DEPTH documents gain PROXIMITY_WEIGHT x
# sum over word pairs of min(idf) / distance, for the nearest occurrences
# (+0.004 nDCG@10 on xquad-ru and ria-title; see README, Evaluation).
PROXIMITY_WEIGHT = 0.5
PROXIMITY_DEPTH = 20
# Files the indexer writes beside each whoosh generation.
DOC_ARRAYS = "documents.npz"
# The body's terms in each script (script_of), one a line: the candidates
# of fuzzy name matching in translation.
BODY_TERMS = "terms-body-{script}.txt"
WORD_DF = "words.tsv"  # surface word, tab, document frequency: spelling
GENERATION_FILES = (DOC_ARRAYS, WORD_DF, BODY_TERMS.format(script="en"), BODY_TERMS.format(script="ru"))
LANG_CODES = {"en": 0, "ru": 1, "other": 2}
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class TermGroup:
    """One query word: its index terms, scored as a single term."""
    terms: tuple[str, ...]
    fields: tuple[str, ...] = TEXT_FIELDS
    weights: tuple[float, ...] | None = None  # per term; None: all 1


@dataclass(frozen=True)
class PhraseGroup:
    """Words that must stand next to each other (by index position)."""
    terms: tuple[str, ...]
    fields: tuple[str, ...] = TEXT_FIELDS


class OutdatedIndex(Exception):
    """A generation written by an earlier version of the indexer."""


def written_by_this_version(gen_path: Path, ix) -> bool:
    """Whether a generation has the files, the positions format and the
    posting blocks this version reads (`ix`: the generation's whoosh index)."""
    return (all((gen_path / name).exists() for name in GENERATION_FILES)
            and isinstance(ix.schema["body"].format, PositionArrays)
            and all(isinstance(segment.codec(), ArrayCodec) for segment in ix._segments()))


def read_word_df(gen_path: Path) -> dict[str, int]:
    """Surface words of a generation's corpus and their document frequencies."""
    with open(gen_path / WORD_DF, encoding="utf-8") as f:
        return {word: int(n) for word, _, n in (line.rstrip("\n").partition("\t") for line in f)}


class PositionArrays(Positions):
    """whoosh's Positions format, with a posting's positions stored as
    little-endian uint32s after the count instead of a pickled list: they
    decode with numpy, many documents at once, which phrase matching over
    tens of thousands of candidates needs (and encode without pickle)."""

    def encode(self, poslist):
        return pack_uint(len(poslist)) + struct.pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring):
        return list(struct.unpack_from(f"<{(len(valuestring) - 4) // 4}I", valuestring, 4))


def _sorted_intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of two sorted arrays of unique values that both hold:
    a binary search of one in the other (np.intersect1d sorts both again)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a) or not len(b):
        return a[:0]
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return a[b[at] == a]


# Rough size of a document's entry in the positions cache: its dict slot,
# key and array header (each position then takes 8 bytes).
_POSITIONS_ENTRY_BYTES = 200


class IndexView:
    """One open generation of the index, with per-document arrays for
    scoring, filtering and facets."""

    # Decoded postings kept for reuse, least recently used out first; bounded
    # by bytes, since one common term of a large index is megabytes.
    POSTINGS_CACHE_BYTES = 64 << 20
    POSITIONS_CACHE_BYTES = 16 << 20

    def __init__(self, gen_path):
        self.path = Path(gen_path)
        self.index = whoosh_index.open_dir(str(gen_path))
        self.searcher = self.index.searcher()
        self.leaves = self.searcher.reader().leaf_readers()
        if not written_by_this_version(self.path, self.index):
            self.searcher.close()
            raise OutdatedIndex(gen_path)
        with np.load(self.path / DOC_ARRAYS) as arrays:
            self.live = arrays["live"]
            lengths = {f: arrays[f"length_{f}"] for f in FIELD_WEIGHT}
            self.lang = arrays["lang"]
            self.days = arrays["days"]
            self.year = arrays["year"]
            self.source = arrays["source"].astype(object)
        self.size = len(self.live)
        self.n_live = int(self.live.sum())
        self._inv_norm = {}
        for f, length in lengths.items():
            avg = float(length[self.live].mean()) if self.n_live else 0.0
            b = FIELD_B[f]
            norm = (1 - b) + b * length / avg if avg > 0 else np.ones(self.size, np.float32)
            self._inv_norm[f] = (FIELD_WEIGHT[f] / norm).astype(np.float32)
        self._postings: OrderedDict = OrderedDict()
        # Where each cached term's blocks lie, per segment: its positions
        # are read from there (postings.BlockDirectory).
        self._directories: dict = {}
        self._postings_bytes = 0
        self._positions: OrderedDict = OrderedDict()  # (field, term) -> ({docnum: positions}, bytes)
        self._positions_bytes = 0

    def close(self):
        self.searcher.close()

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, term frequencies) of live documents. A term of several
        words (a multi-word translation) matches as a phrase, with tf 1."""
        key = (field, term)
        hit = self._postings.get(key)
        if hit is not None:
            self._postings.move_to_end(key)
            return hit
        if " " in term:
            docs = self._phrase_docs(field, tuple(term.split()))
            return self._remember(key, (docs, np.ones(len(docs), np.float32)))
        parts, directories = [], []
        for leaf, offset in self.leaves:
            ids, tfs, directory = read_postings(leaf, field, term)
            if len(ids):
                parts.append((ids + offset, tfs))
                directories.append((offset, leaf.doc_count_all(), directory))
        self._directories[key] = directories
        if parts:
            ids = np.concatenate([p[0] for p in parts])
            tfs = np.concatenate([p[1] for p in parts])
            keep = self.live[ids]
            result = (ids[keep], tfs[keep])
        else:
            result = (np.empty(0, np.int64), np.empty(0, np.float32))
        return self._remember(key, result)

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
        so the arrays' headers, the tuple and the key count (~300 bytes), and
        so does each segment's block directory (~100)."""
        docs, tfs = self._postings[key]
        return 300 + docs.nbytes + tfs.nbytes + sum(100 + d.nbytes for _, _, d in self._directories.get(key, ()))

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
        if (field, term) not in self._directories:
            self.postings(field, term)
        owners, sizes, data = [], [], []
        for offset, size, directory in self._directories[(field, term)]:
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

    def body_terms(self, script: str) -> list[str]:
        """The body's terms written in `script` ("en": Latin, "ru": Cyrillic)."""
        text = (self.path / BODY_TERMS.format(script=script)).read_text(encoding="utf-8")
        return text.split("\n") if text else []

    def word_df(self) -> dict[str, int]:
        return read_word_df(self.path)

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)


def save_document_arrays(gen_path: Path, reader) -> None:
    """Write the per-document arrays an IndexView scores and filters with:
    read here once per generation (a Python loop over every document and
    field), they load in milliseconds for each query process."""
    size = reader.doc_count_all()
    leaves = reader.leaf_readers()
    live = np.ones(size, bool)
    lengths = {f: np.zeros(size, np.float32) for f in FIELD_WEIGHT}
    columns = {"lang": [], "date": [], "source": []}
    for leaf, offset in leaves:
        for d in leaf.deleted_docs_set if leaf.has_deletions() else ():
            live[offset + d] = False
        for f, length in lengths.items():
            for d in range(leaf.doc_count_all()):
                length[offset + d] = leaf.doc_field_length(d, f, 0)
        for name, values in columns.items():
            values.extend(leaf.column_reader(name))
    days = np.array([_days(v) for v in columns["date"]], np.int32)
    np.savez(gen_path / DOC_ARRAYS, live=live, **{f"length_{f}": length for f, length in lengths.items()},
             lang=np.array([LANG_CODES.get(v or "other", 2) for v in columns["lang"]], np.int8),
             days=days,
             year=np.array([int(v[:4]) if n >= 0 else 0 for v, n in zip(columns["date"], days)], np.int16),
             source=np.array([(v or "").lower() for v in columns["source"]], str))


def _days(date: str) -> int:
    try:
        return (dt.date.fromisoformat(date) - EPOCH).days
    except (TypeError, ValueError):
        return -1


def days_of(date: dt.date) -> int:
    return (date - EPOCH).days


def group_score(view: IndexView, terms, fields, weights=None) -> tuple[np.ndarray, np.ndarray]:
    """BM25F of a structured group: (scores, match mask) over all documents."""
    pseudo = np.zeros(view.size, np.float32)
    hit = np.zeros(view.size, bool)
    for f in fields:
        inv_norm = view._inv_norm[f]
        for i, term in enumerate(terms):
            docs, tfs = view.postings(f, term)
            if len(docs):
                pseudo[docs] += (weights[i] if weights else 1.0) * tfs * inv_norm[docs]
                hit[docs] = True
    matched = np.flatnonzero(hit)
    if not len(matched):
        return pseudo, hit
    # Saturate only the matched documents: most groups match few of them.
    tf = pseudo[matched]
    scores = np.zeros(view.size, np.float32)
    scores[matched] = _idf(view, len(matched)) * tf * (K1 + 1) / (K1 + tf)
    return scores, hit


def evaluate(view: IndexView, node) -> tuple[np.ndarray, np.ndarray]:
    """(scores, match mask) of a query tree over all documents."""
    if isinstance(node, TermGroup):
        return group_score(view, node.terms, node.fields, node.weights)
    if isinstance(node, PhraseGroup):
        if len(node.terms) == 1:
            return group_score(view, node.terms, node.fields)
        mask = np.zeros(view.size, bool)
        for f in node.fields:
            mask |= view.phrase_mask(f, node.terms)
        scores = np.zeros(view.size, np.float32)
        for term in node.terms:
            scores += group_score(view, (term,), node.fields)[0]
        return np.where(mask, scores, 0.0).astype(np.float32), mask
    if isinstance(node, (Must, Not)):
        return evaluate(view, node.item)
    if isinstance(node, And):
        scores = np.zeros(view.size, np.float32)
        mask = view.live.copy()
        for item in node.items:
            if isinstance(item, Not):
                mask &= ~evaluate(view, item.item)[1]
                continue
            s, m = evaluate(view, item)
            scores += s
            mask &= m
        return np.where(mask, scores, 0.0).astype(np.float32), mask
    if isinstance(node, Or):
        scores = np.zeros(view.size, np.float32)
        mask = np.zeros(view.size, bool)
        for item in node.items:
            s, m = evaluate(view, item)
            scores += s
            mask |= m
        return scores, mask
    if isinstance(node, Seq):
        return _seq(view, node)
    raise TypeError(f"not a query node: {node!r}")


def groups_of(node) -> list[tuple[str, ...]]:
    """The scored word groups of a tree (not those under NOT), in order."""
    if isinstance(node, TermGroup):
        return [node.terms]
    if isinstance(node, PhraseGroup):
        return [(t,) for t in node.terms]
    if isinstance(node, Not):
        return []
    if isinstance(node, Must):
        return groups_of(node.item)
    return [g for item in node.items for g in groups_of(item)]


def union_df(view: IndexView, terms, within: np.ndarray | None = None) -> int:
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


def group_idf(view: IndexView, terms) -> float:
    """idf of a group over the union of its terms' documents; 0 if none."""
    df = union_df(view, [t for t in terms if " " not in t])
    return _idf(view, df) if df else 0.0


def _idf(view: IndexView, df: int) -> float:
    return math.log(1.0 + (view.n_live - df + 0.5) / (df + 0.5))


def coverage(view: IndexView, node, docnum: int) -> float:
    """The share of the query's word groups that a document contains."""
    groups = list(dict.fromkeys(groups_of(node)))
    if not groups:
        return 0.0
    present = 0
    for terms in groups:
        for f in ("title", "body"):
            for t in terms:
                docs = view.postings(f, t)[0]
                i = np.searchsorted(docs, docnum)
                if i < len(docs) and docs[i] == docnum:
                    break
            else:
                continue
            present += 1
            break
    return present / len(groups)


def proximity(view: IndexView, groups: list[tuple[str, ...]], docs: np.ndarray) -> np.ndarray:
    """Sum over pairs of groups of min(idf) / distance of their nearest
    occurrences in the body, for each of `docs`."""
    bonus = np.zeros(len(docs), np.float32)
    groups = list(dict.fromkeys(g for g in groups if g))
    if len(groups) < 2 or not len(docs):
        return bonus
    order = sorted(int(d) for d in docs)
    found, idf = [], []
    for terms in groups:
        where: dict[int, list[np.ndarray]] = {}
        for term in terms:
            if " " in term:
                continue
            for d, ps in view.positions("body", term, order).items():
                where.setdefault(d, []).append(ps)
        found.append({d: (ps[0] if len(ps) == 1 else np.sort(np.concatenate(ps))).tolist()
                      for d, ps in where.items()})
        idf.append(group_idf(view, terms))
    for i, d in enumerate(int(x) for x in docs):
        present = [(idf[g], found[g][d]) for g in range(len(groups)) if d in found[g]]
        for a in range(len(present)):
            for b in range(a + 1, len(present)):
                distance = _nearest(present[a][1], present[b][1])
                if distance:
                    # A float64 term rounded into the float32 sum each time, as
                    # numpy's distance gave: equal documents stay exactly tied.
                    bonus[i] += np.float64(min(present[a][0], present[b][0]) / distance)
    return bonus


def _nearest(a: list[int], b: list[int]) -> int:
    """The least distance between a position in `a` and one in `b` (both
    sorted), in one merge: a few numbers each, where numpy's calls cost
    more than the work."""
    i = j = 0
    best = abs(a[0] - b[0])
    while i < len(a) and j < len(b):
        gap = a[i] - b[j]
        if gap < 0:
            best = min(best, -gap)
            i += 1
        else:
            best = min(best, gap)
            j += 1
    return best


def _seq(view: IndexView, node: Seq) -> tuple[np.ndarray, np.ndarray]:
    scores = np.zeros(view.size, np.float32)
    optional = [x for x in node.items if not isinstance(x, (Must, Not))]
    any_optional = np.zeros(view.size, bool)
    for item in optional:
        s, m = evaluate(view, item)
        scores += s
        any_optional |= m
    mask = any_optional if optional else view.live.copy()
    for item in node.items:
        if isinstance(item, Must):
            s, m = evaluate(view, item.item)
            scores += s
            mask &= m
        elif isinstance(item, Not):
            mask &= ~evaluate(view, item.item)[1]
    return np.where(mask, scores, 0.0).astype(np.float32), mask


def top(scores: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """Docnums of the k best-scoring candidates, best first (ties by docnum)."""
    docs = np.flatnonzero(candidates)
    if len(docs) > k:
        kth = np.partition(scores[docs], len(docs) - k)[len(docs) - k]
        docs = docs[scores[docs] >= kth]  # ties at the cut stay, sorted by docnum below
    order = np.lexsort((docs, -scores[docs]))
    return docs[order][:k]
