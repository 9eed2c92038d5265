"""Register page components: the search/filter sidebar, the table, one complaint's details,
stage timeline and change history. What may be seen comes from ``services.register_view`` and
``services.history``; these functions only ask and render."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.access import Viewer
from dashboard.components import plain
from dashboard.data import LoadedRegister, load_audit, loaded_identity
from dashboard.fmt import angka, tanggal_jam, waktu_riwayat
from dashboard.i18n import DATE_FORMAT, choose, language, t
from dashboard.sla_views import show_stage_timeline
from metrics.sla import StageTable, complaint_timeline
from services.history import history_for_viewer
from services.register_view import STATUS, RegisterFilter, RegisterView, complaint_fields, filtered_positions

SHOWN_ROWS = 1000


def filters_sidebar(loaded: LoadedRegister, allowed: list[str], now: pd.Timestamp) -> RegisterFilter:
    """The sidebar's search box and filters, as a RegisterFilter."""
    profile = loaded.profile
    received = loaded.complaints["tanggal_diterima"].dropna()
    with st.sidebar:
        query = st.text_input(
            t("Cari (nomor, isi, kategori)", "Search (number, content, category)"), key="reg_cari"
        )
        desa = st.multiselect(
            t("Desa", "Village"),
            allowed,
            key="reg_desa",
            placeholder=t("Semua desa", "All villages"),
            select_all=False,  # an empty filter is all; Streamlit's "Select all" is English only
        )
        stage_labels = {s.key: s.label for s in profile.stages}
        stages = st.multiselect(
            t("Tahap", "Stage"),
            list(stage_labels),
            format_func=stage_labels.get,
            key="reg_tahap",
            placeholder=t("Semua tahap", "All stages"),
            select_all=False,
        )
        status = st.multiselect(
            t("Status", "Status"),
            list(STATUS),
            format_func=lambda s: t(*STATUS[s]),
            key="reg_status",
            placeholder=t("Semua status", "Any status"),
            select_all=False,
        )
        period = None
        if len(received):
            first, last = received.min().date(), max(received.max().date(), now.date())
            period = st.date_input(
                t("Periode diterima", "Received between"),
                value=(first, last),
                min_value=first,
                max_value=last,
                format=DATE_FORMAT,
                key="reg_periode",
            )
        late_only = st.checkbox(t("Hanya yang terlambat", "Late only"), key="reg_terlambat")
    start, end = period if isinstance(period, tuple) and len(period) == 2 else (None, None)
    return RegisterFilter(query.strip(), tuple(desa), tuple(stages), tuple(status), start, end, late_only)


@st.cache_resource(
    show_spinner=False,
    max_entries=32,
    hash_funcs={LoadedRegister: loaded_identity, Viewer: lambda viewer: (viewer.role, viewer.desa)},
)
def matching_positions(loaded: LoadedRegister, viewer: Viewer, wanted: RegisterFilter) -> np.ndarray:
    """``services.register_view.filtered_positions``, once per loaded register, kind of viewer and filter."""
    return filtered_positions(loaded.complaints, loaded.flags, loaded.profile, wanted, viewer)


def status_text(flags: pd.DataFrame) -> pd.Series:
    if "status" in flags:
        names = {
            "berjalan": t("Berjalan", "In progress"),
            "hampir_jatuh_tempo": t("Hampir jatuh tempo", "Due soon"),
            "terlambat": t("Terlambat", "Late"),
            "selesai_tepat_waktu": t("Selesai tepat waktu", "Settled on time"),
            "menunggu_kelengkapan": t("Menunggu kelengkapan", "Waiting for documents"),
        }
        text = flags["status"].astype(object).map(names)
        return text.where(~(flags["selesai"] & flags["terlambat"]), t("Selesai terlambat", "Settled late"))
    return pd.Series(
        np.where(flags["selesai"], t("Selesai", "Settled"), t("Terbuka", "Open")), index=flags.index
    )


def cell_text(column: pd.Series) -> pd.Series:
    """A text column for a table: an empty cell stays empty (st.dataframe shows a missing value as a
    grey "None", which read as a value; browser review)."""
    return column.astype(object).where(column.notna(), "")


def show_table(view: RegisterView) -> list[int]:
    """The matching complaints (the first SHOWN_ROWS); returns the selected table rows."""
    masked = view.shown
    st.caption(
        t("{n} pengaduan cocok", "{n} matching complaints").format(n=angka(view.total))
        + (
            t(
                " · menampilkan {m} terbaru (persempit dengan pencarian atau filter)",
                " · showing the newest {m} (narrow with search or filters)",
            ).format(m=angka(SHOWN_ROWS))
            if view.total > SHOWN_ROWS
            else ""
        )
    )
    table = pd.DataFrame(
        {
            t("Nomor", "Number"): cell_text(masked["nomor"]),
            t("Desa", "Village"): cell_text(masked["desa"]),
            t("Diterima", "Received"): masked["tanggal_diterima"],
            t("Kategori", "Category"): cell_text(masked["kategori"]),
            t("Urgensi", "Urgency"): cell_text(masked["urgensi"]),
            t("Tahap", "Stage"): cell_text(masked["tahap"]),
            t("Status", "Status"): cell_text(status_text(view.flags)),
            t("Pelapor", "Reporter"): cell_text(masked["nama_pelapor"]),
            t("Isi pengaduan", "Content"): cell_text(masked["isi_pengaduan"]),
        }
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="reg_tabel",
        column_config={t("Diterima", "Received"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")},
    )
    return list(event.selection.rows) if event is not None and hasattr(event, "selection") else []


def picker_labels(shown: pd.DataFrame) -> list[str]:
    """One label per complaint in ``shown``: its Nomor, with the sheet row when the Nomor is empty or
    not unique, so that a label always names exactly one complaint."""
    numbers = shown["nomor"].fillna("").astype(str).str.strip()
    repeated = numbers.duplicated(keep=False)
    labels = []
    for number, twice, row in zip(numbers, repeated, shown["_row"], strict=True):
        if not number:
            labels.append(t("(tanpa nomor, baris {r})", "(no number, row {r})").format(r=int(row)))
        elif twice:
            labels.append(t("{n} (baris {r})", "{n} (row {r})").format(n=number, r=int(row)))
        else:
            labels.append(number)
    return labels


def pick_complaint(view: RegisterView, selected: list[int]) -> int:
    """The complaint picker under the table; returns the position within ``view.shown``.

    The options are the complaints' labels, not positions: a kept position would silently name
    another complaint once the search or filters change the list while the browser still shows
    the old label (browser review). A label no longer listed falls back to the newest complaint;
    a newly clicked table row moves the picker to that row."""
    labels = picker_labels(view.shown)
    clicked = labels[selected[0]] if selected and 0 <= selected[0] < len(labels) else None
    if clicked is not None and clicked != st.session_state.get("reg_pilih_tabel"):
        st.session_state["reg_pilih"] = clicked
    st.session_state["reg_pilih_tabel"] = clicked
    if st.session_state.get("reg_pilih") not in labels:
        st.session_state["reg_pilih"] = labels[0]
    label = st.selectbox(
        t("Nomor pengaduan", "Complaint number"), labels, key="reg_pilih", placeholder=choose()
    )
    return labels.index(label) if label in labels else 0


def _text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return tanggal_jam(value, language())
    if isinstance(value, bool | np.bool_):
        return t("Ya", "Yes") if value else t("Tidak", "No")
    return "–" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def show_details(loaded: LoadedRegister, one: pd.DataFrame, position: int, table: StageTable) -> None:
    """One (masked) complaint: every field, and its stages against the due times."""
    details = [(header, _text(value)) for header, value in complaint_fields(one, loaded.profile)]
    left, right = st.columns([2, 3])
    with left:
        st.dataframe(
            pd.DataFrame(details, columns=[t("Kolom", "Field"), t("Isi", "Value")]),
            hide_index=True,
            width="stretch",
            height=35 * (len(details) + 1) + 3,
        )
        st.caption(
            t("Sheet {s}, baris {r}", "Sheet {s}, row {r}").format(
                s=plain(one["_sheet"].iloc[0]), r=int(one["_row"].iloc[0])
            )
        )
    with right:
        st.markdown("**" + t("Tahapan terhadap jatuh tempo", "Stages against due times") + "**")
        show_stage_timeline(complaint_timeline(table, position), table.now, key="reg_timeline")


def show_history(loaded: LoadedRegister, viewer: Viewer, raw_one: pd.DataFrame) -> None:
    """The complaint's Riwayat rows, personal values masked unless the viewer handles it."""
    st.markdown("**" + t("Riwayat perubahan", "Change history") + "**")
    complaint = raw_one.iloc[0]
    sheet = str(complaint["_sheet"])
    history = history_for_viewer(
        load_audit(sheet=sheet), raw_one, viewer, headers=loaded.register.headers.get(sheet)
    )
    if history.empty:
        st.caption(
            t(
                "Belum ada perubahan yang dicatat lewat aplikasi untuk pengaduan ini.",
                "No changes recorded through the app for this complaint yet.",
            )
        )
        return
    # Riwayat stores ISO times (sortable, unambiguous); people read them day-first
    history = history.drop(columns=["ID Kiriman"], errors="ignore")  # bookkeeping, not for people
    st.dataframe(history.assign(Waktu=history["Waktu"].map(waktu_riwayat)), hide_index=True, width="stretch")
