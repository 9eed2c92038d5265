"""The quick cell reader used by saves gives exactly the text the full parse gives, or refuses."""

import datetime as dt

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from data_sources.local_file import _read_xlsx
from data_sources.xlsx_cells import NeedFullRead, SheetCells
from data_sources.xlsx_patch import XlsxPackage


def workbook_with_every_kind(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(["BUKU REGISTER"])
    sheet.append(["Nomor", "Tanggal", "Jam", "Jumlah", "Teks", "Flag", "Rumus", "Persen"])
    values = [
        ["A/1", dt.datetime(2025, 1, 6, 9, 0), dt.time(9, 30), 3, 'a & <b> "c"', True, "=1+1", 0.25],
        ["A/2", dt.date(2025, 2, 28), dt.time(0, 0, 30), 2.5, "baris\nkedua  ", False, None, 1],
        [None, dt.datetime(2025, 3, 1, 0, 0), None, -7, "José “kutip” 😀", None, None, None],
        ["A/4", 45678, None, 1234567890123, " spasi", None, None, None],
    ]
    for row in values:
        sheet.append(row)
    sheet["B6"].number_format = "dd/mm/yyyy"
    sheet["D4"].number_format = "0.00"
    sheet["H3"].number_format = "0%"
    sheet["E6"] = CellRichText([TextBlock(InlineFont(b=True), "te"), "bal"])
    sheet["J9"] = "jauh"
    workbook.save(path)
    return path


def test_every_row_reads_as_the_full_parse_reads_it(tmp_path):
    path = workbook_with_every_kind(tmp_path / "w.xlsx")
    full = [list(r) for r in _read_xlsx(path)[0].values]
    package = XlsxPackage(path)
    try:
        cells = SheetCells(package, "Register")
        assert cells.last_row_number() == len(full)
        for number in range(1, len(full) + 1):
            assert cells.row(number) == full[number - 1], number
        assert cells.column("A", 3) == [(3, "A/1"), (4, "A/2"), (6, "A/4")]
        assert cells.last_filled_row(lambda row: any(row)) == 9
    finally:
        package.close()


def test_a_duration_or_1904_workbook_is_left_to_the_full_parse(tmp_path):
    path = workbook_with_every_kind(tmp_path / "w.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Register"]["C3"].number_format = "[h]:mm"
    workbook.save(path)
    package = XlsxPackage(path)
    try:
        cells = SheetCells(package, "Register")
        assert cells.row(2)[0] == "Nomor"
        with pytest.raises(NeedFullRead):
            cells.row(3)
    finally:
        package.close()


def test_every_column_reads_as_the_full_parse_reads_it(tmp_path):
    path = workbook_with_every_kind(tmp_path / "w.xlsx")
    full = [list(r) for r in _read_xlsx(path)[0].values]
    package = XlsxPackage(path)
    try:
        cells = SheetCells(package, "Register")
        for position, letters in enumerate("ABCDEFGHIJ"):
            expected = [
                (n + 1, row[position]) for n, row in enumerate(full) if n >= 2 and position < len(row)
            ]
            got = [(n, text) for n, text in cells.column(letters, 3)]
            assert [item for item in got if item[1]] == [item for item in expected if item[1]], letters
    finally:
        package.close()


def test_a_save_in_a_process_that_never_parsed_the_file_sees_the_values_the_page_loaded(tmp_path):
    """The concurrency check compares the loaded text with the quick reader's: a date, a time, a
    number and rich text read alike, so a cold save is not refused as a conflict."""
    from data_sources import local_file
    from data_sources.local_file import LocalFileSource

    path = workbook_with_every_kind(tmp_path / "w.xlsx")
    loaded = LocalFileSource(path).read()[0].values[3]  # A/2, as the page showed it
    local_file._PARSED.clear()  # noqa: SLF001 - another server process: nothing parsed
    changes = {
        "Tanggal": (loaded[1], "2025-03-01"),
        "Jam": (loaded[2], "10:00"),
        "Jumlah": (loaded[3], "4"),
        "Teks": (loaded[4], "baru"),
    }
    result = LocalFileSource(path).update_row(
        "Register", "Nomor", "A/2", changes, [], submission_id="dingin-1"
    )
    assert result.row == 4 and not result.replayed
    assert LocalFileSource(path).read()[0].values[3][1:5] == ["2025-03-01", "10:00", "4", "baru"]
