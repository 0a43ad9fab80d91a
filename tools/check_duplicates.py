"""Check the near-duplicates an index grouped (search/index/duplicates.py): the
precision of its threshold on pairs.

Each document of a group is paired with its group's first. For each pair
(or a sample of them) it prints the signatures' estimate, the exact Jaccard
similarity of the two texts' 5-word shingle sets (title and body), and the words that one
has and the other lacks, for reading; then counts the pairs whose exact
similarity reaches the threshold and those whose bodies are identical.

--recall compares every two documents' signatures (quadratic: a few
thousand documents), takes the pairs estimated at 0.5 or more, and counts
those at exact similarity >= THRESHOLD that the index grouped together.

    .venv/bin/python tools/check_duplicates.py INDEX_DIR [--under PREFIX] [--sample N] [--show N] [--recall]
"""
from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np

from search.index.backend import open_generation
from search.index.duplicates import SHINGLE, THRESHOLD, signature
from search.index.files import signed_text
from search.ingest import Document
from search.index.layout import current_generation

_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def text(stored: dict) -> str:
    return signed_text(Document(stored["id"], stored.get("title", ""), stored["body"], "", "", ""))


def pairs(view, under: str) -> list[tuple[int, int]]:
    """(first, other) docnums of each group, for documents whose id starts with `under`."""
    found = []
    for docnum in np.flatnonzero(view.shared):
        first = int(view.group[docnum])
        if first != docnum and view.stored(int(docnum))["id"].startswith(under):
            found.append((first, int(docnum)))
    return found


def recall(view, under: str) -> str:
    docs = [int(d) for d in np.flatnonzero(view.live) if view.stored(int(d))["id"].startswith(under)]
    bodies = {d: text(view.stored(d)) for d in docs}
    signatures = np.stack([np.frombuffer(signature(bodies[d]), np.uint32) for d in docs])
    candidates = []
    for start in range(0, len(docs), 256):  # 256 rows at a time: memory
        agree = (signatures[start:start + 256, None, :] == signatures[None, :, :]).mean(axis=2)
        candidates += [(docs[start + a], docs[b]) for a, b in zip(*np.nonzero(agree >= 0.5)) if start + a < b]
    similar = []
    for a, b in candidates:
        x, y = shingles(bodies[a]), shingles(bodies[b])
        if x | y and len(x & y) / len(x | y) >= THRESHOLD:
            similar.append((a, b))
    grouped = sum(int(view.group[a] == view.group[b]) for a, b in similar)
    return (f"recall: {len(docs)} documents, {len(candidates)} pair(s) estimated >= 0.5, {len(similar)} of them at "
            f"exact Jaccard >= {THRESHOLD}, {grouped} grouped together")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--under", default="", help="only documents whose id starts with this")
    parser.add_argument("--sample", type=int, default=0, help="check this many pairs at random (0: all)")
    parser.add_argument("--show", type=int, default=5, help="pairs to print in full")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--recall", action="store_true", help="also count similar pairs left apart (quadratic)")
    args = parser.parse_args()
    view = open_generation(current_generation(args.index))
    found = pairs(view, args.under)
    checked = found if not args.sample or args.sample >= len(found) else \
        random.Random(args.seed).sample(found, args.sample)
    reached = identical = 0
    for n, (a, b) in enumerate(checked):
        first, other = view.stored(a), view.stored(b)
        text_a, text_b = text(first), text(other)
        x, y = shingles(text_a), shingles(text_b)
        exact = len(x & y) / len(x | y) if x | y else 1.0
        estimate = float(np.mean(np.frombuffer(signature(text_a), np.uint32)
                                 == np.frombuffer(signature(text_b), np.uint32)))
        reached += exact >= THRESHOLD
        identical += text_a == text_b
        if n < args.show or exact < THRESHOLD:
            words_a, words_b = Counter(_WORD.findall(text_a.lower())), Counter(_WORD.findall(text_b.lower()))
            only_a, only_b = list((words_a - words_b).elements())[:12], list((words_b - words_a).elements())[:12]
            print(f"{first['id']}  ~  {other['id']}: estimate {estimate:.2f}, exact {exact:.2f}\n"
                  f"    only in the first: {' '.join(only_a) or '-'}\n    only in the other: {' '.join(only_b) or '-'}")
    print(f"{len(found)} grouped pair(s){f' under {args.under!r}' if args.under else ''}, {len(checked)} checked: "
          f"{reached} at exact Jaccard >= {THRESHOLD} ({reached / max(len(checked), 1):.1%}), "
          f"{identical} identical")
    if args.recall:
        print(recall(view, args.under))


if __name__ == "__main__":
    main()
