"""The entrypoint draws something before its heavy imports (the first load was blank for 7-12 s)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.app_helpers import APP_PATH

# (plotly is not listed: streamlit itself imports it for its chart theme)
HEAVY = ("pandas", "numpy", "matplotlib", "openpyxl", "fpdf", "metrics.register")


def _imports_before_first_output() -> list[str]:
    """The modules ``streamlit_app.py`` imports before the statement that puts text on screen."""
    tree = ast.parse(Path(APP_PATH).read_text(encoding="utf-8"))
    modules: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = ast.unparse(node.value)
            if ".caption(" in call or ".write(" in call or ".markdown(" in call or ".spinner(" in call:
                return modules
    raise AssertionError("streamlit_app.py shows nothing before running the page")


def test_first_output_comes_before_pandas_and_the_views_are_imported():
    modules = _imports_before_first_output()
    script = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + (f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(APP_PATH).parent
    ).stdout.strip()
    assert loaded == "", f"imported before anything is on screen: {loaded}"


def test_the_loading_note_is_cleared_before_the_page_runs():
    source = Path(APP_PATH).read_text(encoding="utf-8")
    assert source.index("_loading.empty()") < source.index("page.run()")
