"""Sampaikan Pengaduan through the app (AppTest, logged out) on a copy of the demo register:
hidden when ``[pantau] public_intake`` is off, consent and honeypot refusals, a double submit gives
one Nomor, the challenge after repeated complaints and the wait after that, hostile strings shown
and stored as text."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import pages_for
from data_sources.local_file import LocalFileSource
from metrics.profiles import load_profile
from metrics.register import normalise_register
from tests.app_helpers import APP_PATH

PAGE = "app_pages/sampaikan_pengaduan.py"
ON = {"pantau": {"public_intake": True}}
HOSTILE = {
    "nama_pelapor": '=HYPERLINK("http://x")',
    "alamat": "+cmd <img src=x onerror=alert(1)>",
    "isi_pengaduan": "@SUM(A1) **tebal** [tautan](http://x) 😀 مرحبا — jalan berlubang di RT 2",
}


@pytest.fixture
def register_path(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    return path


def complaints(path):
    return normalise_register(LocalFileSource(path).read(), load_profile("umum")).complaints


def page(secrets=ON) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=90)
    at.secrets = secrets
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, *, consent=True, desa="Cibodas", **values) -> AppTest:
    data = {
        "nama_pelapor": "Siti Rahayu",
        "alamat": "RT 02/RW 01, Dusun Kaler",
        "no_hp": "0812-3456-7890",
        "isi_pengaduan": "Lampu jalan di gang Melati mati sejak seminggu",
        **values,
    }
    at.selectbox(key="sampaikan_f_desa").set_value(desa)
    at.text_input(key="sampaikan_f_nama_pelapor").input(data["nama_pelapor"])
    at.text_input(key="sampaikan_f_alamat").input(data["alamat"])
    at.text_input(key="sampaikan_f_no_hp").input(data["no_hp"])
    at.text_area(key="sampaikan_f_isi_pengaduan").input(data["isi_pengaduan"])
    if consent:
        at.checkbox(key="sampaikan_f_setuju").check()
    return at


def send(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Kirim pengaduan").click().run()
    assert not at.exception, at.exception
    return at


def nomor_of(at: AppTest) -> str:
    success = [s.value for s in at.success]
    assert success, [e.value for e in at.error] + [w.value for w in at.warning]
    return success[0].split("**")[1]


def test_hidden_and_closed_when_the_setting_is_off(register_path):
    assert "sampaikan" not in {s.url for s in pages_for("public")}
    assert "sampaikan" in {s.url for s in pages_for("public", public_intake=True)}
    at = page(secrets={})  # a real register: public_intake defaults to off
    assert any("belum dibuka" in i.value for i in at.info)
    assert not at.text_area and not at.button


def test_consent_is_required_and_nothing_is_written(register_path):
    before = len(complaints(register_path))
    at = send(fill(page(), consent=False))
    assert any("UU No. 27 Tahun 2022" in e.value for e in at.error)
    assert not at.success and len(complaints(register_path)) == before


def test_a_filled_honeypot_is_refused_harmlessly(register_path):
    before = len(complaints(register_path))
    at = fill(page())
    at.text_input(key="sampaikan_situs").input("http://spam.example")
    send(at)
    assert any("isian tersembunyi" in e.value for e in at.error)
    assert not at.success and len(complaints(register_path)) == before


def test_a_double_submit_is_one_complaint_with_one_nomor(register_path):
    before = len(complaints(register_path))
    at = send(fill(page()))
    nomor = nomor_of(at)
    assert at.get("download_button"), "the receipt can be downloaded"
    assert any("lacak" in str(link.proto).lower() for link in at.get("page_link"))
    assert at.text_input(key="sampaikan_f_nama_pelapor").value == ""  # emptied for a next complaint
    send(fill(at))  # the same content sent again (the second click of a double click)
    assert nomor_of(at) == nomor
    after = complaints(register_path)
    assert len(after) == before + 1
    row = after.set_index("nomor").loc[nomor]
    assert row["saluran"] == "website" and row["desa"] == "Cibodas"


def test_a_resend_after_the_row_was_deleted_by_hand_says_so_then_files_anew(register_path):
    before = len(complaints(register_path))
    at = send(fill(page()))
    nomor = nomor_of(at)
    workbook = openpyxl.load_workbook(register_path)  # a petugas deletes the new row in Excel
    sheet, row = next(
        (ws, cell.row)
        for ws in workbook.worksheets
        for r in ws.iter_rows()
        for cell in r
        if cell.value == nomor
    )
    sheet.delete_rows(row)
    workbook.save(register_path)
    send(fill(at))  # the same content again: the same submission
    assert any(nomor in e.value and "dihapus" in e.value for e in at.error), [e.value for e in at.error]
    assert len(complaints(register_path)) == before
    send(at)  # sent once more on purpose: a new complaint, never the deleted one's Nomor
    again = nomor_of(at)
    assert again != nomor and len(complaints(register_path)) == before + 1


def test_challenge_after_repeated_complaints_then_a_wait(register_path):
    at = page()
    for i in range(2):
        send(fill(at, isi_pengaduan=f"Pengaduan ke {i} tentang jalan desa berlubang"))
        nomor_of(at)
    assert at.text_input(key="sampaikan_f_soal"), "the arithmetic question appears"
    send(fill(at, isi_pengaduan="Pengaduan ketiga tentang saluran air mampet"))
    assert any("soal hitungan" in e.value for e in at.error)
    question = at.text_input(key="sampaikan_f_soal").label
    a, b = (int(x) for x in question.split("berapa ")[1].rstrip("?").split(" + "))
    at.text_input(key="sampaikan_f_soal").input(str(a + b))
    send(at)
    nomor_of(at)
    for text in ("Keempat: pohon tumbang di jalan desa", "Kelima: sampah menumpuk di pasar"):
        fill(at, isi_pengaduan=text)
        question = at.text_input(key="sampaikan_f_soal").label
        a, b = (int(x) for x in question.split("berapa ")[1].rstrip("?").split(" + "))
        at.text_input(key="sampaikan_f_soal").input(str(a + b))
        send(at)
    assert any("Tunggu" in w.value for w in at.warning), "the session's fifth complaint waits"


def test_hostile_strings_are_stored_and_shown_as_text(register_path):
    at = send(fill(page(), **HOSTILE))
    nomor = nomor_of(at)
    row = complaints(register_path).set_index("nomor").loc[nomor]
    assert {k: row[k] for k in HOSTILE} == HOSTILE
    too_long = send(fill(page(), isi_pengaduan="kata." * 20_000))
    assert any("100.000 karakter; paling banyak 30.000" in e.value for e in too_long.error)


def test_the_lacak_link_after_filing_carries_the_nomor(register_path):
    url = "https://aduan.contoh.desa.id"
    at = send(fill(page(secrets={"pantau": {"public_intake": True, "public_url": url}})))
    nomor = nomor_of(at)
    link = f"{url}/lacak?nomor={quote(nomor, safe='')}"
    shown = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert link in shown, shown
    without_url = send(fill(page()))  # no public_url: the in-app link opens Lacak with the Nomor
    nomor = nomor_of(without_url)
    protos = [link.proto for link in without_url.get("page_link") if "lacak" in str(link.proto).lower()]
    assert protos and all(quote(nomor, safe="") in str(p) or nomor in str(p) for p in protos), protos
