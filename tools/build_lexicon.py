"""Compile the Wiktionary English->Russian DSL dictionary into the shipped lexicon.

    python tools/build_lexicon.py [SOURCE.dsl.utf8.txt] [TARGET.tsv.gz]

The output is a gzip'd TSV that search/lexicon.py loads without pymorphy3:
every translation is stored with its index terms already computed, so the
file must be rebuilt whenever search/analysis.py changes how words become
terms (tests/test_lexicon.py checks a sample for drift).

Line format, one line per source index term and direction:
    en <TAB> railway <TAB> железная дорога|железный дорога <TAB> колея
    ru <TAB> нефть <TAB> oil <TAB> petroleum
A translation is "display|term", or just "display" when the term is the
display lower-cased. A term of several words (a phrase) is space-joined.
Russian->English is the inversion of the English->Russian entries.
"""
from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from search.lexicon import SHIPPED, index_phrase, pack

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
    pairs: list[tuple[str, str]] = []
    for headword, translations, see in entries:
        if headword.startswith("-") or headword.endswith("-"):
            continue  # affixes are not query words
        for target in see:
            translations = translations + by_headword.get(target, [])
        pairs += [(headword, ru) for ru in translations]

    lexicon: dict[str, dict[str, list[tuple[str, str]]]] = {"en": {}, "ru": {}}
    for en, ru in dict.fromkeys(pairs):
        en_term, ru_term = index_phrase(en), index_phrase(ru)
        if not en_term or not ru_term:
            continue
        # One query word is looked up, so only single-word keys are useful.
        if " " not in en_term:
            lexicon["en"].setdefault(en_term, []).append((ru, ru_term))
        if " " not in ru_term:
            lexicon["ru"].setdefault(ru_term, []).append((en, en_term))
    return lexicon


def write(lexicon, target: Path) -> None:
    lines = []
    for lang, table in lexicon.items():
        for key, translations in sorted(table.items()):
            cells = dict.fromkeys(pack(display, term) for display, term in translations)
            lines.append("\t".join([lang, key, *cells]))
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
