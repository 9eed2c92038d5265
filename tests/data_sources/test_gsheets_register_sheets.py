"""Which worksheets of a Google Sheet (and of an .xlsx) are register sheets: hidden ones count with
a SHEET_TERSEMBUNYI finding, the app's own sheets and the Google Form's response sheet never do."""

from __future__ import annotations

import openpyxl
import pytest

from data_sources.gsheets import CONTROL_HEADER, CONTROL_SHEET
from data_sources.local_file import LocalFileSource
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET, NOTIFICATION_SHEET, SURVEY_SHEET
from metrics.profiles import load_profile
from metrics.register import normalise_register
from tests.data_sources.test_gsheets import H, rows, source_for
from tests.fakes.sheets_api import FakeSheetsServer

FORM = [["Timestamp", "Nomor", "Isi Pengaduan"], ["01/03/2024 09:00:00", "F-1", "Lampu jalan mati"]]
ARSIP = [H, ["H-001", "Cibodas", "2024-02-01 09:00", "Jembatan putus", "diterima", "", ""]]


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


def _hide(server, key: str, titles: list[str]) -> None:
    spreadsheet = server.client().open_by_key(key)
    for title in titles:
        spreadsheet.worksheet(title).hide()


def test_hidden_google_sheet_with_complaints_counts_with_a_finding(server):
    key = server.add_spreadsheet(
        "R",
        {
            "Sukamaju": rows("Sukamaju", 2),
            "Arsip": ARSIP,
            "Daftar": [["diterima"], ["selesai"]],  # a hidden helper sheet (dropdown list)
            AUDIT_SHEET: [list(AUDIT_HEADER)],
            CONTROL_SHEET: [list(CONTROL_HEADER)],
            SURVEY_SHEET: [["Nomor", "Nilai"], ["A-001", "4"]],
            NOTIFICATION_SHEET: [["Nomor", "Status"], ["A-001", "terkirim"]],
        },
    )
    _hide(server, key, ["Arsip", "Daftar", AUDIT_SHEET, CONTROL_SHEET, SURVEY_SHEET, NOTIFICATION_SHEET])
    source = source_for(server, key)
    grids = source.read()
    assert [(g.name, g.hidden) for g in grids] == [("Sukamaju", False), ("Arsip", True), ("Daftar", True)]
    register = normalise_register(grids, load_profile("umum"))
    assert sorted(register.complaints["nomor"]) == ["A-001", "A-002", "H-001"]
    codes = register.findings[["kode", "sheet"]].values.tolist()
    assert ["SHEET_TERSEMBUNYI", "Arsip"] in codes
    assert not [c for c in codes if c[1] == "Daftar"]


def test_single_worksheet_layout_still_takes_the_first_visible_sheet(server):
    key = server.add_spreadsheet("R", {"Arsip": ARSIP, "Sukamaju": rows("Sukamaju", 2)})
    _hide(server, key, ["Arsip"])
    source = source_for(server, key, layout="single_worksheet")
    assert [g.name for g in source.read()] == ["Sukamaju"]


@pytest.mark.parametrize("hidden", [False, True])
def test_form_response_sheet_with_a_nomor_column_is_not_read_as_complaints_on_sheets(server, hidden):
    key = server.add_spreadsheet("R", {"Sukamaju": rows("Sukamaju", 2), "Respons Formulir 1": FORM})
    if hidden:
        _hide(server, key, ["Respons Formulir 1"])
    register = normalise_register(source_for(server, key).read(), load_profile("umum"))
    assert sorted(register.complaints["nomor"]) == ["A-001", "A-002"]
    assert "Respons Formulir 1" not in register.headers
    assert not [s for s in register.findings["sheet"] if s == "Respons Formulir 1"]


def test_form_response_sheet_with_a_nomor_column_is_not_read_as_complaints_on_xlsx(tmp_path):
    path = tmp_path / "reg.xlsx"
    workbook = openpyxl.Workbook()
    register_sheet = workbook.active
    register_sheet.title = "Sukamaju"
    for row in rows("Sukamaju", 2):
        register_sheet.append(row)
    form = workbook.create_sheet("Isian Warga")
    for row in FORM:
        form.append(row)
    workbook.save(path)
    grids = LocalFileSource(path).read()
    profile = load_profile("umum")
    # the sheet named by [intake] worksheet is the form's, whatever its columns
    register = normalise_register(grids, profile, form_worksheet="Isian Warga")
    assert sorted(register.complaints["nomor"]) == ["A-001", "A-002"]
    # the default name too
    form.title = "Respons Formulir 1"
    workbook.save(path)
    register = normalise_register(LocalFileSource(path).read(), profile)
    assert sorted(register.complaints["nomor"]) == ["A-001", "A-002"]
