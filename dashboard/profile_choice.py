"""The sidebar's *Profil SOP* on a synced kabupaten: which profile's desas the pages show.

A petugas or kepala desa whose desas are all on one profile gets it without a question; a
viewer whose desas span several profiles (kecamatan, kabupaten, admin) chooses among the
profiles present in the store (``services.profile_choice``), each naming how many desas. The
choice is kept in the session under ``dashboard.settings.PROFILE_KEY``, which
``current_settings`` — the one place every page takes its settings from — follows. Without
``[sync] registry`` nothing is shown and nothing changes.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.settings import PROFILE_KEY, configured_settings
from metrics.errors import PantauError
from metrics.profiles import find_profile
from services.access import Viewer
from services.profile_choice import profile_choice
from services.store_source import all_store_statuses

__all__ = ["CHOICE_KEY", "show_profile_choice"]

CHOICE_KEY = "profil_sop"  # the selectbox


def _profile_name(profile_id: str, dirs: tuple) -> str:
    try:
        return find_profile(profile_id, dirs).name
    except PantauError:
        return profile_id


def show_profile_choice(viewer: Viewer) -> None:
    """Draw the choice (in the sidebar) when the viewer has one; set the session's profile."""
    settings = configured_settings()
    try:
        statuses = all_store_statuses(settings) if viewer.is_staff else None
    except PantauError:  # bad [sync] settings: the pages name them; stay on the configured profile
        statuses = None
    choice = profile_choice(statuses or [], viewer, settings.profile_id, st.session_state.get(CHOICE_KEY))
    if choice is None:
        st.session_state.pop(PROFILE_KEY, None)
        return
    ids = [profile for profile, _n in choice.options]
    if choice.ask:
        if st.session_state.get(CHOICE_KEY) not in ids:
            st.session_state.pop(CHOICE_KEY, None)
        dirs = settings.profile_dirs()
        # labels made now, in this run's language (format_func may be called outside the run)
        labels = {
            p: t("{name} ({n} desa)", "{name} ({n} villages)").format(name=_profile_name(p, dirs), n=n)
            for p, n in choice.options
        }
        st.selectbox(
            t("Profil SOP", "SOP profile"),
            ids,
            index=ids.index(choice.chosen),
            key=CHOICE_KEY,
            format_func=labels.__getitem__,
            help=t(
                "Desa di kabupaten ini memakai SOP berbeda; halaman menilai desa-desa satu profil "
                "sekaligus. Perbandingan Kecamatan memuat semua desa.",
                "The villages of this district follow different SOPs; the pages judge the villages of "
                "one profile at a time. Perbandingan Kecamatan shows every village.",
            ),
        )
        chosen = str(st.session_state.get(CHOICE_KEY) or choice.chosen)
    else:
        chosen = choice.chosen
    st.session_state[PROFILE_KEY] = chosen
