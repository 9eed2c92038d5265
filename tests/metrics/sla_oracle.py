"""Slow, obviously-correct per-row reference for ``metrics.sla`` (test oracle, benchmark baseline).

One complaint at a time, with plain ``datetime`` objects and the day-by-day calendar oracle
(``tests.metrics.calendar_oracle``). It shares only data with the vectorised engine (the profile's
stages, deadlines and at-risk window; the calendar's office hours and holidays), never logic.
``None`` stands for an empty date.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tests.metrics.calendar_oracle import OracleCalendar


@dataclass
class OracleItem:
    """One stage or overall deadline of one complaint."""

    key: str
    start: dt.datetime | None
    due: dt.datetime | None
    done: dt.datetime | None
    elapsed: float
    state: str
    before_start: bool = False
    paused: bool = False


@dataclass
class OracleComplaint:
    stages: list[OracleItem]
    deadlines: list[OracleItem]
    selesai: bool
    terlambat: bool
    terlambat_terbuka: bool
    selesai_tepat_waktu: bool
    selesai_tidak_wajar: bool
    hampir_jatuh_tempo: bool
    tahap_sekarang: str | None
    jatuh_tempo_berikut: dt.datetime | None
    menunggu_kelengkapan: bool = False


def _py(value: Any) -> dt.datetime | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _is_midnight(ts: dt.datetime | None) -> bool:
    return ts is not None and ts.time() == dt.time(0, 0)


class SlaOracle:
    def __init__(self, profile, calendar) -> None:
        self.profile = profile
        self.cal = OracleCalendar(calendar.office_hours, calendar.holidays)

    # ---- pieces ------------------------------------------------------------------------

    def due(self, start: dt.datetime, amount: int, unit: str) -> dt.datetime:
        """Calendar days: the end of the N-th day after the start's date (any spelling); office
        time: from the clock start."""
        if unit == "hari":
            day_end = dt.datetime.combine(start.date() + dt.timedelta(days=amount + 1), dt.time(0))
            return day_end - dt.timedelta(microseconds=1)
        return self.cal.add(self.clock_start(start), amount, unit)

    def clock_start(self, start: dt.datetime | None) -> dt.datetime | None:
        """A date without time starts the clock at the next opening."""
        return self.cal.snap_forward(start) if _is_midnight(start) else start

    def elapsed(self, start: dt.datetime | None, end: dt.datetime | None, unit: str) -> float:
        if start is None or end is None:
            return math.nan
        if unit == "menit":
            return self.cal.elapsed_minutes(start, end)
        if unit == "jam":
            return self.cal.elapsed_minutes(start, end) / 60
        if unit == "hari_kerja":
            return self.cal.elapsed_working_days(start, end)
        return max((end - start).total_seconds(), 0.0) / 86400

    # ---- the pause (Menunggu kelengkapan) --------------------------------------------------

    @staticmethod
    def pause(received, begin, resume, now) -> tuple[dt.datetime | None, dt.datetime | None, bool]:
        """(start, end, open) of the counted pause; (None, None, False) when it does not count."""
        if begin is None or received is None:
            return None, None, False
        if (begin.date() < received.date()) if _is_midnight(begin) else (begin < received):
            return None, None, False
        if begin > now or (resume is not None and resume < begin):
            return None, None, False
        if resume is None or resume > now:
            return begin, now, True
        return begin, resume, False

    def moved_due(self, start, due, done, unit, pause_start, pause_end):
        """(due, paused): the due time moved by the pause when the item runs at its start."""
        if pause_start is None or start is None or due is None:
            return due, False
        begin = max(pause_start, start)
        if not (begin < pause_end and begin < due and (done is None or done > begin)):
            return due, False
        if unit == "hari":
            return due + dt.timedelta(days=(pause_end.date() - begin.date()).days), True
        minutes = self.cal.elapsed_minutes(begin, pause_end)
        if minutes <= 0:
            return due, True
        return self.cal.add_office_minutes(due, minutes), True

    def elapsed_without_pause(self, clock, end, unit, paused, pause_start, pause_end) -> float:
        value = self.elapsed(clock, end, unit)
        if not paused or end is None or math.isnan(value):
            return value
        overlap = self.elapsed(max(pause_start, clock), min(pause_end, end), unit)
        return max(value - overlap, 0.0)

    def state(self, *, done, later, is_open, due, now, at_risk_until, measurable=True, waiting=False) -> str:
        if done is not None:
            if due is None or not measurable:
                return "selesai"
            return "selesai_tepat_waktu" if done <= due else "terlambat"
        if later:
            return "dilewati"
        if is_open:
            if due is not None and due < now:
                return "terlambat"
            if waiting:
                return "menunggu_kelengkapan"
            if due is not None and due <= at_risk_until:
                return "hampir_jatuh_tempo"
            return "berjalan"
        return "belum_berlaku"

    # ---- one complaint -----------------------------------------------------------------

    def complaint(self, dates: dict[str, Any], now: Any) -> OracleComplaint:
        """``dates`` maps a stage's column key to its date (missing = empty), and the pause columns
        ``mulai_menunggu_kelengkapan`` / ``berkas_lengkap_pada`` to theirs."""
        now_dt = _py(now)
        window = self.profile.calendar.at_risk_window
        at_risk_until = self.cal.add(now_dt, window.amount, window.unit)
        stages = self.profile.stages
        done = [_py(dates.get(s.column_key)) for s in stages]
        p_start, p_end, waiting = self.pause(
            done[0],
            _py(dates.get("mulai_menunggu_kelengkapan")),
            _py(dates.get("berkas_lengkap_pada")),
            now_dt,
        )
        items: list[OracleItem] = []
        for i, stage in enumerate(stages):
            later = any(d is not None for d in done[i + 1 :])
            if i == 0:
                items.append(
                    OracleItem(
                        stage.key,
                        done[0],
                        None,
                        done[0],
                        math.nan,
                        self.state(
                            done=done[0],
                            later=later,
                            is_open=False,
                            due=None,
                            now=now_dt,
                            at_risk_until=at_risk_until,
                        ),
                    )
                )
                continue
            earlier = [d for d in done[:i] if d is not None]
            start = earlier[-1] if earlier else None  # the last filled earlier stage
            is_open = done[i] is None and not later and done[i - 1] is not None
            clock = self.clock_start(start)
            due = None
            if stage.standard is not None and clock is not None:
                due = self.due(start, stage.standard.amount, stage.standard.unit)
            unit = stage.standard.unit if stage.standard is not None else "jam"
            due, paused = self.moved_due(start, due, done[i], unit, p_start, p_end)
            end = done[i] if done[i] is not None else (now_dt if is_open else None)
            before = False
            if done[i] is not None and start is not None:
                before = done[i].date() < start.date() if _is_midnight(done[i]) else done[i] < start
            items.append(
                OracleItem(
                    stage.key,
                    start,
                    due,
                    done[i],
                    self.elapsed_without_pause(clock, end, unit, paused, p_start, p_end),
                    self.state(
                        done=done[i],
                        later=later,
                        is_open=is_open,
                        due=due,
                        now=now_dt,
                        at_risk_until=at_risk_until,
                        waiting=waiting,
                    ),
                    before,
                    paused,
                )
            )
        keys = [s.key for s in stages]
        deadlines: list[OracleItem] = []
        for deadline in self.profile.deadlines:
            i_from, i_to = keys.index(deadline.from_stage), keys.index(deadline.to_stage)
            start, finish = done[i_from], done[i_to]
            later = any(d is not None for d in done[i_to + 1 :])
            clock = self.clock_start(start)
            due = None if clock is None else self.due(start, deadline.standard.amount, deadline.standard.unit)
            unit = deadline.standard.unit
            due, paused = self.moved_due(start, due, finish, unit, p_start, p_end)
            is_open = finish is None and not later and start is not None
            end = finish if finish is not None else (now_dt if is_open else None)
            deadlines.append(
                OracleItem(
                    deadline.key,
                    start,
                    due,
                    finish,
                    self.elapsed_without_pause(clock, end, unit, paused, p_start, p_end),
                    self.state(
                        done=finish,
                        later=later,
                        is_open=is_open,
                        due=due,
                        now=now_dt,
                        at_risk_until=at_risk_until,
                        waiting=waiting,
                    ),
                    paused=paused,
                )
            )
        settle = next(i for i, s in enumerate(stages) if s.milestone == "selesai")
        selesai = done[settle] is not None
        terlambat = any(item.state == "terlambat" for item in items + deadlines)
        # a settlement dated before the receipt (date only: an earlier day) or after now
        received, settled_at = done[0], done[settle]
        tidak_wajar = selesai and (
            settled_at > now_dt
            or (
                received is not None
                and (
                    settled_at.date() < received.date() if _is_midnight(settled_at) else settled_at < received
                )
            )
        )
        open_items = [
            item
            for item in items + deadlines
            if item.state in ("berjalan", "hampir_jatuh_tempo", "menunggu_kelengkapan")
            or (item.state == "terlambat" and item.done is None)
        ]
        current = [item.key for item in items if item in open_items]
        dues = [item.due for item in open_items if item.due is not None]
        return OracleComplaint(
            stages=items,
            deadlines=deadlines,
            selesai=selesai,
            terlambat=terlambat,
            terlambat_terbuka=not selesai and terlambat,
            selesai_tepat_waktu=selesai and not terlambat and not tidak_wajar,
            selesai_tidak_wajar=tidak_wajar,
            hampir_jatuh_tempo=any(item.state == "hampir_jatuh_tempo" for item in items + deadlines),
            tahap_sekarang=current[0] if current else None,
            jatuh_tempo_berikut=min(dues) if dues else None,
            menunggu_kelengkapan=any(item.state == "menunggu_kelengkapan" for item in items + deadlines),
        )

    def register(self, complaints: pd.DataFrame, now: Any) -> list[OracleComplaint]:
        """Every complaint of a register, row by row."""
        wanted = [s.column_key for s in self.profile.stages] + [
            "mulai_menunggu_kelengkapan",
            "berkas_lengkap_pada",
        ]
        columns = [key for key in wanted if key in complaints.columns]
        return [
            self.complaint(dict(zip(columns, row, strict=True)), now)
            for row in complaints[columns].itertuples(index=False, name=None)
        ]


def oracle_on_time_rate(results: list[OracleComplaint]) -> float:
    settled = sum(r.selesai and not r.selesai_tidak_wajar for r in results)
    open_late = sum(r.terlambat_terbuka for r in results)
    on_time = sum(r.selesai_tepat_waktu for r in results)
    return on_time / (settled + open_late) if settled + open_late else math.nan
