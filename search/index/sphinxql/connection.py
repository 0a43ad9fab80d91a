"""Connections to a SphinxQL node (Manticore or Sphinx) over the MySQL
protocol, with PyMySQL."""
from __future__ import annotations

from urllib.parse import urlparse

import pymysql
from pymysql.constants import CLIENT

from search.index.layout import IndexUnavailable

SCHEME = "sphinxql"
CONNECT_TIMEOUT_S = 5
# A query answers within this, or fails: never a hang. The head's agent
# timeouts (local.py) are shorter, so a dead shard gives a partial answer.
READ_TIMEOUT_S = 30
# Statements of one multi-query: searchd passes them on to its agents as
# one, and an agent takes at most 32 ("bad multi-query count").
MULTI_QUERY = 32


class BackendError(IndexUnavailable):
    """The cluster cannot be reached or refused a request; str() says which
    (the web answers 503, the CLI prints it and exits 2)."""


def address_of(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    if parsed.scheme != SCHEME or not parsed.hostname or not parsed.port:
        raise BackendError(f"not a SphinxQL backend URL: {url!r} (expected {SCHEME}://HOST:PORT)")
    return parsed.hostname, parsed.port


def is_backend_url(value) -> bool:
    return str(value).startswith(SCHEME + "://")


class Connection:
    """One SphinxQL session; `execute` returns rows as tuples, `batch`
    sends several statements in one round trip (a multi-query)."""

    def __init__(self, host: str, port: int):
        self.where = f"{host}:{port}"
        try:
            self._db = pymysql.connect(host=host, port=port, user="", connect_timeout=CONNECT_TIMEOUT_S,
                                       read_timeout=READ_TIMEOUT_S, write_timeout=READ_TIMEOUT_S,
                                       client_flag=CLIENT.MULTI_STATEMENTS, autocommit=True,
                                       charset="utf8")
        except pymysql.MySQLError as e:
            raise BackendError(f"cannot reach the SphinxQL node {self.where}: {e.args[-1]}") from None

    def execute(self, sql: str, args=None) -> list[tuple]:
        return self.batch([sql], [args])[0]

    def batch(self, statements: list[str], args_list=None) -> list[list[tuple]]:
        """The rows of each statement, sent together (MULTI_QUERY at a time)."""
        args_list = args_list or [None] * len(statements)
        results = []
        for i in range(0, len(statements), MULTI_QUERY):
            results += self._multi_query(statements[i:i + MULTI_QUERY], args_list[i:i + MULTI_QUERY])
        return results

    def _multi_query(self, statements, args_list) -> list[list[tuple]]:
        with self._db.cursor() as cursor:
            sql = ";\n".join(s if a is None else cursor.mogrify(s, a) for s, a in zip(statements, args_list))
            try:
                cursor.execute(sql)
                results = [list(cursor.fetchall())]
                while cursor.nextset():
                    results.append(list(cursor.fetchall()))
            except pymysql.MySQLError as e:
                raise BackendError(f"SphinxQL node {self.where}: {e.args[-1]}") from None
        return results

    def warnings(self) -> list[str]:
        """The last query's warnings (SHOW META): a shard that did not answer."""
        return [str(value) for name, value in self.execute("SHOW META") if name == "warning" and value]

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(url_or_address: str) -> Connection:
    if is_backend_url(url_or_address):
        host, port = address_of(url_or_address)
    else:
        host, _, port = url_or_address.rpartition(":")
        port = int(port)
    return Connection(host, port)
