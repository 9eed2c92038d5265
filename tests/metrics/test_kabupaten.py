"""Kecamatan comparison on the common milestones: hand-checked figures, inputs untouched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.ikm import SURVEY_HEADER, summarise, survey_frame
from metrics.kabupaten import (
    FRAME_COLUMNS,
    TOTAL_ROW,
    answers_in_period,
    desa_drilldown,
    desa_ikm,
    kabupaten_month,
    kecamatan_comparison,
    kecamatan_ikm,
    overdue_of_desa,
    survey_answers,
)


def frame(places: str = "string") -> pd.DataFrame:
    rows = [
        # kecamatan, desa, profil, nomor, diterima, hari_jawaban, hari_selesai, selesai, tepat, terlambat_terbuka
        ("A", "a1", "umum", "1", "2025-01-05", 2.0, 4.0, True, True, False),
        ("A", "a1", "umum", "2", "2025-01-06", 4.0, 10.0, True, False, False),
        ("A", "a2", "cipari", "3", "2025-02-01", 6.0, np.nan, False, False, True),
        ("A", "a2", "cipari", "4", "2025-02-02", np.nan, np.nan, False, False, False),
        ("B", "b1", "babakan", "5", "2025-01-10", 1.0, 2.0, True, True, False),
        ("B", "b1", "babakan", "6", "2024-12-31", 1.0, 30.0, True, False, False),  # before the period
    ]
    out = pd.DataFrame([(*r, pd.NaT) for r in rows], columns=list(FRAME_COLUMNS))
    out["diterima"] = pd.to_datetime(out["diterima"])
    return out.astype({"kecamatan": places, "desa": places, "profil": places})


@pytest.mark.parametrize("places", ["string", "category"])
def test_kecamatan_figures_by_hand(places: str) -> None:
    data = frame(places)
    before = data.copy()
    table = kecamatan_comparison(data, "2025-01-01", "2025-12-31", kecamatan=("A", "B", "C"))
    pd.testing.assert_frame_equal(data, before)
    a, b, c = (table[table["kecamatan"] == k].iloc[0] for k in "ABC")
    assert (a["desa_count"], a["pengaduan"], a["selesai"], a["terlambat_terbuka"]) == (2, 4, 2, 1)
    assert a["median_jawaban"] == 4.0 and a["p90_jawaban"] == pytest.approx(5.6)
    assert a["median_selesai"] == 7.0 and a["p90_selesai"] == pytest.approx(9.4)
    assert a["tepat_waktu"] == pytest.approx(1 / 3)  # 1 settled on time / (2 settled + 1 open late)
    assert (b["pengaduan"], b["median_selesai"], b["tepat_waktu"]) == (1, 2.0, 1.0)
    assert c["pengaduan"] == 0 and np.isnan(c["tepat_waktu"])
    assert list(table["kecamatan"]) == ["A", "B", "C"]  # slowest median to settle first


@pytest.mark.parametrize("places", ["string", "category"])
def test_drilldown_to_desas_and_overdue_list(places: str) -> None:
    desas = desa_drilldown(frame(places), "A")
    assert list(desas["desa"]) == ["a1", "a2"]
    assert list(desas["profil"]) == ["umum", "cipari"]
    assert desas.set_index("desa").loc["a2", "terlambat_terbuka"] == 1
    overdue = overdue_of_desa(frame(places), "A", "a2")
    assert list(overdue["nomor"]) == ["3"]


@pytest.mark.parametrize("places", ["string", "category"])
def test_kabupaten_month_per_kecamatan_with_a_total_and_the_cutoff(places: str) -> None:
    data = frame(places)
    before = data.copy()
    table, desas, cutoff = kabupaten_month(
        data, "2025-01", pd.Timestamp("2025-06-01"), kecamatan=("A", "B", "C")
    )
    pd.testing.assert_frame_equal(data, before)
    assert cutoff == pd.Timestamp("2025-02-01")  # a past month: up to its end
    rows = table.set_index("kecamatan")
    assert list(table["kecamatan"]) == ["A", "B", "C", TOTAL_ROW]
    assert (rows.loc["A", "pengaduan"], rows.loc["B", "pengaduan"], rows.loc["C", "pengaduan"]) == (2, 1, 0)
    total = rows.loc[TOTAL_ROW]
    assert (total["pengaduan"], total["selesai"], total["desa_count"]) == (3, 3, 2)
    assert total["median_selesai"] == 4.0 and total["tepat_waktu"] == pytest.approx(2 / 3)
    assert list(desas["desa"]) == ["a1", "b1"] and list(desas["pengaduan"]) == [2, 1]
    # the running month: up to now only
    table, _desas, cutoff = kabupaten_month(data, "2025-02", pd.Timestamp("2025-02-01 12:00"))
    assert cutoff == pd.Timestamp("2025-02-01 12:00")
    assert table.set_index("kecamatan").loc[TOTAL_ROW, "pengaduan"] == 1  # Feb 2 not yet


def _survey(*answers: tuple[str, int]) -> pd.DataFrame:
    return survey_frame(
        [list(SURVEY_HEADER), *[[n, "", str(v), "", "2025-03-01 10:00", f"s{n}{v}"] for n, v in answers]]
    )


@pytest.mark.parametrize("places", ["string", "category"])
def test_ikm_per_kecamatan_and_desa_counts_each_desa_s_own_complaints_in_the_period(places: str) -> None:
    data = frame(places)
    before = data.copy()
    surveys = {
        ("A", "a1"): _survey(("1", 4), ("2", 3), ("5", 1)),  # "5" is a Nomor of b1, not of a1: never counted
        ("A", "a2"): _survey(("3", 2)),
        ("B", "b1"): _survey(("5", 4), ("6", 1)),  # 6 was received before the period
    }
    answers = survey_answers(data, surveys, "2025-01-01", "2025-12-31")
    pd.testing.assert_frame_equal(data, before)
    assert sorted(zip(answers["desa"], answers["nomor"], answers["nilai"], strict=True)) == [
        ("a1", "1", 4),
        ("a1", "2", 3),
        ("a2", "3", 2),
        ("b1", "5", 4),
    ]
    table = kecamatan_ikm(answers, minimum=3, kecamatan=("A", "B", "C")).set_index("kecamatan")
    expected_a = summarise(pd.Series([4, 3, 2]), 3)  # metrics.ikm on the same answers
    assert table.loc["A", "ikm"] == pytest.approx(expected_a.ikm) == pytest.approx(75.0)
    assert (table.loc["A", "mutu"], table.loc["A", "responden"], table.loc["A", "cukup"]) == ("C", 3, True)
    assert table.loc["B", "ikm"] == pytest.approx(summarise(pd.Series([4]), 3).ikm)
    assert not table.loc["B", "cukup"]  # 1 answer < minimum 3: "belum cukup"
    assert table.loc["C", "responden"] == 0 and np.isnan(table.loc["C", "ikm"])  # no answers: empty, not 0
    desas = desa_ikm(answers, "A", minimum=1, desas=("a1", "a2")).set_index("desa")
    assert desas.loc["a1", "ikm"] == pytest.approx(summarise(pd.Series([4, 3]), 1).ikm)
    assert desas.loc["a2", "ikm"] == pytest.approx(50.0) and desas.loc["a2", "mutu"] == "D"
    # a narrower period drops the answers of complaints received outside it
    january = survey_answers(data, surveys, "2025-01-01", "2025-01-31")
    assert sorted(january["nomor"]) == ["1", "2", "5"]
    # joined once for all periods, then narrowed: the same rows
    narrowed = answers_in_period(survey_answers(data, surveys), "2025-01-01", "2025-01-31")
    pd.testing.assert_frame_equal(
        narrowed.sort_values("nomor", ignore_index=True), january.sort_values("nomor", ignore_index=True)
    )
    assert survey_answers(data, {}, None, None).empty
