"""metrics.desa_names: near-miss spellings of a desa and rare desa names."""

from __future__ import annotations

import pandas as pd

from metrics.desa_names import desa_variants, merge_desa_variants, rare_desa


def column(counts: dict[str, int]) -> pd.Series:
    return pd.Series([name for name, n in counts.items() for _ in range(n)], dtype="string")


def test_a_near_miss_of_a_more_frequent_desa_is_a_variant_without_configuration():
    desa = column({"Margamulya": 50, "Margamulia": 2, "Cibodas": 60, "Sukamaju": 40, "Karangsari": 30})
    assert desa_variants(desa) == {"Margamulia": "Margamulya"}


def test_configured_names_win_and_are_never_variants():
    desa = column({"Margamulia": 50, "Margamulya": 2, "Cibodas": 60})
    assert desa_variants(desa, ["Margamulya", "Cibodas"]) == {"Margamulia": "Margamulya"}


def test_distinct_desas_with_similar_names_are_not_merged():
    desa = column({"Sukamaju": 30, "Sukamulya": 25, "Karangsari": 20, "Mekarsari": 20, "Sindangsari": 10})
    assert desa_variants(desa) == {}


def test_rare_desa_is_under_one_percent_of_rows():
    desa = column({"Cibodas": 150, "Sukamaju": 50, "Xyz": 1})
    assert rare_desa(desa) == ["Xyz"]
    assert rare_desa(column({"Cibodas": 20, "Xyz": 1})) == []  # 1 of 21 rows is ~5 %


def test_merge_keeps_what_was_written():
    frame = pd.DataFrame({"desa": column({"Margamulya": 2, "Margamulia": 1}), "x": [1, 2, 3]})
    merged = merge_desa_variants(frame, {"Margamulia": "Margamulya"})
    assert merged["desa"].tolist() == ["Margamulya"] * 3
    assert merged["desa_tertulis"].tolist() == ["Margamulya", "Margamulya", "Margamulia"]
    assert frame["desa"].tolist() == ["Margamulya", "Margamulya", "Margamulia"]  # input untouched
    assert merge_desa_variants(frame, {}) is frame


def test_a_column_of_hundreds_of_names_is_not_searched_for_near_misses():
    from metrics.desa_names import MAX_NAMES

    names = {f"Wilayah {i:04d}": 3 for i in range(MAX_NAMES + 1)}  # all near-misses of each other
    names["Wilayah 0000"] = 10
    assert desa_variants(column(names)) == {}
    few = desa_variants(column(dict(list(names.items())[:5])))
    assert set(few.values()) == {"Wilayah 0000"} and len(few) == 4
