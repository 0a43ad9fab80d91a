"""Reliability end to end: a corpus of bad files through `mlsearch index`,
SIGKILLed indexers, searches during a rebuild, two indexers at once, and
hostile input to the web pages and the CLI.

The crash and corpus machinery is shared with the long versions in
benchmarks/ (`make stress`).
"""
from __future__ import annotations

import ctypes
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from benchmarks.stress_crash import (
    answers, article, crash_trials, end_session, index_command, session_members, start_indexer, wait_for_lock,
    write_articles,
)
from benchmarks.stress_hostile import indexed_ids, report_of
from helpers import ENGLISH, as_unprivileged_user
from search.cli import main
from search.index.writer import build
from web import create_app

pytestmark = pytest.mark.slow

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def search_ids(index: Path, query: str) -> list[str]:
    result = invoke("search", query, "--index", str(index), "--json", "--no-translate", "--limit", "100")
    assert result.exit_code == 0, result.output
    return [h["id"] for h in json.loads(result.stdout)["hits"]]


# -- 1. a corpus of bad input ----------------------------------------------------

CP1251_ARTICLE = "Переговоры в Осло\n\nШахбазов встретился с послом Норвегии, стороны обсудили поставки газа.\n"
KOI8_ARTICLE = "Цены на нефть\n\nЦена нефти марки Брент выросла до 85 долларов за баррель на бирже.\n"
IN_OPEN = 0x20


def delete_when_opened(watched: Path, victim: Path) -> threading.Thread:
    """Delete `victim` as soon as anything opens `watched` (inotify): the
    indexer reads files in name order, so this removes a listed file while
    the scan is under way, before the indexer reaches it."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    if fd < 0 or libc.inotify_add_watch(fd, os.fsencode(watched), IN_OPEN) < 0:
        raise OSError(ctypes.get_errno(), "inotify")

    def wait_and_delete():
        os.read(fd, 4096)
        victim.unlink()
        os.close(fd)

    thread = threading.Thread(target=wait_and_delete, daemon=True)
    thread.start()
    return thread


def make_bad_corpus(corpus: Path) -> dict[str, str | None]:
    """Write the corpus; {path: the reason it must be skipped for, or None
    when it must be indexed} for every file and link created."""
    made: dict[str, str | None] = {}

    def put(rel: str, content: bytes, reason: str | None = None) -> Path:
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        made[rel] = reason
        return path

    put("plain.txt", f"Gas talks resume in Baku\n\n{ENGLISH}\n".encode())
    put("enc/cp1251.txt", CP1251_ARTICLE.encode("cp1251"))
    put("enc/koi8r.txt", KOI8_ARTICLE.encode("koi8-r"))
    put("enc/utf8_with_bad_bytes.txt", ENGLISH.encode() + b" \xff\xfe caf\xe9 \xd0")
    put("bad/binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file")
    put("bad/high_bytes.txt", bytes(range(0x80, 0x100)) * 8, "undecodable text")
    put("bad/picture.png", b"\x89PNG\r\n\x1a\n", "not an article format (.png)")
    put("bad/empty.txt", b"", "empty file")
    put("bad/blank.md", b" \n\t\n", "empty file")
    put("bad/broken.json", b'{"title": "x", "text": ', "malformed JSON")
    os.mkfifo(corpus / "bad/pipe.txt")
    made["bad/pipe.txt"] = "not a regular file"
    put("long/one_line.txt", b"pipeline " * 250_000)  # 2.2 MB without a newline
    put("deep/" + "/".join(f"d{i}" for i in range(60)) + "/bottom.txt", ENGLISH.encode())
    (corpus / "loops").mkdir()
    (corpus / "loops/up").symlink_to(corpus)
    (corpus / "loops/self.txt").symlink_to(corpus / "loops/self.txt")
    (corpus / "loops/dangling.txt").symlink_to(corpus / "missing.txt")
    made.update({"loops/up": "symlink loop", "loops/self.txt": "symlink loop",
                 "loops/dangling.txt": "broken symlink"})
    put("locked/secret.txt", ENGLISH.encode(), "unreadable: permission denied").chmod(0o000)
    put("closed/inside.txt", ENGLISH.encode(), "unreadable: permission denied")  # reported as closed/
    (corpus / "closed").chmod(0o000)
    paragraph = f"{ENGLISH}\n\n".encode()
    put("big/a_50mb.txt", b"Huge report on gas\n\n" + paragraph * (50 * 2**20 // len(paragraph)))
    put("big/b_deleted_during_scan.txt", ENGLISH.encode(), "vanished")
    (corpus / "big").chmod(0o777)  # 'nobody' deletes in it
    return made


def test_bad_corpus_through_the_cli_is_indexed_or_reported():
    # The indexer runs as 'nobody', for whom a mode-000 file is unreadable
    # (root reads anything). Not in tmp_path, whose parents 'nobody' cannot enter.
    root = Path(tempfile.mkdtemp())
    try:
        root.chmod(0o777)
        corpus, index = root / "corpus", root / "index"
        made = make_bad_corpus(corpus)
        # 'nobody' may not reach Python's own modules (a pyenv under /root):
        # the same build as root first imports every module it needs.
        assert invoke("index", str(corpus), "--index", str(root / "warm-up")).exit_code == 0
        deleter = delete_when_opened(corpus / "big/a_50mb.txt", corpus / "big/b_deleted_during_scan.txt")
        with as_unprivileged_user():
            result = invoke("index", str(corpus), "--index", str(index))
        deleter.join(timeout=5)
        assert result.exit_code == 0, result.output
        summary = result.stdout.splitlines()
        count = int(re.fullmatch(r"  skipped (\d+) file\(s\):", summary[2]).group(1))
        reported = dict(line.strip().split(": ", 1) for line in summary[3:])
        assert count == len(reported)

        ids = {doc_id.split("#")[0] for doc_id in indexed_ids(index)}

        def report_covering(rel: str) -> str | None:
            # A directory that cannot be listed is reported for the files in it.
            parts = rel.split("/")
            paths = ("/".join(parts[:n]) for n in range(len(parts), 0, -1))
            return next((reported[p] for p in paths if p in reported), None)

        for rel, reason in made.items():
            if reason is None:
                assert rel in ids and report_covering(rel) is None, rel
            else:
                assert report_covering(rel) == reason and rel not in ids, rel
        assert ids <= set(made)

        assert search_ids(index, "Норвегия") == ["enc/cp1251.txt"]
        assert search_ids(index, "баррель") == ["enc/koi8r.txt"]
        shown = json.loads(invoke("show", "enc/koi8r.txt", "--index", str(index), "--json").stdout)
        assert shown["title"] == "Цены на нефть" and shown["lang"] == "ru"
    finally:
        shutil.rmtree(root)


def test_an_article_with_a_tangut_letter_does_not_abort_indexing(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus/a.txt").write_text(f"Gas talks\n\n{ENGLISH} \U00017000ж\n", encoding="utf-8")
    (tmp_path / "corpus/b.txt").write_text(f"Oil talks\n\n{ENGLISH}\n", encoding="utf-8")
    result = invoke("index", str(tmp_path / "corpus"), "--index", str(tmp_path / "index"))
    if result.exception:
        raise result.exception
    assert indexed_ids(tmp_path / "index") == {"a.txt", "b.txt"}


def test_a_failing_document_in_a_parallel_build_loses_no_other(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 250, seed=17)
    (corpus / "a0249.txt").write_text(f"Gas talks\n\n{ENGLISH} \U00017000ж\n", encoding="utf-8")
    result = subprocess.run(index_command(corpus, index, True, None), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    reported = {line.strip().split(": ", 1)[0] for line in result.stdout.splitlines()[3:]}
    assert len(indexed_ids(index) | reported) == 250


# -- names, links and records the index or the web cannot take -------------------

def test_names_that_are_not_utf8_are_skipped_and_shown_escaped(tmp_path):
    # 250 articles: a full build runs in worker processes, where such a name killed one.
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 250, seed=5)
    raw = os.fsencode(corpus)
    os.mkdir(raw + b"/dir\xe9")
    os.mkdir(corpus / "red\x1b[31m")  # UTF-8, and indexed, but not for a terminal to get raw
    (corpus / "same").symlink_to(corpus / "red\x1b[31m")
    for name in (b"/bad\xff\xfe.txt", b"/dir\xe9/inside.txt", b"/red\x1b[31m/inside.txt"):
        with open(raw + name, "wb") as f:
            f.write(f"Gas talks resume\n\n{ENGLISH}\n".encode())
    result = subprocess.run(index_command(corpus, index, True, 2), capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    output = result.stdout.decode("utf-8")  # strictly: no raw byte reached the terminal
    assert "\x1b" not in output
    assert report_of(output)["skipped"] == {r"bad\xff\xfe.txt": "file name is not valid UTF-8",
                                            r"dir\xe9": "file name is not valid UTF-8",
                                            "same": r"same directory as red\x1b[31m"}
    assert len(indexed_ids(index)) == 251


def test_a_corpus_whose_own_name_is_not_utf8_is_indexed_and_shown_escaped(tmp_path):
    corpus = os.fsdecode(os.fsencode(tmp_path) + b"/corpus\xff")
    os.mkdir(corpus)
    Path(corpus, "a.txt").write_text(f"Gas talks resume\n\n{ENGLISH}\n", encoding="utf-8")
    index = str(tmp_path / "index")
    result = invoke("index", corpus, "--index", index)  # the manifest names the corpus
    assert result.exit_code == 0, result.output
    stats = invoke("stats", "--index", index)
    assert stats.exit_code == 0 and r"corpus\xff" in stats.output


def test_links_out_of_the_corpus_are_skipped_and_never_served(tmp_path):
    corpus, index, outside = tmp_path / "corpus", tmp_path / "index", tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text(f"Zanzibar accounts\n\nThe Zanzibar ledger. {ENGLISH}\n", encoding="utf-8")
    (outside / "dir/leak.txt").write_text(f"Zanzibar leak\n\nThe Zanzibar memo. {ENGLISH}\n", encoding="utf-8")
    (corpus / "real").mkdir(parents=True)
    (corpus / "real/a.txt").write_text(f"Gas talks resume\n\n{ENGLISH}\n", encoding="utf-8")
    (corpus / "inside.txt").symlink_to("real/a.txt")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (corpus / "real/up.txt").symlink_to("../../outside/secret.txt")
    (corpus / "outdir").symlink_to(outside / "dir")
    result = invoke("index", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert report_of(result.output)["skipped"] == dict.fromkeys(
        ["outdir", "passwd.txt", "real/up.txt", "secret.txt"], "outside the corpus")
    assert indexed_ids(index) == {"inside.txt", "real/a.txt"}
    client = create_app({"TESTING": True, "INDEX_DIR": str(index), "LEXICONS": []}).test_client()
    assert client.get("/api/doc/passwd.txt").status_code == 404
    assert client.get("/api/doc/inside.txt").status_code == 200
    for query in ("root", "Zanzibar"):
        assert client.get("/api/search", query_string={"q": query}).json["total"] == 0


def test_a_text_with_a_few_undecodable_bytes_is_indexed_with_a_note(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    text = f"Gas talks resume\n\n{ENGLISH} The café in Zürich served crème brûlée.\n"
    (corpus / "latin1.txt").write_bytes(text.encode("latin-1"))
    (corpus / "plain.txt").write_text(f"Oil talks resume\n\n{ENGLISH}\n", encoding="utf-8")
    result = invoke("index", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert report_of(result.output) == {"skipped": {}, "notes": {"latin1.txt": "5 undecodable byte(s) replaced"}}
    shown = json.loads(invoke("show", "latin1.txt", "--index", str(index), "--json").stdout)
    assert shown["body"].endswith("The caf\ufffd in Z\ufffdrich served cr\ufffdme br\ufffdl\ufffde.")


def test_every_json_record_is_indexed_or_reported_by_number(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    lines = [json.dumps({"title": "Talks\u2028resume", "text": f"Talks resumed.\u2028{ENGLISH}"}, ensure_ascii=False),
             '{"title": "broken", "text": ',
             '["not", "a", "record"]',
             json.dumps({"title": "no body"}),
             "",
             json.dumps({"text": ENGLISH}) + "\r"]
    (corpus / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "list.json").write_text(json.dumps([{"text": ENGLISH}, {"title": "no body"}, 7]), encoding="utf-8")
    result = invoke("index", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert indexed_ids(index) == {"a.jsonl#1", "a.jsonl#6", "list.json#1"}
    assert report_of(result.output) == {"skipped": {}, "notes": {
        "a.jsonl#2": "malformed JSON", "a.jsonl#3": "not a JSON object", "a.jsonl#4": "no text",
        "list.json#2": "no text", "list.json#3": "not a JSON object"}}
    shown = json.loads(invoke("show", "a.jsonl#1", "--index", str(index), "--json").stdout)
    assert shown["title"] == "Talks\u2028resume"


def test_names_the_web_cannot_open_are_skipped_and_every_indexed_id_opens(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    deep = "/".join(["d" * 100] * 5) + "/deep.txt"  # 513 characters
    names = ["plain.txt", "line\nbreak.txt", "back\\slash.txt", "carriage\rreturn.txt", "tab\there.txt", deep]
    for name in names:
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(f"Gas talks resume\n\n{ENGLISH}\n", encoding="utf-8")
    result = invoke("index", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert report_of(result.output)["skipped"] == {
        r"line\nbreak.txt": "file name has a line break or backslash",
        "back\\slash.txt": "file name has a line break or backslash",
        deep: "path longer than 512 characters"}
    ids = indexed_ids(index)
    assert ids == {"plain.txt", "carriage\rreturn.txt", "tab\there.txt"}
    client = create_app({"TESTING": True, "INDEX_DIR": str(index), "LEXICONS": []}).test_client()
    for doc_id in ids:
        assert client.get("/api/doc/" + quote(doc_id)).status_code == 200, doc_id
        assert client.get("/doc/" + quote(doc_id)).status_code == 200, doc_id


def test_a_jsonl_line_or_json_file_over_the_cap_is_reported_and_the_rest_indexed(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    over = json.dumps({"text": "pipeline " * 450_000})  # 4.05 million characters
    record = json.dumps({"text": ENGLISH})
    (corpus / "big.jsonl").write_text(f"{record}\n{over}\n{record}\n", encoding="utf-8")
    (corpus / "big.json").write_text(over, encoding="utf-8")
    result = invoke("index", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert indexed_ids(index) == {"big.jsonl#1", "big.jsonl#3"}
    assert report_of(result.output) == {
        "skipped": {"big.json": "JSON file over 4 MB: make it .jsonl, a record a line"},
        "notes": {"big.jsonl#2": "line over 4 million characters"}}


# -- the counts of an incremental update -----------------------------------------

@pytest.fixture
def updated_index(tmp_path) -> Path:
    """An index over three articles, of which one is then changed and one
    deleted in the corpus."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name, topic in (("a.txt", "Gas"), ("b.txt", "Oil"), ("c.txt", "Coal")):
        (corpus / name).write_text(f"{topic} talks resume\n\n{topic} prices rose. {ENGLISH}\n", encoding="utf-8")
    build(corpus, index)
    (corpus / "b.txt").write_text(f"Oil talks resume\n\nOil prices fell. {ENGLISH}\n", encoding="utf-8")
    (corpus / "c.txt").unlink()
    return index


def test_the_summary_counts_live_documents_after_an_update(updated_index, tmp_path):
    result = invoke("index", str(tmp_path / "corpus"), "--index", str(updated_index))
    assert result.exit_code == 0, result.output
    assert "updated 1, deleted 1" in result.output
    assert ": 2 documents: 2 en" in result.output.splitlines()[0]


# -- 2. crash safety -------------------------------------------------------------

@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_a_killed_indexer_leaves_a_working_index(tmp_path, mode):
    """Three SIGKILLs at random points of a build over 250 articles: each time
    the previous index answers the fixed queries with the same ids, the next
    run says it recovered the stale lock and completes, and its index is right."""
    trials = crash_trials(tmp_path, mode=mode, kills=3, seed=7)
    killed = [t for t in trials if t.killed]
    assert len(killed) == 3
    assert [t.problems for t in killed] == [[], [], []]


def worker_pids(indexer: subprocess.Popen) -> list[int]:
    """The worker processes a full build forks (of more than 200 new files),
    once it has forked them."""
    children = Path(f"/proc/{indexer.pid}/task/{indexer.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert children.read_text().split(), "the build forked no worker"
    return [int(pid) for pid in children.read_text().split()]


@pytest.fixture
def killed_parallel_build(tmp_path):
    """(corpus, index, pid) of a full build over 250 articles, SIGKILLed once
    it has forked its worker processes. Whatever is left of it is ended
    afterwards."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 250, seed=3)
    process = start_indexer(index_command(corpus, index, True, None), tmp_path / "indexer.log")
    try:
        wait_for_lock(index, process)
        worker_pids(process)
        process.send_signal(signal.SIGKILL)
        process.wait()
        yield corpus, index, process.pid
    finally:
        end_session(process.pid)


def test_a_killed_parallel_build_leaves_the_lock_free(killed_parallel_build):
    corpus, index, pid = killed_parallel_build
    rerun = subprocess.run(index_command(corpus, index, False, None), capture_output=True, text=True,
                           timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"recovered a stale lock left by indexer pid {pid}," in rerun.stderr


def test_a_killed_parallel_build_leaves_no_worker_behind(killed_parallel_build):
    _, _, pid = killed_parallel_build
    deadline = time.monotonic() + 5
    while session_members(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_members(pid) == []


def test_recovery_keeps_the_previous_generation_not_an_unfinished_one(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 250, seed=5)
    build(corpus, index, procs=1)
    previous = (index / "CURRENT").read_text()
    killed = start_indexer(index_command(corpus, index, True, 1), tmp_path / "indexer.log")
    try:
        wait_for_lock(index, killed)
        while not (index / "gen-000002").is_dir() and killed.poll() is None:
            time.sleep(0.005)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    finally:
        end_session(killed.pid)
    assert (index / "CURRENT").read_text() == previous
    build(corpus, index, full=True, procs=1)
    kept = sorted(p.name for p in index.glob("gen-*"))
    assert kept == [previous, "gen-000003"]


# -- a build that fails or is interrupted ------------------------------------------

ENDS_WITHIN = 60  # seconds: a build still running by then hangs, and fails the test instead
WORKER_FAILURE_SECONDS = 10  # from a worker's failure to the indexer's exit, on a loaded machine


def index_being_rebuilt(tmp_path: Path, articles: int = 3000) -> tuple[Path, Path, dict]:
    """(corpus, index, its answers) of an index over 250 articles whose corpus
    now holds `articles`: a full build of it runs for a second or more."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 250, seed=19)
    build(corpus, index, procs=1)
    write_articles(corpus, articles, seed=19)
    return corpus, index, answers(index)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + ENDS_WITHIN
    while not condition():
        assert time.monotonic() < deadline, f"never {what}"
        time.sleep(0.01)


def ended(process: subprocess.Popen) -> tuple[int, list[int]]:
    """(exit status, processes of its session still running) of an indexer
    that must end by itself."""
    try:
        process.wait(timeout=ENDS_WITHIN)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the indexer still runs {ENDS_WITHIN} s on")
    return process.returncode, session_members(process.pid)


def generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.glob("gen-*"))


@pytest.mark.parametrize("procs", [1, None], ids=["one process", "worker processes"])
def test_an_interrupted_build_removes_its_generation(tmp_path, procs):
    corpus, index, before = index_being_rebuilt(tmp_path)
    log = tmp_path / "indexer.log"
    process = start_indexer(index_command(corpus, index, True, procs), log)
    try:
        wait_for_lock(index, process)
        wait_for(lambda: (index / "gen-000002").is_dir(), "began a generation")
        if not procs:
            # As the workers are being forked: Python dropped a Ctrl-C then (in
            # an at-fork hook), and a worker's own Ctrl-C failed the build.
            worker_pids(process)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: to the indexer and its workers
        status, left = ended(process)
    finally:
        end_session(process.pid)
    assert status == 1 and log.read_text().splitlines()[-1] == "Aborted!"
    assert left == []
    assert generations(index) == ["gen-000001"] and (index / "CURRENT").read_text() == "gen-000001"
    assert answers(index) == before


def test_a_killed_worker_ends_the_build_at_once(tmp_path):
    """A worker the kernel kills (the OOM killer, say) ends the build with
    one line and exit 1; the other worker is stopped, the previous index
    stays live."""
    corpus, index, before = index_being_rebuilt(tmp_path)
    log = tmp_path / "indexer.log"
    process = start_indexer(index_command(corpus, index, True, None), log)
    try:
        wait_for_lock(index, process)
        os.kill(worker_pids(process)[0], signal.SIGKILL)
        killed = time.monotonic()
        status, left = ended(process)
        took = time.monotonic() - killed
    finally:
        end_session(process.pid)
    assert status == 1, log.read_text()
    assert log.read_text().splitlines() == ["mlsearch: an indexing worker failed: killed by SIGKILL"]
    assert took < WORKER_FAILURE_SECONDS and left == []
    assert generations(index) == ["gen-000001"] and answers(index) == before


WORKER_FILE_LIMIT = 64 * 1024  # bytes: more than any file the parent writes before its workers end, less than theirs


def limit_file_size():
    """In the indexer, before it runs: a write past WORKER_FILE_LIMIT bytes
    fails with EFBIG (without SIGXFSZ, which would kill the writer)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (WORKER_FILE_LIMIT, WORKER_FILE_LIMIT))


def test_a_worker_that_raises_ends_the_build_with_its_error(tmp_path):
    """Workers that raise (here: a file size limit the indexer itself stays
    under) end the build with the error's line after the traceback, exit 1,
    no process left and the previous index live. This build hung: the
    parent joined the thread feeding the queue of jobs, which nobody read."""
    corpus, index, before = index_being_rebuilt(tmp_path)
    log = tmp_path / "indexer.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(index_command(corpus, index, True, None), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True, preexec_fn=limit_file_size)
    started = time.monotonic()
    try:
        status, left = ended(process)
    finally:
        end_session(process.pid)
    lines = log.read_text().splitlines()
    assert status == 1, lines
    assert lines[0] == "Traceback (most recent call last):" and lines[-2] == "OSError: [Errno 27] File too large"
    assert lines[-1] == "mlsearch: an indexing worker failed: OSError: [Errno 27] File too large"
    assert time.monotonic() - started < WORKER_FAILURE_SECONDS and left == []
    assert generations(index) == ["gen-000001"] and answers(index) == before


SMALL_DISK = "2m"  # holds an index of 400 generated articles twice over, not one of 3,400


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of SMALL_DISK mounted for the test."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SMALL_DISK}", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=True)  # lazy: this process may hold files open


def index_run(corpus: Path, index: Path, full: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(index_command(corpus, index, full, None), capture_output=True, text=True,
                          timeout=ENDS_WITHIN)


@pytest.mark.parametrize("full", [False, True], ids=["an update in one process", "a full build in worker processes"])
def test_a_full_disk_stops_a_build_with_one_line_and_the_next_one_succeeds_once_there_is_room(
        tmp_path, small_disk, full):
    """It was a traceback, and its unfinished generation stayed: every later
    build failed for want of space until it was deleted by hand."""
    corpus, index = tmp_path / "corpus", small_disk / "index"
    write_articles(corpus, 400, seed=23)
    assert index_run(corpus, index).returncode == 0
    before = answers(index)
    write_articles(corpus, 3400, seed=23)
    result = index_run(corpus, index, full)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"mlsearch: no space left on device while writing the index at {index}\n"
    assert generations(index) == ["gen-000001"] and answers(index) == before
    for n in range(400, 3400):
        (corpus / f"a{n:04d}.txt").unlink()
    rerun = index_run(corpus, index, full)
    assert rerun.returncode == 0, rerun.stderr
    assert f"index {index} (gen-000002): 400 documents" in rerun.stdout


def test_a_build_first_removes_what_a_killed_one_left_on_a_full_disk(tmp_path, small_disk):
    corpus, index = tmp_path / "corpus", small_disk / "index"
    write_articles(corpus, 400, seed=29)
    assert index_run(corpus, index).returncode == 0
    # What a build killed while writing leaves: a generation without a
    # manifest, here one that fills the disk.
    (index / "gen-000002").mkdir()
    with open(index / "gen-000002/MAIN_killed.seg", "wb", buffering=0) as f:
        with pytest.raises(OSError, match="No space left on device"):
            while True:
                f.write(bytes(2**16))
    (corpus / "a0000.txt").write_text(f"Gas talks resume\n\n{ENGLISH}\n", encoding="utf-8")
    result = index_run(corpus, index)
    assert result.returncode == 0, result.stderr
    assert "updated 1, deleted 0" in result.stdout
    assert generations(index) == ["gen-000001", "gen-000003"]


# -- 3. concurrency --------------------------------------------------------------

CONCURRENT_QUERIES = ("title:summit", "zqnew", "budget date:2015..2018")


def test_searches_during_a_rebuild_get_the_old_or_the_new_answer(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 250, seed=11)
    build(corpus, index)
    # Not in testing mode: a fault is a 500 here, not an exception lost in a thread.
    http = create_app({"INDEX_DIR": str(index)}).test_client()

    def answer(found: dict) -> tuple[int, list[str]]:
        return found["total"], [h["id"] for h in found["hits"]]

    def over_http(query):
        response = http.get("/api/search", query_string={"q": query, "limit": 100})
        return response.status_code, answer(response.json) if response.status_code == 200 else None

    def over_cli(query):
        result = invoke("search", query, "--index", str(index), "--json", "--limit", "100")
        return result.exit_code, answer(json.loads(result.stdout)) if result.exit_code == 0 else None

    old = {q: over_http(q)[1] for q in CONCURRENT_QUERIES}
    for n in range(250, 270):  # new articles the new index must find, each a story of its own
        (corpus / f"a{n:04d}.txt").write_text(article(random.Random(n), 2 * n, marker="zqnew"), encoding="utf-8")
    (corpus / "a0000.txt").unlink()

    seen: list[tuple[str, str, int, tuple | None]] = []  # (via, query, status, answer)
    rebuild = start_indexer(index_command(corpus, index, True, None), tmp_path / "rebuild.log")

    def hammer_http():
        while rebuild.poll() is None:
            for q in CONCURRENT_QUERIES:
                seen.append(("http", q, *over_http(q)))

    try:
        thread = threading.Thread(target=hammer_http)
        thread.start()
        while rebuild.poll() is None:
            for q in CONCURRENT_QUERIES:
                seen.append(("cli", q, *over_cli(q)))
        thread.join()
    finally:
        end_session(rebuild.pid)
    assert rebuild.returncode == 0, (tmp_path / "rebuild.log").read_text()
    new = {q: over_http(q)[1] for q in CONCURRENT_QUERIES}
    assert new != old and new["zqnew"][0] == 20

    assert len(seen) > 20 and {via for via, *_ in seen} == {"http", "cli"}
    assert [s for s in seen if s[2] not in (0, 200)] == []
    assert [s for s in seen if s[3] not in (old[s[1]], new[s[1]])] == []
    assert over_cli("zqnew") == (0, new["zqnew"])


def test_a_second_indexer_is_refused_with_one_line(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_articles(corpus, 250, seed=13)
    first = start_indexer(index_command(corpus, index, True, None), tmp_path / "first.log")
    try:
        wait_for_lock(index, first)
        second = subprocess.run(index_command(corpus, index, False, None), capture_output=True, text=True,
                                timeout=120)
        assert first.wait(timeout=120) == 0
    finally:
        end_session(first.pid)
    assert second.returncode == 2 and second.stdout == ""
    assert second.stderr.splitlines() == [
        f"mlsearch: another indexer (pid {first.pid}) is updating {index}; try again when it finishes"]
    assert (index / "CURRENT").read_text() == "gen-000001"


# -- 6. hostile input: markup, paths, huge and nested queries ---------------------

@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """An app over articles whose title-less text, title and source carry payloads."""
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "untitled.txt").write_text(f"{SCRIPT} opens this pipeline story, then {IMG} follows. {ENGLISH}",
                                         encoding="utf-8")
    record = {"title": f"Pipeline {IMG}", "text": f"A pipeline report. {ENGLISH}", "source": SCRIPT,
              "lang": "en"}
    (corpus / "record.json").write_text(json.dumps(record), encoding="utf-8")
    # Related to the two others, not a version of either (search/index/duplicates.py).
    (corpus / "plain.txt").write_text("Energy talks resume\n\nThe Azerbaijan-Albania talks on the TAP pipeline "
                                      "project and the energy security of Europe resumed in Tirana.\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("hostile-index")
    build(corpus, index)
    return create_app({"INDEX_DIR": str(index)}).test_client()


def assert_inert(page: str) -> None:
    assert SCRIPT not in page and IMG not in page and "<img" not in page


def test_untitled_text_and_source_payloads_are_inert(hostile_client):
    page = hostile_client.get("/?q=pipeline").get_data(as_text=True)
    assert "untitled.txt" in page and "record.json" in page
    assert_inert(page)
    assert '<span class="source">&lt;script&gt;alert(1)&lt;/script&gt;</span>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; opens this pipeline story" in page  # its name, from its text
    article = hostile_client.get("/doc/plain.txt").get_data(as_text=True)
    related = article.split('id="related-heading"', 1)[1]
    assert 'href="/doc/record.json"' in related and 'href="/doc/untitled.txt"' in related
    assert_inert(article)


@pytest.mark.parametrize("query, where", [
    (f"pipeline[+{IMG}]", "translations"),
    (f"газ[+{SCRIPT}]", "translations"),
    (f"{SCRIPT} piplines", "suggestions"),
    (f'enrgy "{IMG}"', "suggestions"),
    (f"date:{SCRIPT}", "notice error"),
])
def test_query_echoes_are_inert(client, query, where):
    page = client.get("/", query_string={"q": query}).get_data(as_text=True)
    shown = re.search(rf'<(p|div) class="{where}".*?</\1>', page, re.S)
    assert shown and "&lt;" in shown.group()  # the payload is shown, as text
    assert_inert(page)


@pytest.mark.parametrize("doc_id", ["../../../../etc/passwd", "/etc/passwd", "gen/../../../etc/passwd",
                                    "%2e%2e/%2e%2e/etc/passwd", "..\\..\\etc\\passwd", "corpus"])
def test_cli_show_reads_ids_from_the_index_only(index_dir, doc_id):
    result = invoke("show", doc_id, "--index", str(index_dir))
    assert result.exit_code == 2
    assert result.output.strip() == f"mlsearch: no document with id {doc_id!r}"


@pytest.mark.parametrize("path", [
    "/doc/..%2F..%2F..%2Fetc%2Fpasswd", "/api/doc/..%2F..%2Fetc%2Fpasswd", "/doc/%252e%252e/%252e%252e/etc/passwd",
    "/api/doc/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/doc/gen/..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/doc/.%2e/.%2e/etc/passwd", "/doc/%2Fetc%2Fpasswd",
])
def test_encoded_traversal_ids_are_refused_or_unknown(client, path):
    response = client.get(path, follow_redirects=True)  # '//' is redirected to '/'
    assert response.status_code in (400, 404)
    assert "root:" not in response.get_data(as_text=True)


LIMIT_SECONDS = 5
HUGE_QUERIES = {
    "10,000 characters": "energy " * 1500,
    "2,000 open parentheses": "(" * 2000,
    "17 nested parentheses": "(" * 17 + "gas" + ")" * 17,
    "16 nested parentheses": "(" * 16 + "gas" + ")" * 16,
    "249 nested NOTs": "NOT " * 249 + "gas",
    "a 140-word phrase": '"' + "energy security " * 70 + '"',
    "200 words": " ".join(f"w{n}" for n in range(200)),
    "201 words": " ".join(f"w{n}" for n in range(201)),
    "100 overrides": "oil[" + ",".join(f"+нефть{n}" for n in range(100)) + "]",
    "nested fields": "title:(body:(gas))",
    "a field in a field": "title:(title:gas)",
}


@pytest.mark.parametrize("name", HUGE_QUERIES)
def test_huge_and_nested_queries_answer_quickly_without_a_500(client, name):
    started = time.perf_counter()
    response = client.get("/api/search", query_string={"q": HUGE_QUERIES[name]})
    assert time.perf_counter() - started < LIMIT_SECONDS
    assert response.status_code in (200, 400)
    assert response.status_code == 200 or response.json["error"]
