"""Perbarui: pick one of the profile's answer templates (issue 16.4) to fill the *Hasil tindak
lanjut* field, which the petugas then edits before saving."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from dashboard.data import local_now
from dashboard.i18n import t
from metrics.profiles import Profile
from services.answers import fill_answer


def _use_template(
    picker_key: str,
    target_key: str,
    state_keys: Mapping[str, str],
    complaint: Mapping[str, Any],
    profile: Profile,
    petugas: str,
) -> None:
    chosen = st.session_state.get(picker_key)
    template = next((a for a in profile.answer_templates if a.key == chosen), None)
    if template is None:
        return
    state = st.session_state
    st.session_state[target_key] = fill_answer(
        template,
        complaint,
        profile,
        today=local_now(profile).date(),
        petugas=petugas,
        # what the petugas has just chosen in the form wins over the saved row
        disposisi_kepada=str(state.get(state_keys.get("disposisi", "")) or ""),
        jenis_penyelesaian=str(state.get(state_keys.get("jenis", "")) or ""),
    )


def answer_template_picker(
    *,
    picker_key: str,
    target_key: str,
    state_keys: Mapping[str, str],
    complaint: Mapping[str, Any],
    profile: Profile,
    petugas: str,
) -> None:
    """A selectbox of the templates fitting the complaint's category; picking one writes the
    filled text into ``st.session_state[target_key]`` (the answer field below it)."""
    templates = profile.answer_templates_for(complaint.get("kategori"))
    if not templates:
        return
    labels = {a.key: a.label for a in templates}
    st.selectbox(
        t("Templat jawaban", "Answer template"),
        list(labels),
        index=None,
        format_func=labels.get,
        key=picker_key,
        placeholder=t("Pilih templat untuk mengisi jawaban…", "Pick a template to fill the answer…"),
        help=t(
            "Templat mengganti isi kolom jawaban di bawah; sunting sebelum menyimpan.",
            "A template replaces the answer below; edit it before saving.",
        ),
        on_change=_use_template,
        args=(picker_key, target_key, state_keys, complaint, profile, petugas),
    )
