"""Dokumen: the SOP's paperwork of one complaint (download each as DOCX and PDF) and the form
recording its review meeting. Called from the Register detail and the Perbarui page.

The documents come from ``services.documents`` (no streamlit there); this module only collects
input and offers downloads. Files are made when a download is clicked, not on every rerun.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.access import Viewer, current_viewer
from dashboard.components import plain
from dashboard.data import LOADED_HASH, LoadedRegister, load_register, local_now, make_source, reload_register
from dashboard.i18n import DATE_FORMAT, choose, t, tr
from dashboard.settings import current_settings
from data_sources.base import ConcurrentChange, SheetGrid, SourceError
from metrics.complaint_updates import (
    RowSnapshot,
    clean_input,
    find_term,
    nomor_key,
    nomor_locations,
    row_snapshot,
)
from metrics.errors import PantauError
from metrics.profiles import DocumentSpec, Profile
from metrics.row_snapshot import cell_nomor_key
from services.documents import DocumentSettings, due_documents, make_document, missing_for
from services.documents.context import meeting_from_row
from services.documents.meeting import (
    MeetingInput,
    default_meeting_time,
    meeting_problems,
    record_meeting,
)
from services.store_source import StoreBackedSource

AUDIENCE_LABELS = {
    "public": ("untuk pihak lain (identitas pelapor disamarkan)", "for other parties (complainant masked)"),
    "complainant": ("untuk pelapor", "for the complainant"),
    "internal": ("arsip internal", "internal record"),
}


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=LOADED_HASH)
def _read_snapshot(loaded: LoadedRegister, nomor: str, sheet: str | None = None) -> RowSnapshot | None:
    """The complaint's row as the source holds it, read once per register load and Nomor for every
    session (a rerun or another user's visit does not read the whole register again)."""
    source = make_source(current_settings())
    grids = grids_holding(source, loaded, nomor, sheet)
    places = [(g, p) for g in grids for p in nomor_locations(g, nomor, loaded.profile)]
    return row_snapshot(places[0][0], nomor, loaded.profile) if len(places) == 1 else None


def grids_holding(
    source: Any, loaded: LoadedRegister, nomor: str, sheet: str | None = None
) -> list[SheetGrid]:
    """Only the worksheet the loaded register found the Nomor on, when it found it once and the
    source can read one worksheet (a whole 100k-row workbook costs seconds; a desa's sheet a
    fraction); otherwise every worksheet, as before. A Nomor moved since the load is not in that
    sheet any more: the caller then finds nothing, as it would for a removed row.

    On a synced kabupaten (one worksheet per desa, each numbering its own register) ``sheet``,
    the desa worksheet of the row the page shows, is the only one read: (desa, Nomor) is the
    complaint's identity there, another desa's equal Nomor is not a duplicate."""
    rows = loaded.register.every_row()
    wanted = nomor_key(nomor)
    sheets = rows.loc[rows["nomor"].astype("string").fillna("").map(cell_nomor_key) == wanted, "_sheet"]
    if sheet is not None and isinstance(source, StoreBackedSource):
        return [g for g in source.read() if g.name == sheet]
    if len(sheets) == 1:
        sheet = str(sheets.iloc[0])
        for method in ("read_sheets", "read_sheet"):  # local .xlsx / Google Sheets
            reader = getattr(source, method, None)
            if callable(reader):
                grids = reader([sheet]) if method == "read_sheets" else reader(sheet)
                if grids:
                    return list(grids)
    return list(source.read())


def _snapshot(loaded: LoadedRegister, nomor: str, sheet: str | None = None) -> RowSnapshot | None:
    """The complaint's row with all its cells (the meeting's own columns included), read once per
    register load."""
    return _read_snapshot(loaded, nomor, sheet)


def _handles(viewer: Viewer, complaint: Mapping[str, Any]) -> bool:
    frame = pd.DataFrame([{"desa": complaint.get("desa"), "rahasia": bool(complaint.get("rahasia"))}])
    return bool(viewer.handles(frame).iloc[0])


def _downloads(
    spec: DocumentSpec,
    snapshot: RowSnapshot,
    profile: Profile,
    viewer: Viewer,
    key: str,
    settings: DocumentSettings,
) -> None:
    today = local_now(profile).date()
    handled = _handles(viewer, snapshot.complaint)

    def make(kind: str, part: str):
        def build() -> bytes:
            document = make_document(
                kind,
                snapshot.complaint,
                profile,
                settings,
                today=today,
                petugas=viewer.name,
                handled=handled,
                raw=snapshot.raw,
                public_url=current_settings().public_url,
            )
            return document.docx if part == "docx" else document.pdf

        return build

    stem = f"{spec.kind}_{''.join(c if c.isalnum() else '-' for c in snapshot.nomor)}"
    cols = st.columns([3, 1, 1])
    cols[0].markdown(f"**{spec.label}**  \n{t(*AUDIENCE_LABELS[spec.audience])}")
    missing = missing_for(spec.kind, snapshot.complaint, profile, today=today, raw=snapshot.raw)
    if missing:
        cols[0].caption(
            ":material/warning: "
            + t("Belum diisi: {m}", "Not filled in yet: {m}").format(m=", ".join(tr(m) for m in missing))
        )
    cols[1].download_button(
        "DOCX",
        data=make(spec.kind, "docx"),
        file_name=f"{stem}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key=f"{key}_docx_{spec.kind}",
        icon=":material/description:",
        on_click="ignore",
    )
    cols[2].download_button(
        "PDF",
        data=make(spec.kind, "pdf"),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key=f"{key}_pdf_{spec.kind}",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )


def show_documents(
    nomor: str | None = None,
    *,
    snapshot: RowSnapshot | None = None,
    snapshot_key: str = "",
    loaded: LoadedRegister | None = None,
    viewer: Viewer | None = None,
    key: str = "dok",
    sheet: str | None = None,
) -> None:
    """The Dokumen section of one complaint (by ``nomor`` (on worksheet ``sheet`` when known), an
    already read ``snapshot``, or the snapshot a page keeps in ``st.session_state[snapshot_key]``)."""
    if snapshot is None and snapshot_key:
        kept = st.session_state.get(snapshot_key)
        snapshot = kept if isinstance(kept, RowSnapshot) else None
    viewer = viewer or current_viewer()
    if not viewer.is_staff or (nomor is None and snapshot is None):
        return
    try:
        loaded = loaded or load_register()
        if snapshot is None or not isinstance(snapshot, RowSnapshot):
            snapshot = _snapshot(loaded, str(nomor), sheet)
    except (PantauError, SourceError) as error:
        st.warning(tr(error))
        return
    if snapshot is None or not viewer.covers(str(snapshot.complaint.get("desa") or "")):
        return
    profile = loaded.profile
    settings = DocumentSettings.from_secrets(
        current_settings().secrets, current_settings().kecamatan, current_settings().kabupaten
    )
    # The heading names the complaint: documents must never be read as another complaint's.
    nomor_shown = str(snapshot.nomor or "").strip()
    st.subheader(t("Dokumen", "Documents") + (f" · {plain(nomor_shown)}" if nomor_shown else ""))
    due = due_documents(snapshot.complaint, profile)
    later = [d for d in profile.documents if d not in due]
    if not due:
        st.caption(t("Belum ada dokumen SOP pada tahap ini.", "No SOP document is due at this stage yet."))
    try:
        for spec in due:
            _downloads(spec, snapshot, profile, viewer, key, settings)
        if later:
            with st.expander(t("Dokumen tahap berikutnya", "Documents of later stages")):
                for spec in later:
                    _downloads(spec, snapshot, profile, viewer, key, settings)
    except PantauError as error:
        st.error(tr(error), icon=":material/error:")
    if profile.meeting_stage and viewer.can_write(str(snapshot.complaint.get("desa") or "")):
        _meeting_form(snapshot, loaded, viewer, key)


def _meeting_form(snapshot: RowSnapshot, loaded: LoadedRegister, viewer: Viewer, key: str) -> None:
    profile = loaded.profile
    recorded = meeting_from_row(snapshot.complaint, snapshot.raw, profile)
    title = t("Rapat pembahasan", "Review meeting")
    done = st.session_state.pop(f"{key}_rapat_hasil", None)
    with st.expander(title + (" ✓" if recorded else ""), expanded=bool(done)):
        if done:
            st.success(done, icon=":material/check_circle:")
        now = local_now(profile).to_pydatetime()
        proposed = (
            recorded.waktu
            if recorded and recorded.waktu
            else default_meeting_time(snapshot.complaint, profile, now)
        )
        form_id = st.session_state.setdefault(f"{key}_rapat_id|{snapshot.nomor}", uuid.uuid4().hex)
        outcomes = {term.key: term.label for term in profile.outcomes}

        def field(name: str) -> str:
            return f"{key}_rapat_{name}|{snapshot.nomor}"

        current_outcome = find_term(profile.outcomes, snapshot.complaint.get("jenis_penyelesaian"))
        with st.form(f"{key}_rapat_form|{snapshot.nomor}", enter_to_submit=False):
            cols = st.columns(2)
            day = cols[0].date_input(
                t("Tanggal rapat", "Meeting date"),
                value=proposed.date(),
                format=DATE_FORMAT,
                key=field("tanggal"),
            )
            hour = cols[1].time_input(
                t("Jam", "Time"),
                value=proposed.time(),
                key=field("jam"),
            )
            place = st.text_input(
                t("Tempat", "Place"), value=recorded.tempat if recorded else "", key=field("tempat")
            )
            officials = st.multiselect(
                t("Peserta: pejabat", "Participants: officials"),
                list(profile.officials),
                default=[
                    p.jabatan
                    for p in (recorded.peserta if recorded else ())
                    if p.jabatan in profile.officials and not p.nama
                ],
                key=field("pejabat"),
                placeholder=choose(),
            )
            others = st.text_area(
                t(
                    "Peserta lain (satu per baris, mis. Budi (Ketua RT 02))",
                    "Other participants (one per line)",
                ),
                value="\n".join(
                    p.label
                    for p in (recorded.peserta if recorded else ())
                    if p.nama or p.jabatan not in profile.officials
                ),
                key=field("lain"),
            )
            summary = st.text_area(
                t("Ringkasan pembahasan", "Summary"),
                value=recorded.ringkasan if recorded else "",
                key=field("ringkasan"),
            )
            decision = st.text_area(
                t("Keputusan / rekomendasi", "Decision"),
                value=recorded.keputusan if recorded else "",
                key=field("keputusan"),
            )
            outcome = st.selectbox(
                t("Jenis penyelesaian", "Outcome"),
                list(outcomes),
                index=list(outcomes).index(current_outcome.key) if current_outcome else None,
                format_func=outcomes.get,
                placeholder=t("Belum ditentukan", "Not set yet"),
                key=field("jenis"),
            )
            if outcome and (term := find_term(profile.outcomes, outcome)) and term.description:
                st.caption(term.description)
            submitted = st.form_submit_button(
                t("Simpan rapat", "Save meeting"), type="primary", icon=":material/save:"
            )
        if not submitted:
            return
        meeting = MeetingInput(
            waktu=dt.datetime.combine(day, hour) if day and hour else None,
            tempat=place,
            pejabat=tuple(officials),
            peserta_lain=tuple(line for line in others.splitlines() if clean_input(line)),
            ringkasan=summary,
            keputusan=decision,
            jenis_penyelesaian=outcome or "",
        )
        problems = meeting_problems(snapshot.complaint, meeting, profile, now)
        if problems:
            st.error(
                t("Rapat belum disimpan:", "Not saved:")
                + "\n"
                + "\n".join(f"- {tr(m)}" for ms in problems.values() for m in ms),
                icon=":material/error:",
            )
            return
        try:
            _, number = record_meeting(
                make_source(current_settings()),
                snapshot,
                meeting,
                profile,
                viewer,
                now,
                loaded.complaints,
                submission_id=form_id,
            )
        except ConcurrentChange as error:
            st.error(tr(error), icon=":material/sync_problem:")
            return
        except (SourceError, PantauError) as error:
            st.error(tr(error), icon=":material/error:")
            return
        st.session_state.pop(f"{key}_rapat_id|{snapshot.nomor}", None)
        st.session_state[f"{key}_rapat_hasil"] = t(
            "Rapat tersimpan; berita acara Nomor {n}.", "Meeting saved; minutes number {n}."
        ).format(n=number)
        if st.session_state.get("perbarui_snapshot") is snapshot:
            st.session_state["perbarui_snapshot"] = None
        reload_register()
        st.rerun()
