"""The Python API: one object that answers queries over one index directory.

A facade over the stages: parse the query (query.py), plan it for each
document language (translate/planner.py), rank each language's documents
and merge the lists (rank/), then filter, page, cut snippets and count
facets here. Results are cached per index generation.

    engine = Engine("indexes/corpus")
    result = engine.search("energy security", lang=None, limit=10)
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np

from search import query as q
from search import snippets
from search.analysis import terms_of
from search.index import wordtables
from search.index.arrays import LANG_CODES, days_of
from search.index.backend import IndexReader, open_generation
from search.index.duplicates import collapse, other_versions
from search.index.layout import NoIndex, OutdatedIndex, current_generation, read_manifest
from search.languages import CODES, OTHER, fold, script_of
from search.keyboard import candidate_words, retyped
from search.options import parse_search
from search.periods import counts_of, period_facets
from search.rank import merge
from search.rank.bm25f import score, top
from search.rank.plan import rank_plan
from search.related import similar_query, target_language
from search.results import Hit, SearchResult
from search.sources import Outlets
from search.semantic import CONFIDENT_COUNTERPART, SemanticChannel
from search.translate.planner import QueryPlanner, Side, highlighted_terms
from search.translate.vocabulary import IndexVocabulary

# Results kept per server worker, for popular queries and page changes: a
# cached result is ~29 KB (snippets and their fragments), 15 MB at 512.
RESULT_CACHE = 128


class Engine:
    def __init__(self, index_dir, lexicon_paths=(), semantic=False):
        self.index_dir = Path(index_dir)
        # The dense channel fused with the lexical ranking (search/semantic.py).
        self.semantic = SemanticChannel(self.index_dir) if semantic else None
        self.lexicon_paths = tuple(Path(p) for p in lexicon_paths)
        self._lock = threading.RLock()
        self._view = self._view_key = None
        self._planner = QueryPlanner(self.lexicon_paths, self._vocabulary)
        self._view_or_raise()  # opens the live generation and its caches

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
            self._outlets = None
            self._word_df = None
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

    def _outlets_of(self, view) -> Outlets:
        if self._outlets is None:
            self._outlets = Outlets(view)
        return self._outlets

    def _vocabulary(self, lang: str) -> IndexVocabulary:
        vocab = self._vocabularies.get(lang)
        if vocab is None:
            vocab = self._vocabularies[lang] = IndexVocabulary(self._view, lang)
        return vocab

    # -- search --------------------------------------------------------------

    def search(self, query: str, *, lang: str | None = None, since=None, until=None,
               sort: str = "relevance", page: int = 1, limit: int = 10,
               translate: bool = True, with_snippets: bool = True, suggest: bool = True,
               one_version: bool = True, as_typed: bool = False) -> SearchResult:
        """Ranked results; QueryError for a malformed query or bad option.
        With `one_version`, a story republished is one hit (the best-ranked
        version), listing the other versions that match; totals and facets
        count stories. A query typed in the wrong keyboard layout is searched
        as meant (keyboard.py), the query as typed in `typed`, unless `as_typed`.
        Results are cached per index generation: popular queries repeat."""
        started = time.perf_counter()
        key = (query, lang, str(since), str(until), sort, page, limit, translate, with_snippets, suggest,
               one_version, as_typed)
        with self._lock:
            view = self._view_or_raise()
            if self.semantic:
                key += (self.semantic.state(view.path),)
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return replace(cached, took_ms=round((time.perf_counter() - started) * 1000, 2))
            meant = None if as_typed else self._retyped(query)
        result = self._search(meant or query, lang=lang, since=since, until=until, sort=sort, page=page,
                              limit=limit, translate=translate, with_snippets=with_snippets,
                              suggest=suggest, one_version=one_version, started=started)
        if meant:
            result.typed = query
        with self._lock:
            self._results[key] = result
            if len(self._results) > RESULT_CACHE:
                self._results.popitem(last=False)
        return result

    def _search(self, query, *, lang, since, until, sort, page, limit, translate, with_snippets,
                suggest, one_version, started) -> SearchResult:
        parsed, langs, since, until = parse_search(query, lang, since, until, sort, page, limit)

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
            query_lang = script_of(" ".join([w.text for w in parsed.words] + [p.text for p in parsed.prefixes]))
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
                scores, match = merge.merge(lists, query_lang, view.size, view.stored)
            else:
                plan = self._planner.plan(parsed.root, Side(None, query_lang, report))
                if plan is not None:
                    scores, match = rank_plan(view, plan, lang_mask & date_mask & source_mask)
                    terms = highlighted_terms(plan)
                    side_terms = {code: terms for code in LANG_CODES.values()}

            if self.semantic and sort == "relevance":
                scores, match = self.semantic.fuse(view.path, query, parsed, scores, match,
                                                   lang_mask & date_mask & source_mask,
                                                   view.lang == LANG_CODES.get(query_lang, -1))
            hits_mask = match & lang_mask & date_mask & source_mask
            versions_mask = hits_mask
            # The version of a story shown: the best-ranked, or the newest by date.
            priority = None if not (one_version and view.shared.any()) \
                else view.days if sort == "date" or parsed.root is None else scores

            def one(mask):
                return mask if priority is None else collapse(mask, view.group, view.shared, priority)

            hits_mask = one(hits_mask)
            total = int(hits_mask.sum())
            facets = _facets(view, one(match & date_mask & source_mask))
            facets.update(period_facets(view, one(match & lang_mask & source_mask), since, until))
            facets["source"] = self._outlets_of(view).counts(one(match & lang_mask & date_mask))
            k = page * limit
            if sort == "date" or parsed.root is None:
                docs = np.flatnonzero(hits_mask)
                docs = docs[np.lexsort((-scores[docs], -view.days[docs]))][:k]
            else:
                docs = top(scores, hits_mask, k)
            docs = docs[(page - 1) * limit:]
            hits = [self._hit(view, int(d), float(scores[d]), side_terms.get(int(view.lang[d]), set()),
                              with_snippets) for d in docs]
            for d, hit in zip(docs, hits) if one_version else ():
                hit.versions = [view.stored(v)["id"] for v in other_versions(view, int(d), versions_mask)]
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
        return view.live & self._outlets_of(view).mask(sources)

    def versions(self, doc_id: str) -> list[Hit]:
        """The other versions of a document's story (near-duplicates), in index order."""
        with self._lock:
            view = self._view_or_raise()
            docnum = view.document_number(doc_id)
            return [] if docnum is None else [self._hit(view, d, 0.0, set(), False)
                                              for d in other_versions(view, docnum, view.live)]

    def _hit(self, view, docnum: int, score: float, terms: set[str], with_snippets: bool) -> Hit:
        stored = view.stored(docnum)
        pieces = snippets.fragments(stored.get("body", ""), terms) if with_snippets else []
        return Hit(id=stored["id"], **{f: stored.get(f, "") for f in ("title", "lang", "date", "source")},
                   url=stored.get("url") or "", score=round(score, 6), snippet=snippets.to_html(pieces),
                   fragments=pieces, title_derived=bool(stored.get("title_derived")))

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

                self._speller = Speller(view.word_table(wordtables.SPELLING))
            if lower in self._speller:
                continue
            fixed = self._speller.suggest(lower)
            if fixed:
                if text[:1].isupper():
                    fixed = fixed[:1].upper() + fixed[1:]
                corrected = corrected.replace(text, fixed, 1)
        return [corrected] if corrected != query else []

    def _retyped(self, query: str) -> str | None:
        """The query as meant when it was typed in the wrong keyboard layout
        (keyboard.py). Asked only when a word of it is in no document as
        typed: a plain query needs no surface-word counts."""
        def indexed(word):  # a stop word has no terms: no evidence either
            terms = terms_of(word)
            return not terms or any(self._view.doc_frequency(f, t) for t in terms for f in ("title", "body"))

        words = candidate_words(query)
        if all(indexed(w) for w in words):
            return None
        if self._word_df is None:
            self._word_df = self._view.word_table(wordtables.SURFACE)
        return retyped(query, self._word_df)

    # -- documents -----------------------------------------------------------

    def document(self, doc_id: str) -> dict | None:
        with self._lock:
            view = self._view_or_raise()
            docnum = view.document_number(doc_id)
            if docnum is None:
                return None
            doc = dict(view.stored(docnum))
            doc["title_derived"] = bool(doc.get("title_derived"))
            return doc

    def similar(self, doc_id: str, *, other_language: bool = False, limit: int = 10) -> list[Hit]:
        """Articles about the same story: its most distinctive words, as a
        query (translated for `other_language`: the counterpart lookup).
        Empty when the document is unknown. With the semantic channel, the
        counterpart is the nearest vector (score: the cosine)."""
        with self._lock:
            view = self._view_or_raise()
            docnum = view.document_number(doc_id)
            if docnum is None:
                return []
            stored = view.stored(docnum)
            target = target_language(stored, other_language)
            if other_language and target is None:
                return []
            if other_language and self.semantic:
                nearest = self.semantic.nearest(view.path, docnum, view.live & (view.lang == LANG_CODES[target]),
                                                limit)
                if nearest is not None:
                    return [self._hit(view, int(d), float(c), set(), True) for d, c in zip(*nearest)]
            groups = similar_query(view, stored, target, self._planner.translate)
            if not groups:
                return []
            scores, match = score(view, q.Seq(tuple(groups)))
            match[docnum] = False
            if target:
                match &= view.lang == LANG_CODES[target]
            docs = top(scores, match, limit)
            terms = highlighted_terms(q.Seq(tuple(groups)))
            return [self._hit(view, int(d), float(scores[d]), terms, True) for d in docs]

    def counterpart(self, doc_id: str) -> tuple[Hit | None, bool]:
        """The same story in the other language, and whether it is surely
        that (else it is only related): with the semantic channel, a cosine
        of CONFIDENT_COUNTERPART or more; the lexical lookup always was."""
        best = self.similar(doc_id, other_language=True, limit=1)
        if not best or not self.semantic:
            return (best or [None])[0], bool(best)
        with self._lock:
            view = self._view_or_raise()
            vectors = self.semantic.vectors(view.path)
            by_vector = vectors is not None and vectors.has[view.document_number(doc_id)]
        return best[0], not by_vector or best[0].score >= CONFIDENT_COUNTERPART

    def vector_progress(self) -> dict | None:
        """{documents, embedded} of the live generation when the semantic
        channel is on and its vector phase has started, else None."""
        if not self.semantic:
            return None
        with self._lock:
            return self.semantic.progress(self._view_or_raise().path)

    def stats(self) -> dict:
        with self._lock:
            view = self._view_or_raise()
            gen = view.path
            manifest = read_manifest(gen)
            years = view.year[view.live]
            live_days = view.days[view.live]
            size = sum(f.stat().st_size for f in gen.iterdir() if f.is_file())
            return {"documents": view.n_live, "languages": manifest.get("documents", {}),
                    "years": dict(sorted(counts_of(years[years > 0]).items())), "undated": int((live_days < 0).sum()),
                    "outlets": self._outlets_of(view).counts(view.live),
                    "built": manifest.get("built"), "corpus": manifest.get("corpus"),
                    "index_bytes": size, "generation": gen.name,
                    "skipped": manifest.get("skipped", []),
                    "vectors": self.vector_progress()}


def _facets(view, for_lang: np.ndarray) -> dict:
    names = {code: name for name, code in LANG_CODES.items()}
    langs = np.bincount(view.lang[for_lang], minlength=len(LANG_CODES))
    return {"lang": {names[i]: int(n) for i, n in enumerate(langs) if n}}
