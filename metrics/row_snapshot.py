"""One complaint's row as written in its sheet: found by Nomor, its cells by header."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

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


def cell_nomor_key(cell: str) -> str:
    """``nomor_key`` of a cell text, fast for the usual cell. A printable text without an ASCII
    space holds nothing ``nomor_key`` removes (every other space, line break, control, zero-width
    and soft-hyphen character is not printable), so its key is its upper case."""
    if cell.isprintable() and " " not in cell:
        return cell.upper()
    return nomor_key(cell)


def _cell_text(cell: object) -> str:
    return str(cell) if cell is not None else ""


class _TextRows(Sequence[list[str]]):
    """The rows of a grid as cell texts, converted only when looked at (the header search reads
    the first rows, a lookup only the rows it returns)."""

    def __init__(self, rows: Sequence[Sequence[object]]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> list[str]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[str]]: ...

    def __getitem__(self, index: int | slice) -> list[str] | list[list[str]]:
        if isinstance(index, slice):
            return [[_cell_text(c) for c in row] for row in self._rows[index]]
        return [_cell_text(c) for c in self._rows[index]]


def _nomor_rows(grid: SheetGrid, nomor: str, profile: Profile):
    """(header index, header cells, key -> header, [(row number in the sheet, row)]) of the rows
    whose Nomor matches ``nomor`` ignoring case and spaces; None without a usable header."""
    values = _TextRows(grid.values)
    extra = stage_column_aliases(profile)
    header_index = locate_header(values, extra)
    if header_index is None:
        return None
    header_row = values[header_index]
    header = [c.strip() for c in header_row]
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
    rows = grid.values
    hits = (
        [
            (number, values[index])
            for index in range(header_index + 1, len(rows))
            if position < len(row := rows[index]) and cell_nomor_key(_cell_text(row[position])) == wanted
            for number in (index + 1,)
        ]
        if wanted
        else []
    )
    return header_row, header, headers, position, hits


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
