"""Offline password login and logout in the browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import demo_password
from tests.browser.st_helpers import click_button, log_in, open_app, sidebar


def test_petugas_logs_in_and_out(page, app_server):
    log_in(page, app_server.url, "petugas.cibodas", demo_password("petugas.cibodas"))
    expect(sidebar(page).get_by_text("Petugas Cibodas (demo)")).to_be_visible()
    click_button(sidebar(page), "Keluar", page=page)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)


def _session_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "pantau_sesi"), None)


def test_reload_and_second_tab_keep_the_login_until_logout(page, app_server):
    log_in(page, app_server.url, "petugas.cibodas", demo_password("petugas.cibodas"))
    cookie = _session_cookie(page)
    assert (
        cookie is not None and cookie["sameSite"] == "Strict" and cookie["expires"] == -1
    )  # browser session only
    # F5 starts a new Streamlit session: the petugas is still logged in, on the page they were on
    open_app(page, app_server.url, "masuk")
    expect(sidebar(page).get_by_text("Petugas Cibodas (demo)")).to_be_visible()
    second = page.context.new_page()
    open_app(second, app_server.url, "register")
    expect(sidebar(second).get_by_text("Petugas Cibodas (demo)")).to_be_visible()
    expect(second.get_by_role("heading", name="Register")).to_be_visible()
    stolen = dict(cookie)
    click_button(sidebar(page), "Keluar", page=page)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    page.wait_for_function("() => !document.cookie.includes('pantau_sesi=')")
    open_app(page, app_server.url, "masuk")
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    # the other tab restored from the same cookie is logged out too, on its next click
    second.get_by_role("link", name="Ringkasan").first.click()
    expect(sidebar(second).get_by_text("Masuk sebagai")).to_have_count(0)
    expect(second.get_by_text("Anda sudah keluar (di tab lain)")).to_be_visible()
    # the token of the logged-out session no longer logs anyone in, even if kept
    fresh = page.context.browser.new_context()
    try:
        fresh.add_cookies([{k: stolen[k] for k in ("name", "value", "domain", "path")}])
        other = fresh.new_page()
        open_app(other, app_server.url, "masuk")
        expect(sidebar(other).get_by_text("Masuk sebagai")).to_have_count(0)
    finally:
        fresh.close()
