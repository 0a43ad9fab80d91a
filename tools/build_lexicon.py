"""Compile the Wiktionary English->Russian DSL dictionary into the shipped lexicon.

    python tools/build_lexicon.py [SOURCE.dsl.utf8.txt] [TARGET.txt.gz]

The output is a gzip'd TSV that search/lexicon.py loads without pymorphy3:
every translation is stored with its index terms already computed, so the
file must be rebuilt whenever search/analysis.py changes how words become
terms (tests/test_lexicon.py checks a sample for drift).

Format: per source language a header line "<lang> <number of keys>", then
for each key (a source index term) two lines, the key and its tab-separated
translations, which a dict is built from in one step at load time:
    en 26905
    railway
    железная дорога|железный дорога<TAB>колея
    ...
    ru 38676
    нефть
    oil<TAB>petroleum
A translation is "display|term", or just "display" when the term is the
display lower-cased, followed by "*N" when N senses of the English word
list it (point -> точка*3). A term of several words (a phrase) is
space-joined, as a translation and as a key (north korea -> кндр).
An empty translations line marks a function word (более -> more).
Russian->English is the inversion of the English->Russian entries.
"""
from __future__ import annotations

import functools
import gzip
import os
import re
import sys
from collections import Counter
from pathlib import Path

from search.languages import fold_letters
from search.translate.lexicon import SHIPPED, index_phrase, is_key, pack, translation_term

SOURCE = Path("/work/shared/data/wiktionary-en-ru/en-ru-enwiktionary.dsl.utf8.txt")

# DSL markup whose content is not a translation: part of speech / gender,
# transliteration, sense glosses, and usage notes in escaped brackets.
_NOT_TRANSLATION = re.compile(
    r"\[p\].*?\[/p\]|\[c[^\]]*\].*?\[/c\]|\[i\].*?\[/i\]|\\\[.*?\\\]")
_PARENTHESES = re.compile(r"\([^()]*\)")
_SEPARATORS = re.compile(r"[,;|]")
# The Russian words at the start of an item; what follows (a bare /translit/,
# Latin notes) is dropped.
_RUSSIAN_LEAD = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff \-—]*")
_SEE = re.compile(r"SEE: <<(.+?)>>")


# English past forms and plurals that Snowball leaves apart from their verb
# or noun (won stays won, teeth stays teeth) and that Wiktionary lists only
# under the verb or singular. One word per line, then its forms.
IRREGULAR_FORMS = """
arise arose arisen
awake awoke awoken
bear bore born borne
beat beaten
become became
begin began begun
bend bent
bind bound
bite bit bitten
bleed bled
blow blew blown
break broke broken
breed bred
bring brought
build built
burn burnt
buy bought
catch caught
choose chose chosen
cling clung
come came
creep crept
deal dealt
dig dug
draw drew drawn
drink drank drunk
drive drove driven
eat ate eaten
fall fell fallen
feed fed
feel felt
fight fought
find found
flee fled
fly flew flown
forbid forbade forbidden
forget forgot forgotten
forgive forgave forgiven
freeze froze frozen
get got gotten
give gave given
go went gone
grind ground
grow grew grown
hang hung
hear heard
hide hid hidden
hold held
keep kept
kneel knelt
know knew known
lay laid
lead led
leap leapt
leave left
lend lent
lie lay lain
light lit
lose lost
make made
mean meant
meet met
mislead misled
overcome overcame
overtake overtook overtaken
pay paid
rebuild rebuilt
ride rode ridden
ring rang rung
rise rose risen
run ran
say said
see saw seen
seek sought
sell sold
send sent
shake shook shaken
shine shone
shoot shot
show shown
shrink shrank shrunk
sing sang sung
sink sank sunk
sit sat
sleep slept
slide slid
speak spoke spoken
spend spent
spin spun
spring sprang sprung
stand stood
steal stole stolen
stick stuck
sting stung
strike struck stricken
strive strove striven
swear swore sworn
sweep swept
swim swam swum
swing swung
take took taken
teach taught
tear tore torn
tell told
think thought
throw threw thrown
undergo underwent undergone
understand understood
undertake undertook undertaken
uphold upheld
wake woke woken
wear wore worn
weave wove woven
weep wept
win won
wind wound
withdraw withdrew withdrawn
write wrote written
child children
foot feet
goose geese
louse lice
man men
mouse mice
ox oxen
tooth teeth
woman women
"""
# Latin and Greek plurals, the same way (crises: crise, crisis: crisi). Not
# those Snowball already stems alike (algae: alga), that are words of their
# own (data, media, bacteria) or whose stem is another word's (axes: axe,
# indices: indic, as indicate).
IRREGULAR_FORMS += """analysis analyses
crisis crises
diagnosis diagnoses
emphasis emphases
hypothesis hypotheses
oasis oases
parenthesis parentheses
synthesis syntheses
thesis theses
automaton automata
criterion criteria
phenomenon phenomena
polyhedron polyhedra
alumnus alumni
bacillus bacilli
cactus cacti
focus foci
fungus fungi
locus loci
nucleus nuclei
radius radii
stimulus stimuli
syllabus syllabi
addendum addenda
cilium cilia
curriculum curricula
erratum errata
maximum maxima
memorandum memoranda
millennium millennia
minimum minima
ovum ova
quantum quanta
referendum referenda
spectrum spectra
stratum strata
symposium symposia
appendix appendices
matrix matrices
corpus corpora
genus genera
bureau bureaux
plateau plateaux
"""


def read_entries(source: Path):
    """(headword, translations, see_also) per DSL sense block."""
    headword, translations, see = None, [], []
    for line in source.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if line and not line[0].isspace():
            headword = line.strip()
        elif line.strip():
            body = line.strip()
            if body.startswith("[m1]"):
                translations = russian_items(body)
            see += _SEE.findall(body)
        elif headword is not None:
            yield headword, translations, see
            headword, translations, see = None, [], []


def russian_items(body: str) -> list[str]:
    """The Russian translations listed on one [m1] line."""
    text = body.removeprefix("[m1]").removesuffix("[/m]")
    text = _NOT_TRANSLATION.sub(" ", text)
    while _PARENTHESES.search(text):
        text = _PARENTHESES.sub(" ", text)
    items = []
    for item in _SEPARATORS.split(text):
        m = _RUSSIAN_LEAD.search(item)
        if m is None or m.start() > 0 and item[:m.start()].strip():
            continue
        word = " ".join(m.group().replace("—", " ").split())
        if word and not word.startswith("-") and not word.endswith("-"):
            items.append(word)
    return items


def build(source: Path) -> dict[str, dict[str, list[tuple[str, str]]]]:
    entries = list(read_entries(source))
    by_headword: dict[str, list[str]] = {}
    for headword, translations, _ in entries:
        by_headword.setdefault(headword, []).extend(translations)
    # A SEE cross-reference borrows the target's own translations (one level).
    # A pair is kept once per sense block that lists it, so a table lists a
    # translation as often as it has senses.
    pairs: list[tuple[str, str]] = []
    for headword, translations, see in entries:
        if headword.startswith("-") or headword.endswith("-"):
            continue  # affixes are not query words
        for target in see:
            translations = translations + by_headword.get(target, [])
        pairs += [(headword, ru) for ru in dict.fromkeys(translations)]

    lexicon: dict[str, dict[str, list[tuple[str, str]]]] = {"en": {}, "ru": {}}
    translated_to_stop_words: dict[str, set[str]] = {"en": set(), "ru": set()}
    terms = functools.cache(index_phrase)
    # Each side's word is taken in the sense the dictionary gives
    # (translation_term): вина is guilt's key and translation, not вино.
    in_sense = functools.cache(translation_term)
    for en, ru in pairs:
        en_term, ru_term = terms(en), terms(ru)
        if en_term and not ru_term and " " not in en:
            translated_to_stop_words["en"].add(en_term)
        if ru_term and not en_term and " " not in ru:
            translated_to_stop_words["ru"].add(ru_term)
        if not en_term or not ru_term:
            continue
        if is_key(en, en_term):
            lexicon["en"].setdefault(en_term, []).append((ru, in_sense(ru)))
        if is_key(ru, ru_term):
            lexicon["ru"].setdefault(in_sense(ru), []).append((en, in_sense(en)))
    add_abbreviated_saints(lexicon)
    add_irregular_forms(lexicon)
    add_relational_adjectives(lexicon)
    # A word translated only by stop words (более -> more) is a function
    # word: it is kept with no translations, so it is not taken for a name.
    for lang, terms in translated_to_stop_words.items():
        for term in terms:
            lexicon[lang].setdefault(term, [])
    return lexicon


def add_abbreviated_saints(lexicon) -> None:
    """Places named after a saint are also spelled with "St." in English
    news (Saint Petersburg, St. Petersburg), which Wiktionary lists only in
    full: each gets the abbreviated spelling too, as a translation and as a
    key."""
    for translations in lexicon["ru"].values():
        translations += [(f"St. {display[len('Saint '):]}", f"st{term[len('saint'):]}")
                         for display, term in list(translations)
                         if display.startswith("Saint ") and term.startswith("saint ")]
    for term in [t for t in lexicon["en"] if t.startswith("saint ")]:
        lexicon["en"].setdefault(f"st{term[len('saint'):]}", []).extend(lexicon["en"][term])


def add_irregular_forms(lexicon) -> None:
    """A past form looks up its verb's translations as well as its own
    (found -> основать, найти), and a verb's translation into English also
    matches its past forms (выиграть -> win, won); so do plurals (teeth ->
    зуб, зуб -> tooth, teeth)."""
    forms_of: dict[str, list[str]] = {}
    for line in IRREGULAR_FORMS.strip().splitlines():
        verb, *forms = line.split()
        verb_term = index_phrase(verb)
        forms_of[verb_term] = [f for f in map(index_phrase, forms) if f and f != verb_term]
        for form in forms_of[verb_term]:
            own = lexicon["en"].get(form, [])
            lexicon["en"][form] = own + lexicon["en"].get(verb_term, [])
    for translations in lexicon["ru"].values():
        translations += [(display, form) for display, term in list(translations)
                         for form in forms_of.get(term, [])]


# Russian relational adjective endings, longest first, and the endings of
# the noun they are made from once stripped (нефт|яной -> нефт|ь,
# энерг|етический -> энерг|ия, истор|ический -> истор|ия).
_ADJECTIVE_SUFFIXES = ("етический", "ический", "ческий", "ийский", "ский", "ской", "цкий",
                       "овый", "овой", "евый", "евой", "яной", "аной", "енный", "онный",
                       "альный", "ный", "ной")
_NOUN_ENDINGS = ("", "а", "я", "о", "е", "ь", "ия", "ика")
# English adjective and noun of one root share at least this many letters
# of their stems (energet-ic, energi; econom, economi).
_SHARED_ROOT = 4


def add_relational_adjectives(lexicon) -> None:
    """A Russian relational adjective also translates as the English noun
    of its base, and that noun as the adjective, because English uses the
    noun attributively where Russian has the adjective (энергетический ->
    energy: "energy policy", экономический -> economy). Only base
    translations that share a root with the adjective's own are added
    (индийский -> India, not indium)."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang="ru")

    def is_noun(term: str) -> bool:
        return any(p.tag.POS == "NOUN" and fold_letters(p.normal_form) == term
                   for p in morph.parse(term))

    added: list[tuple[str, tuple[str, str]]] = []
    for adjective, translations in lexicon["ru"].items():
        own = [term for _, term in translations]
        if not own or " " in adjective:
            continue
        bases = [adjective[:-len(suffix)] + ending
                 for suffix in _ADJECTIVE_SUFFIXES if adjective.endswith(suffix)
                 for ending in _NOUN_ENDINGS]
        for base in dict.fromkeys(bases):
            if base == adjective or not lexicon["ru"].get(base) or not is_noun(base):
                continue
            for display, term in lexicon["ru"][base]:
                if term not in own and any(len(os.path.commonprefix((term, o))) >= _SHARED_ROOT for o in own):
                    added.append((adjective, (display, term)))
    # Derived pairs are no dictionary senses: each counts once.
    for adjective, (display, term) in dict.fromkeys(added):
        lexicon["ru"][adjective].append((display, term))
        if " " not in term:
            lexicon["en"].setdefault(term, []).append((adjective, adjective))


def write(lexicon, target: Path) -> None:
    lines = []
    for lang, table in lexicon.items():
        lines.append(f"{lang} {len(table)}")
        for key, translations in sorted(table.items()):
            senses = Counter(translations)
            lines += [key, "\t".join(pack(display, term, n) for (display, term), n in senses.items())]
    target.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical across rebuilds.
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    target = Path(argv[2]) if len(argv) > 2 else SHIPPED
    lexicon = build(source)
    write(lexicon, target)
    print(f"{target}: {len(lexicon['en'])} English and {len(lexicon['ru'])} Russian "
          f"keys, {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv)
