"""services.desa_sources: on a synced kabupaten, a write for desa D goes to D's own spreadsheet."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from data_sources.gsheets import GoogleSheetsSource
from data_sources.snapshot_store import open_store
from metrics.complaint_updates import StageUpdate
from metrics.errors import PantauError
from metrics.profiles import load_profile, profile_ids
from metrics.register import normalise_register
from services.access import Viewer
from services.complaints import NotAllowed, apply_update, read_snapshot, record_complaint
from services.register_loading import load
from services.settings import parse_settings
from services.store_source import StoreBackedSource, store_backed
from services.sync.registry import load_registry
from tests.fakes.kabupaten import FakeDesa, seed_kabupaten, write_registry
from tests.fakes.sheets_api import FakeSheetsServer

NOW = dt.datetime(2026, 3, 4, 10, 0)


def store_synced_grid(store, entry, gsheets: dict) -> None:
    """What the worker stores for one desa: its register read from its own spreadsheet."""
    reader = GoogleSheetsSource.from_config(
        {"layout": "per_desa_spreadsheet", "spreadsheets": {entry.desa: entry.spreadsheet_id}, **gsheets}
    )
    store.save_grid(entry.desa_key, reader.read()[0], at=1000.0)


@pytest.fixture
def two_desas(tmp_path: Path):
    """Desa 001 (umum) and Desa 002 (kutai_kartanegara), each its own spreadsheet, synced into a
    store; the app's own [gsheets] spreadsheet is Desa 001's."""
    with FakeSheetsServer() as server:
        desas = seed_kabupaten(server, 2, 3, n_kecamatan=2)
        registry = load_registry(write_registry(desas, tmp_path / "desa.toml"), profile_ids())
        store = open_store(tmp_path / "s.sqlite")
        store.sync_registry(e.as_store_entry() for e in registry.entries)
        gsheets = {"spreadsheet": desas[0].spreadsheet_id, "api_base_url": server.base_url}
        for entry in registry.entries:  # what the worker synced
            store_synced_grid(store, entry, gsheets)
        secrets = {
            "gsheets": gsheets,
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
        }
        yield server, desas, secrets


def fields(desa: str) -> dict:
    return {
        "desa": desa,
        "nama_pelapor": "Siti Rahayu",
        "alamat": "RT 02",
        "no_hp": "081234567890",
        "saluran": "whatsapp",
        "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang",
        "tanggal_diterima": dt.datetime(2026, 3, 4, 9, 0),
    }


def app_source(secrets: dict, profile: str) -> StoreBackedSource:
    settings = parse_settings({**secrets, "pantau": {"sop": profile}}, {})
    source = store_backed(settings, GoogleSheetsSource.from_config(settings.gsheets))
    assert isinstance(source, StoreBackedSource)
    return source


def sheet_rows(server, desa: FakeDesa, name: str) -> list[list[str]]:
    return [[str(c) for c in row] for row in server.values(desa.spreadsheet_id, name) if any(row)]


def test_a_petugas_of_a_desa_on_another_spreadsheet_records_and_updates_there(two_desas) -> None:
    """Before routing (issue 17 item 1) this save failed with SourceError "Sheet 'Desa 002' bukan
    sheet register yang dikenal. Sheet register: Register." (the app's own spreadsheet)."""
    server, desas, secrets = two_desas
    a, b = desas
    profile = load_profile(b.profile)
    source = app_source(secrets, b.profile)
    register = normalise_register(source.read(), profile)
    petugas = Viewer("Petugas B", "petugas", (b.desa,))
    a_before = sheet_rows(server, a, "Register")

    result, _cells = record_complaint(
        source, register, profile, petugas, fields(b.desa), NOW, submission_id="b1"
    )
    b_rows = sheet_rows(server, b, "Register")
    assert len(b_rows) == 1 + 3 + 1 and result.key in b_rows[-1]  # header, 3 seeded, the new one
    assert sheet_rows(server, a, "Register") == a_before  # the app's own spreadsheet untouched
    assert "Riwayat" not in server.sheet_titles(a.spreadsheet_id)
    riwayat = sheet_rows(server, b, "Riwayat")
    created = [r for r in riwayat[1:] if r[1] == result.key]
    assert created and {r[-1] for r in created} == {"b1"}
    assert len(created) == len({r[2] for r in created})  # each column once: written exactly once

    # a replay (double click, rerun) is recognised: nothing written twice, the same Nomor back
    again, _ = record_complaint(source, register, profile, petugas, fields(b.desa), NOW, submission_id="b1")
    assert again.key == result.key
    assert len(sheet_rows(server, b, "Register")) == len(b_rows)
    assert len(sheet_rows(server, b, "Riwayat")) == len(riwayat)

    # the store has the new row at once, on B's key
    stored = normalise_register(source.read(), profile).complaints
    assert result.key in set(stored["nomor"])

    # an update lands in B's spreadsheet and B's Riwayat, once; history is read from there
    snapshot = read_snapshot(source, result.key, profile)
    update = StageUpdate(stage=profile.stages[1].key, when=NOW)
    first = apply_update(source, snapshot, update, profile, petugas, NOW, submission_id="u1")
    updated = sheet_rows(server, b, "Riwayat")
    assert not first.replayed and [r for r in updated if r[-1] == "u1"] and len(updated) > len(riwayat)
    replay = apply_update(source, snapshot, update, profile, petugas, NOW, submission_id="u1")
    assert replay.replayed and sheet_rows(server, b, "Riwayat") == updated  # recognised, not rewritten
    history = source.read_audit_of(b.desa)
    assert [r for r in history if r[1] == result.key and r[-1] == "u1"]
    assert not [r for r in source.read_audit() if r[1:2] == [result.key]]  # not in the app's own
    fresh = normalise_register(source.read(), profile).complaints.set_index("nomor")
    assert fresh.loc[result.key, "tahap"] == profile.stages[1].key


def test_nomors_are_never_reissued_per_desa(two_desas) -> None:
    """The next Nomor comes from B's register and B's Riwayat (a deleted row's Nomor stays used)."""
    server, desas, secrets = two_desas
    b = desas[1]
    profile = load_profile(b.profile)
    source = app_source(secrets, b.profile)
    petugas = Viewer("Petugas B", "petugas", (b.desa,))
    register = normalise_register(source.read(), profile)
    first, _ = record_complaint(source, register, profile, petugas, fields(b.desa), NOW, submission_id="n1")
    rows = server.values(b.spreadsheet_id, "Register")
    last = max(i for i, row in enumerate(rows) if any(row))
    server.delete_rows(b.spreadsheet_id, "Register", last + 1)  # someone deletes the new row by hand
    assert not [r for r in sheet_rows(server, b, "Register") if first.key in r]
    source.refresh(b.desa)
    register = normalise_register(source.read(), profile)
    second, _ = record_complaint(source, register, profile, petugas, fields(b.desa), NOW, submission_id="n2")
    assert second.key != first.key


def test_a_desa_on_the_apps_own_spreadsheet_is_written_there_too(two_desas) -> None:
    server, desas, secrets = two_desas
    a = desas[0]
    profile = load_profile(a.profile)
    source = app_source(secrets, a.profile)
    register = normalise_register(source.read(), profile)
    petugas = Viewer("Petugas A", "petugas", (a.desa,))
    result, _ = record_complaint(source, register, profile, petugas, fields(a.desa), NOW, submission_id="a1")
    assert result.key in sheet_rows(server, a, "Register")[-1]


@pytest.fixture
def unsynced_desa(tmp_path: Path):
    """Seven desas; Desa 001 and Desa 007 keep their registers on ``umum``. The worker listed every
    desa but has not read Desa 001 yet (cold sync midway, spreadsheet shared late). The app's own
    [gsheets] spreadsheet is an old per-desa-worksheet register with a worksheet 'Desa 007'."""
    with FakeSheetsServer() as server:
        desas = seed_kabupaten(server, 7, 2, n_kecamatan=2)
        neighbour = desas[6]
        app_key = server.add_spreadsheet("App", {"Desa 007": sheet_rows(server, neighbour, "Register")})
        registry = load_registry(write_registry(desas, tmp_path / "desa.toml"), profile_ids())
        store = open_store(tmp_path / "s.sqlite")
        store.sync_registry(e.as_store_entry() for e in registry.entries)
        gsheets = {"spreadsheet": app_key, "api_base_url": server.base_url}
        for entry in registry.entries[1:]:  # Desa 001 not read yet
            store_synced_grid(store, entry, gsheets)
        secrets = {
            "gsheets": gsheets,
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
        }
        yield server, desas, app_key, store, secrets


def all_cells(server, keys: list[str]) -> dict[tuple[str, str], list[list[str]]]:
    return {
        (key, title): [[str(c) for c in row] for row in server.values(key, title) if any(row)]
        for key in keys
        for title in server.sheet_titles(key)
    }


def test_an_unsynced_desa_records_in_its_own_spreadsheet_never_a_neighbours(unsynced_desa) -> None:
    """Before: Catat wrote Desa 001's complaint (with the complainant's phone) into Desa 007's
    spreadsheet — the first loaded sheet with a Desa column — and said 'Pengaduan tersimpan'."""
    server, desas, app_key, _store, secrets = unsynced_desa
    own, neighbour = desas[0], desas[6]
    profile = load_profile(own.profile)
    source = app_source(secrets, own.profile)
    register = normalise_register(source.read(), profile)
    assert own.desa not in set(register.complaints["desa"])  # not synced: not in the loaded register
    others = all_cells(server, [neighbour.spreadsheet_id, app_key])
    own_before = sheet_rows(server, own, "Register")
    petugas = Viewer("Petugas 001", "petugas", (own.desa,))

    result, _ = record_complaint(
        source, register, profile, petugas, fields(own.desa), NOW, submission_id="c1"
    )

    own_rows = sheet_rows(server, own, "Register")
    assert len(own_rows) == len(own_before) + 1 and result.key in own_rows[-1]
    assert "081234567890" in own_rows[-1]
    assert own_rows[0] == own_before[0]  # its own header row: no column added
    assert all_cells(server, [neighbour.spreadsheet_id, app_key]) == others
    again, _ = record_complaint(source, register, profile, petugas, fields(own.desa), NOW, submission_id="c1")
    assert again.key == result.key and sheet_rows(server, own, "Register") == own_rows  # replay: once


def test_a_desa_the_registry_does_not_know_is_refused_naming_it(unsynced_desa) -> None:
    server, desas, app_key, _store, secrets = unsynced_desa
    profile = load_profile("umum")
    source = app_source(secrets, "umum")
    register = normalise_register(source.read(), profile)
    everything = all_cells(server, [app_key, *(d.spreadsheet_id for d in desas)])
    stranger = Viewer("Petugas X", "petugas", ("Desa Asing",))

    with pytest.raises(PantauError, match="Desa Asing"):
        record_complaint(source, register, profile, stranger, fields("Desa Asing"), NOW, submission_id="x1")
    assert all_cells(server, [app_key, *(d.spreadsheet_id for d in desas)]) == everything


def test_a_desa_on_another_profile_is_refused_not_written_with_this_profile(unsynced_desa) -> None:
    server, desas, app_key, _store, secrets = unsynced_desa
    profile = load_profile("umum")
    source = app_source(secrets, "umum")
    register = normalise_register(source.read(), profile)
    other = desas[2]  # cipari
    everything = all_cells(server, [app_key, *(d.spreadsheet_id for d in desas)])
    admin = Viewer("Admin", "admin", ())
    with pytest.raises(PantauError, match=other.desa):
        record_complaint(source, register, profile, admin, fields(other.desa), NOW, submission_id="p1")
    assert all_cells(server, [app_key, *(d.spreadsheet_id for d in desas)]) == everything


def test_an_update_for_a_desa_renamed_since_loading_is_refused_not_sent_to_gsheets(
    unsynced_desa, tmp_path: Path
) -> None:
    """Before: the update went to the app's [gsheets] spreadsheet's worksheet 'Desa 007'."""
    server, desas, app_key, store, secrets = unsynced_desa
    neighbour = desas[6]
    profile = load_profile(neighbour.profile)
    source = app_source(secrets, neighbour.profile)
    petugas = Viewer("Petugas 007", "petugas", (neighbour.desa,))
    register = normalise_register(source.read(), profile)
    result, _ = record_complaint(
        source, register, profile, petugas, fields(neighbour.desa), NOW, submission_id="r1"
    )
    snapshot = read_snapshot(source, result.key, profile)
    # the old per-desa-worksheet register still holds the same rows (as it did before the move)
    server.set_values(app_key, "Desa 007", sheet_rows(server, neighbour, "Register"))
    renamed = [*desas[:6], dataclasses.replace(neighbour, desa="Desa 007 Baru")]
    registry = load_registry(write_registry(renamed, tmp_path / "desa.toml"), profile_ids())
    store.sync_registry(e.as_store_entry() for e in registry.entries)  # the worker's next pass
    everything = all_cells(server, [app_key, *(d.spreadsheet_id for d in desas)])

    update = StageUpdate(stage=profile.stages[1].key, when=NOW)
    with pytest.raises(PantauError, match="Desa 007"):
        apply_update(source, snapshot, update, profile, petugas, NOW, submission_id="r2")
    assert all_cells(server, [app_key, *(d.spreadsheet_id for d in desas)]) == everything


def test_an_unsynced_desas_nomor_follows_its_own_register(unsynced_desa) -> None:
    """The Nomor of an unsynced desa's complaint uses the code its own register already uses
    (read from its sheet), not one made up from the desa's name."""
    server, desas, _app_key, _store, secrets = unsynced_desa
    own = desas[0]
    rows = sheet_rows(server, own, "Register")
    server.set_values(
        own.spreadsheet_id, "Register", [[f"SKA/2025/03/{i:04d}"] for i in range(1, len(rows))], start="A2"
    )
    profile = load_profile(own.profile)
    source = app_source(secrets, own.profile)
    register = normalise_register(source.read(), profile)
    petugas = Viewer("Petugas 001", "petugas", (own.desa,))
    result, _ = record_complaint(
        source, register, profile, petugas, fields(own.desa), NOW, submission_id="k1"
    )
    assert result.key.startswith("SKA/") and result.key in sheet_rows(server, own, "Register")[-1]


def test_a_row_is_its_spreadsheets_desas_whatever_its_desa_cell_says(unsynced_desa) -> None:
    """A row in Desa 007's own spreadsheet whose Desa cell says 'Desa 001' is Desa 007's: before,
    Desa 001's petugas could update it (written into Desa 007's spreadsheet) and 007's could not."""
    server, desas, _app_key, _store, secrets = unsynced_desa
    neighbour = desas[6]
    profile = load_profile(neighbour.profile)
    source = app_source(secrets, neighbour.profile)
    register = normalise_register(source.read(), profile)
    petugas_007 = Viewer("Petugas 007", "petugas", (neighbour.desa,))
    result, _ = record_complaint(
        source, register, profile, petugas_007, fields(neighbour.desa), NOW, submission_id="m1"
    )
    rows = sheet_rows(server, neighbour, "Register")
    column = rows[0].index("Desa")
    server.set_values(
        neighbour.spreadsheet_id, "Register", [["Desa 001"]], start=f"{chr(65 + column)}{len(rows)}"
    )
    source.refresh(neighbour.desa)
    snapshot = read_snapshot(source, result.key, profile)
    assert snapshot.complaint["desa"] == "Desa 001" and snapshot.sheet == neighbour.desa
    # the pages: the row is Desa 007's (not shown to Desa 001's petugas); its Desa cell a finding
    settings = parse_settings({**secrets, "pantau": {"sop": neighbour.profile}}, {})
    loaded = load(settings, source=source)
    row = loaded.register.complaints.set_index("nomor").loc[result.key]
    assert row["desa"] == neighbour.desa
    findings = loaded.register.findings
    assert ((findings["kode"] == "DESA_TIDAK_DIKENAL") & (findings["sheet"] == neighbour.desa)).any()
    before = sheet_rows(server, neighbour, "Register")
    update = StageUpdate(stage=profile.stages[1].key, when=NOW)

    with pytest.raises(NotAllowed):
        apply_update(
            source, snapshot, update, profile, Viewer("P1", "petugas", ("Desa 001",)), NOW, submission_id="m2"
        )
    assert sheet_rows(server, neighbour, "Register") == before
    done = apply_update(source, snapshot, update, profile, petugas_007, NOW, submission_id="m3")
    assert not done.replayed and sheet_rows(server, neighbour, "Register") != before
