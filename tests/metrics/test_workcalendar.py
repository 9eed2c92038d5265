"""Work calendar: hand-computed cases, then properties against the per-row oracle."""

from __future__ import annotations

import datetime as dt
import math
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.durations import Duration, parse_duration
from metrics.errors import PantauError
from metrics.workcalendar import (
    DEFAULT_OFFICE_HOURS,
    WorkCalendar,
    build_calendar,
    indonesian_holidays,
)
from tests.metrics.calendar_oracle import OracleCalendar

CAL = build_calendar(years=range(2015, 2031))
WITA = build_calendar(timezone="Asia/Makassar", years=range(2024, 2028))
ORACLE = OracleCalendar(CAL.office_hours, CAL.holidays)

T = pd.Timestamp
NAT = pd.NaT


def add_one(cal: WorkCalendar, start, text: str):
    return cal.add(pd.Series([T(start) if start is not None else NAT]), parse_duration(text)).iloc[0]


# ---- holidays as the package gives them (checked by hand against the 2025/2026 SKB) ----------


def test_holidays_2026_idul_fitri_nyepi_and_cuti_bersama_in_indonesian():
    h = indonesian_holidays([2026])
    assert h[dt.date(2026, 3, 19)] == "Hari Suci Nyepi"
    assert h[dt.date(2026, 3, 18)] == "Cuti Bersama Hari Suci Nyepi"
    assert h[dt.date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert h[dt.date(2026, 3, 22)] == "Hari kedua dari Hari Raya Idul Fitri"
    for day in (20, 23, 24):
        assert h[dt.date(2026, 3, day)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert dt.date(2026, 3, 17) not in h and dt.date(2026, 3, 25) not in h


def test_holidays_2025_idul_fitri_and_nyepi():
    h = indonesian_holidays([2025])
    assert h[dt.date(2025, 3, 29)] == "Hari Suci Nyepi"
    assert h[dt.date(2025, 3, 28)] == "Cuti Bersama Hari Suci Nyepi"
    assert h[dt.date(2025, 3, 31)] == "Hari Raya Idul Fitri"
    assert all("Cuti Bersama" in h[dt.date(2025, m, d)] for m, d in [(4, 2), (4, 3), (4, 4), (4, 7)])
    assert h[dt.date(2025, 8, 18)] == "Cuti Bersama Hari Kemerdekaan Republik Indonesia"


def test_local_holidays_are_added_with_a_name():
    h = indonesian_holidays([2026], ["2026-04-14", dt.date(2026, 3, 19)])
    assert h[dt.date(2026, 4, 14)] == "Libur lokal"
    assert h[dt.date(2026, 3, 19)] == "Hari Suci Nyepi; Libur lokal"
    named = indonesian_holidays([], {dt.date(2026, 4, 14): "HUT Kabupaten"})
    assert named == {dt.date(2026, 4, 14): "HUT Kabupaten"}


def test_bad_local_holiday_is_a_pantau_error():
    with pytest.raises(PantauError, match="TTTT-BB-HH"):
        build_calendar(extra_holidays=["14/04/2026"])


# ---- add: hand-computed cases --------------------------------------------------------------

ADD_CASES = [
    # (start, duration, expected due, why)
    ("2026-11-20 11:00", "1 jam", "2026-11-23 08:00", "Fri 30 min to 11:30, Mon 30 min from 07:30"),
    ("2025-08-15 11:00", "1 jam", "2025-08-19 08:00", "as above, Mon 18 Aug 2025 is cuti bersama"),
    ("2026-11-20 15:00", "30 menit", "2026-11-23 08:00", "after Friday closing: starts Mon 07:30"),
    ("2026-11-23 15:45", "30 menit", "2026-11-24 07:45", "15 min Mon + 15 min Tue"),
    ("2026-11-20 11:00", "30 menit", "2026-11-20 11:30", "due exactly at closing is allowed"),
    ("2026-11-23 16:00", "30 menit", "2026-11-24 08:00", "at closing the office is closed"),
    ("2026-11-23 06:00", "30 menit", "2026-11-23 08:00", "before opening: starts 07:30"),
    ("2026-11-22 22:00", "2 jam", "2026-11-23 09:30", "Sunday night"),
    ("2026-11-23 07:30", "9 jam", "2026-11-24 08:00", "8.5 h Monday + 30 min Tuesday"),
    ("2026-03-17 15:00", "2 jam", "2026-03-25 08:30", "60 min Tue, then 18-24 Mar off (Nyepi, Idul Fitri)"),
    ("2026-03-16 09:00", "3 hari kerja", "2026-03-26 09:00", "Tue 17, Wed 25, Thu 26"),
    ("2026-03-17 14:00", "3 hari kerja", "2026-03-27 11:30", "Wed 25, Thu 26, Fri 27 clipped to 11:30"),
    ("2025-03-27 10:00", "1 hari kerja", "2025-04-08 10:00", "28 Mar Nyepi leave .. 7 Apr Idul Fitri leave"),
    ("2026-11-19 14:00", "1 hari kerja", "2026-11-20 11:30", "Friday closes 11:30"),
    ("2026-11-20 09:00", "2 hari kerja", "2026-11-24 09:00", "over a weekend"),
    ("2026-11-20 09:00", "1 hari kerja", "2026-11-23 09:00", "Friday -> Monday"),
    ("2026-11-21 10:00", "1 hari kerja", "2026-11-24 07:30", "Saturday: counting starts Mon 07:30"),
    ("2026-11-23 06:00", "1 hari kerja", "2026-11-24 07:30", "before opening: from Mon 07:30"),
    ("2026-11-23 16:30", "1 hari kerja", "2026-11-25 07:30", "after closing: from Tue 07:30"),
    ("2026-11-20 10:00", "2 hari", "2026-11-22 10:00", "calendar days: a Sunday due date stays"),
    ("2026-11-21 23:00", "2 hari", "2026-11-23 23:00", "calendar days: no office-hour adjustment"),
    ("2026-03-17 10:00", "14 hari", "2026-03-31 10:00", "calendar days ignore holidays"),
    ("2040-01-06 11:00", "1 jam", "2040-01-09 08:00", "outside the holiday years: weekends only"),
]


@pytest.mark.parametrize(("start", "text", "expected", "why"), ADD_CASES, ids=[c[3] for c in ADD_CASES])
def test_add_hand_computed(start, text, expected, why):
    assert add_one(CAL, start, text) == T(expected), why


@pytest.mark.parametrize(("start", "text", "expected", "why"), ADD_CASES, ids=[c[3] for c in ADD_CASES])
def test_oracle_agrees_with_hand_computed(start, text, expected, why):
    d = parse_duration(text)
    assert ORACLE.add(T(start).to_pydatetime(), d.amount, d.unit) == T(expected).to_pydatetime(), why


def test_nyepi_in_wita():
    # Bali (WITA): Nyepi Thu 19 Mar 2026 with cuti bersama Wed 18; Idul Fitri leave 20-24 Mar.
    assert add_one(WITA, "2026-03-17 10:00", "3 hari kerja") == T("2026-03-27 10:00")
    assert add_one(WITA, "2025-03-27 15:30", "1 jam") == T("2025-04-08 08:00")
    # A timezone-aware timestamp is converted to WITA wall time (02:00 UTC = 10:00 WITA).
    aware = pd.Series([T("2026-03-17 02:00", tz="UTC")])
    assert WITA.add(aware, parse_duration("3 hari kerja")).iloc[0] == T("2026-03-27 10:00")


def test_extra_local_holiday_from_config():
    local = build_calendar(extra_holidays=["2026-04-14"], years=[2026])
    assert add_one(local, "2026-04-13 10:00", "1 hari kerja") == T("2026-04-15 10:00")
    assert add_one(CAL, "2026-04-13 10:00", "1 hari kerja") == T("2026-04-14 10:00")
    assert add_one(local, "2026-04-13 15:30", "1 jam") == T("2026-04-15 08:00")


def test_nat_in_nat_out_for_every_unit():
    start = pd.Series([T("2026-11-20 11:00"), NAT, None], dtype="datetime64[ns]")
    for text in ("30 menit", "1 jam", "2 hari kerja", "2 hari"):
        due = CAL.add(start, parse_duration(text))
        assert due.isna().tolist() == [False, True, True]
    assert CAL.add(pd.Series([NAT, NAT]), parse_duration("1 jam")).isna().all()
    assert len(CAL.add(pd.Series([], dtype="datetime64[ns]"), parse_duration("1 jam"))) == 0


def test_zero_amount_snaps_forward_for_office_units():
    assert CAL.add(T("2026-11-21 10:00"), Duration(0, "jam")) == T("2026-11-23 07:30")
    assert CAL.add(T("2026-11-21 10:00"), Duration(0, "hari_kerja")) == T("2026-11-23 07:30")
    assert CAL.add(T("2026-11-21 10:00"), Duration(0, "hari")) == T("2026-11-21 10:00")


def test_negative_amount_is_rejected():
    with pytest.raises(PantauError):
        CAL.add(pd.Series([T("2026-11-20")]), Duration(-1, "hari"))


def test_series_shape_index_name_and_unit_kept_and_input_not_mutated():
    start = pd.Series(
        pd.to_datetime(["2026-11-20 11:00", "2026-11-21 09:00"]), index=[10, 7], name="diterima"
    )
    start = start.dt.as_unit("us")
    before = start.copy()
    due = CAL.add(start, parse_duration("1 jam"))
    assert due.index.tolist() == [10, 7] and due.name == "diterima" and due.dtype == "datetime64[us]"
    assert due.tolist() == [T("2026-11-23 08:00"), T("2026-11-23 08:30")]
    pd.testing.assert_series_equal(start, before)
    assert CAL.add(T("2026-11-20 11:00"), parse_duration("1 jam")) == T("2026-11-23 08:00")
    idx_due = CAL.add(pd.DatetimeIndex(["2026-11-20 11:00"]), parse_duration("1 jam"))
    assert isinstance(idx_due, pd.Series) and idx_due.iloc[0] == T("2026-11-23 08:00")


def test_non_dates_are_rejected():
    with pytest.raises(PantauError, match="bukan tanggal"):
        CAL.add(pd.Series(["besok", "lusa"]), parse_duration("1 jam"))


# ---- elapsed, snap, is_working_day ---------------------------------------------------------

ELAPSED_CASES = [
    # (start, end, office minutes, working days)
    ("2026-11-20 11:00", "2026-11-23 08:00", 60.0, 1 - 210 / 240 + 30 / 510),
    ("2026-11-23 07:30", "2026-11-24 07:30", 510.0, 1.0),
    ("2026-11-20 07:30", "2026-11-23 07:30", 240.0, 1.0),
    ("2026-11-23 07:30", "2026-11-23 11:45", 255.0, 0.5),
    ("2026-11-19 14:00", "2026-11-20 11:30", 360.0, 1 + 120 / 510),
    ("2026-11-21 08:00", "2026-11-22 20:00", 0.0, 0.0),
    ("2026-11-23 08:00", "2026-11-23 07:00", 0.0, 0.0),
    ("2026-03-17 07:30", "2026-03-26 07:30", 1020.0, 2.0),
    ("2026-11-23 08:00", None, math.nan, math.nan),
    (None, "2026-11-23 08:00", math.nan, math.nan),
]


@pytest.mark.parametrize(("start", "end", "minutes", "days"), ELAPSED_CASES)
def test_elapsed_hand_computed(start, end, minutes, days):
    s = pd.Series([T(start) if start else NAT], dtype="datetime64[ns]")
    e = pd.Series([T(end) if end else NAT], dtype="datetime64[ns]")
    got_minutes = CAL.elapsed_minutes(s, e).iloc[0]
    got_days = CAL.elapsed_working_days(s, e).iloc[0]
    if math.isnan(minutes):
        assert math.isnan(got_minutes) and math.isnan(got_days)
    else:
        assert got_minutes == pytest.approx(minutes)
        assert got_days == pytest.approx(days)


def test_elapsed_aligns_series_on_index():
    s = pd.Series([T("2026-11-23 07:30"), T("2026-11-24 07:30")], index=["a", "b"])
    e = pd.Series([T("2026-11-24 08:30"), T("2026-11-23 08:30")], index=["b", "a"])
    assert CAL.elapsed_minutes(s, e).tolist() == [60.0, 60.0]


SNAP_CASES = [
    ("2026-11-20 11:30", "2026-11-23 07:30"),
    ("2026-11-23 07:29", "2026-11-23 07:30"),
    ("2026-11-23 07:30", "2026-11-23 07:30"),
    ("2026-11-23 15:59:59", "2026-11-23 15:59:59"),
    ("2026-03-18 09:00", "2026-03-25 07:30"),
]


@pytest.mark.parametrize(("ts", "expected"), SNAP_CASES)
def test_snap_forward(ts, expected):
    assert CAL.snap_forward(pd.Series([T(ts)])).iloc[0] == T(expected)


def test_is_working_day():
    days = pd.Series(pd.to_datetime(["2026-03-19", "2026-03-25 23:00", "2026-11-21", None], format="ISO8601"))
    assert CAL.is_working_day(days).tolist() == [False, True, False, False]
    assert CAL.is_working_day(pd.DatetimeIndex(["2026-03-24", "2026-03-27"])).tolist() == [False, True]


def test_holiday_years_flag():
    stamps = pd.Series(pd.to_datetime(["2014-12-31", "2015-01-02", "2030-06-01", "2031-01-01", None]))
    assert CAL.holiday_years == (2015, 2030)
    assert CAL.in_holiday_years(stamps).tolist() == [False, True, True, False, False]


# ---- configuration errors ------------------------------------------------------------------


def test_office_hours_as_text_and_validation():
    cal = build_calendar(office_hours={0: ("08.00", "12:00"), 5: ("08:00", "10:00")}, years=[2026])
    assert add_one(cal, "2026-11-21 09:30", "1 jam") == T("2026-11-23 08:30")  # Sat 30 min + Mon 30 min
    with pytest.raises(PantauError) as err:
        build_calendar(office_hours={0: ("16:00", "07:30"), 9: ("07:00", "08:00"), 2: ("x", "16:00")})
    assert len(err.value.problems) == 3
    with pytest.raises(PantauError, match="paling sedikit"):
        build_calendar(office_hours={})
    with pytest.raises(PantauError, match="Zona waktu"):
        build_calendar(timezone="Asia/Bandung")


def test_calendar_is_hashable_and_comparable():
    a = WorkCalendar(DEFAULT_OFFICE_HOURS, frozenset({dt.date(2026, 1, 1)}))
    b = WorkCalendar(dict(DEFAULT_OFFICE_HOURS), frozenset({dt.date(2026, 1, 1)}))
    assert a == b and hash(a) == hash(b)
    assert WorkCalendar(DEFAULT_OFFICE_HOURS, frozenset()) != a


# ---- properties against the oracle ---------------------------------------------------------

BOUNDARY_TIMES = [dt.time(0, 0), dt.time(7, 29), dt.time(7, 30), dt.time(11, 29), dt.time(11, 30)]
BOUNDARY_TIMES += [dt.time(15, 59), dt.time(16, 0), dt.time(16, 1), dt.time(23, 59, 59)]


@st.composite
def timestamps(draw, first=dt.date(2024, 1, 1), last=dt.date(2027, 12, 31)):
    day = draw(st.dates(min_value=first, max_value=last))
    clock = draw(
        st.one_of(
            st.sampled_from(BOUNDARY_TIMES),
            st.times().map(lambda t: t.replace(microsecond=0)),
        )
    )
    return dt.datetime.combine(day, clock)


maybe_timestamps = st.one_of(timestamps(), timestamps(), timestamps(), st.none())

durations = st.one_of(
    st.integers(1, 1500).map(lambda n: Duration(n, "menit")),
    st.integers(1, 60).map(lambda n: Duration(n, "jam")),
    st.integers(1, 70).map(lambda n: Duration(n, "hari_kerja")),
    st.integers(1, 400).map(lambda n: Duration(n, "hari")),
)
office_durations = durations.filter(lambda d: d.unit != "hari")


def series(values) -> pd.Series:
    return pd.Series([T(v) if v is not None else NAT for v in values], dtype="datetime64[ns]")


def py(value):
    return None if pd.isna(value) else value.to_pydatetime()


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.lists(maybe_timestamps, max_size=25), durations)
def test_add_matches_oracle(starts, duration):
    due = CAL.add(series(starts), duration)
    assert [py(v) for v in due] == [ORACLE.add(s, duration.amount, duration.unit) for s in starts]


@PROPERTY
@given(st.lists(timestamps(), min_size=1, max_size=25), office_durations)
def test_due_time_is_inside_office_hours_on_a_working_day(starts, duration):
    due = CAL.add(series(starts), duration)
    assert CAL.is_working_day(due).all()
    for value in due:
        opening, closing = CAL.office_hours[value.weekday()]
        assert opening <= value.time() <= closing


@PROPERTY
@given(st.lists(maybe_timestamps, max_size=25), office_durations.filter(lambda d: d.is_office_time))
def test_elapsed_minutes_up_to_due_equals_duration(starts, duration):
    s = series(starts)
    elapsed = CAL.elapsed_minutes(s, CAL.add(s, duration))
    expected = [math.nan if v is None else float(duration.minutes) for v in starts]
    np.testing.assert_array_equal(elapsed.to_numpy(), np.array(expected))


@PROPERTY
@given(timestamps(), timestamps(), durations)
def test_later_start_never_gives_earlier_due(a, b, duration):
    early, late = sorted([a, b])
    due = CAL.add(series([early, late]), duration)
    assert due.iloc[0] <= due.iloc[1]


@PROPERTY
@given(st.lists(st.tuples(maybe_timestamps, st.integers(-3 * 1440, 20 * 1440)), max_size=20))
def test_elapsed_and_snap_match_oracle(pairs):
    starts = [s for s, _ in pairs]
    ends = [None if s is None else s + dt.timedelta(minutes=m) for s, m in pairs]
    minutes = CAL.elapsed_minutes(series(starts), series(ends)).to_numpy()
    days = CAL.elapsed_working_days(series(starts), series(ends)).to_numpy()
    np.testing.assert_allclose(
        minutes, [ORACLE.elapsed_minutes(s, e) for s, e in zip(starts, ends, strict=True)]
    )
    np.testing.assert_allclose(
        days, [ORACLE.elapsed_working_days(s, e) for s, e in zip(starts, ends, strict=True)]
    )
    snapped = CAL.snap_forward(series(starts))
    assert [py(v) for v in snapped] == [ORACLE.snap_forward(s) for s in starts]


@st.composite
def calendars(draw):
    hours = {}
    for weekday in range(7):
        if draw(st.booleans()):
            opening = draw(st.integers(0, 23 * 4))
            closing = draw(st.integers(opening + 1, 24 * 4 - 1))
            hours[weekday] = (dt.time(*divmod(opening * 15, 60)), dt.time(*divmod(closing * 15, 60)))
    if not hours:
        hours[draw(st.integers(0, 6))] = (dt.time(8, 0), dt.time(12, 0))
    holidays = draw(st.frozensets(st.dates(dt.date(2025, 12, 1), dt.date(2026, 3, 31)), max_size=40))
    return WorkCalendar(hours, holidays)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calendars(),
    st.lists(timestamps(dt.date(2025, 12, 1), dt.date(2026, 2, 28)), min_size=1, max_size=10),
    durations,
)
def test_any_calendar_matches_oracle(cal, starts, duration):
    oracle = OracleCalendar(cal.office_hours, cal.holidays)
    due = cal.add(series(starts), duration)
    assert [py(v) for v in due] == [oracle.add(s, duration.amount, duration.unit) for s in starts]
    ends = [s + dt.timedelta(days=9, minutes=7) for s in starts]
    minutes = cal.elapsed_minutes(series(starts), series(ends)).to_numpy()
    np.testing.assert_allclose(
        minutes, [oracle.elapsed_minutes(s, e) for s, e in zip(starts, ends, strict=True)]
    )


def test_many_random_rows_match_oracle():
    rng = np.random.default_rng(20260319)
    minutes = rng.integers(0, 4 * 366 * 1440, 3000)
    starts = [dt.datetime(2024, 1, 1) + dt.timedelta(minutes=int(m)) for m in minutes]
    for duration in (
        Duration(45, "menit"),
        Duration(7, "jam"),
        Duration(5, "hari_kerja"),
        Duration(14, "hari"),
    ):
        due = CAL.add(series(starts), duration)
        assert [py(v) for v in due] == [ORACLE.add(s, duration.amount, duration.unit) for s in starts]


def test_calendar_pickles_and_keeps_working():
    copy = pickle.loads(pickle.dumps(CAL))
    assert copy == CAL
    assert add_one(copy, "2026-11-20 11:00", "1 jam") == T("2026-11-23 08:00")
