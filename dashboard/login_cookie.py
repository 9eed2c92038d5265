"""Keeps a password login across a page reload (F5) or a second tab of the same browser.

A Streamlit session lives in one tab's websocket: a reload starts a new, empty session, so a
petugas was logged out by every F5. ``st.login`` (OIDC) keeps its identity in a cookie Streamlit
sets; the password login does the same here. After login the browser holds a signed token
(``itsdangerous``, HMAC-SHA256, with its issue time) naming the username; a new session reads it
from ``st.context.cookies`` and logs that account in again, re-resolved from the current
configuration (a removed account or a changed role takes effect at once).

- The token is valid for the inactivity timeout (``[pantau] session_timeout_minutes``) and is
  re-issued every few minutes while the user is active, so an idle login ends as before.
- The cookie is a browser-session cookie (no Max-Age; ``SameSite=Strict``): closing the browser on
  a shared office computer ends it.
- Logout revokes the login on the server (its id in a process-wide set; every tab restored from
  the same cookie shares it and is logged out on its next run) and deletes the cookie.
- Secret: ``[pantau] session_secret``, else ``[auth] cookie_secret``, else a random one per server
  process (a server restart then logs everyone out).

The cookie is written by a tiny script (``dashboard.browser_cookies``): it only ever contains the
cookie name and a token made here (URL-safe base64 and dots), never user input.
"""

from __future__ import annotations

import re
import secrets as token_source
import threading
import time
from collections.abc import Mapping
from typing import Any

import itsdangerous

from dashboard import browser_cookies

COOKIE_NAME = "pantau_sesi"
SALT = "pantau-aduan-login"
RENEW_AFTER_SECONDS = 300
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_\-.]+$")
_PROCESS_SECRET = token_source.token_hex(32)
_REVOKED: set[str] = set()
_REVOKED_LOCK = threading.Lock()


def signing_secret(configured: str) -> str:
    """The configured secret (``Settings.session_secret``: ``[pantau] session_secret`` or
    ``[auth] cookie_secret``), else this process's random one."""
    return configured.strip() or _PROCESS_SECRET


def _serializer(secret: str) -> itsdangerous.URLSafeTimedSerializer:
    return itsdangerous.URLSafeTimedSerializer(secret, salt=SALT)


def new_login_id() -> str:
    return token_source.token_urlsafe(12)


def issue_token(username: str, secret: str, login_id: str) -> str:
    """A signed, timestamped token for ``username``. ``login_id`` names one login of one browser:
    it stays the same through renewals and in every tab restored from the cookie, so a logout
    (which revokes it) ends all of them."""
    return _serializer(secret).dumps({"u": username, "j": login_id})


def _payload(token: str, secret: str, max_age_seconds: float) -> Mapping[str, Any] | None:
    if not token or not _TOKEN_SHAPE.match(token):
        return None
    try:
        payload = _serializer(secret).loads(token, max_age=max_age_seconds)
    except itsdangerous.BadData:  # bad signature, expired, garbled
        return None
    if not isinstance(payload, Mapping) or not isinstance(payload.get("u"), str):
        return None
    with _REVOKED_LOCK:
        if payload.get("j") in _REVOKED:
            return None
    return payload


def read_token(token: str, secret: str, max_age_seconds: float) -> tuple[str, str] | None:
    """``(username, login_id)`` of a valid, unexpired, unrevoked token; None otherwise."""
    payload = _payload(token, secret, max_age_seconds)
    return (str(payload["u"]), str(payload.get("j") or "")) if payload else None


def username_from_token(token: str, secret: str, max_age_seconds: float) -> str | None:
    found = read_token(token, secret, max_age_seconds)
    return found[0] if found else None


def revoke_login(login_id: str) -> None:
    """End one login (logout) in this server process, whatever tokens of it are still around."""
    if login_id:
        with _REVOKED_LOCK:
            _REVOKED.add(login_id)


def is_revoked(login_id: str) -> bool:
    with _REVOKED_LOCK:
        return login_id in _REVOKED


def revoke_token(token: str, secret: str) -> None:
    """End the login a (signed) token belongs to, even before it expires."""
    try:
        payload = _serializer(secret).loads(token)
    except itsdangerous.BadData:
        return
    if isinstance(payload, Mapping) and payload.get("j"):
        revoke_login(str(payload["j"]))


def needs_renewal(issued_at: float | None, now: float | None = None) -> bool:
    return issued_at is None or (time.time() if now is None else now) - issued_at >= RENEW_AFTER_SECONDS


def set_cookie_script(token: str, secure: bool) -> str:
    """``<script>`` that stores ``token`` as a browser-session cookie."""
    if not _TOKEN_SHAPE.match(token):
        raise ValueError("token has characters a cookie cannot hold")
    return browser_cookies.set_cookie_script(COOKIE_NAME, token, secure=secure)


def clear_cookie_script() -> str:
    return browser_cookies.clear_cookie_script(COOKIE_NAME)
