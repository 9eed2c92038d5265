"""The warm start (``python -m dashboard.server_start``, what ``./run app`` runs): it imports the
modules the entry script and the page files import, then hands over to ``streamlit run``."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from dashboard import server_start
from dashboard.server_start import REPO, app_modules

HEAVY = ("fpdf", "docx", "docxtpl", "gspread", "google.auth", "openpyxl")


def test_app_modules_are_what_the_entry_script_and_every_page_import():
    modules = app_modules()
    assert len(modules) == len(set(modules))
    for name in (
        "dashboard.navigation",
        "dashboard.auth",
        "dashboard.kabupaten_views",
        "dashboard.register_views",
    ):
        assert name in modules
    # every project module a page file imports at its top is in the list
    for page in sorted((REPO / "app_pages").glob("*.py")):
        for node in ast.parse(page.read_text()).body:
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.split(".")[0] in ("dashboard", "services")
            ):
                assert node.module in modules or any(m.startswith(node.module + ".") for m in modules), (
                    page.name,
                    node.module,
                )
    # only importable modules, never the page scripts themselves
    assert not [name for name in modules if name.startswith("app_pages")]
    assert not [name for name in modules if not (REPO / (name.replace(".", "/") + ".py")).exists()]


def test_a_module_imported_as_a_name_of_its_package_is_listed_as_that_module_once(tmp_path):
    (tmp_path / "app_pages").mkdir()
    (tmp_path / "dashboard").mkdir()
    (tmp_path / "dashboard" / "__init__.py").write_text("")
    (tmp_path / "dashboard" / "login_cookie.py").write_text("")
    (tmp_path / "streamlit_app.py").write_text(
        "import streamlit as st\nfrom dashboard import login_cookie\nfrom pandas import DataFrame\n"
    )
    (tmp_path / "app_pages" / "a.py").write_text("from dashboard import login_cookie\nimport json\n")
    assert app_modules(tmp_path) == ("dashboard.login_cookie",)


def test_main_warms_up_then_runs_streamlit_with_the_given_options(monkeypatch):
    calls = []
    monkeypatch.setattr(server_start, "warm_up", lambda: calls.append("import") or 0.0)
    monkeypatch.setattr(
        server_start.streamlit_cli, "main", lambda args, prog_name: calls.append((prog_name, args))
    )
    server_start.main(["--server.port", "8599"])
    assert calls == [
        "import",
        ("streamlit", ["run", str(REPO / "streamlit_app.py"), "--server.port", "8599"]),
    ]


@pytest.mark.parametrize("module", ["services.settings", "dashboard.navigation", "dashboard.kabupaten_views"])
def test_the_settings_and_the_kabupaten_page_do_not_import_document_or_sheets_libraries(module):
    """Every page imports the settings and a kabupaten user lands on Perbandingan Kecamatan: neither
    may pull in fpdf / python-docx / gspread / openpyxl (their import is seconds of a first view)."""
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def test_warm_up_imports_every_app_module_in_a_new_process():
    code = (
        "import sys\n"
        "from dashboard.server_start import app_modules, warm_up\n"
        "before = [m for m in app_modules() if m in sys.modules]\n"
        "warm_up()\n"
        "print(len(before), len([m for m in app_modules() if m not in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    before, missing = done.stdout.split()
    assert int(before) < len(app_modules())  # the import of the launcher alone does not do it
    assert missing == "0"
