"""Antrean saya (the petugas's queue, ``services.queue``) and the due times on the update form."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import show_empty
from dashboard.data import LoadedRegister, local_now
from dashboard.fmt import angka, standard_text, tanggal, tanggal_jam
from dashboard.i18n import language, switch_to, t
from dashboard.sla_views import durasi, state_label
from services.access import Viewer
from services.queue import petugas_queue

# session key: the Nomor Perbarui Pengaduan opens (set by "Buka" in Antrean saya)
OPEN_NOMOR = "perbarui_buka_nomor"
OPEN_DESA = "perbarui_buka_desa"  # its desa (a synced kabupaten: desas may share a Nomor)
PERBARUI_PAGE = "app_pages/perbarui_pengaduan.py"
SHOWN = 60  # rows drawn at once (each has its own button)


def time_left(span: pd.Timedelta | None, office_hours: float | None) -> str:
    """``"Terlambat 2 hari 3 jam (11,5 jam kerja)"`` / ``"Sisa 5 jam (5,0 jam kerja)"``."""
    if span is None or pd.isna(span):
        return t("Tanpa batas waktu", "No due time")
    hours = (
        ""
        if office_hours is None or pd.isna(office_hours)
        else f" ({angka(abs(office_hours), 1)} {t('jam kerja', 'office hours')})"
    )
    if span < pd.Timedelta(0):
        return t("Terlambat {d}", "Late by {d}").format(d=durasi(-span)) + hours
    return t("Sisa {d}", "{d} left").format(d=durasi(span)) + hours


def due_line(row: object, lang: str) -> str:
    """The queue row's due line: a paused complaint (``menunggu_sejak``) says since when it waits
    for its file instead of a countdown."""
    since = getattr(row, "menunggu_sejak", pd.NaT)
    if not pd.isna(since):
        return t("Menunggu kelengkapan berkas sejak {d}", "Waiting for documents since {d}").format(
            d=tanggal(since, lang)
        )
    due_at = getattr(row, "jatuh_tempo", pd.NaT)
    due = tanggal_jam(due_at, lang) if not pd.isna(due_at) else "–"
    return f"{t('Jatuh tempo', 'Due')}: {due} · {time_left(getattr(row, 'sisa', None), getattr(row, 'jam_kerja', None))}"


def due_times_display(due: pd.DataFrame) -> pd.DataFrame:
    """Each stage (then overall deadline) with its date done and its due time, for the form."""
    lang = language()
    kind = due["jenis"].map({"batas": t("Batas waktu: ", "Deadline: ")}).fillna("")
    return pd.DataFrame(
        {
            t("Tahap", "Stage"): kind + due["label"].astype(str),
            t("Tanggal", "Date"): [tanggal_jam(v, lang) if not pd.isna(v) else "–" for v in due["selesai"]],
            t("Jatuh tempo", "Due"): [
                tanggal_jam(v, lang) if not pd.isna(v) else "–" for v in due["jatuh_tempo"]
            ],
            t("Standar", "Standard"): [standard_text(v) for v in due["standar"]],
            t("Keadaan", "State"): [state_label(str(v)) for v in due["status"]],
        }
    )


def show_queue(loaded: LoadedRegister, viewer: Viewer) -> None:
    """The open complaints of the viewer's desa(s), nearest due time first; "Buka" opens one in
    Perbarui Pengaduan."""
    if loaded.complaints.empty:
        show_empty("Belum ada pengaduan di register.", "The register has no complaints yet.")
        return
    now = local_now(loaded.profile)
    queue = petugas_queue(loaded.complaints, loaded.flags, loaded.profile, loaded.calendar, viewer, now)
    if queue.empty:
        st.success(
            t(
                "Antrean kosong: tidak ada pengaduan terbuka untuk desa Anda.",
                "The queue is empty: no open complaints for your village.",
            ),
            icon=":material/task_alt:",
        )
        return
    late = int((queue["sisa"] < pd.Timedelta(0)).sum())  # paused ones have no countdown (NaT)
    st.markdown(
        t(
            "**{n}** pengaduan terbuka, **{late}** terlambat; diurutkan menurut jatuh tempo berikutnya.",
            "**{n}** open complaints, **{late}** late; ordered by next due time.",
        ).format(n=len(queue), late=late)
    )
    lang = language()
    for row in queue.head(SHOWN).itertuples():
        with st.container(border=True):
            left, middle, right = st.columns([3, 3, 1])
            left.text(f"{row.nomor} · {row.desa}")
            left.text(row.perihal or "–")
            middle.text(f"{t('Tahap berjalan', 'Stage in progress')}: {row.tahap or '–'}")
            middle.text(due_line(row, lang))
            middle.text(f"{t('Pejabat', 'Official')}: {row.pejabat or '–'}")
            # the desa in the key: two desas' complaints may share a Nomor on a synced kabupaten
            if right.button(
                t("Buka", "Open"), key=f"antrean|{row.nomor}|{row.desa}", icon=":material/edit_note:"
            ):
                st.session_state[OPEN_NOMOR] = str(row.nomor)
                st.session_state[OPEN_DESA] = str(row.desa or "")
                switch_to(PERBARUI_PAGE)
    if len(queue) > SHOWN:
        st.caption(
            t(
                "{n} pengaduan lain dengan jatuh tempo lebih jauh tidak ditampilkan; cari di Perbarui Pengaduan.",
                "{n} more complaints with later due times are not shown; find them in Update a complaint.",
            ).format(n=len(queue) - SHOWN)
        )
