"""The Laporan Bulanan: the PDF opens and says the right period and totals; the XLSX has the same
numbers and no formula cells."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard.access import Viewer, for_viewer
from dashboard.monthly_report import (
    ReportInput,
    frame_xlsx,
    letterhead_lines,
    monthly_pdf,
    monthly_xlsx,
    signatory_for,
)
from metrics import monthly
from metrics.ikm import summarise as ikm_summarise
from metrics.profiles import load_profile
from metrics.sla import complaint_flags, stage_table
from metrics.workcalendar import build_calendar
from tests.metrics.test_monthly import register

UMUM = load_profile("umum")
CALENDAR = build_calendar(UMUM.calendar.office_hours, timezone=UMUM.timezone, years=range(2025, 2028))
NOW = pd.Timestamp("2026-12-03 10:00")
HOSTILE = '=HYPERLINK("http://contoh.invalid","klik")'


def rows() -> list[dict]:
    base = pd.Timestamp("2026-11-02 09:00")
    out = []
    for i in range(12):  # 12 received in November, 9 settled in November (one late), 3 open
        received = base + pd.Timedelta(days=2 * i)
        settled = received + pd.Timedelta(days=3 + i) if i < 9 else None
        out.append(
            dict(
                nomor=f"CBD/2026/11/{i + 1:04d}",
                desa="Cibodas",
                tanggal_diterima=received,
                tanggal_verifikasi=received + pd.Timedelta(hours=5),
                tanggal_jawaban=settled if i != 8 else received + pd.Timedelta(days=20),
                tanggal_selesai=settled if i != 8 else received + pd.Timedelta(days=21),
                kategori="infrastruktur" if i % 2 else "bantuan_sosial",
                saluran="whatsapp",
                urgensi="sedang",
                isi_pengaduan=HOSTILE if i == 0 else ("-5 derajat" if i == 1 else f"Jalan rusak {i}"),
                nama_pelapor="Siti Rahayu",
                alamat="RT 01/RW 02",
                no_hp="081234565678",
                rahasia=False,
            )
        )
    # an October complaint still open and long overdue (on the list)
    out.append(
        dict(
            nomor="CBD/2026/10/0007",
            desa="Cibodas",
            tanggal_diterima=pd.Timestamp("2026-10-01 09:00"),
            kategori="lainnya",
            saluran="surat",
            urgensi="tinggi",
            isi_pengaduan="+62 tolong",
            nama_pelapor="Budi",
            alamat="x",
            no_hp="081234565678",
            rahasia=False,
        )
    )
    return out


@pytest.fixture(scope="module")
def report():
    complaints = register(rows())
    complaints["nama_pelapor"] = complaints["nama_pelapor"].astype("string")
    complaints["alamat"] = complaints["alamat"].astype("string")
    complaints["no_hp"] = complaints["no_hp"].astype("string")
    complaints["rahasia"] = complaints["rahasia"].fillna(False).astype(bool)
    table = stage_table(complaints, UMUM, CALENDAR, NOW)
    flags = complaint_flags(complaints, UMUM, CALENDAR, NOW)
    summary = monthly.monthly_summary(complaints, flags, UMUM, "2026-11", NOW, table)
    trend = monthly.monthly_trend(complaints, flags, UMUM, "2026-11", NOW, table)
    overdue = monthly.open_overdue_list(complaints, UMUM, table, summary.figures.batas)
    signatories = {"Cibodas": {"nama": "H. Ujang Sopandi, S.Sos.", "nip": "19700101 199003 1 005"}}
    made = ReportInput(
        summary,
        trend,
        overdue,
        UMUM,
        "Cibodas",
        "Sukamaju",
        "Kabupaten Contoh",
        signatory_for(signatories, "Cibodas", "Sukamaju"),
        dt.date(2026, 12, 3),
    )
    month = complaints[
        (complaints["tanggal_diterima"] >= "2026-11-01") & (complaints["tanggal_diterima"] < "2026-12-01")
    ]
    return made, month


def test_figures_of_the_fixture(report):
    made, _ = report
    f = made.summary.figures
    assert (f.diterima, f.selesai, f.terbuka, f.terlambat_terbuka) == (12, 8, 5, 1)
    assert list(made.overdue["nomor"]) == ["CBD/2026/10/0007"]


def test_pdf_has_period_totals_and_signature(report):
    made, _ = report
    reader = PdfReader(io.BytesIO(monthly_pdf(made)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    f = made.summary.figures
    assert "PEMERINTAH DESA CIBODAS" in text
    assert "November 2026" in text
    assert f"Pengaduan diterima {f.diterima}" in text.replace("\n", " ")
    assert f"Pengaduan selesai {f.selesai}" in text.replace("\n", " ")
    assert "CBD/2026/10/0007" in text  # open past due, listed
    assert "Siti" not in text and "0812" not in text  # no personal data in the PDF
    assert "Cibodas, 3 Desember 2026" in text
    assert (
        "Kepala Desa Cibodas" in text
        and "H. Ujang Sopandi, S.Sos." in text
        and "19700101 199003 1 005" in text
    )


def test_xlsx_same_numbers_and_no_formulas(report):
    made, month = report
    viewer = Viewer("camat", "kecamatan")
    data = monthly_xlsx(made, for_viewer(month, viewer))
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    summary = {row[0].value: row[1].value for row in book["Ringkasan"].iter_rows() if row[0].value}
    f = made.summary.figures
    assert summary["Pengaduan diterima"] == f.diterima
    assert summary["Pengaduan selesai"] == f.selesai
    # one label per figure on the page, the PDF and the XLSX (browser review: "Terlambat" vs
    # "Terbuka dan terlambat (akhir bulan)" named one figure twice)
    assert summary["Masih terbuka"] == f.terbuka
    assert summary["Terbuka & terlambat"] == f.terlambat_terbuka
    assert summary["Tepat waktu"] == pytest.approx(f.tepat_waktu)
    assert summary["Median hari sampai selesai"] == pytest.approx(f.waktu["selesai"][0])
    listing = list(book["Pengaduan"].iter_rows(values_only=True))
    header = listing[0]
    assert len(listing) - 1 == f.diterima
    isi = [r[header.index("Isi Pengaduan")] for r in listing[1:]]
    assert HOSTILE in isi  # kept as text, not run as a formula
    assert "-5 derajat" in isi
    names = {r[header.index("Nama Pelapor")] for r in listing[1:]}
    assert names == {"S. R."}  # masked for the kecamatan role
    assert isinstance(listing[1][header.index("Tanggal Diterima")], dt.datetime)


def test_frame_xlsx_keeps_text_as_text():
    data = frame_xlsx(pd.DataFrame({"a": [HOSTILE, "@SUM(A1)", "+1", 5]}), "x")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n"]
    assert cells[0].value == HOSTILE


def test_signatory_fallback_and_letterheads():
    who = signatory_for({}, "Mekarsari", "Sukamaju")
    assert (who.jabatan, who.nama, who.nip, who.place) == ("Kepala Desa Mekarsari", "", "", "Mekarsari")
    assert signatory_for({}, None, "Sukamaju").jabatan == "Camat Sukamaju"
    assert letterhead_lines("Cibodas", "Sukamaju", "Kabupaten Contoh")[0] == "PEMERINTAH DESA CIBODAS"
    assert letterhead_lines(None, "Sukamaju", "Contoh") == [
        "PEMERINTAH KABUPATEN CONTOH",
        "KECAMATAN SUKAMAJU",
    ]


def test_empty_month_report(report):
    made, month = report
    empty = register([dict(nomor="X", tanggal_diterima=None)]).iloc[0:0]
    table = stage_table(empty, UMUM, CALENDAR, NOW)
    flags = complaint_flags(empty, UMUM, CALENDAR, NOW)
    summary = monthly.monthly_summary(empty, flags, UMUM, "2026-11", NOW, table)
    trend = monthly.monthly_trend(empty, flags, UMUM, "2026-11", NOW, table)
    overdue = monthly.open_overdue_list(empty, UMUM, table, summary.figures.batas)
    bare = ReportInput(
        summary,
        trend,
        overdue,
        UMUM,
        None,
        "Sukamaju",
        "Kabupaten Contoh",
        signatory_for({}, None, "Sukamaju"),
        dt.date(2026, 12, 3),
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(monthly_pdf(bare))).pages)
    assert "KECAMATAN SUKAMAJU" in text and "Tidak ada pengaduan terbuka" in text
    assert openpyxl.load_workbook(io.BytesIO(monthly_xlsx(bare, empty)))["Pengaduan"].max_row == 1


def _report_for(complaints: pd.DataFrame, month: str, desa: str | None = "Cibodas") -> ReportInput:
    table = stage_table(complaints, UMUM, CALENDAR, NOW)
    flags = complaint_flags(complaints, UMUM, CALENDAR, NOW)
    summary = monthly.monthly_summary(complaints, flags, UMUM, month, NOW, table)
    return ReportInput(
        summary,
        monthly.monthly_trend(complaints, flags, UMUM, month, NOW, table),
        monthly.open_overdue_list(complaints, UMUM, table, summary.figures.batas),
        UMUM,
        desa,
        "Sukamaju",
        "Kabupaten Contoh",
        signatory_for({}, desa, "Sukamaju"),
        dt.date(2026, 12, 3),
    )


def _pdf_text(made: ReportInput) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(monthly_pdf(made))).pages).replace(
        "\n", " "
    )


def _xlsx_changes(made: ReportInput) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(monthly_xlsx(made, register(rows()).iloc[0:0])))
    return {row[0].value: row[3] for row in book["Ringkasan"].iter_rows() if row[0].value}


def test_a_change_that_rounds_to_zero_is_neutral_in_page_pdf_and_xlsx():
    from dashboard.monthly_report import change_text
    from dashboard.stats_views import metric_delta
    from metrics.monthly import displayed_change

    # October and November each: one complaint settled after 2 days + 1 hour vs 2 days + 0.5 hour
    base = []
    for month, extra in (("10", 60), ("11", 30)):
        received = pd.Timestamp(f"2026-{month}-05 09:00")
        base.append(
            dict(
                nomor=f"CBD/2026/{month}/0001",
                desa="Cibodas",
                tanggal_diterima=received,
                tanggal_verifikasi=received + pd.Timedelta(hours=1),
                tanggal_jawaban=received + pd.Timedelta(days=2, minutes=extra),
                tanggal_selesai=received + pd.Timedelta(days=2, minutes=extra),
                kategori="lainnya",
                saluran="surat",
                urgensi="sedang",
            )
        )
    made = _report_for(register(base), "2026-11")
    change = made.summary.displayed_change("median_selesai", "days")
    assert made.summary.change("median_selesai") < 0 and change.value == 0.0 and change.direction == 0
    text = change_text("days", change)
    assert text == "±0,0"
    assert "Median hari sampai selesai 2,0 2,0 ±0,0" in _pdf_text(made)
    cell = _xlsx_changes(made)["Median hari sampai selesai"]
    assert cell.value == 0  # the rounded change, not -0.0208
    page = metric_delta(change, "days", better="lower")
    assert page["delta_arrow"] == "off" and page["delta_color"] == "gray"
    assert page["delta"].startswith("±0,0")
    worse = metric_delta(displayed_change("days", 3.0, 2.0), "days", better="lower")
    assert (worse["delta_arrow"], worse["delta_color"]) == ("up", "red")
    assert worse["delta"].startswith("+1,0")
    fewer = metric_delta(displayed_change("count", 2, 5), "count", better="lower")
    assert (fewer["delta_arrow"], fewer["delta_color"], fewer["delta"]) == ("down", "green", "−3")


def test_first_month_with_data_says_no_comparison(report):
    made, _ = report
    from dashboard.monthly_report import change_text
    from dashboard.stats_views import metric_delta

    first = _report_for(register(rows()), "2026-10")
    assert not first.summary.previous.has_data
    text = _pdf_text(first)
    assert "tidak ada pembanding" in text and "+1" not in text.split("Perubahan")[1].split("Tepat waktu")[0]
    assert _xlsx_changes(first)["Pengaduan diterima"].value == "tidak ada pembanding"
    change = first.summary.displayed_change("diterima", "count")
    assert change_text("count", change) == "tidak ada pembanding"
    page = metric_delta(change, "count")
    assert page["delta"] == "tidak ada pembanding"
    assert (page["delta_arrow"], page["delta_color"]) == ("off", "gray")


def test_signature_block_follows_the_sop_unit_and_settings():
    from dashboard.monthly_report import signature_block
    from dashboard.settings import settings_from

    cipari = load_profile("cipari")
    secrets = {
        "wilayah": {"kecamatan": "Cipari"},
        "laporan": {
            "penandatangan": {"Cipari": {"nama": "Kades Cipari", "nip": "1970"}},
            "pembuat": {"Cipari": {"nama": "Petugas Cipari", "nip": "1990"}},
        },
    }
    boxes = signature_block(cipari, settings_from(secrets, {}), desa="Cipari")
    assert [b.caption for b in boxes] == ["Dibuat oleh,", "Mengetahui,"]
    made_by, known_by = boxes
    assert (made_by.who.nama, made_by.who.nip) == ("Petugas Cipari", "1990")
    assert "Petugas" in made_by.who.jabatan
    assert (known_by.who.jabatan, known_by.who.nama, known_by.who.nip) == (
        "Kepala Desa Cipari",
        "Kades Cipari",
        "1970",
    )
    # a kecamatan SOP: the camat signs alone
    camat = signature_block(load_profile("selemadeg_timur"), settings_from({}, {}), desa=None)
    assert len(camat) == 1 and camat[0].who.jabatan.startswith("Camat")
    # the PDF shows both boxes
    made = _report_for(register(rows()), "2026-11")
    from dataclasses import replace

    text = _pdf_text(replace(made, signatures=boxes))
    assert (
        "Dibuat oleh" in text and "Petugas Cipari" in text and "Mengetahui" in text and "Kades Cipari" in text
    )


def test_pdf_and_xlsx_show_the_ikm_with_responses_and_belum_cukup(report):
    made, month = report
    scores = pd.Series([4, 4, 3, 2])
    enough, short = ikm_summarise(scores, 3), ikm_summarise(scores.iloc[:1], 3)
    with_ikm = dataclasses.replace(made, ikm=(short, enough))
    text = _pdf_text(with_ikm)
    assert "Kepuasan penanganan pengaduan (IKM)" in text
    assert (
        f"{enough.ikm:.2f}".replace(".", ",")
        + f" (mutu {enough.grade}, {enough.grade_label}) dari 4 penilaian"
        in text
    )
    assert "belum cukup (minimal 3)" in text
    book = openpyxl.load_workbook(io.BytesIO(monthly_xlsx(with_ikm, month)))
    rows = {r[0].value: [c.value for c in r] for r in book["Ringkasan"].iter_rows() if r[0].value}
    year = next(v for k, v in rows.items() if str(k).startswith("Dinilai 12 bulan"))
    assert year[1:4] == [4, pytest.approx(enough.ikm), f"{enough.grade} ({enough.grade_label})"]
    first = next(v for k, v in rows.items() if str(k).startswith("Dinilai pada"))
    assert first[4] == "belum cukup (minimal 3)"
    assert "Kepuasan penanganan" not in _pdf_text(made)  # no survey given: no block


def test_desa_signers_get_a_nip_line_only_when_a_nip_is_set():
    """Browser review: a kepala desa and the petugas desa are not civil servants (no NIP);
    a camat's NIP line stays dotted to fill by hand."""
    from dataclasses import replace

    from dashboard.monthly_report import signature_block
    from dashboard.settings import settings_from

    cipari = load_profile("cipari")
    bare = signature_block(cipari, settings_from({"wilayah": {"kecamatan": "Cipari"}}, {}), desa="Cipari")
    assert [b.who.nip_line for b in bare] == ["", ""]
    made = _report_for(register(rows()), "2026-11")
    text = _pdf_text(replace(made, signatures=bare))
    assert "Dibuat oleh" in text and "Mengetahui" in text and "NIP" not in text
    with_nip = signature_block(
        cipari,
        settings_from({"laporan": {"penandatangan": {"Cipari": {"nama": "Kades", "nip": "1970"}}}}, {}),
        desa="Cipari",
    )
    assert with_nip[1].who.nip_line == "NIP. 1970"
    camat = signature_block(load_profile("selemadeg_timur"), settings_from({}, {}), desa=None)
    assert camat[0].who.nip_line.startswith("NIP. ....")
    assert "NIP. ...." in _pdf_text(replace(made, signatures=camat))
