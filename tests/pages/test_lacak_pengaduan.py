"""Lacak Pengaduan: what the complainant reads about the steps of their complaint."""

from __future__ import annotations

import openpyxl

from metrics.columns import TEMPLATE_HEADER
from tests.app_helpers import run_page


def test_a_step_the_office_went_past_reads_skipped_not_pending(tmp_path, register_env):
    values = {
        "Nomor": "CBD/2026/11/0001",
        "Desa": "Cibodas",
        "Tanggal Diterima": "02/11/2026 09:00",
        "No. HP": "081234567890",
        "Isi Pengaduan": "Lampu jalan mati",
        "Tahap": "Jawaban",
        "Tanggal Jawaban": "05/11/2026 10:00",
        "Hasil Tindak Lanjut": "Lampu sudah diganti.",
    }
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(list(TEMPLATE_HEADER))
    sheet.append([values.get(h, "") for h in TEMPLATE_HEADER])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register_env(path)
    at = run_page("app_pages/lacak_pengaduan.py")
    at.text_input(key="lacak_nomor").input("CBD/2026/11/0001")
    at.text_input(key="lacak_hp").input("7890")
    next(b for b in at.button if b.label == "Lacak").click().run()
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown if "—" in m.value]
    assert any("Verifikasi dan klasifikasi — dilewati" in line for line in lines), lines
    assert any("Jawaban disampaikan kepada pelapor — 5 November 2026" in line for line in lines), lines
    assert any("Selesai dan diarsipkan — belum" in line for line in lines), lines
    assert "Lampu sudah diganti." in [i.value for i in at.info]
