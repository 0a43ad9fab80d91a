"""The Python API: one object that answers queries over one index directory.

A facade over the stages: parse the query (query.py), plan it for each
document language (translate/planner.py), rank each language's documents
and merge the lists (rank/), then filter, page, cut snippets and count
facets here. Results are cached per index generation.

    engine = Engine("indexes/corpus")
    result = engine.search("energy security", lang=None, limit=10)
"""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np

from search import query as q
from search import snippets
from search.analysis import analyze, terms_of
from search.index.arrays import LANG_CODES, days_of
from search.index.backend import IndexReader, open_generation
from search.index.layout import NoIndex, OutdatedIndex, current_generation, read_manifest
from search.languages import CODES, DOCUMENT_LANGUAGE_CHOICES, DOCUMENT_LANGUAGES, OTHER, fold, script_of
from search.rank import merge
from search.rank.bm25f import score, top
from search.rank.plan import rank_plan
from search.results import Hit, SearchResult
from search.translate.lexicon import counterpart_language
from search.translate.planner import QueryPlanner, Side, highlighted_terms
from search.translate.vocabulary import IndexVocabulary

SORTS = ("relevance", "date")
MAX_LIMIT = 1000  # results a page may hold: a batch run asks for 100 or more
MAX_PAGE = 1000
# Results kept per server worker, for popular queries and page changes: a
# cached result is ~29 KB (snippets and their fragments), 15 MB at 512.
RESULT_CACHE = 128


class Engine:
    def __init__(self, index_dir, lexicon_paths=()):
        self.index_dir = Path(index_dir)
        self.lexicon_paths = tuple(Path(p) for p in lexicon_paths)
        self._lock = threading.RLock()
        self._view = None
        self._view_key = None
        self._vocabularies = {}
        self._speller = None
        self._results = OrderedDict()
        self._planner = QueryPlanner(self.lexicon_paths, self._vocabulary)
        self._view_or_raise()

    # -- index generations -------------------------------------------------

    def _view_or_raise(self) -> IndexReader:
        """The live generation, reopened when an indexer has switched it.
        An indexer replaces CURRENT, never rewrites it, so one stat of it
        tells (reading it and checking its generation cost ~30 us more)."""
        try:
            stat = os.stat(self.index_dir / "CURRENT")
            key = (stat.st_ino, stat.st_mtime_ns)
        except FileNotFoundError:
            key = None
        if key is None or key != self._view_key:
            gen = current_generation(self.index_dir)
            old = self._view
            try:
                self._view = open_generation(gen)
            except OutdatedIndex:
                raise NoIndex(f"the index at {self.index_dir} was built by an older version of mlsearch: "
                              f"run 'mlsearch index CORPUS_DIR --index {self.index_dir} --full'")
            self._view_key = key
            self._vocabularies = {}
            self._speller = None
            self._results = OrderedDict()
            if old is not None:
                old.close()
        return self._view

    def close(self):
        """Close the open generation's files; the next call opens it again."""
        with self._lock:
            if self._view is not None:
                self._view.close()
            self._view = self._view_key = None

    def _vocabulary(self, lang: str) -> IndexVocabulary:
        vocab = self._vocabularies.get(lang)
        if vocab is None:
            vocab = self._vocabularies[lang] = IndexVocabulary(self._view, lang)
        return vocab

    # -- search --------------------------------------------------------------

    def search(self, query: str, *, lang: str | None = None, since=None, until=None,
               sort: str = "relevance", page: int = 1, limit: int = 10,
               translate: bool = True, with_snippets: bool = True, suggest: bool = True) -> SearchResult:
        """Ranked results; QueryError for a malformed query or bad option.
        Results are cached per index generation: popular queries repeat."""
        started = time.perf_counter()
        key = (query, lang, str(since), str(until), sort, page, limit, translate, with_snippets, suggest)
        with self._lock:
            self._view_or_raise()
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return replace(cached, took_ms=round((time.perf_counter() - started) * 1000, 2))
        result = self._search(query, lang=lang, since=since, until=until, sort=sort, page=page,
                              limit=limit, translate=translate, with_snippets=with_snippets,
                              suggest=suggest, started=started)
        with self._lock:
            self._results[key] = result
            if len(self._results) > RESULT_CACHE:
                self._results.popitem(last=False)
        return result

    def _search(self, query, *, lang, since, until, sort, page, limit, translate, with_snippets,
                suggest, started) -> SearchResult:
        parsed = q.parse(query)
        if sort not in SORTS:
            raise q.QueryError(f"unknown sort {sort!r}: use relevance or date")
        if not (1 <= limit <= MAX_LIMIT):
            raise q.QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if not (1 <= page <= MAX_PAGE):
            raise q.QueryError(f"page must be between 1 and {MAX_PAGE}")
        langs = set(parsed.langs)
        if lang:
            for code in lang.split(","):
                if code not in DOCUMENT_LANGUAGES:
                    raise q.QueryError(f"unknown language {code!r}: use {DOCUMENT_LANGUAGE_CHOICES}")
            langs = (langs & set(lang.split(","))) if langs else set(lang.split(","))
            if not langs:
                langs = {"none"}
        since = _date_bound(since, end=False) if since else None
        until = _date_bound(until, end=True) if until else None
        since = max(filter(None, (since, parsed.since)), default=None)
        until = min(filter(None, (until, parsed.until)), default=None)

        with self._lock:
            view = self._view_or_raise()
            lang_mask = view.live.copy()
            if langs:
                # Comparisons, not np.isin, which sorts: a few codes over every document.
                lang_mask &= np.logical_or.reduce([view.lang == LANG_CODES.get(x, -1) for x in langs])
            date_mask = view.live.copy()
            if since:
                date_mask &= view.days >= days_of(since)
            if until:
                date_mask &= (view.days <= days_of(until)) & (view.days >= 0)
            source_mask = self._source_mask(view, parsed.sources)

            report: list[dict] = []
            dictionary_words: set[str] = set()
            query_lang = script_of(" ".join(w.text for w in parsed.words))
            side_terms: dict[int, set[str]] = {}
            scores = np.zeros(view.size, np.float32)
            match = np.zeros(view.size, bool)
            if parsed.root is None:
                match = view.live.copy()
            elif translate:
                other = view.lang == LANG_CODES[OTHER]
                shown = lang_mask & date_mask & source_mask
                lists = []
                for name in CODES:
                    own = view.lang == LANG_CODES[name]
                    if not own.any():
                        continue
                    # Articles in no known language are read in both and
                    # keep their better score.
                    in_side = own | other
                    # A side the language filter excludes still counts in the
                    # facets, but its translations are not the user's concern.
                    told = report if (in_side & lang_mask).any() else []
                    plan = self._planner.plan(parsed.root, Side(name, query_lang, told, dictionary_words))
                    if plan is None:
                        continue
                    lists.append(merge.rank_language(view, name, plan, in_side, own, shown))
                    terms = highlighted_terms(plan)
                    side_terms[LANG_CODES[name]] = terms
                    side_terms[LANG_CODES[OTHER]] = side_terms.get(LANG_CODES[OTHER], set()) | terms
                scores, match = merge.merge(lists, query_lang, view.size)
            else:
                plan = self._planner.plan(parsed.root, Side(None, query_lang, report))
                if plan is not None:
                    scores, match = rank_plan(view, plan, lang_mask & date_mask & source_mask)
                    terms = highlighted_terms(plan)
                    side_terms = {code: terms for code in LANG_CODES.values()}

            hits_mask = match & lang_mask & date_mask & source_mask
            total = int(hits_mask.sum())
            facets = _facets(view, match & date_mask & source_mask, match & lang_mask & source_mask)
            k = page * limit
            if sort == "date" or parsed.root is None:
                docs = np.flatnonzero(hits_mask)
                docs = docs[np.lexsort((-scores[docs], -view.days[docs]))][:k]
            else:
                docs = top(scores, hits_mask, k)
            docs = docs[(page - 1) * limit:]
            hits = [self._hit(view, int(d), float(scores[d]), side_terms.get(int(view.lang[d]), set()),
                              with_snippets) for d in docs]
            suggestions = self._suggestions(view, query, parsed, dictionary_words) \
                if suggest and parsed.words else []
        seen = set()
        translations = []
        for r in report:
            key = (r["word"], r["to"])
            if key not in seen:
                seen.add(key)
                translations.append(r)
        return SearchResult(query=query, total=total, took_ms=round((time.perf_counter() - started) * 1000, 2),
                            hits=hits, translations=translations, suggestions=suggestions,
                            facets=facets, page=page, limit=limit)

    def _source_mask(self, view, sources):
        if not sources:
            return view.live.copy()
        return view.live & np.isin(view.source, [s.lower() for s in sources])

    def _hit(self, view, docnum: int, score: float, terms: set[str], with_snippets: bool) -> Hit:
        stored = view.stored(docnum)
        pieces = snippets.fragments(stored.get("body", ""), terms) if with_snippets else []
        return Hit(id=stored["id"], title=stored.get("title", ""), lang=stored.get("lang", ""),
                   date=stored.get("date", ""), source=stored.get("source", ""),
                   url=stored.get("url") or "", score=round(score, 6),
                   snippet=snippets.to_html(pieces), fragments=pieces)

    def _suggestions(self, view, query: str, parsed, dictionary_words: set[str]) -> list[str]:
        """A corrected query when some word is neither in the corpus vocabulary
        nor among the `dictionary_words` (lower-cased), which the lexicon
        translated into it: дорога is no typo of порога in English articles
        about railways. A guess (a fuzzy name, a prefix) proves nothing."""
        corrected = query
        for word in parsed.words:
            text = word.text.split("[", 1)[0]
            lower = fold(text)
            if len(lower) < 4 or not lower.isalpha() or text.lower() in dictionary_words:
                continue
            # A stop word, or another form of a word the corpus has (Шахбазов
            # for Шахбазова), is no typo.
            terms = terms_of(text)
            if not terms or any(view.doc_frequency(f, t) for t in terms for f in ("title", "body")):
                continue
            if self._speller is None:
                from search.spelling import Speller

                self._speller = Speller(view.word_df().items())
            if lower in self._speller:
                continue
            fixed = self._speller.suggest(lower)
            if fixed:
                if text[:1].isupper():
                    fixed = fixed[:1].upper() + fixed[1:]
                corrected = corrected.replace(text, fixed, 1)
        return [corrected] if corrected != query else []

    # -- documents -----------------------------------------------------------

    def document(self, doc_id: str) -> dict | None:
        with self._lock:
            view = self._view_or_raise()
            docnum = view.document_number(doc_id)
            if docnum is None:
                return None
            return dict(view.stored(docnum))

    def similar(self, doc_id: str, *, other_language: bool = False, limit: int = 10) -> list[Hit]:
        """Articles about the same story: its most distinctive words, as a
        query (translated for `other_language`: the counterpart lookup).
        Empty when the document is unknown."""
        with self._lock:
            view = self._view_or_raise()
            docnum = view.document_number(doc_id)
            if docnum is None:
                return []
            stored = view.stored(docnum)
            source = stored.get("lang") if stored.get("lang") in CODES else None
            target = counterpart_language(source) if other_language else source
            if other_language and target is None:
                return []
            groups = []
            for surface, term in self._key_terms(view, stored):
                script = script_of(term)
                if target and script and script != target:
                    group = self._planner.translate(surface, term, script, target).terms
                else:
                    group = (term,)
                if group:
                    groups.append(q.TermGroup(tuple(group)))
            if not groups:
                return []
            scores, match = score(view, q.Seq(tuple(groups)))
            match[docnum] = False
            if target:
                match &= view.lang == LANG_CODES[target]
            docs = top(scores, match, limit)
            terms = highlighted_terms(q.Seq(tuple(groups)))
            return [self._hit(view, int(d), float(scores[d]), terms, True) for d in docs]

    def _key_terms(self, view, stored, count: int = 30) -> list[tuple[str, str]]:
        """(surface, term) of a document's most distinctive terms: tf-idf
        over title and body, title words counted twice."""
        text = (stored.get("title", "") + "\n") * 2 + stored.get("body", "")[:20000]
        tf: dict[str, int] = {}
        surface: dict[str, str] = {}
        for t in analyze(text):
            if "-" in t.text or len(t.text) < 2:
                continue
            tf[t.text] = tf.get(t.text, 0) + 1
            surface.setdefault(t.text, text[t.start:t.end])
        weights = {}
        for term, n in tf.items():
            df = view.doc_frequency("body", term) or 1
            weights[term] = (1 + np.log(n)) * np.log(view.n_live / df)
        best = sorted(weights, key=lambda t: (-weights[t], t))[:count]
        return [(surface[t], t) for t in best]

    def stats(self) -> dict:
        with self._lock:
            view = self._view_or_raise()
            gen = view.path
            manifest = read_manifest(gen)
            years = _count_years(view.year[view.live])
            live_days = view.days[view.live]
            size = sum(f.stat().st_size for f in gen.iterdir() if f.is_file())
            return {"documents": view.n_live, "languages": manifest.get("documents", {}),
                    "years": dict(sorted(years.items())), "undated": int((live_days < 0).sum()),
                    "built": manifest.get("built"), "corpus": manifest.get("corpus"),
                    "index_bytes": size, "generation": gen.name,
                    "skipped": manifest.get("skipped", [])}


def _date_bound(value, end: bool) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return q.parse_date_bound(str(value), end=end)


def _facets(view, for_lang: np.ndarray, for_year: np.ndarray) -> dict:
    names = {code: name for name, code in LANG_CODES.items()}
    langs = np.bincount(view.lang[for_lang], minlength=len(LANG_CODES))
    return {"lang": {names[i]: int(n) for i, n in enumerate(langs) if n},
            "year": dict(sorted(_count_years(view.year[for_year]).items(), reverse=True))}


def _count_years(years: np.ndarray) -> dict[str, int]:
    values, counts = np.unique(years[years > 0], return_counts=True)
    return {str(v): int(c) for v, c in zip(values, counts)}
