"""metrics.monthly on a small hand-made register, checked against hand-computed figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.monthly import (
    breakdown,
    late_as_of,
    lateness_as_of,
    month_bounds,
    month_figures,
    monthly_summary,
    monthly_trend,
    open_overdue_list,
    stage_at,
)
from metrics.profiles import load_profile
from metrics.sla import complaint_flags, stage_table
from metrics.workcalendar import build_calendar

UMUM = load_profile("umum")
CALENDAR = build_calendar(UMUM.calendar.office_hours, timezone=UMUM.timezone, years=range(2024, 2028))
NOW = pd.Timestamp("2026-03-10 12:00")
DATE_COLUMNS = (
    "tanggal_diterima",
    "tanggal_verifikasi",
    "tanggal_disposisi",
    "tanggal_tindak_lanjut",
    "tanggal_jawaban",
    "tanggal_selesai",
)


def register(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame.get(column, pd.Series(pd.NaT, index=frame.index))).astype(
            "datetime64[ns]"
        )
    for column in ("nomor", "desa", "kategori", "saluran", "urgensi", "tahap", "isi_pengaduan"):
        frame[column] = frame.get(column, pd.Series(pd.NA, index=frame.index)).astype("string")
    return frame


# A..H: see the comments for what each one tests (umum: jawaban ≤ 14 hari, selesai ≤ 60 hari).
ROWS = [
    # received 31 Jan 23:30 -> January; settled in February on time
    dict(
        nomor="A",
        desa="Alfa",
        tanggal_diterima="2026-01-31 23:30",
        tanggal_verifikasi="2026-02-02 09:00",
        tanggal_jawaban="2026-02-10 23:30",
        tanggal_selesai="2026-02-20 23:30",
        kategori="infrastruktur",
        saluran="whatsapp",
        urgensi="sedang",
    ),
    # received 1 Feb 00:00 -> February; settled on time
    dict(
        nomor="B",
        desa="Alfa",
        tanggal_diterima="2026-02-01 00:00",
        tanggal_verifikasi="2026-02-02 12:00",
        tanggal_jawaban="2026-02-05 00:00",
        tanggal_selesai="2026-02-11 00:00",
        kategori="infrastruktur",
        saluran="whatsapp",
        urgensi="tinggi",
    ),
    # answered after 22 days (late), settled in February: late
    dict(
        nomor="C",
        desa="Alfa",
        tanggal_diterima="2026-02-03 08:00",
        tanggal_jawaban="2026-02-25 08:00",
        tanggal_selesai="2026-02-28 08:00",
        kategori="infrastruktur",
        saluran="surat",
        urgensi="sedang",
    ),
    # open, answer due 24 Feb 10:00: open and overdue at the end of February
    dict(
        nomor="D",
        desa="Alfa",
        tanggal_diterima="2026-02-10 10:00",
        kategori="bantuan_sosial",
        saluran="tatap_muka",
        urgensi="rendah",
    ),
    # open, answer due by the end of 6 Mar: not yet overdue at the end of February (overdue now)
    dict(
        nomor="E",
        desa="Alfa",
        tanggal_diterima="2026-02-20 10:00",
        tanggal_verifikasi="2026-02-23 09:00",
        kategori="bantuan_sosial",
        saluran="whatsapp",
        urgensi="rendah",
    ),
    # January, answered late (20 days) and settled 2 March: open and overdue at the end of February
    dict(
        nomor="F",
        desa="Alfa",
        tanggal_diterima="2026-01-05 10:00",
        tanggal_jawaban="2026-01-25 10:00",
        tanggal_selesai="2026-03-02 10:00",
        kategori="lainnya",
        saluran="whatsapp",
        urgensi="sedang",
    ),
    # the last minute of February
    dict(
        nomor="G",
        desa="Alfa",
        tanggal_diterima="2026-02-28 23:59",
        tanggal_verifikasi="2026-03-02 09:00",
        kategori="Tidak Jelas",
        saluran="whatsapp",
        urgensi="sedang",
    ),
    # the first instant of March
    dict(
        nomor="H",
        desa="Alfa",
        tanggal_diterima="2026-03-01 00:00",
        tanggal_verifikasi="2026-03-02 10:00",
        kategori="lainnya",
        saluran="whatsapp",
        urgensi="sedang",
    ),
]


@pytest.fixture(scope="module")
def data():
    complaints = register(ROWS)
    flags = complaint_flags(complaints, UMUM, CALENDAR, NOW)
    deadlines = stage_table(complaints, UMUM, CALENDAR, NOW)
    return complaints, flags, deadlines


def test_month_bounds_are_local_calendar_months():
    start, end, cut = month_bounds("2026-02", NOW)
    assert (start, end, cut) == (
        pd.Timestamp("2026-02-01"),
        pd.Timestamp("2026-03-01"),
        pd.Timestamp("2026-03-01"),
    )
    assert month_bounds("2026-03", NOW)[2] == NOW  # the current month is cut at now


def test_february_counts(data):
    complaints, flags, deadlines = data
    f = month_figures(complaints, flags, UMUM, "2026-02", NOW, deadlines)
    assert f.diterima == 5  # B C D E G (A is 31 Jan 23:30, H is 1 Mar 00:00)
    assert f.selesai == 3  # A B C
    assert f.terbuka == 4  # D E F G open at 1 Mar 00:00
    assert f.terlambat_terbuka == 2  # D (answer overdue), F (answered late, still open)
    assert f.terlambat_lama == 1  # F: received in January, the backlog from an earlier month
    assert f.terlambat_baru == 1  # D slipped in February; F was already late on 1 February
    assert f.selesai_tepat_waktu == 2  # A B
    assert f.tepat_waktu == pytest.approx(2 / 4)  # A B of (A B C settled + D)


def test_february_times(data):
    complaints, flags, deadlines = data
    f = month_figures(complaints, flags, UMUM, "2026-02", NOW, deadlines)
    # verification: A 1 day 9.5 h = 1.395833, B 1.5, E 2 days 23 h = 2.958333
    median, p90, n = f.waktu["verifikasi"]
    assert n == 3
    assert median == pytest.approx(1.5)
    assert p90 == pytest.approx(1.5 + 0.8 * (71 / 24 - 1.5))
    # answer: A 10, B 4, C 22 -> median 10, p90 10 + 0.8 * 12
    assert f.waktu["jawaban"] == pytest.approx((10.0, 19.6, 3))
    # settle: A 20, B 10, C 25 -> median 20, p90 20 + 0.8 * 5
    assert f.waktu["selesai"] == pytest.approx((20.0, 24.0, 3))


def test_january_and_last_year_and_changes(data):
    complaints, flags, deadlines = data
    summary = monthly_summary(complaints, flags, UMUM, pd.Period("2026-02", "M"), NOW, deadlines)
    jan = summary.previous
    assert (jan.diterima, jan.selesai, jan.terbuka, jan.terlambat_terbuka, jan.terlambat_baru) == (
        2,
        0,
        2,
        1,
        1,
    )
    assert jan.tepat_waktu == 0.0  # F slipped in January
    assert summary.change("diterima") == 3
    assert summary.change("tepat_waktu") == pytest.approx(0.5)
    assert summary.last_year.diterima == 0 and math.isnan(summary.last_year.tepat_waktu)
    assert math.isnan(summary.change("tepat_waktu", "last_year"))
    assert summary.change("median_selesai") != summary.change("median_selesai")  # NaN: no January settled


def test_current_month_is_judged_at_now(data):
    complaints, flags, deadlines = data
    march = month_figures(complaints, flags, UMUM, "2026-03", NOW, deadlines)
    assert (march.diterima, march.selesai, march.terbuka, march.terlambat_terbuka) == (1, 1, 4, 2)  # D E late
    assert march.tepat_waktu == 0.0  # F settled, but was answered late; E slipped: 0 / (1 + 1)
    assert march.terlambat_lama == 2  # D E: received in February, still open and late in March
    assert march.terlambat_baru == 1  # E slipped in March (answer due 6 March); D was late before
    # at now the flags-only figure agrees with the deadline table
    flags_only = month_figures(complaints, flags, UMUM, "2026-03", NOW)
    assert (flags_only.terlambat_terbuka, flags_only.selesai_tepat_waktu) == (2, 0)


def test_breakdowns(data):
    complaints, flags, deadlines = data
    summary = monthly_summary(complaints, flags, UMUM, "2026-02", NOW, deadlines)
    kategori = summary.breakdowns["kategori"].set_index("kunci")["jumlah"].to_dict()
    assert kategori == {"infrastruktur": 2, "bantuan_sosial": 2, "Tidak Jelas": 1}
    labels = summary.breakdowns["kategori"]["label"].tolist()
    assert labels[0] == "Bantuan sosial" and "Tidak Jelas" in labels
    urgensi = summary.breakdowns["urgensi"]
    assert urgensi["kunci"].tolist() == ["rendah", "sedang", "tinggi"]
    assert urgensi["jumlah"].tolist() == [2, 2, 1]
    tahap = summary.breakdowns["tahap"].set_index("kunci")["jumlah"]
    # backlog at 1 Mar 00:00: D G received only, E verified, F answered
    assert (tahap["diterima"], tahap["verifikasi"], tahap["jawaban"], tahap.sum()) == (2, 1, 1, 4)


def test_stage_at_reads_dates_not_the_tahap_column(data):
    complaints, _, _ = data
    stages = stage_at(complaints, UMUM, pd.Timestamp("2026-02-21"))
    assert stages.tolist()[:6] == ["selesai", "selesai", "diterima", "diterima", "diterima", "jawaban"]


def test_open_overdue_list(data):
    complaints, _, deadlines = data
    listing = open_overdue_list(complaints, UMUM, deadlines, pd.Timestamp("2026-03-01"))
    assert listing["nomor"].tolist() == ["D", "F"]
    # D: verification (3 hari kerja from Tue 10 Feb 10:00) due Fri 13 Feb 10:00, 15.6 days before
    # the cut-off; F: answer due by the end of 19 Jan (14 hari), given 25 Jan 10:00 = 5.4 days late
    assert listing["terlambat_hari"].tolist() == [15, 5]
    assert listing["jatuh_tempo"].tolist() == [
        pd.Timestamp("2026-02-13 10:00"),
        pd.Timestamp("2026-01-19 23:59:59.999999"),
    ]
    assert listing["batas"].tolist() == ["Verifikasi dan klasifikasi", "Jawaban kepada pelapor"]
    assert "nama_pelapor" not in listing.columns


def test_lateness_at_now_equals_the_sla_flags(data):
    complaints, flags, stages = data
    assert (lateness_as_of(stages, NOW)["terlambat"] == flags["terlambat"]).all()
    for cut in ("2026-02-01", "2026-03-01", NOW):
        assert (
            late_as_of(stages, pd.Timestamp(cut)) == lateness_as_of(stages, pd.Timestamp(cut))["terlambat"]
        ).all()


def test_trend_matches_month_figures(data):
    complaints, flags, deadlines = data
    trend = monthly_trend(complaints, flags, UMUM, "2026-03", NOW, deadlines, months=3)
    assert [str(p) for p in trend["bulan"]] == ["2026-01", "2026-02", "2026-03"]
    assert trend["diterima"].tolist() == [2, 5, 1]
    assert trend["median_selesai"].iloc[1] == 20.0


def test_empty_register():
    complaints = register([dict(nomor="X", tanggal_diterima=None)]).iloc[0:0]
    flags = complaint_flags(complaints, UMUM, CALENDAR, NOW)
    deadlines = stage_table(complaints, UMUM, CALENDAR, NOW)
    summary = monthly_summary(complaints, flags, UMUM, "2026-02", NOW, deadlines)
    assert summary.figures.diterima == 0 and math.isnan(summary.figures.tepat_waktu)
    assert summary.breakdowns["kategori"].empty


def test_breakdown_counts_missing_values():
    table = breakdown(pd.Series(["a", None, "a"], dtype="string"))
    assert table.to_dict("list") == {"kunci": ["a", "(kosong)"], "label": ["a", "(kosong)"], "jumlah": [2, 1]}


@settings(max_examples=40, deadline=None)
@given(
    received_days=st.lists(st.integers(0, 27), min_size=1, max_size=12),
    settle_after=st.lists(st.one_of(st.none(), st.integers(0, 80)), min_size=12, max_size=12),
    late_day=st.integers(0, 27),
)
def test_on_time_rate_bounded_and_a_late_complaint_never_raises_it(received_days, settle_after, late_day):
    rows = []
    for i, day in enumerate(received_days):
        start = pd.Timestamp("2026-01-01 09:00") + pd.Timedelta(days=day)
        after = settle_after[i]
        done = None if after is None else start + pd.Timedelta(days=after)
        rows.append(dict(nomor=f"N{i}", tanggal_diterima=start, tanggal_jawaban=done, tanggal_selesai=done))
    now = pd.Timestamp("2026-06-01")

    def rate(frame):
        flags = complaint_flags(frame, UMUM, CALENDAR, now)
        deadlines = stage_table(frame, UMUM, CALENDAR, now)
        return month_figures(frame, flags, UMUM, "2026-02", now, deadlines).tepat_waktu

    before = rate(register(rows))
    late_start = pd.Timestamp("2026-01-01 09:00") + pd.Timedelta(days=late_day)
    after = rate(register([*rows, dict(nomor="LATE", tanggal_diterima=late_start)]))  # never answered
    assert math.isnan(before) or 0.0 <= before <= 1.0
    # the new complaint counts in February only if it slipped in February
    assert math.isnan(after) or 0.0 <= after <= 1.0
    assert math.isnan(before) or after <= before


def test_a_long_stuck_complaint_does_not_pull_every_later_month_down(data):
    """One complaint stuck since January counts against January (when it slipped), not again in
    every month after: a month with only on-time settlements reads 100%."""
    complaints, _, _ = data
    stuck = dict(nomor="Z", desa="Alfa", tanggal_diterima="2025-06-02 09:00")  # never answered
    on_time = [
        dict(
            nomor=f"T{i}",
            desa="Alfa",
            tanggal_diterima=f"2026-02-0{i} 09:00",
            tanggal_verifikasi=f"2026-02-0{i} 10:00",
            tanggal_jawaban=f"2026-02-0{i} 14:00",
            tanggal_selesai=f"2026-02-0{i} 15:00",
        )
        for i in range(2, 6)
    ]
    frame = register([stuck, *on_time])
    flags = complaint_flags(frame, UMUM, CALENDAR, NOW)
    deadlines = stage_table(frame, UMUM, CALENDAR, NOW)
    february = month_figures(frame, flags, UMUM, "2026-02", NOW, deadlines)
    assert february.terlambat_terbuka == 1 and february.terlambat_baru == 0
    assert february.tepat_waktu == 1.0
    june_2025 = month_figures(frame, flags, UMUM, "2025-06", NOW, deadlines)
    assert june_2025.terlambat_baru == 1 and june_2025.tepat_waktu == 0.0


def test_displayed_change_rounds_like_the_display_and_zero_has_no_direction():
    from metrics.monthly import displayed_change

    tiny = displayed_change("days", 3.04, 3.0)
    assert (tiny.value, tiny.direction, tiny.comparable) == (0.0, 0, True)
    assert displayed_change("days", 3.0, 3.04).value == 0.0  # never "-0,0"
    assert displayed_change("days", 3.0, 3.04).direction == 0
    down = displayed_change("percent", 0.801, 0.85)
    assert (down.value, down.direction) == (-4.9, -1)  # percentage points, one decimal
    assert displayed_change("count", 7, 5).value == 2 and displayed_change("count", 7, 5).direction == 1
    assert not displayed_change("days", float("nan"), 3.0).comparable


def test_first_month_with_data_has_no_comparison(data):
    from metrics.monthly import displayed_change

    complaints, flags, table = data
    first = complaints["tanggal_diterima"].min().to_period("M")
    summary = monthly_summary(complaints, flags, UMUM, first, NOW, table)
    assert summary.figures.has_data and not summary.previous.has_data
    change = summary.displayed_change("diterima", "count")
    assert not change.comparable and change.value is None and change.direction == 0
    later = monthly_summary(complaints, flags, UMUM, first + 1, NOW, table)
    assert later.displayed_change("diterima", "count").comparable
    assert displayed_change("count", 5, 0, before_has_data=False).value is None


def test_settled_before_receipt_is_not_on_time_and_left_out_of_the_rate():
    rows = [
        dict(nomor="OK", desa="A", tanggal_diterima="2026-02-02 09:00", tanggal_selesai="2026-02-05 10:00"),
        # settled (typed) on 1 Feb, received 10 Feb: impossible
        dict(nomor="BAD", desa="A", tanggal_diterima="2026-02-10 09:00", tanggal_selesai="2026-02-01 10:00"),
    ]
    complaints = register(rows)
    table = stage_table(complaints, UMUM, CALENDAR, NOW)
    flags = complaint_flags(complaints, UMUM, CALENDAR, NOW)
    f = month_figures(complaints, flags, UMUM, "2026-02", NOW, table)
    assert f.selesai == 2 and f.selesai_tepat_waktu == 1 and f.selesai_tidak_wajar == 1
    assert f.tepat_waktu == 1.0
