"""Plotly figures with Indonesian labels and number formats."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.fmt import PLOTLY_SEPARATORS, bulan_tahun
from dashboard.i18n import language, t


def base_layout(figure: go.Figure, title: str | None = None) -> go.Figure:
    figure.update_layout(
        separators=PLOTLY_SEPARATORS,
        title=title,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        hovermode="x unified",
    )
    return figure


def count_axis(largest: float) -> dict:
    """Axis settings for counts: whole numbers only. Plotly picks half steps for small ranges,
    and ``,d`` then prints them rounded: 0 0 1 1 2 2."""
    settings: dict = {"tickformat": ",d", "rangemode": "tozero"}
    if not largest or largest <= 10:
        settings["dtick"] = 1
    return settings


# Day-first numeric dates on time axes: plotly's own tick labels use English month names.
DAY_FIRST_TICKS = [
    {"dtickrange": [None, 86_400_000], "value": "%d/%m %H:%M"},
    {"dtickrange": [86_400_000, None], "value": "%d/%m/%Y"},
]


def day_first_time_axis(figure: go.Figure) -> go.Figure:
    """A date x axis labelled ``24/11/2026`` (``24/11 14:30`` when zoomed into a day)."""
    figure.update_xaxes(type="date", tickformatstops=DAY_FIRST_TICKS)
    return figure


def monthly_counts_figure(per_month: pd.DataFrame) -> go.Figure:
    """Received vs settled per month (from metrics.overview.complaints_per_month)."""
    labels = [bulan_tahun(p, language(), short=True) for p in per_month["bulan"]]
    figure = go.Figure()
    figure.add_bar(x=labels, y=per_month["diterima"], name=t("Diterima", "Received"), marker_color="#1f77b4")
    figure.add_scatter(
        x=labels,
        y=per_month["selesai"],
        name=t("Selesai", "Settled"),
        mode="lines+markers",
        marker_color="#2ca02c",
    )
    figure.update_xaxes(type="category")
    largest = float(max(per_month["diterima"].max(), per_month["selesai"].max())) if len(per_month) else 0.0
    figure.update_yaxes(title=t("Jumlah pengaduan", "Complaints"), **count_axis(largest))
    return base_layout(figure)
