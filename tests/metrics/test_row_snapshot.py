"""The fast Nomor comparison of a row lookup (``metrics.row_snapshot``) against ``nomor_key``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from metrics.profiles import load_profile, register_header
from metrics.register import SheetGrid
from metrics.row_snapshot import cell_nomor_key, nomor_key, nomor_locations, row_snapshot

UMUM = load_profile("umum")
HOSTILE = [
    "",
    " ",
    "adu/2026/05/0001",
    " ADU/2026/05/0001 ",
    "ADU/2026/\u00a005/0001",
    "ADU/2026/05/0001\u200b",
    "\ufeffADU/2026/05/0001",
    "ADU/20\u00ad26/05/0001",
    "ADU/2026/05/\u20600001",
    "ADU/2026\t/05/0001\r\n",
    "ADU\x00/2026/05/0001\x7f",
    "straße/ǆ/ŉ",
    "ADU/2026/05/0001\u2028",
    "\u3000ADU/2026/05/0001\u1680",
    "nan",
    "None",
    "𝔸DU/2026",
]


def test_cell_nomor_key_equals_nomor_key_on_hostile_cells():
    for cell in HOSTILE:
        assert cell_nomor_key(cell) == nomor_key(cell), repr(cell)


@given(st.text())
def test_cell_nomor_key_equals_nomor_key_on_any_text(cell: str):
    assert cell_nomor_key(cell) == nomor_key(cell)


def test_lookup_matches_hostile_spellings_and_skips_short_and_missing_cells():
    header = register_header(UMUM)
    nomor = header.index("Nomor")

    def row(text: object) -> list[object]:
        cells: list[object] = [""] * len(header)
        cells[nomor] = text
        cells[header.index("Desa")] = "Sukamaju"
        cells[header.index("Tanggal Diterima")] = "10/05/2026 08:00"
        return cells

    grid = SheetGrid(
        "Register",
        [
            ["BUKU REGISTER"],
            header,
            row("ADU/2026/05/0002"),
            row(None),
            [],  # a blank line shorter than the Nomor column
            row("adu/2026/\u00a005/0001\u200b"),
            row(7),
        ],
    )
    assert nomor_locations(grid, "ADU/2026/05/0001", UMUM) == ["Register baris 6"]
    assert nomor_locations(grid, "7", UMUM) == ["Register baris 7"]
    assert nomor_locations(grid, "", UMUM) == []
    snapshot = row_snapshot(grid, " ADU/2026/05/0001 ", UMUM)
    assert snapshot is not None
    assert snapshot.nomor == "adu/2026/\u00a005/0001\u200b".strip()
    assert snapshot.raw["Desa"] == "Sukamaju"
    assert snapshot.header_row[nomor] == "Nomor"
    number = row_snapshot(grid, "7", UMUM)
    assert number is not None and number.raw["Nomor"] == "7"
