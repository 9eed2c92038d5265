"""The sync worker: keeps the snapshot store of every registered desa within the Google quota.

One pass
    1. Make the store's desa list the registry's (a new desa is marked to be read).
    2. ONE Drive request: ``changes.list`` from the saved page token (the very first pass asks for a
       start token instead and reads everything). The changed spreadsheets' desas are marked to be
       read and the new token saved in the same transaction.
    3. Read each marked desa with ONE ``values.batchGet``, check its header against its profile,
       and replace its rows in one transaction. A failure (deleted, unshared, renamed sheet, broken
       header, Google down) is recorded on that desa only — its last good snapshot stays — and it
       is tried again after a growing pause (5, 10, 20, ... up to 60 minutes) or at once when Drive
       reports it changed. The other desas keep syncing.
    4. The satisfaction survey (a ``Survei`` sheet beside the register) is read in the SAME
       ``values.batchGet`` as the register and saved with it in the same transaction. Google refuses
       a batchGet naming a sheet the spreadsheet lacks (HTTP 400 "Unable to parse range:
       Survei!A1:Z"): the worker then reads the register alone (one more request) and remembers
       that the desa has no Survei sheet; that desa is read without it (one request) until it
       changes more than ``SURVEY_RECHECK_SECONDS`` (6 hours) after the last check, when the
       Survei sheet is looked for again. A malformed Survei sheet is named (log, store, page); the
       register is synced all the same.

Budget
    Every request first takes a slot of :class:`RequestBudget` (default 40 per minute, under
    Google's 60 per minute per user): when the last minute is full the worker sleeps until a slot
    frees. A cold sync of 300 desas therefore runs ~8 minutes (~11 when half of them have no Survei
    sheet: one more request each) and logs its progress
    ("214/300 desa, perkiraan selesai 3 menit"). A killed worker loses nothing: what was read is
    committed per desa and what is left is still marked, so the next run reads only that.

Clock and sleep are injected (tests and the benchmark run on a simulated clock).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data_sources.gdrive import FetchError, GoogleReader, MissingSheet
from data_sources.snapshot_store import (
    SURVEY_ABSENT,
    SURVEY_PRESENT,
    DesaStatus,
    SnapshotStore,
    SurveySnapshot,
)
from metrics.columns import SURVEY_SHEET, canonical_column
from metrics.errors import PantauError
from metrics.ikm import SURVEY_HEADER
from metrics.profiles import find_profile
from metrics.register import locate_header, stage_column_aliases
from services.kabupaten import refresh_derived
from services.sync.config import LAST_PASS_STATE, PROGRESS_STATE, SETTINGS, TOKEN_STATE, SyncSettings
from services.sync.registry import Registry

__all__ = [
    "LAST_PASS_STATE",
    "PROGRESS_STATE",
    "SETTINGS",
    "SURVEY_RECHECK_SECONDS",
    "PassReport",
    "RequestBudget",
    "SyncSettings",
    "SyncWorker",
]

# A desa known to have no Survei sheet is looked for one again when it changed at least this long
# after the last check (costs one more Sheets request then, if it still has none).
SURVEY_RECHECK_SECONDS = 6 * 3600
# The register columns without which a desa's rows cannot be counted: (canonical key, header).
_ESSENTIAL_COLUMNS = (("nomor", "Nomor"), ("tanggal_diterima", "Tanggal Diterima"))


class RequestBudget:
    """At most ``per_minute`` requests in any 60 seconds of ``clock``; ``acquire`` sleeps for a slot."""

    def __init__(self, per_minute: int, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.per_minute = max(1, int(per_minute))
        self.clock = clock
        self.sleep = sleep
        self._recent: deque[float] = deque()
        self.sent_at: list[float] = []

    def acquire(self, _kind: str = "") -> None:
        while True:
            now = self.clock()
            while self._recent and self._recent[0] <= now - 60:
                self._recent.popleft()
            if len(self._recent) < self.per_minute:
                break
            self.sleep(max(self._recent[0] + 60 - now, 0.001))
        self._recent.append(now)
        self.sent_at.append(now)

    def max_in_any_minute(self) -> int:
        """The most requests sent within any 60-second window."""
        best, start = 0, 0
        for end, moment in enumerate(self.sent_at):
            while self.sent_at[start] <= moment - 60:
                start += 1
            best = max(best, end - start + 1)
        return best


@dataclass
class PassReport:
    drive_requests: int = 0
    sheets_requests: int = 0
    read: list[str] = field(default_factory=list)  # desa keys read successfully
    failed: dict[str, str] = field(default_factory=dict)  # desa key -> error
    survey_problems: dict[str, str] = field(default_factory=dict)  # desa key -> malformed Survei sheet
    remaining: int = 0  # desas still marked to be read after the pass (backoff, quota)
    started_at: float = 0.0
    finished_at: float = 0.0

    @property
    def requests(self) -> int:
        return self.drive_requests + self.sheets_requests

    @property
    def minutes(self) -> float:
        return (self.finished_at - self.started_at) / 60


def when(moment: float | None) -> str:
    """An epoch time as the log shows it (server local time)."""
    if moment is None:
        return "belum pernah"
    return dt.datetime.fromtimestamp(moment).strftime("%d-%m-%Y %H:%M")


class SyncWorker:
    def __init__(
        self,
        registry: Registry,
        store: SnapshotStore,
        reader: GoogleReader,
        settings: SyncSettings | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] = print,
    ) -> None:
        self.registry = registry
        self.store = store
        self.reader = reader
        self.settings = settings or SyncSettings()
        self.clock = clock
        self.sleep = sleep
        self.log = log
        self.budget = RequestBudget(self.settings.requests_per_minute, clock, sleep)
        reader.before_request = self.budget.acquire
        self._headers_ok: dict[str, dict[str, str]] = {}

    # ------------------------------------------------------------ entry points (hold the lock)
    def run_once(self) -> PassReport:
        """One pass under the worker lock (``./run sync``); WorkerBusy when another worker runs."""
        with self.store.worker_lock():
            return self.run_pass()

    def watch(self, *, stop: Callable[[], bool] = lambda: False) -> None:
        """Passes every ``interval_seconds`` until ``stop()`` (``./run sync --watch``)."""
        with self.store.worker_lock():
            while not stop():
                started = self.clock()
                self.run_pass()
                rest = self.settings.interval_seconds - (self.clock() - started)
                if rest > 0 and not stop():
                    self.sleep(rest)

    # ------------------------------------------------------------ one pass
    def run_pass(self) -> PassReport:
        report = PassReport(started_at=self.clock())
        sent_before = dict(self.reader.requests_sent)
        self.store.sync_registry(e.as_store_entry() for e in self.registry.entries)
        if not self._detect_changes(report):
            report.finished_at = self.clock()
            return report
        due = self.store.due(self.clock())
        total = len(self.registry.entries)
        last_log = self.clock()
        for index, status in enumerate(due):
            try:
                self._read_one(status, report)
            except FetchError as error:
                if error.kind == "quota":
                    self.log(f"Kuota Google terlampaui: putaran dihentikan, dilanjutkan nanti. ({error})")
                    break
            if self.clock() - last_log >= 60 or index == len(due) - 1:
                last_log = self.clock()
                self._progress(total, len(due) - index - 1)
        if report.read:
            self._derive()
        self._finish(report, sent_before)
        return report

    def _derive(self) -> None:
        """Derive the kabupaten figures of the desas read (one batch per profile), so the app only
        reads them; a failure here never loses a synced grid (the app derives what is missing)."""
        try:
            now = pd.Timestamp.fromtimestamp(self.clock()).floor("min")
            _current, _statuses, problems = refresh_derived(
                self.store, now=now, profile_dirs=self.settings.profile_dirs()
            )
        except Exception as error:  # never stop the worker for the app's figures
            self.log(f"Angka kabupaten belum dapat diturunkan ({error}); aplikasi menghitungnya sendiri.")
            return
        for problem in problems:
            self.log(problem)

    def _detect_changes(self, report: PassReport) -> bool:
        token = self.store.get_state(TOKEN_STATE)
        try:
            if token is None:
                # first run: everything is read; changes from now on are caught by this token
                new_token = self.reader.start_page_token()
                self.store.mark_all_dirty()
                self.store.set_state(TOKEN_STATE, new_token)
                self.log(f"Sinkronisasi awal: {len(self.registry.entries)} desa akan dibaca.")
            else:
                changes = self.reader.changes(token)
                touched = changes.changed | changes.removed
                marked = self.store.mark_changed(touched, TOKEN_STATE, changes.new_token)
                if marked:
                    self.log(f"Drive: {marked} spreadsheet desa berubah.")
        except FetchError as error:
            self.log(f"Drive tidak dapat ditanya perubahan ({error}); dicoba lagi pada putaran berikut.")
            return False
        return True

    def _read_one(self, status: DesaStatus, report: PassReport) -> None:
        name = f"{status.desa} (Kec. {status.kecamatan})"
        now = self.clock()
        survey: SurveySnapshot | None = None
        try:
            if self._survey_wanted(status, now):
                try:
                    grid, extra = self.reader.read_register_with(
                        status.spreadsheet_id, status.worksheet, status.desa, (SURVEY_SHEET,)
                    )
                    survey = survey_snapshot(extra.get(SURVEY_SHEET, []), name)
                except MissingSheet:
                    survey = SurveySnapshot(SURVEY_ABSENT, [])
                    grid = self.reader.read_register(status.spreadsheet_id, status.worksheet, status.desa)
            else:
                grid = self.reader.read_register(status.spreadsheet_id, status.worksheet, status.desa)
            self._check_header(status, grid.values, name)
        except FetchError as error:
            failures = status.failures + 1
            pause = min(60, self.settings.retry_after_error_minutes * 2 ** (failures - 1)) * 60
            if error.kind == "quota":
                pause = 60
            self.store.save_error(status.desa_key, str(error), now, now + pause)
            report.failed[status.desa_key] = str(error)
            raise
        self.store.save_grid(status.desa_key, grid, self.clock(), survey=survey)
        report.read.append(status.desa_key)
        if survey is not None and survey.error:
            report.survey_problems[status.desa_key] = survey.error
            self.log(survey.error)

    @staticmethod
    def _survey_wanted(status: DesaStatus, now: float) -> bool:
        """Read the Survei sheet with the register unless the desa is known to have none (checked
        less than ``SURVEY_RECHECK_SECONDS`` ago)."""
        if status.survey_state != SURVEY_ABSENT or status.survey_checked_at is None:
            return True
        return now - status.survey_checked_at >= SURVEY_RECHECK_SECONDS

    def _check_header(self, status: DesaStatus, values: Any, name: str) -> None:
        try:
            profile = find_profile(status.profile, self.settings.profile_dirs())
        except PantauError as error:
            raise FetchError("other", f"Desa {name}: {error}") from error
        aliases = stage_column_aliases(profile)
        index = locate_header(values, aliases)
        if index is None:
            raise FetchError(
                "broken_header",
                f"Desa {name}: baris judul register tidak dikenali (kolom seperti Nomor, Tanggal Diterima "
                f"tidak ditemukan) di spreadsheet {status.spreadsheet_id}; perbaiki judul kolomnya.",
            )
        # Without these two a desa's complaints leave every figure (no Nomor, no period): a failure
        # named with its last good data, not a desa that silently drops out of the comparison.
        keys = {canonical_column(cell, aliases) for cell in values[index]}
        missing = [label for key, label in _ESSENTIAL_COLUMNS if key not in keys]
        if missing:
            raise FetchError(
                "broken_header",
                f"Desa {name}: kolom wajib {' dan '.join(missing)} tidak ada di baris judul (baris {index + 1}) "
                f"spreadsheet {status.spreadsheet_id}; perbaiki judul kolomnya. Angka desa ini memakai data "
                "terakhir yang baik.",
            )

    def _progress(self, total: int, left_in_pass: int) -> None:
        pending = sum(1 for s in self.store.statuses() if s.dirty)
        done = total - pending
        minutes = math.ceil(left_in_pass / self.budget.per_minute) if left_in_pass else 0
        text = f"{done}/{total} desa, perkiraan selesai {minutes} menit"
        self.store.set_state(
            PROGRESS_STATE,
            json.dumps({"done": done, "total": total, "minutes_left": minutes, "at": self.clock()}),
        )
        self.log(text)

    def _finish(self, report: PassReport, sent_before: Mapping[str, int]) -> None:
        sent = {k: v - sent_before.get(k, 0) for k, v in self.reader.requests_sent.items()}
        report.drive_requests = sum(v for k, v in sent.items() if k.startswith("drive."))
        report.sheets_requests = sum(v for k, v in sent.items() if not k.startswith("drive."))
        now = self.clock()
        statuses = self.store.statuses()
        report.remaining = sum(1 for s in statuses if s.dirty)
        report.finished_at = now
        for line in failing_lines(statuses, now, self.settings.stale_after_minutes * 60):
            self.log(line)
        self.store.set_state(
            LAST_PASS_STATE,
            json.dumps(
                {
                    "started": report.started_at,
                    "finished": now,
                    "read": len(report.read),
                    "failed": len(report.failed),
                    "remaining": report.remaining,
                    "requests": report.requests,
                }
            ),
        )
        self.log(
            f"Putaran selesai: {len(report.read)} desa dibaca, {len(report.failed)} gagal, "
            f"{report.requests} permintaan ({report.drive_requests} Drive, {report.sheets_requests} Sheets)."
        )


def survey_snapshot(cells: list[list[str]], name: str) -> SurveySnapshot:
    """The Survei sheet's cells as read, with the problem of a malformed one named: a header
    without the Nomor and Nilai columns (no answer of the desa counts), or answers whose Nilai is
    not 1–4 (those rows do not count)."""
    rows = [list(r) for r in cells]
    filled = [r for r in rows if any(str(c).strip() for c in r)]
    if not filled:
        return SurveySnapshot(SURVEY_PRESENT, rows)
    header = [str(c).strip().lower() for c in rows[0]]
    nomor, nilai = SURVEY_HEADER[0], SURVEY_HEADER[2]
    missing = [title for title in (nomor, nilai) if title.lower() not in header]
    if missing:
        return SurveySnapshot(
            SURVEY_PRESENT,
            rows,
            f"Desa {name}: sheet {SURVEY_SHEET} baris 1 tidak memuat kolom {' dan '.join(missing)} "
            f"(judul yang diharapkan: {', '.join(SURVEY_HEADER)}); penilaian desa ini belum dihitung.",
        )
    at_nomor, at_nilai = header.index(nomor.lower()), header.index(nilai.lower())
    bad = [
        number
        for number, row in enumerate(rows[1:], start=2)
        if len(row) > at_nomor
        and str(row[at_nomor]).strip()
        and (str(row[at_nilai]).strip() if len(row) > at_nilai else "") not in ("1", "2", "3", "4")
    ]
    if not bad:
        return SurveySnapshot(SURVEY_PRESENT, rows)
    shown = ", ".join(str(n) for n in bad[:5]) + (", …" if len(bad) > 5 else "")
    return SurveySnapshot(
        SURVEY_PRESENT,
        rows,
        f"Desa {name}: sheet {SURVEY_SHEET}: {len(bad)} baris dengan Nilai bukan 1–4 tidak dihitung "
        f"(baris {shown}).",
    )


def failing_lines(statuses: Iterable[DesaStatus], now: float, stale_after_seconds: float) -> list[str]:
    """One line per desa whose sync fails or is stale, naming it and its last good time."""
    lines = []
    for s in statuses:
        if s.last_error:
            since = f", gagal sejak {when(s.failing_since)}" if s.failing_since else ""
            lines.append(
                f"GAGAL desa {s.desa} (Kec. {s.kecamatan}): {s.last_error} — data terakhir yang baik: "
                f"{when(s.last_good_at)}{since}."
            )
        elif s.stale(now, stale_after_seconds) and not s.dirty:
            lines.append(f"USANG desa {s.desa} (Kec. {s.kecamatan}): data terakhir {when(s.last_good_at)}.")
    return lines
