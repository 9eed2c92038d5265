"""Register: search and filter the complaints, and open one: all its fields, its stage timeline
against the due times, and its history from the audit sheet (Riwayat)."""

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import stats_views as views
from dashboard.access import STAFF_ROLES, for_viewer, require
from dashboard.charts import base_layout, day_first_time_axis
from dashboard.csv_export import spreadsheet_csv
from dashboard.data import LoadedRegister, load_audit
from dashboard.fmt import angka, tanggal, tanggal_jam, waktu_riwayat
from dashboard.i18n import t
from dashboard.shell import page_register, show_empty
from metrics.columns import column_key
from metrics.privacy import is_secret, mask_audit_history
from metrics.profiles import register_header
from metrics.sla import stage_table

SHOWN_ROWS = 1000
STATUS = {
    "terbuka": ("Masih terbuka", "Open"),
    "selesai": ("Selesai", "Settled"),
    "terlambat": ("Terlambat (pernah lewat batas)", "Late (missed a limit)"),
    "hampir": ("Hampir jatuh tempo", "Due soon"),
}
STATE_LABELS = {
    "belum_berlaku": ("Belum berlaku", "Not started"),
    "berjalan": ("Berjalan", "Running"),
    "hampir_jatuh_tempo": ("Hampir jatuh tempo", "Due soon"),
    "terlambat": ("Terlambat", "Late"),
    "selesai_tepat_waktu": ("Tepat waktu", "On time"),
    "selesai": ("Selesai", "Done"),
    "dilewati": ("Dilewati", "Skipped"),
}
STATE_COLOURS = {
    "terlambat": "#d62728",
    "hampir_jatuh_tempo": "#ff7f0e",
    "berjalan": "#1f77b4",
    "selesai_tepat_waktu": "#2ca02c",
    "selesai": "#7f7f7f",
}


@st.cache_resource(show_spinner=False, max_entries=32)
def filtered_positions(
    token: str,
    query: str,
    desa: tuple,
    stages: tuple,
    status: tuple,
    start,
    end,
    late: bool,
    _loaded: LoadedRegister,
) -> np.ndarray:
    """Row positions matching the filters, newest receipt first."""
    c, f = _loaded.complaints, _loaded.flags
    mask = pd.Series(True, index=c.index)
    if desa:
        mask &= c["desa"].isin(list(desa))
    if stages:
        mask &= c["tahap"].isin(list(stages))
    received = c["tanggal_diterima"]
    if start is not None:
        mask &= received >= pd.Timestamp(start)
    if end is not None:
        mask &= received < pd.Timestamp(end) + pd.Timedelta(days=1)
    if status:
        wanted = pd.Series(False, index=c.index)
        if "terbuka" in status:
            wanted |= ~f["selesai"]
        if "selesai" in status:
            wanted |= f["selesai"]
        if "terlambat" in status:
            wanted |= f["terlambat"]
        if "hampir" in status and "hampir_jatuh_tempo" in f:
            wanted |= f["hampir_jatuh_tempo"]
        mask &= wanted
    if late:
        mask &= f["terlambat"]
    if query:
        text = query.strip()
        keys = [term.key for term in _loaded.profile.categories if text.lower() in term.label.lower()]
        found = (
            c["nomor"].str.contains(text, case=False, regex=False)
            | c["isi_pengaduan"].str.contains(text, case=False, regex=False)
            | c["kategori"].str.contains(text, case=False, regex=False)
            | c["kategori"].isin(keys)
        )
        mask &= found.fillna(False).astype(bool)
    mask = mask.fillna(False).astype(bool)
    positions = np.flatnonzero(mask.to_numpy())
    order = np.argsort(
        -received.iloc[positions].to_numpy(dtype="datetime64[ns]").view(np.int64), kind="stable"
    )
    return positions[order]


def labelled(loaded: LoadedRegister, frame: pd.DataFrame) -> pd.DataFrame:
    """Vocabulary keys shown as the profile's labels."""
    profile = loaded.profile
    out = frame.copy()
    for column, terms in (
        ("kategori", profile.categories),
        ("saluran", profile.channels),
        ("urgensi", profile.urgencies),
        ("tahap", profile.stages),
        ("jenis_penyelesaian", profile.outcomes),
    ):
        if column in out:
            labels = {term.key: term.label for term in terms}
            out[column] = out[column].map(lambda v, labels=labels: labels.get(v, v), na_action="ignore")
    return out


def status_text(flags: pd.DataFrame) -> pd.Series:
    if "status" in flags:
        names = {
            "berjalan": t("Berjalan", "Running"),
            "hampir_jatuh_tempo": t("Hampir jatuh tempo", "Due soon"),
            "terlambat": t("Terlambat", "Late"),
            "selesai_tepat_waktu": t("Selesai tepat waktu", "Settled on time"),
        }
        text = flags["status"].astype(object).map(names)
        return text.where(~(flags["selesai"] & flags["terlambat"]), t("Selesai terlambat", "Settled late"))
    return pd.Series(
        np.where(flags["selesai"], t("Selesai", "Settled"), t("Terbuka", "Open")), index=flags.index
    )


def timeline_figure(long: pd.DataFrame, now: pd.Timestamp) -> go.Figure:
    """Each stage as a bar from its start to its date (or now while open), due times as diamonds."""
    figure = go.Figure()
    rows = long.iloc[::-1]
    labels = [f"{r.label}" if r.jenis == "tahap" else f"⏱ {r.label}" for r in rows.itertuples()]
    for label, row in zip(labels, rows.itertuples(), strict=True):
        state = str(row.status)
        end = (
            row.selesai
            if pd.notna(row.selesai)
            else (now if state in ("berjalan", "hampir_jatuh_tempo", "terlambat") else pd.NaT)
        )
        start = row.mulai if pd.notna(row.mulai) else row.selesai
        if pd.notna(start) and pd.notna(end):
            figure.add_scatter(
                x=[start, end],
                y=[label, label],
                mode="lines+markers",
                showlegend=False,
                line={"width": 10, "color": STATE_COLOURS.get(state, "#7f7f7f")},
                marker={"size": 4},
                hovertemplate=f"{label}<br>%{{x|%d-%m-%Y %H:%M}}<extra>{t(*STATE_LABELS.get(state, (state, state)))}</extra>",
            )
        if pd.notna(row.jatuh_tempo):
            figure.add_scatter(
                x=[row.jatuh_tempo],
                y=[label],
                mode="markers",
                showlegend=False,
                marker={
                    "symbol": "diamond",
                    "size": 11,
                    "color": "#000",
                    "line": {"width": 1, "color": "#fff"},
                },
                hovertemplate=t("Jatuh tempo", "Due") + ": %{x|%d-%m-%Y %H:%M}<extra></extra>",
            )
    figure.add_vline(x=now, line_dash="dot", line_color="#999")
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=labels)
    day_first_time_axis(figure)
    figure = base_layout(figure)
    figure.update_layout(hovermode="closest", height=max(260, 60 + 34 * len(labels)))
    return figure


viewer = require(STAFF_ROLES)
st.title(t("Register Pengaduan", "Complaint register"))
loaded = page_register()
if loaded is not None and loaded.complaints.empty:
    show_empty("Belum ada data pengaduan di register.", "The register has no complaints yet.")
elif loaded is not None:
    profile = loaded.profile
    table_sla, now = views.stages_for(loaded)
    allowed = views.viewer_desas(loaded, viewer)
    received = loaded.complaints["tanggal_diterima"].dropna()
    with st.sidebar:
        query = st.text_input(
            t("Cari (nomor, isi, kategori)", "Search (number, content, category)"), key="reg_cari"
        )
        desa = st.multiselect(
            t("Desa", "Village"), allowed, key="reg_desa", placeholder=t("Semua desa", "All villages")
        )
        stage_labels = {s.key: s.label for s in profile.stages}
        stages = st.multiselect(
            t("Tahap", "Stage"),
            list(stage_labels),
            format_func=stage_labels.get,
            key="reg_tahap",
            placeholder=t("Semua tahap", "All stages"),
        )
        status = st.multiselect(
            t("Status", "Status"),
            list(STATUS),
            format_func=lambda s: t(*STATUS[s]),
            key="reg_status",
            placeholder=t("Semua status", "Any status"),
        )
        period = None
        if len(received):
            first, last = received.min().date(), max(received.max().date(), now.date())
            period = st.date_input(
                t("Periode diterima", "Received between"),
                value=(first, last),
                min_value=first,
                max_value=last,
                format="DD/MM/YYYY",
                key="reg_periode",
            )
        late_only = st.checkbox(t("Hanya yang terlambat", "Late only"), key="reg_terlambat")
    start, end = period if isinstance(period, tuple) and len(period) == 2 else (None, None)
    scope = tuple(desa) if desa else (tuple(allowed) if viewer.desa else ())
    positions = filtered_positions(
        views.register_token(loaded),
        query.strip(),
        scope,
        tuple(stages),
        tuple(status),
        dt.date.isoformat(start) if start else None,
        dt.date.isoformat(end) if end else None,
        late_only,
        loaded,
    )
    if len(positions) == 0:
        show_empty()
    else:
        shown = loaded.complaints.iloc[positions[:SHOWN_ROWS]]
        masked = labelled(loaded, for_viewer(shown, viewer))
        flags = loaded.flags.loc[masked.index]
        st.caption(
            t("{n} pengaduan cocok", "{n} matching complaints").format(n=angka(len(positions)))
            + (
                t(
                    " · menampilkan {m} terbaru (persempit dengan pencarian atau filter)",
                    " · showing the newest {m} (narrow with search or filters)",
                ).format(m=angka(SHOWN_ROWS))
                if len(positions) > SHOWN_ROWS
                else ""
            )
        )
        view = pd.DataFrame(
            {
                t("Nomor", "Number"): masked["nomor"],
                t("Desa", "Village"): masked["desa"],
                t("Diterima", "Received"): masked["tanggal_diterima"],
                t("Kategori", "Category"): masked["kategori"],
                t("Urgensi", "Urgency"): masked["urgensi"],
                t("Tahap", "Stage"): masked["tahap"],
                t("Status", "Status"): status_text(flags),
                t("Pelapor", "Reporter"): masked["nama_pelapor"],
                t("Isi pengaduan", "Content"): masked["isi_pengaduan"],
            }
        )
        event = st.dataframe(
            view,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key="reg_tabel",
            column_config={
                t("Diterima", "Received"): st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")
            },
        )

        def make_csv() -> bytes:
            rows = for_viewer(loaded.complaints.iloc[positions], viewer)
            header = register_header(profile)
            keys = [column_key(h) for h in header]
            out = labelled(loaded, rows).reindex(columns=keys)
            out.columns = header
            return spreadsheet_csv(out)

        st.download_button(
            t("Unduh hasil (CSV)", "Download results (CSV)"),
            data=make_csv,
            file_name="register_pengaduan.csv",
            mime="text/csv",
            icon=":material/download:",
            key="reg_unduh",
            on_click="ignore",
        )

        st.subheader(t("Rincian pengaduan", "Complaint details"))
        numbers = masked["nomor"].fillna("").tolist()
        picked_rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
        default = picked_rows[0] if picked_rows else 0
        choice = st.selectbox(
            t("Nomor pengaduan", "Complaint number"),
            range(len(numbers)),
            index=min(default, len(numbers) - 1),
            format_func=lambda i: (
                numbers[i]
                or t("(tanpa nomor, baris {r})", "(no number, row {r})").format(r=int(masked["_row"].iloc[i]))
            ),
            key="reg_pilih",
        )
        label = masked.index[choice]
        one = masked.loc[[label]]
        raw_one = loaded.complaints.loc[[label]]
        header = register_header(profile)
        details = []
        for text in header:
            key = column_key(text)
            value = one[key].iloc[0] if key in one else None
            if isinstance(value, pd.Timestamp):
                value = tanggal_jam(value)
            elif isinstance(value, bool | np.bool_):
                value = t("Ya", "Yes") if value else t("Tidak", "No")
            details.append(
                (
                    text,
                    "–" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value),
                )
            )
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
                    s=one["_sheet"].iloc[0], r=int(one["_row"].iloc[0])
                )
            )
        with right:
            st.markdown("**" + t("Tahapan terhadap jatuh tempo", "Stages against due times") + "**")
            long = stage_table(raw_one, profile, loaded.calendar, now).long()
            st.plotly_chart(timeline_figure(long, now), width="stretch", key="reg_timeline")
            st.dataframe(
                pd.DataFrame(
                    {
                        t("Tahap / batas", "Stage / limit"): long["label"],
                        t("Standar", "Standard"): long["standar"],
                        t("Mulai", "Start"): long["mulai"].map(tanggal_jam),
                        t("Jatuh tempo", "Due"): long["jatuh_tempo"].map(tanggal_jam),
                        t("Selesai", "Done"): long["selesai"].map(tanggal_jam),
                        t("Status", "Status"): long["status"]
                        .astype(str)
                        .map(lambda s: t(*STATE_LABELS.get(s, (s, s)))),
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            st.caption(
                t(
                    "Batang = lama tiap tahap (sampai sekarang bila masih berjalan); ◆ = jatuh tempo; "
                    "garis titik = sekarang. Aturan: halaman Pemantauan SLA.",
                    "Bar = time in each stage (until now while open); ◆ = due time; dotted line = now.",
                )
            )
        st.markdown("**" + t("Riwayat perubahan", "Change history") + "**")
        audit = load_audit()
        nomor = raw_one["nomor"].iloc[0]
        history = audit[audit["Nomor"] == nomor] if isinstance(nomor, str) and len(audit) else audit.iloc[0:0]
        history = mask_audit_history(
            history, handled=bool(viewer.handles(raw_one).iloc[0]), secret=is_secret(raw_one)
        )
        if history.empty:
            st.caption(
                t(
                    "Belum ada perubahan yang dicatat lewat aplikasi untuk pengaduan ini.",
                    "No changes recorded through the app for this complaint yet.",
                )
            )
        else:
            # Riwayat stores ISO times (sortable, unambiguous); people read them day-first
            history = history.assign(Waktu=history["Waktu"].map(waktu_riwayat))
            st.dataframe(history, hide_index=True, width="stretch")
        st.caption(t("Dicetak {d}", "As of {d}").format(d=tanggal(now)))
