"""Perbarui Pengaduan and Antrean Saya on a synced kabupaten (AppTest over the Sheets fake): each
desa numbers its own register, so Sukamaju and Sukamulya (umum, desa code SKM) both hold
SKM/…/0001. A complaint's identity there is (desa, Nomor): the petugas of one desa updates their
own complaint without a "Nomor ganda" refusal naming the other desa, and someone who may update
both chooses the desa first."""

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
from tests.fakes.kabupaten import FakeDesa, write_registry
from tests.fakes.sheets_api import FakeSheetsServer
from tests.pages.test_access_matrix import AUTH

PERBARUI = "app_pages/perbarui_pengaduan.py"
ANTREAN = "app_pages/antrean_saya.py"
NAMES = {"Sukamaju": "Siti Sukamaju", "Sukamulya": "Budi Sukamulya"}


def open_row(header: list[str], desa: str, nomor: str, when: dt.datetime) -> list[str]:
    cells = dict.fromkeys(header, "")
    cells.update(
        {
            "Nomor": nomor,
            "Desa": desa,
            "Tanggal Diterima": when.strftime("%d/%m/%Y %H:%M"),
            "Saluran": "WhatsApp",
            "Nama Pelapor": NAMES[desa],
            "Alamat": "RT 01",
            "No. HP": "081234567890",
            "Rahasia": "Tidak",
            "Isi Pengaduan": f"Jalan desa {desa} rusak berlubang sejak bulan lalu",
        }
    )
    return [cells[h] for h in header]


@pytest.fixture
def kabupaten(tmp_path):
    """Sukamaju (the app's [gsheets]) and Sukamulya, one open complaint each, the same Nomor."""
    when = dt.datetime.now() - dt.timedelta(days=2)
    nomor = f"SKM/{when:%Y}/{when:%m}/0001"
    header = register_header(load_profile("umum"))
    with FakeSheetsServer() as server:
        desas = []
        for i, desa in enumerate(NAMES):
            rows = [header, open_row(header, desa, nomor, when)]
            key = server.add_spreadsheet(f"Register {desa}", {"Register": rows})
            desas.append(FakeDesa(f"K{i + 1}", desa, key, "umum"))
        write_registry(desas, tmp_path / "desa.toml")
        store = open_store(tmp_path / "s.sqlite")
        worker = SyncWorker(
            load_registry(tmp_path / "desa.toml", profile_ids()),
            store,
            GoogleReader(ApiBaseSession(server.base_url)),
            SyncSettings(),
            log=lambda _l: None,
        )
        worker.run_once()
        store.close()
        secrets = {
            "pantau": {"sop": "umum"},
            "gsheets": {"spreadsheet": desas[0].spreadsheet_id, "api_base_url": server.base_url},
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
            "auth": AUTH,
        }
        yield nomor, secrets


def petugas(secrets: dict, *desas: str, page: str = PERBARUI) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=120)
    at.secrets = {**secrets, "roles": {"p@desa.id": {"role": "petugas", "desa": list(desas)}}}
    at.user = {"is_logged_in": True, "email": "p@desa.id", "name": "Petugas"}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [*at.subheader, *at.markdown, *at.text, *at.caption, *at.warning, *at.error]
    return " ".join(str(p.value) for p in parts).replace("\\", "")


def test_petugas_updates_own_desas_complaint_despite_the_same_nomor_elsewhere(kabupaten):
    nomor, secrets = kabupaten
    at = petugas(secrets, "Sukamulya")
    at.selectbox(key="perbarui_pilih").set_value(nomor).run()
    assert not at.exception, at.exception
    assert not [w.value for w in at.warning if "ganda" in str(w.value)]
    text = page_text(at)
    assert f"Memperbarui {nomor}" in text
    assert NAMES["Sukamulya"] in text
    assert "Sukamaju" not in text  # the other desa's data is not named


def test_who_updates_both_desas_chooses_the_desa_first(kabupaten):
    nomor, secrets = kabupaten
    at = petugas(secrets, "Sukamaju", "Sukamulya")
    at.text_input(key="perbarui_nomor").input(nomor).run()
    assert not at.exception, at.exception
    choice = at.radio(key="perbarui_desa")
    assert list(choice.options) == ["Sukamaju", "Sukamulya"]
    assert f"Memperbarui {nomor}" not in page_text(at)  # nothing shown before the desa is chosen
    for desa, other in (("Sukamulya", "Sukamaju"), ("Sukamaju", "Sukamulya")):
        at.radio(key="perbarui_desa").set_value(desa).run()
        assert not at.exception, at.exception
        assert not [w.value for w in at.warning if "ganda" in str(w.value)]
        text = page_text(at)
        assert NAMES[desa] in text and NAMES[other] not in text


def test_antrean_lists_both_and_opens_the_chosen_desas_complaint(kabupaten):
    nomor, secrets = kabupaten
    at = petugas(secrets, "Sukamaju", "Sukamulya", page=ANTREAN)
    keys = [b.key for b in at.button if b.key and b.key.startswith("antrean|")]
    assert sorted(keys) == [f"antrean|{nomor}|Sukamaju", f"antrean|{nomor}|Sukamulya"]
    at.button(key=f"antrean|{nomor}|Sukamulya").click().run()
    assert not at.exception, at.exception
    assert at.radio(key="perbarui_desa").value == "Sukamulya"
    text = page_text(at)
    assert f"Memperbarui {nomor}" in text and NAMES["Sukamulya"] in text


def test_register_shows_each_desas_documents_despite_the_same_nomor(kabupaten):
    """Register → Dokumen reads the shown row's own desa sheet: both desas' complaints with the
    one Nomor get their Dokumen section (before, the doubled Nomor hid it)."""
    nomor, secrets = kabupaten
    at = petugas(secrets, "Sukamaju", "Sukamulya", page="app_pages/register.py")
    labels = list(at.selectbox(key="reg_pilih").options)
    assert len(labels) == 2
    for label in labels:
        at.selectbox(key="reg_pilih").set_value(label).run()
        assert not at.exception, at.exception
        headings = [s.value.replace("\\", "") for s in at.subheader]
        assert f"Dokumen · {nomor}" in headings, headings
