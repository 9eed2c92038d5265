"""Work calendar: office hours, working days and holidays, and the time arithmetic of deadlines.

Every function works on whole columns at once (numpy, no per-row Python loops) so that the SLA
engine can compute due times for a million rows in a fraction of a second.

Timestamps in and out are **naive local wall time** (as in the register, see ARCHITECTURE.md).
A timezone-aware input is first converted to the calendar's timezone and made naive. Indonesia has
no daylight saving time, so wall-clock arithmetic is exact.

Rules (shown to users in the app help)
--------------------------------------
Working day (hari kerja)
    A date whose weekday has office hours and which is not in the holiday list (public holidays,
    cuti bersama and local holidays). By default Monday–Thursday 07:30–16:00 and Friday
    07:30–11:30 are office hours; Saturday and Sunday are closed.
Office open
    The office is open from the opening time up to, but not including, the closing time. A clock
    that starts at or after closing, before opening, or on a non-working day starts at the next
    opening (see ``snap_forward``).
``menit`` / ``jam`` (office time)
    Counted only inside office hours on working days. A clock starting outside office hours starts
    at the next opening. When the remaining time runs past closing, it continues at the next
    opening. A due time exactly at closing time is allowed. Example: received Friday 11:00 + 1 jam
    (Friday closes 11:30) -> 30 minutes on Friday, 30 minutes from Monday 07:30 -> due Monday 08:00
    (Tuesday 08:00 if Monday is a holiday).
``hari kerja`` (working days)
    The start is first moved to the next opening if the office is closed at that moment (a
    complaint received Saturday, or Monday 16:30, starts at the next working day's opening). The
    due time is the same wall-clock time on the N-th working day after that day, clipped into that
    day's office hours: earlier than opening -> opening, later than closing -> closing. Example:
    received Thursday 14:00 + 1 hari kerja -> Friday 11:30 (Friday closes at 11:30); received
    Saturday 10:00 + 1 hari kerja -> counting starts Monday 07:30 -> due Tuesday 07:30.
``hari`` (calendar days)
    Start + N x 24 hours, with no office-hour adjustment at either end. A due date that lands on a
    weekend or holiday stays there: calendar days are calendar days.
Zero amount
    ``Duration(0, ...)`` of an office unit gives ``snap_forward(start)``; ``0 hari`` gives the start.
Missing values
    NaT in -> NaT (or NaN for elapsed figures) out.
Years
    Holidays are known for the years the calendar was built for (``build_calendar(years=...)``,
    default 2015 up to two years after the current year; ``holiday_years`` records the span). Years
    beyond the government's decrees have no cuti bersama yet and the Islamic holidays are estimates
    ("perkiraan") in the ``holidays`` package: add decreed dates with ``extra_holidays``. Outside the
    known years only the closed weekdays are non-working; the arithmetic itself works for any date
    pandas can hold (1677–2262), it never fails because a register has a mistyped year. Use
    ``in_holiday_years`` to flag such dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_pkg
import numpy as np
import pandas as pd

from metrics.durations import Duration
from metrics.errors import PantauError

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "WEEKDAY_NAMES",
    "WorkCalendar",
    "build_calendar",
    "indonesian_holidays",
]

WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

DEFAULT_OFFICE_HOURS: Mapping[int, tuple[dt.time, dt.time]] = MappingProxyType(
    {
        0: (dt.time(7, 30), dt.time(16, 0)),
        1: (dt.time(7, 30), dt.time(16, 0)),
        2: (dt.time(7, 30), dt.time(16, 0)),
        3: (dt.time(7, 30), dt.time(16, 0)),
        4: (dt.time(7, 30), dt.time(11, 30)),
    }
)

LOCAL_HOLIDAY_NAME = "Libur lokal"

_NS_PER_DAY = 86_400 * 10**9
_NS_PER_MINUTE = 60 * 10**9
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (0 = Monday)
_TABLE_MARGIN_DAYS = 400


# --------------------------------------------------------------------------------------------
# Input normalisation
# --------------------------------------------------------------------------------------------


def _to_time(value: Any, where: str) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        text = value.strip().replace(".", ":")
        for fmt in ("%H:%M", "%H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt).time()
            except ValueError:
                pass
    raise PantauError(f"Jam kantor {where}: '{value}' bukan jam yang dapat dibaca (tulis misalnya '07:30').")


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):  # also pd.Timestamp
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PantauError(
        f"Tanggal libur '{value}' tidak dapat dibaca: tulis dalam bentuk TTTT-BB-HH, misalnya 2026-04-14."
    )


def _normalise_office_hours(office_hours: Mapping[Any, Any]) -> Mapping[int, tuple[dt.time, dt.time]]:
    problems: list[str] = []
    result: dict[int, tuple[dt.time, dt.time]] = {}
    for key, span in office_hours.items():
        try:
            weekday = int(key)
        except (TypeError, ValueError):
            problems.append(f"hari '{key}' harus angka 0 (Senin) sampai 6 (Minggu)")
            continue
        if not 0 <= weekday <= 6:
            problems.append(f"hari '{key}' harus angka 0 (Senin) sampai 6 (Minggu)")
            continue
        name = WEEKDAY_NAMES[weekday]
        if span is None:
            continue  # explicitly closed
        try:
            opening, closing = span
        except (TypeError, ValueError):
            problems.append(f"{name}: tulis jam buka dan jam tutup, misalnya ('07:30', '16:00')")
            continue
        try:
            opening_t, closing_t = _to_time(opening, name), _to_time(closing, name)
        except PantauError as exc:
            problems.append(exc.message)
            continue
        if opening_t.tzinfo is not None or closing_t.tzinfo is not None:
            problems.append(f"{name}: jam kantor ditulis tanpa zona waktu")
            continue
        if opening_t >= closing_t:
            problems.append(f"{name}: jam buka {opening_t:%H:%M} harus sebelum jam tutup {closing_t:%H:%M}")
            continue
        result[weekday] = (opening_t, closing_t)
    if problems:
        raise PantauError("Jam kantor tidak valid.", problems=problems)
    if not result:
        raise PantauError("Jam kantor tidak valid: paling sedikit satu hari dalam seminggu harus buka.")
    return MappingProxyType(dict(sorted(result.items())))


def _time_ns(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 10**9 + value.microsecond * 1000


# --------------------------------------------------------------------------------------------
# Holidays
# --------------------------------------------------------------------------------------------


def indonesian_holidays(years: Iterable[int], extra: Iterable[Any] = ()) -> dict[dt.date, str]:
    """Indonesian public holidays and cuti bersama for ``years``, plus local holidays.

    Uses ``holidays.country_holidays("ID", categories=("public", "government"), language="id")``:
    category ``government`` holds the cuti bersama (joint leave days). Names are in Indonesian.
    ``extra`` lists local non-working days (e.g. the regency's anniversary) as dates or ISO strings
    (``"2026-04-14"``); a mapping ``{date: name}`` keeps its names, otherwise they are called
    "Libur lokal". A local day that is also a national holiday keeps both names.
    """
    year_list = sorted({int(y) for y in years})
    result: dict[dt.date, str] = {}
    if year_list:
        national = holidays_pkg.country_holidays(
            "ID", years=year_list, categories=("public", "government"), language="id"
        )
        result.update({day: str(name) for day, name in sorted(national.items())})
    names = extra if isinstance(extra, Mapping) else dict.fromkeys(extra, LOCAL_HOLIDAY_NAME)
    for raw_day, raw_name in names.items():
        day = _to_date(raw_day)
        name = str(raw_name) if raw_name else LOCAL_HOLIDAY_NAME
        result[day] = f"{result[day]}; {name}" if day in result and name not in result[day] else name
    return dict(sorted(result.items()))


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """Per-day office data for the days ``first_day`` .. ``first_day + n - 1`` (days since 1970).

    Office positions (``cum_ns``) are absolute: office ns since 1970-01-01 00:00 (negative before),
    so positions computed with one table stay valid after the table has grown.
    """

    first_day: int
    open_ns: np.ndarray  # opening time of day i, ns after midnight (0 when closed)
    length_ns: np.ndarray  # office time of day i in ns (0 when closed)
    cum_ns: np.ndarray  # office position of day i's midnight (exclusive prefix sum + base), length n + 1
    opening_ns: np.ndarray  # absolute ns of day i's opening (midnight when closed)
    workdays: np.ndarray  # working days before day i (exclusive prefix count), length n + 1

    @property
    def last_day(self) -> int:
        return self.first_day + len(self.open_ns) - 1


@dataclass(frozen=True)
class WorkCalendar:
    """Office hours and non-working dates; vectorised deadline arithmetic (see the module rules).

    ``office_hours`` maps weekday (0 = Monday) to (opening, closing); a missing weekday is closed.
    ``holidays`` are non-working dates (public holidays, cuti bersama, local holidays).
    ``timezone`` is the IANA name of the local time of the timestamps (WIB ``Asia/Jakarta``,
    WITA ``Asia/Makassar``, WIT ``Asia/Jayapura``). ``holiday_years`` is the (first, last) year for
    which the holiday list is complete, or None when unknown.
    """

    office_hours: Mapping[int, tuple[dt.time, dt.time]]
    holidays: frozenset[dt.date]
    timezone: str = "Asia/Jakarta"
    holiday_years: tuple[int, int] | None = None
    # Derived per-weekday arrays and day tables: one dict per instance, set in __post_init__.
    # Declared ClassVar only so that it is not a dataclass field: as a field it became part of what
    # Streamlit hashes for its caches, and its lazily filled tables made the register load twice.
    _cache: ClassVar[dict[str, Any]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "office_hours", _normalise_office_hours(self.office_hours))
        object.__setattr__(self, "holidays", frozenset(_to_date(d) for d in self.holidays))
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise PantauError(
                f"Zona waktu '{self.timezone}' tidak dikenal: gunakan nama IANA seperti "
                "'Asia/Jakarta' (WIB), 'Asia/Makassar' (WITA) atau 'Asia/Jayapura' (WIT)."
            ) from None
        if self.holiday_years is not None:
            first, last = (int(y) for y in self.holiday_years)
            object.__setattr__(self, "holiday_years", (min(first, last), max(first, last)))
        # Per-weekday arrays (index 0 = Monday) used by every vectorised method.
        open_wd = np.zeros(7, dtype=np.int64)
        close_wd = np.zeros(7, dtype=np.int64)
        for weekday, (opening, closing) in self.office_hours.items():
            open_wd[weekday], close_wd[weekday] = _time_ns(opening), _time_ns(closing)
        holiday_days = np.array(sorted(self.holidays), dtype="datetime64[D]")
        # Derived data, not a dataclass field (kept out of repr/eq/asdict). The per-day table is
        # added lazily by ``_table``; replacing it is a single atomic assignment, so concurrent
        # Streamlit sessions at worst build it twice.
        cache = {
            "open_wd": open_wd,
            "close_wd": close_wd,
            "holiday_days": holiday_days,
            "busdaycal": np.busdaycalendar(weekmask=close_wd > open_wd, holidays=holiday_days),
        }
        object.__setattr__(self, "_cache", cache)

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (e.g. for st.cache_data) although the mapping proxy and numpy calendar are not.
        return (WorkCalendar, (dict(self.office_hours), self.holidays, self.timezone, self.holiday_years))

    def __hash__(self) -> int:
        return hash((tuple(self.office_hours.items()), self.holidays, self.timezone, self.holiday_years))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return (
            dict(self.office_hours) == dict(other.office_hours)
            and self.holidays == other.holidays
            and self.timezone == other.timezone
            and self.holiday_years == other.holiday_years
        )

    # ---- public API ------------------------------------------------------------------------

    def is_working_day(self, dates: Any) -> np.ndarray:
        """True where the date is a working day: its weekday has office hours and it is no holiday.

        Accepts a Series / DatetimeIndex / array of timestamps or dates; the time of day is ignored.
        NaT gives False.
        """
        ns, _ = _as_ns(dates, self.timezone)
        valid = ns != _NAT
        days = np.where(valid, ns, 0).view("datetime64[ns]").astype("datetime64[D]")
        return np.is_busday(days, busdaycal=self._cache["busdaycal"]) & valid

    def in_holiday_years(self, ts: Any) -> np.ndarray:
        """True where the timestamp falls in a year whose holidays the calendar knows (NaT: False)."""
        ns, _ = _as_ns(ts, self.timezone)
        valid = ns != _NAT
        if self.holiday_years is None:
            return valid
        years = np.where(valid, ns, 0).view("datetime64[ns]").astype("datetime64[Y]").astype(np.int64) + 1970
        return valid & (years >= self.holiday_years[0]) & (years <= self.holiday_years[1])

    def snap_forward(self, ts: Any) -> Any:
        """The next moment the office is open: ``ts`` itself when open, else the next opening time.

        The office is open from opening up to but not including closing, so a timestamp exactly at
        closing time moves to the next working day's opening. NaT stays NaT.
        """
        ns, wrap = _as_ns(ts, self.timezone)
        valid = ns != _NAT
        out = np.full(ns.shape, _NAT, dtype=np.int64)
        if valid.any():
            out[valid] = self._snap_ns(ns[valid])
        return wrap(out)

    def add(self, start: Any, duration: Duration) -> Any:
        """Due time of ``duration`` counted from ``start`` (the rules are in the module docstring).

        - ``menit``/``jam``: office time only; continues at the next opening after closing; a due
          time exactly at closing is allowed.
        - ``hari_kerja``: same wall-clock time on the N-th next working day (counting from the next
          opening when received outside office hours), clipped to that day's opening/closing.
        - ``hari``: start + N calendar days, no adjustment even if that is a holiday.

        ``start`` is a Series (the result keeps its index, name and datetime unit), a DatetimeIndex
        or array (a Series with a default index is returned) or a single timestamp (a Timestamp is
        returned). NaT gives NaT. ``start`` is never modified.
        """
        if not isinstance(duration, Duration):
            raise TypeError(f"duration must be a Duration, got {type(duration).__name__}")
        if duration.amount < 0:
            raise PantauError(f"Standar waktu '{duration}' tidak boleh negatif.")
        ns, wrap = _as_ns(start, self.timezone)
        valid = ns != _NAT
        out = np.full(ns.shape, _NAT, dtype=np.int64)
        if valid.any():
            if duration.unit == "hari":
                out[valid] = _checked_add(ns[valid], duration.amount * _NS_PER_DAY)
            elif duration.unit == "hari_kerja":
                out[valid] = self._add_working_days_ns(ns[valid], duration.amount)
            else:
                out[valid] = self._add_office_ns(ns[valid], duration.minutes * _NS_PER_MINUTE)
        return wrap(out)

    def office_position(self, ts: Any) -> np.ndarray:
        """Office time (ns, int64) from 1970-01-01 00:00 up to each timestamp: a monotone clock that
        only runs inside office hours on working days (negative before 1970; NaT gives int64 min).

        ``office_position(end) - office_position(start)`` is the office time between them (in ns),
        ``office_position(snap_forward(t)) == office_position(t)``, and for ``menit``/``jam``
        ``add(t, d) == from_office_position(office_position(t) + d.minutes * 60e9)`` (``side="right"``
        for a zero duration). Compute a column's positions once and reuse them for several dues and
        elapsed figures. Accepts what ``add`` accepts (an int64 array is not a timestamp array: view
        it as ``datetime64[ns]``); returns a plain array.
        """
        ns, _ = _as_ns(ts, self.timezone)
        return self._office_position_ns(ns)

    def from_office_position(self, pos: Any, *, side: str = "left") -> np.ndarray:
        """Wall time (``datetime64[ns]`` array) of office positions (see ``office_position``; int64
        min gives NaT). A position at the end of a working day is that day's closing time with
        ``side="left"`` (a due time), the next working day's opening with ``side="right"`` (a start).
        """
        if side not in ("left", "right"):
            raise ValueError("side must be 'left' or 'right'")
        pos = np.asarray(pos, dtype=np.int64)
        valid = pos != _NAT
        if not valid.any():
            return np.full(pos.shape, _NAT, dtype=np.int64).view("datetime64[ns]")
        table = self._table_for_positions(
            int(np.where(valid, pos, np.iinfo(np.int64).max).min()), int(pos.max())
        )
        out = self._from_position(table, np.where(valid, pos, table.cum_ns[0]), side=side)
        if not valid.all():
            out = np.where(valid, out, _NAT)
        return out.view("datetime64[ns]")

    def elapsed_minutes(self, start: Any, end: Any) -> Any:
        """Office minutes between ``start`` and ``end``: minutes inside office hours on working days.

        0 when ``end`` is not after ``start``; NaN when either is NaT. For any start,
        ``elapsed_minutes(start, add(start, d)) == d.minutes`` for ``menit``/``jam``.
        Series are aligned on their index (the result has ``start``'s index), arrays by position.
        """
        s, e, wrap = self._pair(start, end)
        valid = (s != _NAT) & (e != _NAT)
        out = np.full(s.shape, np.nan)
        if valid.any():
            diff = self._office_position_ns(e) - self._office_position_ns(s)
            out = np.where(valid, np.maximum(diff, 0) / _NS_PER_MINUTE, np.nan)
        return wrap(out)

    def elapsed_working_days(self, start: Any, end: Any) -> Any:
        """Working days between ``start`` and ``end``, fractional.

        Every working day counts as 1 whatever its length; a part of a day counts as the share of
        that day's office hours that lies between start and end (Monday 07:30–11:45 = 0.5 of an
        8.5-hour day; a whole Friday 07:30–11:30 = 1). Nights, weekends and holidays count 0.
        0 when ``end`` is not after ``start``; NaN when either is NaT.

        Because a ``hari kerja`` deadline keeps the wall-clock time while days differ in length,
        the elapsed figure up to a due time is N only when start and due day have the same hours
        (Thursday 14:00 -> Friday 11:30 is 1.24 working days). Decide "on time" by comparing the
        end with ``add(start, duration)``, not with this figure.
        """
        s, e, wrap = self._pair(start, end)
        valid = (s != _NAT) & (e != _NAT)
        out = np.full(s.shape, np.nan)
        if valid.any():
            out = self._elapsed_working_days_ns(s, e)
        return wrap(out)

    # ---- internals -------------------------------------------------------------------------

    def _pair(self, start: Any, end: Any) -> tuple[np.ndarray, np.ndarray, Any]:
        if isinstance(start, pd.Series) and isinstance(end, pd.Series) and not start.index.equals(end.index):
            if not end.index.is_unique:
                raise PantauError("Kolom tanggal akhir memiliki indeks ganda; tidak dapat dipasangkan.")
            end = end.reindex(start.index)
        s, wrap = _as_ns(start, self.timezone, float_result=True)
        e, _ = _as_ns(end, self.timezone)
        if s.shape != e.shape:
            raise PantauError(f"Jumlah tanggal awal ({s.size}) dan tanggal akhir ({e.size}) tidak sama.")
        return s, e, wrap

    def _office_position_ns(self, ns: np.ndarray) -> np.ndarray:
        """``office_position`` of int64 ns (NaT = int64 min stays int64 min)."""
        valid = ns != _NAT
        if not valid.any():
            return np.full(ns.shape, _NAT, dtype=np.int64)
        lo = int(np.where(valid, ns, np.iinfo(np.int64).max).min())
        hi = int(ns.max())
        table = self._table(lo // _NS_PER_DAY, hi // _NS_PER_DAY)
        if valid.all():
            return self._position(table, ns)
        return np.where(valid, self._position(table, np.maximum(ns, lo)), _NAT)

    def _elapsed_working_days_ns(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        """``elapsed_working_days`` of int64 ns arrays (NaN where either is NaT)."""
        valid = (s != _NAT) & (e != _NAT)
        if not valid.any():
            return np.full(s.shape, np.nan)
        both = np.concatenate([s[s != _NAT], e[e != _NAT]])
        table = self._table(int(both.min() // _NS_PER_DAY), int(both.max() // _NS_PER_DAY))
        sv, ev = (np.where(valid, s, both[0]), np.where(valid, e, both[0])) if not valid.all() else (s, e)
        s_i, e_i = sv // _NS_PER_DAY - table.first_day, ev // _NS_PER_DAY - table.first_day
        whole = table.workdays[e_i] - table.workdays[s_i]  # np.busday_count(s_day, e_day)
        diff = whole + self._table_fraction(table, ev, e_i) - self._table_fraction(table, sv, s_i)
        return np.where(valid, np.where(ev > sv, np.maximum(diff, 0.0), 0.0), np.nan)

    @staticmethod
    def _table_fraction(table: _Table, ns: np.ndarray, i: np.ndarray) -> np.ndarray:
        """Share of the day's office hours before each timestamp (0 on non-working days); ``i`` are
        the timestamps' rows in the day table."""
        length = table.length_ns[i]
        into = np.clip(ns - table.opening_ns[i], 0, length)
        return np.where(length > 0, into / np.where(length > 0, length, 1), 0.0)

    def _table_for_positions(self, lo_pos: int, hi_pos: int) -> _Table:
        """A day table whose office positions cover ``lo_pos`` .. ``hi_pos``."""
        weekly = int((self._cache["close_wd"] - self._cache["open_wd"]).sum())
        table: _Table | None = self._cache.get("table")
        if table is None:  # a first guess from the weekly office time; corrected below
            table = self._table(int(lo_pos // weekly * 7) - 14, int(hi_pos // weekly * 7) + 14)
        while not (table.cum_ns[0] <= lo_pos and hi_pos <= table.cum_ns[-1]):
            if table.first_day <= _MIN_DAY and table.last_day >= _MAX_DAY:
                raise PantauError(
                    "Tenggat waktu melewati batas tanggal yang dapat dihitung (tahun 1677–2262)."
                )
            span = table.last_day - table.first_day + 1
            lo_day = table.first_day - (span if lo_pos < table.cum_ns[0] else 0)
            hi_day = table.last_day + (span if hi_pos > table.cum_ns[-1] else 0)
            table = self._table(max(lo_day, _MIN_DAY), min(hi_day, _MAX_DAY))
        return table

    def _office_ns_before(self, day: int) -> int:
        """Office ns from 1970-01-01 up to day ``day`` (days since 1970; negative before 1970)."""
        if day < 0:
            return -self._office_ns_between(day, 0)
        return self._office_ns_between(0, day)

    def _office_ns_between(self, lo: int, hi: int) -> int:
        """Office ns on the days ``lo`` .. ``hi - 1`` (days since 1970)."""
        length_wd = self._cache["close_wd"] - self._cache["open_wd"]
        weeks, rest = divmod(hi - lo, 7)
        total = weeks * int(length_wd.sum())
        total += int(length_wd[(lo + _EPOCH_WEEKDAY + np.arange(rest)) % 7].sum())
        hol = self._cache["holiday_days"].astype(np.int64)
        hol = hol[(hol >= lo) & (hol < hi)]
        return total - int(length_wd[(hol + _EPOCH_WEEKDAY) % 7].sum())

    def _table(self, lo_day: int, hi_day: int) -> _Table:
        """The per-day office table covering at least days ``lo_day`` .. ``hi_day`` (cached, grown on demand)."""
        table: _Table | None = self._cache.get("table")
        if table is not None and table.first_day <= lo_day and hi_day <= table.last_day:
            return table
        if table is not None:
            lo_day, hi_day = min(lo_day, table.first_day), max(hi_day, table.last_day)
        # About a year of margin on both sides, so that due times after the last start rarely regrow it.
        first = max(lo_day - _TABLE_MARGIN_DAYS, _MIN_DAY)
        last = min(hi_day + _TABLE_MARGIN_DAYS, _MAX_DAY)
        days = np.arange(first, last + 1, dtype=np.int64)
        weekday = (days + _EPOCH_WEEKDAY) % 7
        open_ns = self._cache["open_wd"][weekday]
        length = self._cache["close_wd"][weekday] - open_ns
        hol = self._cache["holiday_days"].astype(np.int64)
        length = np.where(np.isin(days, hol), 0, length)
        open_ns = np.where(length > 0, open_ns, 0)
        cum = np.zeros(len(days) + 1, dtype=np.int64)
        np.cumsum(length, out=cum[1:])
        cum += self._office_ns_before(first)
        workdays = np.zeros(len(days) + 1, dtype=np.int64)
        np.cumsum(length > 0, out=workdays[1:])
        table = _Table(
            first_day=first,
            open_ns=open_ns,
            length_ns=length,
            cum_ns=cum,
            opening_ns=days * _NS_PER_DAY + open_ns,
            workdays=workdays,
        )
        self._cache["table"] = table
        return table

    @staticmethod
    def _position(table: _Table, ns: np.ndarray) -> np.ndarray:
        """Office position of each timestamp (all valid and inside the table; monotone in time)."""
        i = ns // _NS_PER_DAY
        i -= table.first_day
        into = ns - table.opening_ns[i]
        np.maximum(into, 0, out=into)
        np.minimum(into, table.length_ns[i], out=into)
        into += table.cum_ns[i]
        return into

    def _from_position(self, table: _Table, pos: np.ndarray, *, side: str) -> np.ndarray:
        """Wall time of office position ``pos`` (side='left': a position at a day's end is that
        day's closing; side='right': it is the next working day's opening)."""
        cum_end = table.cum_ns[1:]
        j = np.searchsorted(cum_end, pos, side="left" if side == "left" else "right")
        return (table.first_day + j) * _NS_PER_DAY + table.open_ns[j] + (pos - table.cum_ns[j])

    def _position_and_table(self, ns: np.ndarray, extra_ns: int) -> tuple[_Table, np.ndarray]:
        """Table that covers the start days and ``extra_ns`` of office time after the latest start."""
        lo, hi = int(ns.min() // _NS_PER_DAY), int(ns.max() // _NS_PER_DAY)
        weekly = int((self._cache["close_wd"] - self._cache["open_wd"]).sum())
        # Enough weeks for the duration, plus room for holidays; grown further below if needed.
        span = hi + int(extra_ns // weekly + 2) * 7
        while True:
            table = self._table(lo, min(span, _MAX_DAY))
            pos = self._position(table, ns)
            if pos.max() + extra_ns <= table.cum_ns[-1]:
                return table, pos
            if table.last_day >= _MAX_DAY:
                raise PantauError("Tenggat waktu melewati batas tanggal yang dapat dihitung (tahun 2262).")
            span = table.last_day + (table.last_day - table.first_day)

    def _snap_ns(self, ns: np.ndarray) -> np.ndarray:
        table, pos = self._position_and_table(ns, 1)
        return self._from_position(table, pos, side="right")

    def _add_office_ns(self, ns: np.ndarray, extra_ns: int) -> np.ndarray:
        if extra_ns == 0:
            return self._snap_ns(ns)
        table, pos = self._position_and_table(ns, extra_ns)
        return self._from_position(table, pos + extra_ns, side="left")

    def _add_working_days_ns(self, ns: np.ndarray, amount: int) -> np.ndarray:
        start = self._snap_ns(ns)  # on a working day, inside office hours
        if amount == 0:
            return start
        start_day = start // _NS_PER_DAY
        try:
            due_day = np.busday_offset(
                start_day.astype("datetime64[D]"), amount, roll="forward", busdaycal=self._cache["busdaycal"]
            ).astype(np.int64)
        except (OverflowError, ValueError):
            raise PantauError("Tenggat waktu melewati batas tanggal yang dapat dihitung.") from None
        weekday = (due_day + _EPOCH_WEEKDAY) % 7
        wall = np.clip(
            start - start_day * _NS_PER_DAY, self._cache["open_wd"][weekday], self._cache["close_wd"][weekday]
        )
        return _checked_add(due_day * _NS_PER_DAY, wall)


# --------------------------------------------------------------------------------------------
# Construction from configuration
# --------------------------------------------------------------------------------------------


def build_calendar(
    office_hours: Mapping[Any, Any] | None = None,
    extra_holidays: Iterable[Any] = (),
    timezone: str = "Asia/Jakarta",
    years: Iterable[int] | None = None,
) -> WorkCalendar:
    """A WorkCalendar with Indonesian public holidays and cuti bersama for ``years``.

    ``office_hours`` maps weekday 0 (Monday)..6 (Sunday) to (opening, closing) as ``time`` or
    ``"HH:MM"`` text; None means ``DEFAULT_OFFICE_HOURS`` (Mon–Thu 07:30–16:00, Fri 07:30–11:30).
    ``extra_holidays`` are local non-working dates (dates or ISO text). ``years`` defaults to 2015
    up to two years after the current year.
    """
    year_list = (
        sorted({int(y) for y in years}) if years is not None else list(range(2015, dt.date.today().year + 3))
    )
    table = indonesian_holidays(year_list, extra_holidays)
    return WorkCalendar(
        office_hours=DEFAULT_OFFICE_HOURS if office_hours is None else office_hours,
        holidays=frozenset(table),
        timezone=timezone,
        holiday_years=(year_list[0], year_list[-1]) if year_list else None,
    )


# --------------------------------------------------------------------------------------------
# Array helpers
# --------------------------------------------------------------------------------------------

_NAT = np.iinfo(np.int64).min
_MIN_DAY = int(pd.Timestamp.min.ceil("D").value // _NS_PER_DAY) + 1
_MAX_DAY = int(pd.Timestamp.max.floor("D").value // _NS_PER_DAY) - 1


def _checked_add(a: np.ndarray, b: Any) -> np.ndarray:
    result = np.asarray(a, dtype=np.int64) + b
    if np.any(result >= _MAX_DAY * _NS_PER_DAY + _NS_PER_DAY) or np.any(result < _MIN_DAY * _NS_PER_DAY):
        raise PantauError("Tenggat waktu melewati batas tanggal yang dapat dihitung (tahun 1677–2262).")
    return result


def _as_ns(values: Any, timezone: str, *, float_result: bool = False) -> tuple[np.ndarray, Any]:
    """Timestamps as int64 ns of naive local wall time (NaT = int64 min), and a function that
    wraps a result array back into the caller's container (Series keeps index, name and unit)."""
    scalar = isinstance(values, (dt.datetime, dt.date, np.datetime64)) or values is pd.NaT or values is None
    if scalar:
        values = pd.DatetimeIndex([values])
    index = name = None
    if isinstance(values, pd.Series):
        index, name = values.index, values.name
    try:
        if isinstance(values, (pd.Series, pd.Index)) and isinstance(values.dtype, pd.DatetimeTZDtype):
            series = pd.Series(values, copy=False)
            series = series.dt.tz_convert(timezone).dt.tz_localize(None)
        else:
            series = pd.Series(values, copy=False)
            if not pd.api.types.is_datetime64_dtype(series.dtype):
                kind = pd.api.types.infer_dtype(series, skipna=True)
                if kind not in ("datetime", "datetime64", "date", "empty"):
                    raise PantauError(f"Kolom berisi nilai yang bukan tanggal/waktu ({kind}).")
                series = pd.to_datetime(series)
                if isinstance(series.dtype, pd.DatetimeTZDtype):
                    series = series.dt.tz_convert(timezone).dt.tz_localize(None)
        unit = np.datetime_data(series.dtype)[0]
        ns = series.dt.as_unit("ns").to_numpy().view(np.int64)
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        raise PantauError("Ada tanggal di luar rentang yang dapat dihitung (tahun 1677–2262).") from None

    def wrap(result: np.ndarray) -> Any:
        if result.dtype.kind == "f" or float_result:
            return float(result[0]) if scalar else pd.Series(result, index=index, name=name, dtype="float64")
        stamps = result.view("datetime64[ns]")
        if scalar:
            return pd.Timestamp(stamps[0])
        out = pd.Series(stamps, index=index, name=name, copy=True)
        return out if unit == "ns" else out.dt.as_unit(unit)

    return ns, wrap
