"""Builders shared by the complaint tests of the services layer (tests/services/test_complaints.py)
and of the form pages (tests/pages/test_complaint_forms.py): one copy, so the two cannot drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from metrics.columns import AUDIT_SHEET
from services.access import Viewer

PETUGAS = Viewer("Petugas Sukamaju", "petugas", ("Sukamaju",))


def rows_of(path: Path) -> tuple[dict[str, dict[str, Any]], list[list[Any]]]:
    """The Register sheet's rows by Nomor (header -> openpyxl cell) and Riwayat's rows (values)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Register"]
    header = [c.value for c in sheet[1]]
    rows = {}
    for cells in sheet.iter_rows(min_row=2):
        nomor = cells[0].value
        if nomor:
            rows[str(nomor)] = {h: c for h, c in zip(header, cells, strict=False) if h}
    audit = [[c.value for c in r] for r in workbook[AUDIT_SHEET].iter_rows(min_row=2)]
    return rows, audit
