"""What every register source offers: raw cells in, single-row writes and audit rows out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from metrics.errors import PantauError

__all__ = [
    "AppendResult",
    "ComplaintNotFound",
    "ConcurrentChange",
    "DuplicateKey",
    "RegisterSource",
    "SheetGrid",
    "SourceError",
    "UpdateResult",
]


@dataclass(frozen=True)
class SheetGrid:
    """One worksheet's cells as the source returned them (row 1 of the sheet is ``values[0]``).

    The raw-grid contract between sources and ``metrics.register`` (which imports it from here)."""

    name: str
    values: Sequence[Sequence[Any]]
    url: str | None = None


class SourceError(PantauError):
    """Reading or writing the register failed; the message says what to fix."""


class ComplaintNotFound(SourceError):
    pass


class DuplicateKey(SourceError):
    def __init__(self, message: str, rows: Sequence[int]) -> None:
        super().__init__(message)
        self.rows = list(rows)


class ConcurrentChange(SourceError):
    """Someone changed the fields being edited since the user loaded them."""

    def __init__(self, message: str, current: Mapping[str, str]) -> None:
        super().__init__(message)
        self.current = dict(current)


@dataclass(frozen=True)
class UpdateResult:
    sheet: str
    row: int  # 1-based sheet row that was written
    written: dict[str, str]  # header -> value actually written
    audit_rows: int


@dataclass(frozen=True)
class AppendResult:
    sheet: str
    row: int
    key: str  # the Nomor given to the new complaint
    values: dict[str, str]


# Builds the Nomor of a new complaint from the Nomor values already in the sheet, so a
# source can call it while it holds its lock (or re-check it after writing).
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
    ) -> UpdateResult:
        """Write ``changes`` (header -> (value the user loaded, new value)) to the one row whose
        ``key_header`` cell equals ``key``; refuse with ConcurrentChange when a current value
        differs from the loaded one; then append ``audit_rows`` to the audit sheet."""
        ...

    def append_row(
        self,
        sheet: str,
        key_header: str,
        values: Mapping[str, str],
        make_key: KeyFactory,
        audit_rows_for: Callable[[str], Sequence[Sequence[str]]],
    ) -> AppendResult:
        """Append a new complaint whose key comes from ``make_key(existing keys)``."""
        ...
