"""The Google Sheets ledger (``Notifikasi`` worksheet) against the local fake Sheets API."""

from __future__ import annotations

import threading

import pandas as pd

from services.notifications.ledger import FAILED, SENT, UNCERTAIN, Entry, RunRecord
from services.notifications.sheets_ledger import HEADER, SheetsLedger
from tests.fakes.sheets_api import FakeSheetsServer

NOW = pd.Timestamp("2026-11-30 08:00")


def _entry(key: str, run: str, recipient: str = "siti/telegram") -> Entry:
    return Entry(
        key, recipient, kind="baru", desa="Cibodas", nomor="CBD/1", subject="S", text="teks", claimed_by=run
    )


def test_worksheet_created_beside_riwayat_and_claims_are_exclusive():
    with FakeSheetsServer() as server:
        key = server.add_spreadsheet("Register", {"Cibodas": [["Nomor"]], "Riwayat": [["Waktu"]]})
        ledger = SheetsLedger(server.client(), key)
        first = _entry("baru:CBD/1", "run-a")
        assert ledger.claim(first, NOW)
        assert not ledger.claim(_entry("baru:CBD/1", "run-b"), NOW)
        ledger.record(first, SENT, NOW, remote_id="17")
        (entry,) = ledger.entries()
        assert (entry.status, entry.remote_id, entry.text) == (SENT, "17", "teks")
        assert server.values(key, "Notifikasi")[0] == list(HEADER)


def test_two_runs_claiming_at_once_one_wins_each_entry():
    with FakeSheetsServer() as server:
        key = server.add_spreadsheet("Register", {"Cibodas": [["Nomor"]]})
        results: dict[str, list[Entry]] = {}
        SheetsLedger(server.client(), key).entries()  # the worksheet exists before the race

        def run(name: str) -> None:
            ledger = SheetsLedger(server.client(), key)
            entries = [_entry(f"baru:CBD/{i}", name) for i in range(6)]
            results[name] = ledger.claim_many(entries, NOW)

        threads = [threading.Thread(target=run, args=(n,)) for n in ("run-a", "run-b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        won = [e.event_key for entries in results.values() for e in entries]
        assert sorted(won) == sorted(f"baru:CBD/{i}" for i in range(6))  # each claimed exactly once


def test_failed_entry_is_retried_after_backoff_and_uncertain_waits_for_admin():
    with FakeSheetsServer() as server:
        key = server.add_spreadsheet("Register", {"Cibodas": [["Nomor"]]})
        ledger = SheetsLedger(server.client(), key)
        failed, unsure = _entry("a", "r1"), _entry("b", "r1")
        assert ledger.claim_many([failed, unsure], NOW) == [failed, unsure]
        ledger.record(failed, FAILED, NOW, error="503", next_attempt_at="2026-11-30T08:10:00")
        ledger.record(unsure, UNCERTAIN, NOW, error="koneksi putus")
        assert ledger.claim_retries("r2", NOW) == []
        (retry,) = ledger.claim_retries("r2", NOW + pd.Timedelta(minutes=10))
        assert (retry.event_key, retry.attempts, retry.text) == ("a", 2, "teks")
        assert ledger.claim_retries("r3", NOW + pd.Timedelta(minutes=10)) == []  # already claimed by r2
        assert ledger.allow_resend("b", "siti/telegram", NOW)
        ledger.save_run(RunRecord("r2", "2026-11-30T08:10:00", "2026-11-30T08:10:05", sent=1, report="ok"))
        assert [(r.run_id, r.sent, r.report) for r in ledger.runs()] == [("r2", 1, "ok")]


def test_a_pass_with_the_sheets_ledger_sends_once(loaded, telegram, smtp, make_config):
    from services.notifications.run import run_once

    config = make_config(telegram.base_url, smtp.port)
    with FakeSheetsServer() as server:
        key = server.add_spreadsheet("Register", {"Cibodas": [["Nomor"]]})
        reports = []
        for _ in range(2):
            ledger = SheetsLedger(server.client(), key)
            reports.append(
                run_once(
                    complaints=loaded.register.complaints,
                    profile=loaded.profile,
                    calendar=loaded.calendar,
                    config=config,
                    ledger=ledger,
                    now=NOW,
                    sleep=lambda s: None,
                )
            )
        assert reports[0].exit_code == 0 and len(reports[0].sent) == len(telegram.delivered) + len(
            smtp.delivered
        )
        assert reports[1].sent == [] and len(ledger.runs()) == 2
