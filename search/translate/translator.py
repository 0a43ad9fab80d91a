"""Translation of one query word into a group of index terms of the other language.

All translations of a word form one group, which the engine scores as if it
were one term (summed tf, df over the union), so a word with twelve
translations does not outweigh a word with one. A translation that does not
occur in the target index cannot match anything and is left out. A term of
several words ("железный дорога") is a phrase, to be matched as one.

Attempts, per shared/notes/crosslang.md, in order of trust:
  0. glossary: an acronym the project's glossary lists (ФРС, WHO) takes its
     translations there and nothing else;
  1. passthrough: the term itself, if the target index has it (numbers,
     names and acronyms written in Latin in Russian text, such as SOCAR);
  2. lexicon: all its translations, not the top few; a function word
     (более -> more) stops here, with nothing to translate; a comparative
     the lexicon lacks takes its adjective's (higher -> высокий);
  3. transliteration: the word read as a name, for a word the lexicon cannot
     translate, or a capitalized one (Manning, Tesla), and also as a
     loanword for the former (цитотоксический -> cytotoxic); when no
     spelling is an index term, the index terms that sound like it are
     taken (phonetic.py: Венгер -> wenger), else the closest ones (fuzzy); a
     Chinese name is also spelled by syllable (pinyin.py), matched exactly;
  3b. place: a Russian place adjective the lexicon lacks is translated as its
     place (гонконгский: Hong Kong), and a place in Russian also matches its
     adjective (Irkutsk: Иркутск, иркутский), see places.py;
  4. prefix: the translations of the word it is derived from, its longest
     known prefix, for a word nothing above matched (inflationary -> инфляция).
Users adjust a group by typing `word[+extra,-dropped]` (see parse_override).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Protocol

from rapidfuzz import fuzz, process

from search.analysis import terms_of
from search.index.wordtables import bucket, similar_table, sound_table
from search.languages import english, fold, phonetic, russian, script_of
from search.translate import places, proper
from search.translate.lexicon import Lexicon, index_phrase, loaded, shipped
from search.translate.transliteration import chinese_terms, loanword_terms, transliterated_terms
from search.wordgroups import WordGroups

# Similarity (rapidfuzz ratio, 0-100) of a transliterated name to an index term.
MIN_SIMILARITY = 80
# Closest index terms kept per transliterated spelling.
FUZZY_MATCHES = 2
# Shorter spellings must match exactly: one edit in three letters is
# already another word (UK -> ак -> акт).
MIN_FUZZY_LENGTH = 4
# A term that sounds like a name (same phonetic key) must also be this
# similar (rapidfuzz ratio) to one of its spellings, as a key of two or three
# consonants is shared by many words: at 60, Tallinn found эталонный and the
# short check's short-ru2en fell to 0.920 (0.925 at 75); 70 keeps Гринспен:
# greenspan (70.6) at 0.928.
MIN_SOUND_SIMILARITY = 70
# A second sound match is kept only this close to the best (Меган: megan and
# meghan, Беннет: bennett but not bent); no change on the short check.
SOUND_MARGIN = 10
# A lower-case English word the dictionary knows, of at most this many
# letters, gets no lookalike (fuzzy) guess when its translations are not in
# the index: xquad-en2ru +0.0003 (one topic), short check unchanged; for
# Russian words it cost xquad-ru2en 0.0008, so they keep theirs.
SHORT_WORD = 5


class Vocabulary(Protocol):
    """The target index's terms (of the body field) with document frequency."""

    def __contains__(self, term: str) -> bool: ...

    def df(self, term: str) -> int:
        """Number of documents with the term; 0 if absent."""

    def similar(self, term: str, min_similarity: float = MIN_SIMILARITY) -> list[str]:
        """Index terms whose rapidfuzz ratio to `term` is at least
        min_similarity, most similar first (then most frequent)."""

    def sounding(self, key: str) -> list[str]:
        """Index terms of the vocabulary's script with this sound key (phonetic.key)."""


class SimilarTerms:
    """Terms for fuzzy lookup: a term is compared only with those of the
    same first letter and a length that can reach the similarity, so a
    300k-term vocabulary is searched in buckets of a few hundred terms
    (`buckets`: the terms grouped by wordtables.similar_key)."""

    def __init__(self, buckets: WordGroups):
        self._buckets = buckets

    def scored(self, term: str, min_similarity: float = MIN_SIMILARITY) -> list[tuple[str, float]]:
        """(term, rapidfuzz ratio) of the terms at least min_similarity
        similar, shortest first, each length in the order given."""
        # ratio = 2*matches/(len1+len2), so lengths too far apart cannot reach it.
        n, s = len(term), min_similarity
        shortest = math.ceil(n * s / (200 - s))
        longest = math.floor(n * (200 - s) / s)
        scored = []
        for length in range(shortest, longest + 1):
            terms = self._buckets.group(bucket(term[:1], length))
            if terms:
                scored += [(found, score) for found, score, _ in
                           process.extract(term, terms, scorer=fuzz.ratio, score_cutoff=s, limit=None)]
        return scored


class TermVocabulary(dict[str, int]):
    """In-memory Vocabulary: term -> document frequency. Read-only once built."""

    def __init__(self, dfs: dict[str, int]):
        super().__init__(dfs)
        self._similar = SimilarTerms(similar_table(self))
        self._sounds = sound_table(self)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> TermVocabulary:
        dfs: Counter[str] = Counter()
        for text in texts:
            dfs.update(set(terms_of(text)))
        return cls(dfs)

    def df(self, term: str) -> int:
        return self.get(term, 0)

    def similar(self, term: str, min_similarity: float = MIN_SIMILARITY) -> list[str]:
        scored = self._similar.scored(term, min_similarity)
        scored.sort(key=lambda m: (-m[1], -self.df(m[0])))
        return [m[0] for m in scored]

    def sounding(self, key: str) -> list[str]:
        return self._sounds.group(key)


@dataclass
class Group:
    """The translations of one query word: the engine ORs `terms` as one term."""

    source: str  # the query word as typed
    terms: list[str] = field(default_factory=list)  # target index terms
    display: list[str] = field(default_factory=list)  # words shown to the user
    how: dict[str, str] = field(default_factory=dict)  # term -> its step: glossary, lexicon, sound, ...

    def add(self, term: str, display: str, how: str) -> None:
        """A candidate after those before: a term found twice keeps its first, more trusted, source."""
        if term not in self.how:
            self.terms.append(term)
            self.how[term] = how
            if display not in self.display:
                self.display.append(display)


_OVERRIDE = re.compile(r"(?P<word>[^\[\]]+)\[(?P<changes>[^\[\]]*)\]")


def parse_override(token: str) -> tuple[str, list[str], list[str]] | None:
    """'oil[+нефтепродукт,-масло]' -> ('oil', ['нефтепродукт'], ['масло']);
    None when the token has no bracket suffix. A change without a sign adds."""
    m = _OVERRIDE.fullmatch(token.strip())
    if m is None:
        return None
    add, drop = [], []
    for change in m["changes"].split(","):
        word = change.strip().lstrip("+-").strip()
        if word:
            (drop if change.strip().startswith("-") else add).append(word)
    return m["word"].strip(), add, drop


def translate(surface: str, term: str, source_lang: str, vocabulary: Vocabulary, *,
              lexicon: Lexicon | None = None, sentence_start: bool = False) -> Group:
    """The translation group of one analyzed query word.

    `surface` is the word as typed, possibly with a user's override
    (`oil[+нефтепродукт,-масло]`, see parse_override): added words are
    analyzed like index text and kept even if the index lacks them; dropped
    ones are removed by display word or by term. `term` is the word's index
    term in `source_lang` ('en' or 'ru'); `vocabulary` is the index of the
    other language; `lexicon` defaults to the shipped one. A word at
    `sentence_start` may be capitalised only for its place.
    """
    add, drop = [], []
    override = parse_override(surface)
    if override:
        surface, add, drop = override
    lexicon = lexicon or shipped()
    found = []  # (term, display, how), most trusted first
    if term in vocabulary:
        found.append((term, surface, "passthrough"))
    # An acronym the glossary lists (ФРС, WHO) means only what it lists.
    exact = [(t.term, t.display, "glossary") for t in lexicon.exact(surface, source_lang)
             if all(word in vocabulary for word in t.term.split(" "))]
    if exact:
        found += exact
    elif not lexicon.is_function_word(term, source_lang):
        known_as_written = lexicon.knows(fold(surface) if source_lang == "en" else term, source_lang)
        # A headword of its own (starter) is no comparative (of start).
        known = known_as_written or source_lang == "en" and any(
            lexicon.knows(b, "en") for b in english.comparative_bases(fold(surface)))
        # A query's first word, capitalised for its place, is no name when
        # the dictionary knows it (Issues: not Иисус by sound).
        capitalised = surface[:1].isupper() and not (sentence_start and known)
        translated = _from_lexicon(term, source_lang, vocabulary, lexicon, "lexicon")
        # English names are spelled from the surface ("Jared", not "jare"),
        # Russian ones from the lemma, whose case ending is already gone.
        name = surface if source_lang == "en" else term
        if translated and capitalised and not sentence_start and not known and source_lang == "en" \
                and not lexicon.knows(fold(surface), "en", names=True):
            # A capitalised word in mid-sentence that the dictionary knows
            # only by its stem is a name (Manning: not man) when the index has one.
            translated = _as_name(name, vocabulary, fuzzy=False, by_sound=_sounds_like_a_name(surface)) or translated
        if not translated and source_lang == "ru":
            translated = _from_place_name(term, vocabulary, lexicon)
        if not translated and source_lang == "en" and not capitalised and not known_as_written:
            translated = _from_comparative(fold(surface), vocabulary, lexicon)
        if not translated and source_lang == "en" and not capitalised and not lexicon.translations(term, "en"):
            translated = _from_singular(fold(surface), vocabulary, lexicon)
        if not translated:
            # A short common word's lookalikes are other words.
            fuzzy = capitalised or not known_as_written or len(surface) > SHORT_WORD or source_lang == "ru"
            translated = _as_name(name, vocabulary, fuzzy=fuzzy, by_sound=capitalised and _sounds_like_a_name(surface))
            if source_lang == "ru" and capitalised and all(f[2] == "fuzzy" for f in translated):
                # A guessed lemma may be a wrong gender's (Гослингу: гослинга):
                # another noun reading spelled exactly beats lookalikes.
                exact = [f for form in _noun_forms(surface, term) for f in _as_name(form, vocabulary, fuzzy=False)]
                translated = exact or translated
        elif surface[:1].isupper():
            # A capitalized word may also be a name (Manning, Tesla); as the
            # lexicon knows it as a word, only an exact spelling counts.
            translated += _as_name(name, vocabulary, fuzzy=False)
            for form in _name_forms(surface, term) if source_lang == "ru" else ():
                translated += _as_name(form, vocabulary, fuzzy=False, by_sound=_sounds_like_a_name(surface))
        base = None if translated or found else lexicon.derived_from(term, source_lang)
        if base:
            # The weakest guess, so only for a word nothing else matched.
            translated = _from_lexicon(base, source_lang, vocabulary, lexicon, "prefix")
        found += translated
    if source_lang == "en":
        # The lexicon's places count even when the index lacks them: an
        # article may name Toronto only as «торонтская биржа».
        places_of = found + [(t.term, t.display, "lexicon") for t in lexicon.translations(term, source_lang)]
        found += _place_adjectives(places_of, vocabulary)

    dropped = {d.lower() for d in drop} | {index_phrase(d) for d in drop}
    found = [f for f in found if f[0] not in dropped and f[1].lower() not in dropped]
    found += [(index_phrase(word), word, "override") for word in add if index_phrase(word)]

    return group_of(surface, found)


def translate_phrase(surface: str, key: str, source_lang: str, vocabulary: Vocabulary, *,
                     lexicon: Lexicon | None = None) -> Group | None:
    """The group of consecutive query words that the lexicon lists as one
    phrase (`key`: their index terms, space-joined), such as North Korea
    (КНДР) or железная дорога (railway); None when no translation of it can
    match, and the words are then translated one by one."""
    found = _from_lexicon(key, source_lang, vocabulary, lexicon or shipped(), "lexicon")
    return group_of(surface, found) if found else None


class Translator:
    """translate() with the shipped lexicon plus user lexicons, loaded on
    first use (lexicon.loaded) and then shared by every call."""

    def __init__(self, lexicon_paths: Iterable[Path] = ()):
        self._paths = tuple(lexicon_paths)

    @property
    def lexicon(self) -> Lexicon:
        return loaded(self._paths)

    def translate(self, surface: str, term: str, source_lang: str,
                  vocabulary: Vocabulary, sentence_start: bool = False) -> Group:
        return translate(surface, term, source_lang, vocabulary, lexicon=self.lexicon,
                         sentence_start=sentence_start)

    def translate_phrase(self, surface: str, key: str, source_lang: str,
                         vocabulary: Vocabulary) -> Group | None:
        return translate_phrase(surface, key, source_lang, vocabulary, lexicon=self.lexicon)


def group_of(surface: str, found: list[tuple[str, str, str]]) -> Group:
    """A group of (term, display, how) candidates, most trusted first (Group.add)."""
    group = Group(surface)
    for candidate in found:
        group.add(*candidate)
    return group


def _from_lexicon(term: str, source_lang: str, vocabulary: Vocabulary, lexicon: Lexicon,
                  how: str) -> list[tuple[str, str, str]]:
    """The term's translations that can match: a phrase only if the index
    has every one of its words."""
    return [(t.term, t.display, how) for t in lexicon.translations(term, source_lang)
            if all(word in vocabulary for word in t.term.split(" "))]


def _from_comparative(word: str, vocabulary: Vocabulary, lexicon: Lexicon) -> list[tuple[str, str, str]]:
    """A comparative's or superlative's translations as its adjective's
    (higher: высокий, not a lookalike name), for an adjective the dictionary knows."""
    for base in english.comparative_bases(word):
        if lexicon.knows(base, "en"):
            return _from_lexicon(english.stem(base), "en", vocabulary, lexicon, "lexicon")
    return []


def _from_singular(word: str, vocabulary: Vocabulary, lexicon: Lexicon) -> list[tuple[str, str, str]]:
    """A plural's translations as its singular's, when the lexicon keys
    nothing under the plural's stem (gases: gase, not a lookalike)."""
    singular = english.singular_of(word)
    if singular and lexicon.knows(singular, "en"):
        return _from_lexicon(english.stem(singular), "en", vocabulary, lexicon, "lexicon")
    return []


def _name_forms(surface: str, term: str) -> list[str]:
    """A capitalised Russian word's readings as a name besides its lemma,
    which may be a common word's (Песков: песок, Зайцев: заяц): the normal
    forms of its name parses, and the word as written (Мясников)."""
    word = fold(surface)
    forms = [p.normal_form for p in russian.parses(word) if russian.is_name_parse(p)] + [word]
    return [form for form in dict.fromkeys(forms) if form != term]


def _noun_forms(surface: str, term: str) -> list[str]:
    """The normal forms of a capitalised Russian word's noun readings
    besides its lemma (Гослингу: гослинг beside гослинга)."""
    forms = [p.normal_form for p in russian.parses(fold(surface)) if p.tag.POS == "NOUN"]
    return [form for form in dict.fromkeys(forms) if form != term]


def _from_place_name(adjective: str, vocabulary: Vocabulary, lexicon: Lexicon) -> list[tuple[str, str, str]]:
    """A Russian place adjective the lexicon lacks, translated as its place
    (гонконгский: Hong Kong, not гонка's race)."""
    for name in places.place_names(adjective):
        if lexicon.translations(name, "ru") and places.is_place(name):
            return _from_lexicon(name, "ru", vocabulary, lexicon, "place")
    return []


def _place_adjectives(found: list[tuple[str, str, str]], vocabulary: Vocabulary) -> list[tuple[str, str, str]]:
    """The adjectives the Russian index holds of the places among a group's
    translations (Irkutsk: Иркутск, and иркутский for «иркутской области»)."""
    return [(adjective, adjective, "place") for term, display, _ in found
            if display[:1].isupper() and " " not in term
            for adjective in places.place_adjectives(term, vocabulary)]


def _sounds_like_a_name(surface: str) -> bool:
    """Whether a word is matched by sound: capitalised, as names are, and
    neither an acronym (EPL) nor short (Dr), which match words by chance."""
    return surface[:1].isupper() and not surface.isupper() and len(surface) >= MIN_FUZZY_LENGTH


def _as_name(word: str, vocabulary: Vocabulary, fuzzy: bool, by_sound: bool = False) -> list[tuple[str, str, str]]:
    """Index terms equal to the word's spellings in the other script, or if
    none is and `fuzzy` (a word the lexicon lacks, also read as a loanword:
    цитотоксический: cytotoxic), the index terms closest to them."""
    spellings = transliterated_terms(word) + (loanword_terms(word) if fuzzy else [])
    # A spelling that is also a common word is searched as the name (Lee: Ли, not ли).
    found = [(proper.name_reading(s, s, vocabulary) or s, s, "transliteration")
             for s in dict.fromkeys(chinese_terms(word) + spellings) if s in vocabulary]
    if by_sound and not found:
        found = _by_sound(word, spellings, vocabulary)
    if fuzzy and not found:
        for spelling in spellings:
            if len(spelling) >= MIN_FUZZY_LENGTH:
                found += [(m, m, "fuzzy") for m in vocabulary.similar(spelling)[:FUZZY_MATCHES]]
    return found


def _by_sound(word: str, spellings: list[str], vocabulary: Vocabulary) -> list[tuple[str, str, str]]:
    """The index terms that sound like the name (Венгер: wenger, not vener),
    most similar to one of its spellings first, then most frequent."""
    source = script_of(word)
    key = phonetic.key(word, source)
    keys = {key}
    if source == "ru" and key.endswith("s"):
        keys.add(key[:-1])  # an English stem drops the s (Уэльс: wale)
    tiers = [keys]  # the name's own keys first
    if source == "ru":
        # An English stem may lose letters (westminst: vstmnst); tried first, they put vener before wenger.
        tiers.append({phonetic.key(s, "en") for s in spellings} - keys)
    scored = []
    for tier in tiers:
        for term in (t for k in tier for t in vocabulary.sounding(k)):
            similarity = max((fuzz.ratio(term, s) for s in spellings), default=0)
            if similarity >= MIN_SOUND_SIMILARITY and len(term) >= MIN_FUZZY_LENGTH:
                scored.append((similarity, vocabulary.df(term), term))
        if scored:
            break
    scored.sort(reverse=True)
    # A runner-up far less similar than the best is another word (Беннет: bennett, not bent).
    return [(term, term, "sound") for similarity, _, term in scored[:FUZZY_MATCHES]
            if similarity >= scored[0][0] - SOUND_MARGIN]
