"""data_sources.form_responses and services.intake on the project's Sheets API fake: the response
sheet in the register's spreadsheet, read and marked with the register source's client; merges under
injected faults (lost answers after apply, 500s, dropped connections) and two intakes at once never
add a response twice."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections import Counter

import pytest

from data_sources.form_responses import GoogleResponseSheet, LocalResponseSheet, response_sheet_for
from data_sources.gsheets import GoogleSheetsSource, GSheetsConfig, LeasePolicy, RetryPolicy
from data_sources.local_file import LocalFileSource
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from metrics.errors import PantauError
from metrics.form_responses import DEFAULT_WORKSHEET
from metrics.profiles import load_profile, register_header
from metrics.register import normalise_register
from services.intake import merge_responses
from services.intake_config import intake_config
from tests.fakes.sheets_api import FakeSheetsServer

NOW = dt.datetime(2026, 11, 30, 10, 0)
DESAS = ["Cibodas", "Sukamaju"]
QUESTIONS = ["Stempel waktu", "Desa", "Nama Pelapor", "Alamat", "Nomor HP", "Isi Pengaduan"]
PROFILE = load_profile("umum")


def responses(n: int) -> list[list[str]]:
    return [
        [
            f"{1 + i % 28}/11/2026 {8 + i % 9}:{i % 60:02d}:{i % 7:02d}",
            DESAS[i % 2],
            f"Warga {i}",
            f"RT {i % 9:02d}",
            f"0812{i:08d}",
            f"Pengaduan nomor {i}: lampu jalan di gang {i} mati",
        ]
        for i in range(n)
    ]


def spreadsheet(server: FakeSheetsServer, n: int) -> str:
    header = register_header(PROFILE)
    return server.add_spreadsheet(
        "Register",
        {
            "Cibodas": [header],
            "Sukamaju": [header],
            AUDIT_SHEET: [list(AUDIT_HEADER)],
            DEFAULT_WORKSHEET: [QUESTIONS, *responses(n)],
        },
    )


def source_for(server, key, *, attempts=5) -> GoogleSheetsSource:
    return GoogleSheetsSource(
        GSheetsConfig(api_base_url="unused", spreadsheet=key, service_account={"client_email": "x@y"}),
        session=server.session(),
        policy=RetryPolicy.fast(attempts=attempts, timeout=2),
        lease=LeasePolicy(seconds=4, wait=5),
    )


def merge_once(server, key, *, attempts=5):
    source = source_for(server, key, attempts=attempts)
    register = normalise_register(source.read(), PROFILE, desa_names=DESAS)
    config = intake_config({})
    sheet = response_sheet_for(source, config.worksheet)
    return merge_responses(source, sheet, register, PROFILE, config, desas=DESAS, now=NOW)


def register_rows(server, key) -> list[list]:
    rows = []
    for desa in DESAS:
        rows += [r for r in server.values(key, desa)[1:] if r and r[0]]
    return rows


def outcome(server, key, n) -> dict[str, int]:
    """Rows per response (by its complaint text), marks written, duplicates."""
    texts = Counter(str(r[8]) for r in register_rows(server, key))
    marks = [r[6] if len(r) > 6 else "" for r in server.values(key, DEFAULT_WORKSHEET)[1:]]
    return {
        "responses": n,
        "in_register": sum(1 for _t, c in texts.items() if c),
        "duplicates": sum(c - 1 for c in texts.values() if c > 1),
        "marked": sum(1 for m in marks if str(m).strip()),
    }


def merge_until_done(server, key, n, *, max_runs=40) -> dict[str, int]:
    """Run the intake again after every failed run (like cron would) until all are marked."""
    figures = Counter()
    for _run in range(max_runs):
        figures["runs"] += 1
        try:
            report = merge_once(server, key, attempts=3)
        except PantauError:
            figures["failed_runs"] += 1
            continue
        figures["merged"] += len(report.merged)
        figures["replayed"] += len(report.replayed)
        if report.errors:
            figures["runs_with_errors"] += 1
            continue
        if report.already == n:
            break
    return {**figures, **outcome(server, key, n)}


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


def test_reads_and_marks_the_response_sheet_and_grows_its_grid(server):
    key = server.add_spreadsheet("R", {DEFAULT_WORKSHEET: [QUESTIONS, *responses(2)]}, cols=len(QUESTIONS))
    sheet = GoogleResponseSheet(source_for(server, key), DEFAULT_WORKSHEET)
    grid = sheet.read()
    assert grid is not None and grid.values[0] == QUESTIONS and len(grid.values) == 3
    sheet.write_cells({(1, 6): "Nomor Pantau", (2, 6): "=1+1"})  # outside the form's grid; RAW
    assert server.values(key, DEFAULT_WORKSHEET)[1][6] == "=1+1"
    assert not server.is_formula(key, DEFAULT_WORKSHEET, 2, 7)
    assert GoogleResponseSheet(source_for(server, key), "Tidak Ada").read() is None


def test_each_response_once_and_the_response_sheet_is_not_a_register_sheet(server):
    key = spreadsheet(server, 6)
    first = merge_once(server, key)
    assert len(first.merged) == 6 and not first.errors and not first.pending
    source = source_for(server, key)
    register = normalise_register(source.read(), PROFILE, desa_names=DESAS)
    assert len(register.complaints) == 6 and DEFAULT_WORKSHEET not in register.headers
    server.reset_counts()
    second = merge_once(server, key)
    assert second.already == 6 and not second.merged
    assert outcome(server, key, 6)["duplicates"] == 0


def test_lost_answers_and_500s_never_duplicate(server):
    key = spreadsheet(server, 12)
    server.chaos(0.3, seed=16, faults=(500, 503, "drop", "drop_after_apply"))
    figures = merge_until_done(server, key, 12)
    server.clear_faults()
    final = merge_once(server, key)
    assert not final.merged and final.already == 12
    assert outcome(server, key, 12) == {"responses": 12, "in_register": 12, "duplicates": 0, "marked": 12}
    assert figures["runs"] >= 1


def test_two_intakes_at_once_add_each_response_once(server):
    key = spreadsheet(server, 8)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            merge_once(server, key)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    merge_once(server, key)  # whatever one of them could not mark
    assert outcome(server, key, 8) == {"responses": 8, "in_register": 8, "duplicates": 0, "marked": 8}


def test_writing_no_cells_sends_no_request(server):
    key = server.add_spreadsheet("R", {DEFAULT_WORKSHEET: [QUESTIONS, *responses(1)]}, cols=len(QUESTIONS))
    sheet = GoogleResponseSheet(source_for(server, key), DEFAULT_WORKSHEET)
    sheet.write_cells({})
    assert sheet.requests == 0


def test_local_sheet_writing_no_cells_leaves_the_file_untouched(tmp_path, demo_register_path):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    before = path.read_bytes()
    LocalResponseSheet(LocalFileSource(path), "Tidak Ada").write_cells({})
    assert path.read_bytes() == before
