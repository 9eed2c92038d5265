"""Overall deadlines of each complaint (e.g. jawaban ≤ 14 hari, selesai ≤ 60 hari) and the
on-time rate of DESIGN §3: settled on time / (settled + open and already overdue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from metrics.profiles import Profile
    from metrics.workcalendar import WorkCalendar


def settle_column(profile: Profile) -> str:
    """Canonical key of the date column that marks a complaint settled."""
    return profile.milestone_stage("selesai").column_key


def deadline_table(complaints: pd.DataFrame, profile: Profile, calendar: WorkCalendar, now: pd.Timestamp) -> pd.DataFrame:
    """Per complaint and overall deadline: due time, done time and whether it is late.

    Columns ``<key>_jatuh_tempo``, ``<key>_selesai`` and ``<key>_terlambat`` for each deadline key
    of the profile. A deadline whose start date is missing has no due time and is never late.
    """
    out = pd.DataFrame(index=complaints.index)
    for deadline in profile.deadlines:
        start = complaints[profile.stage(deadline.from_stage).column_key]
        done = complaints[profile.stage(deadline.to_stage).column_key]
        due = calendar.add(start, deadline.standard)
        late_done = done.notna() & due.notna() & (done > due)
        late_open = done.isna() & due.notna() & (due < now)
        out[f"{deadline.key}_jatuh_tempo"] = due
        out[f"{deadline.key}_selesai"] = done
        out[f"{deadline.key}_terlambat"] = (late_done | late_open).to_numpy()
    return out


def complaint_flags(complaints: pd.DataFrame, profile: Profile, calendar: WorkCalendar, now: pd.Timestamp) -> pd.DataFrame:
    """``selesai`` (settled), ``terlambat`` (any overall deadline missed), ``terlambat_terbuka``
    (open and already overdue) and ``selesai_tepat_waktu`` per complaint."""
    table = deadline_table(complaints, profile, calendar, now)
    late_columns = [c for c in table.columns if c.endswith("_terlambat")]
    late = table[late_columns].any(axis=1) if late_columns else pd.Series(False, index=complaints.index)
    settled = complaints[settle_column(profile)].notna()
    return pd.DataFrame(
        {
            "selesai": settled,
            "terlambat": late,
            "terlambat_terbuka": ~settled & late,
            "selesai_tepat_waktu": settled & ~late,
        },
        index=complaints.index,
    )


def on_time_rate(flags: pd.DataFrame) -> float:
    """Settled on time / (settled + open and overdue); NaN when there is nothing to count."""
    denominator = int(flags["selesai"].sum() + flags["terlambat_terbuka"].sum())
    if denominator == 0:
        return float(np.nan)
    return float(flags["selesai_tepat_waktu"].sum()) / denominator
