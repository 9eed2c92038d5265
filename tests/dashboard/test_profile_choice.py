"""The sidebar's Profil SOP on a synced kabupaten (AppTest): the pages follow the viewer's profile."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.profile_choice import CHOICE_KEY
from dashboard.settings import PROFILE_KEY
from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession
from data_sources.snapshot_store import open_store
from metrics.profiles import profile_ids
from services.sync.registry import load_registry
from services.sync.worker import SyncSettings, SyncWorker
from tests.app_helpers import APP_PATH
from tests.fakes.kabupaten import FakeClock, seed_kabupaten, write_registry
from tests.fakes.sheets_api import FakeSheetsServer
from tests.pages.test_access_matrix import AUTH, rendered_text

PAGE = "app_pages/register.py"
ROLES = {
    "camat@kab.go.id": {"role": "kecamatan"},
    "petugas@desa002.id": {"role": "petugas", "desa": ["Desa 002"]},
}


@pytest.fixture(scope="module")
def synced(tmp_path_factory) -> dict:
    """Six desas, one per profile (umum, kutai_kartanegara, cipari, babakan, jagabaya,
    selemadeg_timur), synced into a store."""
    tmp = tmp_path_factory.mktemp("profil")
    clock = FakeClock(start=time.time() - 600)
    with FakeSheetsServer() as server:
        server.set_clock(clock)
        desas = seed_kabupaten(server, 6, 4, n_kecamatan=2, start=dt.date.today() - dt.timedelta(days=335))
        registry = load_registry(write_registry(desas, tmp / "desa.toml"), profile_ids())
        store = open_store(tmp / "s.sqlite")
        reader = GoogleReader(ApiBaseSession(server.base_url))
        SyncWorker(
            registry, store, reader, SyncSettings(), clock=clock, sleep=clock.sleep, log=lambda _l: None
        ).run_once()
        store.close()
    return {"registry": str(tmp / "desa.toml"), "store": str(tmp / "s.sqlite")}


def app(email: str, sync: dict, language: str = "id") -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=120)
    at.secrets = {"auth": AUTH, "roles": ROLES, "sync": sync}
    at.user = {"is_logged_in": True, "email": email, "name": "x"}
    at.session_state["bahasa"] = language
    at.run()
    at.switch_page(PAGE)
    at.run()
    return at


def desas_shown(at: AppTest) -> set[str]:
    text = rendered_text(at)
    return {f"Desa {i:03d}" for i in range(1, 7) if f"Desa {i:03d}" in text}


def test_a_kecamatan_viewer_switches_profile_and_every_page_follows(synced: dict) -> None:
    at = app("camat@kab.go.id", synced)
    assert not at.exception
    choice = at.sidebar.selectbox(key=CHOICE_KEY)
    assert choice.label == "Profil SOP"
    assert len(choice.options) == 6 and all("(1 desa)" in o for o in choice.options)
    assert choice.value == "umum"  # [pantau] sop, the default
    assert desas_shown(at) == {"Desa 001"}
    choice.set_value("cipari").run()
    assert not at.exception
    assert at.session_state[PROFILE_KEY] == "cipari"
    assert desas_shown(at) == {"Desa 003"}
    at.switch_page("app_pages/ringkasan.py").run()  # another page: the same profile
    assert not at.exception and at.sidebar.selectbox(key=CHOICE_KEY).value == "cipari"
    assert "Desa 001" not in rendered_text(at)


def test_a_petugas_sees_only_their_desas_profile_without_a_choice(synced: dict) -> None:
    at = app("petugas@desa002.id", synced)
    assert not at.exception
    assert not [s for s in at.sidebar.selectbox if s.key == CHOICE_KEY]
    assert at.session_state[PROFILE_KEY] == "kutai_kartanegara"
    assert desas_shown(at) == {"Desa 002"}


def test_the_choice_speaks_english(synced: dict) -> None:
    at = app("camat@kab.go.id", synced, language="en")
    assert not at.exception
    proto = at.sidebar.selectbox(key=CHOICE_KEY).proto  # as drawn (the test process speaks Indonesian)
    assert proto.label == "SOP profile"
    assert len(proto.options) == 6 and all("(1 villages)" in o for o in proto.options)
