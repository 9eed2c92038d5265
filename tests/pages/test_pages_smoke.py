"""Every page renders on the demo register and on an empty register without an exception."""

from __future__ import annotations

import openpyxl
import pytest

from dashboard.access import Viewer
from dashboard.navigation import PAGES
from metrics.columns import TEMPLATE_HEADER
from tests.app_helpers import run_page as run_app_page

ADMIN = Viewer("Admin Uji", "admin")
# Pages that do not show register data (login, public lookup form).
NO_REGISTER_PAGES = (
    "masuk",
    "lacak",
    "sampaikan",  # the public form
    "laporan-kabupaten",
    "sinkronisasi",
)  # the last two read the sync store


def run_page(url: str):
    return run_app_page(next(p.path for p in PAGES if p.url == url), session={"viewer": ADMIN})


@pytest.fixture
def empty_register(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    workbook.active.append(list(TEMPLATE_HEADER))
    path = tmp_path / "kosong.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("url", [p.url for p in PAGES])
def test_page_renders_on_demo_register(url, demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page(url)
    assert not at.exception, at.exception
    assert at.title, "page shows a title"


@pytest.mark.parametrize("url", [p.url for p in PAGES if p.url not in NO_REGISTER_PAGES])
def test_page_renders_on_empty_register(url, empty_register, register_env):
    register_env(empty_register)
    at = run_page(url)
    assert not at.exception, at.exception
    assert any("belum ada" in i.value.lower() for i in at.info)


def test_overview_shows_demo_figures(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("ringkasan")
    metrics = {m.label: m.value for m in at.metric}
    total = int(metrics["Total pengaduan"].replace(".", ""))
    assert total >= 3000
    assert metrics["Tepat waktu"].endswith("%")


def test_english_switch(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_app_page(
        session={"viewer": ADMIN}
    )  # the switch lives in the entrypoint, which switch_page skips
    at.radio(key="bahasa").set_value("en").run()
    assert not at.exception
    assert "Total complaints" in [m.label for m in at.metric]
