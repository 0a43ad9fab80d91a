"""Near-duplicate articles: the same text republished, found at index time.

Each document gets a MinHash signature of the 5-word shingles of its title
and body (files.signed_text; SIGNATURE
values); after a build, locality-sensitive hashing (BANDS bands of ROWS
values) proposes pairs whose signatures agree on a whole band, and a pair
whose signatures agree on at least THRESHOLD of their values (the estimated
Jaccard similarity of their shingle sets), and whose dates are at most
MAX_DAYS_APART apart (or unknown), is a pair of versions of one story.
Versions are grouped transitively; a group is numbered by its first docnum.

Precision of the threshold on pairs checked by tools/check_duplicates.py:
benchmarks/results/duplicates.md.
"""
from __future__ import annotations

import numpy as np

SHINGLE = 5  # words per shingle
SIGNATURE = 64  # MinHash values per document
BANDS, ROWS = 16, 4  # BANDS * ROWS == SIGNATURE: pairs at Jaccard 0.7 share a band with p = 0.98
# Estimated Jaccard similarity from which two texts are versions of one story;
# its precision: benchmarks/results/duplicates.md.
THRESHOLD = 0.7
# Versions of a story come out within a day. Reuters' recurring reports
# ("Fed Adds Reserves Via Customer Repurchases", USDA crop estimates) repeat
# their text for days or weeks with other figures: 25 of the 517 Reuters
# pairs grouped without this bound were dated 2 to 31 days apart.
MAX_DAYS_APART = 1
# Shingles of the first 64 K characters only (~10,000 words): a signature
# then costs at most ~10,000 x 64 multiplications, and versions of a story
# share their openings.
MAX_CHARS = 1 << 16
SIGNATURE_BYTES = SIGNATURE * 4
# A text of fewer than SHINGLE words has no signature: these values, never grouped.
NO_SIGNATURE = np.full(SIGNATURE, 0xFFFFFFFF, np.uint32)

_rng = np.random.default_rng(20261205)  # fixed: signatures of every build must agree


def _odd(count: int, dtype) -> np.ndarray:
    return _rng.integers(0, np.iinfo(dtype).max, count, dtype=dtype, endpoint=True) | dtype(1)


# The MinHash functions: the high 32 bits of a * x + b (mod 2**64), a odd, of
# a shingle's hash x. Modulo 2**32 took a third less time, but its estimates
# of Jaccard similarity erred by 0.055 (standard deviation), against 0.032,
# on the 276 pairs of tests/conftest.py's generated articles.
_A, _B = _odd(SIGNATURE, np.uint64), _rng.integers(0, 2**63, SIGNATURE, dtype=np.uint64)
_SHINGLE_FACTORS = _odd(SHINGLE, np.uint64)
_BAND_FACTORS = _odd(ROWS, np.uint64)
# A word's hash is sum(byte[i] * R**i) over its UTF-8 bytes (mod 2**64),
# computed for all words at once from the text's running sum of byte[j] * R**j,
# shifted back by R**-start (R is odd, so invertible).
_R = 0x100000001B3
_MAX_BYTES = 4 * MAX_CHARS
with np.errstate(over="ignore"):
    _POWERS = np.cumprod(np.r_[np.uint64(1), np.full(_MAX_BYTES, _R, np.uint64)], dtype=np.uint64)
    _INVERSE_POWERS = np.cumprod(np.r_[np.uint64(1), np.full(_MAX_BYTES, pow(_R, -1, 2**64), np.uint64)],
                                 dtype=np.uint64)
# Bytes that separate words: ASCII but for letters and digits (UTF-8's
# multi-byte letters are all >= 128).
_SEPARATOR = np.ones(256, bool)
_SEPARATOR[[*b"0123456789abcdefghijklmnopqrstuvwxyz", *range(128, 256)]] = False


def _word_hashes(text: str) -> np.ndarray:
    data = np.frombuffer(text[:MAX_CHARS].lower().encode("utf-8", "replace"), np.uint8)
    edges = np.diff(np.r_[False, ~_SEPARATOR[data], False].astype(np.int8))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    with np.errstate(over="ignore"):
        running = np.r_[np.uint64(0), np.cumsum(data * _POWERS[:len(data)], dtype=np.uint64)]
        return (running[ends] - running[starts]) * _INVERSE_POWERS[starts]


def signature(text: str) -> bytes:
    """The MinHash signature of a text, SIGNATURE_BYTES long. Vectorized:
    a Python loop over the words took more CPU than the rest of indexing."""
    hashes = _word_hashes(text)
    count = len(hashes) - SHINGLE + 1
    if count < 1:
        return NO_SIGNATURE.tobytes()
    shingles = np.zeros(count, np.uint64)
    with np.errstate(over="ignore"):
        for i in range(SHINGLE):
            shingles += hashes[i:i + count] * _SHINGLE_FACTORS[i]
        values = shingles[:, None] * _A + _B
    # The least value has the least high bits.
    return (values.min(axis=0) >> np.uint64(32)).astype(np.uint32).tobytes()


def groups(signatures: np.ndarray, live: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Each document's group: the first docnum of its story's versions (its
    own docnum when it has none). `signatures`: (documents, SIGNATURE) uint32;
    `days`: each document's date in days, negative when unknown."""
    size = len(signatures)
    labels = np.arange(size, dtype=np.int64)
    eligible = np.flatnonzero(live & (signatures != NO_SIGNATURE).any(axis=1))
    pairs = []
    for band in range(BANDS):
        rows = signatures[eligible, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
        with np.errstate(over="ignore"):
            keys = (rows * _BAND_FACTORS).sum(axis=1) ^ (rows[:, 0] << np.uint64(32))
        order = np.argsort(keys, kind="stable")
        keys, docs = keys[order], eligible[order]
        starts = np.r_[True, keys[1:] != keys[:-1]]
        # Each document of a bucket is checked against the bucket's first.
        first = docs[np.maximum.accumulate(np.where(starts, np.arange(len(docs)), 0))]
        candidates = np.flatnonzero(~starts)
        if not len(candidates):
            continue
        a, b = docs[candidates], first[candidates]
        agree = (signatures[a] == signatures[b]).mean(axis=1)
        undated = (days[a] < 0) | (days[b] < 0)
        keep = (agree >= THRESHOLD) & (undated | (np.abs(days[a] - days[b]) <= MAX_DAYS_APART))
        pairs.append(np.stack([a[keep], b[keep]]))
    if not pairs:
        return labels.astype(np.int32)
    a, b = np.concatenate(pairs, axis=1)
    # Connected components: each label falls to the least of its pairs' until none moves.
    while True:
        least = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, least)
        np.minimum.at(labels, b, least)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels.astype(np.int32)


def collapse(mask: np.ndarray, group: np.ndarray, shared: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """`mask` with one version of each story: of the documents in `shared`
    (those whose group has other versions), the one of highest `priority`
    in the mask; the others are kept as they are."""
    docs = np.flatnonzero(mask & shared)
    if not len(docs):
        return mask
    docs = docs[np.argsort(-priority[docs], kind="stable")]
    _, first = np.unique(group[docs], return_index=True)
    out = mask & ~shared
    out[docs[first]] = True
    return out


def other_versions(view, docnum: int, mask: np.ndarray) -> list[int]:
    """The other versions of a document's story within `mask`, by docnum
    (`view`: a backend.IndexReader)."""
    if not view.shared[docnum]:
        return []
    return [int(d) for d in np.flatnonzero(mask & (view.group == view.group[docnum])) if d != docnum]
