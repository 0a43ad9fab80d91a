"""The fields of an index and the analyzer whoosh calls for them."""
from __future__ import annotations

from whoosh.analysis import Analyzer, Token
from whoosh.columns import FixedBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema

from search.analysis import scan
from search.index.codec import PositionArrays
from search.index.duplicates import NO_SIGNATURE, SIGNATURE_BYTES


class MultilingualAnalyzer(Analyzer):
    """whoosh wrapper around search.analysis. Module-level and stateless,
    so that whoosh can pickle it into the index schema."""

    def __eq__(self, other):
        return isinstance(other, MultilingualAnalyzer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        for text, pos, start, end in scan(value, mode == "index"):
            token.text = text
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def _positional(field: TEXT) -> TEXT:
    field.format = PositionArrays(field_boost=field.format.field_boost)
    return field


def schema() -> Schema:
    text = MultilingualAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=_positional(TEXT(analyzer=text, stored=True)),
        body=_positional(TEXT(analyzer=text, stored=True)),
        # The lead repeats the body's first paragraph, where phrases and
        # proximity find it: it keeps no positions of its own.
        lead=TEXT(analyzer=text, phrase=False),
        lang=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        url=STORED(),
        title_derived=ID(stored=True, sortable=True),  # "1" when ingest derived the title
        # The MinHash signature of title and body (duplicates.py), a column only.
        minhash=COLUMN(FixedBytesColumn(SIGNATURE_BYTES, default=NO_SIGNATURE.tobytes())),
    )
