"""Helpers shared by the test modules: the sample corpus, article text, an
index or an engine over given articles, search results' ids, a real `mlsearch serve`,
and running as an unprivileged user."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from search.index.layout import current_generation
from search.index.reader import WhooshReader
from search.index.writer import build

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus"  # the shipped sample articles
NATO_RU = "004_7cdd14b6ffe0cde8.txt"  # the sample's Russian NATO energy-security article
SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
XSS_ID = "xss_article.txt"
LINKED_ID, SCRIPT_URL_ID = "links.json#1", "links.json#2"

RUSSIAN = ("В Баку прошел круглый стол, посвященный изучению вопросов энергетической "
           "безопасности и изменения климата. Форум был организован в рамках 30-летия "
           "присоединения Азербайджана к рамочному документу НАТО.")
ENGLISH = ("The first meeting of the Azerbaijan-Albania working group was held in Tirana. "
           "The ministry said that the two countries are members of the TAP project, which "
           "plays a strategic role in the energy security of Europe.")


def index_over(directory: Path, articles: dict[str, str]) -> Path:
    """A fresh index, in `directory`, of the given files (name: text); its path."""
    corpus = directory / "corpus"
    for name, text in articles.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    build(corpus, directory / "index")
    return directory / "index"


def engine_over(directory: Path, articles: dict[str, str]):
    """An Engine over a fresh index, in `directory`, of the given files (name: text)."""
    from search.engine import Engine

    return Engine(index_over(directory, articles))


def ids(result) -> list[str]:
    """The ids of a SearchResult's hits, in rank order."""
    return [h.id for h in result.hits]


@contextlib.contextmanager
def as_unprivileged_user():
    """Root reads any file whatever its mode: test permissions as 'nobody'
    by switching the effective uid, which root can switch back."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@contextlib.contextmanager
def served(index: Path, workers: int):
    """`mlsearch serve` as a user starts it, on a free loopback port:
    yields (base URL, the server process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "search", "serve", "--index", str(index),
                               "--port", str(port), "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"mlsearch serve exited: {server.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


# Words of random texts, and their index terms.
RANDOM_TEXT_WORDS = {"gas": "gas", "oil": "oil", "pipeline": "pipelin", "price": "price", "deal": "deal"}


def random_texts_view(tmp_path, rng, count: int, longest: int, shortest: int = 1):
    """(texts as word lists, a reader over them); text i is NNN.txt."""
    texts = [rng.choices(list(RANDOM_TEXT_WORDS), k=rng.randint(shortest, longest)) for _ in range(count)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(texts):
        (corpus / f"{i:03}.txt").write_text("Energy\n\n" + " ".join(text), encoding="utf-8")
    build(corpus, tmp_path / "index", procs=1)
    return texts, WhooshReader(current_generation(tmp_path / "index"))
