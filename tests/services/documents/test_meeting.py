"""The review meeting written to a real register file: stage date, outcome, berita acara number
(unique per year and unit), the meeting's own columns and one audit row per changed cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from dashboard.access import Viewer as Writer
from data_sources.local_file import LocalFileSource
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from metrics.errors import PantauError
from metrics.profiles import load_profile, register_header
from metrics.register import normalise_register
from services.documents import DocumentSettings, make_document
from services.documents.__main__ import find_row
from services.documents.meeting import (
    MeetingInput,
    berita_acara_number,
    default_meeting_time,
    meeting_problems,
    record_meeting,
)
from tests.services.documents.test_render import docx_text

KUKAR = load_profile("kutai_kartanegara")
NOW = dt.datetime(2026, 5, 8, 9, 0)
PETUGAS = Writer("Ani Lestari", "petugas", ("Loa Ipuh",))


def register(tmp_path: Path, profile=KUKAR, rows=3, year: int = 2026) -> Path:
    header = register_header(profile)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(header)
    telaah = profile.stage("telaah") if profile is KUKAR else profile.stages[1]
    for number in range(1, rows + 1):
        values = {
            "Nomor": f"DPMD/{year}/05/{number:04d}",
            "Desa": "Loa Ipuh",
            "Tanggal Diterima": f"04/05/{year} 09:{number:02d}",
            "Saluran": "Online",
            "Nama Pelapor": "Siti Rahayu",
            "Alamat": "RT 02",
            "No. HP": "081234567890",
            "Rahasia": "Tidak",
            "Isi Pengaduan": "Jalan desa berlubang dan tergenang saat hujan.",
            "Tahap": telaah.label,
            telaah.column: f"05/05/{year} 10:00",
        }
        sheet.append([values.get(h, "") for h in header])
    workbook.create_sheet(AUDIT_SHEET).append(list(AUDIT_HEADER))
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    return path


def meeting(**changes) -> MeetingInput:
    values = {
        "waktu": dt.datetime(2026, 5, 6, 10, 0),
        "tempat": "Ruang rapat DPMD",
        "pejabat": ("Kepala Bidang", "Sub Koor / PSM"),
        "peserta_lain": ("Budi Santoso (Kepala Desa Loa Ipuh)",),
        "ringkasan": "Kerusakan 40 meter; anggaran pemeliharaan tersedia.",
        "keputusan": "Jalan ditambal paling lambat 10 Mei 2026.",
        "jenis_penyelesaian": "Tindakan korektif",
    }
    values.update(changes)
    return MeetingInput(**values)


def record(path: Path, nomor: str, entered: MeetingInput, now: dt.datetime = NOW, writer=PETUGAS):
    source = LocalFileSource(path)
    snapshot, grids = find_row(source, nomor, KUKAR)
    complaints = normalise_register(grids, KUKAR).complaints
    return record_meeting(source, snapshot, entered, KUKAR, writer, now, complaints)


def cells(path: Path, nomor: str) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path)["Register"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] == nomor:
            return dict(zip(header, row, strict=False))
    raise AssertionError(nomor)


def test_meeting_is_written_like_an_update(tmp_path: Path) -> None:
    path = register(tmp_path)
    result, number = record(path, "DPMD/2026/05/0002", meeting())
    assert number == "BA/001/DPMD/2026"
    row = cells(path, "DPMD/2026/05/0002")
    assert row["Tahap"] == KUKAR.stage("rapat").label
    assert row["Tanggal Rapat"] == "06/05/2026 10:00"
    assert row["No. Berita Acara"] == number
    assert row["Jenis Penyelesaian"] == "Tindakan korektif"
    assert row["Tempat Rapat"] == "Ruang rapat DPMD"
    assert row["Peserta Rapat"] == "Kepala Bidang; Sub Koor / PSM; Budi Santoso (Kepala Desa Loa Ipuh)"
    assert row["Keputusan Rapat"].startswith("Jalan ditambal")
    audit = [r for r in LocalFileSource(path).read_audit()[1:] if r[1] == "DPMD/2026/05/0002"]
    columns = {r[2] for r in audit}
    assert {"Tahap", "Tanggal Rapat", "No. Berita Acara", "Tempat Rapat", "Peserta Rapat"} <= columns
    assert all(r[5] == "Ani Lestari" and r[6] == "petugas" for r in audit)
    assert result.audit_rows == len(audit)
    # the documents come from the recorded meeting
    snapshot, _ = find_row(LocalFileSource(path), "DPMD/2026/05/0002", KUKAR)
    text = docx_text(
        make_document(
            "berita_acara",
            snapshot.complaint,
            KUKAR,
            DocumentSettings(),
            today=NOW.date(),
            petugas="Ani",
            handled=True,
            raw=snapshot.raw,
        ).docx
    )
    assert "Nomor: BA/001/DPMD/2026" in text and "Ruang rapat DPMD" in text and "Budi Santoso" in text


def test_numbers_are_unique_per_year_and_kept_on_a_second_save(tmp_path: Path) -> None:
    path = register(tmp_path)
    assert record(path, "DPMD/2026/05/0001", meeting())[1] == "BA/001/DPMD/2026"
    assert record(path, "DPMD/2026/05/0003", meeting())[1] == "BA/002/DPMD/2026"
    again = record(path, "DPMD/2026/05/0001", meeting(tempat="Aula kantor"))[1]
    assert again == "BA/001/DPMD/2026"
    assert cells(path, "DPMD/2026/05/0001")["Tempat Rapat"] == "Aula kantor"
    assert berita_acara_number(["BA/001/DPMD/2026", "BA/002/DPMD/2026"], KUKAR, dt.datetime(2027, 1, 5)) == (
        "BA/001/DPMD/2027"
    )
    umum = load_profile("umum")
    assert (
        berita_acara_number(["BA/CBD/004/2026"], umum, NOW, "Cibodas", ["CBD/2026/01/0001"])
        == "BA/CBD/005/2026"
    )
    assert (
        berita_acara_number(["BA/CBD/004/2026"], umum, NOW, "Karangsari") == "BA/KRN/001/2026"
    )  # K + next consonants


def test_mistakes_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    path = register(tmp_path)
    before = path.read_bytes()
    with pytest.raises(PantauError) as info:
        record(
            path,
            "DPMD/2026/05/0001",
            meeting(
                tempat=" ", pejabat=("Bupati",), peserta_lain=(), ringkasan="", jenis_penyelesaian="menang"
            ),
        )
    message = info.value.message
    for fragment in ("Tempat rapat", "Bupati", "Ringkasan", "menang"):
        assert fragment in message, fragment
    with pytest.raises(PantauError) as future:
        record(path, "DPMD/2026/05/0001", meeting(waktu=dt.datetime(2026, 5, 9, 8, 0)))
    assert "masa depan" in future.value.message
    with pytest.raises(PantauError) as early:
        record(path, "DPMD/2026/05/0001", meeting(waktu=dt.datetime(2026, 5, 5, 8, 0)))
    assert "sebelum" in early.value.message
    with pytest.raises(PantauError) as refused:
        record(path, "DPMD/2026/05/0001", meeting(), writer=Writer("Lain", "petugas", ("Desa Lain",)))
    assert "tidak berwenang" in refused.value.message
    assert path.read_bytes() == before


def test_sop_without_meeting_refuses(tmp_path: Path) -> None:
    seltim = load_profile("selemadeg_timur")
    path = register(tmp_path, seltim)
    source = LocalFileSource(path)
    snapshot, grids = find_row(source, "DPMD/2026/05/0001", seltim)
    with pytest.raises(PantauError) as info:
        record_meeting(
            source, snapshot, meeting(), seltim, PETUGAS, NOW, normalise_register(grids, seltim).complaints
        )
    assert "tidak memuat rapat" in info.value.message


def test_proposed_time_is_one_the_form_accepts(tmp_path: Path) -> None:
    """A complaint received the same day after 09:00: the form proposes now (office time), which
    is saved without a date problem (a time typed by hand before it is still refused: see
    test_mistakes_are_named_and_nothing_is_written)."""
    path = register(tmp_path, rows=1)
    source = LocalFileSource(path)
    snapshot, _ = find_row(source, "DPMD/2026/05/0001", KUKAR)
    received = snapshot.complaint["tanggal_diterima"]
    now = dt.datetime(2026, 5, 5, 17, 43, 27)  # after the receipt and the telaah (05/05 10:00)
    proposed = default_meeting_time(snapshot.complaint, KUKAR, now)
    assert proposed == dt.datetime(2026, 5, 5, 17, 43)
    assert proposed >= received
    assert not meeting_problems(snapshot.complaint, meeting(waktu=proposed), KUKAR, now)
    record(path, "DPMD/2026/05/0001", meeting(waktu=proposed), now=now)
    assert cells(path, "DPMD/2026/05/0001")["Tanggal Rapat"] == "05/05/2026 17:43"
    # never before the latest earlier step, even when the clock is behind it
    early = dt.datetime(2026, 5, 5, 9, 30)
    assert default_meeting_time(snapshot.complaint, KUKAR, early) == dt.datetime(2026, 5, 5, 10, 0)
