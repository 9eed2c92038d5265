"""metrics.comparison on a small hand-made kecamatan, checked against hand-computed figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from metrics.comparison import (
    desa_comparison,
    duration_distribution,
    monthly_trend_per_desa,
    period_mask,
    slowest_stage,
    stage_breakdown,
    stage_durations,
)
from metrics.profiles import load_profile
from metrics.sla import complaint_flags
from metrics.workcalendar import build_calendar
from tests.metrics.test_monthly import register

UMUM = load_profile("umum")
CALENDAR = build_calendar(UMUM.calendar.office_hours, timezone=UMUM.timezone, years=range(2025, 2028))
NOW = pd.Timestamp("2026-06-01 12:00")  # after every settlement of ROWS (a later one is impossible)
MONDAY = pd.Timestamp("2026-01-05 09:00")
DAY = pd.Timedelta(days=1)


def complaint(
    nomor, desa, *, verif=None, jawab=None, selesai=None, received=MONDAY, kategori="infrastruktur"
):
    at = lambda days: None if days is None else received + days * DAY  # noqa: E731
    return dict(
        nomor=nomor,
        desa=desa,
        tanggal_diterima=received,
        tanggal_verifikasi=at(verif),
        tanggal_jawaban=at(jawab),
        tanggal_selesai=at(selesai),
        kategori=kategori,
    )


ROWS = [
    # Alfa: fast. Answer 1..5 days, settle 2..10 days, verification after half a day.
    *[complaint(f"A{i}", "Alfa", verif=0.5, jawab=i, selesai=2 * i) for i in range(1, 6)],
    # Beta: slow to settle (the last stage): answer 5 days, settle 10..70 (70 is past 60 hari).
    *[
        complaint(f"B{i}", "Beta", verif=2, jawab=5, selesai=s)
        for i, s in enumerate((10, 20, 30, 40, 50, 70))
    ],
    # Beta: open, never answered (overdue now)
    complaint("B9", "Beta", verif=1, received=MONDAY + DAY),
    # Gamma: only two settled (not ranked), both late
    complaint("G1", "Gamma", jawab=10, selesai=100),
    complaint("G2", "Gamma", jawab=10, selesai=120),
    # outside the period / another category
    complaint("D1", "Delta", jawab=1, selesai=2, received=pd.Timestamp("2026-02-10 09:00")),
    complaint("A9", "Alfa", jawab=1, selesai=2, kategori="lainnya"),
]
PERIOD = ("2026-01-01", "2026-01-31")


@pytest.fixture(scope="module")
def data():
    complaints = register(ROWS)
    return complaints, complaint_flags(complaints, UMUM, CALENDAR, NOW)


def test_period_mask_end_is_a_whole_day(data):
    complaints, _ = data
    assert period_mask(complaints, "2026-01-05", "2026-01-05").sum() == 14  # all but B9 (6 Jan), D1
    assert period_mask(complaints, *PERIOD, "infrastruktur").sum() == 14  # not D1 (Feb), A9 (lainnya)


def test_comparison_figures_and_ranking(data):
    complaints, flags = data
    table = desa_comparison(complaints, flags, UMUM, *PERIOD, "infrastruktur", desa_names=["Epsilon"])
    assert table["desa"].tolist() == ["Beta", "Alfa", "Epsilon", "Gamma"]  # slowest ranked first
    rows = table.set_index("desa")
    alfa, beta, gamma, epsilon = (rows.loc[d] for d in ("Alfa", "Beta", "Gamma", "Epsilon"))
    assert (alfa.pengaduan, alfa.selesai, alfa.terlambat_terbuka) == (5, 5, 0)
    assert (alfa.median_jawaban, alfa.p90_jawaban) == pytest.approx((3.0, 4.6))
    assert (alfa.median_selesai, alfa.p90_selesai) == pytest.approx((6.0, 9.2))
    assert alfa.tepat_waktu == 1.0 and alfa.peringkat == 2
    assert (beta.pengaduan, beta.selesai, beta.terlambat_terbuka) == (7, 6, 1)
    assert (beta.median_selesai, beta.p90_selesai) == pytest.approx((35.0, 60.0))
    assert beta.tepat_waktu == pytest.approx(5 / 7)  # 70-day one late; the open one overdue
    assert beta.peringkat == 1
    assert not gamma.cukup_data and pd.isna(gamma.peringkat) and gamma.tepat_waktu == 0.0
    assert epsilon.pengaduan == 0 and pd.isna(epsilon.peringkat) and math.isnan(epsilon.tepat_waktu)
    # why slow: Beta's settle stage (30 days vs the kecamatan's 15); Alfa slower nowhere
    assert beta.tahap_lambat == "Selesai dan diarsipkan" and beta.tahap_lambat_selisih == pytest.approx(15.0)
    assert pd.isna(alfa.tahap_lambat)


def test_stage_breakdown_medians(data):
    complaints, _ = data
    table = stage_breakdown(complaints, UMUM, *PERIOD, "infrastruktur")
    rows = table.set_index(["desa", "tahap"])
    assert rows.loc[("Beta", "verifikasi"), "median_hari"] == 2.0
    assert rows.loc[("Beta", "verifikasi"), "median_kecamatan"] == 1.5
    assert rows.loc[("Alfa", "jawaban"), "median_hari"] == 2.5  # from verification: J - 0.5
    assert rows.loc[("Beta", "selesai"), "median_hari"] == 30.0
    assert rows.loc[("Beta", "selesai"), "median_kecamatan"] == 15.0
    assert rows.loc[("Gamma", "jawaban"), "median_hari"] == 10.0  # skipped verification: from receipt
    assert rows.loc[("Alfa", "tindak_lanjut"), "n"] == 0
    assert table["tahap"].unique().tolist() == [
        "verifikasi",
        "disposisi",
        "tindak_lanjut",
        "jawaban",
        "selesai",
    ]


def test_stage_durations_skip_backward_dates():
    frame = register(
        [
            dict(
                nomor="X",
                tanggal_diterima="2026-01-05 09:00",
                tanggal_verifikasi="2026-01-04 09:00",
                tanggal_jawaban="2026-01-06 09:00",
            )
        ]
    )
    durations = stage_durations(frame, UMUM)
    assert math.isnan(durations.loc[0, "verifikasi"])
    assert durations.loc[0, "jawaban"] == 2.0  # from verification (the last filled earlier stage)


def test_monthly_trend_and_distribution(data):
    complaints, flags = data
    trend = monthly_trend_per_desa(complaints, flags, UMUM, "2026-01-01", "2026-02-28")
    beta = trend[trend["desa"] == "Beta"].iloc[0]
    assert str(beta["bulan"]) == "2026-01" and beta["pengaduan"] == 7
    assert beta["median_selesai"] == 35.0 and beta["tepat_waktu"] == pytest.approx(5 / 7)
    assert trend[trend["desa"] == "Delta"]["bulan"].astype(str).tolist() == ["2026-02"]
    spread = duration_distribution(complaints, UMUM, *PERIOD, "infrastruktur").set_index("desa")
    assert spread.loc["Alfa", ["n", "p10", "q1", "median", "q3", "p90"]].tolist() == pytest.approx(
        [5, 2.8, 4, 6, 8, 9.2]
    )


def test_empty_period(data):
    complaints, flags = data
    table = desa_comparison(complaints, flags, UMUM, "2030-01-01", "2030-01-31")
    assert table.empty
    assert stage_breakdown(complaints, UMUM, "2030-01-01", "2030-01-31").empty


def test_slowest_stage_is_named_only_for_a_real_gap():
    breakdown = pd.DataFrame(
        {
            "desa": ["Alfa", "Alfa", "Beta", "Beta"],
            "urutan": [1, 2, 1, 2],
            "label": ["Verifikasi", "Tindak lanjut", "Verifikasi", "Tindak lanjut"],
            "selisih": [0.2, 0.1, 0.3, 1.8],  # days above the kecamatan median
        }
    )
    table = slowest_stage(breakdown).set_index("desa")
    assert (
        table.loc["Beta", "tahap_lambat"] == "Tindak lanjut"
        and table.loc["Beta", "tahap_lambat_selisih"] == 1.8
    )
    assert "Alfa" not in table.index or pd.isna(
        table.loc["Alfa", "tahap_lambat"]
    )  # a few hours is no finding


def test_a_desa_holding_the_most_open_overdue_is_not_the_fastest():
    from metrics.comparison import fastest_desa

    rows = [
        # Cepat: settles in 1-2 days, but four complaints sit open and long overdue
        *[complaint(f"C{i}", "Cepat", verif=0.2, jawab=1, selesai=1 + i / 5) for i in range(5)],
        *[complaint(f"CO{i}", "Cepat", verif=0.2) for i in range(4)],
        # Rapi: settles in 10 days, nothing open
        *[complaint(f"R{i}", "Rapi", verif=1, jawab=5, selesai=10) for i in range(5)],
    ]
    complaints = register(rows)
    flags = complaint_flags(complaints, UMUM, CALENDAR, NOW)
    table = desa_comparison(complaints, flags, UMUM, *PERIOD).set_index("desa")
    assert table.loc["Cepat", "terlambat_terbuka"] == 4
    assert table.loc["Cepat", "median_selesai"] < table.loc["Rapi", "median_selesai"]
    assert table.loc["Cepat", "peringkat"] == 1 and table.loc["Rapi", "peringkat"] == 2
    assert fastest_desa(table.reset_index()) == "Rapi"


def test_fastest_is_never_the_desa_with_the_most_open_overdue():
    from metrics.comparison import fastest_desa

    table = pd.DataFrame(
        {
            "desa": ["A", "B", "C"],
            "peringkat": pd.array([1, 2, 3], dtype="Int64"),
            "terlambat_terbuka": [0, 1, 9],
        }
    )
    assert fastest_desa(table) == "B"
    assert fastest_desa(table.iloc[2:]) is None  # only one ranked: no "fastest" to name


def test_why_the_slowest_stage_is_blank(data):
    complaints, flags = data
    undated = register([complaint("Z1", "Zeta", received=MONDAY)])  # no stage after receipt
    both = pd.concat([complaints, undated], ignore_index=True)
    table = desa_comparison(
        both,
        complaint_flags(both, UMUM, CALENDAR, NOW),
        UMUM,
        *PERIOD,
        "infrastruktur",
        desa_names=["Epsilon"],
    ).set_index("desa")
    assert table.loc["Alfa", "tahap_lambat_alasan"] == "tidak_lebih_lambat"
    assert table.loc["Epsilon", "tahap_lambat_alasan"] == "tanpa_pengaduan"
    assert table.loc["Zeta", "tahap_lambat_alasan"] == "tanpa_tanggal_tahap"
    assert pd.isna(table.loc["Beta", "tahap_lambat_alasan"])  # named: nothing to explain


def test_default_period_follows_the_registers_data():
    from metrics.comparison import default_period

    last_year = pd.Series(pd.to_datetime(["2025-02-03 09:00", "2025-06-30 10:00", None]))
    start, end = default_period(last_year, pd.Timestamp("2026-11-30 12:00"))
    assert start == pd.Timestamp("2025-02-03").date() and end >= pd.Timestamp("2025-06-30").date()
    current = pd.Series(pd.to_datetime(["2023-01-05", "2026-11-20"]))
    start, end = default_period(current, pd.Timestamp("2026-11-30 12:00"))
    assert (str(start), str(end)) == ("2025-11-01", "2026-11-30")


def test_undated_complaint_still_counts_in_the_comparison(data):
    complaints, flags = data
    undated = register([complaint("U1", "Alfa", received=None)])
    both = pd.concat([complaints, undated], ignore_index=True)
    table = desa_comparison(both, complaint_flags(both, UMUM, CALENDAR, NOW), UMUM, *PERIOD, "infrastruktur")
    assert table.set_index("desa").loc["Alfa", "pengaduan"] == 6  # 5 dated + the unreadable one
