"""One complaint's row as written in its sheet: found by Nomor, its cells by header."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from metrics.columns import canonical_column
from metrics.form_input import clean_input
from metrics.profiles import Profile
from metrics.register import (
    SheetGrid,
    locate_header,
    normalise_register,
    running_number_column,
    stage_column_aliases,
)

# --------------------------------------------------------------------------------------------
# Cells of one row, as written in the sheet


@dataclass(frozen=True)
class RowSnapshot:
    """One complaint's row as read from the source: raw cell texts by header as written, the
    canonical key -> header map of its sheet, and the typed row (register model)."""

    sheet: str
    nomor: str
    raw: dict[str, str]
    headers: dict[str, str]
    complaint: dict[str, Any]
    header_row: tuple[str, ...] = ()  # the sheet's header cells as loaded (column A first)

    def header(self, key: str, default: str) -> str:
        return self.headers.get(key) or default

    def changes(self, cells: Mapping[str, str], defaults: Mapping[str, str]) -> dict[str, tuple[str, str]]:
        """``{header as written: (loaded text, new text)}`` for canonical-key ``cells``;
        ``defaults`` names a column missing from the sheet (the source adds it)."""
        out: dict[str, tuple[str, str]] = {}
        for key, new in cells.items():
            header = self.header(key, defaults.get(key, key))
            out[header] = (self.raw.get(header, ""), new)
        return out


def nomor_key(text: object) -> str:
    """A Nomor as compared when searching: case and all spaces ignored (as Lacak does), including
    non-breaking and zero-width spaces pasted from WhatsApp or a web page."""
    return re.sub(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]+", "", clean_input(text)).upper()


def _nomor_rows(grid: SheetGrid, nomor: str, profile: Profile):
    """(header index, header cells, key -> header, [(row number in the sheet, row)]) of the rows
    whose Nomor matches ``nomor`` ignoring case and spaces; None without a usable header."""
    values = [[str(c) if c is not None else "" for c in row] for row in grid.values]
    extra = stage_column_aliases(profile)
    header_index = locate_header(values, extra)
    if header_index is None:
        return None
    header = [c.strip() for c in values[header_index]]
    headers: dict[str, str] = {}
    running = running_number_column(header, extra)  # 'No | No. Register': the register number
    for position, cell in enumerate(header):
        key = canonical_column(cell, extra)
        if key is not None and key not in headers and position != running:
            headers[key] = cell
    if "nomor" not in headers:
        return None
    position = header.index(headers["nomor"])
    wanted = nomor_key(nomor)
    hits = [
        (number, row)
        for number, row in enumerate(values[header_index + 1 :], start=header_index + 2)
        if wanted and position < len(row) and nomor_key(row[position]) == wanted
    ]
    return values[header_index], header, headers, position, hits


def nomor_locations(grid: SheetGrid, nomor: str, profile: Profile) -> list[str]:
    """Where ``nomor`` is written in ``grid`` (``"Sheet baris 12"``), case and spaces ignored."""
    found = _nomor_rows(grid, nomor, profile)
    if found is None:
        return []
    return [f"{grid.name} baris {number}" for number, _ in found[4]]


def row_snapshot(grid: SheetGrid, nomor: str, profile: Profile) -> RowSnapshot | None:
    """The row of ``grid`` whose Nomor cell is ``nomor`` (case and spaces ignored; None when
    absent or ambiguous). The snapshot's Nomor is the text as written in the sheet."""
    found = _nomor_rows(grid, nomor, profile)
    if found is None:
        return None
    header_row, header, headers, position, hits = found
    if len(hits) != 1:
        return None
    row = hits[0][1]
    raw = {cell: (row[i] if i < len(row) else "") for i, cell in enumerate(header) if cell}
    register = normalise_register([SheetGrid(grid.name, [header_row, row])], profile)
    rows = register.every_row()  # a record marked Duplikat/Batal is still a row to update
    if rows.empty:
        return None
    typed = rows.iloc[0].to_dict()
    return RowSnapshot(grid.name, clean_input(row[position]), raw, headers, typed, tuple(header))
