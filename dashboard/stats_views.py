"""Glue for Statistik Bulanan, Perbandingan Desa and Register: cached computations on the loaded
register, and their plotly figures with Indonesian labels and formats.

Heavy figures are cached with ``st.cache_resource`` keyed on the loaded register's identity
(``hash_funcs=LOADED_HASH``) plus the parameters, so a rerun (a widget change, another user) with
the same choices costs nothing; the register itself is never copied or mutated.
"""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import base_layout, count_axis
from dashboard.data import LOADED_HASH, LoadedRegister
from dashboard.filters import register_desa
from dashboard.fmt import angka, bulan_tahun
from dashboard.i18n import language, t
from dashboard.monthly_report import NO_COMPARISON, change_text
from dashboard.navigation import PAGES
from metrics import comparison, monthly
from metrics.monthly import DisplayedChange
from metrics.sla import StageTable

ALL = "__semua__"


def stages_for(loaded: LoadedRegister) -> tuple[StageTable, pd.Timestamp]:
    """The SLA stage table of the whole register (computed when it was loaded) and its now."""
    assert loaded.sla is not None, "LoadedRegister is always built with its stage table"
    return loaded.sla, loaded.sla.now


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=LOADED_HASH)
def _scope_positions(loaded: LoadedRegister, desa: tuple[str, ...]) -> np.ndarray:
    if not desa:
        return np.arange(len(loaded.complaints))
    return np.flatnonzero(loaded.complaints["desa"].isin(list(desa)).to_numpy(dtype=bool, na_value=False))


def scope(loaded: LoadedRegister, desa: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame, StageTable]:
    """Complaints, flags and stage table of the given desas (all when empty)."""
    positions = _scope_positions(loaded, desa)
    table, _ = stages_for(loaded)
    if len(positions) == len(loaded.complaints):
        return loaded.complaints, loaded.flags, table
    return loaded.complaints.iloc[positions], loaded.flags.iloc[positions], table.select(positions)


def viewer_desas(loaded: LoadedRegister, viewer) -> list[str]:
    """Desas in the register the viewer may see, sorted."""
    names = register_desa(loaded)
    return [d for d in names if viewer.covers(d)] if viewer.desa else names


def scope_desa(choice: str, allowed: list[str], viewer) -> tuple[str, ...]:
    """The desa tuple for a picker value: one desa, or every desa the viewer may see."""
    if choice != ALL:
        return (choice,)
    return tuple(allowed) if viewer.desa else ()


# --------------------------------------------------------------------------------------------
# Statistik Bulanan


def available_months(loaded: LoadedRegister, now: pd.Timestamp) -> list[pd.Period]:
    """Months from the first receipt to the current month, newest first."""
    received = loaded.complaints["tanggal_diterima"].dropna()
    last = pd.Period(now, freq="M")
    first = received.min().to_period("M") if len(received) else last
    first = min(first, last)
    return list(pd.period_range(first, last, freq="M"))[::-1]


def default_month_index(loaded: LoadedRegister, months: list[pd.Period]) -> int:
    """The month the page opens on: the newest one with a received complaint (on 1 January at
    00:05 the new month is still empty: a kepala desa opening the page wants December), else the
    newest month."""
    received = loaded.complaints["tanggal_diterima"].dropna()
    if received.empty:
        return 0
    with_data = set(received.dt.to_period("M").unique())  # a few dozen months, not a Period per row
    return next((i for i, month in enumerate(months) if month in with_data), 0)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=LOADED_HASH)
def monthly_bundle(loaded: LoadedRegister, desa: tuple[str, ...], month: str):
    """(summary, 12-month trend, list of complaints open past due at the cut-off) of a month."""
    complaints, flags, table = scope(loaded, desa)
    now = table.now
    summary = monthly.monthly_summary(complaints, flags, loaded.profile, month, now, table)
    trend = monthly.monthly_trend(complaints, flags, loaded.profile, month, now, table, months=12)
    overdue = monthly.open_overdue_list(complaints, loaded.profile, table, summary.figures.batas)
    return summary, trend, overdue


def metric_delta(change: DisplayedChange, kind: str, better: str = "off") -> dict:
    """``st.metric`` arguments of a shown change (the text of ``monthly_report.change_text``):
    ``better`` = "higher", "lower" or "off" (neither). A change rounding to 0, or without a
    comparison, has no arrow and a grey colour; otherwise the arrow follows the rounded sign and
    the colour says good (green) or bad (red)."""
    text = change_text(
        kind,
        change,
        points=t("poin", "pts"),
        no_comparison=t(NO_COMPARISON, "no comparison"),
    )
    if kind == "days" and change.value is not None:
        text = f"{text} {t('hari', 'days')}"
    if change.value is None or change.direction == 0:
        return {"delta": text, "delta_color": "gray", "delta_arrow": "off"}
    arrow = "up" if change.direction > 0 else "down"
    if better == "off":
        colour = "gray"
    else:
        good = (change.direction > 0) == (better == "higher")
        colour = "green" if good else "red"
    return {"delta": text, "delta_color": colour, "delta_arrow": arrow}


def month_rows(loaded: LoadedRegister, desa: tuple[str, ...], month: str) -> pd.DataFrame:
    """The complaints received in the month (unmasked: mask with ``for_viewer`` before showing)."""
    complaints, _, table = scope(loaded, desa)
    start, end, cut = monthly.month_bounds(month, table.now)
    received = complaints["tanggal_diterima"]
    return complaints[(received >= start) & (received < end) & (received < cut)]


def breakdown_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of a breakdown (``kunci``, ``label``, ``jumlah``), largest on top."""
    data = table.iloc[::-1]
    # metrics.monthly names empty cells in Indonesian; shown in the session's language
    labels = (
        data["label"].astype(object).where(data["kunci"] != monthly.EMPTY_LABEL, t("(kosong)", "(empty)"))
    )
    figure = go.Figure(
        go.Bar(
            x=data["jumlah"],
            y=labels,
            orientation="h",
            marker_color="#1f77b4",
            text=[angka(v) for v in data["jumlah"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:,d}<extra></extra>",
        )
    )
    figure.update_xaxes(
        title=t("Jumlah pengaduan", "Complaints"), **count_axis(float(data["jumlah"].max() or 0))
    )
    figure.update_yaxes(type="category")
    figure = base_layout(figure, title)
    figure.update_layout(hovermode="closest", height=max(220, 40 + 28 * len(data)))
    return figure


def trend_figure(trend: pd.DataFrame) -> go.Figure:
    """Received and settled per month (bars) and the on-time rate (line, right axis)."""
    labels = [bulan_tahun(p, language(), short=True) for p in trend["bulan"]]
    figure = go.Figure()
    figure.add_bar(
        x=labels,
        y=trend["diterima"],
        name=t("Diterima", "Received"),
        marker_color="#1f77b4",
        hovertemplate="%{y:,d}",
    )
    figure.add_bar(
        x=labels,
        y=trend["selesai"],
        name=t("Selesai", "Settled"),
        marker_color="#2ca02c",
        hovertemplate="%{y:,d}",
    )
    figure.add_scatter(
        x=labels,
        y=trend["tepat_waktu"] * 100,
        name=t("Tepat waktu (%)", "On time (%)"),
        yaxis="y2",
        mode="lines+markers",
        marker_color="#d62728",
        hovertemplate="%{y:,.1f}%",
    )
    figure.update_xaxes(type="category")
    figure.update_layout(
        barmode="group",
        yaxis={"title": t("Jumlah pengaduan", "Complaints"), "tickformat": ",d"},
        yaxis2={
            "title": t("Tepat waktu (%)", "On time (%)"),
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "tickvals": [0, 20, 40, 60, 80, 100],
            "ticksuffix": "%",
            "showgrid": False,
        },
    )
    return base_layout(figure)


# --------------------------------------------------------------------------------------------
# Perbandingan Desa


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=LOADED_HASH)
def comparison_bundle(
    loaded: LoadedRegister,
    desa: tuple[str, ...],
    start: str,
    end: str,
    category: str | None,
    desa_names: tuple[str, ...] = (),
):
    """(ranking table, per-stage breakdown, monthly trend per desa, distribution of days to settle)."""
    complaints, flags, _ = scope(loaded, desa)
    profile = loaded.profile
    names = tuple(d for d in desa_names if not desa or d in desa)
    table = comparison.desa_comparison(
        complaints, flags, profile, start, end, category, desa_names=names or None
    )
    stages = comparison.stage_breakdown(complaints, profile, start, end, category)
    trend = comparison.monthly_trend_per_desa(complaints, flags, profile, start, end, category)
    spread = comparison.duration_distribution(complaints, profile, start, end, category, "selesai")
    return table, stages, trend, spread


def ranking_figure(table: pd.DataFrame) -> go.Figure:
    """Median and p90 days to settle per desa, slowest on top; desas not ranked greyed."""
    data = table.dropna(subset=["median_selesai"]).iloc[::-1]
    colours = [
        "#d62728" if rank == 1 else ("#1f77b4" if ok else "#bbbbbb")
        for rank, ok in zip(data["peringkat"].fillna(0), data["cukup_data"], strict=True)
    ]
    figure = go.Figure()
    figure.add_bar(
        x=data["median_selesai"],
        y=data["desa"],
        orientation="h",
        marker_color=colours,
        name=t("Median hari sampai selesai", "Median days to settle"),
        text=[angka(v, 1) for v in data["median_selesai"]],
        textposition="auto",
        hovertemplate="%{y}: %{x:,.1f} " + t("hari", "days") + "<extra></extra>",
    )
    figure.add_scatter(
        x=data["p90_selesai"],
        y=data["desa"],
        mode="markers",
        marker={"symbol": "line-ns-open", "size": 16, "color": "#333"},
        name=t("p90 hari sampai selesai", "p90 days to settle"),
        hovertemplate="p90 %{y}: %{x:,.1f} " + t("hari", "days") + "<extra></extra>",
    )
    figure.update_xaxes(title=t("Hari sejak diterima", "Days since received"), tickformat=",.0f")
    figure.update_yaxes(type="category")
    figure = base_layout(figure)
    figure.update_layout(hovermode="closest", height=max(260, 60 + 34 * len(data)))
    return figure


def distribution_figure(spread: pd.DataFrame) -> go.Figure:
    """Box per desa from precomputed quantiles (box = kuartil 1–3, garis = persentil 10–90).

    One trace with ``x`` = the desa names: with precomputed quartiles plotly positions the boxes by
    ``x`` (not by ``name``), so without it every desa would be drawn on top of each other at x = 0.
    """
    figure = go.Figure()
    if not spread.empty:
        figure.add_trace(
            go.Box(
                x=[str(d) for d in spread["desa"]],
                q1=spread["q1"].tolist(),
                median=spread["median"].tolist(),
                q3=spread["q3"].tolist(),
                lowerfence=spread["p10"].tolist(),
                upperfence=spread["p90"].tolist(),
                boxpoints=False,
                marker_color="#1f77b4",
                name=t("Hari sampai selesai", "Days to settle"),
                hoverinfo="x+y",
            )
        )
    figure.update_xaxes(type="category", title=t("Desa", "Village"))
    figure.update_yaxes(title=t("Hari sampai selesai", "Days to settle"), tickformat=",.0f")
    figure = base_layout(figure)
    figure.update_layout(showlegend=False, hovermode="closest")
    return figure


def desa_trend_figure(trend: pd.DataFrame, value: str = "median_selesai") -> go.Figure:
    """One line per desa over the months of receipt."""
    figure = go.Figure()
    months = sorted(trend["bulan"].unique())
    labels = {p: bulan_tahun(p, language(), short=True) for p in months}
    percent = value == "tepat_waktu"
    for desa, rows in trend.groupby("desa", sort=True):
        y = rows[value] * (100 if percent else 1)
        figure.add_scatter(
            x=[labels[p] for p in rows["bulan"]],
            y=y,
            name=str(desa),
            mode="lines+markers",
            hovertemplate=f"{desa}: "
            + ("%{y:,.1f}%" if percent else "%{y:,.1f} " + t("hari", "days"))
            + "<extra></extra>",
        )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=[labels[p] for p in months])
    figure.update_yaxes(
        title=t("Tepat waktu (%)", "On time (%)")
        if percent
        else t("Median hari sampai selesai", "Median days to settle"),
        ticksuffix="%" if percent else "",
        tickformat=",.0f",
    )
    figure = base_layout(figure)
    figure.update_layout(hovermode="closest")
    return figure


def stage_figure(stages: pd.DataFrame, order: list[str]) -> go.Figure:
    """Why slow: median days per stage stacked per desa (``order`` = desas, slowest first)."""
    figure = go.Figure()
    desas = [d for d in order if d in set(stages["desa"])][::-1]
    for (_, label), rows in stages.groupby(["urutan", "label"], sort=True):
        if rows["median_hari"].notna().sum() == 0:
            continue
        values = rows.set_index("desa")["median_hari"].reindex(desas)
        figure.add_bar(
            x=values,
            y=desas,
            orientation="h",
            name=str(label),
            hovertemplate="%{y} · " + str(label) + ": %{x:,.1f} " + t("hari", "days") + "<extra></extra>",
        )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title=t("Median hari per tahap", "Median days per stage"), tickformat=",.0f")
    figure.update_yaxes(type="category")
    figure = base_layout(figure)
    figure.update_layout(hovermode="closest", height=max(300, 90 + 34 * len(desas)))
    return figure


def overdue_share_header() -> str:
    return t("Terbuka & terlambat (% pengaduan)", "Open & overdue (% of complaints)")


def ranking_rule() -> str:
    """The ranking rule in one sentence (``metrics.comparison``, *Ranking*)."""
    return t(
        "Peringkat = urutan desa menurut median hari selesai (terlama = 1) ditambah urutan menurut porsi "
        "terbuka & terlambat (terbesar = 1); jumlah terkecil mendapat peringkat 1 (paling lambat).",
        "Rank = the village's place by median days to settle (longest = 1) plus its place by share open & "
        "overdue (largest = 1); the smallest sum gets rank 1 (slowest).",
    )


def comparison_display(table: pd.DataFrame) -> pd.DataFrame:
    """The ranking table with Indonesian headers and formatted values (for display and download)."""

    def days(v):
        return round(float(v), 1) if pd.notna(v) else None

    note = t("kurang dari {n} selesai: tidak diperingkat", "fewer than {n} settled: not ranked").format(
        n=comparison.MIN_SETTLED
    )
    slowest = slowest_stage_texts(table)
    # who is slowest and why first (a 1400 px screen shows these without scrolling), details after
    return pd.DataFrame(
        {
            t("Peringkat (1 = paling lambat)", "Rank (1 = slowest)"): table["peringkat"],
            t("Desa", "Village"): table["desa"],
            # the two things the rank adds up, side by side (metrics.comparison, *Ranking*)
            t("Median hari selesai", "Median days to settle"): table["median_selesai"].map(days),
            overdue_share_header(): (table["porsi_terlambat"] * 100).round(1),
            t("Tepat waktu (%)", "On time (%)"): (table["tepat_waktu"] * 100).round(1),
            t("Tahap paling lambat", "Slowest stage"): slowest,
            t("Terbuka & terlambat", "Open & overdue"): table["terlambat_terbuka"],
            t("Pengaduan", "Complaints"): table["pengaduan"],
            t("Selesai", "Settled"): table["selesai"],
            t("Median hari jawab", "Median days to answer"): table["median_jawaban"].map(days),
            t("p90 hari jawab", "p90 days to answer"): table["p90_jawaban"].map(days),
            t("p90 hari selesai", "p90 days to settle"): table["p90_selesai"].map(days),
            t("Catatan", "Note"): ["" if ok else note for ok in table["cukup_data"]],
        }
    )


def blank_stage_reason(code: object) -> str:
    """Why *Tahap paling lambat* is blank (``metrics.comparison``'s ``tahap_lambat_alasan``)."""
    texts = {
        "tanpa_pengaduan": t("— tidak ada pengaduan pada periode ini", "— no complaint in the period"),
        "tanpa_tanggal_tahap": t(
            "— belum ada tanggal tahap setelah penerimaan", "— no stage after receipt is dated yet"
        ),
        "tidak_lebih_lambat": t(
            "— tidak ada tahap ≥ 0,5 hari lebih lambat dari median kecamatan",
            "— no stage 0.5 day or more slower than the sub-district median",
        ),
    }
    return texts.get(str(code), "") if isinstance(code, str) else ""


def slowest_stage_texts(table: pd.DataFrame) -> list[str]:
    """The full *Tahap paling lambat* text per desa: the stage and its excess, or why it is blank."""
    out = []
    for label, diff, reason in zip(
        table["tahap_lambat"].astype(object).where(table["tahap_lambat"].notna(), None),
        table["tahap_lambat_selisih"],
        table["tahap_lambat_alasan"].astype(object).where(table["tahap_lambat_alasan"].notna(), None),
        strict=True,
    ):
        if isinstance(label, str):
            out.append(
                t(
                    "{s} (+{d} hari di atas median kecamatan)",
                    "{s} (+{d} days above the sub-district median)",
                ).format(s=label, d=angka(diff, 1))
            )
        else:
            out.append(blank_stage_reason(reason))
    return out


def overdue_link(desa: object) -> str:
    """Relative link to *Pemantauan SLA* filtered on one desa (its overdue queue)."""
    url = next((p.url for p in PAGES if p.path.endswith("pemantauan_sla.py")), "pemantauan-sla")
    return f"{url}?desa={quote(str(desa))}"


def comparison_screen(display: pd.DataFrame) -> pd.DataFrame:
    """The ranking table for the screen: numbers written the Indonesian way (``10,9``, ``1.234``).

    ``st.column_config.NumberColumn`` cannot force a decimal comma (its "localized" preset follows the
    browser's locale), so the measures become text here; the downloads keep ``comparison_display``'s
    numbers. The rank stays numeric so the table still sorts by it.
    """
    screen = display.copy()
    rank = screen.columns[0]
    for column in screen.columns[1:]:
        values = screen[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        whole = pd.api.types.is_integer_dtype(values)
        screen[column] = values.map(lambda v, whole=whole: angka(v, 0 if whole else 1))
    screen[rank] = screen[rank].astype("Int64")
    return screen
