"""The ledger of notifications: what was claimed, sent, failed or is uncertain, per event key and
recipient (``<name>/<channel>``), and the runs.

Guarantee (stated precisely)
----------------------------
* **At most once per (event key, recipient, channel)**, across overlapping runs, crashes and
  reruns: a message is *claimed* in the ledger before it is sent (SQLite: an ``INSERT`` under a
  ``UNIQUE(event_key, recipient)`` constraint inside ``BEGIN IMMEDIATE``; Google Sheets: an
  appended claim row, the first claim row in the sheet wins). Only the holder of the claim sends.
* **Never silently dropped**: a send the service refused (``gagal``) keeps its text in the ledger
  and is sent again by a later run once ``next_attempt_at`` has passed (backoff doubling from
  ``retry_backoff_minutes`` up to ``retry_max_backoff_minutes``); every run reports the failures.
* **Ambiguous sends are not re-sent blindly**: when the request left but the answer was lost
  (connection dropped / timeout), or a run died between claim and outcome (a claim older than
  ``CLAIM_LEASE``), the entry becomes ``tidak_pasti``. Telegram has no idempotency key and no way
  for a bot to read back what it sent, so the run cannot know whether it arrived: it is reported
  on every run and on the admin page, where an admin may choose *Kirim ulang* (accepting a possible
  copy). So: exactly once for every send whose outcome was observed; at most once, and reported,
  for the rest.

Local registers keep the ledger in a SQLite file beside the register
(``<register>.notifikasi.sqlite``); Google Sheets registers in a ``Notifikasi`` worksheet beside
``Riwayat``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from metrics.columns import NOTIFICATION_SHEET

CLAIMED, SENT, FAILED, UNCERTAIN = "mengirim", "terkirim", "gagal", "tidak_pasti"
CLAIM_LEASE = dt.timedelta(minutes=30)
LEDGER_SHEET = NOTIFICATION_SHEET
ENTRY_FIELDS = (
    "event_key",
    "recipient",
    "kind",
    "desa",
    "nomor",
    "status",
    "attempts",
    "subject",
    "text",
    "html",
    "claimed_by",
    "claimed_at",
    "updated_at",
    "next_attempt_at",
    "error",
    "remote_id",
)


@dataclass
class Entry:
    event_key: str
    recipient: str  # "<name>/<channel>"
    kind: str = ""
    desa: str = ""
    nomor: str = ""
    status: str = CLAIMED
    attempts: int = 0
    subject: str = ""
    text: str = ""
    html: str = ""
    claimed_by: str = ""
    claimed_at: str = ""
    updated_at: str = ""
    next_attempt_at: str = ""
    error: str = ""
    remote_id: str = ""

    @property
    def name(self) -> str:
        return self.recipient.rsplit("/", 1)[0]

    @property
    def channel(self) -> str:
        return self.recipient.rsplit("/", 1)[-1]


@dataclass
class RunRecord:
    run_id: str
    started_at: str
    finished_at: str = ""
    dry_run: bool = False
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    report: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def stamp(moment: dt.datetime | pd.Timestamp) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%dT%H:%M:%S")


def backoff(attempts: int, base_minutes: int, max_minutes: int) -> dt.timedelta:
    """Wait before the next attempt after ``attempts`` failed ones: base, 2x, 4x ... up to max."""
    return dt.timedelta(minutes=min(max_minutes, base_minutes * 2 ** max(0, attempts - 1)))


class Ledger(Protocol):
    def new_run_id(self) -> str: ...

    def claim(self, entry: Entry, now: dt.datetime) -> bool:
        """Claim a new (event, recipient): True when this run got it (nothing recorded before)."""
        ...

    def claim_many(self, entries: Sequence[Entry], now: dt.datetime) -> list[Entry]:
        """Claim several new entries; returns the ones this run got."""
        ...

    def claim_retries(self, run_id: str, now: dt.datetime) -> list[Entry]:
        """Claim the failed entries whose next attempt is due; returns the ones this run got."""
        ...

    def record(
        self,
        entry: Entry,
        status: str,
        now: dt.datetime,
        *,
        error: str = "",
        next_attempt_at: str = "",
        remote_id: str = "",
    ) -> None: ...

    def expire_claims(self, now: dt.datetime) -> list[Entry]:
        """Claims older than CLAIM_LEASE (a run died mid-send) become ``tidak_pasti``."""
        ...

    def allow_resend(self, event_key: str, recipient: str, now: dt.datetime) -> bool:
        """Admin's choice: send an uncertain entry again on the next run."""
        ...

    def entries(self) -> list[Entry]: ...

    def save_run(self, run: RunRecord) -> None: ...

    def runs(self, limit: int = 20) -> list[RunRecord]: ...


class SqliteLedger:
    """The ledger of a local register: one SQLite file, safe for concurrent processes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS kiriman (
                    event_key TEXT NOT NULL, recipient TEXT NOT NULL, kind TEXT, desa TEXT, nomor TEXT,
                    status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, subject TEXT, text TEXT,
                    html TEXT, claimed_by TEXT, claimed_at TEXT, updated_at TEXT, next_attempt_at TEXT,
                    error TEXT, remote_id TEXT, UNIQUE(event_key, recipient));
                CREATE TABLE IF NOT EXISTS runs (
                    run_id TEXT PRIMARY KEY, started_at TEXT, finished_at TEXT, dry_run INTEGER,
                    sent INTEGER, failed INTEGER, uncertain INTEGER, report TEXT);
                """
            )

    @classmethod
    def beside(cls, register_path: str | Path) -> SqliteLedger:
        register = Path(register_path)
        return cls(register.with_name(register.name + ".notifikasi.sqlite"))

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def new_run_id(self) -> str:
        return uuid.uuid4().hex[:12]

    def claim(self, entry: Entry, now: dt.datetime) -> bool:
        entry.status, entry.claimed_at, entry.updated_at = CLAIMED, stamp(now), stamp(now)
        entry.attempts = 1
        values = [getattr(entry, name) for name in ENTRY_FIELDS]
        with self._write() as db:
            cursor = db.execute(
                f"INSERT OR IGNORE INTO kiriman ({', '.join(ENTRY_FIELDS)}) VALUES ({', '.join('?' * len(ENTRY_FIELDS))})",
                values,
            )
            return cursor.rowcount == 1

    def claim_many(self, entries: Sequence[Entry], now: dt.datetime) -> list[Entry]:
        return [entry for entry in entries if self.claim(entry, now)]

    def claim_retries(self, run_id: str, now: dt.datetime) -> list[Entry]:
        with self._write() as db:
            rows = db.execute(
                f"SELECT {', '.join(ENTRY_FIELDS)} FROM kiriman WHERE status = ? AND next_attempt_at <= ?",
                (FAILED, stamp(now)),
            ).fetchall()
            claimed = []
            for row in rows:
                entry = Entry(*row)
                db.execute(
                    "UPDATE kiriman SET status = ?, claimed_by = ?, claimed_at = ?, updated_at = ?, attempts = attempts + 1 "
                    "WHERE event_key = ? AND recipient = ? AND status = ?",
                    (CLAIMED, run_id, stamp(now), stamp(now), entry.event_key, entry.recipient, FAILED),
                )
                entry.status, entry.claimed_by, entry.attempts = CLAIMED, run_id, entry.attempts + 1
                claimed.append(entry)
            return claimed

    def record(
        self,
        entry: Entry,
        status: str,
        now: dt.datetime,
        *,
        error: str = "",
        next_attempt_at: str = "",
        remote_id: str = "",
    ) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE kiriman SET status = ?, updated_at = ?, error = ?, next_attempt_at = ?, remote_id = ? "
                "WHERE event_key = ? AND recipient = ? AND status = ? AND claimed_by = ?",
                (
                    status,
                    stamp(now),
                    error,
                    next_attempt_at,
                    remote_id,
                    entry.event_key,
                    entry.recipient,
                    CLAIMED,
                    entry.claimed_by,
                ),
            )
        entry.status, entry.error, entry.next_attempt_at = status, error, next_attempt_at

    def expire_claims(self, now: dt.datetime) -> list[Entry]:
        limit = stamp(pd.Timestamp(now) - CLAIM_LEASE)
        reason = "run berhenti di tengah pengiriman: tidak diketahui apakah pesan sampai"
        with self._write() as db:
            rows = db.execute(
                f"SELECT {', '.join(ENTRY_FIELDS)} FROM kiriman WHERE status = ? AND claimed_at < ?",
                (CLAIMED, limit),
            ).fetchall()
            db.execute(
                "UPDATE kiriman SET status = ?, error = ?, updated_at = ? WHERE status = ? AND claimed_at < ?",
                (UNCERTAIN, reason, stamp(now), CLAIMED, limit),
            )
        return [Entry(*row) for row in rows]

    def allow_resend(self, event_key: str, recipient: str, now: dt.datetime) -> bool:
        with self._write() as db:
            cursor = db.execute(
                "UPDATE kiriman SET status = ?, next_attempt_at = ?, error = error || ' (kirim ulang diminta admin)' "
                "WHERE event_key = ? AND recipient = ? AND status = ?",
                (FAILED, stamp(now), event_key, recipient, UNCERTAIN),
            )
            return cursor.rowcount == 1

    def entries(self) -> list[Entry]:
        with self._connect() as db:
            rows = db.execute(f"SELECT {', '.join(ENTRY_FIELDS)} FROM kiriman ORDER BY updated_at").fetchall()
        return [Entry(*row) for row in rows]

    def save_run(self, run: RunRecord) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.started_at,
                    run.finished_at,
                    int(run.dry_run),
                    run.sent,
                    run.failed,
                    run.uncertain,
                    run.report,
                ),
            )

    def runs(self, limit: int = 20) -> list[RunRecord]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT run_id, started_at, finished_at, dry_run, sent, failed, uncertain, report FROM runs "
                "ORDER BY finished_at DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [RunRecord(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7]) for r in rows]


def entries_frame(entries: Sequence[Entry]) -> pd.DataFrame:
    """The ledger as a table (admin page): one row per (event, recipient), text left out."""
    columns = [f for f in ENTRY_FIELDS if f not in ("text", "html")]
    return pd.DataFrame([{f: getattr(e, f) for f in columns} for e in entries], columns=columns)
