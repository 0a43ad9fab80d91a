"""The project's bilingual glossary: acronyms, institutions, parliaments,
agencies, currencies and units whose names differ across the languages
(Fed: ФРС, GDP: ВВП, foreign ministry: МИД), which Wiktionary mostly lacks.

search/data/glossary-en-ru.tsv holds one entry a line: the English forms,
the Russian forms (each side's forms separated by "|"), a kind and the
source where the fact can be checked. Every form of one side translates to
every form of the other.

An acronym (a word in capitals: WHO, ВОЗ) is matched only as written, as its
lower-case spelling is often another word (who, воз). Lexicon.load adds the
other forms to the lexicon by index term; a capitalised word among them
(Fed) is added lower-cased only when that is no common word (fed is).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "glossary-en-ru.tsv"
# Each form's index term, written by tools/build_glossary.py, so that loading
# needs no morphology (pymorphy3 took 0.3 s and 20 MB at load time).
TERMS = GLOSSARY.with_name("glossary-en-ru.terms.tsv")


@dataclass(frozen=True)
class Entry:
    forms: dict[str, tuple[str, ...]]  # language code -> its forms, as written
    kind: str
    source: str


def is_acronym(form: str) -> bool:
    """A single word in capitals, digits allowed (WHO, ФРС, G20, COVID-19)."""
    letters = [c for c in form if c.isalpha()]
    return " " not in form and len(letters) >= 2 and all(c.isupper() for c in letters)


def read(path: Path = GLOSSARY) -> list[Entry]:
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 4:
            raise ValueError(f"{path.name}:{n}: expected 4 tab-separated cells, got {len(cells)}")
        en, ru, kind, source = cells
        entries.append(Entry({"en": tuple(en.split("|")), "ru": tuple(ru.split("|"))}, kind, source))
    return entries


def compiled_terms(path: Path = TERMS) -> dict[tuple[str, str], str]:
    """(language, form) -> its index term ('' for a stop word), as compiled."""
    if not path.exists():
        return {}
    terms = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        lang, form, term = line.split("\t")
        terms[(lang, form)] = term
    return terms
