"""The admin page names each problem in secrets.toml; the log records it."""

import logging

from streamlit.testing.v1 import AppTest

from services.access import Viewer
from tests.app_helpers import APP_PATH


def test_admin_page_names_the_problem_and_the_log_records_it(caplog, demo_register_path, monkeypatch):
    monkeypatch.setenv("PANTAU_REGISTER", str(demo_register_path))
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.secrets["pantau"] = {"cache_ttl_secs": 10}
    at.session_state["viewer"] = Viewer("Admin", "admin")
    with caplog.at_level(logging.WARNING, logger="pantau.settings"):
        at.run()
        at.switch_page("app_pages/siapkan_sheet.py").run()
    assert not at.exception
    shown = [w.value.replace("\\", "") for w in at.warning]
    assert any("[pantau] cache_ttl_secs tidak dikenal" in w for w in shown), shown
    assert "[pantau] cache_ttl_secs" in caplog.text
