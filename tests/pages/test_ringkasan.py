"""Ringkasan: every complaint counts in Total and Open, an unreadable receipt date included."""

from __future__ import annotations

from dashboard.access import Viewer
from data_sources.local_file import LocalFileSource
from metrics.profiles import load_profile
from metrics.register import normalise_register
from tests.app_helpers import run_page


def test_total_counts_the_complaint_with_an_unreadable_receipt_date(demo_register_path, register_env):
    register_env(demo_register_path)
    complaints = normalise_register(
        LocalFileSource(demo_register_path).read(), load_profile("umum")
    ).complaints
    undated = int(complaints["tanggal_diterima"].isna().sum())
    assert undated >= 1  # the demo's unreadable '31/02/2025'
    at = run_page("app_pages/ringkasan.py", session={"viewer": Viewer("admin", "admin")}, timeout=120)
    assert not at.exception, at.exception
    total = int(at.metric[0].value.replace(".", ""))
    assert total == len(complaints)
