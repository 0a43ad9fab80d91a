"""The index format: whoosh's W3 codec with posting blocks that numpy reads directly.

whoosh writes each block of up to 128 postings as one zlib-compressed
pickle of (docnum deltas, weights, values): reading a term's docnums
unpickles every docnum, weight and position list as Python objects, even
though scoring needs no positions. On the 10x corpus a phrase of two common
words spent most of its 500 ms there. Here a block is

    info    struct: postings, last docnum, max weight, min and max length
    ids     docnum deltas (uint32), then the weights (float32) unless all
            are 1
    values  the values' byte lengths (uint32), then the values

each of ids and values zlib-compressed when longer than 64 bytes. The
docnums and weights decode with numpy, and values are decompressed only
for the blocks where a caller wants them. Everything else (term index,
stored fields, columns, segments) is W3's. The matcher still answers
whoosh's own per-posting interface, for whoosh's merges and queries.

Positions are stored by PositionArrays: a posting's value is its count of
positions (whoosh's varint) and then the positions as little-endian uint32s.
"""
from __future__ import annotations

import struct
import zlib
from array import array
from dataclasses import dataclass
from operator import sub

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

MAGIC = b"MLb1"
# Block info: byte length of what follows the info (negative on a term's
# last block), postings, last docnum, max weight, min and max length (as
# whoosh's length bytes), flags (below), byte length of the ids part.
_INFO = struct.Struct("<iIIfBBBI")
WEIGHTS, IDS_COMPRESSED, VALUES_COMPRESSED = 1, 2, 4  # flags
COMPRESS_ABOVE = 64  # bytes; zlib saves nothing on less


class PositionArrays(Positions):
    """whoosh's Positions format, with a posting's positions stored as
    little-endian uint32s after the count instead of a pickled list: they
    decode with numpy, many documents at once, which phrase matching over
    tens of thousands of candidates needs (and encode without pickle)."""

    def encode(self, poslist):
        return pack_uint(len(poslist)) + struct.pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring):
        return list(struct.unpack_from(f"<{(len(valuestring) - 4) // 4}I", valuestring, 4))


class ArrayCodec(W3Codec):
    """W3Codec whose posting blocks hold raw arrays (module docstring)."""

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors, which no field of ours keeps
            raise NotImplementedError("ArrayCodec writes no term vectors")
        return ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=self._compression,
                                   inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        # W3 inlines a term's postings only below inlinelimit (1): never.
        offset, length = terminfo.extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it a 1-tuple (whoosh bug)
            length = length[0]
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class ArrayPostingsWriter(W3PostingsWriter):
    # Most terms have a block of one or two postings: written with the
    # array module, since numpy's per-call cost made indexing 35% slower.
    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(MAGIC)
        self._terminfo.add_block(self)
        ids, weights = self._ids, self._weights
        flags = 0
        deltas = array("I", ids[:1])
        deltas.extend(map(sub, ids[1:], ids[:-1]))
        ids_part = deltas.tobytes()
        if weights.count(1.0) != len(weights):
            flags |= WEIGHTS
            ids_part += weights.tobytes()
        if len(ids_part) > COMPRESS_ABOVE:
            flags |= IDS_COMPRESSED
            ids_part = zlib.compress(ids_part, self._compression)
        values_part = emptybytes
        if self._format.fixed_value_size() != 0:
            values_part = array("I", map(len, self._values)).tobytes() + emptybytes.join(self._values)
            if len(values_part) > COMPRESS_ABOVE:
                flags |= VALUES_COMPRESSED
                values_part = zlib.compress(values_part, self._compression)
        size = _INFO.size - 4 + len(ids_part) + len(values_part)
        self._postfile.write(_INFO.pack(-size if last else size, len(ids), ids[-1], self._maxweight,
                                        length_to_byte(self._minlength), length_to_byte(self._maxlength),
                                        flags, len(ids_part)))
        self._postfile.write(ids_part)
        self._postfile.write(values_part)
        self._blockcount += 1
        self._new_block()


class ArrayLeafMatcher(W3LeafMatcher):
    """Reads ArrayCodec blocks through whoosh's per-posting interface (its
    queries and merges); read_postings and read_values below skip it."""

    def _read_header(self):
        self._postfile.seek(self._startoffset)
        if self._postfile.read(4) != MAGIC:
            raise ValueError(f"not an ArrayCodec posting list at {self._startoffset}")
        self._baseoffset = self._startoffset + 4

    def _goto(self, position):
        self._ids = self._weights = self._values = self._block = None
        self._i = 0
        size, self._blocklength, self._maxid, self._maxweight, minlength, maxlength, _, _ = \
            _INFO.unpack(self._postfile.get(position, _INFO.size))
        self._lastblock = size < 0
        self._blockoffset = position
        self._nextoffset = position + 4 + abs(size)
        self._minlength = byte_to_length(minlength)
        self._maxlength = byte_to_length(maxlength)

    def _block_bytes(self) -> bytes:
        if self._block is None:
            self._block = self._postfile.get(self._blockoffset, self._nextoffset - self._blockoffset)
        return self._block

    def _read_ids(self):
        ids, weights = _ids_parts(self._block_bytes(), [0], [0])
        self._ids = tuple(ids.tolist())
        self._weights = tuple(weights.tolist())

    _read_weights = _read_ids

    def _read_values(self):
        lengths, data = _values_part(self._block_bytes(), 0)
        ends = np.cumsum(lengths).tolist()
        self._values = tuple(data[end - n:end] for n, end in zip(lengths.tolist(), ends))


@dataclass(frozen=True)
class BlockDirectory:
    """Where each block of a term's posting list lies in a segment's
    postings file, kept by the reader so that reading the term's values
    again needs no term lookup and reads only the blocks it wants."""
    postfile: object  # whoosh StructFile
    start: int  # of the posting list in the file
    offsets: np.ndarray  # of each block's info, from `start`
    ends: np.ndarray  # of each block, from `start`
    last_ids: np.ndarray  # each block's last docnum

    @property
    def nbytes(self) -> int:
        return self.offsets.nbytes + self.ends.nbytes + self.last_ids.nbytes


def _blocks(data: bytes) -> tuple[list[int], list[int]]:
    """Offsets of each block's info and its last docnum: a loop over the
    headers only, before any block is decoded."""
    offsets, last_ids = [], []
    pos = len(MAGIC)
    while True:
        size, _, last_id = _INFO.unpack_from(data, pos)[:3]
        offsets.append(pos)
        last_ids.append(last_id)
        if size < 0:
            return offsets, last_ids
        pos += 4 + size


_ONES = np.ones(128, "<f4").tobytes()  # the weights of a block that stores none


def _ids_parts(data: bytes, offsets, before) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of the blocks whose infos are at `offsets` in
    `data`, in one numpy pass; `before`: the last docnum of the block
    decoded before each."""
    deltas, weights, counts = [], [], []
    for pos in offsets:
        _, n, _, _, _, _, flags, ids_size = _INFO.unpack_from(data, pos)
        raw = data[pos + _INFO.size:pos + _INFO.size + ids_size]
        if flags & IDS_COMPRESSED:
            raw = zlib.decompress(raw)
        deltas.append(raw[:4 * n])
        weights.append(raw[4 * n:] if flags & WEIGHTS else _ONES[:4 * n])
        counts.append(n)
    ids = np.frombuffer(b"".join(deltas), "<u4").astype(np.int64)
    # A block's first delta counts from 0: count it from the docnum before,
    # so that one cumsum decodes every block.
    counts = np.asarray(counts, np.int64)
    ids[np.cumsum(counts) - counts] -= np.asarray(before, np.int64)
    return np.cumsum(ids), np.frombuffer(b"".join(weights), "<f4").astype(np.float32)


def _values_part(data: bytes, pos: int) -> tuple[np.ndarray, bytes]:
    """(byte length of each posting's value, the values concatenated) of
    the block whose info is at `pos`."""
    size, n, _, _, _, _, flags, ids_size = _INFO.unpack_from(data, pos)
    raw = data[pos + _INFO.size + ids_size:pos + 4 + abs(size)]
    if not raw:  # a format without values
        return np.zeros(n, np.int64), emptybytes
    if flags & VALUES_COMPRESSED:
        raw = zlib.decompress(raw)
    return np.frombuffer(raw, "<u4", n).astype(np.int64), raw[4 * n:]


def read_postings(reader, field: str, term: str) -> tuple[np.ndarray, np.ndarray, BlockDirectory | None]:
    """All (docnums, weights) of a term in one segment, deleted documents
    included, and where its blocks lie; None for a term the segment lacks."""
    try:
        m = reader.postings(field, term)
    except Exception:  # whoosh raises TermNotFound, a plain Exception subclass
        return np.empty(0, np.int64), np.empty(0, np.float32), None
    if isinstance(m, FilterMatcher):
        m = m.child
    data = m._postfile.get(m._startoffset, m._length)
    offsets, last_ids = _blocks(data)
    ids, weights = _ids_parts(data, offsets, [0] + last_ids[:-1])
    directory = BlockDirectory(m._postfile, m._startoffset, np.asarray(offsets, np.int64),
                               np.asarray(offsets[1:] + [len(data)], np.int64), np.asarray(last_ids, np.int64))
    return ids, weights, directory


def read_values(directory: BlockDirectory, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray, bytes]:
    """The encoded values of a term in the `wanted` docnums of one segment
    (sorted, unique) that have it: (docnums, value byte lengths, the values
    concatenated). Only the stretch of blocks whose docnum ranges hold
    wanted docnums is read, and values only of blocks that hold one."""
    none = (np.empty(0, np.int64), np.empty(0, np.int64), emptybytes)
    # A block may hold a wanted docnum when the count of wanted docnums up
    # to its last one grows.
    upto = np.searchsorted(wanted, directory.last_ids, side="right")
    chosen = np.flatnonzero(np.diff(upto, prepend=0))
    if not len(chosen):
        return none
    first = int(directory.offsets[chosen[0]])
    data = directory.postfile.get(directory.start + first, int(directory.ends[chosen[-1]]) - first)
    offsets = (directory.offsets[chosen] - first).tolist()
    before = [0] + directory.last_ids[chosen[:-1]].tolist()
    ids, _ = _ids_parts(data, offsets, before)
    hit = wanted[np.minimum(np.searchsorted(wanted, ids), len(wanted) - 1)] == ids
    docs, lengths, values, keep = [], [], [], []
    start = 0
    for pos in offsets:
        n = _INFO.unpack_from(data, pos)[1]
        block_hit = hit[start:start + n]
        if block_hit.any():
            block_lengths, block_values = _values_part(data, pos)
            docs.append(ids[start:start + n][block_hit])
            lengths.append(block_lengths)
            values.append(block_values)
            keep.append(block_hit)
        start += n
    if not docs:
        return none
    lengths, keep = np.concatenate(lengths), np.concatenate(keep)
    selected = np.frombuffer(b"".join(values), np.uint8)[np.repeat(keep, lengths)]
    return np.concatenate(docs), lengths[keep], selected.tobytes()
