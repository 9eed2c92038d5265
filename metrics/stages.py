"""The one SOP stage model: which stages of each complaint are filled, skipped, open or reached,
when each stage starts, and where the complaint stands — the rules every view shares (SLA, monthly
report, comparison, lookup, data quality, the update form). A new stage rule goes here (and in
``tests/metrics/test_stages.py``), nowhere else.

Rules
-----
Filled
    The stage's date is present. *As of* a moment ``as_of``: present and earlier than ``as_of``
    (a date on or after ``as_of`` was not known yet).
Skipped
    Not filled although a later stage is filled (a petugas went past it).
Open
    Not filled, the previous stage is filled and no later stage is filled. The first stage (the
    receipt) is never open: it starts the clock.
Reached
    Filled, skipped or open (the complaint got that far): every stage but those still ahead.
Start
    The first stage starts at its own date; every later stage at the date of the **last filled
    earlier stage** in SOP order (the previous one, or an earlier one when the previous is skipped).
Furthest / current
    ``furthest`` is the position of the last filled stage (-1 when none); ``current`` the position
    of the open stage (-1 when none is open: not received yet, or the last stage is filled).

Pause (*Menunggu kelengkapan*, ``pause_spans``)
    The register's ``Mulai Menunggu Kelengkapan`` / ``Berkas Lengkap Pada`` cells: one pause per
    complaint while the file is incomplete. It *counts* when it starts on or after the receipt
    (a date without a time: on or after the receipt's day) and not after now, and its resume (when
    given) is not before its start. It is *open* while it has no resume, or a resume after now (not
    known yet); an open pause runs up to now. Anything else is ignored by the clock and listed by
    the data-quality check (``PAUSE_PROBLEMS``). What a pause does to due times: ``metrics.sla``.

Layout: one numpy array per stage and field, aligned with the complaints' rows (vectorised over
complaints; one loop over the ≤ 17 stages of a profile). A one-row frame works the same way. Dates
are int64 nanoseconds of naive local time, ``NAT`` (int64 min) when empty.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from metrics.columns import PAUSE_END, PAUSE_START
from metrics.profiles import Profile

if TYPE_CHECKING:
    from metrics.profiles import Stage

__all__ = [
    "NAT",
    "PAUSE_PROBLEMS",
    "PauseSpans",
    "StageModel",
    "carry_start",
    "date_ns",
    "pause_spans",
    "stage_model",
    "stage_model_of_dates",
]

NAT = np.iinfo(np.int64).min


@dataclass(frozen=True, eq=False)
class StageModel:
    """Per stage ``i`` (SOP order, ``stages[i]``), arrays aligned with ``index``:

    ``done[i]`` (int64 ns, NAT when not filled), ``filled[i]``, ``start[i]`` (int64 ns) and
    ``next_filled[i]`` (position of the nearest later filled stage, -1 when none); derived on first
    use: ``later[i]``, ``skipped[i]``, ``open[i]``, ``reached[i]`` (bool) and ``start_stage[i]``
    (position of the stage whose date is the start, -1 when none). Per complaint: ``furthest`` and
    ``current`` (see the module docstring).
    """

    index: pd.Index
    stages: tuple[Stage, ...]
    as_of: pd.Timestamp | None
    done: tuple[np.ndarray, ...]
    filled: tuple[np.ndarray, ...]
    next_filled: tuple[np.ndarray, ...]
    start: tuple[np.ndarray, ...]
    furthest: np.ndarray
    current: np.ndarray

    def __len__(self) -> int:
        return len(self.index)

    # Derived per-stage flags are computed on first use: a 1M-row register with 17 stages need
    # not hold every field at once.
    @cached_property
    def later(self) -> tuple[np.ndarray, ...]:
        """Per stage: some later stage is filled (the complaint has moved past it)."""
        return tuple(n >= 0 for n in self.next_filled)

    @cached_property
    def skipped(self) -> tuple[np.ndarray, ...]:
        """Per stage: not filled although a later stage is."""
        return tuple(~f & (n >= 0) for f, n in zip(self.filled, self.next_filled, strict=True))

    @cached_property
    def open(self) -> tuple[np.ndarray, ...]:
        """Per stage: not filled, the previous stage filled and no later stage filled (never the
        first stage). At most one stage per complaint is open: ``current``."""
        return tuple(
            np.zeros(len(self), dtype=bool) if i == 0 else self.current == i for i in range(len(self.stages))
        )

    @cached_property
    def reached(self) -> tuple[np.ndarray, ...]:
        """Per stage: filled, skipped or open."""
        return tuple(
            f | (n >= 0) | o for f, n, o in zip(self.filled, self.next_filled, self.open, strict=True)
        )

    @cached_property
    def start_stage(self) -> tuple[np.ndarray, ...]:
        """Per stage: position of the stage whose date is its start (-1 when none)."""
        if not self.stages:
            return ()
        n = len(self)
        positions = [np.full(n, i, dtype=np.int64) for i in range(len(self.stages))]
        first = np.where(self.filled[0], 0, -1)
        carried = [np.where(last == NAT, -1, last) for _, last in carry_start(self.filled, positions)]
        return tuple(a.astype(np.int16) for a in (first, *carried))

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(stage.key for stage in self.stages)

    def carry_start(self, values: Sequence[Any], upto: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """``carry_start(self.filled, values, upto)`` (module function)."""
        return carry_start(self.filled, values, upto)

    def deadline_open(self, from_position: int, to_position: int) -> np.ndarray:
        """An overall deadline from one stage's date to another's is open: its start stage is
        filled (itself, no fallback), its end stage is not and no stage after the end is."""
        return self.filled[from_position] & ~self.filled[to_position] & (self.next_filled[to_position] < 0)

    def frame(self, field: str) -> pd.DataFrame:
        """One per-stage field as a wide DataFrame: one column per stage key, the complaints' index
        (dates as ``datetime64[ns]``)."""
        arrays = getattr(self, field)
        if field in ("done", "start"):
            arrays = tuple(a.view("datetime64[ns]") for a in arrays)
        return pd.DataFrame(dict(zip(self.stage_keys, arrays, strict=True)), index=self.index)

    def position_keys(self, positions: np.ndarray) -> pd.Series:
        """Stage keys for an array of positions (``furthest``, ``current``); <NA> for -1."""
        keys = np.array([*self.stage_keys, None], dtype=object)
        return pd.Series(keys[positions], index=self.index, dtype="string")


def carry_start(
    filled: Sequence[np.ndarray], values: Sequence[Any], upto: int | None = None
) -> Iterator[tuple[int, np.ndarray]]:
    """The start rule applied to any per-stage values: for each stage ``i`` in ``1..upto``
    (default: the last), yield ``(i, values taken at the stage its start comes from)`` — the last
    filled earlier stage, ``NAT`` when none (e.g. the stage dates themselves, or their office
    positions). ``values[i - 1]`` is read when ``i`` is reached, so a caller may free it then."""
    n = len(filled[0]) if len(filled) else 0
    last = np.full(n, NAT, dtype=np.int64)
    for i in range(1, (len(filled) - 1 if upto is None else upto) + 1):
        last = np.where(filled[i - 1], values[i - 1], last)
        yield i, last


def date_ns(complaints: pd.DataFrame, key: str, timezone: str | None = None) -> np.ndarray:
    """A date column as int64 ns of naive local time (NAT when empty or unreadable); a missing
    column counts as empty. Timezone-aware values are converted to ``timezone`` first."""
    n = len(complaints)
    if key not in complaints.columns:
        return np.full(n, NAT, dtype=np.int64)
    column = complaints[key]
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
    elif not pd.api.types.is_datetime64_dtype(column.dtype):
        column = pd.to_datetime(column, errors="coerce")
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
    return column.to_numpy(dtype="datetime64[ns]").view(np.int64)


def stage_model(
    complaints: pd.DataFrame,
    stages: Profile | Sequence[Stage],
    *,
    as_of: Any = None,
    timezone: str | None = None,
) -> StageModel:
    """The stage model of ``complaints`` (``Register.complaints``: stage dates under their
    canonical column keys) for a profile's stages (or a list of stages), as of ``as_of`` (None:
    every date counts). ``complaints`` is not modified."""
    stage_list: tuple[Stage, ...] = tuple(stages.stages if isinstance(stages, Profile) else stages)
    dates = [date_ns(complaints, stage.column_key, timezone) for stage in stage_list]
    return stage_model_of_dates(dates, stage_list, complaints.index, as_of=as_of)


def stage_model_of_dates(
    dates: Sequence[np.ndarray],
    stages: Sequence[Stage],
    index: pd.Index,
    *,
    as_of: Any = None,
) -> StageModel:
    """The stage model from per-stage date arrays (int64 ns or ``datetime64[ns]``, NAT = empty)."""
    n = len(index)
    count = len(stages)
    cut = None if as_of is None else pd.Timestamp(as_of).as_unit("ns")
    done: list[np.ndarray] = []
    for values in dates:
        ns = np.asarray(values).view(np.int64) if np.asarray(values).dtype.kind == "M" else np.asarray(values)
        if cut is not None:
            ns = np.where(ns < int(cut.value), ns, NAT)  # NAT is the smallest int64: stays NAT
        done.append(ns)
    filled = [d != NAT for d in done]

    next_filled: list[np.ndarray] = [np.full(n, -1, dtype=np.int16)] * count
    nearest = np.full(n, -1, dtype=np.int16)
    for i in range(count - 1, -1, -1):
        next_filled[i] = nearest
        nearest = np.where(filled[i], np.int16(i), nearest)

    start: list[np.ndarray] = [done[0]] if count else []
    start.extend(last for _, last in carry_start(filled, done))
    furthest = np.full(n, -1, dtype=np.int16)
    current = np.full(n, -1, dtype=np.int16)
    for i in range(count):
        furthest = np.where(filled[i], np.int16(i), furthest)
        if i > 0:
            current = np.where(~filled[i] & (next_filled[i] < 0) & filled[i - 1], np.int16(i), current)

    return StageModel(
        index=index,
        stages=tuple(stages),
        as_of=cut,
        done=tuple(done),
        filled=tuple(filled),
        next_filled=tuple(next_filled),
        start=tuple(start),
        furthest=furthest,
        current=current,
    )


# Why a pause does not count (codes of ``PauseSpans.problem``; 0 = none). The data-quality check
# turns them into findings.
PAUSE_PROBLEMS: tuple[str, ...] = (
    "",
    "JEDA_TANPA_MULAI",  # a resume without a start
    "JEDA_SEBELUM_DITERIMA",  # starts before the receipt (or without a receipt date)
    "JEDA_SELESAI_SEBELUM_MULAI",  # resumes before it starts
    "JEDA_MULAI_MASA_DEPAN",  # starts after now
    "JEDA_SELESAI_MASA_DEPAN",  # resumes after now (counted as still open)
)
_NS_PER_DAY = 86_400 * 10**9


@dataclass(frozen=True, eq=False)
class PauseSpans:
    """Per complaint (arrays aligned with ``index``): ``start`` and ``end`` (int64 ns, NAT when
    the pause does not count; ``end`` is now while open), ``counts`` and ``open`` (bool),
    ``problem`` (int8 codes into ``PAUSE_PROBLEMS``; a resume after now is a problem yet the
    pause still counts, as open)."""

    index: pd.Index
    start: np.ndarray
    end: np.ndarray
    counts: np.ndarray
    open: np.ndarray
    problem: np.ndarray


def pause_spans(
    complaints: pd.DataFrame, received: np.ndarray, now: Any, timezone: str | None = None
) -> PauseSpans:
    """The pause of every complaint (module docstring, *Pause*) as of ``now`` (naive local time);
    ``received`` is the receipt stage's dates (int64 ns, NAT when empty). Registers without the
    pause columns have no pauses."""
    now_ns = int(pd.Timestamp(now).as_unit("ns").value)
    begin = date_ns(complaints, PAUSE_START, timezone)
    resume = date_ns(complaints, PAUSE_END, timezone)
    received = np.asarray(received).view(np.int64)
    has_begin, has_resume = begin != NAT, resume != NAT
    # a pause typed without a time on the receipt's day is not before the receipt
    floor = np.where(begin % _NS_PER_DAY == 0, received - received % _NS_PER_DAY, received)
    before_receipt = has_begin & ((received == NAT) | (begin < floor))
    backwards = has_begin & has_resume & (resume < begin)
    future_begin = has_begin & (begin > now_ns)
    future_resume = has_resume & (resume > now_ns)
    problem = np.zeros(len(begin), dtype=np.int8)
    for code, mask in reversed(
        list(
            enumerate(
                (~has_begin & has_resume, before_receipt, backwards, future_begin, future_resume),
                start=1,
            )
        )
    ):
        problem[mask] = code  # the first problem in PAUSE_PROBLEMS order wins
    counts = has_begin & ~before_receipt & ~backwards & ~future_begin
    is_open = counts & (~has_resume | future_resume)
    start = np.where(counts, begin, NAT)
    end = np.where(is_open, now_ns, np.where(counts, resume, NAT))
    return PauseSpans(complaints.index, start, end, counts, is_open, problem)
