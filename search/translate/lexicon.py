"""English<->Russian lexicon at the level of index terms.

Keys and translations are index terms as search.analysis makes them: English
Snowball stems and Russian pymorphy3 lemmas, so "elections" and "election"
find the same entry, and so do «выборов» and «выборы»; a dictionary word that
is one of its own normal forms is taken in that sense (translation_term).
Each translation also keeps the dictionary word to show to the user.

The shipped lexicon is compiled from English Wiktionary by
tools/build_lexicon.py (see data/LEXICON-LICENSE.md). It stores terms
precomputed, so loading needs no morphology: the per-key translations stay
packed strings until looked up, which keeps loading fast and small.

User lexicons are plain "english<TAB or space>russian" lines (the MUSE
layout; either column order, told apart by script). They are analyzed at
load time, so a large one takes seconds to load.
"""
from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search.analysis import WORD_RE, language_of, terms_of
from search.languages import fold, script_of
from search.translate import glossary

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "lexicon-en-ru.txt.gz"

PAIR = ("en", "ru")  # the languages this lexicon translates between

# Longest phrase key, in index terms: consecutive query words are looked up
# as one up to this length (Democratic People's Republic of Korea: 4).
MAX_PHRASE_TERMS = 4
# Three-letter prefixes were mostly other words in the probe (более -> бол
# "ball", metavers -> met "meet"), so derivation wants four.
MIN_PREFIX = 4
_RU_BASE_ENDINGS = ("", "а", "я", "о", "е", "ь", "й")


@dataclass(frozen=True, slots=True)
class Translation:
    term: str  # target index term; a phrase is space-joined terms
    display: str  # the dictionary word, e.g. "нефть"
    # Dictionary senses of the English word the pair is listed under
    # (point -> точка: decimal point, full stop, geometry).
    senses: int = field(default=1, compare=False)


def index_phrase(words: str) -> str:
    """Index terms of a word or phrase, space-joined; '' if all stop words.
    A hyphenated compound counts as one word, indexed whole as analysis does."""
    terms = []
    for m in WORD_RE.finditer(words):
        found = terms_of(m.group())
        if found:
            terms.append(found[0])
    return " ".join(terms)


def translation_term(words: str) -> str:
    """The index term a dictionary translation is searched by: index_phrase,
    except that a single word given in a form that is one of its own normal
    forms keeps that form. Documents index every normal form of an
    ambiguous word at its position, and the dictionary has said which one
    it means: guilt is вина, not its best parse вино (wine); grief горе,
    not гора; genus род, not родиться. A phrase's words are inflected
    (чувство вины), so a phrase keeps its index terms."""
    term = index_phrase(words)
    word = fold(words)
    language = language_of(word)
    if term == word or " " in term or language is None or not WORD_RE.fullmatch(words):
        return term
    return word if word in language.alternatives(word) else term


def is_key(words: str, term: str) -> bool:
    """Whether a dictionary word or phrase is a key, given its index term:
    a single word, or a phrase of up to MAX_PHRASE_TERMS content words. A
    phrase whose content is one word is not ("make up" must not translate
    "make", nor "at least" "least")."""
    return " " not in words or 2 <= term.count(" ") + 1 <= MAX_PHRASE_TERMS


def pack(display: str, term: str, senses: int = 1) -> str:
    """One stored translation, "display|term*senses": the term is written
    only when it is not simply the display word lower-cased, the number of
    senses only when above one."""
    cell = display if term == fold(display) else f"{display}|{term}"
    return cell if senses == 1 else f"{cell}*{senses}"


def _unpack(cell: str) -> Translation:
    cell, _, senses = cell.partition("*")
    display, _, term = cell.partition("|")
    return Translation(term or fold(display), display, int(senses or 1))


class Lexicon:
    """Translations keyed by source index term (or space-joined terms of a
    phrase), per source language."""

    # Unpacked translations kept: a query's terms are looked up again for
    # each back-translation weight, and the next queries share many terms.
    # ~900 bytes each: 10,000 were 9 MB in each server worker.
    UNPACKED_CACHE = 2_000

    def __init__(self, tables: dict[str, dict[str, str]]):
        # tables[source_lang][source_term] = tab-joined packed translations
        self._tables = tables
        self._unpacked: dict[tuple[str, str], tuple[Translation, ...]] = {}
        # (source language, word as written) -> the glossary's translations
        # of an acronym, which only its written form may find (see exact).
        self._exact: dict[tuple[str, str], tuple[Translation, ...]] = {}
        self._headwords: dict[str, bool] | None = None  # word -> common; built on first use, see knows

    @classmethod
    def load(cls, paths: list[Path] | None = None) -> Lexicon:
        """The shipped lexicon and the project's glossary, plus user lexicons merged after them."""
        lexicon = cls(_read_compiled(SHIPPED))
        lexicon._merge_glossary(glossary.read())
        for path in paths or []:
            lexicon._merge(_read_user(path))
        lexicon._tables = {lang: PackedTable(table) for lang, table in lexicon._tables.items()}
        return lexicon

    def exact(self, word: str, source_lang: str) -> tuple[Translation, ...]:
        """The glossary's translations of a word matched as written (WHO,
        ФРС: not who, фрс); () for any other word."""
        return self._exact.get((source_lang, word), ())

    def translations(self, term: str, source_lang: str) -> tuple[Translation, ...]:
        """All translations of a source index term, one per target term,
        with the senses of every dictionary word spelling it."""
        packed = self._tables[source_lang].get(term)
        if not packed:
            # Most lookups of a query's phrases miss: nothing to unpack or keep.
            return ()
        key = (source_lang, term)
        cached = self._unpacked.get(key)
        if cached is not None:
            return cached
        found: dict[str, Translation] = {}
        for cell in packed.split("\t"):
            t = _unpack(cell)
            first = found.setdefault(t.term, t)
            if first is not t:
                found[t.term] = Translation(t.term, first.display, first.senses + t.senses)
        translations = tuple(found.values())
        if len(self._unpacked) >= self.UNPACKED_CACHE:
            self._unpacked.clear()
        self._unpacked[key] = translations  # another thread may clear it before we return
        return translations

    def is_function_word(self, term: str, source_lang: str) -> bool:
        """True for a word the dictionary translates only by stop words
        (более -> more): there is nothing to look up for it."""
        return self._tables[source_lang].get(term) == ""

    def knows(self, word: str, source_lang: str, names: bool = False) -> bool:
        """Whether a lower-cased word is a common word of the dictionary, or
        with `names` also a name it lists (France, Ryazan). English: a
        headword as written, or its plural (Manning is not, though its stem
        man is; issues is). Russian words are looked up by lemma: one with a
        lower-case translation (путин: Putin is no common word)."""
        if source_lang == "ru":
            return any(names or t.display[:1].islower() for t in self.translations(word, "ru"))
        if self._headwords is None:
            # The English words the Russian table translates into, lower-case
            # (common) or not: 41,000, in 0.06 s once; unpacking each cell
            # took 0.15 s, a quarter of a cold CLI query.
            displays = {cell.partition("*")[0].partition("|")[0] for cell in self._tables["ru"].cells() if cell}
            self._headwords = {fold(d): d[:1].islower() for d in sorted(displays)}
        singulars = [word[:-3] + "y"] if word.endswith("ies") else []
        singulars += [word[:-2]] if word.endswith("es") else []
        singulars += [word[:-1]] if word.endswith("s") else []
        return any(self._headwords.get(w, False) or names and w in self._headwords for w in [word] + singulars)

    def ru_for_en(self, en_term: str) -> tuple[Translation, ...]:
        return self.translations(en_term, "en")

    def en_for_ru(self, ru_term: str) -> tuple[Translation, ...]:
        return self.translations(ru_term, "ru")

    def derived_from(self, term: str, source_lang: str) -> str | None:
        """The known word an unknown term is derived from: its longest
        proper prefix with translations, at least MIN_PREFIX long
        (inflationari -> inflat). A Russian derivative drops its base's
        final vowel or soft sign, so those are tried too (инфляционный ->
        инфляция, нефтяной -> нефть). Names are not bases (паро -> Paro is
        passed over), and a compound has none: its parts are translated."""
        if "-" in term:
            return None
        endings = _RU_BASE_ENDINGS if source_lang == "ru" else ("",)
        for end in range(len(term) - 1, MIN_PREFIX - 1, -1):
            for base in (term[:end] + e for e in endings):
                if base != term and any(t.display[:1].islower()
                                        for t in self.translations(base, source_lang)):
                    return base
        return None

    def _merge(self, pairs: list[tuple[str, str]]) -> None:
        self._unpacked.clear()
        for en, ru in pairs:
            en_term, ru_term = index_phrase(en), index_phrase(ru)
            if not en_term or not ru_term:
                continue
            if is_key(en, en_term):
                self._add("en", en_term, pack(ru, translation_term(ru)))
            if is_key(ru, ru_term):
                self._add("ru", translation_term(ru), pack(en, translation_term(en)))

    def _merge_glossary(self, entries: list[glossary.Entry]) -> None:
        """Each entry's forms as keys of the other side's forms, before the
        Wiktionary senses of the same key. Acronyms go to the exact table;
        so does a capitalised word whose index term is a Wiktionary key
        (Fed: fed), which then keeps only its common senses."""
        compiled = glossary.compiled_terms()
        sides = []
        for entry in entries:
            # index_phrase only for a form added since the terms were compiled
            terms = {lang: [(form, compiled.get((lang, form)) if (lang, form) in compiled else index_phrase(form))
                            for form in forms] for lang, forms in entry.forms.items()}
            for lang, forms in terms.items():
                other = PAIR[1] if lang == PAIR[0] else PAIR[0]
                # One translation per term: forms that differ in case only are one sense.
                targets = {term: form for form, term in reversed(terms[other]) if term}
                translations = [pack(form, term) for term, form in reversed(targets.items())]
                exact = [(form, term) for form, term in forms if glossary.is_acronym(form) or (
                    form[:1].isupper() and " " not in form and (not term or term in self._tables[lang]))]
                sides.append((lang, forms, exact, translations))
        for lang, forms, exact, translations in sides:
            for form, term in forms:
                if (form, term) in exact:
                    self._exact[(lang, form)] = self._exact.get((lang, form), ()) + tuple(map(_unpack, translations))
                elif term and is_key(form, term):
                    for cell in translations:
                        self._prepend(lang, term, cell)

    def _prepend(self, lang: str, key: str, cell: str) -> None:
        table = self._tables[lang]
        table[key] = f"{cell}\t{table[key]}" if table.get(key) else cell

    def _add(self, lang: str, key: str, cell: str) -> None:
        table = self._tables[lang]
        table[key] = f"{table[key]}\t{cell}" if table.get(key) else cell


class PackedTable:
    """A finished table (key -> packed translations) read the way a dict is,
    its translations in one bytes object. A server's workers inherit the
    lexicon from their parent, and reading a dict's value writes to it (its
    reference count), so that each worker copied the pages of the strings
    it looked up: 3,000 of the 3,900 pages (12 MB) after 2,000 distinct
    news-mix queries. Here a lookup writes only to a number."""

    def __init__(self, table: dict[str, str]):
        self._numbers = {key: i for i, key in enumerate(table)}
        # Each value ends in a newline, which no packed value holds: all the
        # cells are then read in one pass (cells).
        encoded = [packed.encode("utf-8") + b"\n" for packed in table.values()]
        self._ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
        self._text = b"".join(encoded)

    def get(self, key: str) -> str | None:
        i = self._numbers.get(key)
        if i is None:
            return None
        return self._text[int(self._ends[i - 1]) if i else 0:int(self._ends[i]) - 1].decode("utf-8")

    def cells(self) -> list[str]:
        """Every packed translation of the table, in key order."""
        return self._text.decode("utf-8").replace("\n", "\t").split("\t")[:-1]

    def __contains__(self, key: str) -> bool:
        return key in self._numbers

    def __iter__(self):
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


def counterpart_language(code: str | None) -> str | None:
    """The other language of the pair; None for one outside it."""
    return {PAIR[0]: PAIR[1], PAIR[1]: PAIR[0]}.get(code)


@functools.cache
def loaded(paths: tuple[Path, ...]) -> Lexicon:
    """The shipped lexicon plus the user lexicons at `paths`, loaded once
    per process: every Engine shares it, and so do a server's workers,
    which inherit what their parent loaded before forking."""
    return Lexicon.load(list(paths))


def shipped() -> Lexicon:
    return loaded(())


def _read_compiled(path: Path) -> dict[str, dict[str, str]]:
    """The file written by tools/build_lexicon.py: per language a header
    "<lang> <count>", then alternating key and translations lines."""
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")
    tables = {}
    start = 0
    while start < len(lines) - 1:
        lang, count = lines[start].split()
        section = iter(lines[start + 1:start + 1 + 2 * int(count)])
        tables[lang] = dict(zip(section, section))  # key line, translations line
        start += 1 + 2 * int(count)
    return tables


def _read_user(path: Path) -> list[tuple[str, str]]:
    """(english, russian) pairs of a user lexicon; other lines are skipped."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t") if "\t" in line else line.split()
        if len(cells) != 2:
            continue
        a, b = (c.strip() for c in cells)
        scripts = (script_of(a), script_of(b))
        if scripts == ("en", "ru"):
            pairs.append((a, b))
        elif scripts == ("ru", "en"):
            pairs.append((b, a))
    return pairs
