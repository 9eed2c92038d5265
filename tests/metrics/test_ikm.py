"""metrics.ikm: Permenpan RB 14/2017 formula, grades, 'belum cukup', groups; inputs untouched."""

import math

import pandas as pd
import pytest

from metrics import ikm


@pytest.mark.parametrize(
    ("value", "grade", "label"),
    [
        (100.0, "A", "Sangat Baik"),
        (88.31, "A", "Sangat Baik"),
        (88.305, "A", "Sangat Baik"),  # the table is written to two decimals
        (88.30, "B", "Baik"),
        (76.61, "B", "Baik"),
        (76.60, "C", "Kurang Baik"),
        (65.00, "C", "Kurang Baik"),
        (64.99, "D", "Tidak Baik"),
        (25.0, "D", "Tidak Baik"),
    ],
)
def test_grade_boundaries(value, grade, label):
    assert ikm.grade_for(value) == (grade, label)


def survey(rows):
    return ikm.survey_frame([list(ikm.SURVEY_HEADER), *rows])


def complaints():
    return pd.DataFrame(
        {
            "nomor": ["CBD/2026/01/0001", "CBD/2026/01/0002", "KRS/2026/01/0001", "KRS/2026/02/0001"],
            "desa": ["Cibodas", "Cibodas", "Karangsari", "Karangsari"],
            "kecamatan": ["Sukamaju", "Sukamaju", "Sukamaju", "Sukamaju"],
        }
    )


def test_ikm_is_mean_times_25_with_the_number_of_responses():
    frame = survey(
        [
            ["CBD/2026/01/0001", "Cibodas", "4", "", "2026-02-03 10:00", "a"],
            ["CBD/2026/01/0002", "Cibodas", "3", "", "2026-02-04 10:00", "b"],
            ["KRS/2026/01/0001", "Karangsari", "2", "", "2026-03-01 09:00", "c"],
        ]
    )
    joined = ikm.joined_survey(frame, complaints())
    summary = ikm.ikm_summary(joined, minimum=2)
    assert summary.responses == 3
    assert summary.nrr == pytest.approx(3.0)
    assert summary.ikm == pytest.approx(75.0)
    assert (summary.grade, summary.grade_label, summary.enough) == ("C", "Kurang Baik", True)
    feb = ikm.ikm_summary(joined, minimum=2, month="2026-02")
    assert (feb.responses, feb.ikm, feb.grade) == (2, pytest.approx(87.5), "B")


def test_below_the_minimum_is_not_enough_but_still_computed():
    frame = survey([["CBD/2026/01/0001", "Cibodas", "4", "", "2026-02-03 10:00", "a"]])
    summary = ikm.ikm_summary(ikm.joined_survey(frame, complaints()), minimum=10)
    assert summary.responses == 1 and not summary.enough
    assert summary.ikm == pytest.approx(100.0)
    empty = ikm.ikm_summary(ikm.joined_survey(survey([]), complaints()), minimum=10)
    assert (empty.responses, empty.ikm, empty.grade, empty.has_data) == (0, None, None, False)


def test_first_row_per_nomor_counts_bad_scores_and_unknown_nomor_are_left_out():
    frame = survey(
        [
            ["cbd/2026/01/0001 ", "Cibodas", "1", "", "2026-02-03 10:00", "a"],
            ["CBD/2026/01/0001", "Cibodas", "4", "", "2026-02-03 10:01", "b"],  # a copy that lost
            ["CBD/2026/01/0002", "Cibodas", "5", "", "2026-02-03 10:00", "c"],  # not 1-4
            ["XXX/2026/01/0009", "Cibodas", "4", "", "2026-02-03 10:00", "d"],  # not in the register
        ]
    )
    assert list(frame["nilai"]) == [1, 4]
    joined = ikm.joined_survey(frame, complaints())
    assert list(joined["nilai"]) == [1]


def test_per_group_lists_groups_without_answers_and_marks_enough():
    frame = survey(
        [
            ["CBD/2026/01/0001", "Cibodas", "4", "", "2026-02-03 10:00", "a"],
            ["CBD/2026/01/0002", "Cibodas", "4", "", "2026-02-04 10:00", "b"],
            ["KRS/2026/01/0001", "Karangsari", "1", "", "2026-02-05 10:00", "c"],
        ]
    )
    joined = ikm.joined_survey(frame, complaints())
    table = ikm.ikm_by_group(joined, "desa", minimum=2, groups=["Cibodas", "Karangsari", "Mekarsari"])
    rows = table.set_index("desa")
    assert rows.loc["Cibodas", "ikm"] == pytest.approx(100.0) and rows.loc["Cibodas", "cukup"]
    assert rows.loc["Karangsari", "mutu"] == "D" and not rows.loc["Karangsari", "cukup"]
    assert rows.loc["Mekarsari", "responden"] == 0 and math.isnan(rows.loc["Mekarsari", "ikm"])
    by_kecamatan = ikm.ikm_by_group(joined, "kecamatan", minimum=2)
    assert list(by_kecamatan["responden"]) == [3]
    assert by_kecamatan.loc[0, "ikm"] == pytest.approx(75.0)


def test_inputs_are_not_mutated():
    frame = survey([["CBD/2026/01/0001", "Cibodas", "4", "", "2026-02-03 10:00", "a"]])
    register = complaints()
    before_frame, before_register = frame.copy(deep=True), register.copy(deep=True)
    joined = ikm.joined_survey(frame, register)
    joined_before = joined.copy(deep=True)
    ikm.ikm_summary(joined, 1, month="2026-02")
    ikm.ikm_by_group(joined, "desa", 1, groups=["Cibodas"])
    pd.testing.assert_frame_equal(frame, before_frame)
    pd.testing.assert_frame_equal(register, before_register)
    pd.testing.assert_frame_equal(joined, joined_before)


def test_twelve_month_window_and_report_text():
    frame = survey(
        [
            ["CBD/2026/01/0001", "Cibodas", "4", "", "2025-02-03 10:00", "a"],  # 13 months before
            ["CBD/2026/01/0002", "Cibodas", "3", "", "2025-03-04 10:00", "b"],
            ["KRS/2026/01/0001", "Karangsari", "2", "", "2026-02-05 10:00", "c"],
        ]
    )
    joined = ikm.joined_survey(frame, complaints())
    year = ikm.ikm_summary(joined, minimum=3, month="2026-02", months=12)
    assert year.responses == 2 and year.ikm == pytest.approx(62.5)
    assert ikm.summary_text(year) == "62,50 (mutu D, Tidak Baik) dari 2 penilaian — belum cukup (minimal 3)"
    assert ikm.summary_text(ikm.ikm_summary(joined, 1, month="2024-01")) == "belum ada penilaian"


def test_rating_time_read_like_register_dates():
    frame = survey(
        [
            ["CBD/2026/01/0001", "Cibodas", "4", "", "2026-11-05 10:00", "a"],  # as the app writes it
            ["CBD/2026/01/0002", "Cibodas", "3", "", "05/11/2026 10.00", "b"],  # typed day first
            ["KRS/2026/01/0001", "Karangsari", "2", "", "kemarin", "c"],  # unreadable: no month
        ]
    )
    assert list(frame["waktu"][:2]) == [pd.Timestamp("2026-11-05 10:00")] * 2
    assert pd.isna(frame["waktu"][2])
    joined = ikm.joined_survey(frame, complaints())
    assert ikm.ikm_summary(joined, 1, month="2026-11").responses == 2
    assert ikm.ikm_summary(joined, 1).responses == 3  # still counted overall
