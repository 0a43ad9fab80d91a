"""The keyboard-layout rule (search/keyboard.py) on the kit's topics: how many
topics it would retype (each against its own task's corpus: a false retype),
and how many of the same topics, typed in the wrong layout, it recovers; for
several ratios.

    python tools/check_keyboard.py [KIT_DIR]     (default .cache/kit)

The corpora's surface-word document frequencies are counted as the indexer
counts them (analysis.surface_words per document), without building indexes.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from search.analysis import surface_words
from search.ingest.documents import UnreadableFile
from search.ingest.reading import read_documents
from search.ingest.walk import list_files
from search.keyboard import RATIO, far_more_likely, other_reading, wrong_layout

RATIOS = (1, 2, RATIO, 5, 10)


def word_df(corpus: Path) -> Counter:
    files, _ = list_files(corpus)
    counts = Counter()
    for path in files:
        try:
            docs, _ = read_documents(corpus, path)
        except UnreadableFile:  # skipped by the indexer too
            continue
        for doc in docs:
            counts.update(surface_words(doc.title + "\n" + doc.body))
    return counts


def main(kit: Path) -> None:
    corpora = {}
    false = Counter()
    recovered = Counter()
    topics = 0
    for task in sorted((kit / "tasks").iterdir()):
        name = json.loads((task / "task.json").read_text(encoding="utf-8"))["corpus"]
        if name not in corpora:
            corpora[name] = word_df(kit / "corpora" / name)
        df = corpora[name]
        for line in (task / "topics.tsv").read_text(encoding="utf-8").splitlines():
            query = line.partition("\t")[2]
            topics += 1
            as_typed = other_reading(query, df)
            mistyped = other_reading(wrong_layout(query), df)
            for ratio in RATIOS:
                if as_typed and far_more_likely(as_typed[1], ratio):
                    false[ratio] += 1
                    print(f"  {task.name}: {query!r} would be read as {as_typed[0]!r} (ratio {ratio})")
                recovered[ratio] += bool(mistyped and far_more_likely(mistyped[1], ratio))
    print(f"{topics} topics of {len(corpora)} corpora")
    for ratio in RATIOS:
        mark = "  (search/keyboard.py's RATIO)" if ratio == RATIO else ""
        print(f"ratio {ratio}: false retypes {false[ratio]}, mistyped topics recovered "
              f"{recovered[ratio]}/{topics}{mark}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".cache/kit"))
