"""Record status in the forms (issue 13.1): the likely-duplicate question in Catat Pengaduan and
the Duplikat/Batal mark in Perbarui Pengaduan (use-cases in ``services.record_status``)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components import plain
from dashboard.data import LoadedRegister, local_now, make_source, reload_register
from dashboard.i18n import language, t
from dashboard.settings import Settings
from data_sources.base import SourceError
from metrics.complaint_updates import RowSnapshot
from metrics.errors import PantauError
from metrics.record_status import BATAL, DUPLIKAT, record_mark
from services.access import Viewer, for_viewer
from services.complaints import new_submission_id
from services.record_status import mark_record, unmark_record

# --------------------------------------------------------------------------------- Catat


def duplicate_signature(fields: Mapping[str, Any]) -> str:
    """What the petugas confirmed "save anyway" for: desa, phone and text of the complaint."""
    text = "\x1f".join(str(fields.get(k) or "").strip() for k in ("desa", "no_hp", "isi_pengaduan"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _days_ago(days: object) -> str:
    number = int(days) if isinstance(days, int | float) else 0
    if number <= 0:
        return t("hari ini", "today")
    return t("{n} hari lalu", "{n} days ago").format(n=number)


def _save_anyway(signature: str) -> None:
    st.session_state["catat_duplikat_ok"] = signature
    st.session_state["catat_menyimpan"] = True
    st.session_state.pop("catat_duplikat", None)


def _stop() -> None:
    st.session_state.pop("catat_duplikat", None)


def show_duplicate_question(pending: Mapping[str, Any] | None) -> None:
    """ "Sudah tercatat sebagai …?": save anyway, or stop (the form keeps what was typed)."""
    if not pending:
        return
    matches = pending["matches"]
    listed = ", ".join(f"{m['nomor']} ({_days_ago(m['hari_lalu'])})" for m in matches[:3])
    st.warning(
        plain(
            t(
                "Sudah tercatat sebagai {list}? No. HP dan isinya hampir sama. Simpan hanya bila ini "
                "pengaduan lain.",
                "Already recorded as {list}? Phone and text are nearly the same. Save only if this is "
                "another complaint.",
            ).format(list=listed)
        ),
        icon=":material/content_copy:",
    )
    left, right = st.columns(2)
    left.button(
        t("Simpan tetap", "Save anyway"),
        key="catat_duplikat_simpan",
        on_click=_save_anyway,
        args=(pending["signature"],),
        icon=":material/save:",
    )
    right.button(
        t("Jangan simpan", "Do not save"), key="catat_duplikat_batal", on_click=_stop, icon=":material/close:"
    )


# ------------------------------------------------------------------------------ Perbarui


def _mark_text(complaint: Mapping[str, Any]) -> str:
    mark = record_mark(complaint.get("status_catatan"))
    note = str(complaint.get("keterangan_status") or "").strip()
    if mark == DUPLIKAT:
        return t("bertanda **Duplikat** dari {n}", "marked **Duplicate** of {n}").format(n=plain(note or "–"))
    return t("bertanda **Batal** ({r})", "marked **Cancelled** ({r})").format(r=plain(note or "–"))


def show_marked(snapshot: RowSnapshot, loaded: LoadedRegister, viewer: Viewer, settings: Settings) -> bool:
    """For a record marked Duplikat/Batal: say so (no stage form) and let admin remove the mark.
    Returns True when the record is marked."""
    complaint = snapshot.complaint
    if record_mark(complaint.get("status_catatan")) is None:
        return False
    st.warning(
        t(
            "Pengaduan {n} {mark}; tidak dihitung di angka dan antrean mana pun.",
            "Complaint {n} is {mark}; it is left out of every figure and queue.",
        ).format(n=plain(snapshot.nomor), mark=_mark_text(complaint)),
        icon=":material/do_not_disturb_on:",
    )
    if viewer.role != "admin":
        st.caption(t("Hanya admin yang dapat membatalkan tanda ini.", "Only an admin can remove this mark."))
        return True
    clicked = st.button(
        t("Batalkan tanda (hitung kembali)", "Remove the mark (count it again)"),
        key="tanda_kembalikan",
        icon=":material/undo:",
    )
    if clicked:
        _write(snapshot, loaded, viewer, settings, None, "")
    return True


def show_mark_form(snapshot: RowSnapshot, loaded: LoadedRegister, viewer: Viewer, settings: Settings) -> None:
    """Mark the record Duplikat (of an original Nomor) or Batal (with a reason)."""
    nomor = snapshot.nomor
    with st.expander(t("Tandai Duplikat atau Batal", "Mark as duplicate or cancelled"), expanded=False):
        st.caption(
            t(
                "Pengaduan bertanda tetap tampil di Register dan Riwayat, tetapi keluar dari semua angka "
                "dan antrean. Hanya admin yang dapat membatalkan tanda.",
                "A marked complaint stays in the Register and its history but leaves every figure and "
                "queue. Only an admin can remove the mark.",
            )
        )
        # The shown labels are the options (one key per language): a radio whose value is the
        # register's word behind an English label cannot be replayed by Streamlit's AppTest.
        labels = {DUPLIKAT: t("Duplikat", "Duplicate"), BATAL: t("Batal", "Cancelled")}
        picked = st.radio(
            t("Tanda", "Mark"),
            list(labels.values()),
            key=f"tanda|{nomor}|jenis|{language()}",
            horizontal=True,
        )
        mark = next((word for word, shown in labels.items() if shown == picked), DUPLIKAT)
        label = (
            t("Nomor pengaduan asli", "Number of the original complaint")
            if mark == DUPLIKAT
            else t("Alasan pembatalan", "Reason for cancelling")
        )
        note = st.text_input(label, key=f"tanda|{nomor}|{mark}")
        if st.button(t("Simpan tanda", "Save the mark"), key=f"tanda|{nomor}|simpan", icon=":material/flag:"):
            _write(snapshot, loaded, viewer, settings, mark, note)


def _write(
    snapshot: RowSnapshot,
    loaded: LoadedRegister,
    viewer: Viewer,
    settings: Settings,
    mark: str | None,
    note: str,
) -> None:
    """Save (``mark``) or remove (``mark=None``) the mark; progress and outcome right here."""
    profile = loaded.profile
    key = f"tanda|{snapshot.nomor}|kiriman"
    submission_id = st.session_state.setdefault(key, new_submission_id())
    now = local_now(profile).to_pydatetime()
    try:
        with st.status(t("Menyimpan…", "Saving…"), expanded=False) as progress:
            if mark is None:
                unmark_record(
                    make_source(settings), snapshot, profile, viewer, now, submission_id=submission_id
                )
            else:
                mark_record(
                    make_source(settings),
                    loaded.register,
                    snapshot,
                    mark,
                    note,
                    profile,
                    viewer,
                    now,
                    submission_id=submission_id,
                )
            progress.update(label=t("Tersimpan", "Saved"), state="complete")
    except (PantauError, SourceError) as error:
        st.error(plain(error.message), icon=":material/error:")
        return
    st.session_state.pop(key, None)
    st.session_state["perbarui_snapshot"] = None
    st.session_state["perbarui_hasil"] = (
        t("Tanda pada {n} dihapus; pengaduan dihitung kembali.", "Mark removed from {n}; it counts again.")
        if mark is None
        else t("Pengaduan {n} ditandai {m}.", "Complaint {n} marked {m}.")
    ).format(n=plain(snapshot.nomor), m=mark or "")
    reload_register()
    st.rerun()


# ------------------------------------------------------------------------------ Register


def show_marked_records(loaded: LoadedRegister, viewer: Viewer) -> None:
    """The records marked Duplikat/Batal the viewer may see, with their mark (they are in no
    figure, but stay in the register)."""
    voided = loaded.register.voided
    if voided is None or voided.empty:
        return
    visible = for_viewer(voided, viewer)
    if visible.empty:
        return
    with st.expander(
        t("Catatan bertanda Duplikat/Batal ({n})", "Records marked duplicate/cancelled ({n})").format(
            n=len(visible)
        )
    ):
        st.caption(
            t(
                "Tidak dihitung di angka dan antrean mana pun. Admin dapat membatalkan tanda di Perbarui Pengaduan.",
                "Left out of every figure and queue. An admin can remove the mark in Update a complaint.",
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    t("Nomor", "Number"): visible["nomor"],
                    t("Desa", "Village"): visible["desa"],
                    t("Diterima", "Received"): visible["tanggal_diterima"],
                    t("Tanda", "Mark"): visible["status_catatan"].map(record_mark),
                    t("Keterangan", "Note"): visible["keterangan_status"],
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                t("Diterima", "Received"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")
            },
        )
