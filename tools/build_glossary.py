"""Compile the index term of every form of search/data/glossary-en-ru.tsv
into glossary-en-ru.terms.tsv, which the lexicon loads without morphology.
Run after editing the glossary or changing the analyzer
(tests/test_translate_glossary.py fails when they drift):

    PYTHONPATH=$PWD .venv/bin/python tools/build_glossary.py
"""
from __future__ import annotations

from search.translate import glossary
from search.translate.lexicon import index_phrase


def main():
    rows = {(lang, form): index_phrase(form)
            for entry in glossary.read() for lang, forms in entry.forms.items() for form in forms}
    glossary.TERMS.write_text("".join(f"{lang}\t{form}\t{term}\n" for (lang, form), term in rows.items()),
                              encoding="utf-8")
    print(f"{glossary.TERMS}: {len(rows)} forms")


if __name__ == "__main__":
    main()
