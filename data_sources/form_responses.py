"""Raw reading and marking of a Google Form's response worksheet (``Respons Formulir 1``).

Two places are supported:

- **Google Sheets**: the response sheet in the register's spreadsheet (a form linked to the
  register's spreadsheet adds it as a tab) or in another spreadsheet (``[intake] spreadsheet``),
  read and written with the register source's own gspread client and retry policy: ONE
  ``values.get`` per look (FORMATTED_VALUE, the text a person sees), ONE ``values.batchUpdate``
  (RAW) for the marks. Writing the same mark again is harmless, so a write whose answer was lost
  is simply sent again.
- **Local .xlsx**: a worksheet of that name in the register file itself (a petugas downloads the
  form's responses as a sheet into the workbook); marks are patched into the sheet's XML under the
  register's file lock (``LocalFileSource.patch_cells``). A CSV register has no response sheet.

Only cells in and out; what a response means is ``metrics.form_responses`` / ``services.intake``.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import requests
from gspread.exceptions import APIError
from gspread.utils import absolute_range_name, rowcol_to_a1
from tenacity import RetryCallState, Retrying, retry_if_exception_type

from data_sources.base import SheetGrid, SourceError
from data_sources.gsheets import GoogleSheetsSource, spreadsheet_key
from data_sources.local_file import LocalFileSource

__all__ = ["GoogleResponseSheet", "LocalResponseSheet", "ResponseSheet", "response_sheet_for"]

_TRANSIENT = frozenset({408, 429, 500, 502, 503, 504})


class ResponseSheet(Protocol):
    """Where a form's responses are: read the whole sheet, write cells of it."""

    label: str

    def read(self) -> SheetGrid | None:
        """The response sheet's cells (row 1 = the questions), None when the sheet does not exist."""
        ...

    def write_cells(self, cells: Mapping[tuple[int, int], str]) -> None:
        """Write text cells, keyed (row 1-based, column 0-based); RAW (``=..`` stays text). No cells
        is a no-op (no request, no lock)."""
        ...


class LocalResponseSheet:
    """The response worksheet inside a local .xlsx register."""

    def __init__(self, source: LocalFileSource, worksheet: str) -> None:
        if source.is_csv:
            raise SourceError(
                f"Register CSV '{source.label}' tidak dapat memuat sheet respons formulir '{worksheet}'. "
                "Pakai register .xlsx (sheet respons di berkas yang sama) atau Google Sheets."
            )
        self.source = source
        self.worksheet = worksheet
        self.label = f"{source.label} › {worksheet}"

    def read(self) -> SheetGrid | None:
        return next((g for g in self.source.read_sheets((self.worksheet,))), None)

    def write_cells(self, cells: Mapping[tuple[int, int], str]) -> None:
        if not cells:
            return
        self.source.patch_cells(self.worksheet, {(row - 1, col): text for (row, col), text in cells.items()})


class _Transient(Exception):
    pass


class GoogleResponseSheet:
    """The response worksheet in a Google spreadsheet, through the register source's client."""

    def __init__(self, source: GoogleSheetsSource, worksheet: str, spreadsheet: str = "") -> None:
        self.source = source
        self.worksheet = worksheet
        self.key = spreadsheet_key(spreadsheet) if spreadsheet else _register_key(source)
        self.label = f"Google Sheet › {worksheet}"
        self.requests = 0
        self._rng = random.Random(source.policy.seed)

    # --------------------------------------------------------------- requests
    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.requests += 1
        try:
            return fn(*args, **kwargs)
        except APIError as error:
            code = error.response.status_code
            if code in _TRANSIENT:
                raise _Transient(f"Google Sheets menjawab HTTP {code}") from error
            raise
        except (
            requests.exceptions.Timeout,
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
        ) as error:
            raise _Transient(f"koneksi ke Google terputus ({type(error).__name__})") from error

    def _wait(self, state: RetryCallState) -> float:
        policy = self.source.policy
        limit = min(policy.max_wait, policy.initial_wait * 2 ** (state.attempt_number - 1))
        return self._rng.uniform(0, limit)

    def _retry(self, step: Callable[[], Any], what: str) -> Any:
        policy = self.source.policy
        retrying = Retrying(
            stop=lambda state: state.attempt_number >= policy.attempts,
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=policy.sleep,
            reraise=True,
        )
        try:
            return retrying(step)
        except _Transient as error:
            raise SourceError(
                f"{what} gagal: {error}, juga setelah {policy.attempts} kali dicoba. Coba lagi nanti; "
                "respons yang belum digabung tetap di sheet respons."
            ) from error

    # --------------------------------------------------------------- reading and writing
    def read(self) -> SheetGrid | None:
        # the sheet list is cached by the register source: a spreadsheet without a response
        # sheet costs no request on a refresh
        if self.worksheet not in self.source.sheet_titles(self.key):
            return None
        http = self.source.client.http_client
        params = {"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"}
        step = functools.partial(
            self._call, http.values_get, self.key, absolute_range_name(self.worksheet), params=params
        )
        try:
            data = self._retry(step, f"Membaca sheet respons '{self.worksheet}'")
        except APIError as error:
            if error.response.status_code == 400:  # "Unable to parse range": no such worksheet
                return None
            raise SourceError(f"Sheet respons '{self.worksheet}' tidak dapat dibaca: {error}") from error
        values = [[str(c) for c in row] for row in data.get("values") or []]
        return SheetGrid(self.worksheet, values)

    def write_cells(self, cells: Mapping[tuple[int, int], str]) -> None:
        if not cells:
            return
        http = self.source.client.http_client
        self._ensure_columns(max(col for _row, col in cells) + 1)
        body = {
            "valueInputOption": "RAW",
            "data": [
                {"range": absolute_range_name(self.worksheet, rowcol_to_a1(row, col + 1)), "values": [[text]]}
                for (row, col), text in sorted(cells.items())
            ],
        }
        # the same marks again are harmless: a lost answer is sent again as it is
        try:
            self._retry(
                functools.partial(self._call, http.values_batch_update, self.key, body),
                f"Menandai sheet respons '{self.worksheet}'",
            )
        except APIError as error:
            raise SourceError(f"Sheet respons '{self.worksheet}' tidak dapat ditulisi: {error}") from error

    def _ensure_columns(self, needed: int) -> None:
        """Grow the sheet's grid when the mark column falls outside it (a form's sheet is as wide
        as its questions)."""
        http = self.source.client.http_client
        meta = self._retry(
            functools.partial(
                self._call, http.fetch_sheet_metadata, self.key, params={"fields": "sheets.properties"}
            ),
            "Membaca daftar sheet",
        )
        props = next(
            (
                s["properties"]
                for s in meta.get("sheets", [])
                if s["properties"].get("title") == self.worksheet
            ),
            None,
        )
        if props is None:
            raise SourceError(f"Sheet respons '{self.worksheet}' tidak ada lagi di spreadsheet.")
        have = int(props.get("gridProperties", {}).get("columnCount", 0))
        if have >= needed:
            return
        body = {
            "requests": [
                {
                    "appendDimension": {
                        "sheetId": props["sheetId"],
                        "dimension": "COLUMNS",
                        "length": needed - have,
                    }
                }
            ]
        }
        # not idempotent: after a lost answer look again before sending it a second time
        try:
            self._call(http.batch_update, self.key, body)
        except _Transient:
            self._ensure_columns(needed)


def _register_key(source: GoogleSheetsSource) -> str:
    config = source.config
    if config.layout == "per_desa_spreadsheet":
        raise SourceError(
            "Register per spreadsheet desa: isi [intake] spreadsheet dengan spreadsheet tempat respons "
            "formulir disimpan."
        )
    return spreadsheet_key(config.spreadsheet)


def response_sheet_for(source: object, worksheet: str, spreadsheet: str = "") -> ResponseSheet:
    """The response sheet next to a register source (see the module docstring for what is supported)."""
    if isinstance(source, GoogleSheetsSource):
        return GoogleResponseSheet(source, worksheet, spreadsheet)
    if isinstance(source, LocalFileSource):
        if spreadsheet:
            raise SourceError(
                "[intake] spreadsheet hanya untuk register Google Sheets; register lokal memakai sheet "
                f"'{worksheet}' di berkas register."
            )
        return LocalResponseSheet(source, worksheet)
    raise SourceError(
        f"Sumber register '{getattr(source, 'label', source)}' tidak mendukung respons formulir."
    )
