import csv

import openpyxl
import pytest

from data_sources.base import ConcurrentChange, DuplicateKey
from data_sources.local_file import LOCAL_AUDIT_HEADER as AUDIT_HEADER
from data_sources.local_file import LocalFileSource

HEADER = ["Nomor", "Desa", "Tanggal Diterima", "Tahap", "Catatan Petugas", "Tanggal Jawaban"]
ROWS = [
    ["A/1", "Cibodas", "01/02/2024 09:00", "Diterima", "lihat arsip", ""],
    ["A/2", "Cibodas", "02/02/2024 10:00", "Verifikasi", "", ""],
    ["A/3", "Mekarsari", "03/02/2024 11:00", "Diterima", "=SUM(1,2)", ""],
]


def make_xlsx(path, rows=ROWS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(["BUKU REGISTER PENGADUAN"])
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    sheet["E5"].data_type = "s"  # '=SUM(1,2)' is text someone typed, not a formula
    other = workbook.create_sheet("Catatan")
    other["A1"] = "jangan diubah"
    workbook.save(path)
    return path


def all_cells(path):
    workbook = openpyxl.load_workbook(path)
    return {
        ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets
    }


def test_update_changes_only_that_complaint_and_appends_audit(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    before = all_cells(path)
    source = LocalFileSource(path)
    result = source.update_row(
        "Register",
        "Nomor",
        "A/2",
        {"Tahap": ("Verifikasi", "Dijawab"), "Tanggal Jawaban": ("", "05/02/2024 10:00")},
        [["2024-02-05 10:00", "A/2", "Tahap", "Verifikasi", "Dijawab", "siti", "petugas"]],
    )
    assert result.row == 4
    after = all_cells(path)
    assert after["Catatan"] == before["Catatan"]
    changed = [
        (r, c)
        for r, row in enumerate(after["Register"])
        for c, v in enumerate(row)
        if before["Register"][r][c] != v
    ]
    assert changed == [(3, 3), (3, 5)]
    assert after["Register"][3][3] == "Dijawab"
    assert after["Riwayat"][0] == list(AUDIT_HEADER)
    assert after["Riwayat"][1][1:3] == ["A/2", "Tahap"]


def test_complaint_found_by_nomor_after_rows_are_resorted(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx", rows=list(reversed(ROWS)))
    source = LocalFileSource(path)
    result = source.update_row("Register", "Nomor", "A/3", {"Tahap": ("Diterima", "Verifikasi")}, [])
    assert result.row == 3
    grid = source.read()[0].values
    assert grid[2][:4] == ["A/3", "Mekarsari", "03/02/2024 11:00", "Verifikasi"]
    assert grid[4][:4] == ["A/1", "Cibodas", "01/02/2024 09:00", "Diterima"]


def test_concurrent_change_refused_and_nothing_written(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    source = LocalFileSource(path)
    source.update_row(
        "Register",
        "Nomor",
        "A/1",
        {"Tahap": ("Diterima", "Verifikasi")},
        [["t", "A/1", "Tahap", "Diterima", "Verifikasi", "a", "petugas"]],
    )
    before = all_cells(path)
    with pytest.raises(ConcurrentChange) as error:
        source.update_row(
            "Register",
            "Nomor",
            "A/1",
            {"Tahap": ("Diterima", "Selesai")},
            [["t", "A/1", "Tahap", "Diterima", "Selesai", "b", "petugas"]],
        )
    assert "Verifikasi" in str(error.value)
    assert all_cells(path) == before


def test_duplicate_nomor_refused_naming_rows(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx", rows=[*ROWS, ["A/2", "Cibodas", "", "", "", ""]])
    with pytest.raises(DuplicateKey) as error:
        LocalFileSource(path).update_row("Register", "Nomor", "A/2", {"Tahap": ("Verifikasi", "x")}, [])
    assert error.value.rows == [4, 6]
    assert "4, 6" in str(error.value)


def test_formula_like_text_written_as_text_and_other_formula_text_kept(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    LocalFileSource(path).update_row(
        "Register", "Nomor", "A/1", {"Catatan Petugas": ("lihat arsip", '=HYPERLINK("http://x")')}, []
    )
    workbook = openpyxl.load_workbook(path)
    cell = workbook["Register"]["E3"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert workbook["Register"]["E5"].data_type == "s"


def test_missing_column_is_added_at_the_end(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    LocalFileSource(path).update_row("Register", "Nomor", "A/1", {"Diperbarui Oleh": ("", "siti")}, [])
    grid = LocalFileSource(path).read()[0].values
    assert grid[1][-1] == "Diperbarui Oleh" and grid[2][-1] == "siti"


def test_append_row_makes_unique_key(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    source = LocalFileSource(path)
    result = source.append_row(
        "Register",
        "Nomor",
        {"Desa": "Cibodas", "Tahap": "Diterima"},
        make_key=lambda existing: f"A/{len([k for k in existing if k]) + 1}",
        audit_rows_for=lambda key: [["t", key, "Nomor", "", key, "siti", "petugas"]],
    )
    assert result.key == "A/4" and result.row == 6
    assert source.read()[0].values[5][:2] == ["A/4", "Cibodas"]
    assert source.read_audit()[1][1] == "A/4"


def test_csv_round_trip_with_sibling_audit_file(tmp_path):
    path = tmp_path / "reg.csv"
    with path.open("w", newline="") as stream:
        csv.writer(stream).writerows([HEADER, *ROWS])
    source = LocalFileSource(path)
    source.update_row(
        "reg",
        "Nomor",
        "A/3",
        {"Tahap": ("Diterima", "Verifikasi")},
        [["t", "A/3", "Tahap", "Diterima", "Verifikasi", "x", "petugas"]],
    )
    rows = list(csv.reader(path.open()))
    assert rows[3][3] == "Verifikasi" and rows[3][4] == "=SUM(1,2)"
    assert rows[1] == ROWS[0] and rows[2] == ROWS[1]
    assert source.audit_path.name == "reg.riwayat.csv"
    assert source.read_audit()[0] == list(AUDIT_HEADER)


def test_a_save_keeps_the_register_file_permissions(tmp_path):
    """A register on a shared folder stays readable by colleagues after a save (mkstemp's 0600
    must not replace the file's own mode)."""
    import os
    import stat

    path = make_xlsx(tmp_path / "bersama.xlsx")
    os.chmod(path, 0o664)
    LocalFileSource(path).update_row(
        "Register",
        "Nomor",
        "A/1",
        {"Tahap": ("Diterima", "Verifikasi")},
        [["2024-02-05 10:00", "A/1", "Tahap", "Diterima", "Verifikasi", "siti", "petugas"]],
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert all_cells(path)["Register"][2][3] == "Verifikasi"
