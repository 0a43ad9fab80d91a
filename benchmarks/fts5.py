"""Reference peer: SQLite FTS5 with the unicode61 tokenizer (no stemming),
through Python's sqlite3, on the same files as stock whoosh reads.

    python -m benchmarks.fts5 index CORPUS_DIR --db FILE
"""
from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import time
from pathlib import Path

from benchmarks.stock_whoosh import read_corpus

_WORD = re.compile(r"\w+")


def index(corpus_dir: Path, db: Path) -> dict:
    start = time.perf_counter()
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize='unicode61')")
    docs = 0
    with con:
        for docid, text in read_corpus(corpus_dir):
            con.execute("INSERT INTO docs (id, body) VALUES (?, ?)", (docid, text))
            docs += 1
    con.execute("INSERT INTO docs (docs) VALUES ('optimize')")
    con.commit()
    con.close()
    return {"docs": docs, "seconds": round(time.perf_counter() - start, 2)}


def match_expression(text: str) -> str:
    """An FTS5 query for our query syntax: "a b" stays a phrase, other words
    are ORed (as stock whoosh's OrGroup does); every token is quoted, so
    words like NOT or NEAR are not taken for operators."""
    parts = []
    for i, chunk in enumerate(text.split('"')):
        words = _WORD.findall(chunk)
        if i % 2:
            if words:
                parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"' for w in words)
    return " OR ".join(parts)


class Searcher:
    def __init__(self, db: Path):
        self.con = sqlite3.connect(db, check_same_thread=False)

    def search(self, text: str, limit: int = 10) -> list[str]:
        expression = match_expression(text)
        if not expression:
            return []
        rows = self.con.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?", (expression, limit))
        return [r[0] for r in rows]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fts5", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    index_cmd = commands.add_parser("index", help="index a corpus directory")
    index_cmd.add_argument("corpus", type=Path)
    index_cmd.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    print(index(args.corpus, args.db), file=sys.stderr)


if __name__ == "__main__":
    main()
