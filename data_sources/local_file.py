"""A register kept as a local ``.xlsx`` or ``.csv`` file: the embedded default source.

Reads give raw strings as a person sees them in the sheet (for a formula: the value the
spreadsheet last computed and shows). A write changes only the cells of ONE complaint found by
its Nomor, under a file lock, and nothing else of the file:

- ``.xlsx``: the changed cells are patched into the sheet's XML (``data_sources.xlsx_patch``);
  every other part of the workbook is copied byte for byte, so dropdowns, formatting, tables and
  other sheets survive. The audit rows go into the ``Riwayat`` sheet of the same file, so a change
  and its audit rows are replaced together by one rename (all or nothing).
- ``.csv``: separator, encoding (UTF-8 with or without BOM, UTF-16, Windows-1252), quoting and
  line endings are kept; every line but the changed one stays byte-identical. The audit rows go
  to ``<name>.riwayat.csv``: both new files are written completely first (a full disk fails
  here, before anything is replaced), then the audit file is renamed into place, then the register.
  A crash between the two renames leaves audit rows carrying the submission id whose change is
  missing; the retry of that submission (same id) completes the change instead of repeating it.

Exactly once: each write carries a ``submission_id`` that is stored in the audit rows' column
``ID Kiriman``; a call whose id is already recorded returns the original result and writes nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import os
import re
import stat
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from data_sources.base import (
    AUDIT_ID_COLUMN,
    AlreadyRecorded,
    AppendResult,
    ComplaintNotFound,
    ConcurrentChange,
    DuplicateKey,
    KeyFactory,
    SheetGrid,
    SourceError,
    SourceNote,
    UnwritableText,
    UpdateResult,
    check_encodable,
    keys_in_use,
    stamp_audit_rows,
)
from data_sources.xlsx_cells import NeedFullRead, SheetCells
from data_sources.xlsx_patch import XlsxPackage, XlsxUnsupported, column_index, column_letters, unescape_xml
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET, SURVEY_SHEET
from metrics.complaint_updates import nomor_key
from metrics.text import Text

_LOCK_TIMEOUT_S = 20
ID_HEADER = "ID Kiriman"
# the audit header written by this source (the 7 classic columns + the submission id)
LOCAL_AUDIT_HEADER: tuple[str, ...] = AUDIT_HEADER
_ID_POSITION = AUDIT_ID_COLUMN
EXCEL_CELL_LIMIT = 32_767

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a long cell is a finding, not a crash


def _c1_errors(error: UnicodeError) -> tuple[str | bytes, int]:
    """cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined: read them as the Latin-1 control they are
    and write them back as the same byte, so an unchanged line stays byte-identical."""
    if isinstance(error, UnicodeDecodeError):
        return chr(error.object[error.start]), error.start + 1
    if isinstance(error, UnicodeEncodeError):
        text = error.object[error.start : error.end]
        if all(0x80 <= ord(c) <= 0x9F for c in text):
            return bytes(ord(c) for c in text), error.end
    # any other character the file's encoding cannot hold: refuse (never a silent "?")
    raise error


codecs.register_error("pantau_c1", _c1_errors)
_UNDEFINED_CP1252 = re.compile("[\x81\x8d\x8f\x90\x9d]")


def cell_text(value: object) -> str:
    """A cell value as the text a person sees (dates day-first-safe ISO, integral numbers without .0)."""
    if type(value) is str:  # by far the most common: checked first (a 100k-row register has millions)
        return value
    if type(value) is float:
        return str(int(value)) if value.is_integer() else str(value)
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
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(a: str, b: str) -> bool:
    return (a or "").strip() == (b or "").strip()


def _same_key(a: str, b: str) -> bool:
    """Two Nomors are the same complaint: case, spaces, zero-width and non-breaking spaces ignored."""
    return nomor_key(a) == nomor_key(b)


def _key_hits(texts: Sequence[tuple[int, str]], key: str) -> list[int]:
    """Indexes of ``texts`` holding the Nomor ``key`` (``_same_key``). ``_quick_key`` drops every
    character ``nomor_key`` drops (and a few more), so equal Nomor keys always have equal quick
    keys: a C-speed first pass over a 100,000-row column, the exact test only on its hits."""
    wanted = _quick_key(key)
    return [index for index, text in texts if _quick_key(text) == wanted and _same_key(text, key)]


# ---------------------------------------------------------------------------- CSV
@dataclass
class CsvFile:
    """A CSV register as read: the cells of each record and the record's exact original text."""

    encoding: str  # codec used for new text ("utf-8", "utf-16-le", "cp1252", ...)
    bom: bytes
    delimiter: str
    newline: str
    records: list[list[str]]
    raws: list[str]  # each record's text including its line ending
    notes: list[SourceNote] = field(default_factory=list)
    # the file has no BOM and only ASCII bytes: UTF-8 and Windows-1252 read it alike, so its real
    # encoding is unknown until a non-ASCII character is to be written (see ``encode``)
    ascii_only: bool = False
    # the encoding to write non-ASCII text in when ``ascii_only`` ("" = unknown: refuse)
    ascii_encoding: str = ""
    name: str = ""

    def row_text(
        self, cells: Sequence[str], ending: str, original: tuple[Sequence[str], str] | None = None
    ) -> str:
        """One record's text. Cells are guarded against spreadsheet formulas (``guard_formula``);
        with ``original`` (the record's cells and text as read) every cell whose value did not
        change keeps its original characters (its quotes, spacing), field by field."""
        values = ["" if c is None else str(c) for c in cells]
        kept: list[str] | None = None
        if original is not None:
            old_cells, old_text = original
            fields = _split_fields(old_text, self.delimiter)
            if fields is not None and len(fields) == len(old_cells):
                kept = fields
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter=self.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )
        out = []
        for position, value in enumerate(values):
            if (
                kept is not None
                and original is not None
                and position < len(kept)
                and value == original[0][position]
            ):
                out.append(kept[position])
                continue
            if value == "":
                out.append("")
                continue
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([guard_formula(value)])
            out.append(buffer.getvalue()[:-2])
        if out == [""]:
            out = ['""']  # a record of one empty cell is not an empty line
        return self.delimiter.join(out) + ending

    def encode(self, text: str) -> bytes:
        if self.ascii_only and not text.isascii():
            self._settle_ascii_encoding(text)
        errors = "pantau_c1" if self.encoding == "cp1252" else "strict"
        try:
            return text.encode(self.encoding, errors)
        except UnicodeEncodeError as error:
            bad = error.object[error.start : error.end]
            raise UnwritableText(
                Text(
                    f"Teks '{bad}' tidak dapat disimpan dalam pengodean berkas "
                    f"CSV ({self.encoding}). Simpan berkas sebagai CSV UTF-8 di Excel lalu coba lagi.",
                    f"Text '{bad}' cannot be stored in the CSV file's encoding ({self.encoding}). Save the file "
                    "as CSV UTF-8 in Excel and try again.",
                )
            ) from error

    def _settle_ascii_encoding(self, text: str) -> None:
        """The first non-ASCII character for an all-ASCII file: written in the configured encoding
        ([pantau] register_encoding), else refused: UTF-8 bytes in a file Excel opens as Windows-1252
        (or the other way round) would show as 'JosÃ©' and corrupt the register for every reader."""
        sample = next((c for c in text if not c.isascii()), "")
        if not self.ascii_encoding:
            raise UnwritableText(
                Text(
                    f"Teks '{sample}' tidak disimpan: berkas CSV '{self.name}' sejauh ini hanya berisi huruf "
                    "ASCII, jadi pengodeannya (UTF-8 atau Windows-1252/ANSI) tidak dapat dipastikan dan karakter "
                    'itu bisa rusak saat dibuka di Excel. Isi pengaturan [pantau] register_encoding = "cp1252" '
                    '(CSV biasa dari Excel) atau "utf-8" (CSV UTF-8), atau ketik teks tanpa karakter itu.',
                    f"Text '{sample}' was not stored: CSV file '{self.name}' holds only ASCII letters so far, so "
                    "its encoding (UTF-8 or Windows-1252/ANSI) cannot be told and that character could be "
                    'garbled when opened in Excel. Set [pantau] register_encoding = "cp1252" (a plain CSV from '
                    'Excel) or "utf-8" (CSV UTF-8), or type the text without that character.',
                )
            )
        try:
            codec = codecs.lookup(self.ascii_encoding).name
        except LookupError as error:
            raise SourceError(
                Text(
                    f"Pengaturan [pantau] register_encoding '{self.ascii_encoding}' tidak dikenal; "
                    'pakai "cp1252" atau "utf-8". Tidak ada yang disimpan.',
                    f"Setting [pantau] register_encoding '{self.ascii_encoding}' is unknown; "
                    'use "cp1252" or "utf-8". Nothing was stored.',
                )
            ) from error
        self.encoding = "utf-8" if codec in ("utf-8", "utf-8-sig") else codec
        self.ascii_only = False

    def to_bytes(self, changed: Mapping[int, list[str]]) -> bytes:
        """The file with the records of ``changed`` (index -> cells) rewritten, appended when beyond."""
        raws = list(self.raws)
        for index in sorted(changed):
            if index < len(raws):
                original = raws[index]
                body = original.rstrip("\r\n")
                ending = original[len(body) :]
                raws[index] = self.row_text(
                    changed[index], ending or self.newline, (self.records[index], body.replace("\x00", ""))
                )
            else:
                if raws and not raws[-1].endswith(("\n", "\r")):
                    raws[-1] += self.newline
                while len(raws) < index:
                    raws.append(self.newline)
                raws.append(self.row_text(changed[index], self.newline))
        return self.bom + b"".join(
            self._original_bytes(i)
            if i < len(self.raws) and raws[i] is self.raws[i]
            else self.encode(raws[i])
            for i in range(len(raws))
        )

    def _original_bytes(self, index: int) -> bytes:
        return self.encode(self.raws[index])


# A cell starting with one of these is evaluated as a formula when the .csv is opened in Excel or
# LibreOffice (=, +, -, @, and tab/CR which Excel skips before looking). Text the app writes into
# a CSV file that starts so is stored with one leading apostrophe: Excel then shows the text
# (apostrophe included) instead of running it, and this reader removes that one apostrophe again,
# so every page shows exactly what was typed. Text that already starts with apostrophes before a
# trigger gets one more, so the mapping is reversible. A plain negative number ("-5") and dashes
# alone ("-", "--") are not formulas and are stored as typed.
_FORMULA_TRIGGER = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")
_NOT_A_FORMULA = re.compile(r"-\d+(?:[.,]\d+)?|-+")


def guard_formula(text: str) -> str:
    """``text`` as stored in a CSV cell (see above): an apostrophe before a formula trigger."""
    if _FORMULA_TRIGGER.match(text) and not _NOT_A_FORMULA.fullmatch(text):
        return "'" + text
    return text


def unguard_formula(text: str) -> str:
    """The text a CSV cell stored by ``guard_formula`` holds (inverse of ``guard_formula``)."""
    return text[1:] if _GUARDED.match(text) else text


def _split_fields(text: str, delimiter: str) -> list[str] | None:
    """A record's text (no line ending) cut into each field's original characters; None when it
    does not parse like the csv module read it (then every field is written anew)."""
    fields: list[str] = []
    position, end = 0, len(text)
    while True:
        start = position
        if position < end and text[position] == '"':
            position += 1
            while True:
                quote = text.find('"', position)
                if quote < 0:
                    return None
                if quote + 1 < end and text[quote + 1] == '"':
                    position = quote + 2
                    continue
                position = quote + 1
                break
        next_delimiter = text.find(delimiter, position)
        if next_delimiter < 0:
            fields.append(text[start:])
            return fields
        fields.append(text[start:next_delimiter])
        position = next_delimiter + 1


def _decode(raw: bytes, where: str) -> tuple[str, str, bytes, list[SourceNote]]:
    """(text, codec for new text, BOM, notes) of a CSV file's bytes."""
    notes: list[SourceNote] = []
    if raw.startswith(codecs.BOM_UTF8):
        bom, body = codecs.BOM_UTF8, raw[3:]
        encoding = "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bom, body = raw[:2], raw[2:]
        encoding = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    else:
        bom, body = b"", raw
        sample = raw[:4000]
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
            encoding = "utf-16-le"
        elif len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
            encoding = "utf-16-be"
        else:
            encoding = "utf-8"
    try:
        return body.decode(encoding), encoding, bom, notes
    except UnicodeDecodeError as error:
        if encoding.startswith("utf-16"):
            raise SourceError(
                f"Berkas CSV '{where}' tampak berpengodean UTF-16 tetapi rusak (byte {error.start}). "
                "Buka di Excel lalu simpan sebagai 'CSV UTF-8'."
            ) from error
    text = body.decode("cp1252", "pantau_c1")
    return text, "cp1252", bom, notes


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _detect_delimiter(lines: list[str]) -> str:
    best, best_score = ",", (False, 0, 0)
    for delimiter in (",", ";", "\t"):
        counts: dict[int, int] = {}
        try:
            for number, record in enumerate(csv.reader(iter(lines), delimiter=delimiter)):
                if record:
                    counts[len(record)] = counts.get(len(record), 0) + 1
                if number >= 30:
                    break
        except csv.Error:
            continue
        if not counts:
            continue
        width = max(counts, key=lambda n: (counts[n] if n > 1 else 0, n))
        score = (width > 1, counts[width] if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_file(path: Path, ascii_encoding: str = "") -> CsvFile:
    """Parse a CSV register keeping every record's original text (see ``CsvFile``);
    ``ascii_encoding``: what an all-ASCII file without BOM really is ("" = unknown)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(
            Text(
                f"Berkas '{path.name}' tidak dapat dibaca ({error.strerror}).",
                f"File '{path.name}' cannot be read ({error.strerror}).",
            )
        ) from error
    text, encoding, bom, notes = _decode(raw, path.name)
    ascii_only = not bom and encoding == "utf-8" and raw.isascii()
    lines = _LINE.findall(text)
    newline = next((m for line in lines for m in ("\r\n", "\n", "\r") if line.endswith(m)), "\r\n")
    delimiter = _detect_delimiter([line.replace("\x00", "") for line in lines[:200]])
    consumed = 0

    def feed():
        nonlocal consumed
        for line in lines:
            consumed += 1
            yield line.replace("\x00", "")

    records: list[list[str]] = []
    raws: list[str] = []
    start = 0
    reader = csv.reader(feed(), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise SourceError(
                f"Berkas CSV '{path.name}' tidak dapat dibaca di baris {consumed}: {error}. "
                "Buka di Excel dan simpan ulang sebagai CSV."
            ) from error
        records.append([unguard_formula(cell) if cell[:1] == "'" else cell for cell in record])
        raws.append("".join(lines[start:consumed]))
        start = consumed
    if start < len(lines) and raws:  # lines the reader took but gave no record for
        raws[-1] += "".join(lines[start:])
    csv_file = CsvFile(
        encoding, bom, delimiter, newline, records, raws, notes, ascii_only, ascii_encoding, path.name
    )
    if encoding == "cp1252":
        for row_index, record in enumerate(records):
            for column, cell in enumerate(record):
                if _UNDEFINED_CP1252.search(cell):
                    notes.append(
                        SourceNote(
                            "KARAKTER_TIDAK_TERBACA",
                            "peringatan",
                            row_index + 1,
                            column,
                            _UNDEFINED_CP1252.sub("?", cell)[:80],
                            "Sel berisi karakter yang tidak terdefinisi pada pengodean Windows-1252 "
                            "(tampil sebagai kotak/tanda tanya). Periksa teksnya dan ketik ulang karakter itu; "
                            "berkas tetap dibaca dan disimpan apa adanya.",
                        )
                    )
    if "\x00" in text and not encoding.startswith("utf-16"):
        notes.append(
            SourceNote(
                "KARAKTER_TIDAK_TERBACA",
                "peringatan",
                None,
                None,
                "",
                "Berkas CSV berisi karakter NUL (byte 0); karakter itu diabaikan saat membaca.",
            )
        )
    return csv_file


# ---------------------------------------------------------------------------- the source
class LocalFileSource:
    """Register in a local file; ``path`` ends in ``.xlsx`` or ``.csv``."""

    kind = "local"

    def __init__(self, path: str | os.PathLike[str], *, csv_encoding: str = "") -> None:
        """``csv_encoding``: the encoding of a CSV register that holds only ASCII so far (its bytes
        cannot tell UTF-8 from Windows-1252); without it the first non-ASCII text is refused."""
        self.path = Path(path)
        self.csv_encoding = csv_encoding
        suffix = self.path.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise SourceError(
                Text(
                    f"Berkas register '{self.path.name}' harus berformat .xlsx atau .csv.",
                    f"Register file '{self.path.name}' must be an .xlsx or .csv file.",
                )
            )
        self.is_csv = suffix == ".csv"
        self.label = self.path.name
        self._lock = register_lock(self.path)

    @property
    def audit_path(self) -> Path:
        """Where the audit trail of a CSV register lives (``register.riwayat.csv``)."""
        return self.path.with_name(self.path.stem + ".riwayat.csv")

    # ---------------------------------------------------------------- reading
    def read(self) -> list[SheetGrid]:
        if not self.path.exists():
            raise SourceError(
                Text(
                    f"Berkas register '{self.label}' tidak ditemukan. Periksa PANTAU_REGISTER.",
                    f"Register file '{self.label}' was not found. Check PANTAU_REGISTER.",
                )
            )
        if self.is_csv:
            return [_csv_grid(self.path, self.csv_encoding)]
        return [grid for grid in _read_xlsx(self.path) if grid.name not in (AUDIT_SHEET, SURVEY_SHEET)]

    def read_audit(self) -> list[list[str]]:
        if self.is_csv:
            return read_csv_file(self.audit_path, "utf-8").records if self.audit_path.exists() else []
        if not self.path.exists():
            return []
        grids = _read_xlsx(self.path, only=AUDIT_SHEET)
        return [list(row) for row in grids[0].values] if grids else []

    # ---------------------------------------------------------------- writing
    def update_row(
        self,
        sheet: str,
        key_header: str,
        key: str,
        changes: Mapping[str, tuple[str, str]],
        audit_rows: Sequence[Sequence[str]],
        *,
        submission_id: str | None = None,
        loaded_header: Sequence[str] = (),
    ) -> UpdateResult:
        """``loaded_header``: the sheet's header row as the user loaded it (optional): a header
        renamed, swapped or moved since is refused naming the column (sheet, letter, old → new),
        nothing written."""
        args = (sheet, key_header, key, changes, audit_rows, submission_id, loaded_header)
        with self._locked():
            self._check_writable()
            with contextlib.closing(self._open(sheet)) as target:
                try:
                    return self._update(target, *args)
                except NeedFullRead:  # a cell the quick reader cannot give exactly: parse the sheet
                    target.read_fully()
                    return self._update(target, *args)

    def _update(
        self, target, sheet, key_header, key, changes, audit_rows, submission_id, loaded_header=()
    ) -> UpdateResult:
        recorded = target.audit_with_id(submission_id)
        header_index, columns = _find_header(target.grid, key_header, sheet)
        row_index = _find_row(target.grid, header_index, columns[key_header], key, key_header)
        current = target.grid[row_index]

        def now_value(header: str) -> str:
            position = columns.get(header)
            return current[position] if position is not None and position < len(current) else ""

        if recorded:
            done = all(_same(now_value(h), new) for h, (_old, new) in changes.items())
            # saved before (same answer, nothing written) — also when someone changed the
            # complaint since: a late replay must not undo their change. Only a submission whose
            # audit rows are the complaint's last (a CSV save cut between its two files) is
            # finished below.
            if done or target.audit_superseded(submission_id):
                written = {r[2]: r[4] for r in recorded if len(r) > 4}
                return UpdateResult(sheet, row_index + 1, written or {}, len(recorded), replayed=True)
        renamed = renamed_headers(target.grid[header_index], loaded_header, changes)
        if renamed:
            raise ConcurrentChange.header_changed(key, sheet, renamed)
        conflicts = {
            h: now_value(h) for h, (loaded, _new) in changes.items() if not _same(now_value(h), loaded)
        }
        if conflicts:
            raise ConcurrentChange.of(key, conflicts)
        cells: dict[tuple[int, int], str] = {}
        written = {}
        for header, (_loaded, new) in changes.items():
            if header not in columns:
                columns[header] = _add_column(target.grid, header_index, header)
                cells[(header_index, columns[header])] = header
            position = columns[header]
            while len(current) <= position:
                current.append("")
            current[position] = new
            cells[(row_index, position)] = new
            written[header] = new
        audit = [] if recorded else _with_id(audit_rows, submission_id)
        check_encodable(written, audit)
        if not self.is_csv:
            check_cell_lengths(written, audit, EXCEL_CELL_LIMIT, "Excel")
        target.save(cells, audit)
        return UpdateResult(sheet, row_index + 1, written, len(recorded or audit))

    def append_row(
        self,
        sheet: str,
        key_header: str,
        values: Mapping[str, str],
        make_key: KeyFactory,
        audit_rows_for: Callable[[str], Sequence[Sequence[str]]],
        *,
        submission_id: str | None = None,
    ) -> AppendResult:
        with self._locked():
            self._check_writable()
            with contextlib.closing(self._open(sheet)) as target:
                try:
                    return self._append(
                        target, sheet, key_header, values, make_key, audit_rows_for, submission_id
                    )
                except NeedFullRead:  # a cell the quick reader cannot give exactly: parse the sheet
                    target.read_fully()
                    return self._append(
                        target, sheet, key_header, values, make_key, audit_rows_for, submission_id
                    )

    def _append(
        self,
        target: _Target,
        sheet: str,
        key_header: str,
        values: Mapping[str, str],
        make_key: KeyFactory,
        audit_rows_for: Callable[[str], Sequence[Sequence[str]]],
        submission_id: str | None,
    ) -> AppendResult:
        grid = target.grid
        header_index, columns = _find_header(grid, key_header, sheet)
        key_position = columns[key_header]
        existing = [text for _index, text in _key_cells(grid, header_index, key_position)]
        recorded = target.audit_with_id(submission_id)
        # the Nomor this submission was given before (kept even if its row is gone)
        key = next((r[1] for r in recorded if len(r) > 1 and r[1]), None)
        if key is not None:
            hits = _key_hits(_key_cells(grid, header_index, key_position), key)
            if hits:  # saved before: the same complaint, not a second one
                row = grid[hits[0]]
                stored = {h: (row[p] if p < len(row) else "") for h, p in columns.items() if h in values}
                return AppendResult(sheet, hits[0] + 1, key, {key_header: key, **stored}, replayed=True)
            if not target.register_behind_audit():
                # its row was written and later removed by hand: never recreated by a replay
                raise AlreadyRecorded(key, f"{self.label}, sheet {sheet}")
        if key is None:
            key = make_key(keys_in_use(existing, target.audit_rows()))
            if _key_hits(list(enumerate(existing)), key):
                raise DuplicateKey(f"Nomor {key} sudah ada di register; nomor baru tidak dibuat.", [])
        full = {key_header: key, **{h: v for h, v in values.items() if h != key_header}}
        cells: dict[tuple[int, int], str] = {}
        for header in full:
            if header not in columns:
                columns[header] = _add_column(grid, header_index, header)
                cells[(header_index, columns[header])] = header
        if isinstance(grid, _TextRows):
            last = grid.last_filled()
        else:
            last = max((i for i, row in enumerate(grid) if any(str(c).strip() for c in row)), default=None)
        last = header_index if last is None else last
        row_index = max(last, header_index) + 1
        for header, value in full.items():
            cells[(row_index, columns[header])] = value
        while len(grid) <= row_index:
            grid.append([])
        new_row = [""] * (max(columns.values()) + 1)
        for header, value in full.items():
            new_row[columns[header]] = value
        grid[row_index] = new_row
        audit = [] if recorded else _with_id(audit_rows_for(key), submission_id)
        check_encodable(full, audit)
        if not self.is_csv:
            check_cell_lengths(full, audit, EXCEL_CELL_LIMIT, "Excel")
        target.save(cells, audit, new_row_index=row_index)
        return AppendResult(sheet, row_index + 1, key, full)

    # ---------------------------------------------------------------- internals
    def _locked(self):
        try:
            return self._lock.acquire(timeout=_LOCK_TIMEOUT_S)
        except Timeout as error:
            raise SourceError(
                Text(
                    f"Register '{self.label}' sedang disimpan oleh pengguna lain. Coba lagi sebentar lagi.",
                    f"Register '{self.label}' is being saved by another user. Try again in a moment.",
                )
            ) from error
        except OSError as error:
            raise SourceError(
                f"Register '{self.label}' tidak dapat dikunci untuk disimpan: folder tempat berkas itu "
                f"tidak dapat ditulisi ({error.strerror}). Minta pengelola server memberi izin tulis; "
                "tidak ada yang disimpan."
            ) from error

    def _check_writable(self) -> None:
        """Refuse before writing: a file marked read-only is not silently replaced."""
        if not self.path.exists():
            raise SourceError(
                Text(
                    f"Berkas register '{self.label}' tidak ditemukan. Periksa PANTAU_REGISTER.",
                    f"Register file '{self.label}' was not found. Check PANTAU_REGISTER.",
                )
            )
        for path in (self.path, self.audit_path if self.is_csv else None):
            if path is None or not path.exists():
                continue
            mode = path.stat().st_mode
            if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
                raise SourceError(
                    Text(
                        f"Berkas '{path.name}' bertanda hanya-baca (read-only), jadi perubahan tidak disimpan. "
                        "Hapus tanda hanya-baca (Properties > Read-only) bila register memang boleh diubah.",
                        f"File '{path.name}' is marked read-only, so the change was not saved. Clear the "
                        "read-only mark (Properties > Read-only) if the register may be changed.",
                    )
                )

    def _open(self, sheet: str) -> _Target:
        if self.is_csv:
            return _CsvTarget(self, sheet)
        return _XlsxTarget(self, sheet)

    # ------------------------------------------------ other sheets of an .xlsx (S1: form responses)
    def read_sheets(self, names: Sequence[str]) -> list[SheetGrid]:
        """The named worksheets of an .xlsx register as text grids (absent names are left out)."""
        if self.is_csv or not self.path.exists():
            return []
        return _read_xlsx(self.path, only=tuple(names))

    def patch_cells(self, sheet: str, cells: Mapping[tuple[int, int], str]) -> None:
        """Write text ``cells`` ((row, column), both 0-based) into a worksheet of the .xlsx under
        the register's file lock, every other part of the file kept (``xlsx_patch``). No cells is a
        no-op: nothing locked, nothing written."""
        if not cells:
            return
        if self.is_csv:
            raise SourceError(f"Register CSV '{self.label}' hanya punya satu sheet; '{sheet}' tidak ada.")
        with self._locked():
            self._check_writable()
            try:
                package = XlsxPackage(self.path)
            except (zipfile.BadZipFile, XlsxUnsupported, KeyError) as error:
                raise SourceError(
                    f"Berkas '{self.label}' tidak dapat dibuka sebagai Excel: {_no_paths(error, self.path)}"
                ) from error
            try:
                if sheet not in [name for name, _part, _state in package.sheets]:
                    raise SourceError(
                        Text(
                            f"Sheet '{sheet}' tidak ada di '{self.label}'.",
                            f"Sheet '{sheet}' is not in '{self.label}'.",
                        )
                    )
                package.set_cells(sheet, dict(cells))
                data = package.save_bytes()
            except XlsxUnsupported as error:
                raise SourceError(
                    f"Sheet '{sheet}' di '{self.label}' tidak dapat ditulisi tanpa merusak berkas ({error})."
                ) from error
            finally:
                package.close()
            _atomic_write_all([(self.path, data)], self.label)


def renamed_headers(
    header_row: Sequence[str], loaded_header: Sequence[str], changes: Mapping[str, tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """Headers of fields being edited that are no longer where the user loaded them: (column
    letter as loaded or "", header as loaded, header there now or ""). A renamed header, two
    header cells swapped and a column moved all count (the loaded values belong to another column
    now). A field whose column was not in the loaded header and that was loaded empty is a new
    column (added by the save), not a rename. Shared by every source's ``update_row``."""
    now = [str(c).strip() for c in header_row]
    before = [str(c).strip() for c in loaded_header]
    renamed = []
    for header, (loaded, _new) in changes.items():
        name = header.strip()
        if name in before:
            position = before.index(name)
            there = now[position] if position < len(now) else ""
            if there != name:
                renamed.append((column_letters(position), name, there))
        elif name not in now and str(loaded).strip():
            renamed.append(("", name, ""))
    return renamed


def check_cell_lengths(
    values: Mapping[str, str], audit: Sequence[Sequence[str]], limit: int, program: str
) -> None:
    """Refuse, naming the field, text longer than one spreadsheet cell holds (Excel 32,767
    characters, Google Sheets 50,000): it would be cut off or make the file unreadable. The audit
    rows repeat old and new values, so they are checked too (named by the column they record)."""
    check_encodable(values, audit)
    too_long = [(header, len(str(value))) for header, value in values.items() if len(str(value)) > limit]
    for row in audit:
        for value in row:
            if len(str(value)) > limit:
                too_long.append((f"Riwayat ({row[2] if len(row) > 2 else '?'})", len(str(value))))
    if too_long:
        listed = "; ".join(f"kolom '{header}': {_thousands(n)} karakter" for header, n in too_long)
        listed_en = "; ".join(f"column '{header}': {n:,} characters" for header, n in too_long)
        raise SourceError(
            Text(
                f"Isian terlalu panjang untuk satu sel {program} (paling banyak {_thousands(limit)} karakter): "
                f"{listed}. Tidak ada yang disimpan; persingkat isiannya lalu simpan lagi.",
                f"Input too long for one {program} cell (at most {limit:,} characters): {listed_en}. Nothing "
                "was stored; shorten it and save again.",
            )
        )


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _with_id(rows: Sequence[Sequence[str]], submission_id: str | None) -> list[list[str]]:
    return stamp_audit_rows(rows, submission_id or "")


def _recorded(audit: Sequence[Sequence[str]], submission_id: str | None) -> list[list[str]]:
    """The audit rows written by submission ``submission_id`` (none without an id)."""
    if not submission_id or not audit:
        return []
    position = _id_position(audit)
    return [list(r) for r in audit[1:] if len(r) > position and str(r[position]).strip() == submission_id]


def _id_position(audit: Sequence[Sequence[str]]) -> int:
    """Where the audit sheet keeps the submission id (its header cell, else the standard place)."""
    header = [str(c).strip() for c in audit[0]]
    return header.index(ID_HEADER) if ID_HEADER in header else _ID_POSITION


def _superseded(audit: Sequence[Sequence[str]], submission_id: str | None) -> bool:
    """Whether a later audit row concerns the same complaint as submission ``submission_id``:
    someone changed it after that submission was saved, so a replay must not write it again."""
    if not submission_id or not audit:
        return False
    position = _id_position(audit)
    rows = [list(r) for r in audit[1:]]
    ours = [i for i, r in enumerate(rows) if len(r) > position and str(r[position]).strip() == submission_id]
    if not ours:
        return False
    nomor = rows[ours[-1]][1] if len(rows[ours[-1]]) > 1 else ""
    return any(len(r) > 1 and r[1] == nomor for r in rows[ours[-1] + 1 :])


class _Target:
    grid: list[list[str]]

    def close(self) -> None:
        """Release the file handles the target holds."""

    def audit_with_id(self, submission_id: str | None) -> list[list[str]]:
        raise NotImplementedError

    def audit_rows(self) -> Sequence[Sequence[str]]:
        """Every row of the audit trail (header included; empty when there is none)."""
        raise NotImplementedError

    def audit_superseded(self, submission_id: str | None) -> bool:
        raise NotImplementedError

    def read_fully(self) -> None:
        """Replace any quickly read cells by a full parse (see ``data_sources.xlsx_cells``)."""

    def register_behind_audit(self) -> bool:
        """Whether the audit file was replaced after the register (a save cut between its two
        renames): only then is a recorded submission missing from the register still to be written."""
        return False

    def save(
        self, cells: dict[tuple[int, int], str], audit: list[list[str]], new_row_index: int | None = None
    ):
        raise NotImplementedError


class _CsvTarget(_Target):
    def __init__(self, source: LocalFileSource, sheet: str) -> None:
        self.source = source
        self.file = read_csv_file(source.path, source.csv_encoding)
        self.grid = [list(r) for r in self.file.records]
        self._audit: CsvFile | None = None

    def _audit_file(self) -> CsvFile | None:
        if self._audit is None and self.source.audit_path.exists():
            # the app's own file: written as UTF-8 (with a BOM since it exists, for Excel)
            self._audit = read_csv_file(self.source.audit_path, "utf-8")
        return self._audit

    def audit_with_id(self, submission_id: str | None) -> list[list[str]]:
        audit = self._audit_file() if submission_id else None
        return _recorded(audit.records, submission_id) if audit else []

    def audit_superseded(self, submission_id: str | None) -> bool:
        audit = self._audit_file() if submission_id else None
        return _superseded(audit.records, submission_id) if audit else False

    def audit_rows(self) -> Sequence[Sequence[str]]:
        audit = self._audit_file()
        return audit.records if audit else []

    def register_behind_audit(self) -> bool:
        # both new files are written before either rename, the register second: after a complete
        # save the register is the younger file; after a cut one the old register is older
        try:
            return self.source.audit_path.stat().st_mtime_ns > self.source.path.stat().st_mtime_ns
        except OSError:
            return False

    def save(self, cells, audit, new_row_index=None) -> None:
        rows = {row for row, _column in cells}
        changed = {row: self.grid[row] for row in rows}
        register_bytes = self.file.to_bytes(changed)
        writes = []
        if audit:
            existing = self._audit_file()
            if existing is None:
                # UTF-8 with a BOM: Excel opens it with the right characters
                new_audit = CsvFile("utf-8", codecs.BOM_UTF8, ",", "\r\n", [], [])
                changes = {0: list(LOCAL_AUDIT_HEADER)}
                start = 1
            else:
                new_audit = existing
                header = list(existing.records[0]) if existing.records else []
                changes = {}
                if ID_HEADER not in [h.strip() for h in header]:
                    header = header[:_ID_POSITION] + [""] * (_ID_POSITION - len(header)) + [ID_HEADER]
                    changes[0] = header
                start = len(existing.records)
                while start > 1 and not any(c.strip() for c in existing.records[start - 1]):
                    start -= 1
            for offset, row in enumerate(audit):
                changes[start + offset] = row
            writes.append((self.source.audit_path, new_audit.to_bytes(changes)))
        writes.append((self.source.path, register_bytes))
        _atomic_write_all(writes, self.source.label)


class _XlsxTarget(_Target):
    def __init__(self, source: LocalFileSource, sheet: str) -> None:
        self.source = source
        self.sheet = sheet
        try:
            self.package = XlsxPackage(source.path)
        except (zipfile.BadZipFile, XlsxUnsupported, KeyError) as error:
            raise SourceError(
                f"Berkas '{source.label}' tidak dapat dibuka sebagai Excel: {_no_paths(error, source.path)}"
            ) from error
        names = [name for name, _part, _state in self.package.sheets]
        if sheet not in names:
            raise SourceError(
                Text(
                    f"Sheet '{sheet}' tidak ada di '{source.label}'. Sheet yang ada: {', '.join(names)}.",
                    f"Sheet '{sheet}' is not in '{source.label}'. Sheets there: {', '.join(names)}.",
                )
            )
        # the page usually parsed this very file just before: its rows are reused; otherwise only
        # the cells the save needs are read from the sheet's XML (the full parse costs seconds on a
        # big register), falling back to the full parse for anything that reader cannot give exactly
        signature = _signature(source.path)
        cached = _cached_rows(source.path, signature, sheet)
        try:
            self.grid = _TextRows(cached) if cached is not None else _XmlRows(SheetCells(self.package, sheet))
            self.audit = None
            if AUDIT_SHEET in names:
                rows = _cached_rows(source.path, signature, AUDIT_SHEET)
                self.audit = (
                    list(_TextRows(rows))
                    if rows is not None
                    else list(_XmlRows(SheetCells(self.package, AUDIT_SHEET)))
                )
        except NeedFullRead:
            self.read_fully()

    def read_fully(self) -> None:
        grids = {g.name: g for g in _read_xlsx(self.source.path, only=(self.sheet, AUDIT_SHEET), raw=True)}
        self.grid = _TextRows(grids[self.sheet].values)
        self.audit = list(_TextRows(grids[AUDIT_SHEET].values)) if AUDIT_SHEET in grids else None

    def audit_with_id(self, submission_id: str | None) -> list[list[str]]:
        return _recorded(self.audit or [], submission_id)

    def audit_superseded(self, submission_id: str | None) -> bool:
        return _superseded(self.audit or [], submission_id)

    def audit_rows(self) -> Sequence[Sequence[str]]:
        return self.audit or []

    def close(self) -> None:
        self.package.close()

    def save(self, cells, audit, new_row_index=None) -> None:
        try:
            self.package.set_cells(self.sheet, cells)
            if audit:
                audit_cells: dict[tuple[int, int], str] = {}
                if self.audit is None:
                    self.package.add_sheet(AUDIT_SHEET)
                    rows: list[list[str]] = []
                    for position, text in enumerate(LOCAL_AUDIT_HEADER):
                        audit_cells[(0, position)] = text
                    start = 1
                else:
                    rows = self.audit
                    header = [str(c).strip() for c in (rows[0] if rows else [])]
                    if not any(header):
                        for position, text in enumerate(LOCAL_AUDIT_HEADER):
                            audit_cells[(0, position)] = text
                    elif ID_HEADER not in header:
                        audit_cells[(0, _ID_POSITION)] = ID_HEADER
                    start = len(rows)
                    while start > 1 and not any(str(c).strip() for c in rows[start - 1]):
                        start -= 1
                    start = max(start, 1)
                for offset, row in enumerate(audit):
                    for position, value in enumerate(row):
                        if value != "":
                            audit_cells[(start + offset, position)] = value
                self.package.set_cells(AUDIT_SHEET, audit_cells)
            data = self.package.save_bytes()
            self.package.close()
        except XlsxUnsupported as error:
            raise SourceError(
                f"Perubahan tidak disimpan: '{self.source.label}' memuat sesuatu yang tidak dapat dipertahankan "
                f"saat menyimpan ({error}). Berkas tidak diubah; simpan perubahan langsung di Excel."
            ) from error
        _atomic_write_all([(self.source.path, data)], self.source.label)


# ---------------------------------------------------------------------------- xlsx reading
def _read_xlsx(path: Path, only: str | Sequence[str] | None = None, *, raw: bool = False) -> list[SheetGrid]:
    """Worksheets of an .xlsx as text grids: formulas give their cached value; hidden sheets are
    returned with ``hidden=True``; a formula without a cached value is a note, its cell empty."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    wanted = {only} if isinstance(only, str) else set(only) if only is not None else None
    signature = _signature(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own errors for a damaged file
        raise SourceError(
            f"Berkas '{path.name}' tidak dapat dibuka sebagai Excel: {_no_paths(error, path)}"
        ) from error
    package: _FormulaScanner | None = None
    grids = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or (wanted is not None and meta.name not in wanted):
                continue
            rows = _cached_rows(path, signature, meta.name)
            if rows is None:
                try:
                    sheet = workbook.get_sheet_by_name(meta.name)
                    rows = sheet.to_python(skip_empty_area=False)
                except Exception as error:
                    raise SourceError(
                        f"Sheet '{meta.name}' di '{path.name}' tidak dapat dibaca: {_no_paths(error, path)}"
                    ) from error
                _keep_rows(path, signature, meta.name, rows)
            values = list(rows) if raw else [_trimmed([cell_text(v) for v in row]) for row in rows]
            while values and not values[-1]:
                values.pop()
            notes: list[SourceNote] = []
            if wanted is None:
                if package is None:
                    package = _FormulaScanner(path)
                notes = package(meta.name, values)
            grids.append(
                SheetGrid(
                    meta.name, values, hidden=meta.visible != SheetVisibleEnum.Visible, notes=tuple(notes)
                )
            )
    finally:
        workbook.close()
        if package is not None:
            package.close()
    return grids


# The cells of the last version of each workbook this process parsed, keyed by the file's identity
# (inode, size, modification time in ns): every save replaces the file by a rename, so any change by
# this or another process gives a new identity. A save right after the page read the register then
# does not parse the whole sheet again. Rows are never mutated (writers copy what they change).
_PARSED: dict[str, tuple[tuple[int, int, int], dict[str, list]]] = {}
_PARSED_LOCK = threading.Lock()


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _cached_rows(path: Path, signature: tuple[int, int, int] | None, sheet: str) -> list | None:
    if signature is None:
        return None
    with _PARSED_LOCK:
        entry = _PARSED.get(str(path.resolve()))
    if entry is None or entry[0] != signature:
        return None
    return entry[1].get(sheet)


def _keep_rows(path: Path, signature: tuple[int, int, int] | None, sheet: str, rows: list) -> None:
    if signature is None or _signature(path) != signature:  # changed while being read: keep nothing
        return
    key = str(path.resolve())
    with _PARSED_LOCK:
        entry = _PARSED.get(key)
        if entry is None or entry[0] != signature:
            entry = (signature, {})
            _PARSED[key] = entry
        entry[1][sheet] = rows


# The grid of the last version of each CSV register this process read, keyed by a hash of the
# file's bytes (not its modification time, which is coarse: two same-size writes within one clock
# tick would look alike). Hashing is milliseconds where parsing 100k rows costs seconds — the
# Register page's Dokumen section and a save right after a refresh read the register again.
# Grids are never mutated by their readers.
_CSV_GRIDS: dict[tuple[str, str], tuple[bytes, SheetGrid]] = {}


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=20).digest()
    except OSError:
        return None  # read_csv_file names the problem


def _csv_grid(path: Path, ascii_encoding: str) -> SheetGrid:
    digest = _digest(path)
    key = (str(path.resolve()), ascii_encoding)
    with _PARSED_LOCK:
        kept = _CSV_GRIDS.get(key)
    if kept is not None and digest is not None and kept[0] == digest:
        return kept[1]
    parsed = read_csv_file(path, ascii_encoding)
    grid = SheetGrid(path.stem, parsed.records, notes=tuple(parsed.notes))
    if digest is not None and _digest(path) == digest:  # unchanged while being parsed
        with _PARSED_LOCK:
            _CSV_GRIDS[key] = (digest, grid)
    return grid


def _no_paths(error: BaseException, path: Path) -> str:
    """An error's text without the server's folder names (shown to the user)."""
    text = str(error)
    for folder in {str(path.resolve().parent), str(path.parent)}:
        if folder not in ("", "."):
            text = text.replace(folder + os.sep, "").replace(folder, "")
    return text


def _trimmed(row: list[str]) -> list[str]:
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return row[:end] if end < len(row) else row


_EMPTY_FORMULA = re.compile(
    r'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)'
    r"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)


class _FormulaScanner:
    """Notes for formula cells that carry no computed value (the file was written by a program
    that does not calculate: the spreadsheet shows the result only after recalculating).
    Called once per sheet; ``close`` releases the file."""

    def __init__(self, path: Path) -> None:
        self._package: XlsxPackage | None
        try:
            self._package = XlsxPackage(path)
        except Exception:  # the values were read; a structure we cannot parse only costs the notes
            self._package = None

    def close(self) -> None:
        if self._package is not None:
            self._package.close()

    def __call__(self, name: str, values: list[list[str]]) -> list[SourceNote]:
        if self._package is None:
            return []
        try:
            xml = self._package.sheet_xml(name)
        except XlsxUnsupported:
            return []
        if "<f" not in xml and ":f" not in xml:
            return []
        notes = []
        for match in _EMPTY_FORMULA.finditer(xml):
            letters, row, formula = match.group(1), int(match.group(2)), match.group(3) or ""
            notes.append(
                SourceNote(
                    "RUMUS_TANPA_NILAI",
                    "peringatan",
                    row,
                    column_index(letters),
                    ("=" + unescape_xml(formula))[:200],
                    f"Sel {letters}{row} berisi rumus yang belum pernah dihitung, jadi nilainya tidak terbaca. "
                    "Buka berkas di Excel/LibreOffice dan simpan ulang (nilai rumus ikut tersimpan), "
                    "atau ketik nilainya langsung.",
                )
            )
        return notes


# ---------------------------------------------------------------------------- writing files
def _atomic_write(path: Path, data: bytes) -> None:
    _atomic_write_all([(path, data)], path.name)


def _atomic_write_all(writes: Sequence[tuple[Path, bytes]], label: str) -> None:
    """Write every file completely to a temporary sibling (a full disk fails here, before any file
    is replaced), then rename them into place in order. Each new file keeps the old one's
    permissions: mkstemp makes it 0600, which would lock colleagues out of a shared register."""
    temporaries: list[tuple[str, Path]] = []
    try:
        for path, data in writes:
            try:
                mode = stat.S_IMODE(path.stat().st_mode)
            except FileNotFoundError:
                mode = 0o644  # a new file (e.g. the Riwayat CSV): readable like any other document
            handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
            temporaries.append((temporary, path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
    except OSError as error:
        for temporary, _path in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)
        raise SourceError(_write_error_message(error, label)) from error
    except BaseException:
        for temporary, _path in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)
        raise
    for temporary, path in temporaries:
        try:
            os.replace(temporary, path)
        except OSError as error:
            for other, _path in temporaries:
                if os.path.exists(other):
                    os.unlink(other)
            raise SourceError(_write_error_message(error, label)) from error


def _write_error_message(error: OSError, label: str) -> str:
    import errno

    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "ruang disk server penuh"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "folder register tidak boleh ditulisi (izin atau disk hanya-baca)"
    else:
        reason = error.strerror or "kesalahan sistem berkas"
    return (
        f"Perubahan pada '{label}' tidak disimpan: {reason}. Register dan riwayatnya tetap seperti sebelumnya; "
        "hubungi pengelola server, lalu simpan lagi."
    )


# ---------------------------------------------------------------------------- grid helpers
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
        Text(
            f"Kolom '{key_header}' tidak ditemukan di sheet '{sheet}'. Periksa baris judul register.",
            f"Column '{key_header}' was not found in sheet '{sheet}'. Check the register's header row.",
        )
    )


# what nomor_key ignores, deleted in one C call: a quick first pass over a big column
_IGNORED_IN_KEYS = dict.fromkeys(
    [c for c in range(0x20 + 1) if chr(c).isspace() or c < 0x20]
    + [0x7F, 0x85, 0xA0, 0xAD, 0x1680, *range(0x2000, 0x200E), 0x2028, 0x2029, 0x202F, 0x205F, 0x2060]
    + [0x3000, 0xFEFF]
)


def _quick_key(text: str) -> str:
    return text.translate(_IGNORED_IN_KEYS).upper()


def _key_cells(grid: list[list[str]], header_index: int, position: int) -> list[tuple[int, str]]:
    """(row index, text) of the key column below the header, without converting whole rows."""
    if isinstance(grid, _TextRows):
        return grid.column(position, header_index + 1)
    return [(i, grid[i][position]) for i in range(header_index + 1, len(grid)) if position < len(grid[i])]


def _find_row(grid: list[list[str]], header_index: int, position: int, key: str, key_header: str) -> int:
    cells = _key_cells(grid, header_index, position)
    wanted = _quick_key(key)
    last = wanted[-1:]  # a cell without the key's last character cannot match: skip the translate
    lower = last.lower()
    hits = [index for index, text in cells if (last in text or lower in text) and _quick_key(text) == wanted]
    if not hits:  # rarer spellings (control characters...): the full Nomor key
        wanted = nomor_key(key)
        hits = [index for index, text in cells if nomor_key(text) == wanted]
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


class _TextRows(list):
    """A sheet's rows as read (spreadsheet values), each turned into text on first access: a save
    looks at a handful of rows of a big sheet, not all of them."""

    def __init__(self, raw: Sequence[Sequence[object]]) -> None:
        super().__init__(raw)
        self._text: set[int] = set()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        row = list.__getitem__(self, index)
        if index not in self._text:
            row = _trimmed([cell_text(v) for v in row])
            list.__setitem__(self, index, row)
            self._text.add(index)
        return row

    def __setitem__(self, index, row) -> None:
        list.__setitem__(self, index, row)
        self._text.add(index if index >= 0 else index + len(self))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def append(self, row) -> None:
        self._text.add(len(self))
        list.append(self, row)

    def column(self, position: int, start: int) -> list[tuple[int, str]]:
        out = []
        for index in range(start, len(self)):
            row = list.__getitem__(self, index)
            if position < len(row):
                out.append((index, row[position] if index in self._text else cell_text(row[position])))
        return out

    def last_filled(self) -> int | None:
        """Index of the last row with any visible content."""
        for index in range(len(self) - 1, -1, -1):
            row = list.__getitem__(self, index)
            if index in self._text:
                if any(str(c).strip() for c in row):
                    return index
            elif any((v.strip() if type(v) is str else v is not None and v != "") for v in row):
                return index
        return None


class _XmlRows(_TextRows):
    """A sheet's rows read one at a time from its XML (``data_sources.xlsx_cells``), for a save in a
    process that has not parsed the file: the header rows, the Nomor column and one row are read,
    not the 100,000 others. Raises ``NeedFullRead`` when a needed cell is beyond the quick reader."""

    def __init__(self, cells: SheetCells) -> None:
        super().__init__([()] * cells.last_row_number())  # placeholders, read on first access
        self._cells = cells

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index not in self._text:
            list.__setitem__(self, index, self._cells.row(index + 1))
            self._text.add(index)
        return list.__getitem__(self, index)

    def column(self, position: int, start: int) -> list[tuple[int, str]]:
        found = {
            number - 1: text
            for number, text in self._cells.column(column_letters(position), start + 1)
            if number - 1 < len(self)
        }
        for index in self._text:  # rows changed since (or read already) win
            if index >= start:
                row = list.__getitem__(self, index)
                if position < len(row):
                    found[index] = row[position]
                else:
                    found.pop(index, None)
        return sorted(found.items())

    def last_filled(self) -> int | None:
        number = self._cells.last_filled_row(lambda row: any(str(c).strip() for c in row))
        last = number - 1 if number else None
        for index in self._text:
            if (last is None or index > last) and any(str(c).strip() for c in list.__getitem__(self, index)):
                last = index
        return last


def _add_column(grid: list[list[str]], header_index: int, header: str) -> int:
    """Put a missing column at the end of the header row; returns its position."""
    row = grid[header_index]
    while row and not str(row[-1]).strip():
        row.pop()
    row.append(header)
    return len(row) - 1


__all__ = [
    "EXCEL_CELL_LIMIT",
    "ID_HEADER",
    "LOCAL_AUDIT_HEADER",
    "CsvFile",
    "LocalFileSource",
    "cell_text",
    "check_cell_lengths",
    "column_letters",
    "renamed_headers",
    "guard_formula",
    "read_csv_file",
    "unguard_formula",
]


# ---------------------------------------------------------------------------- shared with survey_store
def register_lock(path: Path) -> FileLock:
    """The lock every writer of this register file takes (a survey answer in the same .xlsx too)."""
    return FileLock(str(path) + ".lock", timeout=_LOCK_TIMEOUT_S)


def read_xlsx_sheet(path: Path, name: str) -> list[list[str]] | None:
    """One worksheet of an .xlsx as text rows; ``None`` when the workbook has no such sheet."""
    grids = _read_xlsx(path, only=name)
    return [list(row) for row in grids[0].values] if grids else None


def write_atomically(writes: Sequence[tuple[Path, bytes]], label: str) -> None:
    """Write files completely, then rename each into place (see ``_atomic_write_all``)."""
    _atomic_write_all(writes, label)
