"""The kabupaten frame from the store: each desa on its own profile, same-named desas kept apart."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd

from data_sources.base import SheetGrid
from data_sources.snapshot_store import (
    SURVEY_ABSENT,
    SURVEY_PRESENT,
    Derived,
    DesaEntry,
    DesaStatus,
    SurveySnapshot,
    open_store,
)
from metrics.ikm import SURVEY_HEADER, survey_frame
from metrics.kabupaten import as_of
from metrics.profiles import load_profile, register_header
from services.kabupaten import (
    chunks,
    derivation_version,
    desa_health,
    load_chunk,
    load_kabupaten,
    load_surveys,
)
from tests.fakes.kabupaten import complaint_rows


def test_each_desa_is_read_with_its_profile_and_placed_in_its_kecamatan(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite")
    entries = [
        DesaEntry("k1/sukamaju", "Kab", "K1", "Sukamaju", "s1", "umum"),
        DesaEntry("k1/mekar", "Kab", "K1", "Mekar", "s2", "umum"),
        DesaEntry("k2/sukamaju", "Kab", "K2", "Sukamaju", "s3", "kutai_kartanegara"),
        DesaEntry("k2/rusak", "Kab", "K2", "Rusak", "s4", "umum"),
    ]
    store.sync_registry(entries)
    rng = random.Random(3)
    counts = {"k1/sukamaju": 7, "k1/mekar": 4, "k2/sukamaju": 5}
    for e in entries[:3]:
        header = register_header(load_profile(e.profile))
        rows = complaint_rows(header, e.desa, counts[e.desa_key], rng, dt.date(2025, 3, 3), e.profile)
        # a title row above the header in one of them: the model finds the header anyway
        title = [["BUKU REGISTER PENGADUAN"]] if e.desa == "Mekar" else []
        store.save_grid(e.desa_key, SheetGrid(e.desa, [*title, header, *rows]), at=1000.0)
    store.save_error("k2/rusak", "Spreadsheet tidak ditemukan", at=5000.0, retry_at=6000.0)

    data = load_kabupaten(store, now=pd.Timestamp("2025-12-31"))
    frame = data.frame
    by_place = frame.groupby(["kecamatan", "desa", "profil"]).size().to_dict()
    assert by_place == {
        ("K1", "Mekar", "umum"): 4,
        ("K1", "Sukamaju", "umum"): 7,
        ("K2", "Sukamaju", "kutai_kartanegara"): 5,
    }
    assert frame["diterima"].notna().all()
    assert frame["hari_jawaban"].notna().sum() > 0

    health = desa_health(data.statuses, now=5000.0 + 2 * 3600, stale_after_seconds=3600).set_index("desa")
    assert health.loc["Rusak", "gagal"] == "Spreadsheet tidak ditemukan" and bool(
        health.loc["Rusak", "usang"]
    )
    assert health.loc["Mekar", "data_per"] == pd.Timestamp(1000.0, unit="s")
    store.close()


def test_a_frame_built_earlier_judged_as_of_now_equals_one_built_now(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite")
    entries = [
        DesaEntry(f"k/{p}", "Kab", "K", p, f"s-{p}", p) for p in ("umum", "cipari", "kutai_kartanegara")
    ]
    store.sync_registry(entries)
    rng = random.Random(8)
    for e in entries:
        header = register_header(load_profile(e.profile))
        rows = complaint_rows(header, e.desa, 60, rng, dt.date(2025, 1, 6), e.profile)
        store.save_grid(e.desa_key, SheetGrid(e.desa, [header, *rows]), at=1.0)
    keys = [e.desa_key for e in entries]
    early, _ = load_chunk(store, keys, now=pd.Timestamp("2025-03-01 09:00"))
    for later in ("2025-03-01 09:00", "2025-03-20 13:30", "2025-07-01 08:00", "2026-02-01 00:00"):
        fresh, _ = load_chunk(store, keys, now=pd.Timestamp(later))
        moved = as_of(early, pd.Timestamp(later))
        assert fresh["terlambat_terbuka"].sum() > 0
        pd.testing.assert_series_equal(moved["terlambat_terbuka"], fresh["terlambat_terbuka"])
    store.close()


def test_chunks_change_only_where_a_desa_was_synced_again() -> None:
    def status(key: str, profile: str, at: float | None) -> DesaStatus:
        return DesaStatus(key, "Kab", "K", key, "s", "", profile, False, 1, "", at, "", None, 0, 0.0)

    before = [status(f"d{i:02d}", "umum" if i % 2 else "cipari", 1.0) for i in range(60)]
    after = [status(s.desa_key, s.profile, 2.0 if s.desa_key == "d07" else 1.0) for s in before]
    after.append(status("never", "umum", None))
    a, b = chunks(before, size=10), chunks(after, size=10)
    assert len(a) == len(b) == 6
    assert sum(x != y for x, y in zip(a, b, strict=True)) == 1
    assert all(len({s for s, _ in c[1]}) <= 10 for c in a)


def _three_profiles(tmp_path: Path):
    store = open_store(tmp_path / "s.sqlite")
    entries = [
        DesaEntry(f"k/{p}", "Kab", "K", p, f"s-{p}", p) for p in ("umum", "cipari", "kutai_kartanegara")
    ]
    store.sync_registry(entries)
    rng = random.Random(5)
    for e in entries:
        header = register_header(load_profile(e.profile))
        # received 6 Jan - 1 Dec 2024, answered/settled by 14 Jan 2025 (the past at every `now` below)
        rows = complaint_rows(header, e.desa, 40, rng, dt.date(2024, 1, 6), e.profile)
        store.save_grid(e.desa_key, SheetGrid(e.desa, [header, *rows]), at=1.0)
    return store, [e.desa_key for e in entries]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: "string" for c in ("kecamatan", "desa", "profil")}).sort_values(
        ["desa", "nomor"], ignore_index=True
    )


def test_derived_rows_are_stored_once_and_read_back_equal_to_the_register_model(tmp_path: Path) -> None:
    store, keys = _three_profiles(tmp_path)
    built, later = pd.Timestamp("2025-01-15 09:00"), pd.Timestamp("2025-08-01 10:00")
    assert store.derived() == {}
    first = load_kabupaten(store, now=built).frame
    stored = store.derived()
    assert sorted(stored) == sorted(keys)  # saved back: the next reader only decodes
    assert {figures.version.split(":")[1] for figures in stored.values()} == {
        "umum",
        "cipari",
        "kutai_kartanegara",
    }
    from_grids, _ = load_chunk(store, keys, now=built)
    pd.testing.assert_frame_equal(_sorted(first), _sorted(from_grids))
    # read later from the stored rows (no register model): equal to judging the grids at that time
    again = load_kabupaten(store, now=later).frame
    fresh, _ = load_chunk(store, keys, now=later)
    assert again["terlambat_terbuka"].sum() > first["terlambat_terbuka"].sum()
    pd.testing.assert_frame_equal(_sorted(again), _sorted(fresh))
    store.close()


def test_outdated_derived_rows_are_derived_again(tmp_path: Path) -> None:
    store, keys = _three_profiles(tmp_path)
    now = pd.Timestamp("2025-06-01 09:00")
    load_kabupaten(store, now=now)
    old = store.derived()[keys[0]]
    stale = Derived("milestones-0:umum:x", old.built_at, {name: [] for name in old.columns})
    store.save_derived(keys[0], stale, grid_at=1.0)
    frame = load_kabupaten(store, now=now).frame
    assert (frame["profil"] == "umum").sum() == 40
    assert store.derived()[keys[0]].version == derivation_version(load_profile("umum"))
    store.close()


def test_survey_answers_come_from_the_store_per_desa_and_a_malformed_sheet_is_named(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite")
    entries = [
        DesaEntry("k/a", "Kab", "K1", "Alpha", "s-a", "umum"),
        DesaEntry("k/b", "Kab", "K2", "Beta", "s-b", "umum"),
        DesaEntry("k/c", "Kab", "K2", "Gamma", "s-c", "umum"),
    ]
    store.sync_registry(entries)
    cells = [
        list(SURVEY_HEADER),
        ["A-1", "Alpha", "4", "", "2025-03-01 10:00", "x1"],
        ["A-2", "Alpha", "9", "", "", "x2"],
    ]
    header = register_header(load_profile("umum"))
    store.save_grid(
        "k/a",
        SheetGrid("Alpha", [header]),
        1.0,
        survey=SurveySnapshot(SURVEY_PRESENT, cells, "Desa Alpha: rusak"),
    )
    store.save_grid("k/b", SheetGrid("Beta", [header]), 1.0, survey=SurveySnapshot(SURVEY_ABSENT, []))
    # Gamma numbers its complaints like Alpha and orders its columns differently
    gamma = [
        ["Nilai", "Nomor", "Waktu"],
        ["2", " a-1 ", "2025-04-02 09:00"],
        ["3", "A-1", "2025-04-03 09:00"],
    ]
    store.save_grid("k/c", SheetGrid("Gamma", [header]), 1.0, survey=SurveySnapshot(SURVEY_PRESENT, gamma))
    surveys, problems = load_surveys(store)
    assert sorted(surveys) == [("K1", "Alpha"), ("K2", "Gamma")]
    # the one survey model, each desa on its own: the same Nomor in two desas is two answers
    pd.testing.assert_frame_equal(surveys[("K1", "Alpha")], survey_frame(cells))
    pd.testing.assert_frame_equal(surveys[("K2", "Gamma")], survey_frame(gamma))
    assert list(surveys[("K1", "Alpha")]["nilai"]) == [4] and list(surveys[("K2", "Gamma")]["nilai"]) == [2]
    assert problems == ["Desa Alpha: rusak"]
    store.close()
