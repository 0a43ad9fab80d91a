"""The Python API: one object that answers queries over one index directory.

It ties the stages together: parse the query, build one query tree per
document language (translating words written in the other script), rank
each language's documents with its own tree, merge the lists by
max-normalized score, then page, cut snippets and count facets.

    engine = Engine("indexes/corpus")
    result = engine.search("energy security", lang=None, limit=10)
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from search import query as q
from search import ranking, snippets
from search.analysis import analyze, script_of, terms_of
from search.generations import NoIndex, current_generation, read_manifest
from search.language import query_language
from search.lexicon import MAX_PHRASE_TERMS

SORTS = ("relevance", "date")
TRANSLATED_BEST = 0.999
# Merging languages: a side whose best article holds this share of the
# query's words or more counts fully (wmt-ru2en +0.10 MRR@10 where one
# Russian article sat among English ones; see README, Evaluation).
FULL_COVERAGE = 0.4
# ... and this share of the words the other side's best article holds
# (wmt-ru2en: a lone Russian article holding 2 of 5 words no longer ties
# English ones holding 4; chosen on the kit, see README, Evaluation).
RELATIVE_COVERAGE = 0.6
MAX_LIMIT = 1000
MAX_PAGE = 1000
RESULT_CACHE = 512


@dataclass
class Hit:
    id: str
    title: str
    lang: str
    date: str
    source: str
    url: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    fragments: list = field(default_factory=list, repr=False)  # (text, highlighted) pairs


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    hits: list[Hit]
    translations: list[dict]
    suggestions: list[str]
    facets: dict
    page: int = 1
    limit: int = 10

    def to_dict(self) -> dict:
        """JSON-ready data without the snippet fragments (the HTML snippet
        holds them). A copy: results are cached and shared between callers.
        Hits hold only strings and numbers, so they need no deep copy."""
        d = {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name != "hits"}
        d["hits"] = [{f.name: getattr(h, f.name) for f in _HIT_FIELDS} for h in self.hits]
        return d


_HIT_FIELDS = [f for f in fields(Hit) if f.name != "fragments"]


def _terms_by_position(text: str) -> list[tuple[str, str]]:
    """(surface, term) per word position; a compound's parts, not its whole."""
    out: dict[int, tuple[str, str]] = {}
    for t in analyze(text):
        out[t.pos] = (text[t.start:t.end], t.text)
    return [out[p] for p in sorted(out)]


@functools.lru_cache(maxsize=4096)
def _phrase_word(text: str) -> tuple[str, str] | None:
    """(surface, term) of a query word as a word of a lexicon phrase: a
    compound whole (военно-морского флота: военный-морской флот); the term
    is '' for a stop word; None for text of several words. Cached: a word
    is tried from every start of a phrase, on both languages' sides."""
    tokens = analyze(text)
    if not tokens:
        return text, ""
    first = tokens[0]
    if any(t.pos != first.pos for t in tokens) and \
            ("-" not in first.text or any(c.isalnum() for c in text[:first.start] + text[first.end:])):
        return None
    return text[first.start:first.end], first.text


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
        self._translator = None
        self._view_or_raise()

    # -- index generations -------------------------------------------------

    def _view_or_raise(self) -> ranking.IndexView:
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
                self._view = ranking.IndexView(gen)
            except ranking.OutdatedIndex:
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

    # -- translation ---------------------------------------------------------

    @property
    def translator(self):
        """The Translator, made on first use: a query in one script needs none."""
        from search import translation

        if self._translator is None:
            self._translator = translation.Translator(self.lexicon_paths)
        return self._translator

    def _translate(self, surface: str, term: str, source: str, target: str):
        return self.translator.translate(surface, term, source, self._vocabulary(target))

    def _vocabulary(self, lang: str) -> "_LanguageVocabulary":
        vocab = self._vocabularies.get(lang)
        if vocab is None:
            vocab = self._vocabularies[lang] = _LanguageVocabulary(self._view, lang)
        return vocab

    # -- query trees ---------------------------------------------------------

    def _tree(self, node, side: "_Side"):
        """The query tree for the documents of one language (`side.target`);
        words in the other script are translated. Target None: as written."""
        if node is None:
            return None
        if isinstance(node, q.Word):
            return self._word(node, side)
        if isinstance(node, q.Phrase):
            return self._phrase(node, side)
        if isinstance(node, (q.Not, q.Must)):
            inner = self._tree(node.item, side)
            return None if inner is None else type(node)(inner)
        trees = self._seq_trees(node.items, side) if isinstance(node, q.Seq) else \
            [self._tree(i, side) for i in node.items]
        items = tuple(x for x in trees if x is not None)
        if not items:
            return None
        if len(items) == 1 and not isinstance(items[0], (q.Not, q.Must)):
            return items[0]
        return type(node)(items)

    def _seq_trees(self, items, side: "_Side") -> list:
        """Trees of a sequence's items. Consecutive words that the lexicon
        lists as one phrase (North Korea: Северная Корея; железная дорога:
        railway) add the phrase's translations to each word's group: an
        article with the phrase then matches every word, and one that has
        the words apart still matches them (крупный масштаб is large-scale,
        and also "a larger scale")."""
        trees, i = [], 0
        while i < len(items):
            found = self._lexicon_phrase(items[i:], side)
            if found is None:
                trees.append(self._tree(items[i], side))
                i += 1
                continue
            phrase, script, used = found
            self._tell(phrase, phrase.source, script, side)  # before its words
            trees += [_with_terms(self._tree(item, side), tuple(phrase.terms)) for item in items[i:i + used]]
            i += used
        return trees

    def _lexicon_phrase(self, items, side: "_Side"):
        """(translation group, script, number of items) of the longest
        phrase the lexicon lists at the start of `items`: plain words of one
        script in one field, stop words allowed between them; None if there
        is none."""
        first = items[0]
        if side.target in (None, side.query_lang) or not isinstance(first, q.Word):
            return None
        script = script_of(first.text)
        if script in ("", side.target):
            return None
        surfaces, terms, candidates = [], [], []  # candidates: (items used, key)
        for used, item in enumerate(items, 1):
            if not isinstance(item, q.Word) or item.field != first.field or "[" in item.text \
                    or script_of(item.text) != script:
                break
            word = _phrase_word(item.text)
            if word is None or not word[1] and not terms:
                break  # not one word, or a leading stop word
            surfaces.append(word[0])
            if word[1]:
                terms.append(word[1])
                if len(terms) > 1:
                    candidates.append((used, " ".join(terms)))
                if len(terms) == MAX_PHRASE_TERMS:
                    break
        for used, key in reversed(candidates):
            surface = " ".join(surfaces[:used])
            group = self.translator.translate_phrase(surface, key, script, self._vocabulary(side.target))
            if group is not None:
                return group, script, used
        return None

    def _fields(self, node):
        return (node.field,) if node.field else ranking.TEXT_FIELDS

    def _word(self, node: q.Word, side: "_Side"):
        override = None
        if "[" in node.text:
            from search.translation import parse_override
            override = parse_override(node.text)
        surface = override[0] if override else node.text
        parts = _terms_by_position(surface)
        if not parts:
            return None
        fields = self._fields(node)
        script = script_of(surface)
        target = side.target
        if target is None or script in ("", target):
            terms = tuple(t for _, t in parts)
            return ranking.TermGroup(terms, fields) if len(terms) == 1 else ranking.PhraseGroup(terms, fields)
        if target == side.query_lang and not override and len(parts) == 1 \
                and parts[0][1] in self._vocabulary(target):
            # A Latin word in a Russian query (or the reverse) is a name or a
            # brand the articles print as written, like SOCAR: keep it so.
            return ranking.TermGroup((parts[0][1],), fields)
        if len(parts) > 1 and not override:
            group = self._compound(surface, script, fields, side)
            if group is not None:
                return group
        groups = []
        for piece, term in parts:
            text = node.text if override and len(parts) == 1 else piece
            groups.append(self._reported(self._translate(text, term, script, target), piece, term, script,
                                         fields, side))
        return groups[0] if len(groups) == 1 else q.Seq(tuple(groups))

    def _reported(self, group, word: str, term: str, script: str, fields, side: "_Side") -> ranking.TermGroup:
        """The translation group of a query word as a scored group, told to
        the user in the side's report."""
        self._tell(group, word, script, side)
        return ranking.TermGroup(tuple(group.terms), fields, self._weights(group, term, side.target))

    def _tell(self, group, word: str, script: str, side: "_Side") -> None:
        """Add a word's (or phrase's) translations to the side's report."""
        if "lexicon" in group.how.values():
            side.dictionary_words.update(word.lower().split(" "))
        side.report.append({"word": word, "from": script, "to": side.target,
                            "translations": list(group.display), "terms": list(group.terms)})

    def _compound(self, surface: str, script: str, fields, side: "_Side"):
        """A hyphenated word the dictionary lists whole (Нью-Йорк: New York,
        премьер-министр: prime minister) as one group, or None: its parts
        alone are other words (нью: nu) or none. A closed translation also
        matches the articles' hyphenated spelling (playoff: play-off)."""
        first = analyze(surface)[0]
        word, whole = surface[first.start:first.end], first.text
        group = self._translate(word, whole, script, side.target)
        hyphenated = self._vocabulary(side.target).hyphenated()
        for translation in self.translator.lexicon.translations(whole, script):
            for spelling in hyphenated.get(translation.term, ()):
                if spelling not in group.how:
                    group.terms.append(spelling)
                group.how[spelling] = "lexicon"  # also when a fuzzy guess found it first
                if translation.display not in group.display:
                    group.display.append(translation.display)
        if "lexicon" not in group.how.values():
            return None
        return self._reported(group, word, whole, script, fields, side)

    def _phrase(self, node: q.Phrase, side: "_Side"):
        text = " ".join(node.words)
        parts = _terms_by_position(text)
        if not parts:
            return None
        fields = self._fields(node)
        script = script_of(text)
        if side.target is None or script in ("", side.target):
            return ranking.PhraseGroup(tuple(t for _, t in parts), fields)
        # Word order does not survive translation: match the words, not the phrase.
        return self._tree(q.Seq(tuple(q.Word(s, node.field) for s, _ in parts)), side)

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
                if code not in q.LANGUAGES:
                    raise q.QueryError(f"unknown language {code!r}: use en, ru or other")
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
                lang_mask &= np.logical_or.reduce([view.lang == ranking.LANG_CODES.get(x, -1) for x in langs])
            date_mask = view.live.copy()
            if since:
                date_mask &= view.days >= ranking.days_of(since)
            if until:
                date_mask &= (view.days <= ranking.days_of(until)) & (view.days >= 0)
            source_mask = self._source_mask(view, parsed.sources)

            report: list[dict] = []
            dictionary_words: set[str] = set()
            query_lang = query_language(" ".join(w.text for w in parsed.words))
            side_terms: dict[int, set[str]] = {}
            scores = np.zeros(view.size, np.float32)
            match = np.zeros(view.size, bool)
            if parsed.root is None:
                match = view.live.copy()
            elif translate:
                other = view.lang == ranking.LANG_CODES["other"]
                sides = []  # (name, scores, matches, best score, coverage of the best)
                for name in ("en", "ru"):
                    own = view.lang == ranking.LANG_CODES[name]
                    if not own.any():
                        continue
                    # Articles in no known language are read in both and
                    # keep their better score, but never set a side's best.
                    in_side = own | other
                    # A side the language filter excludes still counts in the
                    # facets, but its translations are not the user's concern.
                    told = report if (in_side & lang_mask).any() else []
                    tree = self._tree(parsed.root, _Side(name, query_lang, told, dictionary_words))
                    if tree is None:
                        continue
                    s, m = ranking.evaluate(view, tree)
                    m &= in_side
                    shown = m & lang_mask & date_mask & source_mask
                    s = self._with_proximity(view, tree, s, shown)
                    top = float(s[shown & own].max(initial=0.0)) or float(s[shown].max(initial=0.0))
                    covered = ranking.coverage(view, tree, int(ranking.top(s, shown, 1)[0])) if top > 0 else 0.0
                    sides.append((name, s, m, top, covered))
                    terms = _tree_terms(tree)
                    side_terms[ranking.LANG_CODES[name]] = terms
                    side_terms[ranking.LANG_CODES["other"]] = side_terms.get(ranking.LANG_CODES["other"], set()) | terms
                # Each language's best is 1, unless it holds few of the query's
                # words, absolutely (one shared name) or next to the other
                # language's best; on a tie the query's own language goes first.
                full = max([FULL_COVERAGE] + [RELATIVE_COVERAGE * covered for *_, covered in sides])
                for name, s, m, top, covered in sides:
                    if top > 0:
                        confidence = min(1.0, covered / full)
                        s = s / top * confidence * (1.0 if name == query_lang else TRANSLATED_BEST)
                    scores = np.where(m, np.maximum(scores, s), scores)
                    match |= m
            else:
                tree = self._tree(parsed.root, _Side(None, query_lang, report))
                if tree is not None:
                    scores, match = ranking.evaluate(view, tree)
                    scores = self._with_proximity(view, tree, scores, match & lang_mask & date_mask & source_mask)
                    terms = _tree_terms(tree)
                    side_terms = {code: terms for code in ranking.LANG_CODES.values()}

            hits_mask = match & lang_mask & date_mask & source_mask
            total = int(hits_mask.sum())
            facets = _facets(view, match & date_mask & source_mask, match & lang_mask & source_mask)
            k = page * limit
            if sort == "date" or parsed.root is None:
                docs = np.flatnonzero(hits_mask)
                docs = docs[np.lexsort((-scores[docs], -view.days[docs]))][:k]
            else:
                docs = ranking.top(scores, hits_mask, k)
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

    def _with_proximity(self, view, tree, scores, candidates):
        best = ranking.top(scores, candidates, ranking.PROXIMITY_DEPTH)
        bonus = ranking.proximity(view, ranking.groups_of(tree), best)
        if bonus.any():
            scores = scores.copy()
            scores[best] += ranking.PROXIMITY_WEIGHT * bonus
        return scores

    def _weights(self, group, source_term: str, target: str) -> tuple[float, ...]:
        """Per-term weights of a translation group: a dictionary translation
        counts sqrt(p) of its occurrences, p being the share of its
        dictionary senses, translated back, that give the query word (раз:
        one, time, once, ... one sense each; точка: point in 3 of 12).
        With one sense per pair that is 1/sqrt(number of back-translations)
        (+0.003-0.005 nDCG@10 on xquad-en2ru/ru2en); counting senses added
        +0.005 xquad-en2ru, +0.002 xquad-ru2en. Names and words kept as
        written count fully."""
        lexicon = self.translator.lexicon
        weights = []
        for term in group.terms:
            if group.how.get(term) in ("lexicon", "prefix"):
                back = lexicon.translations(term, target)
                own = next((t.senses for t in back if t.term == source_term), 1)
                senses = sum(t.senses for t in back)
                weights.append(math.sqrt(min(1.0, own / senses)) if senses else 1.0)
            else:
                weights.append(1.0)
        return tuple(weights)

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
            lower = text.lower().replace("ё", "е")
            if len(lower) < 4 or not lower.isalpha() or text.lower() in dictionary_words:
                continue
            # A stop word, or another form of a word the corpus has (Шахбазов
            # for Шахбазова), is no typo.
            terms = terms_of(text)
            if not terms or any(view.doc_frequency(f, t) for t in terms for f in ("title", "body")):
                continue
            if self._speller is None:
                from search.spelling import Speller

                self._speller = Speller(view.word_df())
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
            docnum = view.searcher.document_number(id=doc_id)
            if docnum is None:
                return None
            return dict(view.stored(docnum))

    def similar(self, doc_id: str, *, other_language: bool = False, limit: int = 10) -> list[Hit]:
        """Articles about the same story: its most distinctive words, as a
        query (translated for `other_language`: the counterpart lookup).
        Empty when the document is unknown."""
        with self._lock:
            view = self._view_or_raise()
            docnum = view.searcher.document_number(id=doc_id)
            if docnum is None:
                return []
            stored = view.stored(docnum)
            source = stored.get("lang") if stored.get("lang") in ("en", "ru") else None
            target = {"en": "ru", "ru": "en"}.get(source) if other_language else source
            if other_language and target is None:
                return []
            groups = []
            for surface, term in self._key_terms(view, stored):
                script = script_of(term)
                if target and script and script != target:
                    group = self._translate(surface, term, script, target).terms
                else:
                    group = (term,)
                if group:
                    groups.append(ranking.TermGroup(tuple(group)))
            if not groups:
                return []
            scores, match = ranking.evaluate(view, q.Seq(tuple(groups)))
            match[docnum] = False
            if target:
                match &= view.lang == ranking.LANG_CODES[target]
            docs = ranking.top(scores, match, limit)
            terms = _tree_terms(q.Seq(tuple(groups)))
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


@dataclass
class _Side:
    """What a query tree is built for: the document language (None: no
    translation), the query's own language, where translations are told,
    and where the words that the lexicon translated into the corpus go
    (lower-cased; they are no typos)."""
    target: str | None
    query_lang: str
    report: list
    dictionary_words: set = field(default_factory=set)


class _LanguageVocabulary:
    """The translation Vocabulary of one document language: a term is in it
    when documents of that language contain it (SOCAR in Latin in Russian
    articles counts for Russian); fuzzy matching runs over the index terms
    in that language's script."""

    def __init__(self, view: ranking.IndexView, lang: str):
        self.view = view
        self.lang = lang
        self._in_language = view.lang == ranking.LANG_CODES[lang]
        self._df: dict[str, int] = {}
        self._script_terms = None
        self._hyphenated = None

    def df(self, term: str) -> int:
        found = self._df.get(term)
        if found is None:
            found = self._df[term] = ranking.union_df(self.view, (term,), self._in_language)
        return found

    def __contains__(self, term: str) -> bool:
        return self.df(term) > 0

    def hyphenated(self) -> dict[str, list[str]]:
        """The hyphenated compounds among the index terms in this language's
        script, by their spelling without hyphens (playoff: [play-off])."""
        if self._hyphenated is None:
            self._hyphenated = {}
            for term in self.view.body_terms(self.lang):
                if "-" in term:
                    self._hyphenated.setdefault(term.replace("-", ""), []).append(term)
        return self._hyphenated

    def similar(self, term: str, min_similarity: float | None = None) -> list[str]:
        from rapidfuzz.fuzz import ratio

        from search.translation import MIN_SIMILARITY, TermVocabulary

        if self._script_terms is None:
            self._script_terms = TermVocabulary(
                dict.fromkeys(self.view.body_terms(self.lang), 0))
        # Equally similar terms: the more frequent first.
        found = self._script_terms.similar(term, min_similarity or MIN_SIMILARITY)
        return sorted(found, key=lambda t: (-ratio(term, t), -self.df(t)))


def _date_bound(value, end: bool) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return q.parse_date_bound(str(value), end=end)


def _with_terms(tree, terms: tuple[str, ...]):
    """A word's tree with a phrase's translations added to each of its
    groups, at full weight; None (a stop word) stays None."""
    if isinstance(tree, ranking.TermGroup):
        extra = tuple(t for t in terms if t not in tree.terms)
        weights = tree.weights or (1.0,) * len(tree.terms)
        return ranking.TermGroup(tree.terms + extra, tree.fields, weights + (1.0,) * len(extra))
    if isinstance(tree, q.Seq):  # a compound's parts
        return q.Seq(tuple(_with_terms(item, terms) for item in tree.items))
    return tree


def _tree_terms(node) -> set[str]:
    if isinstance(node, (ranking.TermGroup, ranking.PhraseGroup)):
        # A phrase translation's words, to be highlighted where it matched.
        return {word for term in node.terms for word in term.split(" ")}
    if isinstance(node, q.Not):
        return set()
    if isinstance(node, q.Must):
        return _tree_terms(node.item)
    out = set()
    for item in node.items:
        out |= _tree_terms(item)
    return out


def _facets(view, for_lang: np.ndarray, for_year: np.ndarray) -> dict:
    names = {code: name for name, code in ranking.LANG_CODES.items()}
    langs = np.bincount(view.lang[for_lang], minlength=3)
    return {"lang": {names[i]: int(n) for i, n in enumerate(langs) if n},
            "year": dict(sorted(_count_years(view.year[for_year]).items(), reverse=True))}


def _count_years(years: np.ndarray) -> dict[str, int]:
    values, counts = np.unique(years[years > 0], return_counts=True)
    return {str(v): int(c) for v, c in zip(values, counts)}
