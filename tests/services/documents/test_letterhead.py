"""Kop surat and signatories per unit kind; the receipt and the monthly report use them."""

from __future__ import annotations

import io

import pypdf

from dashboard.monthly_report import letterhead_lines as monthly_letterhead
from dashboard.monthly_report import signatory_for
from dashboard.receipts import receipt_pdf
from metrics.profiles import load_profile
from services.documents.letterhead import head_signatory, head_title, letterhead_lines

KUKAR = load_profile("kutai_kartanegara")
SELTIM = load_profile("selemadeg_timur")
BABAKAN = load_profile("babakan")
UMUM = load_profile("umum")

COMPLAINT = {
    "nomor": "DPMD/2026/05/0001",
    "desa": "Loa Ipuh",
    "tanggal_diterima": "14/05/2026 09:15",
    "saluran": "Online",
    "nama_pelapor": "Siti Rahayu",
    "no_hp": "081234567890",
    "rahasia": "Tidak",
    "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang saat hujan.",
}


def test_letterhead_per_unit_kind() -> None:
    assert letterhead_lines(KUKAR, "Loa Ipuh", "Sukamaju", "Kabupaten Contoh") == [
        "PEMERINTAH KABUPATEN KUTAI KARTANEGARA",
        "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA",
    ]
    assert letterhead_lines(SELTIM, "Loa Ipuh") == [
        "PEMERINTAH KABUPATEN TABANAN",
        "KANTOR CAMAT SELEMADEG TIMUR",
    ]
    assert letterhead_lines(BABAKAN, "Babakan", "Sukamaju") == [
        "PEMERINTAH DESA BABAKAN",
        "KECAMATAN SUKAMAJU",
    ]
    assert letterhead_lines(UMUM, "Cibodas", "Sukamaju", "Contoh") == [
        "PEMERINTAH DESA CIBODAS",
        "KECAMATAN SUKAMAJU",
        "KABUPATEN CONTOH",
    ]


def test_head_of_each_unit_signs() -> None:
    assert head_title(KUKAR) == "Kepala Dinas Pemberdayaan Masyarakat dan Desa"
    assert head_title(SELTIM) == "Camat Selemadeg Timur"
    assert head_title(UMUM, "Cibodas") == "Kepala Desa Cibodas"
    secrets = {"laporan": {"penandatangan": {"Selemadeg Timur": {"nama": "I Gusti Putu", "nip": "1974"}}}}
    who = head_signatory(secrets, SELTIM)
    assert (who.jabatan, who.nama, who.nip, who.place) == (
        "Camat Selemadeg Timur",
        "I Gusti Putu",
        "1974",
        "Tabanan",
    )


def test_receipt_prints_the_dinas_not_the_desa_and_the_sop_source() -> None:
    reader = pypdf.PdfReader(io.BytesIO(receipt_pdf(COMPLAINT, KUKAR, petugas="Ani", kabupaten="Contoh")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA" in text
    assert "PEMERINTAH KABUPATEN KUTAI KARTANEGARA" in text
    assert "PEMERINTAH LOA IPUH" not in text and "KECAMATAN LOA IPUH" not in text
    assert "0001/DPM/1.1/11/2022" in text  # the SOP's number in small print


def test_monthly_report_signatory_and_kop_follow_the_unit() -> None:
    assert signatory_for({}, None, "Sukamaju", KUKAR).jabatan.startswith("Kepala Dinas")
    assert signatory_for({}, None, "Sukamaju", SELTIM).jabatan == "Camat Selemadeg Timur"
    assert signatory_for({}, "Cibodas", "Sukamaju", UMUM).jabatan == "Kepala Desa Cibodas"
    assert (
        monthly_letterhead(None, "Sukamaju", "Contoh", KUKAR)[1] == "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA"
    )
