"""Lone surrogates (e.g. '\\ud800' from a cut-off paste) are refused before anything is written,
naming the field, on every source; a register cell that already holds one reads as U+FFFD and a
save of another field of that complaint still works."""

from __future__ import annotations

import csv

import pytest

from data_sources.base import UnwritableText, check_encodable, readable_text
from data_sources.local_file import LocalFileSource
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from tests.data_sources.test_gsheets import audit, rows, source_for
from tests.data_sources.test_local_file import all_cells, make_xlsx, update_tahap
from tests.fakes.sheets_api import FakeSheetsServer

BROKEN = "Jalan rusak \ud800 parah"


def test_check_encodable_names_the_field_and_the_audit_column():
    check_encodable({"Tahap": "Selesai ✓ 日本"})  # ordinary non-ASCII text passes
    with pytest.raises(UnwritableText) as excinfo:
        check_encodable({"Isi Pengaduan": BROKEN})
    assert "'Isi Pengaduan'" in str(excinfo.value) and "Tidak ada yang disimpan" in str(excinfo.value)
    with pytest.raises(UnwritableText, match=r"Riwayat \(Tahap\)"):
        check_encodable({}, [["t", "A-1", "Tahap", BROKEN, "x"]])


def test_readable_text_replaces_only_lone_surrogates():
    assert readable_text(BROKEN) == "Jalan rusak \ufffd parah"
    assert readable_text("Désa 😀") == "Désa 😀"


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_local_file_refuses_a_lone_surrogate_and_writes_nothing(tmp_path, suffix):
    path = tmp_path / f"register.{suffix}"
    if suffix == "xlsx":
        make_xlsx(path)
        before = all_cells(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["Nomor", "Desa", "Tahap"], ["A-1", "Sukamaju", "Diterima"]])
        before = path.read_bytes()
    source = LocalFileSource(path)
    key = source.read()[0].values[2 if suffix == "xlsx" else 1][0]
    old = "Diterima" if suffix == "csv" else source.read()[0].values[2][3]
    with pytest.raises(UnwritableText, match="'Tahap'"):
        update_tahap(source, key, old, BROKEN)
    assert (all_cells(path) if suffix == "xlsx" else path.read_bytes()) == before
    assert not source.audit_path.exists() or source.read_audit()[1:] == []


def test_gsheets_refuses_up_front_and_a_cell_that_holds_one_reads_as_fffd():
    with FakeSheetsServer() as server:
        grid = rows("Sukamaju", 2)
        grid[1][3] = BROKEN  # stored by an older version / typed through the API
        key = server.add_spreadsheet("R", {"Sukamaju": grid, AUDIT_SHEET: [list(AUDIT_HEADER)]})
        source = source_for(server, key)
        assert source.read()[0].values[1][3] == "Jalan rusak \ufffd parah"
        with pytest.raises(UnwritableText, match="'Isi Pengaduan'"):
            source.update_row(
                "Sukamaju",
                "Nomor",
                "A-002",
                {"Isi Pengaduan": (grid[2][3], BROKEN)},
                [audit("A-002", "Isi Pengaduan", grid[2][3], BROKEN)],
                submission_id="s1",
            )
        # the complaint already holding one is not stuck: another field saves, that cell is left alone
        result = source.update_row(
            "Sukamaju",
            "Nomor",
            "A-001",
            {"Tahap": (grid[1][4], "Diverifikasi")},
            [audit("A-001", "Tahap", grid[1][4], "Diverifikasi", sid="s2")],
            submission_id="s2",
        )
        assert result.written == {"Tahap": "Diverifikasi"}
        assert server.values(key, "Sukamaju")[1][3] == BROKEN
