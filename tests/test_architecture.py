"""The house rules of ARCHITECTURE.md, read from the code's own imports:
data flows one way, no module imports one of a later stage, no circle,
whoosh only under the index backend, no module over 400 lines."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

# Stage of each package or module: a module may import its own stage and earlier ones.
STAGES = {
    "search": 0, "search.caches": 0, "search.wordgroups": 0, "search.progress": 0, "search.languages": 0, "search.ingest": 1, "search.analysis": 2, "search.embedding": 2, "search.index": 3, "search.query": 4, "search.options": 4,
    "search.translate": 5, "search.spelling": 5, "search.rank": 6, "search.snippets": 7, "search.results": 7, "search.related": 7, "search.semantic": 7,
    "search.sources": 7,
    "search.engine": 8, "search.cluster": 8, "search.cluster_facets": 8, "search.evaluation": 8, "search.cli": 9, "search.__main__": 9, "web": 9,
}
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for package in ("search", "web"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def stage(module: str) -> int:
    owner = max((name for name in STAGES if module == name or module.startswith(name + ".")), key=len)
    return STAGES[owner]


def imports(module: str) -> set[str]:
    """The project modules that `module` imports, at its top or inside functions."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module and not name.startswith(module + "."):
                found.add(name)
    return found


def test_every_module_has_a_stage():
    assert all(stage(module) >= 0 for module in MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_later_stage(module):
    later = {name for name in imports(module) if stage(name) > stage(module)}
    assert not later, f"{module} (stage {stage(module)}) imports {later}"


def test_no_import_circle():
    graph = {module: imports(module) for module in MODULES}
    visiting, done = set(), set()

    def visit(module, path):
        if module in visiting:
            raise AssertionError("import circle: " + " -> ".join(path[path.index(module):] + [module]))
        if module in done:
            return
        visiting.add(module)
        for name in sorted(graph[module]):
            visit(name, path + [module])
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_whoosh_is_imported_under_the_index_backend_only():
    outside = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        if any(name.split(".")[0] == "whoosh" for name in names) and not module.startswith("search.index"):
            outside.append(module)
    assert outside == []


def test_no_module_is_over_the_line_limit():
    long = {module: n for module, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
