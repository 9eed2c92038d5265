"""metrics.record_status: parsing the mark, the duplicate search, and — the contract of issue
13.1 — a record marked Duplikat/Batal leaves every figure family exactly as if it were not in
the register (SLA, monthly, comparison, kabupaten, overview, notifications, open-item lookups)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from data_sources.base import SheetGrid
from data_sources.local_file import LocalFileSource
from metrics.comparison import desa_comparison
from metrics.kabupaten import kecamatan_comparison, milestone_frame
from metrics.monthly import monthly_summary
from metrics.overview import overview_figures
from metrics.profiles import load_profile
from metrics.record_status import (
    BATAL,
    DUPLIKAT,
    duplicate_pairs,
    likely_duplicates,
    record_mark,
    text_similarity,
    unknown_mark,
)
from metrics.register import normalise_register
from metrics.sla import open_obligations, settle_column, sla_status, stage_table
from services.access import Viewer
from services.complaints import open_choices
from services.notifications.config import NotifyConfig
from services.notifications.events import compute_events
from services.register_loading import calendar_for

PROFILE = load_profile("umum")


def test_marks_are_read_in_the_spellings_petugas_use():
    assert record_mark(" duplikat ") == DUPLIKAT and record_mark("GANDA") == DUPLIKAT
    assert record_mark("Dibatalkan") == BATAL
    assert record_mark("") is None and record_mark(None) is None and record_mark("Aktif") is None
    assert unknown_mark("Dobel?") and not unknown_mark("Aktif") and not unknown_mark("")


def test_text_similarity_ignores_case_and_spacing_and_tells_apart():
    assert text_similarity("Jalan  RUSAK di RT 02", "jalan rusak di rt 02") == 1.0
    assert text_similarity("Jalan rusak di RT 02", "Lampu jalan mati di dusun 3") < 0.85
    assert text_similarity("", "apa saja") == 0.0


def test_duplicate_pairs_and_likely_duplicates():
    complaints = pd.DataFrame(
        {
            "nomor": ["A/1", "A/2", "A/3", "A/4", "A/5"],
            "desa": ["X", "X", "X", "Y", "X"],
            "no_hp": ["0812345678", "+62812345678", "0812345678", "0812345678", ""],
            "isi_pengaduan": [
                "Jalan desa rusak parah di RT 02",
                "jalan desa rusak parah di RT 02.",
                "Lampu jalan mati sejak minggu lalu",
                "Jalan desa rusak parah di RT 02",
                "Jalan desa rusak parah di RT 02",
            ],
            "tanggal_diterima": pd.to_datetime(
                [
                    "2026-03-01 09:00",
                    "2026-03-02 10:00",
                    "2026-03-02 11:00",
                    "2026-03-02 08:00",
                    "2026-03-02 08:00",
                ]
            ),
        }
    )
    pairs = duplicate_pairs(complaints, days=14)
    assert pairs[["nomor", "asli", "selisih_hari"]].values.tolist() == [["A/2", "A/1", 1]]
    assert duplicate_pairs(complaints, days=0).empty  # a day apart is outside a 0-day window
    found = likely_duplicates(
        complaints, "X", "0812-345-678", "Jalan desa rusak parah di RT 02", pd.Timestamp("2026-03-05")
    )
    assert found["nomor"].tolist() == ["A/1", "A/2"] and found["hari_lalu"].tolist() == [4, 3]


# ------------------------------------------------------------------ every figure family


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    """(marked, removed, now): the demo register with some complaints marked Duplikat/Batal, and the
    same register with those rows deleted."""
    from data_sources.demo import write_demo_register

    path = write_demo_register(tmp_path_factory.mktemp("rs") / "demo.xlsx")
    (grid,) = LocalFileSource(path).read()
    header = grid.values[0]
    plain = normalise_register([grid], PROFILE)
    now = plain.complaints["tanggal_diterima"].max().ceil("D")
    flags = sla_status(stage_table(plain.complaints, PROFILE, calendar_for(PROFILE), now))
    recent = plain.complaints["tanggal_diterima"] >= now - pd.Timedelta(days=60)
    picked = list(plain.complaints.index[flags["terlambat_terbuka"] & recent][:3])
    picked += list(plain.complaints.index[flags["selesai"] & recent][:3])
    picked += list(plain.complaints.index[~flags["selesai"] & ~flags["terlambat"] & recent][:2])
    rows = set(plain.complaints.loc[picked, "_row"].astype(int))
    status, note = header.index("Status Catatan"), header.index("Keterangan Status")
    marked_values, removed_values = [header], [header]
    for number, row in enumerate(grid.values[1:], start=2):
        if number in rows:
            row = list(row) + [""] * (len(header) - len(row))
            row[status], row[note] = (DUPLIKAT, "X") if number % 2 else (BATAL, "salah catat")
            marked_values.append(row)
        else:
            marked_values.append(row)
            removed_values.append(row)
    marked = normalise_register([SheetGrid(grid.name, marked_values)], PROFILE)
    removed = normalise_register([SheetGrid(grid.name, removed_values)], PROFILE)
    assert len(rows) == 8
    return marked, removed, now


def _flags(register, now):
    return sla_status(stage_table(register.complaints, PROFILE, calendar_for(PROFILE), now))


def _same_rows(marked, removed, now):
    a, b = marked.complaints.drop(columns="_row"), removed.complaints.drop(columns="_row")
    pd.testing.assert_frame_equal(a, b)


def test_sla_family(registers):
    marked, removed, now = registers
    _same_rows(marked, removed, now)
    pd.testing.assert_frame_equal(_flags(marked, now), _flags(removed, now))
    tables = [stage_table(r.complaints, PROFILE, calendar_for(PROFILE), now) for r in (marked, removed)]
    states = ("terlambat", "hampir_jatuh_tempo", "berjalan")
    pd.testing.assert_frame_equal(open_obligations(tables[0], states), open_obligations(tables[1], states))


def test_monthly_family(registers):
    marked, removed, now = registers
    month = now.to_period("M")
    summaries = [
        monthly_summary(r.complaints, _flags(r, now), PROFILE, month, now) for r in (marked, removed)
    ]
    assert repr(summaries[0]) == repr(summaries[1])


def test_comparison_family(registers):
    marked, removed, now = registers
    tables = [desa_comparison(r.complaints, _flags(r, now), PROFILE, None, None) for r in (marked, removed)]
    pd.testing.assert_frame_equal(tables[0], tables[1])


def test_kabupaten_family(registers):
    marked, removed, now = registers
    frames = []
    for register in (marked, removed):
        places = {sheet: ("Kec", sheet) for sheet in register.complaints["_sheet"].unique()}
        frames.append(milestone_frame(register.complaints, _flags(register, now), PROFILE, places))
    pd.testing.assert_frame_equal(kecamatan_comparison(frames[0]), kecamatan_comparison(frames[1]))


def test_overview_family(registers):
    marked, removed, now = registers
    settle = settle_column(PROFILE)
    figures = [overview_figures(r.complaints, _flags(r, now), settle, now) for r in (marked, removed)]
    assert dataclasses.asdict(figures[0]) == dataclasses.asdict(figures[1])
    assert figures[0].total == len(marked.every_row()) - 8


def test_notification_family(registers):
    marked, removed, now = registers
    events = [
        compute_events(r.complaints, PROFILE, calendar_for(PROFILE), NotifyConfig(), now)
        for r in (marked, removed)
    ]
    keys = [sorted(e.key for e in found) for found in events]
    assert keys[0] == keys[1] and keys[0]
    voided = set(marked.voided["nomor"])
    assert not any(e.nomor in voided for e in events[0])


def test_open_item_lookups(registers):
    marked, removed, now = registers
    admin = Viewer("Admin", "admin", ())
    settle = settle_column(PROFILE)
    choices = open_choices(marked.complaints, settle, admin)
    assert choices == open_choices(removed.complaints, settle, admin)
    assert not set(choices) & set(marked.voided["nomor"])
