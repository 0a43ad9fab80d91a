"""A local cluster on loopback: Debian's sphinxsearch (Sphinx 2.2, the
ancestor of Manticore Search that speaks the same SphinxQL), one searchd
per node.

    python -m search.index.sphinxql.local start [--shards 2] [--dir .cache/cluster]
    python -m search.index.sphinxql.local stop [--dir .cache/cluster]

Shard nodes each hold one real-time table; the head node holds the
distributed table, whose agents are the shards, and two small real-time
tables: the nodes to write to (`mlsearch_nodes`) and the vocabulary.
`start` prints the backend URL last.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from search.index.sphinxql.schema import (CHARSET, DISTRIBUTED, NODES, SHARD, SPHINX_FIELDS, STRING_ATTRS, TERMS,
                                          UINT_ATTRS)

DEFAULT_DIR = Path(".cache/cluster")
SEARCHD = "searchd"
# A shard that does not answer is left out of a query after these (ms):
# results are partial, with a warning, never a hang.
AGENT_CONNECT_TIMEOUT_MS = 500
AGENT_QUERY_TIMEOUT_MS = 5000


class ClusterError(Exception):
    """The local cluster cannot start; str() says why."""


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _rt_table(name: str, path: Path, fields, strings, uints) -> str:
    lines = [f"index {name}", "{", "    type = rt", f"    path = {path}", "    rt_mem_limit = 256M",
             f"    charset_table = {CHARSET}", "    min_word_len = 1", "    dict = keywords"]
    lines += [f"    rt_field = {f}" for f in fields]
    lines += [f"    rt_attr_string = {a}" for a in strings]
    lines += [f"    rt_attr_uint = {a}" for a in uints]
    return "\n".join(lines + ["}", ""])


def _searchd_section(node_dir: Path, sql_port: int, api_port: int) -> str:
    return f"""searchd
{{
    listen = 127.0.0.1:{api_port}
    listen = 127.0.0.1:{sql_port}:mysql41
    log = {node_dir}/searchd.log
    pid_file = {node_dir}/searchd.pid
    binlog_path = {node_dir}
    workers = threads
}}
"""


def write_configs(root: Path, shards: int) -> list[tuple[Path, int]]:
    """(config file, SphinxQL port) of each node, the head last."""
    ports = _free_ports(2 * (shards + 1))
    nodes = []
    agents = []
    for n in range(shards):
        node_dir = root / f"shard{n}"
        node_dir.mkdir(parents=True, exist_ok=True)
        sql_port, api_port = ports[2 * n], ports[2 * n + 1]
        name = SHARD.format(n=n)
        config = _rt_table(name, node_dir / name, SPHINX_FIELDS, STRING_ATTRS, UINT_ATTRS)
        (node_dir / "sphinx.conf").write_text(config + _searchd_section(node_dir, sql_port, api_port))
        nodes.append((node_dir / "sphinx.conf", sql_port))
        agents.append(f"    agent = 127.0.0.1:{api_port}:{name}")
    head = root / "head"
    head.mkdir(parents=True, exist_ok=True)
    sql_port, api_port = ports[-2], ports[-1]
    config = "\n".join([f"index {DISTRIBUTED}", "{", "    type = distributed", *agents,
                        f"    agent_connect_timeout = {AGENT_CONNECT_TIMEOUT_MS}",
                        f"    agent_query_timeout = {AGENT_QUERY_TIMEOUT_MS}", "}", ""])
    config += _rt_table(NODES, head / NODES, ["name"], ["address"], ["shard"])
    config += _rt_table(TERMS, head / TERMS, ["term"], ["text"], ["script"])
    (head / "sphinx.conf").write_text(config + _searchd_section(head, sql_port, api_port))
    nodes.append((head / "sphinx.conf", sql_port))
    return nodes


def _pid(node_dir: Path) -> int | None:
    try:
        return int((node_dir / "searchd.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def _wait_listening(port: int, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise ClusterError(f"searchd did not listen on 127.0.0.1:{port} within {seconds:.0f} s")


def start(root: Path = DEFAULT_DIR, shards: int = 2) -> str:
    """Start a fresh cluster under `root` (stopping one already there);
    its backend URL."""
    if shutil.which(SEARCHD) is None:
        raise ClusterError("searchd is not installed: run 'make sphinxsearch' (Debian's sphinxsearch)")
    stop(root)
    shutil.rmtree(root, ignore_errors=True)
    nodes = write_configs(root.resolve(), shards)
    for config, port in nodes:
        done = subprocess.run([SEARCHD, "--config", str(config)], capture_output=True, text=True)
        if done.returncode != 0:
            raise ClusterError(f"searchd failed ({config}): {(done.stdout + done.stderr).strip()[-400:]}")
        _wait_listening(port)
    head_port = nodes[-1][1]
    url = f"sphinxql://127.0.0.1:{head_port}"
    from search.index.sphinxql.connection import connect

    with connect(url) as head:
        head.execute(f"REPLACE INTO {NODES} (id, name, address, shard) VALUES "
                     + ", ".join(f"({n + 1}, '{SHARD.format(n=n)}', '127.0.0.1:{port}', {n})"
                                 for n, (_, port) in enumerate(nodes[:-1])))
    return url


def node_dirs(root: Path = DEFAULT_DIR) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/sphinx.conf"))


def stop_node(node_dir: Path, sig: int = signal.SIGTERM) -> None:
    """Stop one node (SIGKILL: as a crash) and wait until it is gone."""
    pid = _pid(node_dir)
    if pid is None or not _alive(pid):
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + 15
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def stop(root: Path = DEFAULT_DIR) -> None:
    for node_dir in node_dirs(root):
        stop_node(node_dir)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--shards", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            url = start(args.dir, args.shards)
            print(f"{args.shards} shard node(s) and a head node under {args.dir}")
            print(url)
        else:
            stop(args.dir)
    except ClusterError as e:
        print(f"mlsearch: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
