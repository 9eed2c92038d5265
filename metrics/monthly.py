"""Monthly statistics for the kepala desa (page *Statistik Bulanan*, the *Laporan Bulanan*).

Cipari SOP: the officer "menyusun laporan dan statistik pengelolaan pengaduan kepada kepala desa".
Pure pandas/numpy: no streamlit, no I/O, inputs never modified.

Definitions (shown in the page help and the report)
--------------------------------------------------
Month
    A calendar month of the register's own timestamps, which are naive *local* wall time of the
    profile's time zone: ``[day 1 00:00, day 1 of the next month 00:00)``. A complaint received
    31 January 23:30 counts in January, one received 1 February 00:00 in February.
Cut-off ("akhir bulan")
    The start of the next month, or ``now`` while the month is still running (the current month).
    Stocks (open backlog, open and overdue) are counted at the cut-off, strictly before it.
Received (``diterima``)
    Complaints whose *Tanggal Diterima* falls in the month.
Settled (``selesai``)
    Complaints whose ``selesai`` milestone date falls in the month, whenever received.
Open backlog (``terbuka``)
    Received before the cut-off and not settled before the cut-off.
Open and overdue (``terlambat_terbuka``)
    Of the backlog, those that were late at the cut-off by the rule of ``metrics.sla`` (a stage
    standard or an overall deadline such as jawaban 14 hari / selesai 60 hari done after its due
    time, or still open at the cut-off past its due time), judged at the cut-off instead of now.
Became overdue (``terlambat_baru``)
    Of the open and overdue, those that were not yet late at the start of the month (open and
    late then): the complaints this month let slip. Without a stage table (flags judged at now)
    approximated by the overdue received in the month.
On-time rate (``tepat_waktu``)
    DESIGN §3 per month: settled in the month and on time (nothing late at the cut-off) /
    (settled in the month + open and *became* overdue in the month). Counting only closed items
    would show a false 100% for a month that let complaints slip; counting every old overdue
    complaint again in each month would pull every month down by the same stuck backlog (one
    complaint stuck for two years would count in 24 monthly reports). Each overdue complaint
    counts once while open (the month it slipped) and once when settled late. The whole overdue
    backlog stays visible as ``terlambat_terbuka`` and in the overdue list. NaN when the
    denominator is 0.
Times (``waktu``)
    For each milestone (``verifikasi``, ``jawaban``, ``selesai``): the complaints whose milestone
    date falls in the month; days = (milestone date - Tanggal Diterima) / 24 hours, calendar days,
    fractional (1 day 12 hours = 1.5). Negative values (data errors) are left out. ``median`` and
    ``p90`` (90th percentile) use linear interpolation between order statistics (numpy/pandas
    default): p90 of 1..10 days = 9.1 days.
Breakdowns
    ``kategori``, ``saluran``, ``urgensi``: complaints received in the month. ``tahap``: the open
    backlog at the cut-off by the stage it had reached then, read from the stage dates (the furthest
    stage of the SOP whose date is before the cut-off), so a past month shows its own situation and
    not today's *Tahap* column.
Change
    Against the previous month and the same month one year earlier, each computed with the same
    rules (their own cut-offs). What is *shown* comes from ``displayed_change``: the change rounded
    as displayed (counts whole, percentages to 0.1 point, days to 0.1 day); a change that rounds
    to 0 has no direction (no arrow, neutral colour), and a month compared with one that has no
    data at all (before the register's first complaint) has no comparison ("tidak ada
    pembanding"), so page, PDF and XLSX agree on sign and rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.stages import NAT, stage_model, stage_model_of_dates

if TYPE_CHECKING:
    from metrics.profiles import Profile
    from metrics.sla import StageTable

__all__ = [
    "MILESTONES",
    "MonthFigures",
    "MonthlySummary",
    "late_as_of",
    "lateness_as_of",
    "DisplayedChange",
    "breakdown",
    "days_between",
    "displayed_change",
    "month_bounds",
    "month_figures",
    "monthly_summary",
    "monthly_trend",
    "open_overdue_list",
    "quantiles",
    "stage_at",
]

MILESTONES = ("verifikasi", "jawaban", "selesai")
_NS_PER_DAY = 86_400 * 10**9
BREAKDOWNS = ("kategori", "saluran", "urgensi", "tahap")
EMPTY_LABEL = "(kosong)"


@dataclass(frozen=True)
class MonthFigures:
    """The figures of one month (definitions in the module docstring)."""

    bulan: pd.Period
    batas: pd.Timestamp  # cut-off: start of next month, or now for the current month
    diterima: int
    selesai: int
    terbuka: int
    terlambat_terbuka: int
    selesai_tepat_waktu: int
    # milestone -> (median days, p90 days, count)
    waktu: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    # of ``terlambat_terbuka``: those received before this month (the backlog from earlier months)
    terlambat_lama: int = 0
    # of ``terlambat_terbuka``: those not yet late at the start of the month
    terlambat_baru: int = 0

    # of ``selesai``: settled with a date before the receipt (left out of the on-time rate)
    selesai_tidak_wajar: int = 0

    @property
    def tepat_waktu(self) -> float:
        denominator = self.selesai - self.selesai_tidak_wajar + self.terlambat_baru
        return float("nan") if denominator == 0 else self.selesai_tepat_waktu / denominator

    @property
    def has_data(self) -> bool:
        """Anything to compare with: a complaint received, settled or open in the month."""
        return bool(self.diterima or self.selesai or self.terbuka)

    def value(self, name: str) -> float:
        """A figure by name: counts, ``tepat_waktu``, ``median_<milestone>``, ``p90_<milestone>``."""
        if name.startswith(("median_", "p90_")):
            kind, milestone = name.split("_", 1)
            median, p90, _ = self.waktu.get(milestone, (np.nan, np.nan, 0))
            return median if kind == "median" else p90
        return float(getattr(self, name))


@dataclass(frozen=True)
class MonthlySummary:
    figures: MonthFigures
    previous: MonthFigures  # the month before
    last_year: MonthFigures  # the same month one year earlier
    breakdowns: dict[str, pd.DataFrame]  # name -> columns kunci, label, jumlah

    @property
    def bulan(self) -> pd.Period:
        return self.figures.bulan

    def change(self, name: str, against: str = "previous") -> float:
        """This month's figure minus the previous month's (or last year's with ``"last_year"``)."""
        other = self.previous if against == "previous" else self.last_year
        return self.figures.value(name) - other.value(name)

    def displayed_change(self, name: str, kind: str, against: str = "previous") -> DisplayedChange:
        """The change of a figure as shown (``displayed_change``); ``kind``: count, percent, days."""
        other = self.previous if against == "previous" else self.last_year
        return displayed_change(
            kind, self.figures.value(name), other.value(name), before_has_data=other.has_data
        )


# decimals of a change as displayed: counts whole, percentage points and days to one decimal
CHANGE_DECIMALS = {"count": 0, "percent": 1, "days": 1}


@dataclass(frozen=True)
class DisplayedChange:
    """A change rounded as displayed: ``value`` in display units (count, percentage points, days;
    None = not computable), ``direction`` -1/0/+1 of the rounded value, ``no_comparison`` when
    the month compared with has no data at all (shown "tidak ada pembanding")."""

    value: float | None
    direction: int
    no_comparison: bool = False

    @property
    def comparable(self) -> bool:
        return self.value is not None


def displayed_change(
    kind: str, now: float, before: float, *, before_has_data: bool = True
) -> DisplayedChange:
    """The one rule for a shown change (module docstring, *Change*): rounded to the displayed
    decimals (percent in points), ``-0.0`` becomes 0 with direction 0; None when either value is
    missing or ``before`` is a month without data."""
    values = (now, before)
    if not before_has_data:
        return DisplayedChange(None, 0, no_comparison=True)
    if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in values):
        return DisplayedChange(None, 0)
    diff = float(now) - float(before)
    if kind == "percent":
        diff *= 100
    rounded = round(diff, CHANGE_DECIMALS[kind]) + 0.0  # + 0.0 turns -0.0 into 0.0
    if rounded == 0:
        rounded = 0.0
    return DisplayedChange(rounded, (rounded > 0) - (rounded < 0))


# --------------------------------------------------------------------------------------------
# Building blocks


def month_bounds(
    month: pd.Period | str, now: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """(start, end, cut-off) of a month: ``[start, end)`` and the cut-off ``min(end, now)``."""
    period = pd.Period(month, freq="M")
    start = period.start_time.as_unit("ns")
    end = (period + 1).start_time.as_unit("ns")
    return start, end, min(end, pd.Timestamp(now).as_unit("ns"))


def _dates(complaints: pd.DataFrame, key: str | None) -> pd.Series:
    if key is None or key not in complaints.columns:
        return pd.Series(pd.NaT, index=complaints.index, dtype="datetime64[ns]")
    return complaints[key]


def days_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar days from ``start`` to ``end``, fractional; NaN when either is missing or negative."""
    days = (end - start) / pd.Timedelta(days=1)
    return days.where(days >= 0)


def quantiles(days: pd.Series) -> tuple[float, float, int]:
    """(median, p90, count) of a series of days (NaN ignored; linear interpolation)."""
    values = days.dropna().to_numpy(dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan"), 0
    median, p90 = np.percentile(values, [50, 90])
    return float(median), float(p90), len(values)


def milestone_key(profile: Profile, milestone: str) -> str | None:
    stage = profile.milestone_stage(milestone)
    return None if stage is None else stage.column_key


def _obligations(table: StageTable, as_of: pd.Timestamp):
    """Per timed obligation (each stage after receipt, each overall deadline) as of ``as_of``:
    label, due, done (int64 ns, NaT unless done before ``as_of``), done before ``as_of`` and open
    at ``as_of`` (bool arrays) — from the one stage model (``metrics.stages``) as of that moment."""
    model = stage_model_of_dates(table.done, table.stages, table.index, as_of=as_of)
    index_of = {key: i for i, key in enumerate(table.stage_keys)}
    for i in range(1, len(table.stages)):
        yield (
            table.stages[i].label,
            table.due[i].view(np.int64),
            model.done[i],
            model.filled[i],
            model.open[i],
        )
    for j, deadline in enumerate(table.deadlines):
        i_from, i_to = index_of[deadline.from_stage], index_of[deadline.to_stage]
        yield (
            deadline.label,
            table.deadline_due[j].view(np.int64),
            model.done[i_to],
            model.filled[i_to],
            model.deadline_open(i_from, i_to),
        )


def late_as_of(table: StageTable, as_of: pd.Timestamp) -> np.ndarray:
    """Per complaint (bool array): late at ``as_of`` by the rule of ``lateness_as_of`` (the
    fast path: no labels or days)."""
    cut = int(pd.Timestamp(as_of).as_unit("ns").value)
    late = np.zeros(len(table), dtype=bool)
    for _label, due, done, done_by, pending in _obligations(table, as_of):
        late |= (due != NAT) & ((done_by & (done > due)) | (pending & (due < cut)))
    return late


def lateness_as_of(table: StageTable, as_of: pd.Timestamp) -> pd.DataFrame:
    """The late rule of ``metrics.sla`` judged at ``as_of`` instead of now, per complaint:
    ``terlambat`` (a stage standard or overall deadline done late before ``as_of``, or open at
    ``as_of`` past its due time), and of the worst such obligation ``batas`` (its label),
    ``jatuh_tempo`` and ``hari`` (days late: to the date it was done, or to ``as_of``).

    Open and done at ``as_of`` come from ``metrics.stages.stage_model_of_dates(..., as_of=as_of)``
    (the same rules as ``metrics.sla``): with ``as_of`` = the table's now this equals ``sla_status``."""
    cut = int(pd.Timestamp(as_of).as_unit("ns").value)
    n = len(table)
    worst = np.full(n, np.nan)
    worst_due = np.full(n, NAT, dtype=np.int64)
    worst_label = np.full(n, None, dtype=object)
    for label, due, done, done_by, pending in _obligations(table, as_of):
        has_due = due != NAT
        until = np.where(done_by, done, cut)
        late = has_due & ((done_by & (done > due)) | (pending & (due < cut)))
        days = np.where(late, (until - due) / _NS_PER_DAY, np.nan)
        better = late & ~(days <= worst)
        worst = np.where(better, days, worst)
        worst_due = np.where(better, due, worst_due)
        worst_label[better] = label
    return pd.DataFrame(
        {
            "terlambat": ~np.isnan(worst),
            "batas": pd.array(worst_label, dtype="string"),
            "jatuh_tempo": worst_due.view("datetime64[ns]"),
            "hari": worst,
        },
        index=table.index,
    )


def stage_at(complaints: pd.DataFrame, profile: Profile, as_of: pd.Timestamp) -> pd.Series:
    """Key of the furthest SOP stage whose date is before ``as_of`` (the first stage when none):
    ``furthest`` of the stage model as of ``as_of``."""
    model = stage_model(complaints, profile, as_of=as_of)
    return model.position_keys(np.maximum(model.furthest, 0))


def breakdown(values: pd.Series, terms: tuple = (), *, keep_all_terms: bool = False) -> pd.DataFrame:
    """Counts per value: columns ``kunci``, ``label`` (profile label, else the text as written,
    ``(kosong)`` when empty) and ``jumlah``. Profile terms first in profile order when
    ``keep_all_terms`` (zeros included), else by count, largest first."""
    counts = values.fillna(EMPTY_LABEL).astype("string").value_counts(sort=False)
    labels = {term.key: term.label for term in terms}
    if keep_all_terms:
        order = [term.key for term in terms] + sorted(k for k in counts.index if k not in labels)
    else:
        order = sorted(counts.index, key=lambda k: (-int(counts[k]), str(k)))
    return pd.DataFrame(
        {
            "kunci": pd.array(order, dtype="string"),
            "label": pd.array([labels.get(k, k) for k in order], dtype="string"),
            "jumlah": np.array([int(counts.get(k, 0)) for k in order], dtype="int64"),
        }
    )


# --------------------------------------------------------------------------------------------
# The figures


def month_figures(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    month: pd.Period | str,
    now: pd.Timestamp,
    stages: StageTable | None = None,
) -> MonthFigures:
    """Counts, on-time rate and times of one month (module docstring).

    ``stages`` (``metrics.sla.stage_table`` of the same complaints) lets past months be judged at
    their own cut-off. Without it the late flags of ``flags`` (judged at now) stand in: exact for
    the current month, an approximation for past ones.
    """
    start, end, cut = month_bounds(month, now)
    received = complaints["tanggal_diterima"]
    settled_at = _dates(complaints, milestone_key(profile, "selesai"))
    in_month = (received >= start) & (received < end)
    settled_in_month = (settled_at >= start) & (settled_at < end) & (settled_at < cut)
    open_at_cut = (received < cut) & ~(settled_at < cut)
    open_at_start = (received < start) & ~(settled_at < start)
    if stages is not None:
        late = pd.Series(late_as_of(stages, cut), index=stages.index)
        late_at_start = pd.Series(late_as_of(stages, start), index=stages.index)
        late_at_start = late_at_start.reindex(complaints.index, fill_value=False).astype(bool) & open_at_start
    else:
        late = flags["terlambat"]
        late_at_start = received < start  # approximation: the overdue received before the month
    late = late.reindex(complaints.index, fill_value=False).astype(bool)
    impossible = settled_in_month & _settled_before_receipt(received, settled_at)
    waktu = {}
    for milestone in MILESTONES:
        key = milestone_key(profile, milestone)
        if key is None:
            waktu[milestone] = (float("nan"), float("nan"), 0)
            continue
        at = complaints[key]
        reached = (at >= start) & (at < end) & (at < cut)
        waktu[milestone] = quantiles(days_between(received[reached], at[reached]))
    return MonthFigures(
        bulan=pd.Period(month, freq="M"),
        batas=cut,
        diterima=int((in_month & (received < cut)).sum()),
        selesai=int(settled_in_month.sum()),
        terbuka=int(open_at_cut.sum()),
        terlambat_terbuka=int((open_at_cut & late).sum()),
        selesai_tepat_waktu=int((settled_in_month & ~late & ~impossible).sum()),
        selesai_tidak_wajar=int(impossible.sum()),
        waktu=waktu,
        terlambat_lama=int((open_at_cut & late & (received < start)).sum()),
        terlambat_baru=int((open_at_cut & late & ~late_at_start).sum()),
    )


def _settled_before_receipt(received: pd.Series, settled_at: pd.Series) -> pd.Series:
    """Settled before received (a settlement date without a time: an earlier day), the rule of
    ``metrics.sla.impossible_settlement``; a settlement after the cut-off is never in a month."""
    midnight = settled_at == settled_at.dt.normalize()
    floor = received.where(~midnight, received.dt.normalize())
    return (settled_at < floor).fillna(False).astype(bool)


def monthly_summary(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    month: pd.Period | str,
    now: pd.Timestamp,
    stages: StageTable | None = None,
) -> MonthlySummary:
    """The month's figures, the previous month's and last year's, and the breakdowns."""
    period = pd.Period(month, freq="M")
    figures = month_figures(complaints, flags, profile, period, now, stages)
    start, end, cut = month_bounds(period, now)
    received = complaints["tanggal_diterima"]
    in_month = (received >= start) & (received < end) & (received < cut)
    settled_at = _dates(complaints, milestone_key(profile, "selesai"))
    backlog = (received < cut) & ~(settled_at < cut)
    month_rows = complaints[in_month]
    settle_stage = profile.milestone_stage("selesai")
    open_stages = tuple(
        stage for stage in profile.stages if settle_stage is None or stage.key != settle_stage.key
    )
    breakdowns = {
        "kategori": breakdown(month_rows["kategori"], profile.categories),
        "saluran": breakdown(month_rows["saluran"], profile.channels),
        "urgensi": breakdown(month_rows["urgensi"], profile.urgencies, keep_all_terms=True),
        "tahap": breakdown(stage_at(complaints[backlog], profile, cut), open_stages, keep_all_terms=True),
    }
    return MonthlySummary(
        figures=figures,
        previous=month_figures(complaints, flags, profile, period - 1, now, stages),
        last_year=month_figures(complaints, flags, profile, period - 12, now, stages),
        breakdowns=breakdowns,
    )


def monthly_trend(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    month: pd.Period | str,
    now: pd.Timestamp,
    stages: StageTable | None = None,
    months: int = 12,
) -> pd.DataFrame:
    """The ``months`` months up to ``month``: ``bulan``, ``diterima``, ``selesai``, ``terbuka``,
    ``terlambat_terbuka``, ``tepat_waktu`` and ``median_selesai`` (days), oldest first."""
    last = pd.Period(month, freq="M")
    rows = []
    for offset in range(months - 1, -1, -1):
        f = month_figures(complaints, flags, profile, last - offset, now, stages)
        rows.append(
            {
                "bulan": f.bulan,
                "diterima": f.diterima,
                "selesai": f.selesai,
                "terbuka": f.terbuka,
                "terlambat_terbuka": f.terlambat_terbuka,
                "tepat_waktu": f.tepat_waktu,
                "median_selesai": f.waktu["selesai"][0],
            }
        )
    return pd.DataFrame(rows)


def open_overdue_list(
    complaints: pd.DataFrame,
    profile: Profile,
    stages: StageTable,
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """Complaints open at ``as_of`` and late then (the ``terlambat_terbuka`` of ``month_figures``
    at the same cut-off), without personal data: ``nomor``, ``desa``, ``kategori``, ``tahap``
    (stage reached, key), ``batas`` (the missed stage standard or deadline, label),
    ``jatuh_tempo`` and ``terlambat_hari`` (whole days late), the most overdue first."""
    received = complaints["tanggal_diterima"]
    settled_at = _dates(complaints, milestone_key(profile, "selesai"))
    late = lateness_as_of(stages, as_of)
    rows = (received < as_of) & ~(settled_at < as_of) & late["terlambat"]
    picked = complaints[rows]
    out = pd.DataFrame(
        {
            "nomor": picked["nomor"],
            "desa": picked["desa"],
            "kategori": picked["kategori"],
            "tahap": stage_at(picked, profile, as_of),
            "batas": late.loc[rows, "batas"],
            "jatuh_tempo": late.loc[rows, "jatuh_tempo"],
            "terlambat_hari": np.floor(late.loc[rows, "hari"]).astype("int64"),
        }
    )
    return out.sort_values(["terlambat_hari", "nomor"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
