"""A server's bounds on the analysis caches: emptied past them, and after
every request of the web app."""
import functools

from search import caches
from search.analysis import analyze


def test_trim_empties_a_registered_cache_past_its_bound_only():
    @caches.server_bound(3)
    @functools.lru_cache(maxsize=100)
    def square(n):
        return n * n

    for n in range(3):
        square(n)
    caches.trim()
    assert square.cache_info().currsize == 3 and not caches.over_bound()
    square(3)
    assert caches.over_bound() == [f"{__name__}.test_trim_empties_a_registered_cache_past_its_bound_only.<locals>.square"]
    caches.trim()
    assert square.cache_info().currsize == 0


def test_the_web_app_trims_the_caches_after_each_request(client):
    analyze(" ".join(f"zq{n}word" for n in range(20_000)))  # more distinct words than a server keeps
    assert "search.analysis._word_terms" in caches.over_bound()
    assert client.get("/api/health").status_code == 200
    assert caches.over_bound() == []
