"""The `mlsearch` command line.

Usage errors (no index yet, bad query syntax, missing corpus directory)
and a full disk print one line on stderr and exit 2; a failed indexing
worker exits 1. Heavy modules are imported inside the commands, so a
query does not pay for indexing code.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from search.languages import CODES

DEFAULT_INDEX = os.environ.get("MLSEARCH_INDEX", "indexes/corpus")
index_option = click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True,
                            type=click.Path(file_okay=False, path_type=Path),
                            help="Index directory (env MLSEARCH_INDEX).")
lexicon_option = click.option("--lexicon", "lexicons", multiple=True,
                              type=click.Path(exists=True, dir_okay=False, path_type=Path),
                              help="Extra EN-RU lexicon file (repeatable); see README.")


def fail(message: str):
    click.echo(f"mlsearch: {message}", err=True)
    sys.exit(2)


def open_engine(index_dir: Path, lexicons=()):
    from search.engine import Engine
    from search.index.layout import IndexUnavailable

    try:
        return Engine(index_dir, lexicon_paths=lexicons or _configured_lexicons())
    except IndexUnavailable as e:
        fail(str(e))


def _configured_lexicons() -> tuple[Path, ...]:
    """Lexicons named in MLSEARCH_LEXICONS (os.pathsep-separated)."""
    value = os.environ.get("MLSEARCH_LEXICONS", "")
    return tuple(Path(p) for p in value.split(os.pathsep) if p)


@click.group()
@click.version_option(package_name="mlsearch")
def main():
    """Morphology-aware English/Russian news search with cross-language lookup."""


@main.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(path_type=Path))
@index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of updating.")
@click.option("--procs", type=click.IntRange(1, 32), default=None, help="Worker processes for a full build.")
def index(corpus_dir, index_dir, full, procs):
    """Index CORPUS_DIR (new, changed and deleted files only, unless --full)."""
    from tqdm import tqdm

    from search.index.layout import IndexUnavailable
    from search.index.parallel import WorkerFailed
    from search.index.writer import build
    from search.ingest import printable

    def progress(items, total):
        # On a terminal only (disable=None): piped, the build stays quiet.
        columns, lines = _terminal_size(sys.stderr)
        return tqdm(items, total=total, unit="file", desc="indexing", file=sys.stderr, disable=None,
                    ncols=columns, nrows=lines)

    if not corpus_dir.is_dir():
        fail(f"corpus directory not found: {corpus_dir}")
    try:
        report = build(corpus_dir, index_dir, full=full, procs=procs, progress=progress)
    except IndexUnavailable as e:
        fail(str(e))
    except WorkerFailed as e:
        # A bug or a killed process, not a usage error: the worker's traceback
        # for a report, then the one line that says what happened.
        click.echo(e.details, err=True, nl=False)
        click.echo(f"mlsearch: {e}", err=True)
        sys.exit(1)
    if report.recovered_lock:
        click.echo(report.recovered_lock, err=True)
    langs = ", ".join(f"{n} {lang}" for lang, n in sorted(report.documents.items())) or "none"
    # Names are printed escaped: a file's may hold any byte, control characters too,
    # and a reason may name a directory.
    click.echo(f"index {printable(str(index_dir))} ({report.generation}): "
               f"{sum(report.documents.values())} documents: {langs}")
    click.echo(f"  added {report.added}, updated {report.updated}, deleted {report.deleted}, "
               f"unchanged files {report.unchanged_files}, in {report.seconds:.1f} s")
    if report.skipped:
        click.echo(f"  skipped {len(report.skipped)} file(s):")
        for s in report.skipped:
            click.echo("    " + printable(f"{s.path}: {s.reason}"))
    if report.notes:
        click.echo(f"  {len(report.notes)} note(s) on indexed files:")
        for n in report.notes:
            click.echo("    " + printable(f"{n.path}: {n.text}"))


# The size assumed of a terminal that reports none: a pty whose window size
# was never set reports 0 x 0, from which tqdm took -1 lines and drew nothing.
FALLBACK_SIZE = (80, 24)


def _terminal_size(stream) -> tuple[int | None, int | None]:
    """(columns, lines) of the terminal `stream` writes to; Nones when it
    is no terminal."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None, None
    return size.columns or FALLBACK_SIZE[0], size.lines or FALLBACK_SIZE[1]


def _run_search(engine, query, **options):
    from search.query import QueryError

    try:
        return engine.search(query, **options)
    except QueryError as e:
        fail(f"bad query: {e}")


@main.command()
@click.argument("query")
@index_option
@click.option("--lang", type=click.Choice(CODES), help="Only articles in this language.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True)
@click.option("--since", help="Earliest date, YYYY[-MM[-DD]].")
@click.option("--until", help="Latest date, YYYY[-MM[-DD]].")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--no-translate", is_flag=True, help="Search the query as written, in its own language only.")
@click.option("--as-typed", is_flag=True, help="Search the query as typed, even when it looks typed in the "
                                               "wrong keyboard layout (ytanm for нефть).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@lexicon_option
def search(query, index_dir, lang, limit, page, since, until, sort, no_translate, as_typed, as_json, lexicons):
    """Search the index; prints title, date, language, id and a snippet."""
    engine = open_engine(index_dir, lexicons)
    result = _run_search(engine, query, lang=lang, limit=limit, page=page, since=since, until=until,
                         sort=sort, translate=not no_translate, as_typed=as_typed)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(f"{result.total} result(s) in {result.took_ms:.0f} ms")
    if result.typed:
        click.echo(f"  searched as {result.query} (typed in the other keyboard layout; --as-typed searches "
                   f"{result.typed})")
    for t in result.translations:
        shown = ", ".join(t["translations"]) or "(no translation)"
        click.echo(f"  {t['word']} → {shown}")
    for s in result.suggestions:
        click.echo(f"  did you mean: {s}")
    _print_hits(result.hits, (page - 1) * limit + 1)


def _print_hits(hits, first: int) -> None:
    """Numbered hits from `first`: title, language, date, outlet, id and
    snippet (matched words in bold on a terminal), as `search` and
    `similar` print them."""
    from search.snippets import to_terminal

    bold = sys.stdout.isatty()
    for i, h in enumerate(hits, first):
        meta = " · ".join(x for x in (h.lang, h.date, h.source) if x)
        click.echo(f"\n{i}. {h.title or '(untitled)'}  [{meta}]")
        click.echo(f"   {h.id}")
        if h.fragments:
            click.echo("   " + to_terminal(h.fragments, bold))


@main.command()
@click.argument("topics", type=click.File("r", encoding="utf-8"))
@index_option
@click.option("--limit", type=click.IntRange(1, 1000), default=100, show_default=True)
@click.option("--lang", type=click.Choice(CODES), help="Only articles in this language.")
@click.option("--no-translate", is_flag=True)
@click.option("--tag", default="mlsearch", show_default=True, help="Run tag in the last column.")
@lexicon_option
def batch(topics, index_dir, limit, lang, no_translate, tag, lexicons):
    """Run every `qid<TAB>query` line of TOPICS; print a TREC run."""
    from search.analysis import WORD_RE
    from search.query import QueryError

    engine = open_engine(index_dir, lexicons)
    out = sys.stdout
    for n, line in enumerate(topics, 1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        qid, sep, text = line.partition("\t")
        if not sep:
            fail(f"{topics.name}:{n}: expected 'qid<TAB>query'")
        options = dict(limit=limit, lang=lang, translate=not no_translate, with_snippets=False, suggest=False)
        try:
            result = engine.search(text, **options)
        except QueryError as e:
            # Topics are natural language: read a malformed one as plain words.
            click.echo(f"{topics.name}:{n}: {e}; searching its words", err=True)
            words = " ".join(m.group() for m in WORD_RE.finditer(text) if m.group() not in ("AND", "OR", "NOT"))
            if not words:
                continue
            result = engine.search(words, **options)
        previous = None
        for rank, h in enumerate(result.hits, 1):
            # Evaluators sort by score, so a tie must not undo the ranking.
            score = h.score if previous is None else min(h.score, previous - 1e-6)
            out.write(f"{qid} Q0 {h.id} {rank} {score:.6f} {tag}\n")
            previous = score


@main.command()
@click.argument("run", type=click.Path(exists=True, dir_okay=False))
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False))
def evaluate(run, qrels):
    """Score a TREC RUN against QRELS: nDCG@10, MRR@10, Recall@100."""
    from search.evaluation import evaluate as score

    for name, value in score(run, qrels).items():
        click.echo(f"{name}\t{value:.4f}")


@main.command()
@click.argument("doc_id")
@index_option
@click.option("--json", "as_json", is_flag=True)
def show(doc_id, index_dir, as_json):
    """Print one document by its id."""
    engine = open_engine(index_dir)
    doc = engine.document(doc_id)
    if doc is None:
        fail(f"no document with id {doc_id!r}")
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    click.echo(doc.get("title") or "(untitled)")
    meta = " · ".join(x for x in (doc.get("lang"), doc.get("date"), doc.get("source"), doc.get("url")) if x)
    click.echo(f"[{meta}] {doc['id']}\n")
    click.echo(doc.get("body", ""))


@main.command()
@click.argument("doc_id")
@index_option
@click.option("--other-language", is_flag=True, help="Find the same story in the other language.")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@lexicon_option
def similar(doc_id, index_dir, other_language, limit, as_json, lexicons):
    """Articles about the same story as DOC_ID (its counterpart with --other-language)."""
    engine = open_engine(index_dir, lexicons)
    if engine.document(doc_id) is None:
        fail(f"no document with id {doc_id!r}")
    hits = engine.similar(doc_id, other_language=other_language, limit=limit)
    if as_json:
        click.echo(json.dumps([{k: v for k, v in vars(h).items() if k != "fragments"} for h in hits],
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"{len(hits)} article(s) like {doc_id}")
    _print_hits(hits, 1)


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True)
def stats(index_dir, as_json):
    """Documents per language and year, build time and size of the index."""
    info = open_engine(index_dir).stats()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    click.echo(f"index: {index_dir} ({info['generation']}), built {info['built']}")
    click.echo(f"corpus: {info['corpus']}")
    click.echo(f"documents: {info['documents']}  " + ", ".join(f"{k} {v}" for k, v in sorted(info["languages"].items())))
    click.echo("years: " + ", ".join(f"{y} {n}" for y, n in info["years"].items()) + f", undated {info['undated']}")
    click.echo(f"size: {info['index_bytes'] / 1e6:.1f} MB")
    if info["skipped"]:
        click.echo(f"skipped at build: {len(info['skipped'])} file(s)")


@main.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="one per core",
              help="Server processes: each answers one search at a time.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Connections each worker holds at once.")
@lexicon_option
def serve(index_dir, host, port, workers, threads, lexicons):
    """Serve the web UI and JSON API (gunicorn)."""
    from web import create_app
    from web.server import serve as run_server

    lexicons = lexicons or _configured_lexicons()
    engine = open_engine(index_dir, lexicons)  # fail early, with one line, when there is no index
    app = create_app({"INDEX_DIR": str(index_dir), "LEXICONS": [str(p) for p in lexicons]})
    click.echo(f"serving {index_dir} on http://{host}:{port}/ ({workers} worker processes)", err=True)
    run_server(app, engine, host, port, workers, threads)


if __name__ == "__main__":
    main()
