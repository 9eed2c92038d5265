"""A column header renamed in the Google Sheet between the user's read and the save: the refusal
names the sheet, the column letter and old → new header, and nothing is written."""

from __future__ import annotations

import pytest

from data_sources.base import ConcurrentChange
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from metrics.profiles import load_profile
from metrics.row_snapshot import row_snapshot
from tests.data_sources.test_gsheets import H, audit, rows, source_for
from tests.fakes.sheets_api import FakeSheetsServer

SHEET = "Sukamaju"


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


def _renamed(server) -> tuple[str, list[list[str]]]:
    key = server.add_spreadsheet("R", {SHEET: rows(SHEET, 3), AUDIT_SHEET: [list(AUDIT_HEADER)]})
    before = server.values(key, SHEET)
    server.set_values(key, SHEET, [["Uraian Pengaduan"]], start="D1")  # typed by hand in the Sheet
    return key, before


def _save(source, loaded_header=()):
    return source.update_row(
        SHEET,
        "Nomor",
        "A-002",
        {"Isi Pengaduan": ("Jalan rusak nomor 2", "Jalan rusak parah")},
        [audit("A-002", "Isi Pengaduan", "Jalan rusak nomor 2", "Jalan rusak parah")],
        submission_id="s1",
        **({"loaded_header": loaded_header} if loaded_header else {}),
    )


def test_a_renamed_header_is_named_with_its_column_letter_and_nothing_is_written(server):
    key, before = _renamed(server)
    source = source_for(server, key)
    snapshot = row_snapshot(source.read()[0], "A-002", load_profile("umum"))
    assert snapshot is not None  # read after the rename: the app's copy is older, as below
    with pytest.raises(ConcurrentChange) as excinfo:
        _save(source, tuple(H))
    text = str(excinfo.value)
    assert "sheet 'Sukamaju'" in text and "D: 'Isi Pengaduan' → 'Uraian Pengaduan'" in text
    assert "Tidak ada yang ditulis" in text and "sudah diubah orang lain" not in text
    after = server.values(key, SHEET)
    assert after[1:] == before[1:] and after[0][3] == "Uraian Pengaduan"
    assert server.values(key, AUDIT_SHEET) == [list(AUDIT_HEADER)]


def test_without_the_loaded_header_the_missing_column_is_still_named(server):
    key, before = _renamed(server)
    with pytest.raises(ConcurrentChange) as excinfo:
        _save(source_for(server, key))
    text = str(excinfo.value)
    assert "'Isi Pengaduan' tidak ada lagi" in text and "sudah diubah orang lain" not in text
    assert server.values(key, SHEET)[1:] == before[1:]


def test_the_row_snapshot_keeps_the_header_row_as_loaded(server):
    key = server.add_spreadsheet("R", {SHEET: rows(SHEET, 3)})
    snapshot = row_snapshot(source_for(server, key).read()[0], "A-002", load_profile("umum"))
    assert snapshot is not None and snapshot.header_row == tuple(H)


def test_two_swapped_headers_are_named_as_a_header_change_not_as_someone_elses_edit(server):
    key = server.add_spreadsheet("R", {SHEET: rows(SHEET, 3), AUDIT_SHEET: [list(AUDIT_HEADER)]})
    before = server.values(key, SHEET)
    server.set_values(key, SHEET, [["Tahap", "Isi Pengaduan"]], start="D1")  # D and E exchanged
    with pytest.raises(ConcurrentChange) as excinfo:
        _save(source_for(server, key), tuple(H))
    text = str(excinfo.value)
    assert "D: 'Isi Pengaduan' → 'Tahap'" in text and "sudah diubah orang lain" not in text
    assert server.values(key, SHEET)[1:] == before[1:]
    assert server.values(key, AUDIT_SHEET) == [list(AUDIT_HEADER)]
