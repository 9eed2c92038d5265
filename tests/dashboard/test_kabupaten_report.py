"""dashboard.kabupaten_report: the kabupaten monthly PDF and XLSX (per kecamatan, per desa)."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pypdf

from dashboard.kabupaten_report import KabupatenReport, kabupaten_pdf, kabupaten_signatures, kabupaten_xlsx
from metrics.kabupaten import FRAME_COLUMNS, TOTAL_ROW, kabupaten_month


def report(now: str = "2025-06-01") -> KabupatenReport:
    rows = [
        ("Kec Satu", "Desa A", "umum", "A/1", "2025-01-05", 2.0, 4.0, True, True, False),
        ("Kec Satu", "Desa B", "cipari", "B/1", "2025-01-06", 4.0, np.nan, False, False, True),
        ("Kec Dua", "Desa C", "babakan", "C/1", "2025-01-10", 1.0, 2.0, True, True, False),
    ]
    frame = pd.DataFrame([(*r, pd.NaT) for r in rows], columns=list(FRAME_COLUMNS))
    frame["diterima"] = pd.to_datetime(frame["diterima"])
    by_kecamatan, by_desa, cutoff = kabupaten_month(frame, "2025-01", pd.Timestamp(now))
    signatures = kabupaten_signatures(
        {"kabupaten": {"nama": "Drs. Kepala Dinas", "nip": "19700101 199001 1 001"}},
        {"kabupaten": {"nama": "Petugas Kabupaten"}},
        "Kutai Kartanegara",
    )
    return KabupatenReport(
        "Kutai Kartanegara",
        pd.Period("2025-01", freq="M"),
        cutoff,
        by_kecamatan,
        by_desa,
        signatures,
        dt.date(2025, 2, 3),
    )


def test_pdf_has_the_kecamatan_the_total_and_the_signature_block() -> None:
    made = report()
    assert not made.running
    pages = pypdf.PdfReader(io.BytesIO(kabupaten_pdf(made))).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)  # wrapped lines joined
    for expected in (
        "PEMERINTAH KABUPATEN KUTAI KARTANEGARA",
        "Januari 2025",
        "Kec Satu",
        "Kec Dua",
        TOTAL_ROW,
        "Dibuat oleh,",
        "Mengetahui,",
        "Drs. Kepala Dinas",
        "NIP. 19700101 199001 1 001",
        "Petugas Kabupaten",
        "Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Kutai Kartanegara",
    ):
        assert expected in text, expected
    assert "Bulan berjalan" not in text
    running = report(now="2025-01-20 10:00")
    assert running.running
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(kabupaten_pdf(running))).pages)
    assert "Bulan berjalan: angka per" in text


def test_xlsx_per_kecamatan_with_total_and_per_desa_numbers_as_numbers() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(kabupaten_xlsx(report())))
    assert workbook.sheetnames == ["Per kecamatan", "Per desa"]
    rows = [[c.value for c in r] for r in workbook["Per kecamatan"].iter_rows()]
    header = rows[1]
    assert header[:3] == ["Kecamatan", "Desa", "Pengaduan"]
    body = {r[0]: dict(zip(header, r, strict=True)) for r in rows[2:]}
    assert set(body) == {"Kec Satu", "Kec Dua", TOTAL_ROW}
    assert body[TOTAL_ROW]["Pengaduan"] == 3 and body["Kec Satu"]["Pengaduan"] == 2
    assert body["Kec Dua"]["Tepat waktu"] == 1.0
    desas = [[c.value for c in r] for r in workbook["Per desa"].iter_rows()]
    assert [r[1] for r in desas[2:]] == ["Desa C", "Desa A", "Desa B"]  # by kecamatan, then desa
