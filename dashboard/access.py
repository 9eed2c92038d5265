"""Who is looking: the viewer's role and desas, and what they may see or change.

Roles: ``admin``; ``kecamatan`` (all desas, read-only, personal data masked); ``kepala_desa``
(own desa, read-only); ``petugas`` (own desa, read and write, personal data in full);
``public`` (not logged in: complaint lookup only).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics.privacy import mask_personal_data

ROLES = ("admin", "kecamatan", "kepala_desa", "petugas", "public")
STAFF_ROLES = ("admin", "kecamatan", "kepala_desa", "petugas")


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str
    desa: tuple[str, ...] = ()      # empty = every desa of the kecamatan

    def covers(self, desa: str) -> bool:
        return not self.desa or desa in self.desa

    def can_write(self, desa: str) -> bool:
        return self.role == "admin" or (self.role == "petugas" and self.covers(desa))

    def handles(self, complaints: pd.DataFrame) -> pd.Series:
        """Complaints whose personal data this viewer may see in full."""
        if self.role == "admin":
            return pd.Series(True, index=complaints.index)
        if self.role == "petugas":
            return complaints["desa"].isin(self.desa) if self.desa else pd.Series(True, index=complaints.index)
        return pd.Series(False, index=complaints.index)


def current_viewer() -> Viewer:
    """The logged-in viewer (set by the login page in ``st.session_state['viewer']``)."""
    viewer = st.session_state.get("viewer")
    return viewer if isinstance(viewer, Viewer) else Viewer("", "public")


def visible_mask(complaints: pd.DataFrame, viewer: Viewer) -> pd.Series:
    """Complaints of the desas the viewer may see."""
    if viewer.role == "public":
        return pd.Series(False, index=complaints.index)
    if not viewer.desa:
        return pd.Series(True, index=complaints.index)
    return complaints["desa"].isin(viewer.desa)


def for_viewer(complaints: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """The complaints the viewer may see, personal data masked as their role requires."""
    visible = complaints[visible_mask(complaints, viewer)]
    return mask_personal_data(visible, viewer.handles(visible))
