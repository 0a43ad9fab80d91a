"""A larger corpus made from news-mix by recombining paragraphs.

Each new article takes the date line, title and body length of a random
article of one language and fills its body with random paragraphs of that
language up to that length (paragraph counts would not do: a Reuters table
has a paragraph a line). Copies of files would give an index many identical
postings; recombined articles keep the vocabulary, lengths and term spread
of real news. Seeded, so every run writes the same files.

    python -m benchmarks.corpus10x SOURCE_DIR OUT_DIR [--scale 10]
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

SEED = 5


def split_article(text: str) -> tuple[str, str, list[str]]:
    """(date line, title, paragraphs) of a file in the corpus layout."""
    lines = text.rstrip("\n").split("\n")
    date = lines.pop(0) if lines and lines[0].startswith(" date ") else ""
    title = ""
    if len(lines) > 1 and not lines[1].strip():
        title, lines = lines[0], lines[2:]
    return date, title, paragraphs(lines)


def paragraphs(lines: list[str]) -> list[str]:
    """Reuters hard-wraps its lines and indents a paragraph's first line;
    the other sources put one paragraph on a line."""
    wrapped = any(line[:1].isspace() for line in lines)
    out: list[list[str]] = []
    for line in lines:
        if not line.strip():
            continue
        if not out or not wrapped or line[:1].isspace():
            out.append([])
        out[-1].append(line)
    return ["\n".join(p) for p in out]


def build(source: Path, out: Path, scale: int = 10) -> int:
    """Write scale x as many articles as source has, per language; the
    number written."""
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    rng = random.Random(SEED)
    written = 0
    for lang_dir in sorted(p for p in source.iterdir() if p.is_dir()):
        articles = [split_article(p.read_text(encoding="utf-8")) for p in sorted(lang_dir.rglob("*.txt"))]
        pool = [p for _, _, paras in articles for p in paras]
        target = partial / lang_dir.name
        target.mkdir(parents=True)
        for n in range(scale * len(articles)):
            date, title, paras = rng.choice(articles)
            length = sum(map(len, paras))
            chosen, size = [], 0
            while True:
                p = rng.choice(pool)
                # Stop at the length nearest the model article's.
                if chosen and size + len(p) - length > length - size:
                    break
                chosen.append(p)
                size += len(p)
            body = "\n\n".join(chosen)
            head = [date] if date else []
            if title:
                head += [title, ""]
            # 1,000 files a directory keeps listings short.
            path = target / f"{n // 1000:03d}" / f"{n % 1000:03d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text("\n".join(head + [body]) + "\n", encoding="utf-8")
            written += 1
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args(argv)
    print(f"{build(args.source, args.out, args.scale)} articles in {args.out}")


if __name__ == "__main__":
    main()
