"""Streamlit glue and figures of the *Pemantauan SLA* page: queues, stage funnel, timeline, help.

The numbers come from ``metrics.sla`` (one ``StageTable`` per loaded register, cached with it);
this module only selects the viewer's rows, formats and draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import base_layout, day_first_time_axis
from dashboard.components import plain
from dashboard.data import LoadedRegister
from dashboard.fmt import angka, persen, standard_text, tanggal_jam
from dashboard.i18n import language, t
from metrics import sla
from metrics.sla import on_time_rate

# label (id, en) and colour of each stage state
STATE_LABELS: dict[str, tuple[str, str]] = {
    "belum_berlaku": ("Belum berlaku", "Not started"),
    "berjalan": ("Berjalan", "In progress"),
    "hampir_jatuh_tempo": ("Hampir jatuh tempo", "Due soon"),
    "terlambat": ("Terlambat", "Late"),
    "selesai_tepat_waktu": ("Selesai tepat waktu", "Done on time"),
    "selesai": ("Selesai (tanpa standar)", "Done (no standard)"),
    "dilewati": ("Dilewati (tanggal kosong)", "Skipped (no date)"),
    "menunggu_kelengkapan": ("Menunggu kelengkapan", "Waiting for documents"),
}
STATE_COLOURS: dict[str, str] = {
    "belum_berlaku": "#c7c7c7",
    "berjalan": "#1f77b4",
    "hampir_jatuh_tempo": "#ff9f1c",
    "terlambat": "#d62728",
    "selesai_tepat_waktu": "#2ca02c",
    "selesai": "#7f7f7f",
    "dilewati": "#bcbd22",
    "menunggu_kelengkapan": "#9467bd",
}
UNIT_LABELS: dict[str, tuple[str, str]] = {
    "menit": ("menit kerja", "office minutes"),
    "jam": ("jam kerja", "office hours"),
    "hari_kerja": ("hari kerja", "working days"),
    "hari": ("hari", "days"),
}


def state_label(state: str) -> str:
    indonesian, english = STATE_LABELS.get(state, (state, state))
    return t(indonesian, english)


def unit_label(unit: str) -> str:
    indonesian, english = UNIT_LABELS.get(unit, (unit, unit))
    return t(indonesian, english)


# --------------------------------------------------------------------------------------------
# Data for the page
# --------------------------------------------------------------------------------------------


def loaded_stage_table(loaded: LoadedRegister) -> sla.StageTable:
    """The register's stage table, computed with the register when it was loaded (``loaded.sla``)."""
    assert loaded.sla is not None, "LoadedRegister is always built with its stage table"
    return loaded.sla


def rows_of(loaded: LoadedRegister, complaints: pd.DataFrame) -> np.ndarray:
    """Positions in the register (and its stage table) of the given complaints (by index label)."""
    positions = loaded.complaints.index.get_indexer(complaints.index)
    return positions[positions >= 0]


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------


def durasi(value: pd.Timedelta | float | None) -> str:
    """A wall-clock span the Indonesian way: ``3 hari 2 jam``, ``5 jam 10 menit``, ``45 menit``."""
    if value is None or pd.isna(value):
        return "–"
    minutes = int(pd.Timedelta(value).total_seconds() // 60)
    days, rest = divmod(max(minutes, 0), 24 * 60)
    hours, mins = divmod(rest, 60)
    words = (("hari", "d"), ("jam", "h"), ("menit", "min"))
    english = language() == "en"
    parts = []
    if days:
        parts.append(f"{days} {words[0][english]}")
    if hours:
        parts.append(f"{hours} {words[1][english]}")
    if mins and not days:
        parts.append(f"{mins} {words[2][english]}")
    return " ".join(parts) or f"0 {words[2][english]}"


def jam_kerja(hours: float | None) -> str:
    """Office hours: ``12,5 jam kerja``."""
    if hours is None or pd.isna(hours):
        return "–"
    return f"{angka(hours, 1)} {unit_label('jam')}"


def waktu(amount: float | None, unit: str) -> str:
    """An elapsed figure in its unit: ``0,4 hari kerja``, ``35 menit kerja``."""
    if amount is None or pd.isna(amount):
        return "–"
    return f"{angka(amount, 0 if unit == 'menit' else 1)} {unit_label(unit)}"


def queue_display(queue: pd.DataFrame, *, late: bool) -> pd.DataFrame:
    """The overdue (``late=True``) or at-risk queue as the table petugas read."""
    lang = language()
    kind = np.where(queue["jenis"] == "batas", t("Batas waktu: ", "Deadline: "), "")
    span = queue["lewat" if late else "sisa"]
    hours = queue["lewat_jam_kerja" if late else "sisa_jam_kerja"]
    # how late (or how long is left) right after the number: visible without scrolling
    return pd.DataFrame(
        {
            t("Nomor", "Number"): queue["nomor"],
            (t("Terlambat", "Late by") if late else t("Sisa waktu", "Time left")): [durasi(v) for v in span],
            t("Desa", "Village"): queue["desa"],
            t("Tahap", "Stage"): kind + queue["label"].astype(str),
            t("Pejabat", "Official"): queue["pejabat"],
            t("Jatuh tempo", "Due"): [tanggal_jam(v, lang) for v in queue["jatuh_tempo"]],
            t("Standar", "Standard"): queue["standar"].map(standard_text),
            (
                t("Lewat (jam kerja)", "Late (office hours)")
                if late
                else t("Sisa (jam kerja)", "Left (office hours)")
            ): [jam_kerja(v) for v in hours],
        }
    )


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def funnel_figure(funnel: pd.DataFrame) -> go.Figure:
    """Complaints that have completed each stage (SOP order: its date is filled), with how many
    are in it now and how many were or are late there. The last bar then matches the settled
    count of the other tiles (total minus open)."""
    labels = [f"{r.urutan + 1}. {_short(r.label)}" for r in funnel.itertuples()]
    figure = go.Figure(
        go.Funnel(
            y=labels,
            x=funnel["selesai"],
            texttemplate="%{value:,d}<br>%{percentInitial:.0%}",  # 3.251 (the layout's Indonesian separators)
            marker={"color": "#1f77b4"},
            customdata=np.stack([funnel["label"], funnel["terlambat"], funnel["terbuka"]], axis=-1),
            hovertemplate=t(
                "%{customdata[0]}<br>Sudah melewati tahap ini: %{x:,d}<br>Sedang di tahap ini: %{customdata[2]:,d}"
                "<br>Terlambat di tahap ini: %{customdata[1]:,d}<extra></extra>",
                "%{customdata[0]}<br>Completed this stage: %{x:,d}<br>Currently here: %{customdata[2]:,d}"
                "<br>Late at this stage: %{customdata[1]:,d}<extra></extra>",
            ),
        )
    )
    figure = base_layout(
        figure,
        t("Jumlah pengaduan yang sudah melewati tiap tahap", "Complaints that have completed each stage"),
    )
    figure.update_layout(hovermode="closest", height=max(320, 38 * len(funnel) + 80))
    return figure


def stage_time_figure(funnel: pd.DataFrame, deadlines: pd.DataFrame) -> go.Figure:
    """Median time of each timed stage and overall deadline as a share of its standard (100% = the
    standard); the hover shows the median and the standard in their own unit."""
    rows = []
    for r in funnel.itertuples():
        if r.standar and not pd.isna(r.rasio_standar):
            rows.append(
                (
                    f"{r.urutan + 1}. {_short(r.label)}",
                    r.label,
                    r.rasio_standar,
                    r.median_waktu,
                    r.satuan,
                    standard_text(r.standar),
                )
            )
    for r in deadlines.itertuples():
        if not pd.isna(r.rasio_standar):
            name = t("Batas: ", "Deadline: ") + _short(r.label, 34)
            rows.append((name, r.label, r.rasio_standar, r.median_waktu, r.satuan, standard_text(r.standar)))
    figure = go.Figure()
    if rows:
        names, full, ratio, median, unit, standard = zip(*rows, strict=True)
        percent = np.array(ratio) * 100
        figure.add_bar(
            y=list(names),
            x=percent,
            orientation="h",
            marker_color=["#d62728" if p > 100 else "#2ca02c" for p in percent],
            text=[f"{waktu(m, u)} / {s}" for m, u, s in zip(median, unit, standard, strict=True)],
            textposition="auto",
            customdata=np.stack(
                [list(full), [waktu(m, u) for m, u in zip(median, unit, strict=True)], list(standard)],
                axis=-1,
            ),
            hovertemplate=t(
                "%{customdata[0]}<br>Median: %{customdata[1]}<br>Standar: %{customdata[2]}"
                "<br>%{x:,.0f}% dari standar<extra></extra>",
                "%{customdata[0]}<br>Median: %{customdata[1]}<br>Standard: %{customdata[2]}"
                "<br>%{x:,.0f}% of the standard<extra></extra>",
            ),
            name=t("Median", "Median"),
        )
        figure.add_vline(
            x=100,
            line_dash="dash",
            line_color="#555",
            annotation_text=t("standar", "standard"),
            annotation_position="top",
        )
        # the standard line always inside the plot, with room past it
        figure.update_xaxes(
            range=[0, max(110.0, float(np.nanmax(percent)) * 1.08 if len(percent) else 110.0)]
        )
        figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(
        title=t("Median waktu, % dari standar", "Median time, % of the standard"), ticksuffix="%"
    )
    figure = base_layout(
        figure, t("Median waktu per tahap terhadap standarnya", "Median time per stage vs standard")
    )
    figure.update_layout(hovermode="closest", showlegend=False, height=max(280, 38 * len(rows) + 110))
    return figure


def timeline_figure(timeline: pd.DataFrame, now: pd.Timestamp) -> go.Figure:
    """One complaint: a bar per stage / overall deadline from its start to its completion (or now
    while open), coloured by state, with a marker at the due time and a line at now."""
    frame = timeline[timeline["status"] != "belum_berlaku"].copy()
    frame = frame[frame["mulai"].notna() | frame["selesai"].notna()]
    is_deadline = frame["jenis"] == "batas"
    frame["nama"] = np.where(
        is_deadline,
        t("Batas: ", "Deadline: ") + frame["label"].astype(str),
        (frame["urutan"] + 1).astype(str) + ". " + frame["label"].astype(str),
    )
    frame["nama"] = [_short(n, 48) for n in frame["nama"]]
    open_end = frame["selesai"].isna() & frame["status"].isin(
        ["berjalan", "hampir_jatuh_tempo", "terlambat", "menunggu_kelengkapan"]
    )
    frame["akhir"] = frame["selesai"].where(~open_end, now)
    frame["awal"] = frame["mulai"].fillna(frame["akhir"])
    lang = language()
    figure = go.Figure()
    for state in sla.STATES:
        part = frame[frame["status"] == state]
        if part.empty:
            continue
        length = (part["akhir"] - part["awal"]).dt.total_seconds().fillna(0).clip(lower=0) * 1000
        figure.add_bar(
            y=part["nama"],
            x=length,
            base=part["awal"].dt.strftime("%Y-%m-%d %H:%M:%S"),
            orientation="h",
            name=state_label(state),
            marker_color=STATE_COLOURS[state],
            customdata=np.stack(
                [
                    part["label"].astype(str),
                    [tanggal_jam(v, lang) for v in part["mulai"]],
                    [tanggal_jam(v, lang) for v in part["jatuh_tempo"]],
                    [tanggal_jam(v, lang) for v in part["selesai"]],
                    [state_label(state)] * len(part),
                ],
                axis=-1,
            ),
            hovertemplate=t(
                "%{customdata[0]}<br>Mulai: %{customdata[1]}<br>Jatuh tempo: %{customdata[2]}"
                "<br>Selesai: %{customdata[3]}<br>%{customdata[4]}<extra></extra>",
                "%{customdata[0]}<br>Start: %{customdata[1]}<br>Due: %{customdata[2]}"
                "<br>Done: %{customdata[3]}<br>%{customdata[4]}<extra></extra>",
            ),
        )
    _add_pause_bars(figure, frame)
    due = frame[frame["jatuh_tempo"].notna()]
    if not due.empty:
        figure.add_scatter(
            x=due["jatuh_tempo"],
            y=due["nama"],
            mode="markers",
            name=t("Jatuh tempo", "Due"),
            marker={"symbol": "line-ns-open", "size": 22, "line": {"width": 3}, "color": "#000"},
            hovertemplate=t(
                "Jatuh tempo: %{x|%d/%m/%Y %H:%M}<extra></extra>", "Due: %{x|%d/%m/%Y %H:%M}<extra></extra>"
            ),
        )
    figure.add_shape(
        type="line", x0=now, x1=now, y0=0, y1=1, yref="paper", line={"dash": "dot", "color": "#888"}
    )
    figure.add_annotation(
        x=now, y=1, yref="paper", text=t("sekarang", "now"), showarrow=False, yanchor="bottom"
    )
    day_first_time_axis(figure)
    # rows in SOP order (stages, then the overall deadlines), whatever order the state traces came in
    order = (
        frame.assign(_batas=is_deadline)
        .sort_values(["_batas", "urutan"], kind="stable")["nama"]
        .unique()
        .tolist()
    )
    figure.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=order)
    figure = base_layout(figure)
    figure.update_layout(
        barmode="overlay",
        hovermode="closest",
        height=max(260, 34 * frame["nama"].nunique() + 120),
        margin={"t": 30},  # room for the "sekarang" label above the plot
        # states listed at the right: under the plot they covered the date ticks
        legend={"orientation": "v", "x": 1.01, "y": 1, "xanchor": "left", "yanchor": "top"},
    )
    return figure


# --------------------------------------------------------------------------------------------
# Help
# --------------------------------------------------------------------------------------------


def _add_pause_bars(figure: go.Figure, frame: pd.DataFrame) -> None:
    """The paused span (Menunggu kelengkapan) of each stage / deadline it moved, hatched over its bar."""
    if "jeda_mulai" not in frame.columns:
        return
    paused = frame[frame["jeda_mulai"].notna()]
    if paused.empty:
        return
    lang = language()
    length = (paused["jeda_selesai"] - paused["jeda_mulai"]).dt.total_seconds().fillna(0).clip(lower=0) * 1000
    figure.add_bar(
        y=paused["nama"],
        x=length,
        base=paused["jeda_mulai"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        orientation="h",
        name=t("Jeda: menunggu kelengkapan", "Paused: waiting for documents"),
        marker={"color": "rgba(255,255,255,0.55)", "pattern": {"shape": "/", "fgcolor": "#555"}},
        width=0.5,
        customdata=np.stack(
            [
                [tanggal_jam(v, lang) for v in paused["jeda_mulai"]],
                [tanggal_jam(v, lang) for v in paused["jeda_selesai"]],
            ],
            axis=-1,
        ),
        hovertemplate=t(
            "Menunggu kelengkapan: %{customdata[0]} – %{customdata[1]}<extra></extra>",
            "Waiting for documents: %{customdata[0]} – %{customdata[1]}<extra></extra>",
        ),
    )


def show_rules_help(loaded: LoadedRegister) -> None:
    """The SLA rules in plain words for users. The rules themselves live in code only once: stage
    filled / skipped / open / start in ``metrics.stages``, due times and states in ``metrics.sla``
    (their docstrings); this text must be changed with them."""
    window = loaded.profile.calendar.at_risk_window
    with st.expander(
        t("Cara menghitung tenggat dan status", "How due times and states are computed"),
        icon=":material/help:",
    ):
        st.markdown(
            t(
                f"""
- **Mulai tahap**: tanggal tahap sebelumnya (tahap pertama = tanggal diterima). Bila tanggal tahap
  sebelumnya kosong, dihitung dari tahap **terakhir yang sudah diisi** sebelumnya.
- **Jatuh tempo** = mulai + standar SOP, dihitung dengan kalender kerja: *menit/jam* hanya jam kantor
  (mis. Senin–Kamis 07.30–16.00, Jumat 07.30–11.30), *hari kerja* melewati Sabtu, Minggu, libur
  nasional dan cuti bersama, *hari* = hari kalender.
- **Tanggal tanpa jam** dibaca pukul 00.00 (awal hari itu), dengan satu aturan apa pun cara
  mengetiknya: batas dalam *hari* (kalender) berakhir pada akhir hari ke-N sesudah tanggal mulai
  (diterima "24/01/2026" atau "24/01/2026 10.27" + 14 hari = paling lambat 07/02/2026 pukul 23.59);
  *menit/jam/hari kerja* hanya berjalan pada jam kantor, jadi mulai pada hari libur atau di luar jam
  kantor — dengan atau tanpa jam — dihitung dari jam buka berikutnya. Sebagai *selesai*, dianggap
  selesai pada hari itu sebelum jatuh tempo apa pun di hari itu (selesai "7 Maret" tepat waktu untuk
  jatuh tempo 7 Maret 11.30, terlambat untuk 6 Maret 16.00).
- Tanggal selesai **sebelum tanggal diterima** atau **di masa depan** ditandai di Kualitas Data dan
  tidak dihitung tepat waktu.
- **Terlambat**: selesai setelah jatuh tempo, atau belum selesai padahal jatuh tempo sudah lewat.
  **Hampir jatuh tempo**: belum selesai dan jatuh tempo tinggal paling lama **{window}** lagi.
  **Belum berlaku**: tahap sebelumnya belum selesai. **Dilewati**: tanggal tahap kosong padahal tahap
  sesudahnya sudah diisi (tidak dihitung terlambat; perbaiki registernya).
- Tahap yang tanggalnya **sebelum tanggal mulainya** ditandai sebagai kesalahan data.
- **Batas waktu keseluruhan** ({", ".join(f"{d.label} {d.standard}" for d in loaded.profile.deadlines) or "-"})
  dihitung dari tanggal diterima.
- **Tepat waktu** = selesai tanpa satu pun tahap atau batas waktu terlambat ÷ (selesai + masih terbuka
  yang sudah terlambat).
- **Menunggu kelengkapan**: selama berkas belum lengkap (Mulai Menunggu Kelengkapan s.d. Berkas Lengkap
  Pada) jam berhenti: jatuh tempo tahap dan batas waktu yang sedang berjalan bergeser sepanjang jeda —
  jam kantor untuk *menit/jam/hari kerja*, jumlah tanggal untuk *hari*. Selama menunggu, pengaduan
  tidak terlambat dan tidak hampir jatuh tempo (kecuali sudah terlambat sebelum jeda). Satu jeda per
  pengaduan.
""",
                f"""
- **Stage start**: the previous stage's date (first stage = date received). When that date is empty,
  the **last filled earlier** stage is used.
- **Due time** = start + the SOP standard on the work calendar: *minutes/hours* count office hours only
  (e.g. Mon–Thu 07:30–16:00, Fri 07:30–11:30), *working days* skip weekends, public holidays and
  collective leave days, *days* are calendar days.
- **A date without a time** reads as 00:00 (the start of that day), with one rule however it is typed:
  a limit in calendar *days* ends with the N-th day after the start's date (received "24/01/2026" or
  "24/01/2026 10:27" + 14 days = due by the end of 07/02/2026); *minutes/hours/working days* run in office
  hours only, so a start on a closed day or outside hours — with or without a time — starts at the next
  opening. As a *completion*, it counts as done that day, before any due time that day.
- A settlement dated **before its receipt** or **in the future** is flagged in Data quality and never
  counts as on time.
- **Late**: done after the due time, or not done and the due time has passed. **Due soon**: open and
  due within **{standard_text(str(window))}**. **Not started**: the previous stage is not done. **Skipped**: empty although a
  later stage is filled (not counted late; fix the register).
- A stage dated **before its start** is flagged as a data error.
- **Overall deadlines** ({", ".join(f"{d.label} {standard_text(str(d.standard))}" for d in loaded.profile.deadlines) or "-"})
  run from the date received.
- **On time** = settled with no stage or deadline late ÷ (settled + open and already late).
- **Waiting for documents**: while the file is incomplete (from *Mulai Menunggu Kelengkapan* to *Berkas
  Lengkap Pada*) the clock stops: due times of running stages and deadlines move by the paused span —
  office time for *minutes/hours/working days*, the number of dates for *days*. While waiting a complaint is
  neither late nor due soon (unless it was late before the pause). One pause per complaint.
""",
            )
        )


# --------------------------------------------------------------------------------------------
# The page body
# --------------------------------------------------------------------------------------------


def profile_title(name: str) -> str:
    """``SOP Pengelolaan …`` stays as it is; any other profile name gets ``SOP`` in front (no "SOP SOP")."""
    return name if name.strip().lower().startswith("sop") else f"SOP {name}"


def overdue_counts_text(complaints: int, deadlines: int) -> str:
    """``19 pengaduan · 31 tenggat tahap``: one complaint can have several overdue stage deadlines."""
    return t("{c} pengaduan · {d} tenggat tahap", "{c} complaints · {d} stage deadlines").format(
        c=angka(complaints), d=angka(deadlines)
    )


def show_status_metrics(flags: pd.DataFrame, overdue_deadlines: int | None = None) -> None:
    open_ = ~flags["selesai"]
    cols = st.columns(4)
    cols[0].metric(t("Masih terbuka", "Open"), angka(int(open_.sum())))
    n_late = int(flags["terlambat_terbuka"].sum())
    cols[1].metric(
        t("Terlambat (terbuka)", "Overdue (open)"),
        angka(n_late),
        help=t(
            "Jumlah pengaduan terbuka yang sudah terlambat. Tab Terlambat menghitung tenggat tahap: "
            "satu pengaduan bisa punya beberapa tenggat tahap yang terlewat.",
            "Open complaints already late. The Overdue tab counts stage deadlines: one complaint can "
            "have several missed stage deadlines.",
        ),
    )
    if overdue_deadlines is not None:
        cols[1].caption(overdue_counts_text(n_late, overdue_deadlines))
    cols[2].metric(
        t("Hampir jatuh tempo", "Due soon"),
        angka(int((open_ & flags["hampir_jatuh_tempo"] & ~flags["terlambat"]).sum())),
    )
    cols[3].metric(
        t("Tepat waktu", "On time"),
        persen(on_time_rate(flags)),
        help=t(
            "Selesai tepat waktu ÷ (selesai + masih terbuka yang sudah terlambat).",
            "Settled on time ÷ (settled + open and already late).",
        ),
    )


QUEUE_ROWS = 1000


def queue_limit(total: int, *, key: str) -> int | None:
    """Rows of a queue to build: the first ``QUEUE_ROWS``, or all when the viewer asks for them."""
    if total <= QUEUE_ROWS:
        return None
    everything = st.toggle(
        t("Tampilkan semua {n} baris", "Show all {n} rows").format(n=angka(total)), key=key
    )
    if everything:
        return None
    st.caption(
        t("Ditampilkan {k} teratas dari {n}.", "Showing the first {k} of {n}.").format(
            k=angka(QUEUE_ROWS), n=angka(total)
        )
    )
    return QUEUE_ROWS


def show_queue(queue: pd.DataFrame, *, late: bool, key: str) -> None:
    if queue.empty:
        st.success(
            t("Tidak ada tahap yang terlambat.", "Nothing is overdue.")
            if late
            else t("Tidak ada tahap yang hampir jatuh tempo.", "Nothing is due soon."),
            icon=":material/check_circle:",
        )
        return
    st.dataframe(queue_display(queue, late=late), hide_index=True, key=key)


def show_waiting_queue(table: sla.StageTable, complaints: pd.DataFrame, total: int) -> pd.DataFrame:
    """The complaints whose clock waits for a complete file (``metrics.sla.waiting_queue``)."""
    st.caption(
        t(
            "Tahap dan batas waktu yang jamnya berhenti karena berkas belum lengkap; jatuh tempo "
            "bergeser selama menunggu.",
            "Stages and deadlines whose clock is paused while the file is incomplete; due times move "
            "while waiting.",
        )
    )
    queue = sla.waiting_queue(table, complaints, limit=queue_limit(total, key="sla_waiting_all"))
    if queue.empty:
        st.info(t("Tidak ada pengaduan yang menunggu kelengkapan.", "No complaint is waiting for documents."))
        return queue
    lang = language()
    kind = np.where(queue["jenis"] == "batas", t("Batas waktu: ", "Deadline: "), "")
    st.dataframe(
        pd.DataFrame(
            {
                t("Nomor", "Number"): queue["nomor"],
                t("Status", "State"): [state_label(s) for s in queue["status"]],
                t("Menunggu sejak", "Waiting since"): [tanggal_jam(v, lang) for v in queue["menunggu_sejak"]],
                t("Desa", "Village"): queue["desa"],
                t("Tahap", "Stage"): kind + queue["label"].astype(str),
                t("Pejabat", "Official"): queue["pejabat"],
                t("Jatuh tempo (bergeser)", "Due (moving)"): [
                    tanggal_jam(v, lang) for v in queue["jatuh_tempo"]
                ],
                t("Standar", "Standard"): queue["standar"].map(standard_text),
            }
        ),
        hide_index=True,
        key="sla_waiting",
    )
    return queue


def complaint_picker(complaints: pd.DataFrame, suggestions: list[str], key: str) -> str | None:
    """Choose a Nomor: the queues' complaints are offered first; any other Nomor can be typed."""
    recent = complaints.sort_values("tanggal_diterima", ascending=False)["nomor"].head(300)
    options = list(dict.fromkeys([*suggestions, *recent.dropna().astype(str)]))
    options = [o for o in options if o]
    return st.selectbox(
        t("Nomor pengaduan", "Complaint number"),
        options,
        index=0 if options else None,
        key=key,
        accept_new_options=True,
        placeholder=t("Ketik atau pilih nomor", "Type or choose a number"),
    )


def show_timeline(table: sla.StageTable, complaints: pd.DataFrame, nomor: str | None) -> None:
    if not nomor:
        return
    matches = np.flatnonzero(
        complaints["nomor"].astype("string").fillna("").str.strip().to_numpy() == nomor.strip()
    )
    if len(matches) == 0:
        st.warning(
            t("Nomor {n} tidak ditemukan pada pilihan ini.", "Number {n} is not in this selection.").format(
                n=plain(nomor)
            )
        )
        return
    if len(matches) > 1:
        st.caption(
            t(
                "Nomor ini tercatat {k} kali; yang ditampilkan baris pertama.",
                "This number appears {k} times; showing the first row.",
            ).format(k=len(matches))
        )
    show_stage_timeline(sla.complaint_timeline(table, int(matches[0])), table.now, key="sla_timeline")


def show_stage_timeline(timeline: pd.DataFrame, now: pd.Timestamp, *, key: str) -> None:
    """One complaint's stages and deadlines against their due times: the chart and the table."""
    st.plotly_chart(timeline_figure(timeline, now), width="stretch", key=key)
    lang = language()
    shown = timeline[timeline["status"] != "belum_berlaku"]
    st.dataframe(
        pd.DataFrame(
            {
                t("Tahap / batas waktu", "Stage / deadline"): np.where(
                    shown["jenis"] == "batas", t("Batas: ", "Deadline: ") + shown["label"], shown["label"]
                ),
                t("Standar", "Standard"): shown["standar"].map(standard_text),
                t("Mulai", "Start"): [tanggal_jam(v, lang) for v in shown["mulai"]],
                t("Jatuh tempo", "Due"): [tanggal_jam(v, lang) for v in shown["jatuh_tempo"]],
                t("Selesai", "Done"): [tanggal_jam(v, lang) for v in shown["selesai"]],
                t("Waktu", "Time taken"): [
                    waktu(v, u) for v, u in zip(shown["waktu"], shown["satuan"], strict=True)
                ],
                t("Status", "State"): [
                    state_label(s)
                    + (t(" · tanggal sebelum mulai!", " · dated before start!") if before else "")
                    for s, before in zip(shown["status"], shown["sebelum_mulai"], strict=True)
                ],
                t("Jeda (menunggu kelengkapan)", "Paused (waiting for documents)"): [
                    "" if pd.isna(a) else f"{tanggal_jam(a, lang)} – {tanggal_jam(b, lang)}"
                    for a, b in zip(shown["jeda_mulai"], shown["jeda_selesai"], strict=True)
                ],
            }
        ),
        hide_index=True,
        key=f"{key}_table",
    )


def show_sla_monitor(loaded: LoadedRegister, complaints: pd.DataFrame, flags: pd.DataFrame) -> None:
    """The page body for the chosen (visible, filtered) complaints of ``loaded``."""
    table = loaded_stage_table(loaded).select(rows_of(loaded, complaints))
    st.caption(
        t(
            "Status dihitung per {now} (waktu setempat) dengan profil {p}.",
            "States as of {now} (local time) with profile {p}.",
        ).format(now=tanggal_jam(table.now, language()), p=profile_title(loaded.profile.name))
    )
    # Counted in full, built for the first QUEUE_ROWS rows (formatting every row of a big register
    # for the table is the slow part); the whole list on demand.
    n_overdue = sla.open_obligation_count(table, ("terlambat",))
    n_at_risk = sla.open_obligation_count(table, ("hampir_jatuh_tempo",))
    show_status_metrics(flags, n_overdue)
    show_rules_help(loaded)
    n_waiting = sla.open_obligation_count(table, ("menunggu_kelengkapan",))
    n_waiting_complaints = sla.open_obligation_complaint_count(table, ("menunggu_kelengkapan",))
    late_tab, risk_tab, waiting_tab, funnel_tab, timeline_tab = st.tabs(
        [
            t("Terlambat ({n})", "Overdue ({n})").format(
                n=overdue_counts_text(int(flags["terlambat_terbuka"].sum()), n_overdue)
            ),
            t("Hampir jatuh tempo ({n})", "Due soon ({n})").format(n=angka(n_at_risk)),
            t("Menunggu kelengkapan ({n})", "Waiting for documents ({n})").format(
                n=overdue_counts_text(n_waiting_complaints, n_waiting)
            ),
            t("Alur tahap", "Stage funnel"),
            t("Riwayat satu pengaduan", "One complaint's timeline"),
        ]
    )
    with late_tab:
        st.caption(
            t(
                "Tahap dan batas waktu yang belum selesai padahal sudah lewat jatuh tempo, "
                "dari yang paling lama.",
                "Open stages and deadlines past their due time, oldest first.",
            )
        )
        overdue = sla.overdue_queue(
            table, complaints, loaded.calendar, limit=queue_limit(n_overdue, key="sla_overdue_all")
        )
        show_queue(overdue, late=True, key="sla_overdue")
    with risk_tab:
        st.caption(
            t(
                "Tahap dan batas waktu yang jatuh tempo dalam {w}, dari yang paling dekat.",
                "Open stages and deadlines due within {w}, nearest first.",
            ).format(w=standard_text(str(loaded.profile.calendar.at_risk_window)))
        )
        at_risk = sla.at_risk_queue(
            table, complaints, loaded.calendar, limit=queue_limit(n_at_risk, key="sla_at_risk_all")
        )
        show_queue(at_risk, late=False, key="sla_at_risk")
    with waiting_tab:
        waiting = show_waiting_queue(table, complaints, n_waiting)
    with funnel_tab:
        funnel = sla.stage_funnel(table)
        left, right = st.columns(2)
        left.plotly_chart(funnel_figure(funnel), width="stretch", key="sla_funnel")
        right.plotly_chart(
            stage_time_figure(funnel, sla.deadline_summary(table)), width="stretch", key="sla_stage_time"
        )
        if not any(s.standard is not None for s in loaded.profile.stages[1:]):
            right.caption(
                t(
                    "SOP ini tidak menetapkan standar waktu per tahap; yang diukur adalah batas waktu "
                    "keseluruhan.",
                    "This SOP sets no time standard per stage; the overall deadlines are measured.",
                )
            )
    with timeline_tab:
        suggestions = [*overdue["nomor"], *at_risk["nomor"], *waiting["nomor"]]
        nomor = complaint_picker(complaints, [s for s in suggestions if s], key="sla_nomor")
        show_timeline(table, complaints, nomor)
