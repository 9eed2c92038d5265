"""Stage and SLA engine: per complaint and SOP stage the start, due, done, elapsed time and state,
the profile's overall deadlines, and the views built on them (status per complaint, the overdue and
at-risk queues, the stage funnel, one complaint's timeline).

Pure and vectorised: every rule below is applied to whole columns at once (numpy, one loop over the
≤ 17 stages of a profile, never over complaints). The per-row reference in
``tests/metrics/sla_oracle.py`` implements the same rules one complaint at a time.

Rules (shown to users in the help of the *Pemantauan SLA* page)
---------------------------------------------------------------
Stage start, filled, skipped, open
    From the one stage model, ``metrics.stages`` (see its docstring): the receipt starts the
    clock; every later stage starts at the date of the **last filled earlier stage** in SOP order.
Due time
    ``calendar.add(start, stage.standard)`` with the work calendar (office hours, working days,
    public holidays and cuti bersama; see ``metrics.workcalendar``). A stage without a standard, and
    the receipt stage (nothing earlier to measure from), have no due time.
Date without a time — one rule, whatever the spelling
    A date typed without a time is read as midnight (00:00), the start of that day.
    *Calendar days* (``hari``) count dates, not hours: the due time is the end (23:59:59) of the
    N-th day after the start's date, with or without a time and whether or not the office is open
    (received "24/01/2026" or "24/01/2026 10:27", a Saturday, + 14 hari = due by 07/02/2026
    23:59). *Office time* (``menit``, ``jam``, ``hari kerja``) runs only in office hours: a date
    without a time starts the clock at that day's opening, or the next opening when the office is
    closed that day, exactly like a time typed outside office hours (Saturday "24/01/2026" and
    "24/01/2026 10:27" both start Monday 07:30).
    *As a completion* a date without a time counts as done that day, before any due time on that
    day: done "7 Maret" is on time for a due time of 7 Maret 11:30, late for 6 Maret 16:00. (This
    follows from reading it as 00:00; a stage completed "that day" is never flagged as done before
    a start later that same day.)
State of a stage (``STATES``)
    - ``selesai_tepat_waktu``: done at or before the due time;
    - ``terlambat``: done after the due time, or still open and now is past the due time;
    - ``hampir_jatuh_tempo``: open, not late, and the due time falls within the profile's
      ``calendar.at_risk_window`` counted from now with the calendar
      (``calendar.add(now, window) >= due``, i.e. now >= due minus the window; default 1 hari kerja);
    - ``berjalan``: open (the previous stage is done, this one is not) and not at risk;
    - ``belum_berlaku``: not started yet, an earlier stage is still open;
    - ``selesai``: done, but there is nothing to measure (no standard, or no start date);
    - ``dilewati``: left empty although a later stage is filled. Neither open nor late: the complaint
      has moved on (the data-quality check lists such gaps).
    - ``menunggu_kelengkapan``: open while the complaint's pause is open (see below).
    A stage is *open* as in ``metrics.stages``; then its elapsed time runs up to now.
Done before it started
    A stage whose date is earlier than its start (for a date without time: an earlier *day*) is
    flagged in ``before_start`` (a data error, listed by the data-quality check). It is not an error
    for the engine: its elapsed time is 0 and it is on time.
Elapsed time
    In the unit of the stage's standard: minutes (``menit``) or hours (``jam``) of office time,
    working days (``hari kerja``, fractional, see ``WorkCalendar.elapsed_working_days``) or
    calendar days (``hari``). Stages without a standard: office hours (``jam``).
Overall deadlines (profile ``[[deadlines]]``)
    From the date of the ``from`` stage (itself, no fallback) to the date of the ``to`` stage, with
    the same states: ``terlambat`` when done late or open past due; open while the ``to`` stage is
    empty and no later stage is filled (else ``dilewati``); ``belum_berlaku`` without a start date.
Menunggu kelengkapan (a pause while the file is incomplete; Perpres 76/2013 counts from a complete file)
    The pause is read by the stage model (``metrics.stages.pause_spans``: one per complaint, from
    ``Mulai Menunggu Kelengkapan`` to ``Berkas Lengkap Pada``, or to now while open). It *moves*
    the due time of a stage or overall deadline that is running when the file is found incomplete:
    its clock started, it is not done yet and it is not already past due. Counted from the later of
    the pause's start and the item's start, up to the pause's end, the paused span is added in the
    unit of the item's standard: *office time* for ``menit``, ``jam`` and ``hari kerja`` (the office
    minutes of the span are added to the due time in office time, so a pause of five whole working
    days moves a due time by five working days, and nights, weekends and holidays inside the pause
    add nothing); *calendar days* for ``hari`` (the number of dates from the pause's start to its
    end: paused 3 Maret 10:00 until 8 Maret 09:00 = 5 days; a pause within one day adds none).
    Elapsed figures leave the paused part out (measured like the elapsed time). While the pause is
    open the due time keeps moving with now, so the item is never late or at risk; its state is
    ``menunggu_kelengkapan`` (an item already late when the pause started stays ``terlambat``: a
    pause cannot undo a missed standard). After the resume the clock runs again from the moved
    due time. Items that start after the resume are not moved.
Complaint (``sla_status``)
    *selesai* = the ``selesai`` milestone's date is filled. *terlambat* = any stage or overall
    deadline is ``terlambat``. A settlement dated before the receipt (for a date without a time:
    an earlier *day*) or after now is impossible (``selesai_tidak_wajar``, listed by the
    data-quality check): still a settled complaint, but never on time and left out of the
    on-time rate. On-time rate (DESIGN §3) = settled and not late / (settled + open and
    late); see ``on_time_rate``.

Layout
------
``StageTable`` is *wide*: one numpy array per stage and field (start, due, done, elapsed, state,
before_start), all aligned with the complaints' rows. At 1M complaints x 17 stages this is about
0.5 GB instead of a 17M-row long frame with an index per row, each stage is computed with a few
whole-column calls, and a done column is the register's own array (no copy). ``StageTable.long``
gives the long (complaint x stage) frame for the rows a view needs; ``frame`` gives one field as a
wide DataFrame.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from metrics.durations import Duration
from metrics.stages import PauseSpans, carry_start, pause_spans, stage_model

if TYPE_CHECKING:
    from metrics.profiles import Deadline, Profile, Stage
    from metrics.workcalendar import WorkCalendar

__all__ = [
    "FLAG_COLUMNS",
    "STATES",
    "StageTable",
    "at_risk_queue",
    "complaint_flags",
    "complaint_timeline",
    "deadline_summary",
    "deadline_table",
    "impossible_settlement",
    "open_obligation_count",
    "on_time_rate",
    "open_obligations",
    "overdue_queue",
    "settle_column",
    "sla_status",
    "stage_funnel",
    "stage_table",
    "stage_unit",
    "waiting_queue",
]

STATES: tuple[str, ...] = (
    "belum_berlaku",
    "berjalan",
    "hampir_jatuh_tempo",
    "terlambat",
    "selesai_tepat_waktu",
    "selesai",
    "dilewati",
    "menunggu_kelengkapan",
)
BELUM_BERLAKU, BERJALAN, HAMPIR_JATUH_TEMPO, TERLAMBAT, SELESAI_TEPAT_WAKTU, SELESAI, DILEWATI = range(7)
MENUNGGU_KELENGKAPAN = 7
_STATE_CODE = {name: code for code, name in enumerate(STATES)}

_NAT = np.iinfo(np.int64).min
_NS_PER_DAY = 86_400 * 10**9
_NAT_STAMP = np.datetime64("NaT", "ns")
_NS_PER_MINUTE = 60 * 10**9
_UNIT_FOR_NO_STANDARD = "jam"

# Columns of the per-complaint status (``sla_status``); the first four are the
# ``complaint_flags`` contract used by the overview (``FLAG_COLUMNS``).
STATUS_COLUMNS = (
    "selesai",
    "terlambat",
    "terlambat_terbuka",
    "selesai_tepat_waktu",
    "selesai_tidak_wajar",
    "hampir_jatuh_tempo",
    "tahap_terlambat",
    "batas_terlambat",
    "tahap_sebelum_mulai",
    "tahap_sekarang",
    "jatuh_tempo_berikut",
    "status",
    "menunggu_kelengkapan",
)
COMPLAINT_STATES = (
    "berjalan",
    "hampir_jatuh_tempo",
    "terlambat",
    "selesai_tepat_waktu",
    "menunggu_kelengkapan",
)
FLAG_COLUMNS = STATUS_COLUMNS[:4]


def stage_unit(stage: Stage | Deadline) -> str:
    """Unit of a stage's elapsed figures: its standard's unit, office hours (``jam``) without one."""
    return stage.standard.unit if stage.standard is not None else _UNIT_FOR_NO_STANDARD


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class StageTable:
    """SLA figures of every complaint (rows, aligned with ``index``) and stage / overall deadline.

    Per stage ``i`` (in SOP order, ``stages[i]``) the arrays ``start[i]``, ``due[i]``, ``done[i]``
    (``datetime64[ns]``, NaT when empty), ``elapsed[i]`` (float, in ``stage_unit(stages[i])``, NaN
    when not started), ``state[i]`` (int8 codes into ``STATES``) and ``before_start[i]`` (bool).
    The same per overall deadline in the ``deadline_*`` fields. The pause: ``pause_start``,
    ``pause_end`` (``datetime64[ns]`` per complaint), ``pause_open`` and per stage / deadline
    ``paused`` / ``deadline_paused`` (bool: the pause moved its due time). Arrays are read-only.
    """

    index: pd.Index
    stages: tuple[Stage, ...]
    deadlines: tuple[Deadline, ...]
    now: pd.Timestamp
    at_risk_until: pd.Timestamp  # calendar.add(now, at_risk_window): a due time up to here is at risk
    settle_stage: int  # position of the ``selesai`` milestone stage
    calendar: WorkCalendar
    start: tuple[np.ndarray, ...]
    due: tuple[np.ndarray, ...]
    done: tuple[np.ndarray, ...]
    state: tuple[np.ndarray, ...]
    before_start: tuple[np.ndarray, ...]
    deadline_start: tuple[np.ndarray, ...]
    deadline_due: tuple[np.ndarray, ...]
    deadline_done: tuple[np.ndarray, ...]
    deadline_state: tuple[np.ndarray, ...]
    # the pause (*Menunggu kelengkapan*): per complaint its counted span (NaT when none; the end is
    # now while open) and whether it is open; per stage / deadline whether it moved the due time
    pause_start: np.ndarray
    pause_end: np.ndarray
    pause_open: np.ndarray
    paused: tuple[np.ndarray, ...]
    deadline_paused: tuple[np.ndarray, ...]
    _lazy: dict[str, tuple[np.ndarray, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lazy", {})

    def __len__(self) -> int:
        return len(self.index)

    # Elapsed figures are computed on first use (the funnel, a timeline): loading the register and
    # the queues do not need them, and a page usually needs them for its filtered rows only.
    @property
    def elapsed(self) -> tuple[np.ndarray, ...]:
        """Per stage: elapsed time from start to done (or to now while open) in ``stage_unit``."""
        return self._computed(
            "elapsed",
            lambda: tuple(
                self._without_pause(values, self.start[i], self.done[i], self.paused[i], stage_unit(stage))
                for i, (values, stage) in enumerate(zip(self._elapsed_of_stages(), self.stages, strict=True))
            ),
        )

    @property
    def deadline_elapsed(self) -> tuple[np.ndarray, ...]:
        """Per overall deadline: elapsed time from its start to done (or to now while open)."""
        return self._computed(
            "deadline_elapsed",
            lambda: tuple(self._elapsed_of_deadline(j) for j in range(len(self.deadlines))),
        )

    def _computed(self, name: str, make: Callable[[], tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
        if name not in self._lazy:
            self._lazy[name] = tuple(_readonly(a) for a in make())  # concurrent callers: at worst twice
        return self._lazy[name]

    def _elapsed_of_stages(self) -> tuple[np.ndarray, ...]:
        n, count = len(self), len(self.stages)
        units = [stage_unit(stage) for stage in self.stages]
        office = [i for i in range(1, count) if units[i] in ("menit", "jam")]
        done = [d.view(np.int64) for d in self.done]
        out: dict[int, np.ndarray] = {0: np.full(n, np.nan)}  # the receipt: nothing earlier to measure from
        others = [i for i in range(1, count) if i not in office]
        with _executor(n) as pool:
            # other units (hari kerja, hari) in the background while the office stages run here
            pending = (
                pool.map(
                    lambda i: self._elapsed_between(self.start[i], self.done[i], self.state[i], units[i]),
                    others,
                )
                if others
                else iter(())
            )
            if office:
                # Office time = difference of office positions (WorkCalendar.office_position),
                # computed once per date column. A stage starts at the last filled earlier stage
                # (``start``); a date without time has the position of its clock start (next opening).
                positions = list(pool.map(self.calendar.office_position, self.done[: max(office) + 1]))
                now_pos = int(
                    self.calendar.office_position(np.array([self.now.value], dtype="datetime64[ns]"))[0]
                )
                filled_before = [d != _NAT for d in done[: max(office)]]
                for i, last in carry_start(filled_before, positions, upto=max(office)):
                    positions[i - 1] = None  # free it as soon as used
                    if i in office:
                        filled = done[i] != _NAT
                        measured = (filled | _open(self.state[i], self.done[i])) & (last != _NAT)
                        end = np.where(filled, positions[i], now_pos)  # done, else now (while open)
                        out[i] = _office_elapsed(last, end, measured, units[i])
                        del end, measured, filled
                del positions
            out.update(zip(others, pending, strict=True))
        return tuple(out[i] for i in range(count))

    def _elapsed_of_deadline(self, j: int) -> np.ndarray:
        unit = self.deadlines[j].standard.unit
        elapsed = self._elapsed_between(
            self.deadline_start[j], self.deadline_done[j], self.deadline_state[j], unit
        )
        return self._without_pause(
            elapsed, self.deadline_start[j], self.deadline_done[j], self.deadline_paused[j], unit
        )

    def _without_pause(
        self, elapsed: np.ndarray, start: np.ndarray, done: np.ndarray, paused: np.ndarray, unit: str
    ) -> np.ndarray:
        """Elapsed time minus the paused part (module docstring, *Menunggu kelengkapan*): the pause
        from the later of its start and the clock start, up to the earlier of its end and done (or
        now), measured like the elapsed time itself; never below 0."""
        rows = np.flatnonzero(paused)
        if not len(rows):
            return elapsed
        clock = _clock_start(start.view(np.int64)[rows], self.calendar)
        done_ns = done.view(np.int64)[rows]
        end = np.where(done_ns != _NAT, done_ns, int(self.now.value))
        overlap = _elapsed(
            self.calendar,
            np.maximum(self.pause_start.view(np.int64)[rows], clock),
            np.minimum(self.pause_end.view(np.int64)[rows], end),
            unit,
        )
        out = elapsed.copy()
        out[rows] = np.maximum(elapsed[rows] - np.nan_to_num(overlap), 0.0)
        return out

    def _elapsed_between(
        self, start: np.ndarray, done: np.ndarray, state: np.ndarray, unit: str
    ) -> np.ndarray:
        done_ns = done.view(np.int64)
        end = np.where(done_ns != _NAT, done_ns, np.where(_open(state, done), int(self.now.value), _NAT))
        return _elapsed(self.calendar, _clock_start(start.view(np.int64), self.calendar), end, unit)

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(stage.key for stage in self.stages)

    def select(self, rows: pd.Series | np.ndarray | Sequence[int]) -> StageTable:
        """The table of some complaints: ``rows`` is a boolean mask (a Series aligned on the
        complaints' index, or an array) or integer positions."""
        if isinstance(rows, pd.Series):
            if rows.dtype == bool:
                rows = rows.reindex(self.index, fill_value=False).to_numpy()
            else:
                rows = rows.to_numpy()
        take = np.asarray(rows)
        if take.dtype == bool:
            take = np.flatnonzero(take)

        def pick(arrays: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
            return tuple(_readonly(a[take]) for a in arrays)

        selected = replace(
            self,
            index=self.index[take],
            start=pick(self.start),
            due=pick(self.due),
            done=pick(self.done),
            state=pick(self.state),
            before_start=pick(self.before_start),
            deadline_start=pick(self.deadline_start),
            deadline_due=pick(self.deadline_due),
            deadline_done=pick(self.deadline_done),
            deadline_state=pick(self.deadline_state),
            pause_start=_readonly(self.pause_start[take]),
            pause_end=_readonly(self.pause_end[take]),
            pause_open=_readonly(self.pause_open[take]),
            paused=pick(self.paused),
            deadline_paused=pick(self.deadline_paused),
        )
        for name, arrays in self._lazy.items():
            selected._lazy[name] = pick(arrays)
        return selected

    def frame(self, field: str) -> pd.DataFrame:
        """One field (``start``, ``due``, ``done``, ``elapsed``, ``state``, ``before_start``) as a
        wide DataFrame: one column per stage key, the complaints' index. States are categorical."""
        arrays = getattr(self, field)
        data = {key: _column(field, values) for key, values in zip(self.stage_keys, arrays, strict=True)}
        return pd.DataFrame(data, index=self.index)

    def long(self, rows: Sequence[int] | np.ndarray | None = None, *, deadlines: bool = True) -> pd.DataFrame:
        """Long format (complaint x stage, then complaint x overall deadline) for the rows at
        positions ``rows`` (all rows when None; mind the size at 1M complaints).

        Columns: ``posisi`` (row position), ``indeks`` (complaints' index label), ``jenis``
        (``tahap``/``batas``), ``urutan``, ``kunci``, ``label``, ``standar`` (text, "" when
        none), ``satuan``, ``mulai``, ``jatuh_tempo``, ``selesai``, ``waktu`` (elapsed, in
        ``satuan``, without the paused span), ``status``, ``sebelum_mulai``, ``jeda_mulai`` /
        ``jeda_selesai`` (the pause that moved this item's due time; NaT when none).
        """
        positions = np.arange(len(self)) if rows is None else np.asarray(rows, dtype=np.int64)
        parts: list[pd.DataFrame] = []
        items: list[tuple[str, int, Any, tuple[np.ndarray, ...]]] = [
            (
                "tahap",
                i,
                stage,
                (
                    self.start[i],
                    self.due[i],
                    self.done[i],
                    self.elapsed[i],
                    self.state[i],
                    self.before_start[i],
                    self.paused[i],
                ),
            )
            for i, stage in enumerate(self.stages)
        ]
        if deadlines:
            items += [
                (
                    "batas",
                    j,
                    deadline,
                    (
                        self.deadline_start[j],
                        self.deadline_due[j],
                        self.deadline_done[j],
                        self.deadline_elapsed[j],
                        self.deadline_state[j],
                        np.zeros(len(self), dtype=bool),
                        self.deadline_paused[j],
                    ),
                )
                for j, deadline in enumerate(self.deadlines)
            ]
        for kind, order, item, (start, due, done, elapsed, state, before, jeda) in items:
            parts.append(
                pd.DataFrame(
                    {
                        "posisi": positions,
                        "indeks": self.index[positions],
                        "jenis": kind,
                        "urutan": order,
                        "kunci": item.key,
                        "label": item.label,
                        "standar": "" if item.standard is None else str(item.standard),
                        "satuan": stage_unit(item),
                        "mulai": start[positions],
                        "jatuh_tempo": due[positions],
                        "selesai": done[positions],
                        "waktu": elapsed[positions],
                        "status": _states(state[positions]),
                        "sebelum_mulai": before[positions],
                        "jeda_mulai": np.where(jeda[positions], self.pause_start[positions], _NAT_STAMP),
                        "jeda_selesai": np.where(jeda[positions], self.pause_end[positions], _NAT_STAMP),
                    }
                )
            )
        if not parts:
            return pd.DataFrame()
        frame = pd.concat(parts, ignore_index=True)
        return frame.sort_values(
            ["posisi", "jenis", "urutan"], ascending=[True, False, True], kind="stable", ignore_index=True
        )


# --------------------------------------------------------------------------------------------
# Computing it
# --------------------------------------------------------------------------------------------


def stage_table(
    complaints: pd.DataFrame, profile: Profile, calendar: WorkCalendar, now: pd.Timestamp | Any
) -> StageTable:
    """Start, due, done, elapsed, state and before-start flag of every complaint and stage, and of
    every overall deadline of the profile (rules in the module docstring).

    ``complaints`` is ``Register.complaints`` (stage date columns by canonical key, datetime64 naive
    local time; a missing column counts as empty). ``now`` is naive local wall time (like the
    sheet's timestamps). ``complaints`` is not modified.
    """
    now_ts = _naive_now(now, calendar)
    now_ns = int(now_ts.value)
    window: Duration = profile.calendar.at_risk_window
    at_risk_until = pd.Timestamp(calendar.add(now_ts, window)).as_unit("ns")
    risk_ns = int(at_risk_until.value)
    n = len(complaints)
    stages = tuple(profile.stages)
    count = len(stages)

    # filled / skipped / open stages and stage starts: the one stage model (``metrics.stages``)
    model = stage_model(complaints, stages, timezone=calendar.timezone)
    done, filled, later, starts, current = model.done, model.filled, model.later, model.start, model.open
    index_of = {stage.key: i for i, stage in enumerate(stages)}
    pause = pause_spans(complaints, done[0] if count else _nat_array(n), now_ts, calendar.timezone)

    # Stages with an office-time standard (menit/jam): the due time is the start's office position
    # plus the standard. Positions are computed once per date column (a date without time has the
    # position of the next opening, its clock start) and carried from the stage each start comes
    # from (``StageModel.carry_start``).
    _prepare_calendar(calendar, done[0])
    office = [
        i
        for i in range(1, count)
        if (standard := stages[i].standard) is not None and standard.unit in ("menit", "jam")
    ]
    start_pos: dict[int, np.ndarray] = {}
    if office:
        with _executor(n) as pool:
            positions = list(
                pool.map(calendar.office_position, [d.view("datetime64[ns]") for d in done[: max(office)]])
            )
        for i, last_pos in model.carry_start(positions, upto=max(office)):
            if i in office:
                start_pos[i] = last_pos
        del positions

    def stage_work(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        start, standard = starts[i], (stages[i].standard if i else None)
        if i in start_pos and standard is not None:
            due = _add_office(calendar, start_pos[i], standard)
        elif standard is not None:
            due = _due(calendar, start, standard)
        else:
            due = _nat_array(n)
        due, paused = _paused_due(calendar, pause, start, due, done[i], stage_unit(stages[i]))
        state = _state_codes(
            filled[i], later[i], current[i], done[i], due, now_ns, risk_ns, i == 0, pause.open
        )
        if i == 0:
            return due, state, np.zeros(n, dtype=bool), paused
        flagged = filled[i] & (start != _NAT) & (done[i] < _floor_if_midnight(done[i], start))
        return due, state, flagged, paused

    def deadline_work(deadline: Deadline) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        i_from, i_to = index_of[deadline.from_stage], index_of[deadline.to_stage]
        start = done[i_from]
        due = _due(calendar, start, deadline.standard)
        due, paused = _paused_due(calendar, pause, start, due, done[i_to], deadline.standard.unit)
        is_open = model.deadline_open(i_from, i_to)
        state = _state_codes(
            filled[i_to], later[i_to], is_open, done[i_to], due, now_ns, risk_ns, False, pause.open
        )
        return due, state, paused

    # Stages and deadlines are independent once the starts are known; numpy releases the GIL in the
    # heavy parts, so two threads use two cores on big registers.
    with _executor(n) as pool:
        stage_results = list(pool.map(stage_work, range(count)))
        deadline_results = list(pool.map(deadline_work, profile.deadlines))

    settle = profile.milestone_stage("selesai")
    return StageTable(
        index=complaints.index,
        stages=stages,
        deadlines=tuple(profile.deadlines),
        now=now_ts,
        at_risk_until=at_risk_until,
        settle_stage=index_of[settle.key] if settle is not None else count - 1,
        calendar=calendar,
        start=_stamps(starts),
        due=_stamps([r[0] for r in stage_results]),
        done=_stamps(done),
        state=_frozen([r[1] for r in stage_results]),
        before_start=_frozen([r[2] for r in stage_results]),
        deadline_start=_stamps([done[index_of[d.from_stage]] for d in profile.deadlines]),
        deadline_due=_stamps([r[0] for r in deadline_results]),
        deadline_done=_stamps([done[index_of[d.to_stage]] for d in profile.deadlines]),
        deadline_state=_frozen([r[1] for r in deadline_results]),
        pause_start=_readonly(pause.start.view("datetime64[ns]")),
        pause_end=_readonly(pause.end.view("datetime64[ns]")),
        pause_open=_readonly(pause.open),
        paused=_frozen([r[3] for r in stage_results]),
        deadline_paused=_frozen([r[2] for r in deadline_results]),
    )


_PARALLEL_FROM_ROWS = 50_000


class _Serial:
    """Same interface as an executor, running in the caller's thread (small registers)."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    @staticmethod
    def map(function: Callable[[Any], Any], items: Any) -> Any:
        return map(function, items)


def _executor(n: int) -> ThreadPoolExecutor | _Serial:
    workers = min(2, os.cpu_count() or 1)
    return ThreadPoolExecutor(max_workers=workers) if n >= _PARALLEL_FROM_ROWS and workers > 1 else _Serial()


def _prepare_calendar(calendar: WorkCalendar, receipts: np.ndarray) -> None:
    """Build the calendar's day table for the register's span once, before the threads use it."""
    valid = receipts[receipts != _NAT]
    if len(valid):
        calendar.add(np.array([valid.min(), valid.max()]).view("datetime64[ns]"), Duration(1, "menit"))


def _nat_array(n: int) -> np.ndarray:
    return np.full(n, _NAT, dtype=np.int64)


def _state_codes(
    filled: np.ndarray,
    later: np.ndarray,
    is_open: np.ndarray,
    done: np.ndarray,
    due: np.ndarray,
    now_ns: int,
    risk_ns: int,
    receipt: bool,
    waiting: np.ndarray | None = None,
) -> np.ndarray:
    has_due = due != _NAT
    state = np.full(len(filled), BELUM_BERLAKU, dtype=np.int8)
    state[filled] = SELESAI
    if not receipt:
        state[filled & has_due] = np.where(
            done[filled & has_due] <= due[filled & has_due], SELESAI_TEPAT_WAKTU, TERLAMBAT
        )
    state[~filled & later] = DILEWATI
    state[is_open] = BERJALAN
    state[is_open & has_due & (due <= risk_ns)] = HAMPIR_JATUH_TEMPO
    state[is_open & has_due & (due < now_ns)] = TERLAMBAT
    if waiting is not None:  # an open pause: open and not already late = waiting for the file
        state[is_open & waiting & (state != TERLAMBAT)] = MENUNGGU_KELENGKAPAN
    return state


def _paused_due(
    calendar: WorkCalendar, pause: PauseSpans, start: np.ndarray, due: np.ndarray, done: np.ndarray, unit: str
) -> tuple[np.ndarray, np.ndarray]:
    """Due times moved by the pause (module docstring, *Menunggu kelengkapan*) and where it moved
    them. Only the complaints with a pause are touched (a few rows of a big register)."""
    begin = np.maximum(pause.start, start)  # NAT is the smallest int64: a missing start gives the pause's
    paused = (
        pause.counts
        & (start != _NAT)
        & (due != _NAT)
        & (begin < pause.end)
        & (begin < due)
        & ((done == _NAT) | (done > begin))
    )
    rows = np.flatnonzero(paused)
    if not len(rows):
        return due, paused
    out = due.copy()
    if unit == "hari":  # calendar days: whole dates between the pause's start and its end
        days = pause.end[rows] // _NS_PER_DAY - begin[rows] // _NS_PER_DAY
        out[rows] = due[rows] + days * _NS_PER_DAY
    else:  # office time (menit, jam, hari kerja): the office time the pause lasted
        shift = calendar.office_position(pause.end[rows].view("datetime64[ns]")) - calendar.office_position(
            begin[rows].view("datetime64[ns]")
        )
        moved = shift > 0
        due_pos = calendar.office_position(due[rows].view("datetime64[ns]"))
        out[rows[moved]] = calendar.from_office_position(due_pos[moved] + shift[moved], side="left").view(
            np.int64
        )
    return out, paused


def _naive_now(now: Any, calendar: WorkCalendar) -> pd.Timestamp:
    ts = pd.Timestamp(now)
    if ts.tzinfo is not None:
        ts = ts.tz_convert(calendar.timezone).tz_localize(None)
    return ts.as_unit("ns")


def _is_midnight(ns: np.ndarray) -> np.ndarray:
    return (ns != _NAT) & (ns % _NS_PER_DAY == 0)


def _clock_start(start: np.ndarray, calendar: WorkCalendar) -> np.ndarray:
    """A date without time (midnight) as a start: the next office opening."""
    midnight = _is_midnight(start)
    if not midnight.any():
        return start
    out = start.copy()
    out[midnight] = (
        calendar.snap_forward(start[midnight].view("datetime64[ns]"))
        .to_numpy(dtype="datetime64[ns]")
        .view(np.int64)
    )
    return out


def _floor_if_midnight(done: np.ndarray, start: np.ndarray) -> np.ndarray:
    """What a done time is compared with to decide "done before it started": the start, or the start's
    day when the done date has no time (done that day = not before a start later that day)."""
    return np.where(_is_midnight(done), start - start % _NS_PER_DAY, start)


def _due(calendar: WorkCalendar, start: np.ndarray, duration: Duration) -> np.ndarray:
    """Due time of a standard from a start (module docstring, *Date without a time*): calendar days
    end with the N-th day after the start's date; office time from the clock start."""
    if duration.unit == "hari":
        return _end_of_day_after(start, duration.amount)
    return _add(calendar, _clock_start(start, calendar), duration)


def _end_of_day_after(start: np.ndarray, days: int) -> np.ndarray:
    """The last microsecond (23:59:59.999999) of the ``days``-th day after each start's date (NaT
    stays NaT); microseconds so the time survives a conversion to ``datetime``."""
    valid = start != _NAT
    out = np.full(len(start), _NAT, dtype=np.int64)
    out[valid] = start[valid] - start[valid] % _NS_PER_DAY + (days + 1) * _NS_PER_DAY - 1_000
    return out


def _add(calendar: WorkCalendar, start: np.ndarray, duration: Duration) -> np.ndarray:
    due = calendar.add(start.view("datetime64[ns]"), duration)
    return due.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _office_elapsed(start_pos: np.ndarray, end_pos: np.ndarray, valid: np.ndarray, unit: str) -> np.ndarray:
    """Office minutes (``menit``) or hours (``jam``) between two office positions where ``valid``
    (else NaN; never negative): ``WorkCalendar.elapsed_minutes`` on positions computed beforehand."""
    diff = end_pos - start_pos  # meaningless where not valid (a missing value is int64 min)
    np.maximum(diff, 0, out=diff)
    minutes = diff / _NS_PER_MINUTE
    del diff
    if unit == "jam":
        minutes /= 60.0
    minutes[~valid] = np.nan
    return minutes


def _add_office(calendar: WorkCalendar, start_pos: np.ndarray, duration: Duration) -> np.ndarray:
    """``calendar.add(clock start, duration)`` for ``menit``/``jam`` from the start's office position."""
    extra = duration.minutes * _NS_PER_MINUTE
    due_pos = np.where(start_pos != _NAT, start_pos + extra, _NAT)
    return calendar.from_office_position(due_pos, side="left" if extra else "right").view(np.int64)


def _elapsed(calendar: WorkCalendar, start: np.ndarray, end: np.ndarray, unit: str) -> np.ndarray:
    """Elapsed time from start to end in ``unit`` (NaN where either is NaT; never negative)."""
    if unit in ("menit", "jam"):
        minutes = calendar.elapsed_minutes(
            start.view("datetime64[ns]"), end.view("datetime64[ns]")
        ).to_numpy()
        return minutes / 60.0 if unit == "jam" else minutes
    if unit == "hari_kerja":
        return calendar.elapsed_working_days(
            start.view("datetime64[ns]"), end.view("datetime64[ns]")
        ).to_numpy()
    valid = (start != _NAT) & (end != _NAT)
    out = np.full(len(start), np.nan)
    out[valid] = np.maximum(end[valid] - start[valid], 0) / _NS_PER_DAY
    return out


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _stamps(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, ...]:
    return tuple(_readonly(a.view("datetime64[ns]")) for a in arrays)


def _frozen(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, ...]:
    return tuple(_readonly(a) for a in arrays)


def _states(codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(STATES))


def _column(field: str, values: np.ndarray) -> Any:
    return _states(values) if field == "state" else values


# --------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------


def sla_status(table: StageTable) -> pd.DataFrame:
    """One row per complaint (the complaints' index):

    - ``selesai``: the ``selesai`` milestone's date is filled;
    - ``terlambat``: some stage or overall deadline is ``terlambat`` (done late or open past due);
    - ``terlambat_terbuka``: not settled and late; ``selesai_tepat_waktu``: settled and not late;
    - ``hampir_jatuh_tempo``: some open stage or deadline is at risk;
    - ``tahap_terlambat`` / ``batas_terlambat``: a stage / an overall deadline is late;
    - ``tahap_sebelum_mulai``: some stage is dated before it started (data error);
    - ``tahap_sekarang``: key of the open stage (categorical; NaN when none is open);
    - ``jatuh_tempo_berikut``: the earliest due time among the open stage and open deadlines;
    - ``status``: ``terlambat`` > ``selesai_tepat_waktu`` (settled) > ``menunggu_kelengkapan``
      (an open pause) > ``hampir_jatuh_tempo`` > ``berjalan`` (open);
    - ``menunggu_kelengkapan``: some open stage or deadline waits for the file (an open pause);
    - ``menunggu_sejak``: the start of that open pause (NaT when not waiting).
    """
    n = len(table)
    stage_late = _any(table.state, TERLAMBAT, n)
    deadline_late = _any(table.deadline_state, TERLAMBAT, n)
    at_risk = _any(table.state, HAMPIR_JATUH_TEMPO, n) | _any(table.deadline_state, HAMPIR_JATUH_TEMPO, n)
    before = np.zeros(n, dtype=bool)
    for flags in table.before_start:
        before |= flags
    settled = ~np.isnat(table.done[table.settle_stage]) if table.stages else np.zeros(n, dtype=bool)
    late = stage_late | deadline_late
    impossible = impossible_settlement(table)

    current = np.full(n, -1, dtype=np.int16)
    next_due = np.full(n, _NAT, dtype=np.int64)
    for i, states in enumerate(table.state):
        is_open = _open(states, table.done[i])
        current[is_open] = i
        next_due = _earliest(next_due, table.due[i].view(np.int64), is_open)
    for states, due, done in zip(table.deadline_state, table.deadline_due, table.deadline_done, strict=True):
        next_due = _earliest(next_due, due.view(np.int64), _open(states, done))

    waiting = _any(table.state, MENUNGGU_KELENGKAPAN, n) | _any(table.deadline_state, MENUNGGU_KELENGKAPAN, n)
    status = np.where(late, 2, np.where(settled, 3, np.where(waiting, 4, np.where(at_risk, 1, 0)))).astype(
        np.int8
    )
    return pd.DataFrame(
        {
            "selesai": settled,
            "terlambat": late,
            "terlambat_terbuka": ~settled & late,
            "selesai_tepat_waktu": settled & ~late & ~impossible,
            "selesai_tidak_wajar": impossible,
            "hampir_jatuh_tempo": at_risk,
            "tahap_terlambat": stage_late,
            "batas_terlambat": deadline_late,
            "tahap_sebelum_mulai": before,
            "tahap_sekarang": pd.Categorical.from_codes(current, categories=list(table.stage_keys)),
            "jatuh_tempo_berikut": next_due.view("datetime64[ns]"),
            "status": pd.Categorical.from_codes(status, categories=list(COMPLAINT_STATES)),
            "menunggu_kelengkapan": waiting,
            "menunggu_sejak": np.where(waiting, table.pause_start.view(np.int64), _NAT).view(
                "datetime64[ns]"
            ),
        },
        index=table.index,
    )


def impossible_settlement(table: StageTable) -> np.ndarray:
    """Per complaint: the settlement is dated before the receipt (a date without a time: an earlier
    day) or after the table's now (module docstring, *Complaint*)."""
    n = len(table)
    if not table.stages:
        return np.zeros(n, dtype=bool)
    done = table.done[table.settle_stage].view(np.int64)
    received = table.done[0].view(np.int64)
    filled = done != _NAT
    before = filled & (received != _NAT) & (done < _floor_if_midnight(done, received))
    return before | (filled & (done > int(table.now.value)))


def _any(states: tuple[np.ndarray, ...], code: int, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for codes in states:
        out |= codes == code
    return out


def _open(states: np.ndarray, done: np.ndarray) -> np.ndarray:
    """Obligations still running: open stages / deadlines (on track, at risk or already late)."""
    return (
        (states == BERJALAN)
        | (states == HAMPIR_JATUH_TEMPO)
        | (states == MENUNGGU_KELENGKAPAN)
        | ((states == TERLAMBAT) & np.isnat(done))
    )


def _earliest(current: np.ndarray, due: np.ndarray, mask: np.ndarray) -> np.ndarray:
    take = mask & (due != _NAT) & ((current == _NAT) | (due < current))
    return np.where(take, due, current)


def deadline_table(table: StageTable) -> pd.DataFrame:
    """Per complaint and overall deadline: ``<key>_jatuh_tempo``, ``<key>_selesai``,
    ``<key>_terlambat`` and ``<key>_status`` (the complaints' index)."""
    data: dict[str, Any] = {}
    for j, deadline in enumerate(table.deadlines):
        data[f"{deadline.key}_jatuh_tempo"] = table.deadline_due[j]
        data[f"{deadline.key}_selesai"] = table.deadline_done[j]
        data[f"{deadline.key}_terlambat"] = table.deadline_state[j] == TERLAMBAT
        data[f"{deadline.key}_status"] = _states(table.deadline_state[j])
    return pd.DataFrame(data, index=table.index)


def open_obligations(
    table: StageTable,
    states: Sequence[str] = ("terlambat", "hampir_jatuh_tempo"),
    *,
    limit: int | None = None,
) -> pd.DataFrame:
    """Open stages and open overall deadlines whose state is one of ``states``, one row each, by due
    time (then row position); ``limit`` keeps the first ``limit`` rows (``open_obligation_count``
    gives the full count).

    Columns: ``posisi`` (row position), ``indeks``, ``jenis`` (``tahap``/``batas``), ``kunci``,
    ``label``, ``standar``, ``aktor`` (the stage's actor; for a deadline, the actor of the open
    stage, else of the deadline's last stage), ``mulai``, ``jatuh_tempo``, ``status``.
    """
    codes = [_STATE_CODE[s] for s in states]
    n, count = len(table), len(table.stages)
    # Select (row, item, actor) triples on whole int arrays first; the frame is built once, sorted,
    # for the chosen rows only. Items: stages 0..count-1, then deadlines; actors: the stages', then
    # each deadline's fallback (the actor of its last stage).
    current_actor = np.full(n, -1, dtype=np.int64)
    rows: list[np.ndarray] = []
    for i in range(count):
        is_open = _open(table.state[i], table.done[i])
        current_actor[is_open] = i
        rows.append(np.flatnonzero(is_open & np.isin(table.state[i], codes)))
    actors_of: list[np.ndarray] = [np.full(len(r), i, dtype=np.int64) for i, r in enumerate(rows)]
    index_of = {stage.key: i for i, stage in enumerate(table.stages)}
    fallbacks: list[str] = []
    for j, deadline in enumerate(table.deadlines):
        is_open = _open(table.deadline_state[j], table.deadline_done[j])
        found = np.flatnonzero(is_open & np.isin(table.deadline_state[j], codes))
        rows.append(found)
        actors_of.append(np.where(current_actor[found] >= 0, current_actor[found], count + j))
        fallbacks.append(table.stages[index_of[deadline.to_stage]].actor)
    items: list[tuple[str, Any]] = [("tahap", s) for s in table.stages] + [
        ("batas", d) for d in table.deadlines
    ]
    starts = (*table.start, *table.deadline_start)
    dues = (*table.due, *table.deadline_due)
    state_arrays = (*table.state, *table.deadline_state)
    empty = np.array([], dtype=np.int64)
    position = np.concatenate([empty, *rows])
    item = np.concatenate([empty, *(np.full(len(r), k, dtype=np.int64) for k, r in enumerate(rows))])
    actor = np.concatenate([empty, *actors_of])
    due = np.concatenate([empty, *(d.view(np.int64)[r] for d, r in zip(dues, rows, strict=True))])
    # like sort_values(["jatuh_tempo", "posisi"], kind="stable"): NaT last, ties in item order
    order = np.lexsort((position, due, due == _NAT))
    if limit is not None:
        order = order[: max(int(limit), 0)]
    position, item, actor, due = position[order], item[order], actor[order], due[order]
    start = np.full(len(order), _NAT, dtype=np.int64)
    state = np.zeros(len(order), dtype=np.int8)
    for k in np.unique(item):
        chosen = item == k
        start[chosen] = starts[k].view(np.int64)[position[chosen]]
        state[chosen] = state_arrays[k][position[chosen]]

    def labels(values: list[str], take: np.ndarray) -> Any:
        # the item-level texts (str dtype, as pandas infers them) repeated for the chosen rows
        return pd.Series([*values, ""]).array.take(take)

    return pd.DataFrame(
        {
            "posisi": position,
            "indeks": table.index[position],
            "jenis": labels([kind for kind, _ in items], item),
            "kunci": labels([it.key for _, it in items], item),
            "label": labels([it.label for _, it in items], item),
            "standar": labels(["" if it.standard is None else str(it.standard) for _, it in items], item),
            "aktor": labels([s.actor for s in table.stages] + fallbacks, actor),
            "mulai": start.view("datetime64[ns]"),
            "jatuh_tempo": due.view("datetime64[ns]"),
            "status": _states(state),
        }
    )


def open_obligation_count(
    table: StageTable, states: Sequence[str] = ("terlambat", "hampir_jatuh_tempo")
) -> int:
    """How many rows ``open_obligations(table, states)`` has (without building them)."""
    codes = [_STATE_CODE[s] for s in states]
    total = 0
    for state, done in zip(
        (*table.state, *table.deadline_state), (*table.done, *table.deadline_done), strict=True
    ):
        total += int(np.count_nonzero(_open(state, done) & np.isin(state, codes)))
    return total


def open_obligation_complaint_count(
    table: StageTable, states: Sequence[str] = ("terlambat", "hampir_jatuh_tempo")
) -> int:
    """How many complaints have at least one row in ``open_obligations(table, states)`` (one
    complaint can have several open stages / deadlines in those states)."""
    codes = [_STATE_CODE[s] for s in states]
    any_open = np.zeros(len(table), dtype=bool)
    for state, done in zip(
        (*table.state, *table.deadline_state), (*table.done, *table.deadline_done), strict=True
    ):
        any_open |= _open(state, done) & np.isin(state, codes)
    return int(np.count_nonzero(any_open))


def _with_complaint(obligations: pd.DataFrame, complaints: pd.DataFrame) -> pd.DataFrame:
    """Add ``nomor``, ``desa`` and ``pejabat`` (``disposisi_kepada`` when filled, else the actor)."""
    rows = obligations["posisi"].to_numpy()
    out = obligations.copy()

    def text(key: str) -> np.ndarray:
        if key not in complaints.columns:
            return np.full(len(rows), "", dtype=object)
        column = complaints[key]
        if isinstance(column.dtype, pd.CategoricalDtype):  # convert the categories, not every row
            names = pd.Series(column.cat.categories).astype("string").fillna("").str.strip()
            names = np.append(names.to_numpy(dtype=object), "")
            return names[column.cat.codes.to_numpy()[rows]]
        values = column.iloc[rows]
        return values.astype("string").fillna("").str.strip().to_numpy(dtype=object)

    out.insert(0, "nomor", text("nomor"))
    out.insert(1, "desa", text("desa"))
    assigned = text("disposisi_kepada")
    out["pejabat"] = np.where(assigned != "", assigned, out["aktor"].to_numpy(dtype=object))
    return out


def overdue_queue(
    table: StageTable, complaints: pd.DataFrame, calendar: WorkCalendar, *, limit: int | None = None
) -> pd.DataFrame:
    """Open stages and deadlines already past due, oldest due time first (the first ``limit``
    only when given; ``open_obligation_count(table, ("terlambat",))`` counts them all).

    ``open_obligations`` columns plus ``nomor``, ``desa``, ``pejabat``, ``lewat`` (Timedelta since
    the due time) and ``lewat_jam_kerja`` (office hours since the due time).
    """
    queue = _with_complaint(open_obligations(table, ("terlambat",), limit=limit), complaints)
    due = queue["jatuh_tempo"]
    now = pd.Series(table.now, index=queue.index, dtype="datetime64[ns]")
    queue["lewat"] = now - due
    queue["lewat_jam_kerja"] = calendar.elapsed_minutes(due, now).to_numpy() / 60.0
    return queue


def at_risk_queue(
    table: StageTable, complaints: pd.DataFrame, calendar: WorkCalendar, *, limit: int | None = None
) -> pd.DataFrame:
    """Open stages and deadlines due within the at-risk window, nearest due time first (the first
    ``limit`` only when given; ``open_obligation_count(table, ("hampir_jatuh_tempo",))`` counts them all).

    ``open_obligations`` columns plus ``nomor``, ``desa``, ``pejabat``, ``sisa`` (Timedelta until
    the due time) and ``sisa_jam_kerja`` (office hours until the due time).
    """
    queue = _with_complaint(open_obligations(table, ("hampir_jatuh_tempo",), limit=limit), complaints)
    due = queue["jatuh_tempo"]
    now = pd.Series(table.now, index=queue.index, dtype="datetime64[ns]")
    queue["sisa"] = due - now
    queue["sisa_jam_kerja"] = calendar.elapsed_minutes(now, due).to_numpy() / 60.0
    return queue


def waiting_queue(table: StageTable, complaints: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """Open stages and deadlines waiting for a complete file (an open pause), by due time (which
    moves with now while the pause lasts); the first ``limit`` only when given.

    ``open_obligations`` columns plus ``nomor``, ``desa``, ``pejabat`` and ``menunggu_sejak`` (the
    pause's start).
    """
    queue = _with_complaint(open_obligations(table, ("menunggu_kelengkapan",), limit=limit), complaints)
    queue["menunggu_sejak"] = table.pause_start[queue["posisi"].to_numpy()]
    return queue


def stage_funnel(table: StageTable) -> pd.DataFrame:
    """Per stage in SOP order: how many complaints reached it and how long it took.

    Columns: ``urutan``, ``kunci``, ``label``, ``aktor``, ``standar`` (text), ``standar_jumlah``
    (the standard in ``satuan``; NaN without one), ``satuan``, ``mencapai`` (the stage has begun:
    every state but ``belum_berlaku``), ``selesai`` (date filled), ``tepat_waktu``, ``terlambat``
    (done late or open past due), ``terbuka`` (open now), ``dilewati``, ``median_waktu`` (median
    elapsed of completed stages, in ``satuan``, without stages dated before their start) and
    ``rasio_standar`` (median / standard).
    """
    elapsed = table.elapsed

    def record(i: int) -> dict[str, Any]:
        stage = table.stages[i]
        states = table.state[i]
        counts = np.bincount(states, minlength=len(STATES))
        measured = ~np.isnat(table.done[i]) & ~table.before_start[i] & ~np.isnan(elapsed[i])
        median = _median(elapsed[i], measured)
        amount = float(stage.standard.amount) if stage.standard is not None and i > 0 else float("nan")
        return {
            "urutan": i,
            "kunci": stage.key,
            "label": stage.label,
            "aktor": stage.actor,
            "standar": str(stage.standard) if stage.standard is not None and i > 0 else "",
            "standar_jumlah": amount,
            "satuan": stage_unit(stage),
            "mencapai": int(len(states) - counts[BELUM_BERLAKU]),
            "selesai": int((~np.isnat(table.done[i])).sum()),
            "tepat_waktu": int(counts[SELESAI_TEPAT_WAKTU]),
            "terlambat": int(counts[TERLAMBAT]),
            "terbuka": int(_open(states, table.done[i]).sum()),
            "dilewati": int(counts[DILEWATI]),
            "median_waktu": median,
            "rasio_standar": median / amount if amount > 0 else float("nan"),
        }

    with _executor(len(table)) as pool:
        records = list(pool.map(record, range(len(table.stages))))
    return pd.DataFrame(records)


def _median(values: np.ndarray, mask: np.ndarray) -> float:
    """Median of ``values[mask]`` (NaN when the mask is empty); partitions the selected copy in place."""
    chosen = values[mask]
    return float(np.median(chosen, overwrite_input=True)) if len(chosen) else float("nan")


def complaint_timeline(table: StageTable, position: int) -> pd.DataFrame:
    """One complaint's stages then overall deadlines (``StageTable.long`` of one row)."""
    return table.long([position])


def deadline_summary(table: StageTable) -> pd.DataFrame:
    """Per overall deadline: ``urutan``, ``kunci``, ``label``, ``standar``, ``standar_jumlah``,
    ``satuan``, ``selesai`` (its last stage filled), ``tepat_waktu``, ``terlambat``, ``terbuka``,
    ``median_waktu`` (median elapsed until done, in ``satuan``) and ``rasio_standar``."""
    records = []
    for j, deadline in enumerate(table.deadlines):
        states = table.deadline_state[j]
        counts = np.bincount(states, minlength=len(STATES))
        done = ~np.isnat(table.deadline_done[j])
        measured = done & ~np.isnan(table.deadline_elapsed[j])
        median = _median(table.deadline_elapsed[j], measured)
        amount = float(deadline.standard.amount)
        records.append(
            {
                "urutan": j,
                "kunci": deadline.key,
                "label": deadline.label,
                "standar": str(deadline.standard),
                "standar_jumlah": amount,
                "satuan": deadline.standard.unit,
                "selesai": int(done.sum()),
                "tepat_waktu": int(counts[SELESAI_TEPAT_WAKTU]),
                "terlambat": int(counts[TERLAMBAT]),
                "terbuka": int(_open(states, table.deadline_done[j]).sum()),
                "median_waktu": median,
                "rasio_standar": median / amount if amount > 0 else float("nan"),
            }
        )
    columns = [
        "urutan",
        "kunci",
        "label",
        "standar",
        "standar_jumlah",
        "satuan",
        "selesai",
        "tepat_waktu",
        "terlambat",
        "terbuka",
        "median_waktu",
        "rasio_standar",
    ]
    return pd.DataFrame(records, columns=columns)


# --------------------------------------------------------------------------------------------
# Complaint-level figures of the overview (formerly ``metrics.deadlines``)
# --------------------------------------------------------------------------------------------


def settle_column(profile: Profile) -> str:
    """Canonical key of the date column that marks a complaint settled (the ``selesai``
    milestone's, else the last stage's, as in ``stage_table``)."""
    settle = profile.milestone_stage("selesai")
    return (settle if settle is not None else profile.stages[-1]).column_key


def complaint_flags(
    complaints: pd.DataFrame, profile: Profile, calendar: WorkCalendar, now: Any
) -> pd.DataFrame:
    """Per complaint: ``selesai`` (settled), ``terlambat`` (a stage standard or overall deadline
    missed), ``terlambat_terbuka`` (open and already late), ``selesai_tepat_waktu`` and the other
    ``sla_status`` columns. Use ``sla_status(table)`` when the stage table is already computed."""
    return sla_status(stage_table(complaints, profile, calendar, now))


def on_time_rate(flags: pd.DataFrame) -> float:
    """DESIGN §3: settled on time / (settled + open and late); NaN when there is nothing to count.
    A settlement with an impossible date (``selesai_tidak_wajar``) is left out."""
    settled = flags["selesai"]
    if "selesai_tidak_wajar" in flags.columns:
        settled = settled & ~flags["selesai_tidak_wajar"]
    denominator = int(settled.sum() + flags["terlambat_terbuka"].sum())
    if denominator == 0:
        return float(np.nan)
    return float(flags["selesai_tepat_waktu"].sum()) / denominator
