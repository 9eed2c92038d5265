"""metrics.pause_update: starting and ending a complaint's one pause (Menunggu kelengkapan) in
Perbarui — each problem names its field; a second pause is refused."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.complaint_updates import StageUpdate, current_stage, update_cells, update_problems
from metrics.profiles import load_profile

UMUM = load_profile("umum")
NOW = dt.datetime(2026, 7, 20, 10, 0)
RECEIVED = {"nomor": "A/1", "tanggal_diterima": pd.Timestamp("2026-07-02 09:00"), "tahap": "Diterima"}


def problems(complaint, **fields):
    update = StageUpdate(stage=current_stage(complaint, UMUM).key, **fields)
    return update_problems(complaint, update, UMUM, NOW)


def test_starting_and_ending_a_pause_writes_both_cells_once():
    start = dt.datetime(2026, 7, 7, 9, 0)
    assert problems(RECEIVED, mulai_menunggu=start) == {}
    cells = update_cells(RECEIVED, StageUpdate(stage="diterima", mulai_menunggu=start), UMUM, "Petugas", NOW)
    assert cells["mulai_menunggu_kelengkapan"] == "07/07/2026 09:00"
    assert "berkas_lengkap_pada" not in cells
    waiting = {**RECEIVED, "mulai_menunggu_kelengkapan": pd.Timestamp(start)}
    end = dt.datetime(2026, 7, 14, 9, 0)
    assert problems(waiting, berkas_lengkap=end) == {}
    cells = update_cells(waiting, StageUpdate(stage="diterima", berkas_lengkap=end), UMUM, "Petugas", NOW)
    assert cells["berkas_lengkap_pada"] == "14/07/2026 09:00"
    # a past pause recorded at once
    assert problems(RECEIVED, mulai_menunggu=start, berkas_lengkap=end) == {}


@pytest.mark.parametrize(
    ("complaint", "fields", "field", "words"),
    [
        (
            RECEIVED,
            {"mulai_menunggu": dt.datetime(2026, 7, 21, 9)},
            "mulai_menunggu_kelengkapan",
            "masa depan",
        ),
        (RECEIVED, {"mulai_menunggu": dt.datetime(2026, 7, 1, 9)}, "mulai_menunggu_kelengkapan", "diterima"),
        (
            {**RECEIVED, "tanggal_selesai": pd.Timestamp("2026-07-10 09:00"), "hasil_tindak_lanjut": "Sudah"},
            {"mulai_menunggu": dt.datetime(2026, 7, 12, 9)},
            "mulai_menunggu_kelengkapan",
            "sudah selesai",
        ),
        (
            {**RECEIVED, "mulai_menunggu_kelengkapan": pd.Timestamp("2026-07-07 09:00")},
            {"mulai_menunggu": dt.datetime(2026, 7, 8, 9)},
            "mulai_menunggu_kelengkapan",
            "sudah menunggu kelengkapan sejak 07/07/2026 09:00",
        ),
        (
            {
                **RECEIVED,
                "mulai_menunggu_kelengkapan": pd.Timestamp("2026-07-07 09:00"),
                "berkas_lengkap_pada": pd.Timestamp("2026-07-14 09:00"),
            },
            {"mulai_menunggu": dt.datetime(2026, 7, 15, 9)},
            "mulai_menunggu_kelengkapan",
            "hanya dapat dijeda sekali",
        ),
        (
            RECEIVED,
            {"berkas_lengkap": dt.datetime(2026, 7, 14, 9)},
            "berkas_lengkap_pada",
            "tidak sedang menunggu",
        ),
        (
            {**RECEIVED, "mulai_menunggu_kelengkapan": pd.Timestamp("2026-07-07 09:00")},
            {"berkas_lengkap": dt.datetime(2026, 7, 6, 9)},
            "berkas_lengkap_pada",
            "sebelum mulai menunggu",
        ),
        (
            {**RECEIVED, "mulai_menunggu_kelengkapan": pd.Timestamp("2026-07-07 09:00")},
            {"berkas_lengkap": dt.datetime(2026, 7, 21, 9)},
            "berkas_lengkap_pada",
            "masa depan",
        ),
        (
            {
                **RECEIVED,
                "mulai_menunggu_kelengkapan": pd.Timestamp("2026-07-07 09:00"),
                "berkas_lengkap_pada": pd.Timestamp("2026-07-14 09:00"),
            },
            {"berkas_lengkap": dt.datetime(2026, 7, 15, 9)},
            "berkas_lengkap_pada",
            "sudah dinyatakan lengkap pada 14/07/2026 09:00",
        ),
    ],
)
def test_refusals_name_the_field(complaint, fields, field, words):
    found = problems(complaint, **fields)
    assert list(found) == [field]
    (message,) = found[field]
    label = "Mulai menunggu kelengkapan" if field == "mulai_menunggu_kelengkapan" else "Berkas lengkap pada"
    assert message.startswith(label) and words in message
