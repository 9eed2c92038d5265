"""The kabupaten frame from the store: each desa on its own profile, same-named desas kept apart."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd

from data_sources.base import SheetGrid
from data_sources.snapshot_store import DesaEntry, open_store
from metrics.profiles import load_profile, register_header
from services.kabupaten import desa_health, load_kabupaten
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
