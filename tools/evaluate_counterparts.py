"""Counterpart lookup on the kit's WMT pairs: each en/wmt/X article of the
news-mix corpus should find ru/wmt/X first with `similar(other_language=True)`,
and the reverse.

    python tools/evaluate_counterparts.py INDEX_DIR NEWS_MIX_CORPUS_DIR
(index the corpus first: mlsearch index .cache/kit/corpora/news-mix --index INDEX_DIR)
"""
import sys
import time
from pathlib import Path

from search.engine import Engine


def main(index_dir: str, corpus: str) -> None:
    engine = Engine(index_dir)
    names = sorted(p.name for p in (Path(corpus) / "en" / "wmt").glob("*.txt"))
    found = {"en->ru": 0, "ru->en": 0}
    pairs = 0
    started = time.perf_counter()
    for name in names:
        en, ru = f"en/wmt/{name}", f"ru/wmt/{name}"
        if engine.document(en) is None or engine.document(ru) is None:
            continue
        pairs += 1
        for source, target, key in ((en, ru, "en->ru"), (ru, en, "ru->en")):
            best = engine.similar(source, other_language=True, limit=1)
            found[key] += bool(best) and best[0].id == target
    ms = (time.perf_counter() - started) / max(1, 2 * pairs) * 1000
    print(f"{pairs} pairs: " + ", ".join(f"{k} top-1 {v / max(1, pairs):.3f}" for k, v in found.items())
          + f"; {ms:.0f} ms per lookup")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
