"""A link straight to a page must run the app's entrypoint, even as a fresh server's first visit.

With a folder named ``pages/`` Streamlit would run ``/masuk`` on its own as a fresh server's first
request (legacy multipage mode): no language switch, no login check in the entrypoint, and a menu
listing every page file. The pages live in ``app_pages/``, so every URL goes through
``streamlit_app.py`` and ``st.navigation``; this test keeps it that way.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import demo_password, demo_users_secrets, start_server
from tests.browser.st_helpers import fill, main, open_app, sidebar, wait_ready


def test_first_visit_by_deep_link_runs_the_entrypoint(page, tmp_path_factory, browser_register):
    server = start_server(tmp_path_factory, browser_register, "fresh_server", demo_users_secrets())
    try:
        open_app(page, server.url, "masuk")
        expect(sidebar(page).get_by_text("Bahasa / Language")).to_be_visible()
        nav = sidebar(page).locator("[data-testid='stSidebarNav']").inner_text()
        assert "Catat" not in nav and "catat" not in nav, f"public menu lists staff pages:\n{nav}"
    finally:
        server.stop()


def test_staff_link_opened_logged_out_opens_after_login(page, app_server):
    open_app(page, app_server.url, "register")
    # not the Register yet: a clear request to log in
    expect(main(page).get_by_text("Halaman ini perlu login")).to_be_visible()
    nav = sidebar(page).locator("[data-testid='stSidebarNav']").inner_text()
    assert "Register" not in nav and "Pengelolaan" not in nav, f"public menu lists staff pages:\n{nav}"
    expect(main(page).get_by_role("heading", name="Register Pengaduan")).to_have_count(0)
    main(page).get_by_role("link", name="Masuk").click()
    wait_ready(page)
    form = main(page).locator("[data-testid='stForm']")
    fill(form, "Nama pengguna", "petugas.cibodas", commit="none")
    fill(form, "Kata sandi", demo_password("petugas.cibodas"), commit="none")
    form.get_by_role("button", name="Masuk").click()
    expect(main(page).get_by_role("heading", name="Register Pengaduan")).to_be_visible()
    assert page.url.rstrip("/").endswith("/register")
