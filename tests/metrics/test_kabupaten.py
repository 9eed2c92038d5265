"""Kecamatan comparison on the common milestones: hand-checked figures, inputs untouched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.kabupaten import (
    FRAME_COLUMNS,
    TOTAL_ROW,
    desa_drilldown,
    kabupaten_month,
    kecamatan_comparison,
    overdue_of_desa,
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
