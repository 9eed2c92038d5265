"""Bahasa Indonesia by default, English on request: every UI text is written in both."""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
_STATE_KEY = "bahasa"


def language() -> str:
    """The language chosen in this session (``"id"`` unless the user switched)."""
    return st.session_state.get(_STATE_KEY, "id")


def t(indonesian: str, english: str) -> str:
    """The text in the session's language."""
    return english if language() == "en" else indonesian


def show_language_switch() -> str:
    """Sidebar switch between Indonesian and English; returns the chosen language code."""
    st.session_state.setdefault(_STATE_KEY, "id")
    st.sidebar.radio(
        "Bahasa / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=_STATE_KEY,
        horizontal=True,
    )
    return language()
