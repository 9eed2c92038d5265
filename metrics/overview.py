"""Figures of the overview page (Ringkasan)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.sla import on_time_rate


@dataclass(frozen=True)
class OverviewFigures:
    total: int
    open: int
    settled_this_month: int
    overdue: int
    on_time_rate: float


def select_complaints(
    complaints: pd.DataFrame, desa: list[str] | None, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> pd.Series:
    """Mask of complaints of the chosen desas received in [start, end] (end inclusive, whole day).

    A complaint whose receipt date is unreadable cannot be placed in a period: it stays in (it is a
    complaint and counts in Total and Open; Kualitas Data lists its date).
    """
    mask = pd.Series(True, index=complaints.index)
    if desa:
        mask &= complaints["desa"].isin(desa)
    received = complaints["tanggal_diterima"]
    undated = received.isna()
    if start is not None:
        mask &= (received >= start) | undated
    if end is not None:
        mask &= (received < (pd.Timestamp(end).normalize() + pd.Timedelta(days=1))) | undated
    return mask


def overview_figures(
    complaints: pd.DataFrame, flags: pd.DataFrame, settle_key: str, now: pd.Timestamp
) -> OverviewFigures:
    """Total, open, settled in ``now``'s month, open-and-overdue and the on-time rate."""
    settled_at = complaints[settle_key]
    month_start = now.normalize().replace(day=1)
    return OverviewFigures(
        total=len(complaints),
        open=int((~flags["selesai"]).sum()),
        settled_this_month=int(((settled_at >= month_start) & (settled_at <= now)).sum()),
        overdue=int(flags["terlambat_terbuka"].sum()),
        on_time_rate=on_time_rate(flags),
    )


def complaints_per_month(complaints: pd.DataFrame, settle_key: str) -> pd.DataFrame:
    """Received and settled counts per calendar month (local time), months without any included."""
    received = complaints["tanggal_diterima"].dropna().dt.to_period("M").value_counts()
    settled = complaints[settle_key].dropna().dt.to_period("M").value_counts()
    present = [index for index in (received.index, settled.index) if len(index)]
    if not present:
        return pd.DataFrame(columns=["bulan", "diterima", "selesai"])
    months = pd.period_range(min(i.min() for i in present), max(i.max() for i in present), freq="M")
    return pd.DataFrame(
        {
            "bulan": months,
            "diterima": received.reindex(months, fill_value=0).to_numpy(),
            "selesai": settled.reindex(months, fill_value=0).to_numpy(),
        }
    )
