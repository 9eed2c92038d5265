"""Who is looking: the viewer's role and desas, and what they may see or change.

Roles: ``admin``; ``kecamatan`` (all desas, read-only, personal data masked); ``kepala_desa``
(own desa, read-only, personal data masked: reads but does not handle complaints); ``petugas``
(own desa, read and write, personal data in full); ``public`` (not logged in: complaint lookup
only, and the aggregate Ringkasan when ``[pantau] public_overview`` is on).

Personal data (name, address, phone) is shown in full only to those who handle the complaint:
petugas of its desa and admin. A ``Rahasia`` complaint hides its reporter from everyone but the
petugas of its desa — admin included (admin sees ``(dirahasiakan)``).

Pages start with ``viewer = require(...)``: the menu only hides pages, ``require`` protects them
(it is also what a page run on its own — e.g. after ``switch_page`` — relies on).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from metrics.columns import column_key
from metrics.privacy import hide_for_aggregate, mask_personal_data

if TYPE_CHECKING:
    from dashboard.data import LoadedRegister

ROLES = ("admin", "kecamatan", "kepala_desa", "petugas", "public")
STAFF_ROLES = ("admin", "kecamatan", "kepala_desa", "petugas")
WRITE_ROLES = ("admin", "petugas")
ROLE_LABELS = {
    "admin": ("Admin", "Admin"),
    "kecamatan": ("Kecamatan", "Sub-district"),
    "kepala_desa": ("Kepala Desa", "Village head"),
    "petugas": ("Petugas pengaduan", "Complaints officer"),
    "public": ("Publik", "Public"),
}
# Roles that must be tied to at least one desa (an empty list would mean "every desa").
DESA_ROLES = ("kepala_desa", "petugas")


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str
    desa: tuple[str, ...] = ()  # empty = every desa of the kecamatan (admin, kecamatan)
    login: str = ""  # username or e-mail the viewer logged in with
    method: str = ""  # "password", "oidc" or "" (not logged in / test)

    def covers(self, desa: str) -> bool:
        """Whether complaints of ``desa`` are this viewer's (desa names compared ignoring case,
        spacing and punctuation)."""
        if self.role == "public":
            return False
        return not self.desa or column_key(desa) in {column_key(d) for d in self.desa}

    def can_write(self, desa: str) -> bool:
        return self.role == "admin" or (self.role == "petugas" and self.covers(desa))

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def allowed_desa(self) -> list[str] | None:
        """Desa filter options: ``None`` = every desa."""
        return list(self.desa) if self.desa else None

    def handles(self, complaints: pd.DataFrame) -> pd.Series:
        """Complaints whose personal data this viewer may see in full: petugas of the desa, and
        admin except for ``Rahasia`` complaints."""
        if self.role == "admin":
            secret = _secret(complaints)
            return ~secret
        if self.role == "petugas":
            return in_desa(complaints, self.desa) if self.desa else pd.Series(True, index=complaints.index)
        return pd.Series(False, index=complaints.index)


PUBLIC = Viewer("", "public")


def in_desa(complaints: pd.DataFrame, desa: tuple[str, ...] | list[str]) -> pd.Series:
    """Complaints whose desa is one of ``desa`` (ignoring case, spacing and punctuation)."""
    keys = {column_key(d) for d in desa}
    return complaints["desa"].astype("string").fillna("").map(column_key).isin(keys).astype(bool)


def _secret(complaints: pd.DataFrame) -> pd.Series:
    if "rahasia" not in complaints:
        return pd.Series(False, index=complaints.index)
    return complaints["rahasia"].fillna(False).astype(bool)


def role_label(role: str) -> str:
    from dashboard.i18n import t

    indonesian, english = ROLE_LABELS.get(role, (role, role))
    return t(indonesian, english)


def current_viewer() -> Viewer:
    """The viewer of this session: logged in (password or OIDC, see ``dashboard.auth``), session
    not expired; public otherwise."""
    from dashboard.auth import session_viewer

    return session_viewer()


def require(roles: tuple[str, ...] = STAFF_ROLES, *, public_overview: bool = False) -> Viewer:
    """Stop the page with a clear message unless the viewer has one of ``roles``.

    ``public_overview=True`` also lets the public in when ``[pantau] public_overview`` is on
    (pages showing aggregate figures only). Returns the viewer.
    """
    from dashboard import ENTRYPOINT_MARK
    from dashboard.auth import pop_notice
    from dashboard.i18n import t

    if not st.session_state.get(ENTRYPOINT_MARK):
        # A page run without the entrypoint (Streamlit's legacy pages/ mode on a fresh server's
        # first request, see dashboard/__init__.py): run it again through the entrypoint, once.
        st.session_state[ENTRYPOINT_MARK] = True
        st.rerun()
    viewer = current_viewer()
    if viewer.role in roles:
        return viewer
    if viewer.role == "public" and public_overview:
        from dashboard.settings import current_settings

        if current_settings().public_overview:
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
            st.page_link("pages/masuk.py", label=t("Masuk", "Log in"), icon=":material/login:")
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


def require_write(viewer: Viewer, desa: str) -> None:
    """Server-side check before any write: stop unless the viewer may change complaints of ``desa``."""
    from dashboard.i18n import t

    if not viewer.can_write(desa):
        st.error(
            t(
                "Anda tidak berwenang mengubah pengaduan desa {desa}.",
                "You may not change complaints of {desa}.",
            ).format(desa=desa),
            icon=":material/lock:",
        )
        st.stop()


def visible_mask(complaints: pd.DataFrame, viewer: Viewer) -> pd.Series:
    """Complaints of the desas the viewer may see."""
    if viewer.role not in STAFF_ROLES:
        return pd.Series(False, index=complaints.index)
    if not viewer.desa:
        return pd.Series(True, index=complaints.index)
    return in_desa(complaints, viewer.desa)


def for_viewer(complaints: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """The complaints the viewer may see, personal data masked as their role requires."""
    visible = complaints[visible_mask(complaints, viewer)]
    return mask_personal_data(visible, viewer.handles(visible))


def aggregate_only(complaints: pd.DataFrame) -> pd.DataFrame:
    """All complaints with personal data and the complaint text hidden (public overview: for
    counting only, never for listing)."""
    return hide_for_aggregate(complaints)


class Scoped(NamedTuple):
    complaints: pd.DataFrame  # visible complaints, personal data masked per role
    flags: pd.DataFrame  # loaded.flags aligned with ``complaints``


def scoped(loaded: LoadedRegister, viewer: Viewer, *, aggregate: bool = False) -> Scoped:
    """What a page may work with: the viewer's complaints (masked per role) and their flags.

    ``aggregate=True`` (public overview pages only, after ``require(public_overview=True)``)
    gives the public every complaint with all personal data and texts hidden.
    """
    if aggregate and viewer.role == "public":
        complaints = aggregate_only(loaded.complaints)
    else:
        complaints = for_viewer(loaded.complaints, viewer)
    return Scoped(complaints, loaded.flags.loc[complaints.index])
