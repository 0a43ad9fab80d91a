"""Reference peer: stock whoosh, set up as a user of the library would.

One text field analyzed by whoosh's StemmingAnalyzer (Latin script) or
LanguageAnalyzer('ru') (Cyrillic), chosen per text by which script has more
letters; whoosh's QueryParser with OrGroup (minus wildcards) and the default
BM25F. Documents are read as they are, without our ingest.

    python -m benchmarks.stock_whoosh index CORPUS_DIR --index DIR
    python -m benchmarks.stock_whoosh batch TOPICS_TSV --index DIR --limit 100
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer, LanguageAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import OrGroup, QueryParser, WildcardPlugin

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]", re.I)
RUN_TAG = "stock-whoosh"


def script_of(text: str) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones, else 'en'."""
    return "ru" if len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)) else "en"


class ScriptAnalyzer(Analyzer):
    """Routes each text it is given to the analyzer of its majority script.

    whoosh has no per-document analyzer, so this is the smallest stock-built
    way to give one field both languages.
    """

    def __init__(self):
        self.by_script = {"en": StemmingAnalyzer(), "ru": LanguageAnalyzer("ru")}

    def __call__(self, value, **kwargs):
        return self.by_script[script_of(value)](value, **kwargs)


def read_corpus(corpus_dir: Path):
    """Yield (docid, text): docid is the path relative to the corpus root."""
    for path in sorted(corpus_dir.rglob("*.txt")):
        yield path.relative_to(corpus_dir).as_posix(), path.read_text(encoding="utf-8")


def read_topics(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in f if line.strip()]


def index(corpus_dir: Path, index_dir: Path) -> dict:
    start = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=ScriptAnalyzer()))
    ix = whoosh_index.create_in(str(index_dir), schema)
    writer = ix.writer()
    docs = 0
    for docid, text in read_corpus(corpus_dir):
        writer.add_document(id=docid, body=text)
        docs += 1
    writer.commit()
    return {"docs": docs, "seconds": round(time.perf_counter() - start, 2)}


def batch(index_dir: Path, topics: list[tuple[str, str]], limit: int) -> list[str]:
    """TREC run lines for the topics, each query analyzed as a whole in its script."""
    ix = whoosh_index.open_dir(str(index_dir))
    analyzers = ix.schema["body"].analyzer.by_script
    # A parser per script, so a Latin name in a Russian query is analyzed the
    # way it was in Russian documents, not on its own.
    parsers = {}
    for script, analyzer in analyzers.items():
        parser = QueryParser("body", Schema(body=TEXT(analyzer=analyzer)), group=OrGroup)
        # Topics are natural language: 'Warsaw?' is a question, not a
        # wildcard (which would also skip the analyzer and match nothing).
        parser.remove_plugin_class(WildcardPlugin)
        parsers[script] = parser
    lines = []
    with ix.searcher() as searcher:
        for qid, text in topics:
            query = parsers[script_of(text)].parse(text)
            for rank, hit in enumerate(searcher.search(query, limit=limit), 1):
                lines.append(f"{qid} Q0 {hit['id']} {rank} {hit.score:.6f} {RUN_TAG}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stock_whoosh", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    index_cmd = commands.add_parser("index", help="index a corpus directory")
    index_cmd.add_argument("corpus", type=Path)
    index_cmd.add_argument("--index", type=Path, required=True)
    batch_cmd = commands.add_parser("batch", help="run topics.tsv, print a TREC run")
    batch_cmd.add_argument("topics", type=Path)
    batch_cmd.add_argument("--index", type=Path, required=True)
    batch_cmd.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)
    if args.command == "index":
        print(index(args.corpus, args.index), file=sys.stderr)
    else:
        sys.stdout.write("".join(line + "\n" for line in batch(args.index, read_topics(args.topics), args.limit)))


if __name__ == "__main__":
    # Run the package's copy of this module, so the schema pickled into the
    # index names benchmarks.stock_whoosh.ScriptAnalyzer, not __main__.
    from benchmarks.stock_whoosh import main as package_main

    package_main()
