"""Running the real app in AppTest, on any page, as any viewer."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP_PATH = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def run_page(page_path: str | None = None, timeout: float = 60, session: dict | None = None) -> AppTest:
    """Run ``streamlit_app.py``, switch to ``page_path`` (e.g. ``"app_pages/ringkasan.py"``) and run it.

    ``session`` pre-fills ``st.session_state`` (e.g. a logged-in viewer).
    """
    at = AppTest.from_file(APP_PATH, default_timeout=timeout)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    if page_path:
        at.switch_page(page_path)
        at.run()
    return at
