"""Bahasa Indonesia by default, English on request: every UI text is written in both."""

from __future__ import annotations

import streamlit as st

from dashboard.browser_cookies import browser_cookies, run_in_browser, set_cookie_script

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
_STATE_KEY = "bahasa"


def language() -> str:
    """The language chosen in this session (``"id"`` unless the user switched)."""
    return st.session_state.get(_STATE_KEY, "id")


def t(indonesian: str, english: str) -> str:
    """The text in the session's language."""
    return english if language() == "en" else indonesian


_COOKIE = "pantau_bahasa"


def _remembered() -> str:
    """The language this browser chose before (a reload or a link starts a new session)."""
    value = browser_cookies().get(_COOKIE, "")
    return value if value in LANGUAGES else "id"


def show_language_switch() -> str:
    """Sidebar switch between Indonesian and English; returns the chosen language code. The
    choice is kept in a browser cookie (a year), so a reload does not fall back to Indonesian."""
    st.session_state.setdefault(_STATE_KEY, _remembered())
    st.sidebar.radio(
        "Bahasa / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=_STATE_KEY,
        horizontal=True,
    )
    chosen = language()
    if chosen != _remembered() or st.session_state.get("_pantau_bahasa_ditulis") not in (None, chosen):
        st.session_state["_pantau_bahasa_ditulis"] = chosen
        with st.sidebar:
            run_in_browser(
                set_cookie_script(_COOKIE, chosen, max_age_seconds=365 * 24 * 3600, same_site="Lax")
            )
    return chosen
