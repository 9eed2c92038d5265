"""Lacak Pengaduan on a synced kabupaten (AppTest over the Sheets fake), for the public (no login):
a complaint of a desa on another SOP profile than ``[pantau] sop`` is found, judged by its own
profile, and its survey answer lands in that desa's own spreadsheet."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession
from data_sources.snapshot_store import open_store
from metrics.profiles import load_profile, profile_ids
from services.sync.registry import load_registry
from services.sync.worker import SyncSettings, SyncWorker
from tests.app_helpers import APP_PATH
from tests.fakes.kabupaten import SETTLED_PHONE, FakeClock, seed_two_profiles
from tests.fakes.sheets_api import FakeSheetsServer
from tests.pages.test_lacak_survey import track

LACAK = "app_pages/lacak_pengaduan.py"


@pytest.fixture
def kabupaten(tmp_path):
    """Desa 001 (umum = [pantau] sop, the app's [gsheets]) and Desa 002 (kutai_kartanegara, its own
    spreadsheet), one settled complaint each, synced by the worker."""
    clock = FakeClock()
    with FakeSheetsServer() as server:
        desas = seed_two_profiles(server, tmp_path / "desa.toml", dt.datetime.now() - dt.timedelta(days=5))
        registry = load_registry(tmp_path / "desa.toml", profile_ids())
        store = open_store(tmp_path / "s.sqlite")
        reader = GoogleReader(ApiBaseSession(server.base_url))
        worker = SyncWorker(
            registry, store, reader, SyncSettings(), clock=clock, sleep=clock.sleep, log=lambda _l: None
        )
        worker.run_once()
        store.close()
        secrets = {
            "pantau": {"sop": "umum"},
            "gsheets": {"spreadsheet": desas[0].spreadsheet_id, "api_base_url": server.base_url},
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
        }
        yield server, desas, secrets


def lacak(secrets: dict, page: str = LACAK) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=120)
    at.secrets = secrets
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> list[str]:
    """The subheaders as read (plain text is shown markdown-escaped)."""
    return [s.value.replace("\\", "") for s in at.subheader]


def test_the_public_finds_and_rates_a_complaint_of_a_desa_on_another_profile(kabupaten) -> None:
    server, (a, b), secrets = kabupaten
    at = track(lacak(secrets), "B-0001", SETTLED_PHONE[-4:])
    texts = shown(at)
    # judged by Desa 002's own profile: its last stage, not the app profile's
    last_stage = load_profile(b.profile).stages[-1].label
    assert "Pengaduan B-0001" in texts and last_stage in texts, texts
    (question,) = [r for r in at.radio if r.key == "survei_nilai"]
    question.set_value(3)
    next(x for x in at.button if x.label == "Kirim penilaian").click().run()
    assert not at.exception, at.exception
    assert any("Terima kasih, penilaian Anda" in s.value for s in at.success)
    survei = [[str(c) for c in r] for r in server.values(b.spreadsheet_id, "Survei") if any(r)]
    assert [r[:3] for r in survei[1:]] == [["B-0001", "Desa 002", "3"]]
    assert "Survei" not in server.sheet_titles(a.spreadsheet_id)
    # another visit: the thanks, read from Desa 002's Survei sheet, not the question
    again = track(lacak(secrets), "b-0001", SETTLED_PHONE[-4:])
    assert not [r for r in again.radio if r.key == "survei_nilai"]
    assert any("sudah kami terima" in s.value for s in again.success)


def test_the_apps_own_profile_still_found_and_a_wrong_pair_gets_the_one_answer(kabupaten) -> None:
    _server, _desas, secrets = kabupaten
    found = track(lacak(secrets), "A-0001", SETTLED_PHONE[-4:])
    assert "Pengaduan A-0001" in shown(found)
    for nomor, digits in (("B-0001", "0000"), ("C-0001", SETTLED_PHONE[-4:])):
        wrong = track(lacak(secrets), nomor, digits)
        assert [e.value for e in wrong.error] and all("tidak ditemukan" in e.value for e in wrong.error)
        assert not [s for s in shown(wrong) if "Pengaduan" in s]
