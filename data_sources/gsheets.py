"""A register kept in Google Sheets, read and written with gspread 6 (no st-gsheets-connection).

Reads
    All register worksheets of one spreadsheet come back in ONE ``values.batchGet``
    (FORMATTED_VALUE: the text a petugas sees). The worksheet list and sheet ids are fetched
    once (``spreadsheets.get``) and kept on the source object, so a refresh costs 2 requests
    the first time and 1 afterwards, whatever the number of desa worksheets.

Writes (one complaint at a time, found by its Nomor, never by a cached row position)
    Every write carries the form's ``submission_id``; every audit row of it has that id in the
    column ``ID Kiriman`` of ``Riwayat``. Order of one save, all under the complaint's lease:

    1. claim the lease (below); the claim row also carries the save's audit rows as JSON
       (write-ahead; for a new complaint written with its Nomor just before the row is appended);
       an earlier save of the same complaint that failed or died after its cells and before its
       audit rows is completed now from its claim row (``_recover``);
    2. read Riwayat: the id already there = a replay (double click, rerun, a retry minutes after
       a lost answer) -> return the original result (same row / same Nomor), ``replayed=True``,
       write nothing;
    3. read the worksheet, find the ONE row holding the key, refuse (ConcurrentChange) when a
       field being edited no longer holds what the user loaded — unless it already holds the new
       values AND an earlier attempt of this same submission claimed the complaint (its cells
       landed, its audit rows did not): then only the audit rows are written (recovery);
    4. write exactly the changed cells in ONE ``values.batchUpdate`` (RAW: ``=IMPORTXML(..)``
       stays text); for a new complaint first write its Nomor into the claim row (write-ahead),
       then ONE ``values.append`` of the row;
    5. append the audit rows (with the id) to Riwayat in ONE ``values.append``;
    6. release the claim (status ``selesai``; the write-ahead rows are cleared: personal data).

    Cells go before audit rows so that an audit row never claims a change that was not made; a
    change whose audit rows are missing (the save failed or died between 4 and 5) keeps its
    write-ahead rows in its claim, and the next holder of the same lease — the user's retry with
    the same id, or anybody's next save of that complaint — appends them when the cells hold the
    new values (``pulih``), before doing anything else. Riwayat is append-only.

Concurrent saves (across sessions, server processes and machines)
    The Sheets API has no conditional write, so saves of one complaint exclude each other with a
    lease: a claim row ``epoch | <sheet>!<Nomor> | submission id | token | status | Nomor`` is
    appended to the hidden sheet ``_Kunci Pantau`` (created with its header row in ONE atomic
    batchUpdate, so no claim lands on the header row and no header is written over a claim).
    Google applies appends one after another,
    so every claimant that reads the control sheet after its own append sees the same order; the
    earliest live claim holds the lease and later ones wait (polling, up to ``LeasePolicy.wait``)
    for its release (at most half the lease; a save that waited renews its claim's time), then do
    their own read-check-write: a change to the same field is refused,
    changes to different fields are both kept. New complaints of one sheet share the lease
    ``<sheet>!(baru)``, so two new complaints never get the same Nomor; the after-write check
    (``_settle_key``: the row appended first keeps a duplicated Nomor, later ones renumber) stays
    for rows typed by hand. A claim whose holder died expires after ``LeasePolicy.seconds``; a
    holder never sends a write after half of that. What remains (README, Google Sheets): a write
    that Google applies more than ``LeasePolicy.seconds / 2`` after it was sent, and edits typed
    by hand in the Google Sheet UI during one round trip between the check and the write.

Faults
    429 and 5xx answers, dropped connections and timeouts are retried with bounded exponential
    backoff and full jitter (tenacity), honouring ``Retry-After`` up to a cap. A write whose
    answer was lost may have been applied, so before sending it again the source re-reads and
    checks (after a timeout it first waits twice the request timeout for a late application):
    the cells already hold the new values / the id is already in Riwayat / the row with the Nomor
    written ahead is there. A copy of audit rows that Google applies even later (after the retry)
    carries the same id: :meth:`GoogleSheetsSource.read_audit` shows it once and the next save
    deletes it (ONE batchUpdate under the spreadsheet's ``(Riwayat)`` lease). What still fails is
    raised as :class:`SourceError` with the reason; the user's retry with the same submission id
    finishes the save exactly once.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import gspread
import requests
from gspread.exceptions import APIError
from gspread.utils import absolute_range_name, extract_id_from_url, rowcol_to_a1
from tenacity import RetryCallState, Retrying, retry_if_exception_type

from data_sources.base import (
    AUDIT_ID_COLUMN,
    AlreadyRecorded,
    AppendResult,
    ConcurrentChange,
    DuplicateKey,
    KeyFactory,
    SheetGrid,
    SourceError,
    UpdateResult,
    audit_ids,
    keys_in_use,
    readable_text,
    stamp_audit_rows,
)
from data_sources.local_file import (
    _add_column,
    _find_header,
    _find_row,
    _same,
    check_cell_lengths,
    renamed_headers,
)
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET, NOTIFICATION_SHEET, SURVEY_SHEET
from metrics.text import Text

__all__ = [
    "ApiBaseSession",
    "GSheetsConfig",
    "CONTROL_SHEET",
    "GoogleSheetsSource",
    "LAYOUTS",
    "LeasePolicy",
    "RetryPolicy",
    "SourceStats",
    "cell_link",
    "make_client",
    "spreadsheet_key",
]

GOOGLE_ORIGINS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")
LAYOUTS = ("per_desa_worksheet", "per_desa_spreadsheet", "single_worksheet")
SERVICE_ACCOUNT_FIELDS = ("type", "project_id", "private_key_id", "private_key", "client_email", "token_uri")
_REQUIRED_SA_FIELDS = ("type", "private_key", "client_email", "token_uri")
_TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_SHEET_URL = "https://docs.google.com/spreadsheets/d/{key}/edit#gid={gid}"
# Hidden sheet holding one claim row per save (see "Concurrent saves" in the module docstring).
CONTROL_SHEET = "_Kunci Pantau"
SHEETS_CELL_LIMIT = 50_000  # characters one Google Sheets cell holds
CONTROL_HEADER = ("Waktu (epoch)", "Kunci", "ID Kiriman", "Token", "Status", "Nomor", "Riwayat tertunda")
# the app's own sheets beside the register: never read as register rows
NOT_REGISTER_SHEETS = frozenset({AUDIT_SHEET, CONTROL_SHEET, SURVEY_SHEET, NOTIFICATION_SHEET})
_RANGE_RE = re.compile(r"!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


# ------------------------------------------------------------------------------------ config
class ApiBaseSession(requests.Session):
    """Sends Google API calls to another base URL (a local fake of the Sheets API in tests).

    Configured with ``[gsheets] api_base_url = "http://127.0.0.1:PORT"``; no credentials
    are used then. Production never sets it.
    """

    def __init__(self, base_url: str, token: str = "local-test") -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"
        self.trust_env = False
        self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, url, *args, **kwargs):
        if isinstance(url, bytes):
            url = url.decode()
        for origin in GOOGLE_ORIGINS:
            if url.startswith(origin):
                url = self.base_url + url[len(origin) :]
                break
        return super().request(method, url, *args, **kwargs)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with full jitter. ``sleep`` is injectable for fast tests."""

    attempts: int = 5  # tries per step, the first included
    initial_wait: float = 0.5  # seconds; doubles per retry, random in [0, limit]
    max_wait: float = 8.0  # cap of one wait
    max_total_wait: float = 20.0  # cap of all waits of one step
    retry_after_cap: float = 10.0  # a longer Retry-After is shortened to this
    timeout: float = 20.0  # seconds per HTTP request
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    seed: int | None = None  # jitter seed (benchmarks)

    @classmethod
    def fast(cls, attempts: int = 5, timeout: float = 5.0) -> RetryPolicy:
        """No waiting at all (tests and benchmarks)."""
        return cls(
            attempts=attempts,
            initial_wait=0,
            max_wait=0,
            max_total_wait=0,
            retry_after_cap=0,
            timeout=timeout,
            sleep=lambda _s: None,
            seed=0,
        )


@dataclass
class SourceStats:
    """What happened on the wire, for diagnostics (bench/bench_sheets.py)."""

    requests: int = 0  # requests sent (retries included)
    transient_errors: int = 0  # 429/5xx/drops/timeouts seen
    retries: int = 0  # steps tried again after a transient error
    verified_applied: int = 0  # writes found already applied when checking before a retry
    surfaced_errors: int = 0  # SourceError raised after the retries ran out
    lease_waits: int = 0  # looks at the control sheet while another save held the complaint
    unreleased: int = 0  # claims that could not be released (they expire)
    recovered: int = 0  # half-done saves of others completed (their audit rows written)
    replays: int = 0  # submissions found already recorded: nothing written
    copies_removed: int = 0  # late copies of audit rows deleted


@dataclass(frozen=True)
class LeasePolicy:
    """How saves of one complaint exclude each other across sessions and processes."""

    seconds: float = 60.0  # a claim older than this is dead (its holder stopped mid-save)
    wait: float = 20.0  # how long a save waits for another save of the same complaint (<= seconds / 2)
    poll: float = 0.2  # seconds between looks at the control sheet (jittered)
    window: int = 500  # claim rows looked at (the most recent ones)
    clock: Callable[[], float] = field(default=time.time, compare=False, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    # Claims written by different servers are compared by their clocks: each server's clock must be
    # within this many seconds of Google's (the API's HTTP ``Date`` header), so that two servers
    # differ by at most twice this (well inside the lease). ``wall`` is the clock compared (the
    # real clock; tests may drive ``clock`` by hand).
    max_clock_skew: float = 10.0
    wall: Callable[[], float] = field(default=time.time, compare=False, repr=False)


@dataclass(frozen=True)
class GSheetsConfig:
    """The ``[gsheets]`` section of ``.streamlit/secrets.toml`` (see secrets.example.toml)."""

    spreadsheet: str = ""
    layout: str = "per_desa_worksheet"
    worksheet: str = ""  # single_worksheet / per_desa_spreadsheet
    worksheets: tuple[str, ...] = ()  # per_desa_worksheet: only these (optional)
    spreadsheets: Mapping[str, str] = field(default_factory=dict)  # per_desa_spreadsheet
    service_account: Mapping[str, Any] = field(default_factory=dict, repr=False)
    api_base_url: str = ""
    timeout_seconds: float = 20.0
    retry_attempts: int = 5
    retry_max_wait_seconds: float = 20.0

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any]) -> GSheetsConfig:
        """Validate the section; every problem is reported at once, naming the field to fix."""
        data = _plain(section)
        problems: list[str] = []
        layout = str(data.get("layout") or "per_desa_worksheet").strip()
        if layout not in LAYOUTS:
            problems.append(
                f"[gsheets] layout = '{layout}' tidak dikenal; pilih salah satu: {', '.join(LAYOUTS)}."
            )
        spreadsheet = str(data.get("spreadsheet") or "").strip()
        spreadsheets = {str(k): str(v).strip() for k, v in dict(data.get("spreadsheets") or {}).items()}
        if layout == "per_desa_spreadsheet":
            if not spreadsheets:
                problems.append(
                    "[gsheets.spreadsheets] belum diisi: untuk layout per_desa_spreadsheet tulis satu baris "
                    'per desa, mis. Sukamaju = "https://docs.google.com/spreadsheets/d/..."'
                )
            for desa, ref in spreadsheets.items():
                if not ref:
                    problems.append(
                        f"[gsheets.spreadsheets] {desa} kosong: isi URL atau kunci spreadsheet desa itu."
                    )
        elif not spreadsheet:
            problems.append(
                "[gsheets] spreadsheet belum diisi: tempel URL Google Sheet register (atau kuncinya)."
            )
        worksheets = data.get("worksheets") or ()
        if isinstance(worksheets, str):
            worksheets = (worksheets,)
        api_base_url = str(data.get("api_base_url") or "").strip()
        account = dict(data.get("service_account") or {})
        if not api_base_url:
            problems.extend(service_account_problems(account))
        try:
            timeout = float(data.get("timeout_seconds", 20))
            attempts = int(data.get("retry_attempts", 5))
            max_wait = float(data.get("retry_max_wait_seconds", 20))
        except (TypeError, ValueError):
            problems.append(
                "[gsheets] timeout_seconds, retry_attempts dan retry_max_wait_seconds harus berupa angka."
            )
            timeout, attempts, max_wait = 20.0, 5, 20.0
        if problems:
            raise SourceError("Konfigurasi Google Sheet di .streamlit/secrets.toml belum benar:", problems)
        return cls(
            spreadsheet=spreadsheet,
            layout=layout,
            worksheet=str(data.get("worksheet") or "").strip(),
            worksheets=tuple(str(w) for w in worksheets),
            spreadsheets=spreadsheets,
            service_account=account,
            api_base_url=api_base_url,
            timeout_seconds=timeout,
            retry_attempts=max(1, attempts),
            retry_max_wait_seconds=max(0.0, max_wait),
        )

    @property
    def client_email(self) -> str:
        return str(self.service_account.get("client_email") or "")

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            attempts=self.retry_attempts,
            max_total_wait=self.retry_max_wait_seconds,
            timeout=self.timeout_seconds,
        )


def _plain(value: Any) -> Any:
    """st.secrets sections (AttrDict) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def service_account_problems(account: Mapping[str, Any]) -> list[str]:
    """What is wrong with the service-account fields, each naming the field."""
    if not account:
        return [
            "[gsheets.service_account] belum diisi: salin isi berkas kunci JSON service account "
            "(type, project_id, private_key_id, private_key, client_email, token_uri, ...) ke bagian itu."
        ]
    problems = [
        f"[gsheets.service_account] {name} belum diisi (salin dari berkas kunci JSON)."
        for name in _REQUIRED_SA_FIELDS
        if not str(account.get(name) or "").strip()
    ]
    if account.get("type") and account.get("type") != "service_account":
        problems.append(
            f"[gsheets.service_account] type = '{account.get('type')}': harus 'service_account' "
            "(kunci OAuth pengguna biasa tidak bisa dipakai)."
        )
    key = str(account.get("private_key") or "")
    if key and "BEGIN PRIVATE KEY" not in key:
        problems.append(
            "[gsheets.service_account] private_key tidak valid: salin utuh termasuk "
            "'-----BEGIN PRIVATE KEY-----' dan '-----END PRIVATE KEY-----'."
        )
    email = str(account.get("client_email") or "")
    if email and "@" not in email:
        problems.append(
            f"[gsheets.service_account] client_email '{email}' bukan alamat e-mail service account."
        )
    return problems


def spreadsheet_key(reference: str) -> str:
    """The spreadsheet key from a URL (``.../spreadsheets/d/<key>/edit``) or the key itself."""
    reference = reference.strip()
    if "/" in reference:
        try:
            return extract_id_from_url(reference)
        except gspread.exceptions.NoValidUrlKeyFound as error:
            raise SourceError(
                f"'{reference}' bukan URL Google Sheet (harus berbentuk https://docs.google.com/spreadsheets/d/...)."
            ) from error
    return reference


def make_client(config: GSheetsConfig, session: requests.Session | None = None) -> gspread.Client:
    """A gspread client: through ``session`` (tests), ``api_base_url`` (the fake), or the service account."""
    if session is not None:
        client = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
    elif config.api_base_url:
        client = gspread.Client(auth=None, session=ApiBaseSession(config.api_base_url))  # type: ignore[arg-type]
    else:
        problems = service_account_problems(config.service_account)
        if problems:
            raise SourceError("Kunci service account Google belum benar:", problems)
        info = dict(config.service_account)
        info["private_key"] = str(info["private_key"]).replace("\\n", "\n")
        try:
            client = gspread.service_account_from_dict(info)
        except Exception as error:  # google-auth: ValueError / MalformedError for a damaged key
            raise SourceError(
                "Kunci service account di [gsheets.service_account] tidak dapat dipakai "
                f"({error}). Salin ulang isi berkas JSON, terutama private_key."
            ) from error
    client.set_timeout(config.timeout_seconds)
    return client


def cell_link(sheet_url: str | None, row: int, col_index: int) -> str | None:
    """Link to one cell: ``row`` 1-based sheet row, ``col_index`` 0-based (column A = 0)."""
    if not sheet_url:
        return None
    return f"{sheet_url}&range={rowcol_to_a1(row, col_index + 1)}"


# ---------------------------------------------------------------------------------- internals
class _Transient(Exception):
    """A fault worth retrying (429, 5xx, dropped connection, timeout)."""

    def __init__(self, reason: str, retry_after: float | None = None, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.timed_out = timed_out


class _BadRequest(SourceError):
    """HTTP 400: the request does not fit the sheet (renamed sheet, grid too small, ...)."""


@dataclass(frozen=True)
class _Target:
    name: str  # the SheetGrid name (worksheet title, or the desa for per_desa_spreadsheet)
    key: str  # spreadsheet key
    title: str  # worksheet title
    gid: int
    hidden: bool = False  # hidden in the spreadsheet (read; its complaints get a finding)


@dataclass(frozen=True)
class _Claim:
    row: int  # 1-based row in the control sheet
    when: float  # epoch seconds written by the claimant
    subject: str  # "<sheet>!<Nomor>" or "<sheet>!(baru)"
    submission_id: str
    token: str  # one per attempt
    status: str  # "" = held; selesai / gagal / batal = released
    nomor: str  # write-ahead: the Nomor a new complaint is about to get
    pending: tuple[tuple[str, ...], ...] = ()  # write-ahead: the audit rows of this save (JSON cell)


@dataclass
class _Lease:
    key: str
    subject: str
    token: str
    submission_id: str
    row: int
    started: float
    earlier_attempts: list[_Claim] = field(default_factory=list)
    nomor: str = ""
    sent: bool = False  # a write of the complaint itself has been sent (it may have landed)


_SUBMISSIONS_LOCK = threading.Lock()
_SUBMISSIONS: dict[str, tuple[threading.Lock, int]] = {}


@contextlib.contextmanager
def _submission_guard(submission_id: str) -> Iterator[None]:
    """Calls with the same submission id in one process run one after the other."""
    with _SUBMISSIONS_LOCK:
        lock, users = _SUBMISSIONS.get(submission_id, (threading.Lock(), 0))
        _SUBMISSIONS[submission_id] = (lock, users + 1)
    try:
        with lock:
            yield
    finally:
        with _SUBMISSIONS_LOCK:
            lock, users = _SUBMISSIONS[submission_id]
            if users <= 1:
                del _SUBMISSIONS[submission_id]
            else:
                _SUBMISSIONS[submission_id] = (lock, users - 1)


def _pending_text(rows: Sequence[Sequence[str]]) -> str:
    return json.dumps([[str(c) for c in row] for row in rows], ensure_ascii=False) if rows else ""


def _pending(text: str) -> tuple[tuple[str, ...], ...]:
    try:
        rows = json.loads(text) if text.strip() else []
    except ValueError:
        return ()
    if not isinstance(rows, list):
        return ()
    return tuple(tuple(str(c) for c in row) for row in rows if isinstance(row, list))


def _pending_applied(grid: Sequence[Sequence[str]], claim: _Claim) -> bool:
    """Whether the change a claim's write-ahead audit rows describe is in the sheet: exactly one row
    holds its Nomor, and every audited column found in the header row holds the new value."""
    nomor = claim.nomor or (claim.pending[0][1] if claim.pending and len(claim.pending[0]) > 1 else "")
    if not nomor.strip():
        return False
    audited = {row[2].strip(): row[4] for row in claim.pending if len(row) > 4}
    header_index = next(
        (i for i, row in enumerate(grid[:50]) if any(str(c).strip() in audited for c in row)),
        next((i for i, row in enumerate(grid[:50]) if any(str(c).strip() for c in row)), 0),
    )
    texts = [str(c).strip() for c in grid[header_index]] if grid else []
    rows = [r for r in grid[header_index + 1 :] if any(_same(c, nomor) for c in r)]
    if len(rows) != 1:
        return False
    return all(_same(_cell(rows[0], texts.index(k)), new) for k, new in audited.items() if k in texts)


def _unique_rows(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for row in rows:
        if _trimmed(row) not in seen:
            seen.add(_trimmed(row))
            out.append(list(row))
    return out


def _copy_rows(body: Sequence[Sequence[str]]) -> list[int]:
    """Positions of audit rows equal to an earlier row of the same submission (late copies)."""
    copies = []
    for positions in audit_ids(body).values():
        seen: set[tuple[str, ...]] = set()
        for i in positions:
            if _trimmed(body[i]) in seen:
                copies.append(i)
            seen.add(_trimmed(body[i]))
    return copies


@dataclass
class _Meta:
    title: str
    sheets: dict[str, dict[str, Any]]  # worksheet title -> properties (ordered)


def _clean_values(values: Any) -> list[list[str]]:
    """API values as text rows; gspread's ``[[]]`` and a missing ``values`` both mean empty; a
    lone surrogate a cell already holds reads as U+FFFD (``readable_text``)."""
    rows = [[("" if c is None else readable_text(str(c))) for c in row] for row in (values or [])]
    return [] if rows == [[]] else rows


def _trimmed(row: Sequence[Any]) -> tuple[str, ...]:
    cells = [str(c).strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _grid_cols(range_text: str | None) -> int | None:
    """Columns of the grid from a whole-sheet range echo (``'S'!A1:Z1000`` -> 26)."""
    match = _RANGE_RE.search(range_text or "")
    if not match or not match.group(3):
        return None
    cols = 0
    for ch in match.group(3):
        cols = cols * 26 + (ord(ch) - 64)
    return cols


def _updated_row(response: Mapping[str, Any]) -> int | None:
    match = _RANGE_RE.search(str(response.get("updates", {}).get("updatedRange", "")))
    return int(match.group(2)) if match else None


def _cell(row: Sequence[str], position: int | None) -> str:
    return row[position] if position is not None and position < len(row) else ""


# ------------------------------------------------------------------------------------ source
class GoogleSheetsSource:
    """The register in Google Sheets (see module docstring for the guarantees)."""

    kind = "gsheets"

    def __init__(
        self,
        config: GSheetsConfig,
        *,
        session: requests.Session | None = None,
        client: gspread.Client | None = None,
        policy: RetryPolicy | None = None,
        lease: LeasePolicy | None = None,
    ) -> None:
        self.config = config
        self.lease = lease or LeasePolicy()
        self.policy = policy or config.retry_policy()
        self.client = client or make_client(config, session)
        if policy is not None:
            self.client.set_timeout(policy.timeout)
        self.http = self.client.http_client
        self.stats = SourceStats()
        self._server_date: tuple[float, float] | None = None  # (Google's Date, our wall clock then)
        session = getattr(self.http, "session", None)
        if isinstance(session, requests.Session):
            session.hooks["response"].append(self._note_date)
        self._meta: dict[str, _Meta] = {}
        self._targets: dict[str, _Target] | None = None
        self._lock = threading.RLock()
        self._rng = random.Random(self.policy.seed)
        self._untidy: set[str] = set()  # spreadsheets whose Riwayat may hold late copies
        self.label = self._default_label()

    @classmethod
    def from_config(cls, section: Mapping[str, Any], **kwargs: Any) -> GoogleSheetsSource:
        return cls(GSheetsConfig.from_mapping(section), **kwargs)

    # ------------------------------------------------------------ layout and metadata
    def _default_label(self) -> str:
        if self.config.layout == "per_desa_spreadsheet":
            return f"Google Sheet ({len(self.config.spreadsheets)} desa)"
        return "Google Sheet"

    def _spreadsheet_keys(self) -> list[str]:
        if self.config.layout == "per_desa_spreadsheet":
            return list(dict.fromkeys(spreadsheet_key(ref) for ref in self.config.spreadsheets.values()))
        return [spreadsheet_key(self.config.spreadsheet)]

    def forget_metadata(self) -> None:
        """Fetch the worksheet list again on the next read (a new desa worksheet, a rename)."""
        with self._lock:
            self._meta.clear()
            self._targets = None

    def _metadata(self, key: str) -> _Meta:
        meta = self._meta.get(key)
        if meta is None:
            data = self._retry(
                lambda: self._call(
                    key,
                    self.http.fetch_sheet_metadata,
                    key,
                    params={"fields": "properties.title,sheets.properties"},
                ),
                "Membaca daftar sheet",
            )
            sheets = {
                s["properties"]["title"]: s["properties"]
                for s in sorted(data.get("sheets", []), key=lambda s: s["properties"].get("index", 0))
            }
            meta = _Meta(str(data.get("properties", {}).get("title", key)), sheets)
            self._meta[key] = meta
        return meta

    def _register_titles(self, meta: _Meta, key: str, place: str) -> list[str]:
        """Register worksheets: every sheet but the app's own (Riwayat, the claim sheet, Survei,
        Notifikasi). Hidden ones are read too, like hidden sheets of an .xlsx: their complaints
        count and ``metrics.register`` reports SHEET_TERSEMBUNYI (a hidden helper sheet without
        complaints, and the Google Form's response sheet, are left out there — one rule)."""
        candidates = [t for t in meta.sheets if t not in NOT_REGISTER_SHEETS]
        layout = self.config.layout
        if layout == "per_desa_worksheet" and self.config.worksheets:
            wanted = list(self.config.worksheets)
        elif layout != "per_desa_worksheet" and self.config.worksheet:
            wanted = [self.config.worksheet]
        elif layout == "per_desa_worksheet":
            return candidates
        else:
            return [t for t in candidates if not meta.sheets[t].get("hidden")][:1]
        missing = [w for w in wanted if w not in meta.sheets]
        if missing:
            raise SourceError(
                f"Sheet {', '.join(repr(m) for m in missing)} tidak ada di spreadsheet '{meta.title}'{place}. "
                f"Sheet yang ada: {', '.join(meta.sheets) or '(tidak ada)'}. "
                "Perbaiki nama sheet di [gsheets] atau di Google Sheet."
            )
        return wanted

    def targets(self) -> dict[str, _Target]:
        """SheetGrid name -> where it lives; metadata fetched once and cached."""
        with self._lock:
            if self._targets is not None:
                return self._targets
            targets: dict[str, _Target] = {}
            if self.config.layout == "per_desa_spreadsheet":
                for desa, ref in self.config.spreadsheets.items():
                    key = spreadsheet_key(ref)
                    meta = self._metadata(key)
                    titles = self._register_titles(meta, key, f" (desa {desa})")
                    if not titles:
                        raise SourceError(
                            f"Spreadsheet desa {desa} ('{meta.title}') tidak punya sheet register."
                        )
                    props = meta.sheets[titles[0]]
                    targets[desa] = _Target(
                        desa, key, titles[0], int(props["sheetId"]), bool(props.get("hidden"))
                    )
            else:
                key = self._spreadsheet_keys()[0]
                meta = self._metadata(key)
                self.label = meta.title
                for title in self._register_titles(meta, key, ""):
                    props = meta.sheets[title]
                    targets[title] = _Target(
                        title, key, title, int(props["sheetId"]), bool(props.get("hidden"))
                    )
            self._targets = targets
            return targets

    def _target(self, sheet: str) -> _Target:
        targets = self.targets()
        if sheet not in targets:
            raise SourceError(
                f"Sheet '{sheet}' bukan sheet register yang dikenal. Sheet register: {', '.join(targets)}."
            )
        return targets[sheet]

    def sheet_url(self, sheet: str) -> str:
        target = self._target(sheet)
        return _SHEET_URL.format(key=target.key, gid=target.gid)

    def cell_url(self, sheet: str, row: int, col_index: int) -> str:
        """Link to a cell of a register sheet: ``row`` 1-based, ``col_index`` 0-based."""
        return cell_link(self.sheet_url(sheet), row, col_index) or ""

    # ------------------------------------------------------------ requests and retries
    def _call(self, key: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One API request; faults become _Transient (retry) or SourceError (stop)."""
        self.stats.requests += 1
        try:
            return fn(*args, **kwargs)
        except APIError as error:
            raise self._api_error(error, key) from error
        except requests.exceptions.Timeout as error:
            self.stats.transient_errors += 1
            raise _Transient("Google tidak menjawab tepat waktu", timed_out=True) from error
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            self.stats.transient_errors += 1
            raise _Transient(f"koneksi ke Google terputus ({type(error).__name__})") from error
        except Exception as error:
            if type(error).__module__.startswith("google.auth"):
                if type(error).__name__ == "TransportError":
                    self.stats.transient_errors += 1
                    raise _Transient("koneksi ke server otorisasi Google terputus") from error
                raise SourceError(
                    f"Google menolak kunci service account ({error}). Periksa [gsheets.service_account] "
                    "(kunci dihapus atau salah salin?) dan buat kunci baru bila perlu."
                ) from error
            raise

    def _api_error(self, error: APIError, key: str) -> Exception:
        code = error.response.status_code
        details = getattr(error, "error", None)
        message = str(details.get("message", "")) if isinstance(details, dict) else str(error)
        if code in _TRANSIENT_STATUS:
            self.stats.transient_errors += 1
            retry_after = None
            header = error.response.headers.get("Retry-After")
            if header:
                try:
                    retry_after = float(header)
                except ValueError:
                    retry_after = None
            return _Transient(f"Google Sheets menjawab HTTP {code}", retry_after)
        if code == 403 and ("has not been used" in message or "disabled" in message):
            return SourceError(
                "Google Sheets API belum diaktifkan untuk proyek service account ini. Buka Google Cloud "
                f"Console → APIs & Services → Library → 'Google Sheets API' → Enable. ({message})"
            )
        if code == 403:
            who = self.config.client_email or "e-mail service account (client_email)"
            return SourceError(
                f"Spreadsheet '{key}' belum dibagikan ke service account. Buka Google Sheet itu → Bagikan "
                f"(Share) → tambahkan {who} sebagai Editor."
            )
        if code == 404:
            return SourceError(
                f"Spreadsheet '{key}' tidak ditemukan. Periksa URL atau kunci di [gsheets] spreadsheet "
                "(dan pastikan sudah dibagikan ke service account)."
            )
        if code == 401:
            return SourceError(
                "Google menolak kunci service account (HTTP 401). Periksa [gsheets.service_account] atau buat kunci baru."
            )
        if code == 400:
            return _BadRequest(f"Google Sheets menolak permintaan: {message}")
        return SourceError(f"Google Sheets menjawab HTTP {code}: {message}")

    def _wait(self, state: RetryCallState) -> float:
        policy = self.policy
        error = state.outcome.exception() if state.outcome else None
        room = max(0.0, policy.max_total_wait - state.idle_for)
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return min(retry_after, policy.retry_after_cap, room)
        limit = min(policy.max_wait, policy.initial_wait * 2 ** (state.attempt_number - 1))
        wait = self._rng.uniform(0, limit)
        if getattr(error, "timed_out", False):
            # a request we gave up on may still be applied late: give it time to land before
            # the next try checks whether it did
            wait = max(wait, 2 * policy.timeout)
        return min(wait, room)

    def _stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self.policy.attempts:
            return True
        return self.policy.max_total_wait > 0 and state.idle_for >= self.policy.max_total_wait

    def _before_sleep(self, _state: RetryCallState) -> None:
        self.stats.retries += 1

    def _retry(self, step: Callable[[], Any], what: str) -> Any:
        """Run ``step`` until it succeeds, retrying transient faults within the policy's bounds."""
        retrying = Retrying(
            stop=self._stop,
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self.policy.sleep,
            before_sleep=self._before_sleep,
            reraise=True,
        )
        try:
            return retrying(step)
        except _Transient as error:
            self.stats.surfaced_errors += 1
            raise SourceError(
                f"{what} gagal: {error.reason}, juga setelah {self.policy.attempts} kali dicoba. "
                "Coba lagi sebentar lagi; isian Anda tidak hilang."
            ) from error

    # ------------------------------------------------------------ reading
    def read(self) -> list[SheetGrid]:
        try:
            return self._read_once()
        except _BadRequest:
            # a worksheet was renamed or deleted since the list was cached: fetch it again
            self.forget_metadata()
            return self._read_once()

    def read_sheet(self, name: str) -> list[SheetGrid]:
        """Only the register worksheet ``name`` (one request: the snapshot store refreshes the one
        desa an app write changed, not every desa spreadsheet)."""
        try:
            return self._read_once(name)
        except _BadRequest:
            self.forget_metadata()
            return self._read_once(name)

    def _read_once(self, only: str | None = None) -> list[SheetGrid]:
        targets = [t for t in self.targets().values() if only is None or t.name == only]
        grids: list[SheetGrid] = []
        by_key: dict[str, list[_Target]] = {}
        for target in targets:
            by_key.setdefault(target.key, []).append(target)
        for key, group in by_key.items():
            ranges = [absolute_range_name(t.title) for t in group]
            data = self._retry(
                functools.partial(
                    self._call,
                    key,
                    self.http.values_batch_get,
                    key,
                    ranges,
                    params={"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"},
                ),
                "Membaca Google Sheet",
            )
            value_ranges = data.get("valueRanges", [])
            for index, target in enumerate(group):
                values = value_ranges[index].get("values") if index < len(value_ranges) else None
                grids.append(
                    SheetGrid(
                        target.name,
                        _clean_values(values),
                        _SHEET_URL.format(key=target.key, gid=target.gid),
                        hidden=target.hidden,
                    )
                )
        return grids

    def read_audit(self) -> list[list[str]]:
        rows: list[list[str]] = []
        for key in self._spreadsheet_keys():
            values = self._retry(functools.partial(self._audit_values, key), "Membaca Riwayat")
            if values:
                rows.extend(values if not rows else values[1:])
        if rows:
            # a write applied late can leave a second copy of a submission's rows: show one
            copies = set(_copy_rows(rows[1:]))
            rows = [rows[0], *(r for i, r in enumerate(rows[1:]) if i not in copies)]
        return rows

    def _audit_values(self, key: str) -> list[list[str]] | None:
        """Riwayat's rows (None when the sheet does not exist)."""
        if AUDIT_SHEET not in self._metadata(key).sheets:
            return None
        data = self._call(
            key,
            self.http.values_get,
            key,
            absolute_range_name(AUDIT_SHEET),
            params={"valueRenderOption": "FORMATTED_VALUE"},
        )
        return _clean_values(data.get("values"))

    def _sheet_values(self, target: _Target) -> tuple[list[list[str]], int | None]:
        """A worksheet's rows and its grid width (columns), read fresh."""
        data = self._call(
            target.key,
            self.http.values_get,
            target.key,
            absolute_range_name(target.title),
            params={"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"},
        )
        return _clean_values(data.get("values")), _grid_cols(data.get("range"))

    # ------------------------------------------------------------ writing
    def _a1(self, target: _Target, row: int, col_index: int) -> str:
        return absolute_range_name(target.title, rowcol_to_a1(row, col_index + 1))

    def _ensure_width(self, target: _Target, needed: int, grid_cols: int | None) -> None:
        """Add columns to the grid when a new header column falls outside it."""
        if needed <= 0:
            return
        cols = grid_cols
        if cols is None:
            cols = int(
                self._metadata(target.key)
                .sheets.get(target.title, {})
                .get("gridProperties", {})
                .get("columnCount", 0)
            )
        if needed <= cols:
            return
        body = {
            "requests": [
                {"appendDimension": {"sheetId": target.gid, "dimension": "COLUMNS", "length": needed - cols}}
            ]
        }
        self._call(target.key, self.http.batch_update, target.key, body)

    def _write_cells(self, target: _Target, cells: Sequence[tuple[int, int, str]]) -> None:
        """ONE values.batchUpdate, RAW: (row 1-based, col 0-based, text)."""
        body = {
            "valueInputOption": "RAW",
            "data": [{"range": self._a1(target, r, c), "values": [[v]]} for r, c, v in cells],
        }
        self._call(target.key, self.http.values_batch_update, target.key, body)

    # ------------------------------------------------------------ leases (cross-process lock)
    def _ensure_control_sheet(self, key: str) -> None:
        """Create the hidden control sheet once, WITH its header row, in ONE batchUpdate (addSheet +
        updateCells, applied atomically by Google): no claim can be appended before the header is
        there, and no header is ever written over existing rows. "Already exists" (another
        session created it meanwhile) is success."""
        for _attempt in range(3):
            if CONTROL_SHEET in self._metadata(key).sheets:
                return
            sheet_id = self._rng.randrange(1_000_000, 2_000_000_000)
            header = [{"userEnteredValue": {"stringValue": text}} for text in CONTROL_HEADER]
            body = {
                "requests": [
                    {
                        "addSheet": {
                            "properties": {
                                "sheetId": sheet_id,
                                "title": CONTROL_SHEET,
                                "hidden": True,
                                "gridProperties": {"columnCount": len(CONTROL_HEADER), "frozenRowCount": 1},
                            }
                        }
                    },
                    {
                        "updateCells": {
                            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                            "rows": [{"values": header}],
                            "fields": "userEnteredValue",
                        }
                    },
                ]
            }
            try:
                reply = self._retry(
                    functools.partial(self._call, key, self.http.batch_update, key, body),
                    "Menyiapkan sheet kunci",
                )
            except _BadRequest:
                reply = None  # created by someone else meanwhile (or the sheet id was taken): look again
            props = (reply or {}).get("replies", [{}])[0].get("addSheet", {}).get("properties")
            if props:
                self._metadata(key).sheets[CONTROL_SHEET] = props
                return
            self._meta.pop(key, None)
        if CONTROL_SHEET not in self._metadata(key).sheets:
            raise SourceError(
                f"Sheet kunci '{CONTROL_SHEET}' tidak dapat dibuat di spreadsheet '{key}'. Coba simpan lagi."
            )

    def _claims(self, key: str, first_row: int = 1) -> list[_Claim]:
        """The control sheet's claim rows from ``first_row`` (1-based) down."""
        data = self._call(
            key,
            self.http.values_get,
            key,
            absolute_range_name(CONTROL_SHEET, f"A{first_row}:G"),
            params={"valueRenderOption": "FORMATTED_VALUE"},
        )
        claims = []
        for offset, row in enumerate(_clean_values(data.get("values"))):
            cells = [*row, *[""] * (len(CONTROL_HEADER) - len(row))]
            try:
                when = float(cells[0])
            except ValueError:
                continue  # the header row, or something typed by hand
            claims.append(
                _Claim(
                    first_row + offset,
                    when,
                    cells[1],
                    cells[2],
                    cells[3],
                    cells[4],
                    cells[5],
                    _pending(cells[6]),
                )
            )
        return claims

    def _note_date(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        """Response hook: remember Google's clock (the HTTP ``Date`` header) against ours."""
        text = response.headers.get("Date")
        if not text:
            return
        try:
            server = email.utils.parsedate_to_datetime(text).timestamp()
        except (TypeError, ValueError):
            return
        self._server_date = (server, self.lease.wall())

    def _check_clock(self, subject: str) -> None:
        """Refuse to claim (nothing written) when this server's clock is off Google's by more than
        ``LeasePolicy.max_clock_skew``: claims of servers whose clocks differ could overlap."""
        if self._server_date is None:
            return
        server, ours = self._server_date
        skew = ours - server
        # the Date header has whole seconds and arrives after the request: allow 2 s for that
        if abs(skew) > self.lease.max_clock_skew + 2:
            ahead, ahead_en = ("lebih cepat", "ahead of") if skew > 0 else ("lebih lambat", "behind")
            raise SourceError(
                Text(
                    f"Jam server aplikasi {ahead} {abs(skew):.0f} detik dari jam Google (batas "
                    f"{self.lease.max_clock_skew:.0f} detik). Pengaduan {subject} tidak disimpan agar dua "
                    "server tidak menulis bersamaan; minta admin menyetel jam server (NTP), lalu simpan lagi. "
                    "Isian Anda tidak hilang.",
                    f"The app server's clock is {abs(skew):.0f} seconds {ahead_en} Google's clock (limit "
                    f"{self.lease.max_clock_skew:.0f} seconds). Complaint {subject} was not saved so that two "
                    "servers cannot write at once; ask the admin to set the server clock (NTP), then save again. "
                    "Your input is kept.",
                )
            )

    def _acquire(
        self, target: _Target, subject: str, submission_id: str, pending: Sequence[Sequence[str]] = ()
    ) -> _Lease:
        """Claim ``subject`` (one complaint, or new complaints of one sheet) for this save.

        A claim is one row appended to the control sheet. Google applies appends one after the
        other, so every claimant that reads the sheet after its own append sees the same order:
        the earliest live claim holds the lease, later ones wait for it to be released (or to
        expire when its holder died). Claims of the same submission never wait for each other.
        """
        lease_policy = self.lease
        key = target.key
        self._check_clock(subject)
        self._ensure_control_sheet(key)
        token = uuid.uuid4().hex
        name = f"{target.name}!{subject}"
        started = lease_policy.clock()
        row_values = [f"{started:.3f}", name, submission_id, token, "", "", _pending_text(pending)]
        sent = False

        def claim() -> int:
            nonlocal sent
            if sent:  # an earlier try may have landed: look before appending again
                mine = [c.row for c in self._claims(key) if c.token == token]
                if mine:
                    return mine[0]
            sent = True
            reply = self._call(
                key,
                self.http.values_append,
                key,
                absolute_range_name(CONTROL_SHEET, "A:G"),
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                body={"values": [row_values]},
            )
            row = _updated_row(reply)
            if row is None:
                mine = [c.row for c in self._claims(key) if c.token == token]
                if not mine:
                    raise _Transient("baris kunci tidak terbaca kembali")
                row = mine[0]
            return row

        row = self._retry(claim, f"Mengunci pengaduan {subject}")
        lease = _Lease(key, name, token, submission_id, row, started)
        try:  # the claim's own answer carries Google's clock now
            self._check_clock(subject)
        except SourceError:
            self._release(lease, "batal")
            raise
        # never wait so long that our own claim looks dead to those queued behind us
        wait_limit = min(lease_policy.wait, lease_policy.seconds / 2)
        waited = False
        lost_claims = 0
        while True:
            claims = self._retry(
                functools.partial(self._claims, key, max(1, row - lease_policy.window)), "Membaca sheet kunci"
            )
            released = {c.token for c in claims if c.status}
            mine = [c.row for c in claims if c.token == token]
            if not mine:
                # our claim row is gone (written over, deleted by hand): never act without a claim
                # others can see, and never write into a row that is not ours — claim again
                if lost_claims >= 2:
                    raise SourceError(
                        f"Klaim penyimpanan pengaduan {subject} hilang dari sheet '{CONTROL_SHEET}' "
                        "(ditimpa atau dihapus). Tidak ada yang ditulis; coba simpan lagi."
                    )
                lost_claims += 1
                sent = False
                row = self._retry(claim, f"Mengunci pengaduan {subject}")
                lease.row = row
                continue
            position = mine[0]
            lease.row = position
            now = lease_policy.clock()
            lease.earlier_attempts = [
                c
                for c in claims
                if c.submission_id == submission_id and c.token != token and c.subject == name
            ]
            blockers = [
                c
                for c in claims
                if c.row < position
                and c.subject == name
                and c.token not in released
                and c.submission_id != submission_id
                and now - c.when < lease_policy.seconds
            ]
            if not blockers:
                if waited:  # the lease starts now: renew the claim's time for everyone else
                    lease.started = lease_policy.clock()
                    self._retry(
                        lambda: self._call(
                            key,
                            self.http.values_update,
                            key,
                            absolute_range_name(CONTROL_SHEET, f"A{lease.row}"),
                            params={"valueInputOption": "RAW"},
                            body={"values": [[f"{lease.started:.3f}"]]},
                        ),
                        "Mengunci pengaduan",
                    )
                self._recover(target, lease, claims, name)
                return lease
            if now - started >= wait_limit:
                self._release(lease, "batal")
                raise SourceError(
                    f"Pengaduan {subject} sedang disimpan oleh pengguna lain dan belum selesai setelah "
                    f"{wait_limit:g} detik. Coba simpan lagi sebentar lagi; isian Anda tidak hilang."
                )
            self.stats.lease_waits += 1
            waited = True
            lease_policy.sleep(lease_policy.poll * self._rng.uniform(0.5, 1.5))

    def _release(self, lease: _Lease, status: str) -> None:
        """Mark the claim done (idempotent cell write); a failure only delays the next save of the
        same complaint until the claim expires."""
        # a finished save also clears its write-ahead audit rows (they hold personal data)
        cells = [status, lease.nomor, ""] if status in ("selesai", "batal", "pulih") else [status]
        cell = absolute_range_name(
            CONTROL_SHEET, f"E{lease.row}:{'G' if len(cells) == 3 else 'E'}{lease.row}"
        )
        try:
            self._retry(
                lambda: self._call(
                    lease.key,
                    self.http.values_update,
                    lease.key,
                    cell,
                    params={"valueInputOption": "RAW"},
                    body={"values": [cells]},
                ),
                "Membuka kunci",
            )
        except SourceError:
            self.stats.unreleased += 1

    def _note_nomor(self, lease: _Lease, nomor: str, pending: Sequence[Sequence[str]]) -> None:
        """Write-ahead: the Nomor a new complaint is about to get and its audit rows, in our claim row."""
        self._call(
            lease.key,
            self.http.values_update,
            lease.key,
            absolute_range_name(CONTROL_SHEET, f"F{lease.row}:G{lease.row}"),
            params={"valueInputOption": "RAW"},
            body={"values": [[nomor, _pending_text(pending)]]},
        )
        lease.nomor = nomor

    def _recover(self, target: _Target, lease: _Lease, claims: Sequence[_Claim], name: str) -> None:
        """Finish what earlier saves of this subject left half done (we hold the lease now).

        An earlier claim that failed (status ``gagal``) or whose holder died (expired) and that
        carries write-ahead audit rows: when its cells are in the sheet and its id is not in
        Riwayat, its audit rows are appended now; either way the claim is closed (``pulih``).
        """
        now = self.lease.clock()
        orphans = [
            c
            for c in claims
            if c.subject == name
            and c.row < lease.row
            and c.token != lease.token
            and c.pending
            and (c.status == "gagal" or (not c.status and now - c.when >= self.lease.seconds))
        ]
        if not orphans:
            return
        done = {c.token for c in claims if c.status in ("selesai", "batal", "pulih")}
        key = target.key
        for orphan in orphans:
            if orphan.token in done:
                continue
            values, _old = self._retry(lambda: self._audit_state(key), "Membaca Riwayat")
            if orphan.submission_id not in audit_ids(values[1:]):
                grid, _cols = self._retry(lambda: self._sheet_values(target), "Membaca register")
                if _pending_applied(grid, orphan):
                    self._append_audit(key, [list(r) for r in orphan.pending], orphan.submission_id)
                    self.stats.recovered += 1
            closed = _Lease(key, orphan.subject, orphan.token, orphan.submission_id, orphan.row, orphan.when)
            closed.nomor = orphan.nomor
            self._release(closed, "pulih")

    @contextlib.contextmanager
    def _leased(
        self, target: _Target, subject: str, submission_id: str, pending: Sequence[Sequence[str]] = ()
    ) -> Iterator[_Lease]:
        with _submission_guard(submission_id):
            lease = self._acquire(target, subject, submission_id, pending)
            try:
                yield lease
            except BaseException:
                # gagal = its cells may be in the sheet (the next holder checks); batal = nothing written
                self._release(lease, "gagal" if lease.sent else "batal")
                raise
            self._release(lease, "selesai")

    def _check_lease(self, lease: _Lease, what: str) -> None:
        """Refuse to send a write once half the lease is used up (others may soon take over)."""
        if self.lease.clock() - lease.started > self.lease.seconds / 2:
            raise SourceError(
                f"{what} terlalu lama (koneksi ke Google lambat); tidak ada yang ditulis. "
                "Coba simpan lagi; isian Anda tidak hilang."
            )

    # ------------------------------------------------------------ audit rows with submission ids
    def _audit_state(self, key: str, read: list[list[str]] | None = None) -> tuple[list[list[str]], bool]:
        """Riwayat's rows and whether its header still lacks ``ID Kiriman`` (7-column sheet);
        ``read``: the rows when already read."""
        values = self._audit_values(key) if read is None else read
        if not values:
            return [], False
        header = [c.strip() for c in values[0]]
        old_header = header[: len(AUDIT_HEADER) - 1] == list(AUDIT_HEADER[:-1]) and (
            len(header) < len(AUDIT_HEADER) or not header[AUDIT_ID_COLUMN]
        )
        return values, old_header

    def _recorded_and_sheet(
        self, target: _Target, submission_id: str
    ) -> tuple[list[list[str]] | None, tuple[list[list[str]], int | None] | None, list[list[str]]]:
        """``_recorded``, the register sheet's rows and grid width, and Riwayat's rows, read with ONE
        values.batchGet (both after the lease is held, so the sheet is as fresh as a separate read)."""
        key = target.key
        if AUDIT_SHEET not in self._metadata(key).sheets:
            return self._recorded(key, submission_id), None, []
        data = self._retry(
            lambda: self._call(
                key,
                self.http.values_batch_get,
                key,
                [absolute_range_name(AUDIT_SHEET), absolute_range_name(target.title)],
                params={"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"},
            ),
            "Membaca Riwayat dan register",
        )
        ranges = data.get("valueRanges", [])
        if len(ranges) != 2:
            audit, _old = self._retry(lambda: self._audit_state(key), "Membaca Riwayat")
            return self._recorded(key, submission_id, audit), None, audit
        audit = _clean_values(ranges[0].get("values"))
        sheet = (_clean_values(ranges[1].get("values")), _grid_cols(ranges[1].get("range")))
        return self._recorded(key, submission_id, audit), sheet, audit

    def _recorded(
        self, key: str, submission_id: str, audit: list[list[str]] | None = None
    ) -> list[list[str]] | None:
        """The audit rows already recorded for ``submission_id`` (None: none). Adds the header cell
        ``ID Kiriman`` to a 7-column Riwayat. ``audit``: Riwayat's rows when already read."""
        if audit is None:
            values, old_header = self._retry(lambda: self._audit_state(key), "Membaca Riwayat")
        else:
            values, old_header = self._audit_state(key, audit)
        if old_header:
            self._ensure_audit_width(key)
            self._retry(
                lambda: self._call(
                    key,
                    self.http.values_update,
                    key,
                    absolute_range_name(AUDIT_SHEET, rowcol_to_a1(1, len(AUDIT_HEADER))),
                    params={"valueInputOption": "RAW"},
                    body={"values": [[AUDIT_HEADER[-1]]]},
                ),
                "Menambah kolom ID Kiriman di Riwayat",
            )
        body = values[1:]
        if _copy_rows(body):
            self._untidy.add(key)
        positions = audit_ids(body).get(submission_id)
        if not positions:
            return None
        return _unique_rows([body[i] for i in positions])

    def _ensure_audit_width(self, key: str) -> None:
        props = self._metadata(key).sheets.get(AUDIT_SHEET, {})
        if not props:
            return
        target = _Target(AUDIT_SHEET, key, AUDIT_SHEET, int(props.get("sheetId", 0)))
        self._ensure_width(target, len(AUDIT_HEADER), None)

    def _append_audit(self, key: str, rows: Sequence[Sequence[str]], submission_id: str) -> None:
        """Append ``rows`` (stamped with ``submission_id``) to Riwayat with ONE values.append.

        Called only when the id is not recorded yet. A try whose answer was lost may still land,
        so before sending again the step waits for it (a timed-out request gets the request
        timeout again) and looks for the id. Copies that land even later are recognised by their
        id: :meth:`read_audit` shows one, and the next save removes them (:meth:`_remove_copies`).
        """
        if not rows:
            return
        uncertain = False

        def step() -> None:
            nonlocal uncertain
            with_header = False
            if uncertain:
                self._untidy.add(key)  # the lost try may still land later
                existing, _old = self._audit_state(key)
                if submission_id in audit_ids(existing[1:]):
                    self.stats.verified_applied += 1
                    return
                with_header = existing == []
            if AUDIT_SHEET not in self._metadata(key).sheets:
                with_header = self._add_audit_sheet(key)
            body = {"values": ([list(AUDIT_HEADER)] if with_header else []) + [list(r) for r in rows]}
            uncertain = True
            self._call(
                key,
                self.http.values_append,
                key,
                absolute_range_name(AUDIT_SHEET),
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                body=body,
            )

        self._retry(step, "Mencatat Riwayat")

    def _remove_copies(self, target: _Target) -> int:
        """Delete audit rows that repeat an earlier row of the same submission (a write applied
        late, after its retry). Runs under the spreadsheet-wide ``(Riwayat)`` lease, in ONE
        batchUpdate, bottom-up, and is never retried blindly (a retry re-reads first)."""
        key = target.key
        values, _old = self._retry(lambda: self._audit_state(key), "Membaca Riwayat")
        copies = _copy_rows(values[1:])
        if not copies:
            return 0
        gid = int(self._metadata(key).sheets.get(AUDIT_SHEET, {}).get("sheetId", 0))
        spreadsheet_wide = _Target("*", key, AUDIT_SHEET, gid)  # one repairer per spreadsheet
        with self._leased(spreadsheet_wide, "(Riwayat)", f"rapikan-{uuid.uuid4().hex}"):
            values, _old = self._retry(lambda: self._audit_state(key), "Membaca Riwayat")
            copies = _copy_rows(values[1:])
            if not copies:
                return 0
            requests_ = [
                {
                    "deleteDimension": {
                        "range": {"sheetId": gid, "dimension": "ROWS", "startIndex": i + 1, "endIndex": i + 2}
                    }
                }
                for i in sorted(copies, reverse=True)
            ]
            try:
                self._call(key, self.http.batch_update, key, {"requests": requests_})
            except _Transient:
                return 0  # the next save looks again
            self.stats.copies_removed += len(copies)
            return len(copies)

    # ------------------------------------------------------------ update_row
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
        renamed since is refused naming the column (sheet, letter, old → new), nothing written."""
        target = self._target(sheet)
        sid = submission_id or uuid.uuid4().hex
        rows = stamp_audit_rows(audit_rows, sid)
        wanted = {h: new for h, (_loaded, new) in changes.items()}
        check_cell_lengths(wanted, rows, SHEETS_CELL_LIMIT, "Google Sheets")
        with self._lock, self._leased(target, key, sid, rows) as lease:
            recorded, prefetched, _audit = self._recorded_and_sheet(target, sid)
            if recorded is not None:
                # the same submission again (double click, rerun, retry after a lost answer)
                grid, _cols = prefetched or self._retry(
                    lambda: self._sheet_values(target), "Membaca register"
                )
                header_index, columns = _find_header(grid, key_header, sheet)
                row_index = _find_row(grid, header_index, columns[key_header], key, key_header)
                self.stats.replays += 1
                return UpdateResult(sheet, row_index + 1, wanted, len(recorded), replayed=True)
            sent = False
            earlier = bool(lease.earlier_attempts)

            def step() -> tuple[int, bool]:
                nonlocal sent, prefetched
                # the first try uses the rows read with Riwayat; a retry reads again
                grid, grid_cols = prefetched or self._sheet_values(target)
                prefetched = None
                header_index, columns = _find_header(grid, key_header, sheet)
                renamed = renamed_headers(grid[header_index], loaded_header, changes)
                if renamed:
                    raise ConcurrentChange.header_changed(key, sheet, renamed)
                row_index = _find_row(grid, header_index, columns[key_header], key, key_header)
                row = grid[row_index]
                current = {h: _cell(row, columns.get(h)) for h in changes}
                if (sent or earlier) and all(_same(current[h], wanted[h]) for h in changes):
                    # this submission's cells already landed (this call's lost answer, or an
                    # earlier attempt that failed before its audit rows): finish it
                    self.stats.verified_applied += 1
                    return row_index, not sent
                conflicts = {
                    h: current[h] for h, (loaded, _new) in changes.items() if not _same(current[h], loaded)
                }
                if conflicts:
                    raise ConcurrentChange.of(key, conflicts)
                cells: list[tuple[int, int, str]] = []
                for header in changes:
                    if header not in columns:
                        columns[header] = _add_column(grid, header_index, header)
                        cells.append((header_index + 1, columns[header], header))
                self._ensure_width(target, max(c for _r, c, _v in cells) + 1 if cells else 0, grid_cols)
                cells.extend((row_index + 1, columns[h], v) for h, v in wanted.items())
                self._check_lease(lease, f"Menyimpan pengaduan {key}")
                sent = lease.sent = True
                self._write_cells(target, cells)
                return row_index, False

            row_index, recovered = self._retry(step, f"Menyimpan pengaduan {key}")
            self._append_audit(target.key, rows, sid)
        self._tidy(target)
        return UpdateResult(sheet, row_index + 1, dict(wanted), len(rows), replayed=recovered)

    def _tidy(self, target: _Target) -> None:
        """Remove late copies of audit rows seen by this save (best effort, after the save)."""
        if target.key not in self._untidy:
            return
        self._untidy.discard(target.key)
        with contextlib.suppress(SourceError):
            self._remove_copies(target)

    def _add_audit_sheet(self, key: str) -> bool:
        """Create Riwayat; True when this call created it (so the header still has to be written)."""
        body = {
            "requests": [
                {"addSheet": {"properties": {"title": AUDIT_SHEET, "gridProperties": {"frozenRowCount": 1}}}}
            ]
        }
        try:
            reply = self._call(key, self.http.batch_update, key, body)
        except _BadRequest:
            created = False  # someone else created it meanwhile
        else:
            props = reply.get("replies", [{}])[0].get("addSheet", {}).get("properties")
            created = True
            if props:
                self._metadata(key).sheets[AUDIT_SHEET] = props
                return True
        self._meta.pop(key, None)
        self._metadata(key)
        return created

    # ------------------------------------------------------------ append_row
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
        target = self._target(sheet)
        sid = submission_id or uuid.uuid4().hex
        content = {h: str(v) for h, v in values.items() if h != key_header and str(v).strip()}
        check_cell_lengths(content, (), SHEETS_CELL_LIMIT, "Google Sheets")
        with self._lock, self._leased(target, "(baru)", sid) as lease:
            recorded, prefetched, audit = self._recorded_and_sheet(target, sid)
            if recorded is not None:
                key = recorded[0][1]
                row = self._retry(lambda: self._row_of(target, key_header, key), "Membaca register")
                self.stats.replays += 1
                if row == 0:
                    # its audit rows say it was written (the row goes first); the row was deleted since
                    raise AlreadyRecorded(key, f"{self.label}, sheet {sheet}")
                return AppendResult(sheet, row, key, {key_header: key, **content}, replayed=True)
            # Nomors written ahead by earlier attempts of this submission (answer lost, then failed)
            noted = [c.nomor for c in lease.earlier_attempts if c.nomor.strip()]
            sent_key: str | None = None

            def step() -> tuple[str, bool]:
                nonlocal sent_key, prefetched
                # the first try uses the rows read with Riwayat; a retry reads again
                grid, grid_cols = prefetched or self._sheet_values(target)
                prefetched = None
                header_index, columns = _find_header(grid, key_header, sheet)
                candidates = [*noted, sent_key] if sent_key else noted
                found = [
                    i
                    for i in _rows_with_content(grid, header_index, columns, key_header, content)
                    if any(_same(_cell(grid[i], columns[key_header]), k) for k in candidates)
                ]
                if found:
                    # this submission's row already landed (lost answer / earlier failed attempt)
                    self.stats.verified_applied += 1
                    return _cell(grid[found[0]], columns[key_header]), sent_key is None
                key_position = columns[key_header]
                existing = [row[key_position] for row in grid[header_index + 1 :] if len(row) > key_position]
                new_key = make_key(keys_in_use(existing, audit))
                if any(_same(k, new_key) for k in existing):
                    raise DuplicateKey(f"Nomor {new_key} sudah ada di register; nomor baru tidak dibuat.", [])
                full = {key_header: new_key, **content}
                header_cells = []
                for header in full:
                    if header not in columns:
                        columns[header] = _add_column(grid, header_index, header)
                        header_cells.append((header_index + 1, columns[header], header))
                if header_cells:
                    self._ensure_width(target, max(c for _r, c, _v in header_cells) + 1, grid_cols)
                    self._write_cells(target, header_cells)
                left = min((i for row in grid for i, c in enumerate(row) if str(c).strip()), default=0)
                new_row = [""] * (max(columns[h] for h in full) + 1)
                for header, value in full.items():
                    new_row[columns[header]] = value
                self._check_lease(lease, "Menyimpan pengaduan baru")
                # write-ahead: the Nomor and the audit rows, recognisable and completed after a crash
                self._note_nomor(lease, new_key, stamp_audit_rows(audit_rows_for(new_key), sid))
                sent_key = new_key
                lease.sent = True
                self._call(
                    target.key,
                    self.http.values_append,
                    target.key,
                    absolute_range_name(target.title),
                    params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                    body={"values": [new_row[left:]]},
                )
                return new_key, False

            key, recovered = self._retry(step, "Menyimpan pengaduan baru")
            row, settled = self._settle_key(target, key_header, key, content, make_key, audit)
            if settled != key or not lease.nomor:
                self._retry(
                    lambda: self._note_nomor(lease, settled, stamp_audit_rows(audit_rows_for(settled), sid)),
                    "Mencatat nomor pengaduan baru",
                )
            key = settled
            self._append_audit(target.key, stamp_audit_rows(audit_rows_for(key), sid), sid)
        self._tidy(target)
        return AppendResult(sheet, row, key, {key_header: key, **content}, replayed=recovered)

    def sheet_titles(self, spreadsheet: str | None = None) -> list[str]:
        """Worksheet titles of ``spreadsheet`` (default: the register's first spreadsheet) from
        the cached sheet list: no request once it was read (``forget_metadata`` to look again)."""
        key = spreadsheet_key(spreadsheet) if spreadsheet else self._spreadsheet_keys()[0]
        with self._lock:
            return list(self._metadata(key).sheets)

    def _row_of(self, target: _Target, key_header: str, key: str) -> int:
        """1-based row of the complaint ``key`` (0 when it is no longer in the sheet)."""
        grid, _cols = self._sheet_values(target)
        header_index, columns = _find_header(grid, key_header, target.name)
        position = columns[key_header]
        hits = [i for i in range(header_index + 1, len(grid)) if _same(_cell(grid[i], position), key)]
        return hits[0] + 1 if hits else 0

    def _settle_key(
        self,
        target: _Target,
        key_header: str,
        key: str,
        content: Mapping[str, str],
        make_key: KeyFactory,
        audit: Sequence[Sequence[str]],
    ) -> tuple[int, str]:
        """Make the new row's Nomor unique: the row appended first keeps a Nomor, later ones renumber
        (never to a Nomor ``audit``, Riwayat's rows, names)."""
        for _round in range(8):
            grid, _cols = self._retry(lambda: self._sheet_values(target), "Memeriksa nomor pengaduan baru")
            header_index, columns = _find_header(grid, key_header, target.name)
            position = columns[key_header]
            ours = [
                i
                for i in _rows_with_content(grid, header_index, columns, key_header, content)
                if _same(_cell(grid[i], position), key)
            ]
            if not ours:
                # our row now carries another Nomor (renumbered by an earlier round)
                found = _rows_with_content(grid, header_index, columns, key_header, content)
                if not found:
                    raise SourceError(
                        f"Pengaduan baru {key} tidak ditemukan lagi di sheet '{target.name}' setelah disimpan "
                        "(baris dihapus?). Muat ulang dan periksa register."
                    )
                key = _cell(grid[found[0]], position)
                continue
            mine = ours[0]
            same_key = [i for i in range(header_index + 1, len(grid)) if _same(_cell(grid[i], position), key)]
            if len(same_key) <= 1 or mine == min(same_key):
                return mine + 1, key
            existing = [_cell(row, position) for row in grid[header_index + 1 :]]
            new_key = make_key(keys_in_use(existing, audit))
            if any(_same(k, new_key) for k in existing):
                raise DuplicateKey(
                    f"Nomor {key} dipakai dua kali dan nomor pengganti {new_key} juga sudah ada.", same_key
                )
            try:
                self._write_cells(target, [(mine + 1, position, new_key)])
            except _Transient:
                self.stats.retries += 1  # the next round reads again and sees whether it landed
            key = new_key
        raise SourceError(
            f"Nomor pengaduan baru terus bentrok dengan pengguna lain di sheet '{target.name}'. Muat ulang dan periksa."
        )


def _rows_with_content(
    grid: Sequence[Sequence[str]],
    header_index: int,
    columns: Mapping[str, int],
    key_header: str,
    content: Mapping[str, str],
) -> list[int]:
    """Rows (0-based) with a Nomor whose every field in ``content`` equals it (empty content: none)."""
    if not content or any(h not in columns for h in content):
        return []
    position = columns[key_header]
    return [
        i
        for i in range(header_index + 1, len(grid))
        if _cell(grid[i], position).strip()
        and all(_same(_cell(grid[i], columns[h]), v) for h, v in content.items())
    ]
