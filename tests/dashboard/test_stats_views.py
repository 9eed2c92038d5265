"""Statistik Bulanan's breakdown charts in English: the bar for empty cells is labelled in the
session's language (browser review: "(kosong)" in the English charts by category and urgency)."""

from __future__ import annotations

import json

import openpyxl

from dashboard.access import Viewer
from tests.app_helpers import run_page

PAGE = "app_pages/statistik_bulanan.py"
ADMIN = Viewer("Admin", "admin", ())


def bar_labels(at) -> list[str]:
    labels: list[str] = []
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec).get("data", []):
            if trace.get("orientation") == "h":
                labels += [str(y) for y in trace.get("y", [])]
    return labels


def test_empty_label_follows_the_language(demo_register_path, register_env, tmp_path):
    workbook = openpyxl.load_workbook(demo_register_path)
    sheet = workbook["Register"]
    header = [c.value for c in sheet[1]]
    for number, cells in enumerate(sheet.iter_rows(min_row=2)):
        if number % 3 == 0:
            cells[header.index("Urgensi")].value = None
            cells[header.index("Kategori")].value = None
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register_env(path)
    indonesian = run_page(PAGE, session={"viewer": ADMIN}, timeout=120)
    assert not indonesian.exception, indonesian.exception
    assert "(kosong)" in bar_labels(indonesian), "the demo needs a complaint with an empty category/urgency"
    english = run_page(PAGE, session={"viewer": ADMIN, "bahasa": "en"}, timeout=120)
    assert not english.exception, english.exception
    labels = bar_labels(english)
    assert "(kosong)" not in labels
    assert "(empty)" in labels
