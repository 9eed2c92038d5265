"""metrics.form_responses: day-first response times, header checked by question name, a stable
response identity, and the response sheet recognised (left out of the register)."""

from __future__ import annotations

import pandas as pd

from data_sources.base import SheetGrid
from metrics.form_responses import (
    DEFAULT_MAPPING,
    check_header,
    is_form_responses_sheet,
    looks_like_form_responses,
    mapping_problems,
    response_identity,
    response_time,
)
from metrics.profiles import load_profile
from metrics.register import normalise_register

HEADER = ["Stempel waktu", "Desa", "Nama Pelapor", "Alamat", "Nomor HP", "Isi Pengaduan"]


def test_response_time_is_day_first_to_the_minute():
    assert response_time("1/12/2026 9:05:59") == pd.Timestamp(2026, 12, 1, 9, 5)
    assert response_time("13/01/2027 23:59:00") == pd.Timestamp(2027, 1, 13, 23, 59)
    assert response_time("2026-12-01 09:05:03") == pd.Timestamp(2026, 12, 1, 9, 5)
    assert response_time("12/1/2026 9:05:03", dayfirst=False) == pd.Timestamp(2026, 12, 1, 9, 5)
    assert response_time("kemarin sore") is None and response_time("") is None


def test_header_problems_name_the_question():
    renamed = [h if h != "Nomor HP" else "No WA" for h in HEADER]
    check = check_header(renamed, DEFAULT_MAPPING, required=["desa", "no_hp", "isi_pengaduan"], sheet="Form")
    assert not check.ok
    assert any("'Nomor HP' / 'Nomor HP/WhatsApp' (no_hp)" in m and "'Form'" in m for m in check.missing)
    assert check.unmapped == ("No WA",)
    ok = check_header([*HEADER, "Nomor Pantau"], DEFAULT_MAPPING, required=["desa", "no_hp"])
    assert ok.ok and ok.time_column == 0 and ok.mark_column == 6 and ok.columns["isi_pengaduan"] == 5
    assert check_header(HEADER[1:], DEFAULT_MAPPING, required=[]).missing  # no time column
    assert mapping_problems({"Keluhan": "isi"}) and not mapping_problems(DEFAULT_MAPPING)


def test_identity_is_stable_and_ignores_the_mark_and_trailing_blanks():
    row = ["1/12/2026 9:05:03", "Cibodas", "Ani", "", "0812", "Jalan rusak"]
    first = response_identity("Respons Formulir 1", row, 0, None)
    assert first == response_identity("Respons Formulir 1", [*row, "", ""], 0, None)
    assert first == response_identity("Respons Formulir 1", [*row, "CBD/2026/12/0001"], 0, 6)
    assert first != response_identity("Respons Formulir 1", [*row[:-1], "Jalan rusak parah"], 0, None)


def test_the_response_sheet_is_not_read_as_register_rows():
    assert looks_like_form_responses(HEADER) and looks_like_form_responses(["Timestamp", "Desa"])
    assert not looks_like_form_responses(["Timestamp", "Nomor", "Desa"])  # a register with a time column
    grid = SheetGrid(
        "Respons Formulir 1", [HEADER, ["1/12/2026 9:05:03", "Cibodas", "Ani", "x", "0812", "y"]]
    )
    register = normalise_register([grid], load_profile("umum"))
    assert register.complaints.empty and "Respons Formulir 1" not in register.headers


def test_the_form_sheet_is_the_one_named_by_intake_worksheet_or_recognised_by_its_header():
    with_nomor = ["Timestamp", "Nomor", "Isi Pengaduan"]
    assert is_form_responses_sheet("Respons Formulir 1", with_nomor)
    assert is_form_responses_sheet(" respons formulir 1 ", with_nomor)
    assert is_form_responses_sheet("Isian Warga", with_nomor, "Isian Warga")
    assert not is_form_responses_sheet("Respons Formulir 1", with_nomor, "Isian Warga")
    assert is_form_responses_sheet("Lain", ["Timestamp", "Desa"])  # recognised by its header
    assert not is_form_responses_sheet("Sukamaju", with_nomor)  # a register with a time column
