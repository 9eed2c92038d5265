"""Menunggu kelengkapan in Perbarui: the small block where a petugas starts the pause (the file is
incomplete) or ends it (the file is complete). UI only: the rules are in
``metrics.pause_update`` (validation) and ``metrics.sla`` (what the pause does to due times)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.fmt import tanggal_jam
from dashboard.i18n import language, t
from metrics.columns import PAUSE_END, PAUSE_START

__all__ = ["pause_fields"]


def _stamp(value: Any) -> pd.Timestamp | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(stamp) else stamp


def pause_fields(
    complaint: Mapping[str, Any], key: str, now: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Show the block for one complaint (widget keys start with ``key``); returns
    ``(mulai_menunggu, berkas_lengkap)`` as chosen (None = leave as it is)."""
    started, resumed = _stamp(complaint.get(PAUSE_START)), _stamp(complaint.get(PAUSE_END))
    lang = language()
    st.markdown(t("**Menunggu kelengkapan berkas**", "**Waiting for documents**"))
    if started is not None and resumed is not None:
        st.caption(
            t(
                "Pernah menunggu kelengkapan {a} s.d. {b}; satu pengaduan hanya dapat dijeda sekali.",
                "Waited for documents {a} to {b}; a complaint can be paused once only.",
            ).format(a=tanggal_jam(started, lang), b=tanggal_jam(resumed, lang))
        )
        return None, None
    if started is None:
        wanted = st.checkbox(
            t(
                "Berkas belum lengkap: jeda jam SLA mulai (menunggu pelapor melengkapi)",
                "File incomplete: pause the SLA clock (waiting for the complainant)",
            ),
            key=f"{key}|jeda",
        )
        label = t("Mulai menunggu kelengkapan", "Waiting since")
    else:
        st.info(
            t(
                "Menunggu kelengkapan berkas sejak {a}: jam SLA berhenti.",
                "Waiting for documents since {a}: the SLA clock is paused.",
            ).format(a=tanggal_jam(started, lang)),
            icon=":material/pause_circle:",
        )
        wanted = st.checkbox(
            t("Berkas sudah lengkap: jam SLA berjalan lagi", "File complete: the SLA clock runs again"),
            key=f"{key}|lengkap",
        )
        label = t("Berkas lengkap pada", "File complete at")
    if not wanted:
        return None, None
    st.session_state.setdefault(f"{key}|jeda_tanggal", now.date())
    st.session_state.setdefault(f"{key}|jeda_jam", now.time().replace(second=0, microsecond=0))
    cols = st.columns(2)
    day = cols[0].date_input(label, key=f"{key}|jeda_tanggal", format="DD/MM/YYYY")
    time = cols[1].time_input(t("Jam", "Time"), key=f"{key}|jeda_jam", step=60)
    if not isinstance(day, dt.date) or not isinstance(time, dt.time):
        return None, None
    when = dt.datetime.combine(day, time)
    return (when, None) if started is None else (None, when)
