"""bench.json -> bench.md: the tables and the targets."""
from __future__ import annotations

from benchmarks.queries import KINDS

MB = 1e6
TARGETS = {  # from issue #5; ms unless said otherwise
    "index_ratio": 1.5, "same": 30, "translated": 100, "same_big": 150, "translated_big": 300,
    "cold_s": 0.6, "rps": 300, "rss_mb": 300, "distinct_queries_mb": 300,
}

ENGINE_NAMES = {
    "mlsearch": "mlsearch (EN+RU morphology, procs=2)",
    "stock-whoosh": "stock whoosh (StemmingAnalyzer / LanguageAnalyzer('ru'), procs=1)",
    "fts5": "SQLite FTS5 (unicode61)",
}


def _pct(p: dict) -> str:
    return f"{p['p50']:.0f} / {p['p95']:.0f} / {p['p99']:.0f}"


def _indexing(results: dict, corpora: list[str]) -> list[str]:
    lines = ["## Indexing", "",
             "| corpus | engine | docs | MB | s | docs/s | MB/s | peak RSS MB | index MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name in corpora:
        for engine, f in results[name]["indexing"].items():
            reused = " (reused)" if f.get("reused") else ""
            lines.append(f"| {name} | {ENGINE_NAMES[engine]}{reused} | {f['docs']} | {f['bytes'] / MB:.0f} "
                         f"| {f['seconds']:.0f} | {f['docs_per_s']:.0f} | {f['mb_per_s']:.2f} "
                         f"| {f['peak_rss'] / MB:.0f} | {f['index_bytes'] / MB:.0f} |")
    lines += ["", "Peak RSS: of the indexing process and its workers, summed (pages shared after fork count "
                  "twice). Stock whoosh with StandardAnalyzer: not measured, benchmarks/stock_whoosh.py has no "
                  "such variant. Stock whoosh on the larger corpus: not run (too slow for the run's time)."]
    return lines


def _latency(results: dict, corpora: list[str]) -> list[str]:
    sizes = ", ".join(f"{results[n]['latency']['mlsearch']['bilingual/translated']['n']} on {n}" for n in corpora)
    lines = ["## Warm query latency, ms p50 / p95 / p99 (top 10)", "",
             f"Queries per set: {sizes}; each run once, after warm-up queries of each set.", "",
             "mlsearch: Engine.search with its defaults (snippets, spelling suggestions). "
             "same-language: `lang=` the query's language, `translate=False`; "
             "bilingual: the default, both sides run, words in the other script translated. "
             "The peers search all documents, untranslated, without snippets.", "",
             "| corpus | query set | mlsearch same-language | mlsearch bilingual | stock whoosh | FTS5 |",
             "|---|---|---|---|---|---|"]
    for name in corpora:
        lat = results[name]["latency"]
        for kind in KINDS:
            ours = lat["mlsearch"]
            same = _pct(ours[f"same-language/{kind}"]) if kind != "translated" else "–"
            peers = [_pct(lat[e][kind]) if e in lat else "not run" for e in ("stock-whoosh", "fts5")]
            lines.append(f"| {name} | {kind} | {same} | {_pct(ours[f'bilingual/{kind}'])} | {' | '.join(peers)} |")
    lines.append("")
    for name in corpora:
        ours = results[name]["latency"]["mlsearch"]
        slow = "; ".join(f"{s:.1f} s «{text[:40]}»" for s, text in ours["slowest_warmup"])
        lines.append(f"- {name}: opening the Engine {ours['open_s']:.2f} s; "
                     f"slowest warm-up queries (first use, not in the table): {slow}.")
    return lines


def _cold(cold: dict) -> list[str]:
    lines = ["## Cold CLI query on news-mix (`mlsearch search QUERY --index DIR`, process start to printed results)",
             "", "| query set | query | median s | runs s |", "|---|---|---|---|"]
    for kind, c in cold.items():
        runs = ", ".join(f"{t:.2f}" for t in c["runs"])
        lines.append(f"| {kind} | {c['query'][:50]} | {c['median_s']:.2f} | {runs} |")
    return lines


def _http(h: dict, m: dict) -> list[str]:
    lines = ["## HTTP /api/search on news-mix (`mlsearch serve`: gunicorn, a worker process per core, "
             "4 threads each; wrk, loopback)", "",
             f"Distinct: {h['requests_distinct']} different requests (queries of all four kinds, bilingual and "
             "same-language) in turn, more than the engine's result cache keeps, so every request is searched. "
             f"Repeated: {h['requests_repeated']} requests of the latency sets' first queries cycled, fewer than "
             "a worker's result cache keeps, so served from it after the first round.", "",
             "| query list | concurrency | s | requests | req/s | p50 ms | p95 ms | p99 ms | errors "
             "| CPU s of each worker |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for key, label, c in (("c8", "distinct", 8), ("c32", "distinct", 32), ("c32_repeated", "repeated", 32)):
        f = h[key]
        cpu = " / ".join(f"{s:.1f}" for s in f["workers_cpu_s"])
        lines.append(f"| {label} | {c} | {f['seconds']:.0f} | {f['requests']} | {f['rps']:.1f} | {f['p50_ms']:.0f} "
                     f"| {f['p95_ms']:.0f} | {f['p99_ms']:.0f} | {f['errors']} | {cpu} |")
    def held(m):
        return f"{m['pss'] / MB:.0f} MB PSS ({m['rss'] / MB:.0f} MB RSS)"
    lines += ["", f"Server memory, all {h['memory_warm']['processes']} processes together (PSS counts a page "
                  f"the workers share once; RSS in each): {held(h['memory_started'])} started, "
                  f"{held(h['memory_warm'])} after warm-up (lexicon loaded), {held(h['memory_after'])} after the load. "
                  f"A server started afresh (benchmarks/server_memory.py): {held(m['memory_warm'])} after warm-up, "
                  f"{held(m['memory_after'])} after {m['queries']:,} distinct queries, each sent once by "
                  f"{m['connections']} connections."]
    return lines


def targets(results: dict, big: str) -> list[tuple[str, str, str, bool]]:
    """(target, goal, measured, met)."""
    idx = results["news-mix"]["indexing"]
    ratio = idx["mlsearch"]["docs_per_s"] / idx["stock-whoosh"]["docs_per_s"]
    rows = [("indexing news-mix, docs/s vs stock whoosh", f"≥ {TARGETS['index_ratio']}×", f"{ratio:.2f}×",
             ratio >= TARGETS["index_ratio"])]
    for name, same_goal, tr_goal in (("news-mix", TARGETS["same"], TARGETS["translated"]),
                                     (big, TARGETS["same_big"], TARGETS["translated_big"])):
        lat = results[name]["latency"]["mlsearch"]
        for kind in KINDS[:3]:
            p95 = lat[f"same-language/{kind}"]["p95"]
            rows.append((f"{name} p95 same-language {kind}", f"≤ {same_goal} ms", f"{p95:.0f} ms", p95 <= same_goal))
        p95 = lat["bilingual/translated"]["p95"]
        rows.append((f"{name} p95 translated", f"≤ {tr_goal} ms", f"{p95:.0f} ms", p95 <= tr_goal))
    cold = max(c["median_s"] for c in results["news-mix"]["cold_cli"].values())
    rows.append(("cold CLI query, news-mix (slowest query set's median)", f"≤ {TARGETS['cold_s']} s",
                 f"{cold:.2f} s", cold <= TARGETS["cold_s"]))
    c32 = results["http"]["c32"]
    rows.append(("web /api/search at concurrency 32, distinct requests", f"≥ {TARGETS['rps']} req/s, 0 errors",
                 f"{c32['rps']:.1f} req/s, {c32['errors']} errors", c32["rps"] >= TARGETS["rps"] and not c32["errors"]))
    warm, after = (results["http"][k]["pss"] / MB for k in ("memory_warm", "memory_after"))
    rows.append(("server memory (PSS of all its processes) with the lexicon loaded", f"≤ {TARGETS['rss_mb']} MB",
                 f"{warm:.0f} MB ({after:.0f} after the load)", warm <= TARGETS["rss_mb"]))
    m = results["server_memory"]
    after = m["memory_after"]["pss"] / MB
    rows.append((f"server memory (PSS of all its processes) after {m['queries']:,} distinct queries",
                 f"≤ {TARGETS['distinct_queries_mb']} MB", f"{after:.0f} MB", after <= TARGETS["distinct_queries_mb"]))
    return rows


def markdown(results: dict, big: str) -> str:
    corpora = ["news-mix", big]
    m = results["machine"]
    load = f"load average {m['load_avg_start'][0]:.1f} at the start, {m['load_avg_end'][0]:.1f} at the end"
    lines = ["# Benchmark", "",
             f"`make bench` (`.venv/bin/python -m benchmarks.bench --reuse`): {results['seconds'] / 60:.0f} min, "
             f"{m['cpus']} CPUs, {load}. "
             "The machine is shared: compare engines "
             "within one run, not runs with each other.", "",
             "## Targets", "", "| target | goal | measured | met |", "|---|---|---|---|"]
    lines += [f"| {t} | {goal} | {value} | {'yes' if ok else '**no**'} |" for t, goal, value, ok in targets(results, big)]
    for part in (_indexing(results, corpora), _latency(results, corpora), _cold(results["news-mix"]["cold_cli"]),
                 _http(results["http"], results["server_memory"])):
        lines += [""] + part
    return "\n".join(lines) + "\n"
