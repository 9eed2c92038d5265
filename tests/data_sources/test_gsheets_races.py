"""Concurrent savers and replayed submissions on the Google Sheets source, over real HTTP against the
local Sheets API fake: two petugas (threads with their own source objects, or two OS processes)
saving the same complaint at the same moment, and the same submission sent again after its answers
were lost. The harness functions return figures; ``bench/bench_sheets.py`` prints them."""

from __future__ import annotations

import multiprocessing
import random
import threading
from collections import Counter
from collections.abc import Callable

from data_sources.base import ConcurrentChange, SourceError
from data_sources.gsheets import CONTROL_SHEET, GoogleSheetsSource, GSheetsConfig, LeasePolicy, RetryPolicy
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from tests.data_sources.test_gsheets import EMAIL, audit, next_key, rows
from tests.fakes.sheets_api import DROP_AFTER_APPLY, FakeSheetsServer, FakeSheetsSession

SHEET = "Sukamaju"
NOMOR = "A-002"
TAHAP, ISI = 4, 3  # column positions in tests.data_sources.test_gsheets.H
FAST_LEASE = LeasePolicy(poll=0.02)


def new_source(base_url: str, key: str) -> GoogleSheetsSource:
    """A fresh source object, as every save in the app builds one (no shared in-process guard)."""
    return GoogleSheetsSource(
        GSheetsConfig(spreadsheet=key, api_base_url="unused", service_account={"client_email": EMAIL}),
        session=FakeSheetsSession(base_url),
        policy=RetryPolicy.fast(),
        lease=FAST_LEASE,
    )


def save(base_url: str, key: str, sid: str, field: str, new: str, wait: Callable[[], object]) -> str:
    """One petugas: load the complaint, wait for the other, save one field. -> outcome."""
    source = new_source(base_url, key)
    grid = next(g for g in source.read() if g.name == SHEET)
    header = grid.values[0]
    row = next(r for r in grid.values[1:] if r[0] == NOMOR)
    loaded = row[header.index(field)] if header.index(field) < len(row) else ""
    wait()
    try:
        source.update_row(
            SHEET,
            "Nomor",
            NOMOR,
            {field: (loaded, new)},
            [audit(NOMOR, field, loaded, new, sid=sid)],
            submission_id=sid,
        )
    except ConcurrentChange:
        return "refused"
    except SourceError as error:  # pragma: no cover - reported in the figures
        return f"error: {error}"
    return "saved"


def _process_saver(base_url: str, key: str, name: str, rounds: int, pair, checked, results) -> None:
    for plan in race_plan(rounds):
        n = plan["round"]
        field, new = plan[name]
        results.put((n, name, save(base_url, key, f"{name}{n}", field, new, pair.wait)))
        checked.wait()  # the parent checks the round before the next one starts


def race_plan(rounds: int) -> list[dict]:
    """Even rounds: both change Tahap (one must be refused). Odd rounds: different fields (both kept)."""
    plans = []
    for n in range(rounds):
        other = "Tahap" if n % 2 == 0 else "Isi Pengaduan"
        plans.append({"round": n, "ani": ("Tahap", f"ani-{n}"), "budi": (other, f"budi-{n}")})
    return plans


def race_rounds(server: FakeSheetsServer, rounds: int, *, processes: bool = False) -> Counter:
    """``rounds`` rounds of two concurrent savers; returns figures, ``lost`` counts lost updates."""
    key = server.add_spreadsheet("Race", {SHEET: rows(SHEET, 3), AUDIT_SHEET: [list(AUDIT_HEADER)]})
    plans = race_plan(rounds)
    figures: Counter = Counter(rounds=rounds)
    if processes:
        context = multiprocessing.get_context("spawn")
        pair, checked, results = (
            context.Barrier(2, timeout=60),
            context.Barrier(3, timeout=60),
            context.Queue(),
        )
        workers = [
            context.Process(
                target=_process_saver, args=(server.base_url, key, name, rounds, pair, checked, results)
            )
            for name in ("ani", "budi")
        ]
        for worker in workers:
            worker.start()
        for plan in plans:
            outcome: dict[str, str] = {}
            for _ in range(2):
                n, name, result = results.get(timeout=120)
                assert n == plan["round"]
                outcome[name] = result
            figures.update(check_round(server, key, plan, outcome))
            checked.wait()
        for worker in workers:
            worker.join(timeout=60)
        return figures
    for plan in plans:
        n = plan["round"]
        outcome = {}
        barrier = threading.Barrier(2, timeout=60)

        def run(name: str, plan=plan, barrier=barrier, n=n, outcome=outcome) -> None:
            field, new = plan[name]
            outcome[name] = save(server.base_url, key, f"{name}{n}", field, new, barrier.wait)

        threads = [threading.Thread(target=run, args=(name,)) for name in ("ani", "budi")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        figures.update(check_round(server, key, plan, outcome))
    return figures


def check_round(server: FakeSheetsServer, key: str, plan: dict, outcome: dict[str, str]) -> Counter:
    """Lost = a save reported as saved whose value is not in the row, or whose audit row is
    missing or doubled; or an audit row for a save that was refused."""
    figures: Counter = Counter()
    grid = server.values(key, SHEET)
    header = grid[0]
    row = next(r for r in grid[1:] if r[0] == NOMOR)
    trail = server.values(key, AUDIT_SHEET)[1:]
    for name in ("ani", "budi"):
        field, new = plan[name]
        figures[outcome[name].split(":")[0]] += 1
        sid = f"{name}{plan['round']}"
        logged = sum(1 for r in trail if len(r) > 7 and r[7] == sid)
        if outcome[name] == "saved":
            if row[header.index(field)] != new or logged != 1:
                figures["lost"] += 1
        elif logged:
            figures["lost"] += 1  # an audit row for a change that was not made
    if plan["ani"][0] == plan["budi"][0] and list(outcome.values()).count("saved") != 1:
        figures["same_field_not_exactly_one_saved"] += 1
    if plan["ani"][0] != plan["budi"][0] and list(outcome.values()).count("saved") != 2:
        figures["different_fields_not_both_kept"] += 1
    return figures


def replay_rounds(server: FakeSheetsServer, rounds: int, seed: int = 7) -> Counter:
    """Each round: one submission (an update or a new complaint) whose answers are lost (applied, no
    reply) at a random step, sent again 1-3 times with the same id, once as a double click from two
    threads. ``duplicates`` counts extra complaint rows and audit blocks written twice."""
    key = server.add_spreadsheet("Replay", {SHEET: rows(SHEET, 3), AUDIT_SHEET: [list(AUDIT_HEADER)]})
    rng = random.Random(seed)
    figures: Counter = Counter(rounds=rounds)
    appended: dict[str, set[str]] = {}
    writes = [
        lambda rec: rec.kind == "values.append" and AUDIT_SHEET in rec.path,  # audit rows
        lambda rec: rec.kind == "values.append" and SHEET in rec.path,  # the complaint row
        lambda rec: rec.kind == "values.batchUpdate",  # the cells of an update
        lambda rec: rec.kind == "values.append" and CONTROL_SHEET in rec.path,  # the claim
        lambda rec: rec.kind == "values.update",  # write-ahead Nomor / release
    ]
    for n in range(rounds):
        sid = f"r{n}"
        is_append = n % 2 == 1
        lost = rng.randrange(len(writes))
        server.inject(writes[lost], DROP_AFTER_APPLY, times=rng.randint(1, 6))
        figures["lost_answers_planned"] += 1

        def submit(sid=sid, is_append=is_append, n=n) -> str:
            source = new_source(server.base_url, key)
            source.policy = RetryPolicy.fast(attempts=2)
            try:
                if is_append:
                    result = source.append_row(
                        SHEET,
                        "Nomor",
                        {"Desa": SHEET, "Isi Pengaduan": f"Aduan {n}"},
                        next_key("A"),
                        lambda k: [audit(k, "(baru)", "", f"Aduan {n}", sid=sid)],
                        submission_id=sid,
                    )
                    appended.setdefault(sid, set()).add(result.key)
                else:
                    current = next(r for r in server.values(key, SHEET)[1:] if r[0] == "A-001")
                    source.update_row(
                        SHEET,
                        "Nomor",
                        "A-001",
                        {"Tahap": (current[TAHAP], f"tahap-{n}")},
                        [audit("A-001", "Tahap", current[TAHAP], f"tahap-{n}", sid=sid)],
                        submission_id=sid,
                    )
                return "saved"
            except ConcurrentChange:
                return "refused"
            except SourceError:
                return "failed"

        outcome = submit()
        figures[f"first_{outcome}"] += 1
        server.clear_faults()
        for _ in range(rng.randint(1, 3)):
            figures["resubmissions"] += 1
            if submit() != "saved":
                figures["resubmission_not_saved"] += 1
        double = [threading.Thread(target=submit) for _ in range(2)]  # a double click
        for thread in double:
            thread.start()
        for thread in double:
            thread.join()
        figures["resubmissions"] += 2
        trail = server.values(key, AUDIT_SHEET)[1:]
        blocks = [r for r in trail if len(r) > 7 and r[7] == sid]
        if len(blocks) != 1:
            figures["duplicates" if len(blocks) > 1 else "missing_audit"] += 1
        if is_append and len(appended.get(sid, ())) != 1:
            figures["different_nomor_for_one_submission"] += 1
    grid = server.values(key, SHEET)
    keys = [r[0] for r in grid[1:]]
    figures["duplicates"] += len(keys) - len(set(keys))
    figures["duplicates"] += len(keys) - 3 - sum(1 for n in range(rounds) if n % 2 == 1)
    return figures


# ------------------------------------------------------------------------------------- tests
def test_two_concurrent_savers_in_threads_lose_nothing():
    with FakeSheetsServer() as server:
        figures = race_rounds(server, 100)
    assert figures["lost"] == 0, figures
    assert figures["same_field_not_exactly_one_saved"] == 0, figures
    assert figures["different_fields_not_both_kept"] == 0, figures
    assert figures["saved"] == 150 and figures["refused"] == 50, figures


def test_two_concurrent_savers_in_processes_lose_nothing():
    with FakeSheetsServer() as server:
        figures = race_rounds(server, 100, processes=True)
    assert figures["lost"] == 0, figures
    assert figures["same_field_not_exactly_one_saved"] == 0, figures
    assert figures["different_fields_not_both_kept"] == 0, figures
    assert figures["saved"] == 150 and figures["refused"] == 50, figures


def test_replayed_submissions_after_lost_answers_are_never_duplicated():
    with FakeSheetsServer() as server:
        figures = replay_rounds(server, 60)
    assert figures["duplicates"] == 0 and figures["missing_audit"] == 0, figures
    assert figures["different_nomor_for_one_submission"] == 0, figures
    assert figures["resubmission_not_saved"] == 0, figures
    assert figures["first_failed"] > 0  # the faults did make saves fail before they were resent
