"""`mlsearch serve`: worker processes, answering, replacing a dead worker,
and stopping cleanly."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import served

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
