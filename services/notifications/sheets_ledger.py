"""The notification ledger of a Google Sheets register: a ``Notifikasi`` worksheet beside
``Riwayat`` in the (first) register spreadsheet, append-only.

Google Sheets has no transaction or unique constraint, so a claim is made the way
``GoogleSheetsSource.append_row`` settles a new Nomor: append a claim row (status ``mengirim``,
attempt n, this run's id), read the sheet again, and the claim row *highest in the sheet* for that
(event, recipient, attempt) wins; the others back off. Outcome rows (``terkirim``, ``gagal``,
``tidak_pasti``) only count when written by the run holding that attempt's claim. The state of a
pair is its last counted row. Runs are kept as rows whose key starts with ``run:``.

A write whose answer was lost is checked by reading the sheet again before it is repeated (the
rows carry this run's id, so they are recognised). Guarantee: as in ``ledger.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from typing import Any

import gspread
import pandas as pd
from gspread.utils import ValueInputOption

from data_sources.base import SourceError
from services.notifications.ledger import (
    CLAIM_LEASE,
    CLAIMED,
    FAILED,
    LEDGER_SHEET,
    SENT,
    UNCERTAIN,
    Entry,
    RunRecord,
    stamp,
)

HEADER = (
    "Waktu",
    "Kunci",
    "Penerima",
    "Status",
    "Percobaan",
    "Run",
    "Coba Lagi",
    "Keterangan",
    "Jenis",
    "Desa",
    "Nomor",
    "Subjek",
    "Teks",
    "HTML",
    "ID Pesan",
)


class SheetsLedger:
    batch_claims = True  # one append + one read for all new claims of a run (API quota)

    def __init__(self, client: gspread.Client, spreadsheet_key: str) -> None:
        self.client = client
        self.key = spreadsheet_key
        self._worksheet: gspread.Worksheet | None = None

    @classmethod
    def for_source(cls, source: Any) -> SheetsLedger:
        """The ledger beside the ``Riwayat`` sheet of a ``GoogleSheetsSource`` (its gspread client)."""
        return cls(source.client, source._spreadsheet_keys()[0])  # noqa: SLF001 - the source's own key list

    # ------------------------------------------------------------------ sheet access
    def _sheet(self) -> gspread.Worksheet:
        if self._worksheet is None:
            spreadsheet = self.client.open_by_key(self.key)
            try:
                self._worksheet = spreadsheet.worksheet(LEDGER_SHEET)
            except gspread.WorksheetNotFound:
                try:
                    self._worksheet = spreadsheet.add_worksheet(LEDGER_SHEET, rows=1000, cols=len(HEADER))
                except gspread.exceptions.APIError:  # created by another run meanwhile
                    self._worksheet = self.client.open_by_key(self.key).worksheet(LEDGER_SHEET)
                    return self._worksheet
                self._append([list(HEADER)], check=None)
        return self._worksheet

    def _rows(self) -> list[dict[str, str]]:
        values = self._sheet().get_all_values()
        if not values:
            return []
        return [dict(zip(HEADER, row + [""] * (len(HEADER) - len(row)), strict=False)) for row in values[1:]]

    def _append(self, rows: Sequence[Sequence[str]], *, check: str | None) -> None:
        """Append ``rows``; when the answer is lost, ``check`` (a value of column Run, unique to this
        write) tells whether they already landed before trying once more."""
        sheet = self._worksheet if self._worksheet is not None else self._sheet()
        try:
            sheet.append_rows([list(r) for r in rows], value_input_option=ValueInputOption.raw)
            return
        except Exception as error:  # noqa: BLE001 - gspread/requests raise many kinds
            if check is None or not any(r["Run"] == check for r in self._rows()):
                try:
                    sheet.append_rows([list(r) for r in rows], value_input_option=ValueInputOption.raw)
                except Exception as again:  # noqa: BLE001
                    raise SourceError(f"Sheet {LEDGER_SHEET} tidak dapat ditulis: {again}") from error

    # ------------------------------------------------------------------ state
    @staticmethod
    def _state(rows: list[dict[str, str]]) -> dict[tuple[str, str], tuple[dict[str, str], dict[str, str]]]:
        """(key, recipient) -> (counted last row, winning claim row of its attempt)."""
        winners: dict[tuple[str, str, str], dict[str, str]] = {}
        state: dict[tuple[str, str], tuple[dict[str, str], dict[str, str]]] = {}
        for row in rows:
            if row["Kunci"].startswith("run:") or not row["Kunci"]:
                continue
            pair = (row["Kunci"], row["Penerima"])
            attempt = (row["Kunci"], row["Penerima"], row["Percobaan"])
            if row["Status"] == CLAIMED:
                if attempt in winners:
                    continue  # a losing claim
                winners[attempt] = row
                state[pair] = (row, row)
            elif attempt in winners and winners[attempt]["Run"] == row["Run"]:
                state[pair] = (row, winners[attempt])
        return state

    @staticmethod
    def _entry(row: dict[str, str], claim: dict[str, str]) -> Entry:
        return Entry(
            event_key=row["Kunci"],
            recipient=row["Penerima"],
            kind=claim["Jenis"],
            desa=claim["Desa"],
            nomor=claim["Nomor"],
            status=row["Status"],
            attempts=int(row["Percobaan"] or 1),
            subject=claim["Subjek"],
            text=claim["Teks"],
            html=claim["HTML"],
            claimed_by=claim["Run"],
            claimed_at=claim["Waktu"],
            updated_at=row["Waktu"],
            next_attempt_at=row["Coba Lagi"],
            error=row["Keterangan"],
            remote_id=row["ID Pesan"],
        )

    def _row(self, entry: Entry, status: str, now: dt.datetime, run: str, **extra: str) -> list[str]:
        return [
            stamp(now),
            entry.event_key,
            entry.recipient,
            status,
            str(entry.attempts),
            run,
            extra.get("next_attempt_at", ""),
            extra.get("error", ""),
            entry.kind,
            entry.desa,
            entry.nomor,
            entry.subject if status == CLAIMED else "",
            entry.text if status == CLAIMED else "",
            entry.html if status == CLAIMED else "",
            extra.get("remote_id", ""),
        ]

    # ------------------------------------------------------------------ Ledger protocol
    def new_run_id(self) -> str:
        return uuid.uuid4().hex[:12]

    def claim(self, entry: Entry, now: dt.datetime) -> bool:
        return bool(self.claim_many([entry], now))

    def claim_many(self, entries: Sequence[Entry], now: dt.datetime) -> list[Entry]:
        """Claim new entries with one append and one read; returns the ones this run won."""
        state = self._state(self._rows())
        fresh = [e for e in entries if (e.event_key, e.recipient) not in state]
        if not fresh:
            return []
        for entry in fresh:
            entry.attempts, entry.status, entry.claimed_at = 1, CLAIMED, stamp(now)
        run = fresh[0].claimed_by
        self._append([self._row(e, CLAIMED, now, run) for e in fresh], check=run)
        state = self._state(self._rows())
        return [e for e in fresh if state[(e.event_key, e.recipient)][1]["Run"] == run]

    def claim_retries(self, run_id: str, now: dt.datetime) -> list[Entry]:
        due = [
            self._entry(row, claim)
            for row, claim in self._state(self._rows()).values()
            if row["Status"] == FAILED and row["Coba Lagi"] <= stamp(now)
        ]
        if not due:
            return []
        for entry in due:
            entry.attempts += 1
            entry.claimed_by = run_id
        self._append([self._row(e, CLAIMED, now, run_id) for e in due], check=run_id)
        state = self._state(self._rows())
        won = []
        for entry in due:
            row, claim = state[(entry.event_key, entry.recipient)]
            if claim["Run"] == run_id and claim["Percobaan"] == str(entry.attempts):
                entry.status = CLAIMED
                won.append(entry)
        return won

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
        row = self._row(
            entry,
            status,
            now,
            entry.claimed_by,
            error=error,
            next_attempt_at=next_attempt_at,
            remote_id=remote_id,
        )
        self._append([row], check=None)
        entry.status, entry.error, entry.next_attempt_at = status, error, next_attempt_at

    def expire_claims(self, now: dt.datetime) -> list[Entry]:
        limit = stamp(pd.Timestamp(now) - CLAIM_LEASE)
        stale = [
            self._entry(row, claim)
            for row, claim in self._state(self._rows()).values()
            if row["Status"] == CLAIMED and row["Waktu"] < limit
        ]
        reason = "run berhenti di tengah pengiriman: tidak diketahui apakah pesan sampai"
        if stale:
            self._append(
                [self._row(e, UNCERTAIN, now, e.claimed_by, error=reason) for e in stale], check=None
            )
        for entry in stale:
            entry.status, entry.error = UNCERTAIN, reason
        return stale

    def allow_resend(self, event_key: str, recipient: str, now: dt.datetime) -> bool:
        current = self._state(self._rows()).get((event_key, recipient))
        if current is None or current[0]["Status"] != UNCERTAIN:
            return False
        entry = self._entry(*current)
        self.record(
            entry, FAILED, now, error=entry.error + " (kirim ulang diminta admin)", next_attempt_at=stamp(now)
        )
        return True

    def entries(self) -> list[Entry]:
        return [self._entry(row, claim) for row, claim in self._state(self._rows()).values()]

    def save_run(self, run: RunRecord) -> None:
        summary = json.dumps(
            {"sent": run.sent, "failed": run.failed, "uncertain": run.uncertain, "dry_run": run.dry_run}
        )
        row = [run.finished_at, f"run:{run.run_id}", "", "run", "", run.run_id, run.started_at, summary]
        row += [""] * 4 + [run.report, "", ""]
        self._append([row], check=None)

    def runs(self, limit: int = 20) -> list[RunRecord]:
        out = []
        for row in self._rows():
            if not row["Kunci"].startswith("run:"):
                continue
            try:
                summary = json.loads(row["Keterangan"] or "{}")
            except ValueError:
                summary = {}
            out.append(
                RunRecord(
                    run_id=row["Run"],
                    started_at=row["Coba Lagi"],
                    finished_at=row["Waktu"],
                    dry_run=bool(summary.get("dry_run")),
                    sent=int(summary.get("sent", 0)),
                    failed=int(summary.get("failed", 0)),
                    uncertain=int(summary.get("uncertain", 0)),
                    report=row["Teks"],
                )
            )
        return list(reversed(out))[:limit]


__all__ = ["HEADER", "SENT", "SheetsLedger"]
