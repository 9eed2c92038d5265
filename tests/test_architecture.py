"""Layer rules of docs/ARCHITECTURE.md for the app side (services/, dashboard/, app_pages/):
who may import whom, no import cycles, no function-level imports hiding them, no private helper
imported from another module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT = ("data_sources", "metrics", "services", "dashboard", "app_pages")
# What each layer may import (besides the standard library and third-party packages).
ALLOWED = {
    "services": {"data_sources", "metrics", "services"},
    "dashboard": {"data_sources", "metrics", "services", "dashboard"},
    "app_pages": {"data_sources", "metrics", "services", "dashboard"},
}
NO_STREAMLIT = ("services",)


def modules(packages=("services", "dashboard", "app_pages")) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((REPO / package).glob("*.py")):
            name = f"{package}.{path.stem}" if path.stem != "__init__" else package
            found[name] = path
    found["streamlit_app"] = REPO / "streamlit_app.py"
    return found


def imports(path: Path) -> list[tuple[str, tuple[str, ...], bool, int]]:
    """(module, imported names, at module level, line) of every import in ``path``."""
    tree = ast.parse(path.read_text(), str(path))
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, (), id(node) in top, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, tuple(a.name for a in node.names), id(node) in top, node.lineno))
    return out


def project_target(module: str, names: tuple[str, ...]) -> list[str]:
    """The project modules an import statement loads (``from dashboard import x`` -> dashboard.x)."""
    if module.split(".")[0] not in PROJECT:
        return []
    targets = [module]
    for name in names:
        if (REPO / module.replace(".", "/") / f"{name}.py").exists():
            targets.append(f"{module}.{name}")
    return targets


ALL = modules()


@pytest.mark.parametrize("name", sorted(ALL))
def test_layer_imports_and_no_hidden_imports(name):
    path = ALL[name]
    layer = name.split(".")[0]
    for module, names, at_top, line in imports(path):
        root = module.split(".")[0]
        where = f"{path.relative_to(REPO)}:{line}"
        if root in PROJECT:
            assert at_top, f"{where}: function-level import of {module} (hides a cycle?)"
            if layer in ALLOWED:
                assert root in ALLOWED[layer], f"{where}: {layer} may not import {root}"
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            assert not private, f"{where}: private {private} imported from {module}"
        if layer in NO_STREAMLIT:
            assert root != "streamlit", f"{where}: {layer} must not import streamlit"


def test_no_import_cycles_between_app_modules():
    graph = {name: set() for name in ALL}
    for name, path in ALL.items():
        for module, names, at_top, _ in imports(path):
            if at_top:
                graph[name] |= {t for t in project_target(module, names) if t in graph and t != name}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_pages_are_thin():
    for path in sorted((REPO / "app_pages").glob("*.py")):
        lines = len(path.read_text().splitlines())
        assert lines <= 80, f"{path.relative_to(REPO)} has {lines} lines: move components to dashboard/"


def test_cached_functions_have_no_hidden_inputs():
    """A ``_param`` is not hashed by st.cache_*: the cache would serve one input's result for
    another. Cached functions take every input as a hashed argument (``hash_funcs`` for the
    loaded register and the settings)."""
    for name, path in ALL.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            cached = any("cache_" in ast.unparse(d) for d in node.decorator_list)
            if cached:
                hidden = [a.arg for a in node.args.args + node.args.kwonlyargs if a.arg.startswith("_")]
                assert not hidden, f"{name}.{node.name}: unhashed (hidden) inputs {hidden}"
