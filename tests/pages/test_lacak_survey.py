"""Lacak Pengaduan: the satisfaction survey for a settled complaint, asked once."""

from __future__ import annotations

import openpyxl
from streamlit.testing.v1 import AppTest

from dashboard import auth
from data_sources.survey_store import LocalSurveyStore
from metrics.columns import TEMPLATE_HEADER
from tests.app_helpers import APP_PATH, run_page

SETTLED = {
    "Nomor": "CBD/2026/11/0001",
    "Desa": "Cibodas",
    "Tanggal Diterima": "02/11/2026 09:00",
    "No. HP": "081234567890",
    "Isi Pengaduan": "Lampu jalan mati",
    "Tahap": "Selesai",
    "Tanggal Jawaban": "05/11/2026 10:00",
    "Tanggal Selesai": "06/11/2026 10:00",
    "Hasil Tindak Lanjut": "Lampu sudah diganti.",
}
OPEN = {
    **SETTLED,
    "Nomor": "CBD/2026/11/0002",
    "Tahap": "Jawaban",
    "Tanggal Selesai": "",
    "No. HP": "081200001111",
}
HOSTILE = '=HYPERLINK("http://x") **tebal** <b>x</b> 👍'


def register(tmp_path, register_env):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(list(TEMPLATE_HEADER))
    for values in (SETTLED, OPEN):
        sheet.append([values.get(h, "") for h in TEMPLATE_HEADER])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register_env(path)
    return path


def track(at, nomor, last4):
    at.text_input(key="lacak_nomor").input(nomor)
    at.text_input(key="lacak_hp").input(last4)
    next(b for b in at.button if b.label == "Lacak").click().run()
    assert not at.exception, at.exception
    return at


def test_settled_complaint_is_rated_once_and_thanked(tmp_path, register_env):
    path = register(tmp_path, register_env)
    at = track(run_page("app_pages/lacak_pengaduan.py"), "CBD/2026/11/0001", "7890")
    (question,) = [r for r in at.radio if r.key == "survei_nilai"]
    assert question.options == ["1 – Tidak baik", "2 – Kurang baik", "3 – Baik", "4 – Sangat baik"]
    question.set_value(4)
    at.text_area(key="survei_komentar").input(HOSTILE)
    next(b for b in at.button if b.label == "Kirim penilaian").click().run()
    assert not at.exception, at.exception
    assert not [r for r in at.radio if r.key == "survei_nilai"], "asked again after rating"
    assert any("Terima kasih, penilaian Anda" in s.value for s in at.success)
    rows = LocalSurveyStore(path).read()
    assert [r[:4] for r in rows[1:]] == [["CBD/2026/11/0001", "Cibodas", "4", HOSTILE]]
    # a new visit (another session) sees the thanks, not the question
    again = track(run_page("app_pages/lacak_pengaduan.py"), "cbd/2026/11/0001", "7890")
    assert not [r for r in again.radio if r.key == "survei_nilai"]
    assert any("sudah kami terima" in s.value for s in again.success)
    assert len(LocalSurveyStore(path).read()) == 2


def test_unsettled_or_wrong_pair_shows_no_survey(tmp_path, register_env):
    register(tmp_path, register_env)
    at = track(run_page("app_pages/lacak_pengaduan.py"), "CBD/2026/11/0002", "1111")
    assert not [r for r in at.radio if r.key == "survei_nilai"]
    wrong = track(run_page("app_pages/lacak_pengaduan.py"), "CBD/2026/11/0001", "0000")
    assert not [r for r in wrong.radio if r.key == "survei_nilai"]
    assert any("tidak ditemukan" in e.value for e in wrong.error)


def test_the_whatsapp_link_prefills_the_nomor(tmp_path, register_env):
    register(tmp_path, register_env)
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params["nomor"] = "CBD/2026/11/0001"
    at.switch_page("app_pages/lacak_pengaduan.py")
    at.run()
    assert not at.exception, at.exception
    assert at.text_input(key="lacak_nomor").value == "CBD/2026/11/0001"


def test_while_throttled_the_right_pair_gets_no_survey(tmp_path, register_env, monkeypatch):
    """The survey is no side door: during a lockout the question must not show that a pair is right."""
    register(tmp_path, register_env)
    monkeypatch.setattr(auth, "clock", lambda: 7_000_000.0)
    at = run_page("app_pages/lacak_pengaduan.py")
    for attempt in range(4):
        track(at, f"CBD/1999/01/{attempt:04d}", "0000")
    track(at, "CBD/2026/11/0001", "7890")
    assert any("Tunggu" in w.value for w in at.warning)
    assert not [r for r in at.radio if r.key == "survei_nilai"]
    assert not any("Penilaian layanan" in s.value for s in at.subheader)


def test_the_question_in_english(tmp_path, register_env):
    register(tmp_path, register_env)
    at = run_page("app_pages/lacak_pengaduan.py", session={"bahasa": "en"})  # dashboard.i18n: language key
    at.text_input(key="lacak_nomor").input("CBD/2026/11/0001")
    at.text_input(key="lacak_hp").input("7890")
    next(b for b in at.button if b.label == "Track").click().run()
    assert not at.exception, at.exception
    (question,) = [r for r in at.radio if r.key == "survei_nilai"]
    assert question.options == ["1 – Poor", "2 – Fair", "3 – Good", "4 – Very good"]
    assert any(b.label == "Send rating" for b in at.button)
