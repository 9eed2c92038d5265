"""Perbarui: pick one of the profile's answer templates (issue 16.4) to fill the *Hasil tindak
lanjut* field, which the petugas then edits before saving.

The filled text follows the form: a Jenis penyelesaian or Disposisi kepada chosen AFTER the
template refills it (``metrics.answer_templates.follow_choices``) unless the petugas has edited
the text by hand; then their text is kept and a warning names the template values that changed,
with a button to fill the template again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from dashboard.components import plain
from dashboard.data import local_now
from dashboard.i18n import t
from metrics.answer_templates import AnswerTemplate, follow_choices, placeholders
from metrics.profiles import Profile
from services.answers import answer_values, fill_answer


def _choices(state_keys: Mapping[str, str]) -> dict[str, str]:
    """What the petugas has chosen in the form (wins over the saved row)."""
    state = st.session_state
    return {
        "disposisi_kepada": str(state.get(state_keys.get("disposisi", "")) or ""),
        "jenis_penyelesaian": str(state.get(state_keys.get("jenis", "")) or ""),
    }


def _fill(
    template: AnswerTemplate,
    complaint: Mapping[str, Any],
    profile: Profile,
    petugas: str,
    choices: Mapping[str, str],
) -> str:
    return fill_answer(
        template, complaint, profile, today=local_now(profile).date(), petugas=petugas, **choices
    )


def _chosen(picker_key: str, profile: Profile) -> AnswerTemplate | None:
    chosen = st.session_state.get(picker_key)
    return next((a for a in profile.answer_templates if a.key == chosen), None)


def _use_template(
    picker_key: str,
    target_key: str,
    state_keys: Mapping[str, str],
    complaint: Mapping[str, Any],
    profile: Profile,
    petugas: str,
) -> None:
    template = _chosen(picker_key, profile)
    if template is None:
        return
    choices = _choices(state_keys)
    text = _fill(template, complaint, profile, petugas, choices)
    st.session_state[target_key] = text
    # what the field was filled with, and from which choices (to follow later choices)
    st.session_state[f"{picker_key}|terisi"] = {"teks": text, **choices}


def _follow_choices(
    picker_key: str,
    target_key: str,
    state_keys: Mapping[str, str],
    complaint: Mapping[str, Any],
    profile: Profile,
    petugas: str,
) -> None:
    """Refill the answer when a choice made after the template changed its values (runs before
    the answer field is drawn)."""
    state = st.session_state
    template = _chosen(picker_key, profile)
    last = state.get(f"{picker_key}|terisi")
    if template is None or not isinstance(last, dict):
        return
    choices = _choices(state_keys)
    new = _fill(template, complaint, profile, petugas, choices)
    if new == last["teks"]:
        return
    text, kept = follow_choices(str(state.get(target_key) or ""), last["teks"], new)
    if not kept:
        state[target_key] = text
        state[f"{picker_key}|terisi"] = {"teks": text, **choices}
        return
    today = local_now(profile).date()
    before = answer_values(complaint, profile, today=today, petugas=petugas, **{k: last[k] for k in choices})
    after = answer_values(complaint, profile, today=today, petugas=petugas, **choices)
    changed = [
        f"{before[name]} → {after[name]}"
        for name in placeholders(template.text)
        if before.get(name) != after.get(name)
    ]
    st.warning(
        t(
            "Isian templat berubah setelah templat dipilih: {c}. Jawaban di bawah sudah Anda sunting, "
            "jadi tidak diganti: perbaiki sendiri, atau isi ulang dari templat (suntingan Anda hilang).",
            "The template's values changed after it was picked: {c}. You have edited the answer below, "
            "so it is not replaced: correct it yourself, or fill the template again (your edits are lost).",
        ).format(c=plain("; ".join(changed))),
        icon=":material/edit_note:",
    )
    st.button(
        t("Isi ulang dari templat", "Fill the template again"),
        key=f"{picker_key}|isi_ulang",
        icon=":material/restart_alt:",
        on_click=_use_template,
        args=(picker_key, target_key, state_keys, complaint, profile, petugas),
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
    filled text into ``st.session_state[target_key]`` (the answer field below it), which then
    follows the form's later choices (module doc). Call it after the Disposisi kepada and Jenis
    penyelesaian widgets (``state_keys``) and before the answer field."""
    templates = profile.answer_templates_for(complaint.get("kategori"))
    if not templates:
        return
    labels = {a.key: a.label for a in templates}
    args = (picker_key, target_key, state_keys, complaint, profile, petugas)
    st.selectbox(
        t("Templat jawaban", "Answer template"),
        list(labels),
        index=None,
        format_func=labels.get,
        key=picker_key,
        placeholder=t("Pilih templat untuk mengisi jawaban…", "Pick a template to fill the answer…"),
        help=t(
            "Templat mengganti isi kolom jawaban di bawah dan mengikuti Jenis penyelesaian atau "
            "Disposisi yang dipilih sesudahnya; sunting sebelum menyimpan.",
            "A template replaces the answer below and follows an Outcome or Assigned-to chosen "
            "afterwards; edit it before saving.",
        ),
        on_change=_use_template,
        args=args,
    )
    _follow_choices(*args)
