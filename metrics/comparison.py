"""Comparing desas for the kecamatan (page *Perbandingan Desa*): who is slow, and at which stage.

Pure pandas/numpy: no streamlit, no I/O, inputs never modified.

Definitions
-----------
Period
    Complaints *received* in ``[start, end]`` (``end`` counts as a whole day), local wall time, of
    the chosen category (all when ``category`` is None). Every figure of a desa is about these
    complaints (a receipt cohort), so desas are compared on the same footing. A complaint whose
    receipt date is unreadable cannot be placed in a period: it is kept (it counts in
    ``pengaduan`` and, when open and late, in ``terlambat_terbuka``; it has no days to settle).
    The default period (``default_period``) is the 12 months up to the register's last receipt,
    so a register of last year opens on last year.
Days to answer / to settle
    Calendar days, fractional, from *Tanggal Diterima* to the ``jawaban`` / ``selesai`` milestone
    date, of the complaints that reached it (negative values = data errors, left out). Median and
    p90 with linear interpolation (as in ``metrics.monthly``).
On-time rate
    DESIGN §3 on the desa's complaints with the register's flags (judged now): settled on time /
    (settled + open and overdue).
Ranking (``peringkat``)
    Slowest first, on settled speed *and* open overdue: each ranked desa gets a place by median
    days to settle (largest first, ties by p90) and a place by its share of complaints open and
    overdue (``porsi_terlambat``, largest first); ``skor`` = the sum of the two places (average
    places for ties), smallest = slowest; ties by the open-overdue place, then median days to
    settle, then on-time rate (lower first). So a desa that settles fast but leaves many
    complaints open and late is not ranked fastest. A desa with fewer than ``MIN_SETTLED`` (5)
    settled complaints in the period is listed with ``cukup_data`` False and no rank.
    ``fastest_desa`` names the last ranked desa that does not hold the most open-overdue
    complaints.
Why slow (``stage_breakdown``)
    Days spent in each SOP stage: from the date of the previous stage (the last filled earlier
    stage when a petugas skipped one, as the SLA engine does) to the stage's own date; median per
    desa and stage, next to the kecamatan's median for the same stage. ``tahap_lambat`` of a desa
    is the stage where its median exceeds the kecamatan's the most (by at least 0.5 day).
    ``tahap_lambat_alasan`` says why it is blank: ``tanpa_pengaduan`` (no complaint in the
    period), ``tanpa_tanggal_tahap`` (no stage after receipt dated), ``tidak_lebih_lambat`` (no
    stage 0.5 day or more slower than the kecamatan's median); NA when a stage is named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.monthly import days_between, milestone_key
from metrics.stages import NAT, stage_model

if TYPE_CHECKING:
    from metrics.profiles import Profile

__all__ = [
    "MIN_SETTLED",
    "default_period",
    "desa_comparison",
    "fastest_desa",
    "duration_distribution",
    "monthly_trend_per_desa",
    "period_mask",
    "slowest_stage",
    "stage_breakdown",
    "stage_durations",
]

MIN_SETTLED = 5
COMPARISON_COLUMNS = (
    "desa",
    "pengaduan",
    "selesai",
    "median_jawaban",
    "p90_jawaban",
    "median_selesai",
    "p90_selesai",
    "tepat_waktu",
    "terlambat_terbuka",
    "cukup_data",
    "peringkat",
    "tahap_lambat",
    "tahap_lambat_selisih",
    "tahap_lambat_alasan",
    "porsi_terlambat",
    "skor",
)
_NO_DESA = "(tanpa desa)"


def period_mask(
    complaints: pd.DataFrame, start: object | None, end: object | None, category: str | None = None
) -> pd.Series:
    """Complaints received in ``[start, end]`` (end inclusive, whole day) of ``category``."""
    mask = pd.Series(True, index=complaints.index)
    received = complaints["tanggal_diterima"]
    undated = received.isna()  # cannot be placed in a period: kept (module docstring)
    if start is not None:
        mask &= (received >= pd.Timestamp(start)) | undated
    if end is not None:
        mask &= (received < pd.Timestamp(end).normalize() + pd.Timedelta(days=1)) | undated
    if category is not None:
        mask &= complaints["kategori"] == category
    return mask.fillna(False).astype(bool)


def _impossible(flags: pd.DataFrame) -> pd.Series:
    """``selesai_tidak_wajar`` of ``metrics.sla.sla_status`` (settled before receipt or in the
    future: left out of on-time figures); all False for flags without it."""
    if "selesai_tidak_wajar" not in flags.columns:
        return pd.Series(False, index=flags.index)
    return flags["selesai_tidak_wajar"].astype(bool)


def _desa(complaints: pd.DataFrame) -> pd.Series:
    return complaints["desa"].fillna(_NO_DESA).astype("string")


def _days_to(complaints: pd.DataFrame, profile: Profile, milestone: str) -> pd.Series:
    key = milestone_key(profile, milestone)
    if key is None:
        return pd.Series(np.nan, index=complaints.index)
    return days_between(complaints["tanggal_diterima"], complaints[key])


def desa_comparison(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    start: object | None,
    end: object | None,
    category: str | None = None,
    *,
    desa_names: tuple[str, ...] | list[str] | None = None,
    min_settled: int = MIN_SETTLED,
) -> pd.DataFrame:
    """One row per desa (``COMPARISON_COLUMNS``), ranked slowest first (module docstring).

    ``desa_names`` (the kecamatan's desas) adds desas without complaints in the period as rows of
    zeros, so no desa silently disappears from the table.
    """
    mask = period_mask(complaints, start, end, category)
    rows = complaints[mask]
    f = flags[mask]
    desa = _desa(rows)
    answer = _days_to(rows, profile, "jawaban")
    settle = _days_to(rows, profile, "selesai")
    table = pd.DataFrame(
        {
            "desa": desa,
            "answer": answer,
            "settle": settle,
            "selesai": f["selesai"].astype(bool),
            "tepat": f["selesai_tepat_waktu"].astype(bool),
            "terlambat_terbuka": f["terlambat_terbuka"].astype(bool),
            "selesai_wajar": f["selesai"].astype(bool) & ~_impossible(f),
        }
    )
    grouped = table.groupby("desa", sort=True, observed=True)
    out = pd.DataFrame(
        {
            "pengaduan": grouped.size(),
            "selesai": grouped["selesai"].sum(),
            "median_jawaban": grouped["answer"].median(),
            "p90_jawaban": grouped["answer"].quantile(0.9),
            "median_selesai": grouped["settle"].median(),
            "p90_selesai": grouped["settle"].quantile(0.9),
            "tepat": grouped["tepat"].sum(),
            "terlambat_terbuka": grouped["terlambat_terbuka"].sum(),
            "selesai_wajar": grouped["selesai_wajar"].sum(),
        }
    )
    if desa_names:
        out = out.reindex(sorted(set(out.index) | {str(d) for d in desa_names}))
        for column in ("pengaduan", "selesai", "tepat", "terlambat_terbuka", "selesai_wajar"):
            out[column] = out[column].fillna(0)
    out.index.name = "desa"
    out = out.reset_index()
    for column in ("pengaduan", "selesai", "tepat", "terlambat_terbuka", "selesai_wajar"):
        out[column] = out[column].astype("int64")
    denominator = out["selesai_wajar"] + out["terlambat_terbuka"]  # impossible settlement dates left out
    out["tepat_waktu"] = (out["tepat"] / denominator.where(denominator > 0)).astype("float64")
    out["cukup_data"] = out["selesai"] >= min_settled
    out["porsi_terlambat"] = (out["terlambat_terbuka"] / out["pengaduan"].where(out["pengaduan"] > 0)).astype(
        "float64"
    )
    ranked = _ranked(out[out["cukup_data"]])
    out["skor"] = ranked["skor"].reindex(out.index).astype("float64")
    out["peringkat"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[ranked.index, "peringkat"] = np.arange(1, len(ranked) + 1)
    breakdown = stage_breakdown(complaints, profile, start, end, category)
    slow = slowest_stage(breakdown)
    out = out.merge(slow, on="desa", how="left")
    out["tahap_lambat_alasan"] = _blank_reason(out, breakdown)
    out["desa"] = out["desa"].astype("string")
    out = out.sort_values(["peringkat", "desa"], na_position="last", kind="stable").reset_index(drop=True)
    return out[list(COMPARISON_COLUMNS)]


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """The ranked desas slowest first with their ``skor`` (module docstring, *Ranking*)."""
    speed = table["median_selesai"].fillna(-np.inf) + table["p90_selesai"].fillna(0) * 1e-9
    speed_place = speed.rank(ascending=False, method="average")
    overdue_place = table["porsi_terlambat"].fillna(0).rank(ascending=False, method="average")
    work = table.assign(skor=speed_place + overdue_place, _overdue=overdue_place)
    return work.sort_values(
        ["skor", "_overdue", "median_selesai", "tepat_waktu", "desa"],
        ascending=[True, True, False, True, True],
        na_position="last",
        kind="stable",
    )


def _blank_reason(table: pd.DataFrame, breakdown: pd.DataFrame) -> pd.Series:
    """Why ``tahap_lambat`` is blank per row of ``table`` (module docstring); NA when named."""
    dated = set(breakdown.loc[breakdown["n"] > 0, "desa"].astype(str)) if len(breakdown) else set()
    reason = np.where(
        table["pengaduan"] == 0,
        "tanpa_pengaduan",
        np.where(table["desa"].astype(str).isin(dated), "tidak_lebih_lambat", "tanpa_tanggal_tahap"),
    )
    return pd.Series(reason, index=table.index, dtype="string").mask(table["tahap_lambat"].notna())


def fastest_desa(table: pd.DataFrame) -> str | None:
    """The desa to call fastest: the last ranked one that does not hold the most open-overdue
    complaints (when any desa has one); None with fewer than two ranked desas."""
    ranked = table[table["peringkat"].notna()].sort_values("peringkat", kind="stable")
    if len(ranked) < 2:
        return None
    most = int(table["terlambat_terbuka"].max())
    candidates = ranked if most == 0 else ranked[ranked["terlambat_terbuka"] < most]
    if candidates.empty or candidates.index[-1] == ranked.index[0]:
        return None
    return str(candidates["desa"].iloc[-1])


def default_period(received: pd.Series, now: pd.Timestamp) -> tuple[object, object]:
    """(start, end) dates the page opens on: from the first of the month 12 months before the
    register's last receipt (not before its first) to the later of that receipt and ``now``."""
    dates = received.dropna()
    today = pd.Timestamp(now).normalize()
    if dates.empty:
        return (today - pd.DateOffset(months=12)).replace(day=1).date(), today.date()
    first, last = dates.min().normalize(), dates.max().normalize()
    start = max(first, (last - pd.DateOffset(months=12)).replace(day=1))
    return start.date(), max(last, today).date()


def stage_durations(complaints: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Calendar days (fractional) spent in each stage after the first, one column per stage key:
    from the last filled earlier stage's date to the stage's date; NaN when the stage has no date,
    nothing earlier is filled, or the dates run backwards (a data error)."""
    model = stage_model(complaints, profile)
    out = {}
    for i, stage in enumerate(profile.stages[1:], start=1):
        done, start = model.done[i], model.start[i]
        valid = model.filled[i] & (start != NAT)
        days = np.full(len(complaints), np.nan)
        days[valid] = (done[valid] - start[valid]) / (86_400 * 10**9)
        days[days < 0] = np.nan
        out[stage.key] = days
    return pd.DataFrame(out, index=complaints.index)


def stage_breakdown(
    complaints: pd.DataFrame,
    profile: Profile,
    start: object | None,
    end: object | None,
    category: str | None = None,
) -> pd.DataFrame:
    """Why a desa is slow: per desa and stage (SOP order) ``median_hari``, ``n``, the kecamatan's
    ``median_kecamatan`` for the stage and ``selisih`` (desa minus kecamatan, days).

    Columns: ``desa``, ``urutan``, ``tahap`` (key), ``label``, ``median_hari``, ``n``,
    ``median_kecamatan``, ``selisih``.
    """
    rows = complaints[period_mask(complaints, start, end, category)]
    durations = stage_durations(rows, profile)
    columns = ["desa", "urutan", "tahap", "label", "median_hari", "n", "median_kecamatan", "selisih"]
    if durations.empty or durations.shape[1] == 0:
        return pd.DataFrame(columns=columns)
    durations.insert(0, "desa", _desa(rows))
    grouped = durations.groupby("desa", sort=True, observed=True)
    medians = grouped.median()
    counts = grouped.count()
    overall = durations.drop(columns="desa").median()
    order = {stage.key: i for i, stage in enumerate(profile.stages)}
    labels = {stage.key: stage.label for stage in profile.stages}
    long = medians.stack(future_stack=True).rename("median_hari").to_frame()
    long["n"] = counts.stack(future_stack=True).astype("int64")
    long = long.reset_index()
    long.columns = ["desa", "tahap", "median_hari", "n"]
    long["urutan"] = long["tahap"].map(order).astype("int64")
    long["label"] = long["tahap"].map(labels).astype("string")
    long["median_kecamatan"] = long["tahap"].map(overall).astype("float64")
    long["selisih"] = long["median_hari"] - long["median_kecamatan"]
    long["desa"] = long["desa"].astype("string")
    long["tahap"] = long["tahap"].astype("string")
    return long.sort_values(["desa", "urutan"], kind="stable").reset_index(drop=True)[columns]


def slowest_stage(breakdown: pd.DataFrame, min_excess: float = 0.5) -> pd.DataFrame:
    """Per desa the stage whose median exceeds the kecamatan's the most: ``desa``,
    ``tahap_lambat`` (stage label; NA when no stage is at least ``min_excess`` days slower than
    the kecamatan's) and ``tahap_lambat_selisih`` (days above the kecamatan median)."""
    columns = ["desa", "tahap_lambat", "tahap_lambat_selisih"]
    slower = breakdown[breakdown["selisih"] >= min_excess] if len(breakdown) else breakdown
    if slower.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="string" if c != "tahap_lambat_selisih" else "float64") for c in columns}
        )
    top = slower.sort_values(["desa", "selisih"], ascending=[True, False], kind="stable").drop_duplicates(
        "desa"
    )
    return pd.DataFrame(
        {
            "desa": top["desa"].astype("string").to_numpy(),
            "tahap_lambat": top["label"].astype("string").to_numpy(),
            "tahap_lambat_selisih": top["selisih"].astype("float64").to_numpy(),
        }
    )


def monthly_trend_per_desa(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    start: object | None,
    end: object | None,
    category: str | None = None,
) -> pd.DataFrame:
    """Per desa and month of receipt: ``pengaduan``, ``median_selesai`` (days, of those settled),
    ``tepat_waktu`` (on-time rate of that month's complaints, judged now). Columns ``desa``,
    ``bulan`` (Period[M]), then those."""
    mask = period_mask(complaints, start, end, category) & complaints["tanggal_diterima"].notna()
    rows = complaints[mask]
    f = flags[mask]
    table = pd.DataFrame(
        {
            "desa": _desa(rows),
            "bulan": rows["tanggal_diterima"].dt.to_period("M"),
            "settle": _days_to(rows, profile, "selesai"),
            "selesai": f["selesai"].astype(bool),
            "tepat": f["selesai_tepat_waktu"].astype(bool),
            "terlambat_terbuka": f["terlambat_terbuka"].astype(bool),
            "selesai_wajar": f["selesai"].astype(bool) & ~_impossible(f),
        }
    )
    grouped = table.groupby(["desa", "bulan"], sort=True, observed=True)
    out = pd.DataFrame(
        {
            "pengaduan": grouped.size(),
            "median_selesai": grouped["settle"].median(),
            "tepat": grouped["tepat"].sum(),
            "denominator": grouped["selesai_wajar"].sum() + grouped["terlambat_terbuka"].sum(),
        }
    ).reset_index()
    out["tepat_waktu"] = (out["tepat"] / out["denominator"].where(out["denominator"] > 0)).astype("float64")
    out["desa"] = out["desa"].astype("string")
    out["pengaduan"] = out["pengaduan"].astype("int64")
    return out[["desa", "bulan", "pengaduan", "median_selesai", "tepat_waktu"]]


def duration_distribution(
    complaints: pd.DataFrame,
    profile: Profile,
    start: object | None,
    end: object | None,
    category: str | None = None,
    milestone: str = "selesai",
) -> pd.DataFrame:
    """Distribution of days to ``milestone`` per desa, summarised for a box chart (so 100k
    complaints are not sent to the browser): ``desa``, ``n``, ``p10``, ``q1``, ``median``, ``q3``,
    ``p90``, ``maks``."""
    rows = complaints[period_mask(complaints, start, end, category)]
    days = pd.DataFrame({"desa": _desa(rows), "hari": _days_to(rows, profile, milestone)}).dropna()
    grouped = days.groupby("desa", sort=True, observed=True)["hari"]
    out = pd.DataFrame(
        {
            "n": grouped.size(),
            "p10": grouped.quantile(0.1),
            "q1": grouped.quantile(0.25),
            "median": grouped.median(),
            "q3": grouped.quantile(0.75),
            "p90": grouped.quantile(0.9),
            "maks": grouped.max(),
        }
    ).reset_index()
    out["desa"] = out["desa"].astype("string")
    out["n"] = out["n"].astype("int64")
    return out
