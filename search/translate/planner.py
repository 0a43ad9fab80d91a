"""The query planner: a parsed query -> the plan for one document language.

A word written in the other language's script is translated into a group
of that language's index terms (translator.py), scored as one term; words
that the lexicon lists together as a phrase add the phrase's translations;
a hyphenated compound the lexicon lists whole is translated whole, and so is
a word made with a productive prefix (prefixes.py). What was translated,
and how, is told in a report the user sees.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from search import query as q
from search.analysis import analyze, terms_of
from search.index.layout import TEXT_FIELDS
from search.languages import script_of
from search.query import PhraseGroup, TermGroup
from search.translate import prefixes, widening
from search.translate.lexicon import MAX_PHRASE_TERMS
from search.translate.places import place_adjectives
from search.translate.proper import name_reading


@dataclass
class Side:
    """What a query tree is built for: the document language (None: no
    translation), the query's own language, where translations are told,
    and where the words that the lexicon translated into the corpus go
    (lower-cased; they are no typos)."""
    target: str | None
    query_lang: str
    report: list
    dictionary_words: set = field(default_factory=set)
    first_word: object = None  # the query's first Word node, set by plan()



def _terms_by_position(text: str) -> list[tuple[str, str]]:
    """(surface, term) per word position; a compound's parts, not its whole."""
    out: dict[int, tuple[str, str]] = {}
    for t in analyze(text):
        out[t.pos] = (text[t.start:t.end], t.text)
    return [out[p] for p in sorted(out)]


@functools.lru_cache(maxsize=1024)
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


class QueryPlanner:
    """Plans over one index generation: `vocabulary(lang)` is the
    translation Vocabulary of that generation's documents in `lang`."""

    def __init__(self, lexicon_paths: tuple[Path, ...], vocabulary: Callable):
        self.lexicon_paths = lexicon_paths
        self.vocabulary = vocabulary
        self._translator = None

    @property
    def translator(self):
        """The Translator, made on first use: a query in one script needs
        none, nor the import of its fuzzy matching."""
        from search.translate.translator import Translator

        if self._translator is None:
            self._translator = Translator(self.lexicon_paths)
        return self._translator

    def translate(self, surface: str, term: str, source: str, target: str, sentence_start: bool = False):
        """The translator's group of one word, widened (widening.py)."""
        from search.translate.translator import group_of

        vocabulary = self.vocabulary(target)
        lexicon = self.translator.lexicon
        group = self.translator.translate(surface, term, source, vocabulary, sentence_start)
        if source == "ru" and set(group.how.values()) <= {"fuzzy", "prefix"}:
            # Guessed or nothing: a prefixed word the lexicon lacks
            # (антиправительственный) may be the prefix and a known word.
            found = widening.prefixed(term, vocabulary, lexicon)
            group = group_of(surface, found) if found else group
        # A capitalised word's other readings and adjectives are a name's (the
        # adjectives of capitalised words too: short-en2ru +0.0043, names-en2ru -0.0007).
        common = surface[:1].islower()
        more = widening.other_readings(surface, term, source, vocabulary, lexicon) if common else []
        if source == "en" and "lexicon" in group.how.values():
            nouns = [t for t, how in group.how.items() if how == "lexicon"]
            more += widening.relational_adjectives(nouns, term, vocabulary, lexicon) if common else []
            more += widening.loanwords(surface, vocabulary)
        for candidate in more:
            group.add(*candidate)
        return group

    def plan(self, node, side: Side):
        """The plan for the documents of one language (`side.target`): a
        parsed tree with TermGroup and PhraseGroup leaves; words in the
        other script are translated. Target None: as written."""
        if node is None:
            return None
        if side.first_word is None:
            side.first_word = _first_word(node)
        if isinstance(node, q.Word):
            return self._word(node, side)
        if isinstance(node, q.Phrase):
            return self._phrase(node, side)
        if isinstance(node, q.Prefix):
            return self._prefix(node, side)
        if isinstance(node, (q.Not, q.Must)):
            inner = self.plan(node.item, side)
            return None if inner is None else type(node)(inner)
        trees = self._seq_trees(node.items, side) if isinstance(node, q.Seq) else \
            [self.plan(i, side) for i in node.items]
        items = tuple(x for x in trees if x is not None)
        if not items:
            return None
        if len(items) == 1 and not isinstance(items[0], (q.Not, q.Must)):
            return items[0]
        return type(node)(items)

    def _seq_trees(self, items, side: Side) -> list:
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
                trees.append(self.plan(items[i], side))
                i += 1
                continue
            phrase, script, used = found
            self._tell(phrase, phrase.source, script, side)  # before its words
            trees += [_with_terms(self.plan(item, side), tuple(phrase.terms)) for item in items[i:i + used]]
            i += used
        return trees

    def _lexicon_phrase(self, items, side: Side):
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
            group = self.translator.translate_phrase(surface, key, script, self.vocabulary(side.target))
            if group is not None:
                return group, script, used
        return None

    @staticmethod
    def _fields(node):
        return (node.field,) if node.field else TEXT_FIELDS

    def _word(self, node: q.Word, side: Side):
        override = None
        if "[" in node.text:
            from search.translate.translator import parse_override
            override = parse_override(node.text)
        surface = override[0] if override else node.text
        parts = _terms_by_position(surface)
        fields = self._fields(node)
        script = script_of(surface)
        target = side.target
        if not parts and target not in (None, script) and self.translator.lexicon.exact(surface, script):
            parts = [(surface, surface.lower())]  # an acronym spelled like a stop word: WHO
        if not parts:
            return None
        if target is None or script in ("", target):
            terms = tuple(t for _, t in parts)
            if len(terms) > 1:
                return PhraseGroup(terms, fields)
            if target == "ru" and surface[:1].isupper():
                # A place also finds its adjective: Карабах, «карабахских».
                terms += place_adjectives(terms[0], self.vocabulary(target))
            if target is not None and surface[:1].isupper() and node is not side.first_word:
                # Хёсон Ли: the name, not the particle; a query's first word
                # may be capitalised only for its place.
                name = name_reading(surface, terms[0], self.vocabulary(target))
                terms = (name,) if name else terms
            return TermGroup(terms, fields)
        if target == side.query_lang and not override and len(parts) == 1 \
                and parts[0][1] in self.vocabulary(target):
            # A Latin word in a Russian query (or the reverse) is a name or a
            # brand the articles print as written, like SOCAR: keep it so.
            return TermGroup((parts[0][1],), fields)
        if len(parts) > 1 and not override:
            group = (self._compound(surface, script, fields, side)
                     or self._english_prefixed(surface, parts, script, fields, side))
            if group is not None:
                return group
        groups = []
        for i, (piece, term) in enumerate(parts):
            text = node.text if override and len(parts) == 1 else piece
            first = i == 0 and node is side.first_word
            groups.append(self._reported(self.translate(text, term, script, target, first), piece, term, script,
                                         fields, side))
        return groups[0] if len(groups) == 1 else q.Seq(tuple(groups))

    def _reported(self, group, word: str, term: str, script: str, fields, side: Side) -> TermGroup:
        """The translation group of a query word as a scored group, told to
        the user in the side's report."""
        self._tell(group, word, script, side)
        return TermGroup(tuple(group.terms), fields, translation_weights(group, term, side.target, self.translator.lexicon))

    def _tell(self, group, word: str, script: str, side: Side) -> None:
        """Add a word's (or phrase's) translations to the side's report."""
        if "lexicon" in group.how.values():
            side.dictionary_words.update(word.lower().split(" "))
        side.report.append({"word": word, "from": script, "to": side.target,
                            "translations": list(group.display), "terms": list(group.terms)})

    def _compound(self, surface: str, script: str, fields, side: Side):
        """A hyphenated word the dictionary lists whole (Нью-Йорк: New York,
        премьер-министр: prime minister) as one group, or None: its parts
        alone are other words (нью: nu) or none. A closed translation also
        matches the articles' hyphenated spelling (playoff: play-off)."""
        first = analyze(surface)[0]
        word, whole = surface[first.start:first.end], first.text
        group = self.translate(word, whole, script, side.target)
        vocabulary = self.vocabulary(side.target)
        for translation in self.translator.lexicon.translations(whole, script):
            for spelling in vocabulary.hyphenated(translation.term):
                if spelling not in group.how:
                    group.terms.append(spelling)
                group.how[spelling] = "lexicon"  # also when a fuzzy guess found it first
                if translation.display not in group.display:
                    group.display.append(translation.display)
        if "lexicon" not in group.how.values():
            return None
        return self._reported(group, word, whole, script, fields, side)

    def _english_prefixed(self, surface: str, parts, script: str, fields, side: Side):
        """A hyphenated English word whose (surface, term) `parts` are a prefix
        and a word (anti-corruption), as the Russian words of the prefix's
        counterpart and the word's translations' root (антикоррупционный);
        None when the index holds no such word."""
        if script != "en" or len(parts) != 2 or parts[0][0].lower() not in prefixes.PREFIXES.keys() - prefixes.CLOSED:
            return None
        (prefix, _), (_, term) = parts
        from search.translate.translator import group_of

        vocabulary = self.vocabulary(side.target)
        translations = [t for t in self.translator.lexicon.translations(term, script)
                        if all(w in vocabulary for w in t.term.split(" "))]
        found = prefixes.russian_compounds(prefix.lower(), [t.term for t in translations], vocabulary)
        if not found:
            return None
        group = group_of(surface, [(t, t, "prefixed") for t in found])
        return self._reported(group, surface, term, script, fields, side)

    def _prefix(self, node: q.Prefix, side: Side):
        """The words of the corpus that start with the prefix, in its
        script, as one group (never translated: Gazp* is no word); told in
        the report as an expansion, the same on each language's side."""
        script = script_of(node.text)
        words = self.vocabulary(script).words_starting(node.text) if script else []
        terms = tuple(dict.fromkeys(t for w in words for t in terms_of(w)))
        side.report.append({"word": node.text + "*", "from": script, "to": script,
                            "translations": words, "terms": list(terms), "expansion": True})
        return TermGroup(terms, self._fields(node)) if terms else None

    def _phrase(self, node: q.Phrase, side: Side):
        text = " ".join(node.words)
        parts = _terms_by_position(text)
        if not parts:
            return None
        fields = self._fields(node)
        script = script_of(text)
        if side.target is None or script in ("", side.target):
            return PhraseGroup(tuple(t for _, t in parts), fields)
        # Word order does not survive translation: match the words, not the phrase.
        return self.plan(q.Seq(tuple(q.Word(s, node.field) for s, _ in parts)), side)



def _with_terms(tree, terms: tuple[str, ...]):
    """A word's tree with a phrase's translations added to each of its
    groups, at full weight; None (a stop word) stays None."""
    if isinstance(tree, TermGroup):
        extra = tuple(t for t in terms if t not in tree.terms)
        weights = tree.weights or (1.0,) * len(tree.terms)
        return TermGroup(tree.terms + extra, tree.fields, weights + (1.0,) * len(extra))
    if isinstance(tree, q.Seq):  # a compound's parts
        return q.Seq(tuple(_with_terms(item, terms) for item in tree.items))
    return tree


def _first_word(node):
    """The leftmost Word of a query tree, or False for none."""
    if isinstance(node, q.Word):
        return node
    for item in getattr(node, "items", ()) or ((node.item,) if hasattr(node, "item") else ()):
        found = _first_word(item)
        if found:
            return found
    return False


def highlighted_terms(node) -> set[str]:
    if isinstance(node, (TermGroup, PhraseGroup)):
        # A phrase translation's words, to be highlighted where it matched.
        return {word for term in node.terms for word in term.split(" ")}
    if isinstance(node, q.Not):
        return set()
    if isinstance(node, q.Must):
        return highlighted_terms(node.item)
    out = set()
    for item in node.items:
        out |= highlighted_terms(item)
    return out


def translation_weights(group, source_term: str, target: str, lexicon) -> tuple[float, ...]:
    """Per-term weights of a translation group: a dictionary translation
    counts sqrt(p) of its occurrences, p being the share of its
    dictionary senses, translated back, that give the query word (раз:
    one, time, once, ... one sense each; точка: point in 3 of 12).
    With one sense per pair that is 1/sqrt(number of back-translations)
    (+0.003-0.005 nDCG@10 on xquad-en2ru/ru2en); counting senses added
    +0.005 xquad-en2ru, +0.002 xquad-ru2en. Names and words kept as
    written count fully."""
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
