"""Offline password login and logout in the browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import demo_password
from tests.browser.st_helpers import click_button, log_in, sidebar


def test_petugas_logs_in_and_out(page, app_server):
    log_in(page, app_server.url, "petugas.cibodas", demo_password("petugas.cibodas"))
    expect(sidebar(page).get_by_text("Petugas Cibodas (demo)")).to_be_visible()
    click_button(sidebar(page), "Keluar", page=page)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
