"""Lacak Pengaduan: what the complainant reads about the steps of their complaint."""

from __future__ import annotations

import re

import openpyxl

from metrics.columns import TEMPLATE_HEADER
from tests.app_helpers import run_page


def look_up(values: dict[str, str], nomor: str, tmp_path, register_env, session: dict | None = None):
    """A register of one complaint (``values`` by header), looked up on Lacak with the phone's
    last four digits ``7890`` (``session``: e.g. ``{"bahasa": "en"}``)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(list(TEMPLATE_HEADER))
    sheet.append([values.get(h, "") for h in TEMPLATE_HEADER])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register_env(path)
    at = run_page("app_pages/lacak_pengaduan.py", session=session)
    at.text_input(key="lacak_nomor").input(nomor)
    at.text_input(key="lacak_hp").input("7890")
    next(b for b in at.button if b.label in ("Lacak", "Track")).click().run()
    return at


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
    at = look_up(values, "CBD/2026/11/0001", tmp_path, register_env)
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown if "—" in m.value]
    assert any("Verifikasi dan klasifikasi — dilewati" in line for line in lines), lines
    assert any("Jawaban disampaikan kepada pelapor — 5 November 2026" in line for line in lines), lines
    assert any("Selesai dan diarsipkan — belum" in line for line in lines), lines
    assert "Lampu sudah diganti." in [unescaped(i.value) for i in at.info]


def unescaped(markdown: str) -> str:
    """What a Markdown text with backslash escapes reads as."""
    return re.sub(r"\\(.)", r"\1", markdown)


HOSTILE_ANSWER = (
    "**Sudah** [klik](http://evil.example/x) ![px](http://tracker.example/pixel.png) <b>x</b>\nbaris 2"
)
HOSTILE_NOMOR = "CBD/2026/11/0002_**x**"


def test_staff_text_and_nomor_are_shown_as_plain_text(tmp_path, register_env):
    """Issue 12.12: no bold, no live link and no image fetched by the visitor's browser."""
    values = {
        "Nomor": HOSTILE_NOMOR,
        "Desa": "Cibodas",
        "Tanggal Diterima": "02/11/2026 09:00",
        "No. HP": "081234567890",
        "Isi Pengaduan": "Lampu jalan mati",
        "Tahap": "Jawaban",
        "Tanggal Jawaban": "05/11/2026 10:00",
        "Hasil Tindak Lanjut": HOSTILE_ANSWER,
    }
    at = look_up(values, HOSTILE_NOMOR, tmp_path, register_env)
    assert not at.exception, at.exception
    (answer,) = [i.value for i in at.info]
    # every Markdown/HTML character is escaped: nothing renders as bold, a link or an image
    for active in ("**", "](", "![", "<b>"):
        assert active not in answer, answer
    assert unescaped(answer) == HOSTILE_ANSWER.replace("\n", "  \n")
    heading = next(h.value for h in at.subheader if "Pengaduan" in h.value)
    assert "**" not in heading and "_" not in heading.replace("\\_", "")
    assert unescaped(heading) == f"Pengaduan {HOSTILE_NOMOR}"


def test_a_paused_complaint_reads_waiting_for_documents_since(tmp_path, register_env):
    values = {
        "Nomor": "CBD/2026/11/0003",
        "Desa": "Cibodas",
        "Tanggal Diterima": "02/11/2026 09:00",
        "Nama Pelapor": "Siti Rahayu",
        "No. HP": "081234567890",
        "Isi Pengaduan": "KTP belum jadi, kurang surat pengantar RT",
        "Tahap": "Verifikasi",
        "Tanggal Verifikasi": "02/11/2026 10:00",
        "Mulai Menunggu Kelengkapan": "03/11/2026 09:00",
    }
    at = look_up(values, "CBD/2026/11/0003", tmp_path, register_env)
    assert not at.exception, at.exception
    warnings = [unescaped(w.value) for w in at.warning]
    assert any("Menunggu kelengkapan berkas sejak 3 November 2026 09.00" in w for w in warnings), warnings
    page = " ".join(str(e.value) for e in (*at.markdown, *at.warning, *at.text, *at.caption, *at.info))
    assert "Siti" not in page and "surat pengantar" not in page


def test_an_ended_pause_reads_from_until_in_the_timeline_in_both_languages(tmp_path, register_env):
    """The file became complete: the timeline keeps the pause, after the step it followed, with
    only its dates (no name, no complaint text)."""
    values = {
        "Nomor": "CBD/2025/03/0004",
        "Desa": "Cibodas",
        "Tanggal Diterima": "03/03/2025 09:00",
        "Nama Pelapor": "Siti Rahayu",
        "No. HP": "081234567890",
        "Isi Pengaduan": "KTP belum jadi, kurang surat pengantar RT",
        "Tahap": "Disposisi",
        "Tanggal Verifikasi": "03/03/2025 10:00",
        "Tanggal Disposisi": "06/03/2025 09:30",
        "Mulai Menunggu Kelengkapan": "03/03/2025 11:00",
        "Berkas Lengkap Pada": "05/03/2025 08:15",
    }
    for session, expected in (
        ({}, "Menunggu kelengkapan berkas dari 3 Maret 2025 11.00 sampai 5 Maret 2025 08.15"),
        ({"bahasa": "en"}, "Waiting for complete documents from 3 March 2025 11:00 to 5 March 2025 08:15"),
    ):
        at = look_up(values, "CBD/2025/03/0004", tmp_path, register_env, session)
        assert not at.exception, at.exception
        lines = [unescaped(m.value) for m in at.markdown if "—" in m.value or "pause_circle" in m.value]
        (pause,) = [i for i, line in enumerate(lines) if expected in line]
        assert "Verifikasi" in lines[pause - 1] or "Verification" in lines[pause - 1], lines
        assert not at.warning, [w.value for w in at.warning]  # not waiting any more
        page = " ".join(str(e.value) for e in (*at.markdown, *at.warning, *at.text, *at.caption, *at.info))
        assert "Siti" not in page and "surat pengantar" not in page
