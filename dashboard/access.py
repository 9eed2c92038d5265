"""The viewer of this session and the page guard (streamlit glue around ``services.access``).

Who may see or change what is decided in ``services.access`` (re-exported here for the UI).
Pages start with ``viewer = require(...)``: the menu only hides pages, ``require`` protects them.
"""

from __future__ import annotations

from contextlib import suppress

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.auth import pop_notice, session_viewer
from dashboard.i18n import t
from dashboard.navigation import page_roles
from dashboard.settings import current_settings
from services.access import (
    DESA_ROLES,
    PUBLIC,
    ROLE_LABELS,
    ROLES,
    STAFF_ROLES,
    WRITE_ROLES,
    Scoped,
    Viewer,
    aggregate_only,
    for_viewer,
    in_desa,
    scoped,
    visible_mask,
)

__all__ = [
    "require_page",
    "DESA_ROLES",
    "PUBLIC",
    "ROLES",
    "ROLE_LABELS",
    "STAFF_ROLES",
    "WRITE_ROLES",
    "Scoped",
    "Viewer",
    "aggregate_only",
    "current_viewer",
    "for_viewer",
    "in_desa",
    "require",
    "role_label",
    "scoped",
    "visible_mask",
]


def role_label(role: str) -> str:
    indonesian, english = ROLE_LABELS.get(role, (role, role))
    return t(indonesian, english)


def current_viewer() -> Viewer:
    """The viewer of this session: logged in (password or OIDC, see ``dashboard.auth``), session
    not expired; public otherwise."""
    return session_viewer()


def require_page(url: str, *, public_overview: bool = False) -> Viewer:
    """``require`` with the roles of the page at ``url`` (``dashboard.navigation.PageSpec.roles``)."""
    return require(page_roles(url), public_overview=public_overview)


def require(roles: tuple[str, ...] = STAFF_ROLES, *, public_overview: bool = False) -> Viewer:
    """Stop the page with a clear message unless the viewer has one of ``roles``.

    ``public_overview=True`` also lets the public in when ``[pantau] public_overview`` is on
    (pages showing aggregate figures only). Returns the viewer.
    """
    viewer = current_viewer()
    if viewer.role in roles:
        return viewer
    if viewer.role == "public" and public_overview and current_settings().public_overview:
        return viewer
    notice = pop_notice()
    if notice:
        st.warning(notice, icon=":material/timer_off:")
    if viewer.role == "public":
        st.error(
            t(
                "Halaman ini perlu login. Silakan masuk terlebih dahulu; halaman ini dibuka lagi sesudahnya.",
                "This page needs a login. Please log in first; it opens again right after.",
            ),
            icon=":material/lock:",
        )
        with suppress(StreamlitAPIException):  # the page is run on its own, outside st.navigation
            st.page_link("app_pages/masuk.py", label=t("Masuk", "Log in"), icon=":material/login:")
    else:
        st.error(
            t(
                "Anda tidak berwenang membuka halaman ini (peran: {role}).",
                "You are not authorised to open this page (role: {role}).",
            ).format(role=role_label(viewer.role)),
            icon=":material/lock:",
        )
    st.stop()
    raise RuntimeError("unreachable")  # pragma: no cover - st.stop() raises
