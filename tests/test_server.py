"""`mlsearch serve`: worker processes, answering, replacing a dead worker,
and stopping cleanly."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpers import NATO_RU, served
from search.query import MAX_QUERY_CHARS
from web.server import MALLOC_ARENAS

pytestmark = pytest.mark.slow


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _search(base: str, query: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/search?q={urllib.request.quote(query)}", timeout=30) as r:
        return json.load(r)


@pytest.fixture
def own_index(index_dir, tmp_path):
    own = tmp_path / "index"
    shutil.copytree(index_dir, own)
    return own


def test_workers_answer_translated_searches_and_stop_with_the_server(own_index):
    with served(own_index, workers=2) as (base, server):
        assert _wait_for(lambda: len(_children(server.pid)) == 2)
        workers = _children(server.pid)
        for _ in range(6):  # more than one worker's share
            result = _search(base, "energy security")
            assert set(result["facets"]["lang"]) >= {"en", "ru"}  # translated: both languages match
    assert server.returncode == 0
    assert _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 10)


def test_a_killed_worker_is_replaced_and_the_server_keeps_answering(own_index):
    with served(own_index, workers=2) as (base, server):
        assert _wait_for(lambda: len(_children(server.pid)) == 2)
        victim = min(_children(server.pid))
        os.kill(victim, signal.SIGKILL)
        assert _wait_for(lambda: victim not in _children(server.pid) and len(_children(server.pid)) == 2)
        assert _search(base, "энергетической безопасности")["total"] > 0


def test_each_request_gets_its_own_connection_so_any_free_worker_takes_the_next(own_index):
    with served(own_index, workers=2) as (base, server):
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", "/api/search?q=gas", headers={"Connection": "keep-alive"})
        response = connection.getresponse()
        response.read()
        assert response.getheader("Connection") == "close"
        connection.close()


# The longest queries the search box takes, URL-encoded at 6 and 12 bytes a
# character: past gunicorn's default request line of 4,094 bytes.
LONGEST_QUERIES = {"cyrillic": ("энергетическая безопасность " * 40)[:MAX_QUERY_CHARS],
                   "4-byte": "\U0001F600" * MAX_QUERY_CHARS}
# The search form's other fields, as a browser sends them.
FORM = {"lang": "ru", "since": "2001-01-01", "until": "2024-12-31", "sort": "date", "translate": ["0", "1"]}


def _get(base: str, path: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, whatever its status."""
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, r.headers.get_content_type(), r.read().decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers.get_content_type(), e.read().decode()


def test_the_longest_queries_the_search_box_takes_are_answered(own_index):
    with served(own_index, workers=1) as (base, _):
        for name, query in LONGEST_QUERIES.items():
            assert _get(base, "/api/search?" + urlencode({"q": query}))[0] == 200, name
            status, kind, page = _get(base, "/?" + urlencode(dict(FORM, q=query), doseq=True))
            assert (status, kind) == (200, "text/html"), name
            assert "query too long" not in page
            # A hit's link carries the query to the article.
            assert _get(base, f"/doc/{NATO_RU}?" + urlencode({"q": query}))[0] == 200, name


@pytest.mark.parametrize("characters", [MAX_QUERY_CHARS + 1, 20_000])
def test_a_longer_query_gets_the_apps_400_not_gunicorns_414(own_index, characters):
    message = f"query too long: at most {MAX_QUERY_CHARS} characters"
    with served(own_index, workers=1) as (base, _):
        for query in ("я" * characters, "\U0001F600" * characters):
            status, kind, body = _get(base, "/api/search?" + urlencode({"q": query}))
            assert (status, kind) == (400, "application/json")
            assert json.loads(body) == {"error": message}
            status, kind, page = _get(base, "/?" + urlencode(dict(FORM, q=query), doseq=True))
            assert (status, kind) == (400, "text/html")
            assert 'class="notice error" role="alert"' in page and message in page


_HEAPS = """
import ctypes, sys, tempfile, threading
from web.server import limit_malloc_arenas
if sys.argv[1] == "limited":
    limit_malloc_arenas()
together = threading.Barrier(8)  # alive at once, none takes an arena another has left
def allocate():
    together.wait()
    return [bytearray(200_000) for _ in range(20)]  # past pymalloc: malloc's own arenas
threads = [threading.Thread(target=allocate) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile("r") as out:
    f = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(f))
    libc.fclose(ctypes.c_void_p(f))
    print(out.read().count("<heap nr="))
"""


def test_a_server_process_and_its_threads_share_two_malloc_arenas():
    def heaps(mode: str) -> int:
        return int(subprocess.run([sys.executable, "-c", _HEAPS, mode], check=True, capture_output=True,
                                  text=True, env=dict(os.environ)).stdout)

    assert heaps("limited") <= MALLOC_ARENAS < heaps("default")


_FREED = """
from pathlib import Path
from web.server import release_freed_memory
def anonymous_kb():
    return next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("RssAnon"))
blocks = [bytearray(4000) for _ in range(20_000)]  # 80 MB from malloc's heap, past pymalloc
kept = blocks[::100]  # one block in a hundred pins the heap: its top cannot shrink
del blocks
before = anonymous_kb()
release_freed_memory()
print(before - anonymous_kb())
"""


def test_a_worker_gives_back_the_pages_its_requests_freed():
    released_kb = int(subprocess.run([sys.executable, "-c", _FREED], check=True, capture_output=True,
                                     text=True, env=dict(os.environ)).stdout)
    assert released_kb > 40_000  # of the ~79 MB freed
