"""The first save on a Google Sheet creates the hidden claim sheet ``_Kunci Pantau``: two petugas
making that first save at the same moment must still exclude each other (over real HTTP against the
local Sheets API fake, with the header write and the register write delayed to open the window)."""

from __future__ import annotations

import threading

import pytest

from data_sources.base import ConcurrentChange
from data_sources.gsheets import CONTROL_HEADER, CONTROL_SHEET
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from tests.data_sources.test_gsheets import audit, next_key, rows
from tests.data_sources.test_gsheets_races import new_source
from tests.fakes.sheets_api import FakeSheetsServer, slow

SHEET = "Sukamaju"


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


def _header_write(rec) -> bool:
    """A write of the control sheet's first row (the old code wrote its header after creating it)."""
    return rec.kind == "values.update" and CONTROL_SHEET in rec.path and rec.path.endswith("!A1")


def _delay_first_save(server) -> None:
    server.inject(_header_write, slow(0.3))
    server.inject(lambda rec: rec.kind == "values.batchUpdate" and SHEET in rec.path, slow(0.6))
    server.inject(
        lambda rec: rec.kind == "values.append" and SHEET in rec.path and CONTROL_SHEET not in rec.path,
        slow(0.6),
    )


def _both(run) -> list[str]:
    barrier = threading.Barrier(2)
    results: list[str] = []

    def worker(name: str) -> None:
        results.append(run(name, barrier))

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("ani", "budi")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(results)


def test_two_first_saves_of_the_same_field_one_is_refused(server):
    key = server.add_spreadsheet("R", {SHEET: rows(SHEET, 3), AUDIT_SHEET: [list(AUDIT_HEADER)]})
    _delay_first_save(server)

    def run(name: str, barrier: threading.Barrier) -> str:
        source = new_source(server.base_url, key)
        source.read()
        barrier.wait()
        try:
            source.update_row(
                SHEET,
                "Nomor",
                "A-002",
                {"Tahap": ("diterima", name)},
                [audit("A-002", "Tahap", "diterima", name, sid=name)],
                submission_id=name,
            )
        except ConcurrentChange:
            return "refused"
        return "saved"

    assert _both(run) == ["refused", "saved"]
    control = server.values(key, CONTROL_SHEET)
    assert control[0] == list(CONTROL_HEADER)  # the header row holds no claim, no status
    assert len([r for r in control[1:] if r and r[0].strip()]) == 2  # both claims kept
    audit_rows = server.values(key, AUDIT_SHEET)[1:]
    assert len(audit_rows) == 1 and audit_rows[0][3] == "diterima"
    assert server.values(key, SHEET)[2][4] == audit_rows[0][4]


def test_two_first_appends_get_different_nomors(server):
    key = server.add_spreadsheet("R", {SHEET: rows(SHEET, 3), AUDIT_SHEET: [list(AUDIT_HEADER)]})
    _delay_first_save(server)

    def run(name: str, barrier: threading.Barrier) -> str:
        source = new_source(server.base_url, key)
        source.read()
        barrier.wait()
        result = source.append_row(
            SHEET,
            "Nomor",
            {"Desa": SHEET, "Isi Pengaduan": f"aduan {name}"},
            next_key("A"),
            lambda nomor: [audit(nomor, "Isi Pengaduan", "", f"aduan {name}", sid=name)],
            submission_id=name,
        )
        return result.key

    keys = _both(run)
    assert keys == ["A-004", "A-005"]
    nomors = [r[0] for r in server.values(key, SHEET)[1:]]
    assert sorted(nomors) == ["A-001", "A-002", "A-003", "A-004", "A-005"]
    assert server.values(key, CONTROL_SHEET)[0] == list(CONTROL_HEADER)


def test_a_claim_written_over_is_claimed_again_before_anything_is_written(server):
    key = server.add_spreadsheet("R", {SHEET: rows(SHEET, 3), AUDIT_SHEET: [list(AUDIT_HEADER)]})
    source = new_source(server.base_url, key)
    source.read()
    erased = []

    def erase_claims_once(rec) -> bool:
        # the first look at the claims: someone wrote over our claim row meanwhile
        if not erased and rec.kind == "values.get" and CONTROL_SHEET in rec.path:
            server.set_values(key, CONTROL_SHEET, [[""] * len(CONTROL_HEADER)], start="A2")
            erased.append(rec)
        return False

    server.inject(erase_claims_once, slow(0))
    source.update_row(
        SHEET,
        "Nomor",
        "A-002",
        {"Tahap": ("diterima", "verifikasi")},
        [audit("A-002", "Tahap", "diterima", "verifikasi", sid="s1")],
        submission_id="s1",
    )
    control = server.values(key, CONTROL_SHEET)
    assert erased and control[0] == list(CONTROL_HEADER)
    # the claim was appended again (into the emptied row) and released there, not in the header
    assert [r[4] for r in control[1:] if len(r) > 4 and r[0].strip()] == ["selesai"]
    assert len(control) == 2 and control[1][2] == "s1"
