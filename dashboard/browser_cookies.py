"""The small cookies the app keeps in the browser (the password login, the language).

Read from the request that opened the session (``st.context.cookies``: a reload or a new tab
starts a new session, which is what these cookies are for). Streamlit has no API to set a cookie,
so one is written by a tiny script (``st.html`` with JavaScript); the script only ever holds a
cookie name and a value made by the app, checked here to be plain URL-safe characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import streamlit as st

_PLAIN = re.compile(r"^[A-Za-z0-9_\-.]*$")


def browser_cookies() -> Mapping[str, str]:
    """The cookies the browser sent when this session started; empty outside a script run."""
    try:
        return st.context.cookies or {}
    except Exception:  # no script context
        return {}


def set_cookie_script(
    name: str,
    value: str,
    *,
    max_age_seconds: int | None = None,
    same_site: str = "Strict",
    secure: bool = False,
) -> str:
    """``<script>`` storing the cookie: for the browser session without ``max_age_seconds``."""
    if not name or not _PLAIN.match(name) or not _PLAIN.match(value):
        raise ValueError("a cookie name or value with characters a cookie cannot hold")
    flags = "; Path=/" + (f"; Max-Age={int(max_age_seconds)}" if max_age_seconds is not None else "")
    flags += f"; SameSite={same_site}" + ("; Secure" if secure else "")
    return f'<script>document.cookie = "{name}={value}{flags}";</script>'


def clear_cookie_script(name: str, same_site: str = "Strict") -> str:
    """``<script>`` deleting the cookie."""
    return set_cookie_script(name, "", max_age_seconds=0, same_site=same_site)


def run_in_browser(script: str) -> None:
    """Send one of the scripts above to the page (it takes no room in the layout)."""
    st.html(script, unsafe_allow_javascript=True)
