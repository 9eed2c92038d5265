"""Complaint-level deadline figures for the overview: flags per complaint and the on-time rate of
DESIGN §3 (settled on time / (settled + open and already overdue)).

The rules (stage starts, due times, the date-without-time rule, late / at risk) live in one place,
``metrics.sla``; this module only keeps the small API the overview pages use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from metrics import sla

if TYPE_CHECKING:
    from metrics.profiles import Profile
    from metrics.workcalendar import WorkCalendar

FLAG_COLUMNS = ("selesai", "terlambat", "terlambat_terbuka", "selesai_tepat_waktu")


def settle_column(profile: Profile) -> str:
    """Canonical key of the date column that marks a complaint settled."""
    return profile.milestone_stage("selesai").column_key


def deadline_table(
    complaints: pd.DataFrame, profile: Profile, calendar: WorkCalendar, now: Any
) -> pd.DataFrame:
    """Per complaint and overall deadline: ``<key>_jatuh_tempo``, ``<key>_selesai``,
    ``<key>_terlambat`` and ``<key>_status`` (see ``metrics.sla.deadline_table``)."""
    return sla.deadline_table(sla.stage_table(complaints, profile, calendar, now))


def complaint_flags(
    complaints: pd.DataFrame, profile: Profile, calendar: WorkCalendar, now: Any
) -> pd.DataFrame:
    """Per complaint: ``selesai`` (settled), ``terlambat`` (a stage standard or overall deadline
    missed), ``terlambat_terbuka`` (open and already late), ``selesai_tepat_waktu`` and the other
    ``metrics.sla.sla_status`` columns. Use ``sla.sla_status(table)`` when the stage table is
    already computed."""
    return sla.sla_status(sla.stage_table(complaints, profile, calendar, now))


def on_time_rate(flags: pd.DataFrame) -> float:
    """Settled on time / (settled + open and late); NaN when there is nothing to count. A
    settlement with an impossible date (``selesai_tidak_wajar``) is left out."""
    settled = flags["selesai"]
    if "selesai_tidak_wajar" in flags.columns:
        settled = settled & ~flags["selesai_tidak_wajar"]
    denominator = int(settled.sum() + flags["terlambat_terbuka"].sum())
    if denominator == 0:
        return float(np.nan)
    return float(flags["selesai_tepat_waktu"].sum()) / denominator
