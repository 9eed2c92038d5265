"""The whole app pointed at the Sheets API fake through ``at.secrets`` (as a real deployment would be)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import Viewer
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from tests.app_helpers import APP_PATH
from tests.data_sources.test_gsheets import split_by_desa, write_xlsx
from tests.fakes.sheets_api import FakeSheetsServer

ADMIN = Viewer("Admin Uji", "admin")
EMAIL = "pantau@contoh-proyek.iam.gserviceaccount.com"


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


@pytest.fixture
def no_register_env(monkeypatch):
    monkeypatch.delenv("PANTAU_REGISTER", raising=False)
    monkeypatch.setenv("PANTAU_SOP", "umum")


def gsheets_secrets(server, spreadsheet, **extra) -> dict:
    section = {
        "spreadsheet": f"https://docs.google.com/spreadsheets/d/{spreadsheet}/edit",
        "layout": "per_desa_worksheet",
        "api_base_url": server.base_url,
        "retry_attempts": 2,
        "retry_max_wait_seconds": 0,
        "timeout_seconds": 5,
        "service_account": {"client_email": EMAIL},
    }
    section.update(extra)
    return {"gsheets": section}


def run_app(page: str, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=90)
    for name, value in (secrets or {}).items():
        at.secrets[name] = value
    at.session_state["viewer"] = ADMIN
    at.run()
    at.switch_page(page)
    at.run()
    return at


def figures(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def desa_sheets(demo_register_path):
    return split_by_desa(demo_register_path, per_desa=120)


def test_overview_from_google_sheets_equals_the_local_file(
    server, desa_sheets, tmp_path, register_env, monkeypatch
):
    path = tmp_path / "register.xlsx"
    write_xlsx(path, desa_sheets)
    register_env(path)
    local = run_app("app_pages/ringkasan.py")
    assert not local.exception, local.exception

    monkeypatch.delenv("PANTAU_REGISTER")
    key = server.add_spreadsheet(
        "Register Kecamatan Sukamaju", {**desa_sheets, AUDIT_SHEET: [list(AUDIT_HEADER)]}
    )
    remote = run_app("app_pages/ringkasan.py", gsheets_secrets(server, key))
    assert not remote.exception, remote.exception
    assert figures(remote) == figures(local)
    assert int(figures(remote)["Total pengaduan"].replace(".", "")) > 700
    assert any("Register Kecamatan Sukamaju" in c.value for c in remote.sidebar.caption)
    assert server.counts() == {"spreadsheets.get": 1, "values.batchGet": 1}


def test_failed_refresh_shows_the_last_snapshot_with_a_warning(server, desa_sheets, no_register_env):
    key = server.add_spreadsheet("Register", desa_sheets)
    at = run_app("app_pages/ringkasan.py", gsheets_secrets(server, key))
    before = figures(at)
    assert not at.warning
    server.chaos(1.0, seed=1, faults=[503])
    at.sidebar.button(key="muat_ulang").click().run()
    assert not at.exception, at.exception
    assert figures(at) == before
    [warning] = [w for w in at.warning if "data terakhir per" in w.value]
    assert "HTTP 503" in warning.value
    server.clear_faults()
    at.sidebar.button(key="muat_ulang").click().run()
    assert not [w for w in at.warning if "data terakhir per" in w.value]


def test_sheet_not_shared_says_whom_to_share_with(server, no_register_env):
    key = server.add_spreadsheet("Register", {"Sukamaju": [["Nomor"]]}, shared=False)
    at = run_app("app_pages/ringkasan.py", gsheets_secrets(server, key))
    assert not at.exception
    assert any(EMAIL in e.value and "Editor" in e.value for e in at.error)


def test_missing_worksheet_and_bad_config_are_shown(server, no_register_env):
    key = server.add_spreadsheet("Register", {"Sukamaju": [["Nomor", "Desa"]]})
    at = run_app(
        "app_pages/ringkasan.py",
        gsheets_secrets(server, key, layout="single_worksheet", worksheet="Register"),
    )
    assert any("'Register' tidak ada" in e.value and "Sukamaju" in e.value for e in at.error)
    at = run_app("app_pages/ringkasan.py", gsheets_secrets(server, key, layout="satu"))
    assert any("layout = 'satu'" in e.value for e in at.error)


def test_unrecognised_header_is_surfaced(server, desa_sheets, no_register_env):
    key = server.add_spreadsheet(
        "Register", {"Sukamaju": desa_sheets["Sukamaju"], "Catatan": [["rapat", "isi"], ["a", "b"]]}
    )
    at = run_app("app_pages/ringkasan.py", gsheets_secrets(server, key))
    assert not at.exception
    assert any("Catatan" in w.value and "baris judul" in w.value for w in at.warning)
    # in English: the sheet and the check's English text (issue 13.13)
    at.session_state["bahasa"] = "en"
    at.run()
    shown = [w.value.replace("\\", "") for w in at.warning]  # without plain()'s Markdown escapes
    assert any(v.startswith("Catatan: Header row not found") for v in shown), shown


def test_admin_prepares_the_sheet_from_the_app(server, no_register_env):
    key = server.add_spreadsheet("Register Baru", {"Sheet1": []})
    secrets = {**gsheets_secrets(server, key), "wilayah": {"desa": ["Sukamaju", "Mekarsari"]}}
    at = run_app("app_pages/siapkan_sheet.py", secrets)
    assert not at.exception, at.exception
    assert at.title[0].value == "Siapkan Google Sheet"
    at.button(key="siapkan_periksa").click().run()
    assert any("Tambah sheet 'Sukamaju'" in m.value for m in at.markdown)
    assert server.sheet_titles(key) == ["Sheet1"]
    assert at.button(key="siapkan_jalankan").disabled
    at.checkbox(key="siapkan_yakin").check().run()
    at.button(key="siapkan_jalankan").click().run()
    assert not at.exception, at.exception
    assert at.success and "siap dipakai" in at.success[0].value
    assert server.sheet_titles(key) == ["Sheet1", "Sukamaju", "Mekarsari", AUDIT_SHEET]


def test_setup_page_without_configuration_says_what_to_do(no_register_env, demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_app("app_pages/siapkan_sheet.py")
    assert any("[gsheets]" in i.value for i in at.info)
