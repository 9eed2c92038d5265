"""A register kept as a local ``.xlsx`` or ``.csv`` file: the embedded default source.

Reads give raw strings as a person sees them in the sheet. A write changes only the
cells of ONE complaint found by its Nomor, under a file lock, into a temporary file
that then replaces the original (so a crash never leaves half a register), and appends
the audit rows in the same step.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import openpyxl
from filelock import FileLock, Timeout

from data_sources.base import (
    AppendResult,
    ComplaintNotFound,
    ConcurrentChange,
    DuplicateKey,
    KeyFactory,
    SheetGrid,
    SourceError,
    UpdateResult,
)
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET

_LOCK_TIMEOUT_S = 20


def cell_text(value: object) -> str:
    """A cell value as the text a person sees (dates day-first-safe ISO, integral numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(a: str, b: str) -> bool:
    return (a or "").strip() == (b or "").strip()


class LocalFileSource:
    """Register in a local file; ``path`` ends in ``.xlsx`` or ``.csv``."""

    kind = "local"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise SourceError(f"Berkas register '{self.path.name}' harus berformat .xlsx atau .csv.")
        self.is_csv = suffix == ".csv"
        self.label = self.path.name
        self._lock = FileLock(str(self.path) + ".lock")

    @property
    def audit_path(self) -> Path:
        """Where the audit trail of a CSV register lives (``register.riwayat.csv``)."""
        return self.path.with_name(self.path.stem + ".riwayat.csv")

    # ---------------------------------------------------------------- reading
    def read(self) -> list[SheetGrid]:
        if not self.path.exists():
            raise SourceError(f"Berkas register '{self.path}' tidak ditemukan. Periksa PANTAU_REGISTER.")
        if self.is_csv:
            return [SheetGrid(self.path.stem, self._read_csv(self.path))]
        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise SourceError(
                f"Berkas '{self.path.name}' tidak dapat dibuka sebagai Excel: {error}"
            ) from error
        try:
            return [
                SheetGrid(ws.title, [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)])
                for ws in workbook.worksheets
                if ws.title != AUDIT_SHEET and ws.sheet_state == "visible"
            ]
        finally:
            workbook.close()

    def read_audit(self) -> list[list[str]]:
        if self.is_csv:
            return self._read_csv(self.audit_path) if self.audit_path.exists() else []
        if not self.path.exists():
            return []
        workbook = openpyxl.load_workbook(self.path, read_only=True)
        try:
            if AUDIT_SHEET not in workbook.sheetnames:
                return []
            return [[cell_text(v) for v in row] for row in workbook[AUDIT_SHEET].iter_rows(values_only=True)]
        finally:
            workbook.close()

    @staticmethod
    def _read_csv(path: Path) -> list[list[str]]:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]

    # ---------------------------------------------------------------- writing
    def update_row(
        self,
        sheet: str,
        key_header: str,
        key: str,
        changes: Mapping[str, tuple[str, str]],
        audit_rows: Sequence[Sequence[str]],
    ) -> UpdateResult:
        with self._locked():
            grid, save = self._open_for_write(sheet)
            header_index, columns = _find_header(grid, key_header, sheet)
            row_index = _find_row(grid, header_index, columns[key_header], key, key_header)
            current = grid[row_index]
            conflicts = {}
            for header, (loaded, _new) in changes.items():
                position = columns.get(header)
                now = current[position] if position is not None and position < len(current) else ""
                if not _same(now, loaded):
                    conflicts[header] = now
            if conflicts:
                listed = "; ".join(f"{h}: sekarang '{v}'" for h, v in conflicts.items())
                raise ConcurrentChange(
                    f"Pengaduan {key} sudah diubah orang lain sejak Anda membukanya ({listed}). "
                    "Muat ulang data, periksa perubahannya, lalu simpan lagi. Isian Anda tidak hilang.",
                    conflicts,
                )
            written = {}
            for header, (_loaded, new) in changes.items():
                if header not in columns:
                    columns[header] = _add_column(grid, header_index, header)
                position = columns[header]
                while len(current) <= position:
                    current.append("")
                current[position] = new
                written[header] = new
            save(grid, {row_index: written}, columns, header_index, audit_rows)
            return UpdateResult(sheet, row_index + 1, written, len(audit_rows))

    def append_row(
        self,
        sheet: str,
        key_header: str,
        values: Mapping[str, str],
        make_key: KeyFactory,
        audit_rows_for: Callable[[str], Sequence[Sequence[str]]],
    ) -> AppendResult:
        with self._locked():
            grid, save = self._open_for_write(sheet)
            header_index, columns = _find_header(grid, key_header, sheet)
            key_position = columns[key_header]
            existing = [row[key_position] for row in grid[header_index + 1 :] if len(row) > key_position]
            key = make_key(existing)
            if any(_same(k, key) for k in existing):
                raise DuplicateKey(f"Nomor {key} sudah ada di register; nomor baru tidak dibuat.", [])
            full = {key_header: key, **{h: v for h, v in values.items() if h != key_header}}
            for header in full:
                if header not in columns:
                    columns[header] = _add_column(grid, header_index, header)
            last = max(
                (i for i, row in enumerate(grid) if any(str(c).strip() for c in row)), default=header_index
            )
            row_index = max(last, header_index) + 1
            new_row = [""] * (max(columns.values()) + 1)
            for header, value in full.items():
                new_row[columns[header]] = value
            while len(grid) <= row_index:
                grid.append([])
            grid[row_index] = new_row
            save(grid, {row_index: full}, columns, header_index, audit_rows_for(key))
            return AppendResult(sheet, row_index + 1, key, full)

    # ---------------------------------------------------------------- internals
    def _locked(self):
        try:
            return self._lock.acquire(timeout=_LOCK_TIMEOUT_S)
        except Timeout as error:
            raise SourceError(
                f"Register '{self.label}' sedang disimpan oleh pengguna lain. Coba lagi sebentar lagi."
            ) from error

    def _open_for_write(self, sheet: str):
        """The sheet's cells as a mutable grid plus a function that saves changed rows atomically."""
        if self.is_csv:
            grid = self._read_csv(self.path)

            def save_csv(grid, _changed, _columns, _header_index, audit_rows):
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(grid)
                _atomic_write(self.path, buffer.getvalue().encode("utf-8"))
                if audit_rows:
                    self._append_audit_csv(audit_rows)

            return grid, save_csv

        workbook = openpyxl.load_workbook(self.path)
        if sheet not in workbook.sheetnames:
            raise SourceError(
                f"Sheet '{sheet}' tidak ada di '{self.label}'. Sheet yang ada: {', '.join(workbook.sheetnames)}."
            )
        worksheet = workbook[sheet]
        grid = [[cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]

        def save_xlsx(_grid, changed, columns, header_index, audit_rows):
            header_cells = _grid[header_index]
            for position, text in enumerate(header_cells):
                cell = worksheet.cell(row=header_index + 1, column=position + 1)
                if text and cell.value in (None, ""):
                    _set_text(cell, text)
            for row_index, written in changed.items():
                for header, value in written.items():
                    _set_text(worksheet.cell(row=row_index + 1, column=columns[header] + 1), value)
            if audit_rows:
                if AUDIT_SHEET not in workbook.sheetnames:
                    audit = workbook.create_sheet(AUDIT_SHEET)
                    audit.append(list(AUDIT_HEADER))
                audit = workbook[AUDIT_SHEET]
                for row in audit_rows:
                    next_row = audit.max_row + 1
                    for position, value in enumerate(row):
                        _set_text(audit.cell(row=next_row, column=position + 1), value)
            buffer = io.BytesIO()
            workbook.save(buffer)
            _atomic_write(self.path, buffer.getvalue())

        return grid, save_xlsx

    def _append_audit_csv(self, audit_rows: Sequence[Sequence[str]]) -> None:
        existing = self.audit_path.read_bytes() if self.audit_path.exists() else b""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if not existing:
            writer.writerow(AUDIT_HEADER)
        writer.writerows(audit_rows)
        _atomic_write(self.audit_path, existing + buffer.getvalue().encode("utf-8"))


def _set_text(cell, value: str) -> None:
    """Store ``value`` as plain text: openpyxl would otherwise turn '=…' into a formula."""
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"


def _atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename. The new file keeps the old one's permissions:
    mkstemp makes it 0600, which would lock colleagues out of a register on a shared folder."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644  # a new file (e.g. the Riwayat CSV): readable like any other document
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _find_header(grid: list[list[str]], key_header: str, sheet: str) -> tuple[int, dict[str, int]]:
    """The header row (first row holding ``key_header``) and header text -> column position."""
    for index, row in enumerate(grid[:50]):
        texts = [str(c).strip() for c in row]
        if key_header.strip() in texts:
            columns: dict[str, int] = {}
            for position, text in enumerate(texts):
                if text and text not in columns:
                    columns[text] = position
            return index, columns
    raise SourceError(
        f"Kolom '{key_header}' tidak ditemukan di sheet '{sheet}'. Periksa baris judul register."
    )


def _find_row(grid: list[list[str]], header_index: int, position: int, key: str, key_header: str) -> int:
    hits = [
        index
        for index in range(header_index + 1, len(grid))
        if position < len(grid[index]) and _same(grid[index][position], key)
    ]
    if not hits:
        raise ComplaintNotFound(
            f"Pengaduan dengan {key_header} '{key}' tidak ditemukan di register (mungkin dihapus)."
        )
    if len(hits) > 1:
        rows = [h + 1 for h in hits]
        raise DuplicateKey(
            f"{key_header} '{key}' tercatat lebih dari sekali (baris {', '.join(map(str, rows))}). "
            "Perbaiki nomor gandanya di sheet dulu; tidak ada yang disimpan.",
            rows,
        )
    return hits[0]


def _add_column(grid: list[list[str]], header_index: int, header: str) -> int:
    """Put a missing column at the end of the header row; returns its position."""
    row = grid[header_index]
    while row and not str(row[-1]).strip():
        row.pop()
    row.append(header)
    return len(row) - 1
