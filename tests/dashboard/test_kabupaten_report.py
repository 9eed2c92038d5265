"""dashboard.kabupaten_report: the kabupaten monthly PDF and XLSX (per kecamatan, per desa)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pypdf

from dashboard.kabupaten_report import (
    KabupatenReport,
    kabupaten_pdf,
    kabupaten_signatures,
    kabupaten_xlsx,
    with_ikm,
)
from metrics.ikm import SURVEY_HEADER, summarise, survey_frame
from metrics.kabupaten import FRAME_COLUMNS, TOTAL_ROW, kabupaten_month, kabupaten_month_ikm, survey_answers


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


def report_with_ikm(minimum: int = 2) -> KabupatenReport:
    base = report()
    rows = [
        ("Kec Satu", "Desa A", "umum", "A/1", "2025-01-05", 2.0, 4.0, True, True, False),
        ("Kec Satu", "Desa B", "cipari", "B/1", "2025-01-06", 4.0, np.nan, False, False, True),
        ("Kec Dua", "Desa C", "babakan", "C/1", "2025-01-10", 1.0, 2.0, True, True, False),
        ("Kec Dua", "Desa C", "babakan", "C/0", "2024-12-30", 1.0, 2.0, True, True, False),  # December
    ]
    frame = pd.DataFrame([(*r, pd.NaT) for r in rows], columns=list(FRAME_COLUMNS))
    frame["diterima"] = pd.to_datetime(frame["diterima"])

    def survey(*answers: tuple[str, int]) -> pd.DataFrame:
        return survey_frame(
            [list(SURVEY_HEADER), *[[n, "", str(v), "", "2025-02-01 10:00", n] for n, v in answers]]
        )

    surveys = {
        ("Kec Satu", "Desa A"): survey(("A/1", 4), ("Z/9", 1)),
        ("Kec Dua", "Desa C"): survey(("C/1", 2), ("C/0", 4)),
    }
    ikm_kecamatan, ikm_desa = kabupaten_month_ikm(
        survey_answers(frame, surveys),
        "2025-01",
        pd.Timestamp("2025-06-01"),
        minimum,
        kecamatan=("Kec Dua", "Kec Satu"),
    )
    return dataclasses.replace(
        base,
        kecamatan=with_ikm(base.kecamatan, ikm_kecamatan, ["kecamatan"]),
        desas=with_ikm(base.desas, ikm_desa, ["kecamatan", "desa"]),
        ikm_minimum=minimum,
    )


def test_the_report_carries_the_ikm_of_the_month_per_kecamatan_and_desa() -> None:
    made = report_with_ikm(minimum=2)
    workbook = openpyxl.load_workbook(io.BytesIO(kabupaten_xlsx(made)))
    rows = [[c.value for c in r] for r in workbook["Per kecamatan"].iter_rows()]
    header = next(r for r in rows if r[0] == "Kecamatan")
    body = {r[0]: dict(zip(header, r, strict=True)) for r in rows[rows.index(header) + 1 :]}
    # metrics.ikm on the same answers: Desa A's A/1 (4), Desa C's C/1 (2); Z/9 is no complaint of
    # Desa A and C/0 was received in December: neither counts
    assert body["Kec Satu"]["IKM"] == summarise(pd.Series([4]), 2).ikm == 100.0
    assert (body["Kec Satu"]["Penilaian"], body["Kec Satu"]["Cukup"]) == (1, "belum cukup")
    assert body["Kec Dua"]["IKM"] == summarise(pd.Series([2]), 2).ikm
    assert body[TOTAL_ROW]["IKM"] == summarise(pd.Series([4, 2]), 2).ikm == 75.0
    assert (body[TOTAL_ROW]["Penilaian"], body[TOTAL_ROW]["Mutu"], body[TOTAL_ROW]["Cukup"]) == (2, "C", "ya")
    desas = [[c.value for c in r] for r in workbook["Per desa"].iter_rows()]
    desa_header = next(r for r in desas if r[0] == "Kecamatan")
    by_desa = {r[1]: dict(zip(desa_header, r, strict=True)) for r in desas[desas.index(desa_header) + 1 :]}
    assert (
        by_desa["Desa B"]["IKM"] is None and by_desa["Desa B"]["Penilaian"] == 0
    )  # no ratings: empty, not 0
    assert by_desa["Desa A"]["IKM"] == 100.0
    text = " ".join(
        " ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(kabupaten_pdf(made))).pages
    )
    assert "100,00 (A)*" in text and "75,00 (C)" in text and "75,00 (C)*" not in text
    assert "belum cukup (kurang dari 2 penilaian)" in text
    # without survey answers the report stays as it was: no IKM column
    plain = openpyxl.load_workbook(io.BytesIO(kabupaten_xlsx(report())))
    assert "IKM" not in [c.value for c in next(plain["Per kecamatan"].iter_rows(min_row=2, max_row=2))]
