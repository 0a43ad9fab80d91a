"""Counterpart lookup on the kit's WMT pairs: each en/wmt/X article of the
news-mix corpus should find ru/wmt/X first with `similar(other_language=True)`,
and the reverse.

    python tools/evaluate_counterparts.py INDEX_DIR NEWS_MIX_CORPUS_DIR [--semantic]
(index the corpus first: mlsearch index .cache/kit/corpora/news-mix --index INDEX_DIR,
with --semantic for the lookup by vectors; any corpus with en/wmt/X and ru/wmt/X does)

With --semantic it also counts the lookups the article page calls confident
(Engine.counterpart), right and wrong.
"""
import sys
import time
from pathlib import Path

from search.engine import Engine


def main(index_dir: str, corpus: str, semantic: bool = False) -> None:
    engine = Engine(index_dir, semantic=semantic)
    names = sorted(p.name for p in (Path(corpus) / "en" / "wmt").glob("*.txt"))
    found = {"en->ru": 0, "ru->en": 0}
    confident = {"right": 0, "wrong": 0}
    pairs = 0
    started = time.perf_counter()
    for name in names:
        en, ru = f"en/wmt/{name}", f"ru/wmt/{name}"
        if engine.document(en) is None or engine.document(ru) is None:
            continue
        pairs += 1
        for source, target, key in ((en, ru, "en->ru"), (ru, en, "ru->en")):
            best, sure = engine.counterpart(source)
            found[key] += best is not None and best.id == target
            if best is not None and sure:
                confident["right" if best.id == target else "wrong"] += 1
    ms = (time.perf_counter() - started) / max(1, 2 * pairs) * 1000
    print(f"{pairs} pairs: " + ", ".join(f"{k} top-1 {v / max(1, pairs):.3f}" for k, v in found.items())
          + f"; {ms:.0f} ms per lookup")
    if semantic:
        print(f"said 'in the other language': {confident['right']} right, {confident['wrong']} wrong "
              f"of {2 * pairs} lookups")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--semantic"]
    if len(args) != 2:
        sys.exit(__doc__)
    main(*args, semantic="--semantic" in sys.argv[1:])
