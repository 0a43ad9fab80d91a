"""The engine over a SphinxQL cluster (Manticore Search, or Sphinx 2.2
for tests): the same queries, plans, ranking and results as Engine over
whoosh.

For each document language the plan is sent as a MATCH expression
(rank/sphinxql.py); the cluster returns the best CANDIDATES documents by
its own ranking, with their analyzed text, and counts the matches for the
total and the facets. rank/ then scores the candidates of both languages
as over whoosh (BM25F with each language's side counted as the whoosh
index counts it: the document count, document frequencies and mean field
lengths of that language's documents and those in no known language;
proximity, the merge), over a CandidateView. Document frequencies of all
the query's groups, and of the words translation looks up, are counted
in one round trip each; each language's document count and field lengths
come with the index's figures.

    engine = ClusterEngine("sphinxql://127.0.0.1:9306")
"""
from __future__ import annotations

import threading
import time

import numpy as np

from search import query as q
from search.analysis import analyze, terms_of
from search.index.arrays import LANG_CODES, days_of
from search.index.sphinxql.connection import BackendError
from search.cluster_facets import ClusterFacets, index_figures
from search.index.sphinxql.reader import ROW, CandidateView, ClusterIndex
from search.index.sphinxql.schema import DISTRIBUTED, SPHINX_FIELDS
from search.engine import Engine
from search.options import parse_search
from search.related import similar_query, target_language
from search.languages import CODES, OTHER, script_of
from search.rank import merge
from search.rank.bm25f import FIELD_WEIGHT, score, top
from search.rank.plan import rank_plan
from search.rank.sphinxql import match_of
from search.query import QueryError
from search.results import SearchResult
from search.sources import matching
from search.translate.planner import QueryPlanner, Side, highlighted_terms
from search.translate import widening
from search.translate.transliteration import chinese_terms, loanword_terms, transliterated_terms
from search.translate.vocabulary import IndexVocabulary

# Candidates per document language that rank/ re-scores (at least the
# page asked for).
CANDIDATES = 200
# The cluster's ranking of candidates: BM25 with our field weights (the
# _alt twins weigh as their fields).
RANKER = "bm25"
FIELD_WEIGHTS = ", ".join(f"{f}={int(FIELD_WEIGHT[f.removesuffix('_alt')])}" for f in SPHINX_FIELDS)


def group_match(terms, fields) -> str:
    return match_of(q.TermGroup(tuple(terms), tuple(fields))) or ""


class ClusterVocabulary(IndexVocabulary):
    """The translation vocabulary of one document language, its document
    frequencies counted on the cluster (many at once: `prefetch`)."""

    def __init__(self, index: ClusterIndex, lang: str):
        self.view = index
        self.lang = lang
        self._df = {}
        self._script_terms = None
        self._hyphenated = None
        self._sounds = None
        self._words = None  # no surface words: none is found by its start

    def df(self, term: str) -> int:
        if term not in self._df:
            self.prefetch([term])
        return self._df[term]

    def prefetch(self, terms) -> None:
        missing = [t for t in dict.fromkeys(terms) if t not in self._df]
        if not missing:
            return
        if len(self._df) + len(missing) > self.DF_CACHE:
            self._df.clear()
        keys = [((t,), ("title", "body"), (LANG_CODES[self.lang],)) for t in missing]
        found = self.view.group_dfs(keys, group_match)
        self._df.update({k[0][0]: n for k, n in found.items()})


class ClusterEngine(Engine):
    """Engine's API (search, document, similar, stats) over a cluster.
    Neither the semantic channel nor near-duplicate versions: the cluster
    holds no vectors and no signatures."""
    semantic = None

    def __init__(self, url: str, lexicon_paths=()):
        self.index_dir = url
        self.lexicon_paths = tuple(lexicon_paths)
        self._lock = threading.RLock()
        self._index = ClusterIndex(url)
        self._vocabularies = {}
        self._planner = QueryPlanner(self.lexicon_paths, self._vocabulary)

    def _vocabulary(self, lang: str) -> ClusterVocabulary:
        vocab = self._vocabularies.get(lang)
        if vocab is None:
            vocab = self._vocabularies[lang] = ClusterVocabulary(self._index, lang)
        return vocab

    def close(self):
        self._index.close()

    def search(self, query: str, *, lang=None, since=None, until=None, sort="relevance", page=1, limit=10,
               translate=True, with_snippets=True, suggest=True, one_version=True,
               as_typed=False) -> SearchResult:
        """As Engine.search; not cached, as the cluster has no generations
        to tell an update by. No spelling suggestions and no keyboard-layout
        reading (the cluster keeps no surface words, so `as_typed` changes
        nothing), and every version of a republished story is a hit
        of its own whatever `one_version` says (it keeps no signatures)."""
        started = time.perf_counter()
        parsed, langs, since, until = parse_search(query, lang, since, until, sort, page, limit)
        if parsed.prefixes:
            raise QueryError(f"{parsed.prefixes[0].text}*: the cluster backend does not search by prefix "
                             "(it keeps no surface words to expand it over); write the whole word")
        with self._lock:
            try:
                return self._cluster_search(query, parsed, langs, since, until, sort, page, limit,
                                            translate, with_snippets, started)
            except BackendError:
                self._reconnect()
                raise

    def _reconnect(self):
        """A new head connection for the next query (this one failed)."""
        try:
            self._index.close()
            self._index = ClusterIndex(self._index.url)
            self._vocabularies = {}
        except BackendError:
            pass

    def _cluster_search(self, query, parsed, langs, since, until, sort, page, limit, translate,
                        with_snippets, started) -> SearchResult:
        index = self._index
        dates, sources = [], []
        if since:
            dates.append(f"day >= {days_of(since) + 1}")
        if until:
            dates.append(f"day BETWEEN 1 AND {days_of(until) + 1}")
        if parsed.sources:
            # As sources.py matches on whoosh, over the cluster's outlets.
            keys = matching([key for key, _, _ in index.outlets()], parsed.sources)
            sources.append(f"source_key IN ({', '.join(map(_quoted, keys))})" if keys else NO_DOCUMENT)
        lang_filter = [LANG_CODES[x] for x in langs if x in LANG_CODES] if langs else None
        query_lang = script_of(" ".join(w.text for w in parsed.words))
        report: list[dict] = []
        dictionary_words: set[str] = set()
        sides = []  # (language, plan, codes of its documents)
        if parsed.root is not None and translate:
            other = LANG_CODES[OTHER]
            for name in CODES:
                own = LANG_CODES[name]
                if not index.lang_counts.get(own):
                    continue
                codes = [own] + ([other] if not sides else [])  # documents of no language: once
                told = report if lang_filter is None or set(codes) & set(lang_filter) else []
                self._prefetch(parsed.root, name, query_lang)
                plan = self._planner.plan(parsed.root, Side(name, query_lang, told, dictionary_words))
                if plan is not None:
                    sides.append((name, plan, codes))
        elif parsed.root is not None:
            plan = self._planner.plan(parsed.root, Side(None, query_lang, report))
            if plan is not None:
                sides.append((None, plan, list(LANG_CODES.values())))
        else:
            sides.append((None, None, list(LANG_CODES.values())))

        k = page * limit
        depth = max(CANDIDATES, k)
        statements, args = [], []
        counts = ClusterFacets()
        for _, plan, codes in sides:
            match = match_of(plan) if plan is not None else ""
            if match is None:
                continue
            shown_codes = [c for c in codes if lang_filter is None or c in lang_filter]
            matched = ["MATCH(%s)"] if match else []
            in_shown = [_lang_in(shown_codes)]
            order = "day DESC" if sort == "date" or plan is None else "WEIGHT() DESC"
            margs = (match,) if match else ()
            statements += [
                f"SELECT {', '.join(ROW)} FROM {DISTRIBUTED} WHERE {_all(matched + dates + sources + in_shown)} "
                f"ORDER BY {order} LIMIT {depth} "
                f"OPTION ranker={RANKER}, field_weights=({FIELD_WEIGHTS}), max_matches={depth}",
                "SHOW META"]
            args += [margs, None]
            facet_statements, facet_args = counts.statements(
                _all(matched + dates + sources + [_lang_in(codes)]), _all(matched + sources + in_shown),
                _all(matched + dates + in_shown), margs)
            statements += facet_statements
            args += facet_args
        # The languages above are from the last figures read: a language new
        # to the index is searched once they are read again.
        figures = index.FIGURES if index.figures_due() else []
        answers = index.head.batch(statements + figures, args + [None] * len(figures))
        if figures:
            index.take_figures(answers[-len(figures):])
            answers = answers[:-len(figures)]

        rows, side_rows, warnings = [], [], []
        seen: dict[int, int] = {}
        for i in range(0, len(answers), 5):
            found, meta, *facet_answers = answers[i:i + 5]
            warnings += [str(v) for name, v in meta if name == "warning" and v]
            mine = []
            for r in found:
                row = dict(zip(ROW, r))
                if row["id"] not in seen:
                    seen[row["id"]] = len(rows)
                    rows.append(row)
                mine.append(seen[row["id"]])
            side_rows.append(mine)
            counts.take(*facet_answers)

        # Candidates by id, so that tied scores rank by id whichever shard
        # answered first.
        order = sorted(range(len(rows)), key=lambda i: rows[i]["doc_id"])
        place = {old: new for new, old in enumerate(order)}
        rows = [rows[i] for i in order]
        side_rows = [[place[i] for i in mine] for mine in side_rows]
        view = None
        scores = np.zeros(len(rows), np.float32)
        side_terms: dict[int, set[str]] = {}
        planned = [(name, plan, codes) for name, plan, codes in sides if plan is not None and match_of(plan) is not None]
        if planned and rows:
            keys, wanted = _df_keys([(plan, index.scope(merge.side_languages(name)) if name else ())
                                     for name, plan, _ in planned])
            dfs = index.group_dfs(keys, group_match)
            view = CandidateView(index, rows, dfs, wanted, group_match)
            lists = []
            for (name, plan, codes), mine in zip(planned, side_rows):
                in_side = np.zeros(len(rows), bool)
                in_side[mine] = True
                terms = highlighted_terms(plan)
                if name is None:
                    scores, match = rank_plan(view, plan, in_side)
                    side_terms = {code: terms for code in LANG_CODES.values()}
                    break
                own = view.lang == LANG_CODES[name]
                lists.append(merge.rank_language(view, name, plan, in_side, own, in_side))
                for c in codes:
                    side_terms[c] = side_terms.get(c, set()) | terms
            else:
                scores, match = merge.merge(lists, query_lang, len(rows), view.stored)
            candidates = match
        else:
            view = CandidateView(index, rows, {}, set(), group_match) if rows else None
            candidates = np.ones(len(rows), bool)
        hits = []
        if view is not None:
            if sort == "date" or parsed.root is None:
                docs = np.flatnonzero(candidates)
                docs = docs[np.lexsort((-scores[docs], -view.days[docs]))][:k]
            else:
                docs = top(scores, candidates, k)
            hits = [self._hit(view, int(d), float(scores[d]), side_terms.get(int(view.lang[d]), set()),
                              with_snippets) for d in docs[(page - 1) * limit:]]
        total = sum(n for code, n in counts.langs.items() if lang_filter is None or code in lang_filter)
        facets = counts.facets(index.head, since, until)
        translations = list({(r["word"], r["to"]): r for r in report}.values())
        return SearchResult(query=query, total=total, took_ms=round((time.perf_counter() - started) * 1000, 2),
                            hits=hits, translations=translations, suggestions=[], facets=facets,
                            page=page, limit=limit, warnings=[f"cluster: {w}" for w in dict.fromkeys(warnings)])

    def _prefetch(self, root, target: str, query_lang: str) -> None:
        """Count in one round trip what translation looks up in `target`'s vocabulary: each word's
        term, its readings' translations, its spellings as a Chinese name, a name and a loanword."""
        if not query_lang or query_lang == target:
            return
        lexicon = self._planner.translator.lexicon
        wanted = []
        for word in _words_of(root):
            surface = word.text.split("[", 1)[0]
            for term in terms_of(surface):
                wanted.append(term)
                for t in (*lexicon.translations(term, query_lang),
                          *widening.reading_translations(surface, term, query_lang, lexicon)):
                    wanted += t.term.split(" ")
                name = surface if query_lang == "en" else term
                wanted += chinese_terms(name) + transliterated_terms(name) + loanword_terms(name)
        self._vocabulary(target).prefetch(wanted)

    def document(self, doc_id: str) -> dict | None:
        with self._lock:
            row = self._index.document_row(doc_id)
            if row is None:
                return None
            return CandidateView(self._index, [row], {}, set(), group_match).stored(0)

    def similar(self, doc_id: str, *, other_language: bool = False, limit: int = 10) -> list:
        """As Engine.similar: the document's distinctive words (their df
        counted in one round trip) as a query, its candidates re-scored."""
        with self._lock:
            row = self._index.document_row(doc_id)
            if row is None:
                return []
            stored = CandidateView(self._index, [row], {}, set(), group_match).stored(0)
            target = target_language(stored, other_language)
            if other_language and target is None:
                return []
            words = {t.text for t in analyze((stored["title"] + "\n") + stored["body"][:20000])}
            dfs = self._index.group_dfs([((t,), ("body",), ()) for t in words], group_match)
            groups = similar_query(CandidateView(self._index, [row], dfs, set(), group_match),
                                   stored, target, self._planner.translate)
            match = match_of(q.Seq(tuple(groups))) if groups else None
            if not match:
                return []
            where = "MATCH(%s) AND id != %s" + (f" AND lang = {LANG_CODES[target]}" if target else "")
            rows = self._index.rows(where, (match, row["id"]), CANDIDATES, "ORDER BY WEIGHT() DESC",
                                    f"OPTION ranker={RANKER}, field_weights=({FIELD_WEIGHTS}), "
                                    f"max_matches={CANDIDATES}")
            if not rows:
                return []
            rows.sort(key=lambda r: r["doc_id"])
            keys, wanted = _df_keys([(q.Seq(tuple(groups)), ())])
            view = CandidateView(self._index, rows, self._index.group_dfs(keys, group_match), wanted, group_match)
            scores, matched = score(view, q.Seq(tuple(groups)))
            terms = highlighted_terms(q.Seq(tuple(groups)))
            return [self._hit(view, int(d), float(scores[d]), terms, True) for d in top(scores, matched, limit)]

    def versions(self, doc_id: str) -> list:
        return []

    def stats(self) -> dict:
        with self._lock:
            self._index.refresh()
            names = {code: name for name, code in LANG_CODES.items()}
            return {"documents": self._index.n_live,
                    "languages": {names[c]: n for c, n in self._index.lang_counts.items()},
                    **index_figures(self._index.head, self._index.outlets()),
                    "built": None, "corpus": None, "index_bytes": 0,
                    "generation": self._index.url, "skipped": []}


def _df_keys(plans) -> tuple[list, set[str]]:
    """The (terms, fields, language codes) groups whose df BM25F and
    proximity ask for, of each (plan, the codes of its scope: () for the
    whole index), and every single-word term of the plans."""
    keys, wanted = [], set()

    def walk(node, langs):
        if isinstance(node, q.TermGroup):
            keys.append((tuple(node.terms), tuple(node.fields), langs))
            words = tuple(t for t in node.terms if " " not in t)
            keys.append((words, ("title", "body"), langs))
            wanted.update(w for t in node.terms for w in t.split(" "))
        elif isinstance(node, q.PhraseGroup):
            for t in node.terms:
                keys.append(((t,), tuple(node.fields), langs))
                keys.append(((t,), ("title", "body"), langs))
            wanted.update(node.terms)
        elif isinstance(node, (q.Must, q.Not)):
            walk(node.item, langs)
        else:
            for item in node.items:
                walk(item, langs)

    for plan, langs in plans:
        walk(plan, langs)
    return [k for k in keys if k[0]], wanted


def _words_of(node):
    if isinstance(node, q.Word):
        yield node
    elif isinstance(node, q.Phrase):
        yield from (q.Word(w) for w in node.words)
    elif isinstance(node, (q.Must, q.Not)):
        yield from _words_of(node.item)
    elif hasattr(node, "items"):
        for item in node.items:
            yield from _words_of(item)


# A condition no document meets (schema.doc_key never gives 0).
NO_DOCUMENT = "id = 0"


def _lang_in(codes) -> str:
    return f"lang IN ({', '.join(map(str, codes or [len(LANG_CODES)]))})"  # none: a code no document has


def _all(conditions) -> str:
    return " AND ".join(conditions) if conditions else "id > 0"


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
