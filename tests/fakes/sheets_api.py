"""A local fake of the Google Sheets API v4, served over real HTTP.

The real ``gspread`` client talks to it through :meth:`FakeSheetsServer.session`, a
``requests.Session`` that rewrites ``https://sheets.googleapis.com/`` and
``https://www.googleapis.com/`` to the local server — nothing inside gspread is patched::

    with FakeSheetsServer() as server:
        key = server.add_spreadsheet("Register", {"Sheet1": [["Nomor", "Desa"], ["1", "Suka Maju"]]})
        gc = gspread.Client(auth=None, session=server.session())   # or: server.client()
        ws = gc.open_by_key(key).sheet1

What it imitates (the parts the app relies on):

* ``spreadsheets.get`` metadata (title, sheets[].properties with grid size / frozen rows), 404 for an
  unknown id, 403 for a spreadsheet that is not shared with the caller;
* ``values.get`` / ``values.batchGet`` with A1 ranges (quoted sheet names, whole sheets, open-ended
  ranges), ``majorDimension``, ``valueRenderOption`` and ``dateTimeRenderOption``; trailing empty
  cells and rows are omitted and ``values`` is absent for an empty range, like the real API;
* ``values.update`` / ``values.batchUpdate`` / ``values.append`` / ``values.clear`` /
  ``values.batchClear`` with RAW vs USER_ENTERED input (USER_ENTERED turns ``=…`` into formulas and
  numeric-looking text into numbers, so ``"0812345"`` loses its leading zero); writing outside the
  grid is a 400 error, appending grows the grid;
* ``spreadsheets.batchUpdate`` with addSheet, deleteSheet, updateSheetProperties, setDataValidation,
  insertDimension, deleteDimension, appendDimension, updateCells (userEnteredValue written), and
  formatting requests that are only recorded;
* fault injection (429 with ``Retry-After``, 5xx, slow responses, dropped connections — before or
  after the request was applied) and request counting;
* the Drive API v3 parts a sync worker uses: ``files.get``, ``changes.getStartPageToken`` and
  ``changes.list`` (a page token, ``pageSize`` up to 1000, one change per file, ``removed`` for a
  deleted or unshared spreadsheet) and ``files.list`` (spreadsheets, ``modifiedTime > '...'``);
* an enforced per-user quota (:meth:`FakeSheetsServer.set_quota`): N requests per minute per user
  (the bearer token) and API, counted per minute of a clock the test controls; beyond it the
  answer is Google's 429 ``RESOURCE_EXHAUSTED`` and nothing is applied.

Rows and columns in the inspection helpers are 1-based, like the sheet the user sees.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import datetime as dt
import hashlib
import json
import math
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests

__all__ = [
    "DROP",
    "DROP_AFTER_APPLY",
    "Fault",
    "FakeSheetsServer",
    "FakeSheetsSession",
    "RequestRecord",
    "http_error",
    "slow",
    "wait_until",
]

SHEETS_ORIGIN = "https://sheets.googleapis.com/"
GOOGLEAPIS_ORIGIN = "https://www.googleapis.com/"

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26

KINDS = (
    "spreadsheets.get",
    "spreadsheets.batchUpdate",
    "values.get",
    "values.batchGet",
    "values.update",
    "values.batchUpdate",
    "values.append",
    "values.clear",
    "values.batchClear",
    "drive.files.get",
    "drive.files.list",
    "drive.changes.getStartPageToken",
    "drive.changes.list",
    "unknown",
)
WRITE_KINDS = frozenset(
    {
        "spreadsheets.batchUpdate",
        "values.update",
        "values.batchUpdate",
        "values.append",
        "values.clear",
        "values.batchClear",
    }
)


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour.

    kind: ``"status"`` (answer with an HTTP error, request not applied), ``"slow"`` (wait
    ``seconds`` then handle normally — the request *is* applied even if the client gave up),
    ``"drop"`` (close the connection without answering, request not applied) or
    ``"drop_after_apply"`` (apply the request, then close the connection without answering).
    """

    kind: str
    status: int = 0
    seconds: float = 0.0
    retry_after: float | None = None

    def label(self) -> str:
        if self.kind == "status":
            return str(self.status)
        if self.kind == "slow":
            return f"slow({self.seconds:g})"
        return self.kind


DROP = Fault("drop")
DROP_AFTER_APPLY = Fault("drop_after_apply")


def slow(seconds: float) -> Fault:
    """A response delayed by ``seconds`` (then handled and applied normally)."""
    return Fault("slow", seconds=float(seconds))


def http_error(status: int, retry_after: float | None = None) -> Fault:
    """An HTTP error answer in Google's error JSON shape; the request is not applied."""
    return Fault("status", status=int(status), retry_after=retry_after)


FaultSpec = Fault | int | str


def _as_fault(spec: FaultSpec, retry_after: float | None) -> Fault:
    if isinstance(spec, Fault):
        if spec.kind == "status" and spec.status == 429 and spec.retry_after is None:
            return Fault("status", status=429, retry_after=retry_after)
        return spec
    if isinstance(spec, int):
        return http_error(spec, retry_after if spec == 429 else None)
    if isinstance(spec, str):
        s = spec.strip().lower()
        if s == "drop":
            return DROP
        if s == "drop_after_apply":
            return DROP_AFTER_APPLY
        m = re.fullmatch(r"slow\(\s*([0-9.]+)\s*\)", s)
        if m:
            return slow(float(m.group(1)))
        if s.isdigit():
            return _as_fault(int(s), retry_after)
    raise ValueError(f"unknown fault: {spec!r}")


@dataclass
class RequestRecord:
    """One request received by the fake (faulted ones included)."""

    method: str
    path: str  # percent-decoded path, without the query string
    query: dict[str, list[str]]
    body: Any  # parsed JSON body, or None
    kind: str
    spreadsheet_id: str | None = None
    status: int | None = None  # None when the connection was dropped
    fault: str | None = None  # label of the injected fault, if any
    applied: bool = False  # True when the request changed (or read) state successfully


@dataclass
class _Injection:
    match: Callable[[RequestRecord], bool]
    fault: Fault
    remaining: int


def _matcher(
    kind_or_predicate: str | Callable[[RequestRecord], bool] | None,
) -> Callable[[RequestRecord], bool]:
    if kind_or_predicate is None or kind_or_predicate == "*":
        return lambda rec: True
    if callable(kind_or_predicate):
        return kind_or_predicate
    if kind_or_predicate == "write":
        return lambda rec: rec.kind in WRITE_KINDS
    if kind_or_predicate == "read":
        return lambda rec: rec.kind not in WRITE_KINDS
    if kind_or_predicate not in KINDS:
        raise ValueError(f"unknown request kind {kind_or_predicate!r}; expected one of {KINDS}")
    return lambda rec: rec.kind == kind_or_predicate


# --------------------------------------------------------------------------------------------
# Errors in Google's shape
# --------------------------------------------------------------------------------------------

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class _ApiError(Exception):
    def __init__(self, code: int, message: str, status: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS_NAMES.get(code, "UNKNOWN")

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def _fault_error(status: int, kind: str) -> _ApiError:
    if status == 429:
        what = "Write" if kind in WRITE_KINDS else "Read"
        err = _ApiError(
            429,
            f"Quota exceeded for quota metric '{what} requests' and limit '{what} requests per minute "
            f"per user' of service '{'drive' if kind.startswith('drive.') else 'sheets'}.googleapis.com' for consumer 'project_number:000000000000'.",
        )
        return err
    messages = {
        500: "Internal error encountered.",
        502: "Bad Gateway",
        503: "The service is currently unavailable.",
        504: "The service is currently unavailable.",
        403: "The caller does not have permission",
        404: "Requested entity was not found.",
        408: "Request timed out.",
    }
    return _ApiError(status, messages.get(status, f"Injected error {status}."))


# --------------------------------------------------------------------------------------------
# A1 notation
# --------------------------------------------------------------------------------------------


def col_letters(col: int) -> str:
    """0-based column index -> letters (0 -> A, 26 -> AA)."""
    out = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _letters_col(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


_PLAIN_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CELLISH = re.compile(r"(?i)([A-Z]{1,3}\d+|R\d*C\d*|TRUE|FALSE)")


def quote_sheet_name(name: str) -> str:
    """How the API writes a sheet name inside an A1 range (quoted only when needed)."""
    if _PLAIN_SHEET_NAME.fullmatch(name) and not _CELLISH.fullmatch(name):
        return name
    return "'" + name.replace("'", "''") + "'"


_A1_PART = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d*)")


@dataclass(frozen=True)
class _Bounds:
    """0-based inclusive bounds; None = unbounded in that direction."""

    r1: int | None
    c1: int | None
    r2: int | None
    c2: int | None


def _parse_part(part: str) -> tuple[int | None, int | None] | None:
    m = _A1_PART.fullmatch(part)
    if not m:
        return None
    letters, digits = m.group(1), m.group(2)
    if not letters and not digits:
        return None
    col = _letters_col(letters) if letters else None
    if digits:
        if int(digits) < 1:
            return None
        row = int(digits) - 1
    else:
        row = None
    return row, col


def _parse_a1(a1: str) -> _Bounds | None:
    a1 = a1.strip()
    if ":" in a1:
        left, _, right = a1.partition(":")
        p1, p2 = _parse_part(left), _parse_part(right)
        if p1 is None or p2 is None:
            return None
        (r1, c1), (r2, c2) = p1, p2
        # "A:C" (columns), "1:3" (rows), "A2:F" (open-ended), "A1:B2"
        if (r1 is None) != (r2 is None) and r2 is not None:
            # "A:C5" is not valid A1
            return None
        if (c1 is None) != (c2 is None) and c1 is None:
            return None
        if r1 is not None and r2 is not None and r1 > r2:
            r1, r2 = r2, r1
        if c1 is not None and c2 is not None and c1 > c2:
            c1, c2 = c2, c1
        return _Bounds(r1 if r1 is not None else 0, c1 if c1 is not None else 0, r2, c2)
    p = _parse_part(a1)
    if p is None or p[0] is None or p[1] is None:
        return None
    return _Bounds(p[0], p[1], p[0], p[1])


def _split_range(rng: str) -> tuple[str | None, str | None] | None:
    """'Sheet'!A1:B2 -> ("Sheet", "A1:B2"); "Sheet" -> ("Sheet", None); "A1" -> (None, "A1")."""
    rng = rng.strip()
    if rng.startswith("'"):
        i, name = 1, []
        while i < len(rng):
            ch = rng[i]
            if ch == "'":
                if i + 1 < len(rng) and rng[i + 1] == "'":
                    name.append("'")
                    i += 2
                    continue
                break
            name.append(ch)
            i += 1
        else:
            return None  # no closing quote
        rest = rng[i + 1 :]
        if rest == "":
            return "".join(name), None
        if not rest.startswith("!") or len(rest) == 1:
            return None
        return "".join(name), rest[1:]
    if "!" in rng:
        name, _, a1 = rng.rpartition("!")
        if not name or not a1:
            return None
        return name, a1
    return None, rng


# --------------------------------------------------------------------------------------------
# Cell values
# --------------------------------------------------------------------------------------------

_EPOCH = dt.datetime(1899, 12, 30)
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
)


@dataclass
class _Cell:
    value: Any  # str | int | float | bool — the effective (computed) value
    formula: str | None = None
    text: str | None = None  # display text when it differs from the value (dates, percents)
    is_date: bool = False


def _num(x: float) -> int | float:
    if isinstance(x, bool):
        return x
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return int(x)
    return x


def _format_number(x: int | float) -> str:
    if isinstance(x, int):
        return str(x)
    if math.isnan(x) or math.isinf(x):
        return "#NUM!"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.15g}"


def _parse_number(s: str) -> int | float | None:
    t = s.strip()
    if not t or not _NUMBER.fullmatch(t) or not re.search(r"\d", t):
        return None
    try:
        return _num(float(t.replace(",", "")))
    except ValueError:
        return None


def _eval_formula(expr: str) -> Any:
    """Tiny evaluator: plain arithmetic on numbers. Anything else -> '#N/A' (the fake has no engine)."""
    body = expr[1:]
    if re.fullmatch(r"[\d\s+\-*/().]+", body or "x"):
        try:
            tree = ast.parse(body, mode="eval")
            allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator, ast.unaryop)
            if all(isinstance(n, allowed) for n in ast.walk(tree)):
                return _num(float(eval(compile(tree, "<formula>", "eval"), {"__builtins__": {}})))
        except (SyntaxError, ZeroDivisionError, ValueError, TypeError):
            return "#DIV/0!" if "/0" in body.replace(" ", "") else "#ERROR!"
    return "#N/A"


def _to_cell(value: Any, input_option: str) -> _Cell | None:
    """JSON value from a request -> stored cell (None = empty cell)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _Cell(value)
    if isinstance(value, int | float):
        return _Cell(_num(value))
    if isinstance(value, list | dict):
        raise _ApiError(400, f"Invalid values[0][0]: {json.dumps(value)}")
    s = str(value)
    if input_option == "RAW":
        return _Cell(s)
    # USER_ENTERED: parse as if typed into the Sheets UI (en_US locale)
    if s.startswith("'"):
        return _Cell(s[1:]) if len(s) > 1 else None
    if s.startswith("=") and len(s) > 1:
        return _Cell(_eval_formula(s), formula=s)
    n = _parse_number(s)
    if n is not None:
        return _Cell(n)
    if s.startswith(("+", "-")) and len(s) > 1:
        formula = "=" + s
        return _Cell(_eval_formula(formula), formula=formula)
    if re.fullmatch(r"[+-]?\d+(\.\d+)?%", s.strip()):
        return _Cell(_num(float(s.strip()[:-1]) / 100), text=s.strip())
    if s.strip().upper() in ("TRUE", "FALSE"):
        return _Cell(s.strip().upper() == "TRUE")
    for fmt in _DATE_FORMATS:
        try:
            moment = dt.datetime.strptime(s.strip(), fmt)
        except ValueError:
            continue
        serial = (moment - _EPOCH).total_seconds() / 86400
        return _Cell(_num(serial), text=s.strip(), is_date=True)
    return _Cell(s)


def _render(cell: _Cell, render: str, date_render: str) -> Any:
    if render == "FORMULA" and cell.formula is not None:
        return cell.formula
    if render == "FORMATTED_VALUE":
        if cell.text is not None:
            return cell.text
        v = cell.value
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, int | float):
            return _format_number(v)
        return v
    # UNFORMATTED_VALUE, or FORMULA for a non-formula cell
    if cell.is_date and date_render == "FORMATTED_STRING":
        return cell.text
    return cell.value


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    sheet_id: int
    title: str
    index: int
    rows: int
    cols: int
    frozen_rows: int = 0
    frozen_cols: int = 0
    hidden: bool = False
    cells: dict[tuple[int, int], _Cell] = field(default_factory=dict)
    validations: list[dict[str, Any]] = field(default_factory=list)
    formats: list[dict[str, Any]] = field(default_factory=list)

    def properties(self) -> dict[str, Any]:
        grid: dict[str, Any] = {"rowCount": self.rows, "columnCount": self.cols}
        # proto3 JSON: zero values are omitted, like the real API
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        return props

    def a1(self, r1: int, c1: int, r2: int, c2: int) -> str:
        name = quote_sheet_name(self.title)
        if r1 == r2 and c1 == c2:
            return f"{name}!{col_letters(c1)}{r1 + 1}"
        return f"{name}!{col_letters(c1)}{r1 + 1}:{col_letters(c2)}{r2 + 1}"

    def exceeds(self, label: str) -> _ApiError:
        return _ApiError(
            400,
            f"Range ({label}) exceeds grid limits. Max rows: {self.rows}, max columns: {self.cols}",
        )

    def insert_rows(self, at: int, count: int) -> None:
        self.cells = {((r + count if r >= at else r), c): v for (r, c), v in self.cells.items()}
        self.rows += count

    def insert_cols(self, at: int, count: int) -> None:
        self.cells = {(r, (c + count if c >= at else c)): v for (r, c), v in self.cells.items()}
        self.cols += count

    def delete_rows(self, start: int, end: int) -> None:
        n = end - start
        self.cells = {
            ((r - n if r >= end else r), c): v for (r, c), v in self.cells.items() if not start <= r < end
        }
        self.rows -= n

    def delete_cols(self, start: int, end: int) -> None:
        n = end - start
        self.cells = {
            (r, (c - n if c >= end else c)): v for (r, c), v in self.cells.items() if not start <= c < end
        }
        self.cols -= n


@dataclass
class _Spreadsheet:
    spreadsheet_id: str
    title: str
    shared: bool
    sheets: list[_Sheet]
    next_sheet_id: int
    created: str
    modified: str
    requests: list[dict[str, Any]] = field(default_factory=list)  # applied batchUpdate requests

    def ordered(self) -> list[_Sheet]:
        return sorted(self.sheets, key=lambda s: s.index)

    def reindex(self) -> None:
        for i, sh in enumerate(self.ordered()):
            sh.index = i

    def by_title(self, title: str) -> _Sheet | None:
        for sh in self.sheets:
            if sh.title == title:
                return sh
        lowered = title.lower()
        for sh in self.sheets:  # sheet names in ranges are case-insensitive in Sheets
            if sh.title.lower() == lowered:
                return sh
        return None

    def by_id(self, sheet_id: Any) -> _Sheet | None:
        for sh in self.sheets:
            if sh.sheet_id == sheet_id:
                return sh
        return None


@dataclass(frozen=True)
class _Target:
    sheet: _Sheet
    bounds: _Bounds
    whole_sheet: bool


def _resolve(ss: _Spreadsheet, rng: str) -> _Target:
    """A1 range -> sheet + bounds. Raises 400 'Unable to parse range' like the real API."""
    parts = _split_range(rng)
    if parts is None:
        raise _ApiError(400, f"Unable to parse range: {rng}")
    name, a1 = parts
    if name is not None and a1 is None:
        sheet = ss.by_title(name)
        if sheet is None:
            raise _ApiError(400, f"Unable to parse range: {rng}")
        return _Target(sheet, _Bounds(0, 0, None, None), True)
    if name is None:
        # "Riwayat" (a sheet) or "A1:B2" (on the first sheet)
        sheet = ss.by_title(a1 or "")
        if sheet is not None:
            return _Target(sheet, _Bounds(0, 0, None, None), True)
        sheet = ss.ordered()[0]
    else:
        sheet = ss.by_title(name)
        if sheet is None:
            raise _ApiError(400, f"Unable to parse range: {rng}")
    bounds = _parse_a1(a1 or "")
    if bounds is None:
        raise _ApiError(400, f"Unable to parse range: {rng}")
    return _Target(sheet, bounds, False)


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeSheetsSession(requests.Session):
    """A requests.Session that sends Google API calls to the local fake instead."""

    def __init__(self, base_url: str, token: str = "fake-token"):
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"
        self.trust_env = False  # never route 127.0.0.1 through an environment proxy
        self.headers["Authorization"] = f"Bearer {token}"

    def rewrite(self, url: str) -> str:
        for origin in (SHEETS_ORIGIN, GOOGLEAPIS_ORIGIN):
            if url.startswith(origin):
                return self.base_url + url[len(origin) :]
        return url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if isinstance(url, bytes):
            url = url.decode()
        return super().request(method, self.rewrite(url), *args, **kwargs)


class FakeSheetsServer:
    """In-memory Google Sheets API v4 on ``http://127.0.0.1:<ephemeral port>``.

    Use as a context manager (or ``start()`` / ``stop()``). All state access is guarded by a lock,
    so the fake can be driven from the test thread while gspread calls it from others.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._host = host
        self._port = port
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._spreadsheets: dict[str, _Spreadsheet] = {}
        self._log: list[RequestRecord] = []
        self._injections: list[_Injection] = []
        self._chaos: tuple[float, random.Random, list[Fault], Callable[[RequestRecord], bool]] | None = None
        self._counter = 0
        self._clock: Callable[[], float] = time.time
        self._changes: list[tuple[str, bool, str]] = []  # (file id, removed, time); index = change id
        self._quota: dict[str, int] = {}  # api ("sheets" / "drive") -> requests per minute per user
        self._quota_used: dict[tuple[str, str, int], int] = {}  # (user, api, minute) -> requests
        self.quota_rejections = 0
        self.date_skew = 0.0  # seconds added to the HTTP Date header (a server clock that is off)

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeSheetsServer:
        if self._httpd is not None:
            return self
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer((self._host, self._port), handler)
        self._httpd.daemon_threads = True
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-sheets-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeSheetsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeSheetsServer is not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self.port}"

    # ---- connecting gspread -----------------------------------------------------------------

    def session(self, token: str = "fake-token") -> FakeSheetsSession:
        """A requests.Session routing sheets.googleapis.com / www.googleapis.com here."""
        return FakeSheetsSession(self.base_url, token)

    def client(self, http_client: Any = None) -> Any:
        """A real ``gspread.Client`` wired to this fake (``http_client`` e.g. BackOffHTTPClient)."""
        import gspread

        kwargs: dict[str, Any] = {"session": self.session()}
        if http_client is not None:
            kwargs["http_client"] = http_client
        return gspread.Client(auth=None, **kwargs)  # type: ignore[arg-type]

    # ---- seeding and inspecting state --------------------------------------------------------

    def add_spreadsheet(
        self,
        title: str,
        sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
        *,
        shared: bool = True,
        spreadsheet_id: str | None = None,
        rows: int | None = None,
        cols: int | None = None,
        value_input_option: str = "RAW",
    ) -> str:
        """Create a spreadsheet; ``sheets`` maps sheet title -> rows of cell values (in order).

        Grid size per sheet: ``rows`` x ``cols`` if given, else max(1000, data rows) x max(26,
        data columns), like a new Google Sheet. Values are stored as given (RAW): str stays text,
        int/float become numbers. ``shared=False`` makes every request answer 403.
        """
        with self._lock:
            self._counter += 1
            sid = spreadsheet_id or self._make_id(title)
            if sid in self._spreadsheets:
                raise ValueError(f"spreadsheet {sid!r} already exists")
            now = self._now()
            ss = _Spreadsheet(sid, title, shared, [], next_sheet_id=1, created=now, modified=now)
            for i, (name, data) in enumerate((sheets or {"Sheet1": []}).items()):
                data = [list(r) for r in data]
                width = max((len(r) for r in data), default=0)
                sheet = _Sheet(
                    sheet_id=0 if i == 0 else self._sheet_id(ss),
                    title=name,
                    index=i,
                    rows=rows if rows is not None else max(DEFAULT_ROWS, len(data)),
                    cols=cols if cols is not None else max(DEFAULT_COLS, width),
                )
                self._write_block(sheet, 0, 0, data, value_input_option)
                ss.sheets.append(sheet)
            self._spreadsheets[sid] = ss
            self._changes.append((sid, False, now))
            return sid

    def set_shared(self, spreadsheet_id: str, shared: bool) -> None:
        """Share or unshare with the caller; Drive reports it as a change (``removed`` when unshared)."""
        with self._lock:
            ss = self._ss(spreadsheet_id)
            ss.shared = shared
            self._changes.append((spreadsheet_id, not shared, self._now()))

    def delete_spreadsheet(self, spreadsheet_id: str) -> None:
        """Someone deletes the spreadsheet: 404 from now on, a ``removed`` change in Drive."""
        with self._lock:
            self._ss(spreadsheet_id)
            del self._spreadsheets[spreadsheet_id]
            self._changes.append((spreadsheet_id, True, self._now()))

    def rename_spreadsheet(self, spreadsheet_id: str, title: str) -> None:
        """Someone renames the spreadsheet file (its id and contents stay)."""
        with self._lock:
            ss = self._ss(spreadsheet_id)
            ss.title = title
            self._touch(ss)

    def rename_sheet(self, spreadsheet_id: str, sheet_name: str, new_name: str) -> None:
        """Someone renames a worksheet (tab) in the UI."""
        with self._lock:
            self._sheet(spreadsheet_id, sheet_name).title = new_name
            self._touch(self._ss(spreadsheet_id))

    # ---- clock and quota ----------------------------------------------------------------------

    def set_clock(self, clock: Callable[[], float]) -> None:
        """The clock (epoch seconds) of modifiedTime, change times and quota minutes."""
        with self._lock:
            self._clock = clock

    def set_quota(self, per_user_per_minute: int | None, api: str = "sheets") -> None:
        """Enforce ``per_user_per_minute`` requests per user (bearer token) per clock minute on
        ``api`` ("sheets" or "drive"); None removes the limit. Beyond it: 429, nothing applied."""
        if api not in ("sheets", "drive"):
            raise ValueError(f"unknown api {api!r}")
        with self._lock:
            if per_user_per_minute is None:
                self._quota.pop(api, None)
            else:
                self._quota[api] = int(per_user_per_minute)

    def requests_per_minute(self, api: str | None = None) -> dict[tuple[str, str, int], int]:
        """Requests served per (user, api, clock minute) — how close a client came to the quota."""
        with self._lock:
            return {k: v for k, v in self._quota_used.items() if api is None or k[1] == api}

    def _over_quota(self, rec: RequestRecord, user: str) -> bool:
        api = "drive" if rec.kind.startswith("drive.") else "sheets"
        with self._lock:
            minute = int(self._clock() // 60)
            used_key = (user, api, minute)
            limit = self._quota.get(api)
            if limit is not None and self._quota_used.get(used_key, 0) >= limit:
                self.quota_rejections += 1
                return True
            self._quota_used[used_key] = self._quota_used.get(used_key, 0) + 1
            return False

    def values(
        self, spreadsheet_id: str, sheet_name: str, render: str = "FORMATTED_VALUE"
    ) -> list[list[Any]]:
        """Stored cells of a sheet as the API would return them for the whole sheet."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, sheet_name)
            return _read(sheet, 0, 0, sheet.rows - 1, sheet.cols - 1, render, "SERIAL_NUMBER", "ROWS")

    def cell(
        self, spreadsheet_id: str, sheet_name: str, row: int, col: int, render: str = "UNFORMATTED_VALUE"
    ) -> Any:
        """One cell (1-based), rendered; None when empty. UNFORMATTED shows numbers as numbers."""
        with self._lock:
            c = self._sheet(spreadsheet_id, sheet_name).cells.get((row - 1, col - 1))
            return None if c is None else _render(c, render, "SERIAL_NUMBER")

    def is_formula(self, spreadsheet_id: str, sheet_name: str, row: int, col: int) -> bool:
        """True when the cell (1-based) holds a formula (written with USER_ENTERED "=...")."""
        with self._lock:
            c = self._sheet(spreadsheet_id, sheet_name).cells.get((row - 1, col - 1))
            return c is not None and c.formula is not None

    def formulas(self, spreadsheet_id: str, sheet_name: str) -> list[tuple[int, int, str]]:
        """Every formula cell as (row, col, formula text), 1-based."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, sheet_name)
            return sorted((r + 1, c + 1, v.formula) for (r, c), v in sheet.cells.items() if v.formula)

    def set_values(
        self,
        spreadsheet_id: str,
        sheet_name: str,
        values: Sequence[Sequence[Any]],
        *,
        start: str = "A1",
        replace: bool = False,
        value_input_option: str = "RAW",
    ) -> None:
        """Simulate someone editing the sheet directly (no request is logged).

        Writes ``values`` with its top-left at ``start``; ``replace=True`` clears the sheet first.
        The grid grows if needed (a person in the UI can add rows). ``None`` leaves a cell as is,
        ``""`` clears it.
        """
        with self._lock:
            sheet = self._sheet(spreadsheet_id, sheet_name)
            bounds = _parse_a1(start)
            if bounds is None or bounds.r1 is None or bounds.c1 is None:
                raise ValueError(f"bad start cell {start!r}")
            if replace:
                sheet.cells.clear()
            data = [list(r) for r in values]
            width = max((len(r) for r in data), default=0)
            sheet.rows = max(sheet.rows, bounds.r1 + len(data))
            sheet.cols = max(sheet.cols, bounds.c1 + width)
            self._write_block(sheet, bounds.r1, bounds.c1, data, value_input_option)
            self._touch(self._ss(spreadsheet_id))

    def insert_rows(
        self, spreadsheet_id: str, sheet_name: str, before_row: int, rows: Sequence[Sequence[Any]]
    ) -> None:
        """Simulate a user inserting rows above ``before_row`` (1-based) and filling them."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, sheet_name)
            sheet.insert_rows(before_row - 1, len(rows))
            self._write_block(sheet, before_row - 1, 0, [list(r) for r in rows], "RAW")
            self._touch(self._ss(spreadsheet_id))

    def delete_rows(self, spreadsheet_id: str, sheet_name: str, first_row: int, count: int = 1) -> None:
        """Simulate a user deleting rows (1-based)."""
        with self._lock:
            self._sheet(spreadsheet_id, sheet_name).delete_rows(first_row - 1, first_row - 1 + count)
            self._touch(self._ss(spreadsheet_id))

    def sheet_properties(self, spreadsheet_id: str, sheet_name: str) -> dict[str, Any]:
        """The sheet's properties exactly as spreadsheets.get reports them."""
        with self._lock:
            return copy.deepcopy(self._sheet(spreadsheet_id, sheet_name).properties())

    def sheet_titles(self, spreadsheet_id: str) -> list[str]:
        with self._lock:
            return [s.title for s in self._ss(spreadsheet_id).ordered()]

    def validations(self, spreadsheet_id: str, sheet_name: str) -> list[dict[str, Any]]:
        """Data-validation rules set through setDataValidation: [{"range": GridRange, "rule": {...}}]."""
        with self._lock:
            return copy.deepcopy(self._sheet(spreadsheet_id, sheet_name).validations)

    def formats(self, spreadsheet_id: str, sheet_name: str) -> list[dict[str, Any]]:
        """Formatting-type requests (repeatCell, updateCells, …) recorded for the sheet."""
        with self._lock:
            return copy.deepcopy(self._sheet(spreadsheet_id, sheet_name).formats)

    def applied_requests(self, spreadsheet_id: str) -> list[dict[str, Any]]:
        """Every spreadsheets.batchUpdate request object that was applied, in order."""
        with self._lock:
            return copy.deepcopy(self._ss(spreadsheet_id).requests)

    # ---- request log --------------------------------------------------------------------------

    @property
    def request_log(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._log)

    def count(self, kind: str | None = None, *, applied: bool | None = None) -> int:
        """Requests received (faulted ones included) of ``kind`` (None = all kinds).

        ``applied=True`` counts only those that were served successfully."""
        with self._lock:
            return sum(
                1
                for r in self._log
                if (kind is None or r.kind == kind) and (applied is None or r.applied == applied)
            )

    def counts(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for r in self._log:
                out[r.kind] = out.get(r.kind, 0) + 1
            return out

    def reset_counts(self) -> None:
        with self._lock:
            self._log.clear()

    # ---- fault injection ----------------------------------------------------------------------

    def inject(
        self,
        kind_or_predicate: str | Callable[[RequestRecord], bool] | None,
        fault: FaultSpec,
        times: int = 1,
        *,
        retry_after: float | None = 0,
    ) -> None:
        """Apply ``fault`` to the next ``times`` requests matching ``kind_or_predicate``.

        kind_or_predicate: a kind ("values.append", …), "read", "write", "*"/None (any), or a
        callable taking a :class:`RequestRecord`. fault: 429 / 500 / 503 / any status code,
        ``slow(seconds)``, ``"drop"`` / ``DROP``, ``"drop_after_apply"`` / ``DROP_AFTER_APPLY``,
        or ``http_error(code, retry_after)``. ``retry_after`` is the Retry-After header (seconds)
        sent with 429 answers (None = no header).
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._injections.append(
                _Injection(_matcher(kind_or_predicate), _as_fault(fault, retry_after), times)
            )

    def chaos(
        self,
        rate: float,
        seed: int,
        faults: Iterable[FaultSpec] = (429, 500, 503, "drop"),
        *,
        kinds: str | Callable[[RequestRecord], bool] | None = None,
        retry_after: float | None = 0,
    ) -> None:
        """Random faults: each matching request fails with probability ``rate``, the fault drawn
        from ``faults``. Deterministic for a given seed and request order. ``rate=0`` disables."""
        with self._lock:
            if rate <= 0:
                self._chaos = None
                return
            fault_list = [_as_fault(f, retry_after) for f in faults]
            if not fault_list:
                raise ValueError("chaos needs at least one fault")
            self._chaos = (rate, random.Random(seed), fault_list, _matcher(kinds))

    def clear_faults(self) -> None:
        with self._lock:
            self._injections.clear()
            self._chaos = None

    def pending_faults(self) -> int:
        with self._lock:
            return sum(i.remaining for i in self._injections)

    # ---- internals: helpers -------------------------------------------------------------------

    def _make_id(self, title: str) -> str:
        digest = hashlib.sha256(f"{self._counter}:{title}".encode()).hexdigest()
        return ("1Fake" + digest)[:44]

    @staticmethod
    def _sheet_id(ss: _Spreadsheet) -> int:
        ss.next_sheet_id += 1
        return 100_000_000 + ss.next_sheet_id * 7_919

    def _now(self) -> str:
        moment = dt.datetime.fromtimestamp(self._clock(), dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def _touch(self, ss: _Spreadsheet, *, removed: bool = False) -> None:
        ss.modified = self._now()
        self._changes.append((ss.spreadsheet_id, removed or not ss.shared, ss.modified))

    def _ss(self, spreadsheet_id: str) -> _Spreadsheet:
        try:
            return self._spreadsheets[spreadsheet_id]
        except KeyError:
            raise KeyError(f"no spreadsheet {spreadsheet_id!r}") from None

    def _sheet(self, spreadsheet_id: str, sheet_name: str) -> _Sheet:
        for sh in self._ss(spreadsheet_id).sheets:
            if sh.title == sheet_name:
                return sh
        raise KeyError(f"no sheet {sheet_name!r} in {spreadsheet_id!r}")

    @staticmethod
    def _write_block(sheet: _Sheet, r0: int, c0: int, data: list[list[Any]], input_option: str) -> None:
        for i, row in enumerate(data):
            for j, value in enumerate(row):
                if value is None:
                    continue  # null leaves the cell unchanged
                cell = _to_cell(value, input_option)
                if cell is None:
                    sheet.cells.pop((r0 + i, c0 + j), None)
                else:
                    sheet.cells[(r0 + i, c0 + j)] = cell

    def _pick_fault(self, rec: RequestRecord) -> Fault | None:
        with self._lock:
            for inj in self._injections:
                if inj.remaining > 0 and inj.match(rec):
                    inj.remaining -= 1
                    if inj.remaining == 0:
                        self._injections.remove(inj)
                    return inj.fault
            if self._chaos is not None:
                rate, rng, faults, match = self._chaos
                if match(rec):
                    roll = rng.random()
                    choice = rng.choice(faults)
                    if roll < rate:
                        return choice
        return None

    # ---- internals: request handling -----------------------------------------------------------

    def _route(self, method: str, raw_path: str) -> tuple[str, str | None, str | None]:
        """-> (kind, spreadsheet id, range) from the raw (still percent-encoded) path."""
        path = urlsplit(raw_path).path
        drive = {
            "/drive/v3/changes/startPageToken": "drive.changes.getStartPageToken",
            "/drive/v3/changes": "drive.changes.list",
            "/drive/v3/files": "drive.files.list",
        }
        if path.rstrip("/") in drive and method == "GET":
            return drive[path.rstrip("/")], None, None
        if path.startswith("/drive/v3/files/") and method == "GET":
            rest = path[len("/drive/v3/files/") :]
            if "/" not in rest:
                return "drive.files.get", unquote(rest), None
            return "unknown", None, None
        prefix = "/v4/spreadsheets/"
        if not path.startswith(prefix):
            return "unknown", None, None
        rest = path[len(prefix) :]
        if "/" not in rest:
            if rest.endswith(":batchUpdate") and method == "POST":
                return "spreadsheets.batchUpdate", unquote(rest[: -len(":batchUpdate")]), None
            if ":" not in rest and method == "GET":
                return "spreadsheets.get", unquote(rest), None
            return "unknown", None, None
        sid, _, sub = rest.partition("/")
        sid = unquote(sid)
        simple = {
            ("GET", "values:batchGet"): "values.batchGet",
            ("POST", "values:batchUpdate"): "values.batchUpdate",
            ("POST", "values:batchClear"): "values.batchClear",
        }
        if (method, sub) in simple:
            return simple[(method, sub)], sid, None
        if sub.startswith("values/"):
            rng = sub[len("values/") :]
            if method == "POST" and rng.endswith(":append"):
                return "values.append", sid, unquote(rng[: -len(":append")])
            if method == "POST" and rng.endswith(":clear"):
                return "values.clear", sid, unquote(rng[: -len(":clear")])
            if method == "GET":
                return "values.get", sid, unquote(rng)
            if method == "PUT":
                return "values.update", sid, unquote(rng)
        return "unknown", sid, None

    def _dispatch(self, rec: RequestRecord, rng: str | None) -> tuple[int, dict[str, Any]]:
        """Apply one request under the lock. Returns (status, JSON body)."""
        with self._lock:
            if rec.kind == "unknown":
                raise _ApiError(404, f"Method not found: {rec.method} {rec.path}", "NOT_FOUND")
            q = {k: v[-1] for k, v in rec.query.items()}
            if rec.spreadsheet_id is None and rec.kind.startswith("drive."):
                return 200, getattr(self, "_h_" + rec.kind.replace(".", "_"))(q)
            ss = self._spreadsheets.get(rec.spreadsheet_id or "")
            if ss is None:
                raise _ApiError(404, "Requested entity was not found.")
            if not ss.shared:
                raise _ApiError(403, "The caller does not have permission")
            handler = getattr(self, "_h_" + rec.kind.replace(".", "_"))
            return 200, handler(ss, rec, q, rng)

    # spreadsheets.get
    def _h_spreadsheets_get(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "spreadsheetId": ss.spreadsheet_id,
            "properties": {
                "title": ss.title,
                "locale": "en_US",
                "autoRecalc": "ON_CHANGE",
                "timeZone": "Asia/Jakarta",
            },
            "sheets": [{"properties": sh.properties()} for sh in ss.ordered()],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{ss.spreadsheet_id}/edit",
        }
        fields = q.get("fields")
        if fields:
            wanted = {re.split(r"[.(/]", f.strip(), maxsplit=1)[0] for f in _top_level_split(fields)}
            body = {k: v for k, v in body.items() if k in wanted}
        return body

    # Drive v3: changes and file lists
    def _file_resource(self, ss: _Spreadsheet) -> dict[str, Any]:
        return {
            "kind": "drive#file",
            "id": ss.spreadsheet_id,
            "name": ss.title,
            "mimeType": "application/vnd.google-apps.spreadsheet",
            "modifiedTime": ss.modified,
            "trashed": False,
        }

    def _h_drive_changes_getStartPageToken(self, q: dict[str, str]) -> dict[str, Any]:
        return {"kind": "drive#startPageToken", "startPageToken": str(len(self._changes))}

    def _h_drive_changes_list(self, q: dict[str, str]) -> dict[str, Any]:
        token = q.get("pageToken", "")
        if not token.isdigit() or int(token) > len(self._changes):
            raise _ApiError(400, f"Invalid Value: pageToken '{token}'")
        size = int(q.get("pageSize", "100") or 100)
        if not 1 <= size <= 1000:
            raise _ApiError(400, f"Invalid Value: pageSize {size} (1..1000)")
        start = int(token)
        latest: dict[str, tuple[int, bool, str]] = {}  # one change per file: its latest
        for index in range(start, len(self._changes)):
            file_id, removed, when = self._changes[index]
            latest.pop(file_id, None)
            latest[file_id] = (index, removed, when)
        items = sorted(latest.items(), key=lambda item: item[1][0])
        page, rest = items[:size], items[size:]
        changes = []
        for file_id, (_index, removed, when) in page:
            ss = self._spreadsheets.get(file_id)
            gone = removed or ss is None or not ss.shared
            change: dict[str, Any] = {
                "kind": "drive#change",
                "changeType": "file",
                "fileId": file_id,
                "removed": gone,
                "time": when,
            }
            if not gone and ss is not None:
                change["file"] = self._file_resource(ss)
            changes.append(change)
        body: dict[str, Any] = {"kind": "drive#changeList", "changes": changes}
        if rest:
            body["nextPageToken"] = str(rest[0][1][0])
        else:
            body["newStartPageToken"] = str(len(self._changes))
        return body

    def _h_drive_files_list(self, q: dict[str, str]) -> dict[str, Any]:
        query = q.get("q", "")
        after = re.search(r"modifiedTime\s*>\s*'([^']+)'", query)
        since = after.group(1) if after else ""
        size = int(q.get("pageSize", "100") or 100)
        offset = int(q.get("pageToken", "0") or 0)
        files = [
            self._file_resource(ss)
            for ss in self._spreadsheets.values()
            if ss.shared and _drive_time(ss.modified) > _drive_time(since)
        ]
        files.sort(key=lambda f: f["modifiedTime"])
        body: dict[str, Any] = {"kind": "drive#fileList", "files": files[offset : offset + size]}
        if offset + size < len(files):
            body["nextPageToken"] = str(offset + size)
        return body

    def _h_drive_files_get(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        return {
            "id": ss.spreadsheet_id,
            "name": ss.title,
            "createdTime": ss.created,
            "modifiedTime": ss.modified,
        }

    # values.get / values.batchGet
    def _read_range(self, ss: _Spreadsheet, rng: str, q: dict[str, str]) -> dict[str, Any]:
        render = q.get("valueRenderOption", "FORMATTED_VALUE")
        if render not in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"):
            raise _ApiError(400, f"Invalid value at 'value_render_option' ({render})")
        date_render = q.get("dateTimeRenderOption", "SERIAL_NUMBER")
        major = q.get("majorDimension", "ROWS") or "ROWS"
        if major not in ("ROWS", "COLUMNS"):
            raise _ApiError(400, f"Invalid value at 'major_dimension' ({major})")
        target = _resolve(ss, rng)
        sheet, b = target.sheet, target.bounds
        r1, c1 = b.r1 or 0, b.c1 or 0
        if r1 >= sheet.rows or c1 >= sheet.cols:
            raise sheet.exceeds(sheet.a1(r1, c1, r1, c1))
        r2 = sheet.rows - 1 if b.r2 is None else min(b.r2, sheet.rows - 1)
        c2 = sheet.cols - 1 if b.c2 is None else min(b.c2, sheet.cols - 1)
        out: dict[str, Any] = {"range": sheet.a1(r1, c1, r2, c2), "majorDimension": major}
        values = _read(sheet, r1, c1, r2, c2, render, date_render, major)
        if values:
            out["values"] = values
        return out

    def _h_values_get(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        return self._read_range(ss, rng or "", q)

    def _h_values_batchGet(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        ranges = rec.query.get("ranges", [])
        return {
            "spreadsheetId": ss.spreadsheet_id,
            "valueRanges": [self._read_range(ss, r, q) for r in ranges],
        }

    # values.update / values.batchUpdate
    def _plan_write(
        self, ss: _Spreadsheet, rng: str, body: dict[str, Any]
    ) -> tuple[_Sheet, int, int, list[list[Any]]]:
        if not isinstance(body, dict):
            raise _ApiError(400, "Invalid JSON payload received.")
        values = body.get("values") or []
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise _ApiError(400, "Invalid JSON payload received. Expected a list of lists at 'values'.")
        if (body.get("majorDimension") or "ROWS") == "COLUMNS":
            height = max((len(c) for c in values), default=0)
            values = [[col[i] if i < len(col) else None for col in values] for i in range(height)]
        target = _resolve(ss, rng)
        sheet, b = target.sheet, target.bounds
        r1, c1 = b.r1 or 0, b.c1 or 0
        height = len(values)
        width = max((len(r) for r in values), default=0)
        label = sheet.a1(r1, c1, b.r2 if b.r2 is not None else r1, b.c2 if b.c2 is not None else c1)
        single_cell = b.r1 == b.r2 and b.c1 == b.c2
        if not target.whole_sheet and not single_cell:
            # a single cell is only an anchor; any other range must hold all the data
            if b.r2 is not None and r1 + height - 1 > b.r2:
                raise _ApiError(
                    400,
                    f"Requested writing within range [{label}], but tried writing to row [{r1 + height}]",
                )
            if b.c2 is not None and c1 + width - 1 > b.c2:
                raise _ApiError(
                    400,
                    f"Requested writing within range [{label}], but tried writing to column "
                    f"[{col_letters(c1 + width - 1)}]",
                )
        if height and (r1 + height > sheet.rows or c1 + width > sheet.cols):
            raise sheet.exceeds(sheet.a1(r1, c1, r1 + height - 1, c1 + max(width, 1) - 1))
        if r1 >= sheet.rows or c1 >= sheet.cols:
            raise sheet.exceeds(label)
        return sheet, r1, c1, values

    @staticmethod
    def _input_option(value: Any) -> str:
        if value in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
            raise _ApiError(400, "'valueInputOption' is required but not specified")
        if value not in ("RAW", "USER_ENTERED"):
            raise _ApiError(400, f"Invalid value at 'value_input_option' ({value})")
        return value

    def _update_result(
        self, ss: _Spreadsheet, sheet: _Sheet, r1: int, c1: int, values: list[list[Any]]
    ) -> dict[str, Any]:
        height = len(values)
        width = max((len(r) for r in values), default=0)
        out: dict[str, Any] = {"spreadsheetId": ss.spreadsheet_id}
        if height and width:
            out.update(
                updatedRange=sheet.a1(r1, c1, r1 + height - 1, c1 + width - 1),
                updatedRows=height,
                updatedColumns=width,
                updatedCells=sum(len(r) for r in values),
            )
        else:
            out["updatedRange"] = sheet.a1(r1, c1, r1, c1)
        return out

    def _h_values_update(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        option = self._input_option(q.get("valueInputOption"))
        sheet, r1, c1, values = self._plan_write(ss, rng or "", rec.body or {})
        self._write_block(sheet, r1, c1, values, option)
        self._touch(ss)
        out = self._update_result(ss, sheet, r1, c1, values)
        return self._with_values(out, sheet, q, "responseValueRenderOption")

    def _h_values_batchUpdate(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        body = rec.body or {}
        option = self._input_option(body.get("valueInputOption"))
        plans = [
            self._plan_write(ss, d.get("range", ""), d) for d in body.get("data") or []
        ]  # validate all first
        responses = []
        for sheet, r1, c1, values in plans:
            self._write_block(sheet, r1, c1, values, option)
            responses.append(self._update_result(ss, sheet, r1, c1, values))
        if plans:
            self._touch(ss)
        out: dict[str, Any] = {"spreadsheetId": ss.spreadsheet_id}
        if responses:
            out.update(
                totalUpdatedRows=sum(r.get("updatedRows", 0) for r in responses),
                totalUpdatedColumns=sum(r.get("updatedColumns", 0) for r in responses),
                totalUpdatedCells=sum(r.get("updatedCells", 0) for r in responses),
                totalUpdatedSheets=len({p[0].sheet_id for p in plans}),
                responses=responses,
            )
        return out

    def _with_values(
        self, out: dict[str, Any], sheet: _Sheet, q: dict[str, str], render_key: str
    ) -> dict[str, Any]:
        if q.get("includeValuesInResponse", "").lower() == "true" and "updatedRange" in out:
            read_q = {"valueRenderOption": q.get(render_key, "FORMATTED_VALUE")}
            ss = self._spreadsheets[out["spreadsheetId"]]
            out["updatedData"] = self._read_range(ss, out["updatedRange"], read_q)
        return out

    # values.append
    def _h_values_append(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        option = self._input_option(q.get("valueInputOption"))
        insert = q.get("insertDataOption", "OVERWRITE") or "OVERWRITE"
        if insert not in ("OVERWRITE", "INSERT_ROWS"):
            raise _ApiError(400, f"Invalid value at 'insert_data_option' ({insert})")
        body = rec.body or {}
        values = body.get("values") or []
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise _ApiError(400, "Invalid JSON payload received. Expected a list of lists at 'values'.")
        if (body.get("majorDimension") or "ROWS") == "COLUMNS":
            height = max((len(c) for c in values), default=0)
            values = [[col[i] if i < len(col) else None for col in values] for i in range(height)]
        target = _resolve(ss, rng or "")
        sheet, b = target.sheet, target.bounds
        r1, c1 = b.r1 or 0, b.c1 or 0
        if r1 >= sheet.rows or c1 >= sheet.cols:
            raise sheet.exceeds(sheet.a1(r1, c1, r1, c1))
        r2 = sheet.rows - 1 if b.r2 is None else min(b.r2, sheet.rows - 1)
        c2 = sheet.cols - 1 if b.c2 is None else min(b.c2, sheet.cols - 1)
        # the "table": everything with data inside the range; append after its last row,
        # starting at its first column
        occupied = [(r, c) for (r, c) in sheet.cells if r1 <= r <= r2 and c1 <= c <= c2]
        out: dict[str, Any] = {"spreadsheetId": ss.spreadsheet_id}
        if occupied:
            top = min(r for r, _ in occupied)
            last = max(r for r, _ in occupied)
            left = min(c for _, c in occupied)
            right = max(c for _, c in occupied)
            out["tableRange"] = sheet.a1(top, left, last, right)
            start_row, start_col = last + 1, left
        else:
            start_row, start_col = r1, c1
        height = len(values)
        width = max((len(r) for r in values), default=0)
        if height:
            if insert == "INSERT_ROWS":
                sheet.insert_rows(start_row, height)
            elif start_row + height > sheet.rows:
                sheet.rows = start_row + height  # append grows the grid
            if start_col + width > sheet.cols:
                sheet.cols = start_col + width
            self._write_block(sheet, start_row, start_col, values, option)
            self._touch(ss)
        updates = self._update_result(ss, sheet, start_row, start_col, values)
        out["updates"] = self._with_values(updates, sheet, q, "responseValueRenderOption")
        return out

    # values.clear / values.batchClear
    def _clear(self, ss: _Spreadsheet, rng: str) -> str:
        target = _resolve(ss, rng)
        sheet, b = target.sheet, target.bounds
        r1, c1 = b.r1 or 0, b.c1 or 0
        r2 = sheet.rows - 1 if b.r2 is None else min(b.r2, sheet.rows - 1)
        c2 = sheet.cols - 1 if b.c2 is None else min(b.c2, sheet.cols - 1)
        for key in [k for k in sheet.cells if r1 <= k[0] <= r2 and c1 <= k[1] <= c2]:
            del sheet.cells[key]
        self._touch(ss)
        return sheet.a1(r1, c1, r2, c2)

    def _h_values_clear(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        _resolve(ss, rng or "")
        return {"spreadsheetId": ss.spreadsheet_id, "clearedRange": self._clear(ss, rng or "")}

    def _h_values_batchClear(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        ranges = (rec.body or {}).get("ranges") or []
        for r in ranges:
            _resolve(ss, r)  # validate all first
        return {"spreadsheetId": ss.spreadsheet_id, "clearedRanges": [self._clear(ss, r) for r in ranges]}

    # spreadsheets.batchUpdate (atomic: applied to a copy, committed only if every request succeeds)
    def _h_spreadsheets_batchUpdate(
        self, ss: _Spreadsheet, rec: RequestRecord, q: dict[str, str], rng: str | None
    ) -> dict[str, Any]:
        reqs = (rec.body or {}).get("requests")
        if not isinstance(reqs, list) or not reqs:
            raise _ApiError(400, "Invalid requests: must specify at least one request.")
        work = copy.deepcopy(ss)
        replies = []
        for i, req in enumerate(reqs):
            if not isinstance(req, dict) or len(req) != 1:
                raise _ApiError(400, f"Invalid requests[{i}]: exactly one kind of request must be set.")
            ((name, payload),) = req.items()
            fn = getattr(self, "_r_" + name, None)
            if fn is None:
                if name in _RECORDED_ONLY:
                    fn = self._r_recorded
                else:
                    raise _ApiError(
                        400,
                        f"Invalid JSON payload received. Unknown name \"{name}\" at 'requests[{i}]': "
                        "Cannot find field.",
                    )
            try:
                reply = fn(work, payload or {}, name) if fn == self._r_recorded else fn(work, payload or {})
            except _ApiError as err:
                raise _ApiError(400, f"Invalid requests[{i}].{name}: {err.message}") from None
            work.requests.append(copy.deepcopy(req))
            replies.append(reply)
        self._spreadsheets[ss.spreadsheet_id] = work
        self._touch(work)
        return {"spreadsheetId": ss.spreadsheet_id, "replies": replies}

    def _grid_sheet(self, ss: _Spreadsheet, sheet_id: Any) -> _Sheet:
        sheet = ss.by_id(sheet_id if sheet_id is not None else 0)
        if sheet is None:
            raise _ApiError(400, f"No grid with id: {sheet_id}")
        return sheet

    def _r_addSheet(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        props = payload.get("properties") or {}
        title = props.get("title") or f"Sheet{len(ss.sheets) + 1}"
        if ss.by_title(title) is not None:
            raise _ApiError(
                400, f'A sheet with the name "{title}" already exists. Please enter another name.'
            )
        if "sheetId" in props:
            sheet_id = int(props["sheetId"])
            if ss.by_id(sheet_id) is not None:
                raise _ApiError(400, f"Sheet with id {sheet_id} already exists.")
        else:
            sheet_id = self._sheet_id(ss)
        grid = props.get("gridProperties") or {}
        index = props.get("index", len(ss.sheets))
        for sh in ss.sheets:
            if sh.index >= index:
                sh.index += 1
        sheet = _Sheet(
            sheet_id=sheet_id,
            title=title,
            index=index,
            rows=int(grid.get("rowCount", DEFAULT_ROWS)),
            cols=int(grid.get("columnCount", DEFAULT_COLS)),
            frozen_rows=int(grid.get("frozenRowCount", 0)),
            frozen_cols=int(grid.get("frozenColumnCount", 0)),
            hidden=bool(props.get("hidden", False)),
        )
        ss.sheets.append(sheet)
        ss.reindex()
        return {"addSheet": {"properties": sheet.properties()}}

    def _r_deleteSheet(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        sheet = self._grid_sheet(ss, payload.get("sheetId"))
        if len(ss.sheets) == 1:
            raise _ApiError(400, "You can't remove all the sheets in a document.")
        ss.sheets.remove(sheet)
        ss.reindex()
        return {}

    def _r_updateSheetProperties(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        props = payload.get("properties") or {}
        sheet = self._grid_sheet(ss, props.get("sheetId"))
        fields = payload.get("fields")
        if not fields:
            raise _ApiError(400, "At least one field must be updated, but none were specified.")
        paths = [f.strip().replace(".", "/") for f in _top_level_split(fields)]
        if "*" in paths:
            paths = ["title", "index", "hidden", "gridProperties"]
        grid = props.get("gridProperties") or {}
        for path in paths:
            if path == "title":
                title = props.get("title", "")
                other = ss.by_title(title)
                if other is not None and other is not sheet:
                    raise _ApiError(
                        400, f'A sheet with the name "{title}" already exists. Please enter another name.'
                    )
                sheet.title = title
            elif path == "index":
                others = [x for x in ss.ordered() if x is not sheet]
                others.insert(max(0, min(int(props.get("index", 0)), len(others))), sheet)
                for i, x in enumerate(others):
                    x.index = i
            elif path == "hidden":
                sheet.hidden = bool(props.get("hidden", False))
            elif path.startswith("gridProperties"):
                sub = path.partition("/")[2]
                keys = [sub] if sub else list(grid)
                for key in keys:
                    value = int(grid.get(key, 0))
                    if key == "frozenRowCount":
                        if value >= sheet.rows:
                            raise _ApiError(400, "You can't freeze all visible rows on the sheet.")
                        sheet.frozen_rows = value
                    elif key == "frozenColumnCount":
                        if value >= sheet.cols:
                            raise _ApiError(400, "You can't freeze all visible columns on the sheet.")
                        sheet.frozen_cols = value
                    elif key == "rowCount":
                        if value < 1:
                            raise _ApiError(400, "rowCount must be positive")
                        sheet.cells = {k: v for k, v in sheet.cells.items() if k[0] < value}
                        sheet.rows = value
                    elif key == "columnCount":
                        if value < 1:
                            raise _ApiError(400, "columnCount must be positive")
                        sheet.cells = {k: v for k, v in sheet.cells.items() if k[1] < value}
                        sheet.cols = value
        return {}

    def _r_setDataValidation(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        grid_range = payload.get("range") or {}
        sheet = self._grid_sheet(ss, grid_range.get("sheetId"))
        rule = payload.get("rule")
        # a new rule replaces any earlier rule on the same range; no rule clears it
        sheet.validations = [v for v in sheet.validations if v["range"] != grid_range]
        if rule:
            sheet.validations.append({"range": copy.deepcopy(grid_range), "rule": copy.deepcopy(rule)})
        return {}

    def _r_insertDimension(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        rng = payload.get("range") or {}
        sheet = self._grid_sheet(ss, rng.get("sheetId"))
        start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
        if end <= start:
            raise _ApiError(400, "endIndex must be greater than startIndex")
        if rng.get("dimension") == "COLUMNS":
            sheet.insert_cols(start, end - start)
        else:
            sheet.insert_rows(start, end - start)
        return {}

    def _r_deleteDimension(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        rng = payload.get("range") or {}
        sheet = self._grid_sheet(ss, rng.get("sheetId"))
        cols = rng.get("dimension") == "COLUMNS"
        limit = sheet.cols if cols else sheet.rows
        start = int(rng.get("startIndex", 0))
        end = int(rng.get("endIndex", limit))
        if not 0 <= start < end <= limit:
            raise _ApiError(400, "Invalid dimension range")
        if end - start >= limit:
            raise _ApiError(400, "You can't delete all the rows on the sheet.")
        (sheet.delete_cols if cols else sheet.delete_rows)(start, end)
        return {}

    def _r_appendDimension(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        sheet = self._grid_sheet(ss, payload.get("sheetId"))
        length = int(payload.get("length", 0))
        if length < 1:
            raise _ApiError(400, "length must be positive")
        if payload.get("dimension") == "COLUMNS":
            sheet.cols += length
        else:
            sheet.rows += length
        return {}

    def _r_updateCells(self, ss: _Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
        """updateCells from ``start`` with ``fields`` covering userEnteredValue: the values are
        written (strings and numbers as entered, RAW); other fields are only recorded."""
        self._r_recorded(ss, payload, "updateCells")
        start = payload.get("start")
        fields = str(payload.get("fields") or "")
        if not isinstance(start, dict) or ("userEnteredValue" not in fields and fields != "*"):
            return {}
        sheet = self._grid_sheet(ss, start.get("sheetId"))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        data: list[list[Any]] = []
        for row in payload.get("rows") or []:
            cells = []
            for cell in (row or {}).get("values") or []:
                entered = (cell or {}).get("userEnteredValue") or {}
                value = entered.get(
                    "stringValue", entered.get("numberValue", entered.get("formulaValue", ""))
                )
                cells.append(value)
            data.append(cells)
        if r0 + len(data) > sheet.rows or c0 + max((len(r) for r in data), default=0) > sheet.cols:
            raise sheet.exceeds(sheet.a1(r0, c0, r0 + len(data), c0))
        self._write_block(sheet, r0, c0, data, "RAW")
        return {}

    def _r_recorded(self, ss: _Spreadsheet, payload: dict[str, Any], name: str) -> dict[str, Any]:
        sheet_id = _find_sheet_id(payload)
        sheet = self._grid_sheet(ss, sheet_id)
        sheet.formats.append({name: copy.deepcopy(payload)})
        return {}


# requests accepted and recorded (see FakeSheetsServer.formats) without modelling their effect
_RECORDED_ONLY = frozenset(
    {
        "repeatCell",
        "updateBorders",
        "mergeCells",
        "unmergeCells",
        "updateDimensionProperties",
        "autoResizeDimensions",
        "addConditionalFormatRule",
        "deleteConditionalFormatRule",
        "addProtectedRange",
        "deleteProtectedRange",
        "setBasicFilter",
        "clearBasicFilter",
        "addNamedRange",
        "sortRange",
    }
)


def _find_sheet_id(payload: Any) -> Any:
    if isinstance(payload, dict):
        if "sheetId" in payload:
            return payload["sheetId"]
        for v in payload.values():
            found = _find_sheet_id(v)
            if found is not None:
                return found
    elif isinstance(payload, list):
        for v in payload:
            found = _find_sheet_id(v)
            if found is not None:
                return found
    return None


def _top_level_split(fields: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in fields:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p for p in (s.strip() for s in parts) if p]


def _read(
    sheet: _Sheet, r1: int, c1: int, r2: int, c2: int, render: str, date_render: str, major: str
) -> list[list[Any]]:
    """Values in the box, trailing empty cells of each row and trailing empty rows omitted."""
    by_row: dict[int, dict[int, _Cell]] = {}
    for (r, c), cell in sheet.cells.items():
        if r1 <= r <= r2 and c1 <= c <= c2:
            if major == "COLUMNS":
                by_row.setdefault(c - c1, {})[r - r1] = cell
            else:
                by_row.setdefault(r - r1, {})[c - c1] = cell
    if not by_row:
        return []
    out: list[list[Any]] = []
    for i in range(max(by_row) + 1):
        line = by_row.get(i, {})
        if not line:
            out.append([])
            continue
        out.append([_render(line[j], render, date_render) if j in line else "" for j in range(max(line) + 1)])
    return out


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSheetsServer  # set on the bound subclass
    protocol_version = "HTTP/1.1"
    server_version = "ESF"  # Google's front end says so too
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes; without this, Nagle + delayed ACK add ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep quiet in tests
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header, ``fake.date_skew`` seconds off the real clock when set."""
        return super().date_time_string(time.time() + self.fake.date_skew if timestamp is None else timestamp)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        kind, sid, rng = fake._route(method, self.path)
        rec = RequestRecord(
            method=method,
            path=unquote(split.path),
            query=parse_qs(split.query, keep_blank_values=True),
            body=None,
            kind=kind,
            spreadsheet_id=sid,
        )
        bad_json = False
        if raw:
            try:
                rec.body = json.loads(raw)
            except ValueError:
                bad_json = True
        with fake._lock:
            fake._log.append(rec)
        if kind != "unknown" and fake._over_quota(rec, self.headers.get("Authorization", "")):
            rec.fault = "quota"
            rec.status = 429
            self._send(429, _fault_error(429, kind).body())
            return
        fault = fake._pick_fault(rec)
        if fault is not None:
            rec.fault = fault.label()
            if fault.kind == "status":
                err = _fault_error(fault.status, kind)
                headers = {}
                if fault.retry_after is not None and fault.status in (429, 503):
                    headers["Retry-After"] = f"{fault.retry_after:g}"
                self._send(fault.status, err.body(), headers)
                rec.status = fault.status
                return
            if fault.kind == "drop":
                self._drop()
                return
            if fault.kind == "slow":
                fake._stopping.wait(fault.seconds)
        try:
            if bad_json:
                raise _ApiError(400, "Invalid JSON payload received.")
            status, body = fake._dispatch(rec, rng)
            rec.applied = True
        except _ApiError as err:
            status, body = err.code, err.body()
        except Exception as exc:  # a bug in the fake: answer 500 rather than hang the client
            status, body = 500, _ApiError(500, f"fake server error: {exc!r}").body()
        if fault is not None and fault.kind == "drop_after_apply":
            self._drop()
            return
        rec.status = status
        self._send(status, body)

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Origin, X-Origin, Referer")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. its timeout)
            self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _drive_time(text: str) -> str:
    """An RFC 3339 time comparable as text (``2024-01-02T03:04:05Z`` -> with milliseconds)."""
    if not text:
        return ""
    text = text.rstrip("Z")
    if "." not in text:
        text += ".000"
    return text + "Z"


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, interval: float = 0.01) -> bool:
    """Poll ``predicate`` until true (for requests a client abandoned, e.g. after a timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
