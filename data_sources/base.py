"""What every register source offers: raw cells in, single-row writes and audit rows out.

Exactly-once writes: every user submission carries one ``submission_id`` (uuid4 hex made by the
form and kept until the submission succeeded). A source records it in the 8th audit column
(``ID Kiriman``) of every audit row of that submission; a call whose id is already recorded is a
replay (double click, rerun, retry after a lost answer) and returns the original result with
``replayed=True`` without writing anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from metrics.columns import AUDIT_HEADER
from metrics.errors import PantauError
from metrics.text import Text

__all__ = [
    "AlreadyRecorded",
    "AppendResult",
    "ComplaintNotFound",
    "ConcurrentChange",
    "DuplicateKey",
    "RegisterSource",
    "SheetGrid",
    "SourceError",
    "SourceNote",
    "UnwritableText",
    "UpdateResult",
    "audit_ids",
    "check_encodable",
    "keys_in_use",
    "readable_text",
    "stamp_audit_rows",
]


@dataclass(frozen=True)
class SourceNote:
    """Something the source saw in the file and could not put in the cells (a formula without a
    computed value, an unreadable byte...): becomes a finding. ``row`` is the 1-based sheet row,
    ``column`` the 0-based column position (named by the header when the sheet has one)."""

    kode: str
    tingkat: str
    row: int | None
    column: int | None
    nilai: str
    pesan: str


@dataclass(frozen=True)
class SheetGrid:
    """One worksheet's cells as the source returned them (row 1 of the sheet is ``values[0]``).
    ``hidden``: the worksheet is hidden in the file (its complaints count, with a finding);
    ``notes``: what the source could not show in the cells.

    The raw-grid contract between sources and ``metrics.register`` (which imports it from here)."""

    name: str
    values: Sequence[Sequence[Any]]
    url: str | None = None
    hidden: bool = False
    notes: tuple[SourceNote, ...] = ()


class SourceError(PantauError):
    """Reading or writing the register failed; the message says what to fix."""


class ComplaintNotFound(SourceError):
    pass


class UnwritableText(SourceError):
    """A text the register file cannot hold as written (its encoding is unknown or lacks the
    character): nothing written. The message is for the petugas/admin (what to set or fix)."""


class DuplicateKey(SourceError):
    def __init__(self, message: str, rows: Sequence[int]) -> None:
        super().__init__(message)
        self.rows = list(rows)


class AlreadyRecorded(SourceError):
    """A replayed new-complaint submission whose complaint was recorded before (the audit sheet
    holds its rows) but whose row is no longer in the register (deleted by hand): it is not
    written a second time."""

    def __init__(self, key: str, where: str) -> None:
        super().__init__(
            Text(
                f"Kiriman ini sudah tercatat sebelumnya sebagai Nomor {key}, tetapi baris itu tidak ada lagi di "
                f"register '{where}' (dihapus?). Pengaduan tidak ditulis ulang; periksa register dan Riwayat "
                "perubahannya, lalu catat sebagai pengaduan baru bila memang perlu.",
                f"This submission was recorded before as Nomor {key}, but that row is no longer in register "
                f"'{where}' (deleted?). The complaint is not written again; check the register and its change "
                "history (Riwayat), then record it as a new complaint if needed.",
            )
        )
        self.key = key


class ConcurrentChange(SourceError):
    """Someone changed the fields being edited since the user loaded them."""

    def __init__(self, message: str, current: Mapping[str, str]) -> None:
        super().__init__(message)
        self.current = dict(current)

    @classmethod
    def of(cls, key: str, conflicts: Mapping[str, str]) -> ConcurrentChange:
        """The refusal naming each field's value now, in both languages (``metrics.text``)."""
        listed = "; ".join(f"{h}: sekarang '{v}'" for h, v in conflicts.items())
        listed_en = "; ".join(f"{h}: now '{v}'" for h, v in conflicts.items())
        return cls(
            Text(
                f"Pengaduan {key} sudah diubah orang lain sejak Anda membukanya ({listed}). "
                "Muat ulang data, periksa perubahannya, lalu simpan lagi. Isian Anda tidak hilang.",
                f"Complaint {key} was changed by someone else since you opened it ({listed_en}). "
                "Reload the data, check the change, then save again. Your input is kept.",
            ),
            conflicts,
        )

    @classmethod
    def header_changed(
        cls, key: str, sheet: str, renamed: Sequence[tuple[str, str, str]]
    ) -> ConcurrentChange:
        """The refusal when the header row itself changed between read and write: ``renamed`` =
        (column letter or "", header as loaded, header now — "" when the column is gone)."""

        def listed(gone: str) -> str:
            return "; ".join(
                (f"{letter}: " if letter else "") + (f"'{old}' → '{new}'" if new else f"'{old}' {gone}")
                for letter, old, new in renamed
            )

        return cls(
            Text(
                f"Judul kolom di sheet '{sheet}' sudah diubah sejak Anda membuka data "
                f"({listed('tidak ada lagi')}). Tidak ada yang ditulis untuk pengaduan {key}. "
                "Muat ulang data, lalu simpan lagi. Isian Anda tidak hilang.",
                f"A column header in sheet '{sheet}' was changed since you opened the data "
                f"({listed('is gone')}). Nothing was written for complaint {key}. "
                "Reload the data, then save again. Your input is kept.",
            ),
            {old: new for _letter, old, new in renamed},
        )


@dataclass(frozen=True)
class UpdateResult:
    sheet: str
    row: int  # 1-based sheet row that was written
    written: dict[str, str]  # header -> value actually written
    audit_rows: int
    replayed: bool = False  # the submission was saved before; nothing was written this time


@dataclass(frozen=True)
class AppendResult:
    sheet: str
    row: int
    key: str  # the Nomor given to the new complaint
    values: dict[str, str]
    replayed: bool = False  # the submission was saved before; same Nomor, nothing written


# Builds the Nomor of a new complaint from the Nomor values already used (the register's and the
# audit sheet's, see ``keys_in_use``), so a source can call it while it holds its lock (or
# re-check it after writing).
KeyFactory = Callable[[Sequence[str]], str]


class RegisterSource(Protocol):
    """One register (a file or a spreadsheet). Identity of a complaint = its key (Nomor)."""

    kind: str  # "local" or "gsheets"
    label: str  # shown to the user: file name or spreadsheet title

    def read(self) -> list[SheetGrid]:
        """All register worksheets as raw cells (the audit sheet excluded)."""
        ...

    def read_audit(self) -> list[list[str]]:
        """The audit sheet's rows, header first (empty list when there is none)."""
        ...

    def update_row(
        self,
        sheet: str,
        key_header: str,
        key: str,
        changes: Mapping[str, tuple[str, str]],
        audit_rows: Sequence[Sequence[str]],
        *,
        submission_id: str,
    ) -> UpdateResult:
        """Write ``changes`` (header -> (value the user loaded, new value)) to the one row whose
        ``key_header`` cell equals ``key``; refuse with ConcurrentChange when a current value
        differs from the loaded one; then append ``audit_rows`` to the audit sheet, each carrying
        ``submission_id`` (column "ID Kiriman"). A call whose ``submission_id`` is already recorded
        returns the original result with ``replayed=True`` and writes nothing."""
        ...

    def append_row(
        self,
        sheet: str,
        key_header: str,
        values: Mapping[str, str],
        make_key: KeyFactory,
        audit_rows_for: Callable[[str], Sequence[Sequence[str]]],
        *,
        submission_id: str,
    ) -> AppendResult:
        """Append a new complaint whose key comes from ``make_key(existing keys)``; a replayed
        ``submission_id`` returns the complaint it created (same Nomor, ``replayed=True``)."""
        ...


AUDIT_ID_COLUMN = len(AUDIT_HEADER) - 1  # 0-based position of "ID Kiriman"


def stamp_audit_rows(rows: Sequence[Sequence[str]], submission_id: str) -> list[list[str]]:
    """``rows`` as audit rows of ``AUDIT_HEADER`` width whose ``ID Kiriman`` is ``submission_id``
    (rows built for the older 7-column layout are padded)."""
    width = len(AUDIT_HEADER)
    out = []
    for row in rows:
        cells = [str(c) for c in row][:AUDIT_ID_COLUMN]
        cells += [""] * (AUDIT_ID_COLUMN - len(cells))
        out.append([*cells, submission_id][:width])
    return out


def audit_ids(rows: Sequence[Sequence[str]]) -> dict[str, list[int]]:
    """Submission id -> positions (0-based, in ``rows``) of its audit rows; rows without an id
    (written before ids existed, or a 7-column Riwayat) are left out. ``rows`` excludes the header."""
    found: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        ident = str(row[AUDIT_ID_COLUMN]).strip() if len(row) > AUDIT_ID_COLUMN else ""
        if ident:
            found.setdefault(ident, []).append(index)
    return found


AUDIT_KEY_COLUMN = AUDIT_HEADER.index("Nomor")  # 0-based position of the complaint's Nomor


def keys_in_use(register_keys: Sequence[str], audit: Sequence[Sequence[object]]) -> list[str]:
    """What a source passes to ``make_key``: the register's Nomors and every Nomor its audit sheet
    names (``audit`` with or without its header row). A complaint whose row was deleted by hand
    keeps its Nomor taken, so a new complaint never inherits its number or its history."""
    named = [str(row[AUDIT_KEY_COLUMN]) for row in audit if len(row) > AUDIT_KEY_COLUMN]
    return [*register_keys, *(key for key in named if key.strip())]


# A lone surrogate (U+D800–U+DFFF) is not a character: no file encoding, XML or JSON API can store
# it (UTF-8 refuses it, Excel's XML too, Google Sheets keeps it but every later write fails).
_SURROGATE = re.compile("[\ud800-\udfff]")


def readable_text(text: str) -> str:
    """Text read from a register with any lone surrogate shown as U+FFFD (the cell itself is left
    alone: only a field the user edits is written)."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def check_encodable(values: Mapping[str, object], audit: Sequence[Sequence[object]] = ()) -> None:
    """Refuse, naming the field, text with a code point no register can store (a lone surrogate,
    e.g. from a broken paste): every source write passes here before anything is written."""
    bad = [header for header, value in values.items() if _SURROGATE.search(str(value))]
    for row in audit:
        if any(_SURROGATE.search(str(value)) for value in row):
            bad.append(f"Riwayat ({row[2] if len(row) > 2 else '?'})")
    if bad:
        listed = ", ".join(f"'{header}'" for header in bad)
        raise UnwritableText(
            Text(
                f"Isian {listed} berisi karakter rusak (surrogate tunggal, biasanya dari salinan teks yang "
                "terpotong) yang tidak dapat disimpan. Tidak ada yang disimpan; ketik ulang bagian itu lalu "
                "simpan lagi.",
                f"Field {listed} contains a broken character (a lone surrogate, usually from a cut-off "
                "copy/paste) that cannot be stored. Nothing was stored; retype that part and save again.",
            )
        )
