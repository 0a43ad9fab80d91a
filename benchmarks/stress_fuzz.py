"""Fuzzing: random queries against the parser, the analyzer, the engine and
the JSON API, and schemathesis against the OpenAPI description.

tests/test_fuzz.py runs the same checks with fewer inputs; `make stress`
runs this over the shipped corpus plus 250 generated articles:

    python -m benchmarks.stress_fuzz [--examples 20000] [--requests 50000] [--api-examples 2000]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import query as q
from search.analysis import analyze, terms_of

FRAGMENTS = ('"', "«", "»", "“", "”", "(", ")", " AND ", " OR ", " NOT ", "AND", "OR", "NOT", "-", "+",
             "lang:", "date:", "title:", "body:", "source:", "foo:", "[", "]", "[+x,-y]", "[+нефть,-масло]",
             ",", "..", ":", " ", "газ", "энергетика", "Газпром", "energy", "pipeline", "SOCAR", "ё", "en",
             "ru", "other", "2023", "2023-02", "2023-02-30", "0000", "99999", "10:30", "Trend",
             "\u0301", "\u00ad", "‐", "\u200b", "\u202e", "\x00", "\ud800", "\udcff", "\U0001F600",
             "<script>", "%", "&", "\\", "/", "İ", "ß", "ﬃ", "\U00017000ж")  # a Tangut letter has no Unicode name
# Any code point, lone surrogates too (as argv holds undecodable bytes).
_ANY_CHARACTER = st.characters(exclude_categories=())


def queries() -> st.SearchStrategy[str]:
    """Any text, and text made of query syntax with random pieces between."""
    pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(_ANY_CHARACTER, max_size=4))
    return st.one_of(st.text(_ANY_CHARACTER, max_size=60), st.lists(pieces, max_size=40).map("".join))


def search_options() -> st.SearchStrategy[dict]:
    dates = st.one_of(st.none(), st.sampled_from(("2023", "2023-02", "2023-02-30", "0000", "20231", "")),
                      st.text(max_size=12))
    return st.fixed_dictionaries({
        "lang": st.sampled_from((None, "en", "ru", "other", "en,ru", "xx", "")),
        "sort": st.sampled_from(("relevance", "date", "best")),
        "page": st.one_of(st.integers(-2, 3), st.integers(-10**30, 10**30)),
        "limit": st.one_of(st.integers(-2, 12), st.integers(-10**30, 10**30)),
        "since": dates, "until": dates, "translate": st.booleans(),
    })


def check_parse(text: str) -> None:
    """A parse or a QueryError; a parse holds at most MAX_WORDS words."""
    try:
        parsed = q.parse(text)
    except q.QueryError as e:
        assert str(e)
        return
    assert len(parsed.words) <= q.MAX_WORDS and all(w.text for w in parsed.words)


def check_analysis(text: str) -> None:
    """Terms with offsets inside the text and positions in order."""
    terms = analyze(text)
    assert [t.text for t in terms] == terms_of(text)
    assert all(t.text and 0 <= t.start < t.end <= len(text) for t in terms)
    assert [t.pos for t in terms] == sorted(t.pos for t in terms)
    analyze(text, alternatives=True)


def check_search(engine, text: str, options: dict) -> None:
    """A result or a QueryError, and a result no longer than its limit."""
    try:
        result = engine.search(text, **options)
    except q.QueryError as e:
        assert str(e)
        return
    assert len(result.hits) <= min(result.limit, result.total)


def hypothesis_settings(examples: int) -> settings:
    # No example database: a run leaves no .hypothesis/ behind.
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


# -- random requests to /api/search ----------------------------------------------

_NUMBERS = ("1", "2", "3", "10", "100", "101", "1000", "1001", "0", "-1", "9" * 40, "1e3", "0x10", " 5",
            "١", "５", "", "2.5", "+3")
_DATES = ("2023", "2023-01", "2023-01-31", "2023-02-30", "2023-13", "0000", "9999-12-31", "1970-01-01",
          "99999", "2023-1-1", "yesterday", "", "2023/01/01", "2023-01-01T00:00")


def random_text(rnd: random.Random, size: int) -> str:
    """Letters of any script, symbols, controls and astral characters."""
    ranges = ((0x20, 0x7F), (0x400, 0x500), (0, 0x3000), (0x3000, 0x30000))
    return "".join(chr(rnd.randrange(*rnd.choice(ranges))) for _ in range(size))


def random_query(rnd: random.Random) -> str:
    pieces = [rnd.choice(FRAGMENTS) if rnd.random() < 0.6 else random_text(rnd, rnd.randrange(1, 8))
              for _ in range(rnd.randrange(0, 14))]
    return rnd.choice(("", " ")).join(pieces)


def random_params(rnd: random.Random) -> dict[str, str]:
    params = {"q": random_query(rnd)}
    for name, values in (("page", _NUMBERS), ("limit", _NUMBERS), ("since", _DATES), ("until", _DATES),
                         ("lang", ("en", "ru", "other", "xx", "", "en,ru", "EN")),
                         ("sort", ("relevance", "date", "", "random")),
                         ("translate", ("0", "1", "true", "false", "no", "on", "maybe", ""))):
        if rnd.random() < 0.1:
            params[name] = rnd.choice(values)
    return params


def fuzz_api(client, requests: int, seed: int) -> tuple[Counter, list[dict]]:
    """Status counts of `requests` random GET /api/search, and the
    parameters of every one that was not a 200 or 400 with a JSON body."""
    rnd = random.Random(seed)
    statuses: Counter = Counter()
    bad = []
    for _ in range(requests):
        params = random_params(rnd)
        # Lone surrogates go out as the invalid UTF-8 a client could send.
        response = client.get("/api/search", query_string=urlencode(params, errors="surrogatepass"))
        statuses[response.status_code] += 1
        body = response.get_json(silent=True)
        ok = (response.status_code == 200 and isinstance(body, dict) and "hits" in body) or \
             (response.status_code == 400 and isinstance(body, dict) and body.get("error"))
        if not ok:
            bad.append(params)
    return statuses, bad


# -- schemathesis ---------------------------------------------------------------

def run_schemathesis(app, examples: int) -> int:
    """`examples` positive and `examples` negative cases over every operation
    in /api/openapi.json, each sent to the app and its response checked
    against the description; returns how many ran and raises on the first
    failure (shrunk to a minimal case)."""
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # A query can match its schema and still be malformed ("(" is a string
    # of length 1): a 400 for valid-looking input is documented, not a fault.
    excluded = [positive_data_acceptance]
    ran = 0
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @given(case=schema.as_strategy(generation_mode=mode))
        @hypothesis_settings(examples)
        def check(case):
            nonlocal ran
            ran += 1
            case.call_and_validate(excluded_checks=excluded)

        check()
    return ran


# -- the long run ---------------------------------------------------------------

def main() -> int:
    from benchmarks.stress_crash import record, write_articles
    from search.engine import Engine
    from search.index.writer import build
    from web import create_app

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=20_000, help="hypothesis examples per property (a quarter for Engine.search)")
    parser.add_argument("--requests", type=int, default=50_000, help="random API requests")
    parser.add_argument("--api-examples", type=int, default=2_000, help="schemathesis cases per mode")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rows, failed = [], 0
    with tempfile.TemporaryDirectory(prefix="stress-fuzz-") as work:
        corpus, index = Path(work) / "corpus", Path(work) / "index"
        write_articles(corpus, 250, args.seed)
        for path in (Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"):
            (corpus / path.name).write_bytes(path.read_bytes())
        build(corpus, index)
        engine = Engine(index)
        app = create_app({"INDEX_DIR": str(index)})

        def timed(name: str, tried: str, run) -> None:
            nonlocal failed
            started = time.perf_counter()
            try:
                outcome = run()
            except Exception as e:  # a property or check that failed: its message is the report
                failed += 1
                outcome = f"FAILED: {type(e).__name__}: {str(e).strip().splitlines()[0][:200]}"
            rows.append(f"| {name} | {tried} | {outcome} | {time.perf_counter() - started:.0f} |")
            print(rows[-1], flush=True)

        ran: Counter = Counter()

        @given(queries())
        def parse(text):
            ran["parse"] += 1
            check_parse(text)

        @given(queries())
        def analysis(text):
            ran["analysis"] += 1
            check_analysis(text)

        @given(queries(), search_options())
        def search(text, options):
            ran["search"] += 1
            check_search(engine, text, options)

        def run_property(prop, examples: int) -> str:
            hypothesis_settings(examples)(prop)()
            return f"{ran[prop.__name__]:,} inputs run, 0 failures"

        for name, prop, examples in (("query.parse", parse, args.examples),
                                     ("analysis.analyze / terms_of", analysis, args.examples),
                                     ("Engine.search", search, args.examples // 4)):
            timed(f"{name} (hypothesis)", f"{examples:,} asked for", partial(run_property, prop, examples))

        def api() -> str:
            statuses, bad = fuzz_api(app.test_client(), args.requests, args.seed)
            if bad:
                raise AssertionError(f"{len(bad)} bad responses ({dict(statuses)}), first for {bad[0]}")
            return ", ".join(f"{n:,} × {code}" for code, n in sorted(statuses.items())) + ", 0 × 500"

        timed("GET /api/search, random parameters", f"{args.requests:,} requests", api)
        timed("schemathesis over /api/openapi.json", f"{2 * args.api_examples:,} cases",
              lambda: f"{run_schemathesis(app, args.api_examples):,} cases ran, 0 failures")

    table = "\n".join([
        f"An index over the shipped corpus and 250 generated articles; seed {args.seed} for the articles and the "
        "random requests. A failure is "
        "an exception other than QueryError, a broken property, a response other than a 200 or a 400 "
        "with a JSON body, or a response that does not conform to the OpenAPI description.",
        "",
        "| target | inputs | outcome | seconds |",
        "| --- | --- | --- | --- |",
        *rows,
    ])
    record("Fuzzing", table)
    print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
