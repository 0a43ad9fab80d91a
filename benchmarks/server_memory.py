"""Server memory after many different searches: `mlsearch serve` on
loopback, warmed up, then each of N distinct queries sent once, as the web
client sends it, by a few connections at a time. PSS of all the server's
processes before and after; `make bench` runs it on news-mix.

    python -m benchmarks.server_memory --index DIR [--queries 10000]
"""
from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import http_load, queries
from benchmarks.report import MB

QUERIES = 10_000
CONNECTIONS = 8  # enough to keep both workers of a 2-core machine busy


def run(index_dir: Path, distinct: list[tuple[str, str]], warmup: dict) -> dict:
    """PSS (and RSS) of the server's processes warmed up and after the
    distinct queries; a search that does not answer 200 raises."""
    requests = ["/api/search?" + urlencode({"q": text}) for _, text in distinct]
    with http_load.serving(index_dir) as (base, pid):
        http_load.warm_up(base, warmup)
        result = {"queries": len(requests), "connections": CONNECTIONS, "memory_warm": http_load.memory(pid)}
        with ThreadPoolExecutor(CONNECTIONS) as pool:
            list(pool.map(lambda path: http_load.get(base + path), requests))
        result["memory_after"] = http_load.memory(pid)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index directory to serve")
    parser.add_argument("--queries", type=int, default=QUERIES, help="distinct queries to send")
    args = parser.parse_args()
    from benchmarks.bench import kit_dir, query_sets  # bench imports this module

    kit = kit_dir()
    result = run(args.index, queries.distinct(kit, args.queries), query_sets(kit)[1])
    warm, after = result["memory_warm"], result["memory_after"]
    print(f"server PSS, {after['processes']} processes: {warm['pss'] / MB:.0f} MB warmed up, "
          f"{after['pss'] / MB:.0f} MB after {result['queries']} distinct queries "
          f"(RSS {warm['rss'] / MB:.0f}, {after['rss'] / MB:.0f} MB)")


if __name__ == "__main__":
    main()
