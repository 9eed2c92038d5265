"""Slow, obviously-correct per-row reference for ``metrics.workcalendar`` (test oracle, benchmark baseline).

It shares only data with the vectorised code (office hours per weekday, the holiday set), never
logic: it walks day by day with plain ``datetime`` objects. ``None`` stands for NaT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

Hours = Mapping[int, tuple[dt.time, dt.time]]


class OracleCalendar:
    def __init__(self, office_hours: Hours, holidays: frozenset[dt.date] | set[dt.date]) -> None:
        self.office_hours = dict(office_hours)
        self.holidays = set(holidays)

    # ---- days --------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.office_hours and day not in self.holidays

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """(opening, closing) of ``day`` as datetimes, or None when the office is closed all day."""
        if not self.is_working_day(day):
            return None
        opening, closing = self.office_hours[day.weekday()]
        return dt.datetime.combine(day, opening), dt.datetime.combine(day, closing)

    def is_open(self, ts: dt.datetime) -> bool:
        w = self.window(ts.date())
        return w is not None and w[0] <= ts < w[1]

    # ---- operations --------------------------------------------------------------------

    def snap_forward(self, ts: dt.datetime | None) -> dt.datetime | None:
        if ts is None:
            return None
        day = ts.date()
        while True:
            w = self.window(day)
            if w is not None:
                if ts < w[0]:
                    return w[0]
                if ts < w[1]:
                    return ts
            day += dt.timedelta(days=1)
            ts = dt.datetime.combine(day, dt.time(0, 0))

    def add_office_minutes(self, ts: dt.datetime | None, minutes: int) -> dt.datetime | None:
        """Consume ``minutes`` of open office time, day by day; a due time at closing is allowed."""
        if ts is None:
            return None
        t = self.snap_forward(ts)
        remaining = dt.timedelta(minutes=minutes)
        while True:
            w = self.window(t.date())
            if w is not None and t < w[1]:
                t = max(t, w[0])
                available = w[1] - t
                if remaining <= available:
                    return t + remaining
                remaining -= available
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1), dt.time(0, 0))

    def add_working_days(self, ts: dt.datetime | None, n: int) -> dt.datetime | None:
        if ts is None:
            return None
        start = self.snap_forward(ts)
        day, counted = start.date(), 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        opening, closing = self.window(day)
        wall = dt.datetime.combine(day, start.time())
        return min(max(wall, opening), closing)

    def add_days(self, ts: dt.datetime | None, n: int) -> dt.datetime | None:
        return None if ts is None else ts + dt.timedelta(days=n)

    def add(self, ts: dt.datetime | None, amount: int, unit: str) -> dt.datetime | None:
        if unit == "menit":
            return self.add_office_minutes(ts, amount)
        if unit == "jam":
            return self.add_office_minutes(ts, amount * 60)
        if unit == "hari_kerja":
            return self.add_working_days(ts, amount)
        if unit == "hari":
            return self.add_days(ts, amount)
        raise ValueError(unit)

    def _overlaps(self, start: dt.datetime, end: dt.datetime):
        """(overlap with the office window, window length) for each working day in [start, end]."""
        day = start.date()
        while day <= end.date():
            w = self.window(day)
            if w is not None:
                overlap = min(end, w[1]) - max(start, w[0])
                yield max(overlap, dt.timedelta(0)), w[1] - w[0]
            day += dt.timedelta(days=1)

    def elapsed_minutes(self, start: dt.datetime | None, end: dt.datetime | None) -> float:
        if start is None or end is None:
            return float("nan")
        if end <= start:
            return 0.0
        return sum((o.total_seconds() / 60 for o, _ in self._overlaps(start, end)), 0.0)

    def elapsed_working_days(self, start: dt.datetime | None, end: dt.datetime | None) -> float:
        if start is None or end is None:
            return float("nan")
        if end <= start:
            return 0.0
        return sum((o / length for o, length in self._overlaps(start, end)), 0.0)
