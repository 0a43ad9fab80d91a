"""Every `mlsearch` command through click's runner, over real indexes."""
import fcntl
import json
import os
import shutil
import struct
import subprocess
import sys
import termios

import pytest
from click.testing import CliRunner

from helpers import SAMPLE
from search.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SAMPLE, corpus, dirs_exist_ok=True)
    (corpus / "broken.txt").write_bytes(b"\x00\x00\x00binary")
    index = tmp_path_factory.mktemp("ix") / "cli"
    result = CliRunner().invoke(main, ["index", str(corpus), "--index", str(index)])
    return corpus, index, result


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_index_prints_a_summary_with_skipped_files(built):
    _, _, result = built
    assert result.exit_code == 0, result.output
    assert "5 documents: 3 en, 2 ru" in result.output
    assert "broken.txt: binary file" in result.output


def test_search_prints_title_date_language_id_snippet(built):
    _, index, _ = built
    result = run("search", "энергетическая безопасность", "--index", index, "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert "Азербайджан и НАТО обменялись мнениями" in result.output
    assert "004_7cdd14b6ffe0cde8.txt" in result.output
    assert "[энергетической] [безопасности]" in result.output


def test_search_json_shows_translations(built):
    _, index, _ = built
    result = run("search", "Shahbazov", "--index", index, "--json")
    data = json.loads(result.output)
    assert {h["id"] for h in data["hits"]} == {"000_1b4e62a6aabbd5a2.txt", "003_1da6fcedd6322d04.txt"}
    assert data["translations"][0]["word"] == "Shahbazov"
    assert set(data) >= {"query", "total", "took_ms", "hits", "translations", "suggestions", "facets"}


def test_search_filters_and_no_translate(built):
    _, index, _ = built
    result = run("search", "Azerbaijan", "--index", index, "--since", "2023", "--no-translate", "--json")
    assert [h["id"] for h in json.loads(result.output)["hits"]] == ["000_1b4e62a6aabbd5a2.txt"]


def test_batch_prints_a_trec_run(built, tmp_path):
    _, index, _ = built
    topics = tmp_path / "topics.tsv"
    topics.write_text("q1\tэнергетическая безопасность\nq2\tShahbazov \"unclosed\n", encoding="utf-8")
    result = run("batch", topics, "--index", index, "--limit", "3")
    assert result.exit_code == 0
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines[0][:4] == ["q1", "Q0", "004_7cdd14b6ffe0cde8.txt", "1"]
    assert all(len(line) == 6 and line[5] == "mlsearch" for line in lines)
    assert {line[0] for line in lines} == {"q1", "q2"}
    scores = [float(line[4]) for line in lines if line[0] == "q1"]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_evaluate_reports_the_three_measures(tmp_path):
    run_file = tmp_path / "run"
    run_file.write_text("q1 Q0 a 1 2.0 x\nq1 Q0 b 2 1.0 x\n")
    qrels = tmp_path / "qrels"
    qrels.write_text("q1 0 b 1\n")
    result = run("evaluate", run_file, qrels)
    assert result.exit_code == 0
    figures = dict(line.split("\t") for line in result.output.splitlines())
    assert figures == {"nDCG@10": "0.6309", "MRR@10": "0.5000", "R@100": "1.0000"}


def test_show_stats_similar(built):
    _, index, _ = built
    shown = run("show", "004_7cdd14b6ffe0cde8.txt", "--index", index)
    assert shown.exit_code == 0 and "Kazinform" in shown.output
    stats = run("stats", "--index", index)
    assert "documents: 5" in stats.output and "en 3, ru 2" in stats.output
    similar = run("similar", "000_1b4e62a6aabbd5a2.txt", "--index", index, "--other-language")
    assert similar.exit_code == 0 and "[ru" in similar.output.splitlines()[2]


def hit_blocks(output: str) -> dict[str, list[str]]:
    """Each printed hit's lines by its id, without its number."""
    blocks = {}
    for block in output.split("\n\n")[1:]:
        lines = block.splitlines()
        blocks[lines[1].strip()] = [lines[0].split(". ", 1)[1]] + lines[1:]
    return blocks


def test_similar_prints_the_lines_search_prints(built):
    _, index, _ = built
    similar = run("similar", "000_1b4e62a6aabbd5a2.txt", "--index", index, "--other-language", "--limit", 1)
    assert similar.output.splitlines()[0] == "1 article(s) like 000_1b4e62a6aabbd5a2.txt"
    (doc, lines), = hit_blocks(similar.output).items()
    searched = hit_blocks(run("search", "Shahbazov", "--index", index).output)[doc]
    # Title, language, date, outlet; id; a snippet (of its own matched words).
    assert lines[:2] == searched[:2] == ["(untitled)  [ru · 2026-02-10 · Day.Az]", "   " + doc]
    assert len(lines) == 3 and "[" in lines[2]


@pytest.mark.parametrize("args, message", [
    (["search", "gas", "--index", "{missing}"], "no index at"),
    (["search", '"unclosed', "--index", "{index}"], "bad query: unclosed quote"),
    (["index", "{missing}", "--index", "{index}"], "corpus directory not found"),
    (["show", "nope.txt", "--index", "{index}"], "no document with id"),
    (["similar", "nope.txt", "--index", "{index}"], "no document with id"),
    (["serve", "--index", "{missing}"], "no index at"),
    (["stats", "--index", "{missing}"], "no index at"),
])
def test_usage_errors_print_one_line_and_exit_2(built, tmp_path, args, message):
    _, index, _ = built
    args = [a.format(missing=tmp_path / "missing", index=index) for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def on_a_terminal(args, columns: int, lines: int) -> str:
    """What `mlsearch ARGS` writes to a pseudo-terminal of that size (0 x 0:
    one whose size was never set)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "search", *map(str, args)],
                               stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert process.wait(timeout=60) == 0
    return output.decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize("columns, lines", [(100, 30), (0, 0)])
def test_index_shows_a_progress_bar_on_a_terminal(tmp_path, columns, lines):
    output = on_a_terminal(["index", SAMPLE, "--index", tmp_path / "ix"], columns, lines)
    assert "indexing: 100%" in output and "5/5" in output
    assert "index " in output  # the summary follows


@pytest.mark.slow
def test_index_is_quiet_when_piped(tmp_path):
    result = subprocess.run([sys.executable, "-m", "search", "index", str(SAMPLE), "--index", str(tmp_path / "ix")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("index ")
