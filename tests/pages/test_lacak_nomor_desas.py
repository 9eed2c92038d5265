"""Lacak Pengaduan and its survey on a synced kabupaten where desas share a Nomor (each numbers its
own register): Mekar and Jaya both hold A-0001 with phones ending in the same 4 digits, Sari holds
A-0001 with other digits. When a pair matches in several desas the complainant picks their desa
before anything is shown or rated; the rating lands in that desa's own Survei sheet."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession
from data_sources.snapshot_store import open_store
from metrics.profiles import load_profile, profile_ids, register_header
from services.sync.registry import load_registry
from services.sync.worker import SyncSettings, SyncWorker
from tests.app_helpers import APP_PATH
from tests.fakes.kabupaten import FakeDesa, settled_row, write_registry
from tests.fakes.sheets_api import FakeSheetsServer

LACAK = "app_pages/lacak_pengaduan.py"
NOMOR = "A-0001"
PHONES = {"Mekar": "081211117890", "Jaya": "081322227890", "Sari": "081333331234"}


def answer(desa: str) -> str:
    return f"Jawaban untuk warga {desa}"


@pytest.fixture
def kabupaten(tmp_path):
    when = dt.datetime.now() - dt.timedelta(days=5)
    header = register_header(load_profile("umum"))
    with FakeSheetsServer() as server:
        desas = []
        for i, (desa, phone) in enumerate(PHONES.items()):
            row = settled_row(header, desa, NOMOR, when, phone)
            row[header.index("Hasil Tindak Lanjut")] = answer(desa)
            key = server.add_spreadsheet(f"Register {desa}", {"Register": [header, row]})
            desas.append(FakeDesa(f"K{i + 1}", desa, key, "umum"))
        write_registry(desas, tmp_path / "desa.toml")
        store = open_store(tmp_path / "s.sqlite")
        reader = GoogleReader(ApiBaseSession(server.base_url))
        registry = load_registry(tmp_path / "desa.toml", profile_ids())
        SyncWorker(registry, store, reader, SyncSettings(), log=lambda _l: None).run_once()
        store.close()
        secrets = {
            "pantau": {"sop": "umum"},
            "gsheets": {"spreadsheet": desas[0].spreadsheet_id, "api_base_url": server.base_url},
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
        }
        yield server, {d.desa: d for d in desas}, secrets


def lacak(secrets: dict) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=120)
    at.secrets = secrets
    at.run()
    at.switch_page(LACAK).run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest, last4: str) -> AppTest:
    at.text_input(key="lacak_nomor").input(NOMOR)
    at.text_input(key="lacak_hp").input(last4)
    next(b for b in at.button if b.label == "Lacak").click().run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    parts = [*at.markdown, *at.text, *at.caption, *at.success, *at.info, *at.subheader]
    return " ".join(str(p.value) for p in parts).replace("\\", "")


def test_pair_in_several_desas_asks_the_desa_before_showing_anything(kabupaten):
    server, desas, secrets = kabupaten
    at = submit(lacak(secrets), "7890")
    picker = at.selectbox(key="lacak_desa")
    assert list(picker.options) == ["Jaya", "Mekar"]  # Sari's digits differ: not offered
    text = shown(at)
    assert not any(answer(d) in text for d in PHONES), "a complaint shown before the desa was chosen"
    assert not [r for r in at.radio if r.key == "survei_nilai"]
    assert "beberapa desa" in text

    at.selectbox(key="lacak_desa").set_value("Jaya")
    next(b for b in at.button if b.label == "Lacak").click().run()
    assert not at.exception, at.exception
    text = shown(at)
    assert answer("Jaya") in text and answer("Mekar") not in text

    (question,) = [r for r in at.radio if r.key == "survei_nilai"]
    question.set_value(2)
    next(b for b in at.button if b.label == "Kirim penilaian").click().run()
    assert not at.exception, at.exception
    assert any("Terima kasih, penilaian Anda" in s.value for s in at.success)
    jaya = server.values(desas["Jaya"].spreadsheet_id, "Survei")
    assert [r[:3] for r in jaya[1:]] == [[NOMOR, "Jaya", "2"]]
    mekar_titles = server.sheet_titles(desas["Mekar"].spreadsheet_id)
    assert "Survei" not in mekar_titles or len(server.values(desas["Mekar"].spreadsheet_id, "Survei")) <= 1


def test_pair_in_one_desa_is_shown_at_once(kabupaten):
    _server, _desas, secrets = kabupaten
    at = submit(lacak(secrets), "1234")
    assert not [s for s in at.selectbox if s.key == "lacak_desa"]
    text = shown(at)
    assert answer("Sari") in text and answer("Jaya") not in text and answer("Mekar") not in text


def test_another_pair_forgets_the_desa_picked(kabupaten):
    _server, _desas, secrets = kabupaten
    at = submit(lacak(secrets), "7890")
    at.selectbox(key="lacak_desa").set_value("Mekar")
    next(b for b in at.button if b.label == "Lacak").click().run()
    assert answer("Mekar") in shown(at)
    at = submit(at, "1234")  # Sari's pair: the Mekar choice does not restrict it
    assert answer("Sari") in shown(at)
    assert not [s for s in at.selectbox if s.key == "lacak_desa"]
