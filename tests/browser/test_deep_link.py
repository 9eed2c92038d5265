"""A link straight to a page must run the app's entrypoint, even as a fresh server's first visit.

Streamlit keeps a process-wide "uses the pages/ directory" flag that is only cleared by the first
``st.navigation`` call. Until then a request for ``/masuk`` runs ``pages/masuk.py`` on its own
(legacy multipage mode): no language switch, no login check in the entrypoint, and a menu listing
every file in ``pages/`` — for every session, until somebody opens the root URL.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import demo_users_secrets, start_server
from tests.browser.st_helpers import open_app, sidebar


def test_first_visit_by_deep_link_runs_the_entrypoint(page, tmp_path_factory, browser_register):
    server = start_server(tmp_path_factory, browser_register, "fresh_server", demo_users_secrets())
    try:
        open_app(page, server.url, "masuk")
        expect(sidebar(page).get_by_text("Bahasa / Language")).to_be_visible()
        nav = sidebar(page).locator("[data-testid='stSidebarNav']").inner_text()
        assert "Catat" not in nav and "catat" not in nav, f"public menu lists staff pages:\n{nav}"
    finally:
        server.stop()
