"""Where the satisfaction survey after settlement is kept: one row per Nomor.

* a Google Sheets register: a ``Survei`` worksheet in the (first) register spreadsheet, created
  with its header when missing;
* a local ``.xlsx`` register: a ``Survei`` sheet in the same workbook, written under the
  register's own file lock (a survey answer and a register change never overwrite each other);
* a local ``.csv`` register: a sidecar ``<register>.survei.csv`` (UTF-8 with a BOM), under its own
  lock, read and written through the register's CSV machinery (``CsvFile``): a comment starting
  with ``=``, ``+``, ``-``, ``@`` is stored formula-guarded, so Excel shows it as text, and reads
  back exactly as typed.

Columns (``metrics.ikm.SURVEY_HEADER``): Nomor, Desa, Nilai (1–4), Komentar, Waktu, ID Kiriman.
Every cell is written as text (Sheets: RAW input; xlsx: inline strings), so ``=…``, ``+…``, ``@…``
stay the text the resident typed.

Exactly once per Nomor:

* the **first** row of a Nomor is its answer; a later submission for the same Nomor is refused
  with ``AlreadyRated``;
* a replayed submission id (double click, rerun, retry after a lost answer) returns the answer it
  stored with ``replayed=True`` and writes nothing;
* local files decide under a file lock, so two processes give one row;
* Google Sheets has no lock or unique constraint: the answer is appended, the sheet read again,
  and the row *highest in the sheet* for that Nomor wins (Google applies appends one after the
  other, so every writer sees the same order — the rule the register's claim rows use). A writer
  that lost clears its own row (found by its submission id) and gets ``AlreadyRated``; a row left
  by a writer that died before clearing is still never counted (readers take the first row).
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import gspread
from filelock import Timeout
from gspread.utils import ValueInputOption, rowcol_to_a1

from data_sources.base import SourceError
from data_sources.gsheets import GoogleSheetsSource, spreadsheet_key
from data_sources.local_file import (
    CsvFile,
    LocalFileSource,
    read_csv_file,
    read_xlsx_sheet,
    register_lock,
    write_atomically,
)
from data_sources.xlsx_patch import XlsxPackage, XlsxUnsupported
from metrics.columns import SURVEY_SHEET

# Same order as metrics.ikm.SURVEY_HEADER (data_sources may not import metrics.ikm).
HEADER: tuple[str, ...] = ("Nomor", "Desa", "Nilai", "Komentar", "Waktu", "ID Kiriman")
_NOMOR, _ID = 0, 5


@dataclass(frozen=True)
class SurveyAnswer:
    nomor: str
    desa: str
    nilai: int
    komentar: str
    waktu: str  # "YYYY-MM-DD HH:MM" local wall time
    submission_id: str

    def row(self) -> list[str]:
        return [self.nomor, self.desa, str(self.nilai), self.komentar, self.waktu, self.submission_id]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> SurveyAnswer:
        cells = [str(c) for c in row] + [""] * (len(HEADER) - len(row))
        score = cells[2].strip()
        return cls(
            cells[0].strip(),
            cells[1],
            int(score) if score.isdigit() else 0,
            cells[3],
            cells[4],
            cells[5].strip(),
        )


@dataclass(frozen=True)
class SurveyResult:
    answer: SurveyAnswer  # the answer stored for the Nomor
    replayed: bool = False  # this submission was stored before; nothing written now


class AlreadyRated(SourceError):
    """The Nomor already has its answer (from another submission)."""

    def __init__(self, nomor: str) -> None:
        super().__init__(f"Pengaduan {nomor} sudah dinilai; penilaian hanya sekali per pengaduan.")
        self.nomor = nomor


class SurveyStore(Protocol):
    label: str

    def read(self) -> list[list[str]]:
        """The Survei rows, header first (empty list when there is none yet)."""
        ...

    def record(self, answer: SurveyAnswer) -> SurveyResult:
        """Store ``answer`` once for its Nomor (see the module docstring)."""
        ...


def _key(nomor: object) -> str:
    return "".join(str(nomor).split()).upper()


def _body(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    """Rows under the header (the first row is the header when it says ``Nomor``)."""
    text = [[str(c) for c in r] for r in rows]
    if text and text[0] and text[0][0].strip().lower() == "nomor":
        return text[1:]
    return text


def decide(rows: Sequence[Sequence[Any]], answer: SurveyAnswer) -> SurveyResult | None:
    """What the rows already say about ``answer``: its replay, a refusal (``AlreadyRated``), or
    ``None`` (not answered yet: write it)."""
    body = _body(rows)
    key = _key(answer.nomor)
    first = next((r for r in body if len(r) > _NOMOR and _key(r[_NOMOR]) == key), None)
    if first is None:
        return None
    stored = SurveyAnswer.from_row(first)
    if answer.submission_id and stored.submission_id == answer.submission_id:
        return SurveyResult(stored, replayed=True)
    raise AlreadyRated(stored.nomor)


# ---------------------------------------------------------------------------- local files
class LocalSurveyStore:
    """The ``Survei`` sheet of a local .xlsx register, or ``<register>.survei.csv`` beside a CSV."""

    def __init__(self, register_path: str | Path) -> None:
        self.register_path = Path(register_path)
        self.is_csv = self.register_path.suffix.lower() == ".csv"
        self.path = (
            self.register_path.with_name(self.register_path.stem + ".survei.csv")
            if self.is_csv
            else self.register_path
        )
        self.label = self.path.name if self.is_csv else f"{self.register_path.name} (sheet {SURVEY_SHEET})"
        # the .xlsx shares the register's lock: both replace the whole file
        self._lock = register_lock(self.path)

    def read(self) -> list[list[str]]:
        if not self.path.exists():
            return []
        if self.is_csv:
            return [list(r) for r in self._csv_file().records]
        try:
            return read_xlsx_sheet(self.path, SURVEY_SHEET) or []
        except SourceError:
            raise
        except Exception as error:  # calamine's own errors for a damaged file
            raise SourceError(
                f"Sheet {SURVEY_SHEET} di '{self.register_path.name}' tidak dapat dibaca."
            ) from error

    def record(self, answer: SurveyAnswer) -> SurveyResult:
        try:
            with self._lock.acquire():
                rows = self.read()
                known = decide(rows, answer)
                if known is not None:
                    return known
                if self.is_csv:
                    self._append_csv(rows, answer)
                else:
                    self._append_xlsx(rows, answer)
                return SurveyResult(answer)
        except Timeout as error:
            raise SourceError(
                f"'{self.label}' sedang disimpan oleh pengguna lain. Coba lagi sebentar lagi."
            ) from error
        except OSError as error:
            raise SourceError(
                f"Penilaian tidak dapat disimpan di '{self.label}': {error.strerror}."
            ) from error

    def _csv_file(self) -> CsvFile:
        # the app's own file: UTF-8 (an older one may lack the BOM), like the register's Riwayat
        return read_csv_file(self.path, "utf-8")

    def _append_csv(self, rows: list[list[str]], answer: SurveyAnswer) -> None:
        if self.path.exists():
            file = self._csv_file()
            start = len(file.records)
            while start > 0 and not any(c.strip() for c in file.records[start - 1]):
                start -= 1
            changes = {start: answer.row()} if start else {0: list(HEADER), 1: answer.row()}
        else:
            # UTF-8 with a BOM: Excel opens it with the right characters
            file = CsvFile("utf-8", codecs.BOM_UTF8, ",", "\r\n", [], [])
            changes = {0: list(HEADER), 1: answer.row()}
        write_atomically([(self.path, file.to_bytes(changes))], self.label)

    def _append_xlsx(self, rows: list[list[str]], answer: SurveyAnswer) -> None:
        if not self.path.exists():
            raise SourceError(f"Berkas register '{self.register_path.name}' tidak ditemukan.")
        try:
            package = XlsxPackage(self.path)
            try:
                cells: dict[tuple[int, int], str] = {}
                if package.sheet_part(SURVEY_SHEET) is None:
                    package.add_sheet(SURVEY_SHEET)
                if not rows:
                    cells.update({(0, c): text for c, text in enumerate(HEADER)})
                start = max(len(rows), 1)
                while start > 1 and not any(str(c).strip() for c in rows[start - 1]):
                    start -= 1
                cells.update({(start, c): text for c, text in enumerate(answer.row()) if text != ""})
                package.set_cells(SURVEY_SHEET, cells)
                data = package.save_bytes()
            finally:
                package.close()
        except XlsxUnsupported as error:
            raise SourceError(
                f"Penilaian tidak disimpan: '{self.register_path.name}' tidak dapat ditulis ({error})."
            ) from error
        write_atomically([(self.path, data)], self.register_path.name)


# ---------------------------------------------------------------------------- Google Sheets
class SheetsSurveyStore:
    """The ``Survei`` worksheet of a Google Sheets register (append, read back, first row wins)."""

    def __init__(self, client: gspread.Client, spreadsheet: str) -> None:
        self.client = client
        self.key = spreadsheet
        self.label = f"sheet {SURVEY_SHEET}"
        self._worksheet: gspread.Worksheet | None = None

    def _sheet(self, create: bool) -> gspread.Worksheet | None:
        if self._worksheet is not None:
            return self._worksheet
        try:
            spreadsheet = self.client.open_by_key(self.key)
            try:
                self._worksheet = spreadsheet.worksheet(SURVEY_SHEET)
            except gspread.WorksheetNotFound:
                if not create:
                    return None
                try:
                    sheet = spreadsheet.add_worksheet(SURVEY_SHEET, rows=200, cols=len(HEADER))
                except gspread.exceptions.APIError:  # added by another writer meanwhile
                    sheet = self.client.open_by_key(self.key).worksheet(SURVEY_SHEET)
                # the header in row 1 (an idempotent cell write, never an append)
                sheet.update([list(HEADER)], "A1", value_input_option=ValueInputOption.raw)
                self._worksheet = sheet
        except gspread.exceptions.GSpreadException as error:
            raise SourceError(f"Sheet {SURVEY_SHEET} tidak dapat dibuka: {error}") from error
        except OSError as error:
            raise SourceError(f"Google Sheets tidak terjangkau ({SURVEY_SHEET}): {error}") from error
        return self._worksheet

    def read(self) -> list[list[str]]:
        sheet = self._sheet(create=False)
        if sheet is None:
            return []
        try:
            return [list(r) for r in sheet.get_all_values()]
        except (gspread.exceptions.GSpreadException, OSError) as error:
            raise SourceError(f"Sheet {SURVEY_SHEET} tidak dapat dibaca: {error}") from error

    def record(self, answer: SurveyAnswer) -> SurveyResult:
        sheet = self._sheet(create=True)
        assert sheet is not None
        rows = self.read()
        try:
            known = decide(rows, answer)
        except AlreadyRated:  # a row an earlier, lost attempt of this submission left: cleared too
            self._clear_mine(sheet, rows, answer)
            raise
        if known is not None:
            return known
        try:
            sheet.append_rows([answer.row()], value_input_option=ValueInputOption.raw)
        except (gspread.exceptions.GSpreadException, OSError) as error:
            # the answer may be lost after Google applied the append: look before repeating it
            if not any(len(r) > _ID and r[_ID].strip() == answer.submission_id for r in self.read()):
                try:
                    sheet.append_rows([answer.row()], value_input_option=ValueInputOption.raw)
                except (gspread.exceptions.GSpreadException, OSError) as again:
                    raise SourceError(
                        f"Penilaian tidak dapat disimpan di sheet {SURVEY_SHEET}: {again}"
                    ) from error
        rows = self.read()
        try:
            result = decide(rows, answer)
        except AlreadyRated:
            self._clear_mine(sheet, rows, answer)
            raise
        return SurveyResult(answer) if result is None else SurveyResult(result.answer)

    def _clear_mine(self, sheet: gspread.Worksheet, rows: list[list[str]], answer: SurveyAnswer) -> None:
        """Empty the rows this losing submission appended for its Nomor (cell writes: other rows
        never move); the Nomor's first row is never touched."""
        key = _key(answer.nomor)
        ours = [
            i + 1
            for i, r in enumerate(rows)
            if len(r) > _ID and r[_ID].strip() == answer.submission_id and _key(r[_NOMOR]) == key
        ]
        first = next((i + 1 for i, r in enumerate(rows) if i > 0 and r and _key(r[_NOMOR]) == key), None)
        mine = [row for row in ours if row != first]
        if not mine:
            return
        ranges = [f"{rowcol_to_a1(r, 1)}:{rowcol_to_a1(r, len(HEADER))}" for r in mine]
        # a copy that lost and could not be cleared is never counted (readers take a Nomor's first row)
        for _attempt in range(3):  # a cell clear is idempotent: repeating it is safe
            with contextlib.suppress(gspread.exceptions.GSpreadException, OSError):
                sheet.batch_clear(ranges)
                return


def survey_store_for(source: object) -> SurveyStore | None:
    """The survey store beside a register source; ``None`` for a source that has no place for it."""
    if isinstance(source, LocalFileSource):
        return LocalSurveyStore(source.path)
    if isinstance(source, GoogleSheetsSource):
        reference = source.config.spreadsheet or next(iter(source.config.spreadsheets.values()), "")
        return SheetsSurveyStore(source.client, spreadsheet_key(reference)) if reference else None
    return None
