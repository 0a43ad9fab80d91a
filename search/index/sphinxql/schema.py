"""The cluster's tables and how our analyzed text is written into them.

Documents reach the cluster already analyzed by search.analysis: each
field is sent as its index terms in order, one slot per word position,
so the engine's own morphology stays off and positions (phrases) are ours.
A slot's first term goes to the field (title, lead, body); its other
terms (a Russian word's alternative normal forms, a hyphenated compound
whole) go to the field's `_alt` twin, which keeps field restrictions
without shifting positions. The same slots are kept as a string
attribute (`terms_<field>`), from which the reader re-ranks candidates.

A term is written as itself when it is made of the letters and digits of
CHARSET, hyphens as "_" (our terms never hold "_"); any other term (Greek,
accented, other scripts) as "x" + a hash, so the engine never splits one.
"""
from __future__ import annotations

import hashlib
import re

from search.index.layout import TEXT_FIELDS

# One distributed table over RT shards, as in Manticore's documentation.
DISTRIBUTED = "mlsearch"
SHARD = "mlsearch_shard{n}"
# On the head node: the shard nodes a writer writes to (name, SphinxQL
# address, shard number), and the index terms of documents by script (the
# candidates of fuzzy name matching in translation).
NODES = "mlsearch_nodes"
TERMS = "mlsearch_terms"

SPHINX_FIELDS = [f for base in TEXT_FIELDS for f in (base, base + "_alt")]
# Stored on the cluster: the document (a web server needs no local index),
# its corpus file's stamp (incremental updates) and its analyzed slots.
STORED = ("doc_id", "title_text", "body_text", "lang_name", "date", "source_name", "url", "file", "stamp")
STRING_ATTRS = (*STORED, "source_key", *(f"terms_{f}" for f in TEXT_FIELDS))
# lang: index.arrays.LANG_CODES; day: days since 1970 plus one (0: undated);
# year (0: undated); len_<field>: index terms in the field; title_derived:
# 1 when ingest derived the title from the first sentence (BM25F weighs it so).
UINT_ATTRS = ("lang", "day", "year", *(f"len_{f}" for f in TEXT_FIELDS), "title_derived")
CHARSET = "0..9, a..z, _, U+430..U+44F"
_PLAIN = re.compile(r"^[0-9a-z\u0430-\u044f-]+$")
SLOT = " "  # between word positions in a terms_<field> attribute
ALTERNATIVE = "|"  # between the terms of one position


def token(term: str) -> str:
    """The engine's token for one index term (a single word)."""
    if _PLAIN.match(term):
        return term.replace("-", "_")
    return "x" + hashlib.blake2b(term.encode(), digest_size=8).hexdigest()


def doc_key(doc_id: str) -> int:
    """A document's row id: 63 bits of a hash of its id (a string)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big") >> 1 or 1


def shard_of(key: int, shards: int) -> int:
    return key % shards
