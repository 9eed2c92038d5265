"""Catat Pengaduan on a synced kabupaten (AppTest over the Sheets fake): a petugas of a desa whose
spreadsheet is not the app's ``[gsheets]`` one saves into their desa's own spreadsheet."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession
from data_sources.snapshot_store import open_store
from metrics.profiles import profile_ids
from services.sync.registry import load_registry
from services.sync.worker import SyncSettings, SyncWorker
from tests.app_helpers import APP_PATH
from tests.fakes.kabupaten import FakeClock, seed_kabupaten, write_registry
from tests.fakes.sheets_api import FakeSheetsServer
from tests.pages.test_access_matrix import AUTH
from tests.pages.test_complaint_forms import CATAT, fill_new_complaint, recorded_nomor


@pytest.fixture
def kabupaten(tmp_path):
    """Desa 001 (umum) and Desa 002 (kutai_kartanegara), synced; the app's [gsheets] is Desa 002's."""
    clock = FakeClock()
    with FakeSheetsServer() as server:
        desas = seed_kabupaten(server, 2, 3, n_kecamatan=1, start=dt.date.today() - dt.timedelta(days=60))
        registry = load_registry(write_registry(desas, tmp_path / "desa.toml"), profile_ids())
        store = open_store(tmp_path / "s.sqlite")
        reader = GoogleReader(ApiBaseSession(server.base_url))
        worker = SyncWorker(
            registry, store, reader, SyncSettings(), clock=clock, sleep=clock.sleep, log=lambda _l: None
        )
        worker.run_once()
        store.close()
        secrets = {
            "auth": AUTH,
            "roles": {"petugas@desa001.id": {"role": "petugas", "desa": ["Desa 001"]}},
            "gsheets": {"spreadsheet": desas[1].spreadsheet_id, "api_base_url": server.base_url},
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
        }
        yield server, desas, secrets


def test_a_petugas_saves_into_their_desas_own_spreadsheet(kabupaten) -> None:
    server, (a, b), secrets = kabupaten
    b_before = server.values(b.spreadsheet_id, "Register")
    at = AppTest.from_file(APP_PATH, default_timeout=120)
    at.secrets = secrets
    at.user = {"is_logged_in": True, "email": "petugas@desa001.id", "name": "Petugas A"}
    at.run()
    at.switch_page(CATAT).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="catat_f_desa").options == ["Desa 001"]
    nomor = recorded_nomor(fill_new_complaint(at))
    a_rows = [[str(c) for c in r] for r in server.values(a.spreadsheet_id, "Register") if any(r)]
    assert nomor in a_rows[-1] and len(a_rows) == 1 + 3 + 1
    assert server.values(b.spreadsheet_id, "Register") == b_before  # the app's own spreadsheet untouched
    riwayat = [[str(c) for c in r] for r in server.values(a.spreadsheet_id, "Riwayat") if any(r)]
    assert any(r[1] == nomor for r in riwayat)


def test_a_desa_not_synced_yet_saves_into_its_own_spreadsheet_not_a_neighbours(tmp_path) -> None:
    """Desa 001's spreadsheet was shared late: the worker read Desa 007 (same profile) but not
    Desa 001. Before: its petugas' complaint went into Desa 007's spreadsheet (the first loaded
    sheet with a Desa column) and the page said 'Pengaduan tersimpan'."""
    clock = FakeClock()
    with FakeSheetsServer() as server:
        desas = seed_kabupaten(server, 7, 3, n_kecamatan=2, start=dt.date.today() - dt.timedelta(days=60))
        own, neighbour = desas[0], desas[6]
        registry = load_registry(write_registry(desas, tmp_path / "desa.toml"), profile_ids())
        store = open_store(tmp_path / "s.sqlite")
        reader = GoogleReader(ApiBaseSession(server.base_url))
        worker = SyncWorker(
            registry, store, reader, SyncSettings(), clock=clock, sleep=clock.sleep, log=lambda _l: None
        )
        server.set_shared(own.spreadsheet_id, False)
        worker.run_once()
        server.set_shared(own.spreadsheet_id, True)
        assert [s.desa for s in store.statuses() if s.last_good_at is None] == [own.desa]
        store.close()
        secrets = {
            "auth": AUTH,
            "roles": {"petugas@desa001.id": {"role": "petugas", "desa": [own.desa]}},
            "pantau": {"sop": own.profile},
            "gsheets": {"spreadsheet": desas[1].spreadsheet_id, "api_base_url": server.base_url},
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
        }
        neighbour_before = server.values(neighbour.spreadsheet_id, "Register")
        app_before = server.values(desas[1].spreadsheet_id, "Register")
        at = AppTest.from_file(APP_PATH, default_timeout=120)
        at.secrets = secrets
        at.user = {"is_logged_in": True, "email": "petugas@desa001.id", "name": "Petugas A"}
        at.run()
        at.switch_page(CATAT).run()
        assert not at.exception, at.exception
        nomor = recorded_nomor(fill_new_complaint(at))
        own_rows = [[str(c) for c in r] for r in server.values(own.spreadsheet_id, "Register") if any(r)]
        assert nomor in own_rows[-1] and len(own_rows) == 1 + 3 + 1
        assert server.values(neighbour.spreadsheet_id, "Register") == neighbour_before
        assert server.values(desas[1].spreadsheet_id, "Register") == app_before
        assert "Riwayat" not in server.sheet_titles(neighbour.spreadsheet_id)
