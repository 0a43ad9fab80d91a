"""Bounds for a server on the caches that indexing wants large.

The analysis caches are sized for the indexer, which meets hundreds of
thousands of distinct words. A server meets the words of its queries and of
the articles it shows, and each worker process keeps copies of its own, so
for a server each cache registered here has a smaller bound: `trim`, which
the web app calls after every request, empties a cache that holds more.
Emptied, not resized: functools.lru_cache cannot be resized, and a cache
rebuilt smaller would not reach the modules that imported it by name.
"""
from __future__ import annotations

_SERVER_BOUNDS: list[tuple[object, int]] = []  # (an lru_cache'd function, entries)


def server_bound(entries: int):
    """Register an lru_cache'd function to be kept to `entries` in a server."""
    def register(cached):
        _SERVER_BOUNDS.append((cached, entries))
        return cached
    return register


def over_bound() -> list[str]:
    """The names of the registered caches that hold more than their bound."""
    return [f"{cached.__module__}.{cached.__qualname__}" for cached, entries in _SERVER_BOUNDS
            if cached.cache_info().currsize > entries]


def trim() -> None:
    """Empty each registered cache that holds more than its server bound."""
    for cached, entries in _SERVER_BOUNDS:
        if cached.cache_info().currsize > entries:
            cached.cache_clear()
