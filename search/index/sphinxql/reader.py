"""Reading a SphinxQL cluster: the figures (documents, mean field lengths,
document frequencies) of the whole index and of its languages from the
head node, and the candidates of a query as a small IndexReader
(CandidateView), over which rank/ scores as it does over whoosh."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from search.analysis import phrase_words
from search.index import wordtables
from search.index.layout import TEXT_FIELDS
from search.index.sphinxql.connection import connect
from search.index.sphinxql.schema import ALTERNATIVE, DISTRIBUTED, SLOT, TERMS, doc_key
from search.languages import CODES

# The stored fields and attributes a candidate row brings.
ROW = ("id", "doc_id", "title_text", "body_text", "lang_name", "date", "source_name", "url",
       "lang", "day", "year", "source_key", "title_derived", *(f"len_{f}" for f in TEXT_FIELDS),
       *(f"terms_{f}" for f in TEXT_FIELDS))
PAGE = 10_000
# The most groups a facet's GROUP BY answers (SphinxQL's default is 20):
# more years than an archive has, and outlets past what a facet column can
# show. 10,000 doubled the cost of a query's facet statements (p50 1.5 ms to
# 3.3 ms on the kit's ria corpus); 1,000 cost as much as 20.
GROUPS = 1_000
# The outlets that source: is matched against and stats lists: all of them
# (asked only for those).
OUTLETS = 100_000


class ClusterIndex:
    """The head node of a cluster: figures of the whole index and of each
    language's documents."""

    def __init__(self, url: str):
        self.url = url
        self.head = connect(url)
        self._terms: dict[str, list[str]] = {}
        self._tables: dict = {}
        self.refresh()

    def refresh(self) -> None:
        """Read the live documents and mean field lengths again (after
        an update)."""
        self.take_figures(self.head.batch(self.FIGURES))

    # Sent with a query's own statements when the last are older than
    # FIGURES_TTL_S: they follow updates at no extra round trip, and most
    # queries skip their full scan (12 ms of news-mix's ~200 ms query).
    FIGURES_TTL_S = 10.0
    FIGURES = [f"SELECT COUNT(*), {', '.join(f'AVG(len_{f})' for f in TEXT_FIELDS)} FROM {DISTRIBUTED}",
               f"SELECT lang, COUNT(*), {', '.join(f'SUM(len_{f})' for f in TEXT_FIELDS)} FROM {DISTRIBUTED} "
               "GROUP BY lang ORDER BY lang ASC"]

    def take_figures(self, answers) -> None:
        """The figures from the answers to FIGURES."""
        (counts,), by_lang = answers
        self.figures_read = time.monotonic()
        self.n_live = int(counts[0])
        self.mean_length = {f: float(a or 0.0) for f, a in zip(TEXT_FIELDS, counts[1:])}
        self.lang_counts = {int(code): int(n) for code, n, *_ in by_lang}
        self.lang_lengths = {int(code): dict(zip(TEXT_FIELDS, map(float, sums))) for code, _, *sums in by_lang}

    def figures_due(self) -> bool:
        return time.monotonic() - self.figures_read > self.FIGURES_TTL_S

    def scope(self, langs) -> tuple[int, ...]:
        """The language codes `langs`, or () (the whole index) when their
        documents are all the index's, as rank/bm25f.scope_of counts."""
        return tuple(langs) if sum(self.lang_counts.get(c, 0) for c in langs) < self.n_live else ()

    def language_figures(self, langs) -> tuple[int, dict[str, float]]:
        """(live documents, mean terms per text field) of the languages `langs`."""
        live = sum(self.lang_counts.get(c, 0) for c in langs)
        sums = [self.lang_lengths[c] for c in langs if c in self.lang_lengths]
        return live, {f: sum(s[f] for s in sums) / live if live else 0.0 for f in TEXT_FIELDS}

    def group_dfs(self, keys, match_of) -> dict:
        """{(terms, fields, language codes, () for all): documents}: each
        key's union over its fields, counted on the cluster in one round
        trip; `match_of(terms, fields)` writes the MATCH expression."""
        keys = list(dict.fromkeys(keys))
        statements = [f"SELECT COUNT(*) FROM {DISTRIBUTED} WHERE MATCH(%s)"
                      + (f" AND lang IN ({', '.join(map(str, langs))})" if langs else "")
                      for _, _, langs in keys]
        answers = self.head.batch(statements, [(match_of(terms, fields),) for terms, fields, _ in keys])
        return {key: int(rows[0][0]) if rows else 0 for key, rows in zip(keys, answers)}

    def body_terms(self, script: str) -> list[str]:
        """The body's index terms in a script, from the vocabulary table."""
        if script not in self._terms:
            terms, last = [], 0
            while True:
                rows = self.head.execute(f"SELECT id, text FROM {TERMS} WHERE script = %s AND id > %s "
                                         f"ORDER BY id ASC LIMIT {PAGE} OPTION max_matches={PAGE}",
                                         (CODES.index(script), last))
                terms += [t for _, t in rows]
                if len(rows) < PAGE:
                    break
                last = rows[-1][0]
            self._terms[script] = sorted(terms)
        return self._terms[script]

    def word_table(self, name: str):
        """A word table (index/wordtables.py) of the cluster's terms; it
        keeps no surface words."""
        if name not in self._tables:
            self._tables[name] = wordtables.build(name, {}, self.body_terms)
        return self._tables[name]

    def outlets(self) -> list[tuple[str, str, int]]:
        """(key: the name lower-cased, name as shown, documents) of every
        outlet on the cluster; the key "" counts documents of none."""
        return [(key, name, int(n)) for key, name, n in self.head.execute(
            f"SELECT source_key, source_name, COUNT(*) FROM {DISTRIBUTED} GROUP BY source_key "
            f"LIMIT {OUTLETS} OPTION max_matches={OUTLETS}")]

    def rows(self, where: str, args=(), limit: int = 1, order: str = "", options: str = "") -> list[dict]:
        found = self.head.execute(f"SELECT {', '.join(ROW)} FROM {DISTRIBUTED} WHERE {where} {order} "
                                  f"LIMIT {limit} {options}", args)
        return [dict(zip(ROW, r)) for r in found]

    def document_row(self, doc_id: str) -> dict | None:
        rows = self.rows("id = %s", (doc_key(doc_id),))
        return rows[0] if rows and rows[0]["doc_id"] == doc_id else None

    def close(self) -> None:
        self.head.close()


class CandidateView:
    """An IndexReader over some documents of the cluster (a query's
    candidates), by their place in `rows`; document frequencies, the
    number of live documents and mean field lengths are the whole
    index's, or its languages' for a side's scope, so that BM25F scores
    as over the whole index."""

    def __init__(self, index: ClusterIndex, rows: list[dict], dfs: dict, wanted: set[str], match_of):
        self.index = index
        self._match_of = match_of
        self.path = Path(index.url)
        self.rows = rows
        self.size = len(rows)
        self.n_live = index.n_live
        self.live = np.ones(self.size, bool)
        self.lang = np.array([r["lang"] for r in rows], np.int8)
        self.days = np.array([r["day"] - 1 for r in rows], np.int32)
        self.year = np.array([r["year"] for r in rows], np.int16)
        self.title_derived = np.array([r["title_derived"] for r in rows], bool)
        self.source = np.array([r["source_key"] for r in rows], str)
        self.field_lengths = {f: np.array([r[f"len_{f}"] for r in rows], np.float32) for f in TEXT_FIELDS}
        self._dfs = dfs
        self._wanted = set(wanted)
        self._positions: dict[str, dict[str, dict[int, list[int]]]] = {}

    # -- the whole index's figures, and its languages' -----------------------

    def mean_field_length(self, field: str) -> float:
        return self.index.mean_length[field]

    def language_figures(self, langs) -> tuple[int, dict[str, float]]:
        return self.index.language_figures(langs)

    def group_df(self, terms, fields, langs=()) -> int:
        key = (tuple(terms), tuple(fields), tuple(langs))
        if key not in self._dfs:
            self._dfs.update(self.index.group_dfs([key], self._match_of))
        return self._dfs[key]

    # -- the candidates' postings, from their analyzed slots ----------------

    def _field_positions(self, field: str, term: str) -> dict[int, list[int]]:
        """{docnum: positions} of a single-word term."""
        if term not in self._wanted:
            self._wanted.add(term)
            self._positions.pop(field, None)
        by_term = self._positions.get(field)
        if by_term is None:
            by_term = self._positions[field] = {}
            wanted = self._wanted
            for d, r in enumerate(self.rows):
                slots = r[f"terms_{field}"].split(SLOT)
                # Most slots hold one term: only wanted ones and those with
                # alternatives are looked at (a comprehension, 3x a loop).
                for pos in [i for i, slot in enumerate(slots) if slot in wanted or ALTERNATIVE in slot]:
                    slot = slots[pos]
                    for t in slot.split(ALTERNATIVE) if ALTERNATIVE in slot else (slot,):
                        if t in wanted:
                            by_term.setdefault(t, {}).setdefault(d, []).append(pos)
        return by_term.get(term, {})

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        if " " in term:
            docs = np.flatnonzero(self.phrase_mask(field, phrase_words(term)))
            return docs, np.ones(len(docs), np.float32)
        found = self._field_positions(field, term)
        docs = np.array(sorted(found), np.int64)
        return docs, np.array([len(found[d]) for d in docs], np.float32)

    def positions(self, field: str, term: str, docs) -> dict[int, np.ndarray]:
        found = self._field_positions(field, term)
        return {int(d): np.array(found[int(d)], np.int64) for d in docs if int(d) in found}

    def doc_frequency(self, field: str, term: str) -> int:
        return self.group_df((term,), (field,))

    def phrase_mask(self, field: str, terms: tuple[str, ...]) -> np.ndarray:
        mask = np.zeros(self.size, bool)
        first = self._field_positions(field, terms[0])
        rest = [self._field_positions(field, t) for t in terms[1:]]
        for d, starts in first.items():
            if all(d in r for r in rest):
                later = [set(r[d]) for r in rest]
                mask[d] = any(all(p + i + 1 in s for i, s in enumerate(later)) for p in starts)
        return mask

    def body_terms(self, script: str) -> list[str]:
        return self.index.body_terms(script)

    def word_table(self, name: str):
        return self.index.word_table(name)

    def stored(self, docnum: int) -> dict:
        r = self.rows[docnum]
        return {"id": r["doc_id"], "title": r["title_text"], "body": r["body_text"], "lang": r["lang_name"],
                "date": r["date"], "source": r["source_name"], "url": r["url"],
                "title_derived": bool(r["title_derived"])}

    def document_number(self, doc_id: str) -> int | None:
        return next((d for d, r in enumerate(self.rows) if r["doc_id"] == doc_id), None)

    def close(self) -> None:
        pass
