"""Effectiveness regression on fast kit tasks, in the manner of Pyserini.

benchmarks/expected.json holds the figures our engine reached; a change that
moves one by more than TOLERANCE fails here and must update that file on
purpose. Needs ../shared (or SHARED_DIR) to build the kit, which is cached in
.cache/kit for later runs and for `make eval`.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.evaluation import evaluate

ROOT = Path(__file__).resolve().parents[1]
MAKE_TASKS = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared")) / "eval" / "make_tasks.py"
KIT = ROOT / ".cache" / "kit"
EXPECTED = json.loads((ROOT / "benchmarks" / "expected.json").read_text(encoding="utf-8"))
TOLERANCE = 0.005

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not MAKE_TASKS.is_file(), reason=f"{MAKE_TASKS} not found: the regression needs ../shared (or SHARED_DIR)"
)]


def task_params() -> list:
    return [
        pytest.param(task, marks=pytest.mark.skipif(None in figures.values(), reason=f"no expected figures for {task} yet"))
        for task, figures in EXPECTED.items()
        if not task.startswith("_")
    ]


@pytest.fixture(scope="session")
def kit() -> Path:
    if not KIT.is_dir():
        # Built aside and renamed, so an interrupted build is never taken for a kit.
        partial = KIT.with_name(KIT.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run([sys.executable, str(MAKE_TASKS), str(partial)], check=True, stdout=subprocess.DEVNULL)
        partial.rename(KIT)
    return KIT


@pytest.fixture(scope="session")
def index_of(kit, tmp_path_factory):
    """The index of a kit corpus, built once per session."""
    built = {}

    def index_dir(corpus: str) -> Path:
        if corpus not in built:
            built[corpus] = tmp_path_factory.mktemp("index") / corpus
            result = CliRunner().invoke(main, ["index", str(kit / "corpora" / corpus), "--index", str(built[corpus])])
            assert result.exit_code == 0, result.output
        return built[corpus]

    return index_dir


@pytest.mark.parametrize("task", task_params())
def test_effectiveness_matches_expected(task, kit, index_of, tmp_path):
    task_dir = kit / "tasks" / task
    corpus = json.loads((task_dir / "task.json").read_text(encoding="utf-8"))["corpus"]
    args = ["batch", str(task_dir / "topics.tsv"), "--index", str(index_of(corpus)), "--limit", "100"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    run = tmp_path / "run.txt"
    run.write_text(result.stdout, encoding="utf-8")
    measured = evaluate(run, task_dir / "qrels.txt")
    for name, expected in EXPECTED[task].items():
        assert measured[name] == pytest.approx(expected, abs=TOLERANCE), (
            f"{task} {name}: measured {measured[name]:.4f}, expected {expected:.4f}"
        )
