"""`mlsearch serve`: the app under gunicorn, one worker process per core.

A search is CPU-bound Python, so one process answers one search at a time
whatever its threads; several processes use several cores. The parent
loads what every worker needs and never changes (pymorphy3's dictionaries,
the lexicons, langdetect's profiles) by answering a query in each language
before it forks, so the workers share those pages instead of each holding
a copy. Each worker opens the index itself: open files are not shared
across a fork.
"""
from __future__ import annotations

import ctypes
import gc

from gunicorn.app.base import BaseApplication

from search.engine import Engine


class _Server(BaseApplication):
    def __init__(self, app, options: dict):
        self.app = app
        self.options = options
        super().__init__()

    def load_config(self):
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return self.app


def warm_up(engine: Engine) -> None:
    """Load the shared, read-only parts by answering one query per language
    (translated), then close the index again."""
    for query in ("energy", "энергия"):
        engine.search(query, limit=1)
    engine.close()


_LIBC = ctypes.CDLL(None)  # this process's C library: glibc's malloc controls

# glibc's mallopt parameter for the number of malloc arenas.
_M_ARENA_MAX = -8
# A worker's threads each took an arena of their own (up to 8 a core), each
# holding freed memory of its own: with 2, the server's processes held
# 411 MB instead of 433 after 10,000 distinct news-mix queries
# (benchmarks/server_memory.py); the threads seldom allocate at once, as
# they take the GIL in turn.
MALLOC_ARENAS = 2


def limit_malloc_arenas() -> None:
    """Bound glibc's malloc arenas of this process and of the workers it
    forks (MALLOC_ARENA_MAX, which a fork would not read again)."""
    try:
        _LIBC.mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
    except AttributeError:  # not glibc
        pass


_MALLOC_TRIM = getattr(_LIBC, "malloc_trim", None)  # None: not glibc


def release_freed_memory(worker=None, request=None, environ=None, response=None) -> None:
    """Give back to the system the pages that malloc holds free (glibc's
    malloc_trim); gunicorn calls it after each request (post_request).
    A query frees more than it keeps, scattered among what the caches keep,
    and malloc kept those pages: releasing them after each request, the
    server's processes held 271-273 MB instead of 289-292 after 10,000
    distinct news-mix queries (benchmarks/server_memory.py, runs in turn,
    6 Dec), for 0.13 ms a request (p50; p95 0.26)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def serve(app, engine: Engine, host: str, port: int, workers: int, threads: int) -> None:
    """Serve `app`; `engine` (over the app's index and lexicons) warms the parent up."""
    limit_malloc_arenas()
    warm_up(engine)
    # Keep the collector off the parent's objects, so that it does not
    # write to (and so copy) the pages the workers share.
    gc.freeze()
    _Server(app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threads keep a slow client from holding a worker.
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "post_request": release_freed_memory,
        "graceful_timeout": 10,
        "timeout": 120,
        # Its default path is one per user: two servers would share it.
        "control_socket_disable": True,
        # A connection per request, so that the next request goes to a
        # worker free to accept it. With keep-alive a worker keeps every
        # connection it accepted: under wrk one worker sometimes held all
        # 32 and served them on one core (102 req/s) while the other idled.
        "keepalive": 0,
        # No bound of gunicorn's on the request line, so that the app answers
        # a query longer than it takes with its own 400. The longest it takes
        # (1,000 characters of 4 bytes, 12 URL-encoded, plus the form's other
        # fields) is over 12,000 bytes, past the 8,190 gunicorn can be set to;
        # its default of 4,094 gave a bare 414 at about 700 Cyrillic letters.
        # The cost: a line is read whole before it is refused (headers stay
        # bounded), in time growing with its square, since gunicorn's parser
        # copies it at each read: 0.1 s of a worker for 1 MB, 5 s for 8 MB.
        "limit_request_line": 0,
    }).run()
