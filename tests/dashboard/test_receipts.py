"""The tanda terima PDF: opens, names the complaint and date, never prints the full phone number."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pandas as pd
import pypdf
import pytest

from dashboard.receipts import letterhead_lines, receipt_document, receipt_pdf
from metrics.profiles import load_profile
from services.documents import DocumentSettings

UMUM = load_profile("umum")
CIPARI = load_profile("cipari")

COMPLAINT = {
    "nomor": "CPR/2026/05/0042",
    "desa": "Cipari",
    "tanggal_diterima": "14/05/2026 09:15",
    "saluran": "WhatsApp",
    "kategori": "Infrastruktur",
    "nama_pelapor": "Siti Rahayu",
    "alamat": "RT 02/RW 01, Dusun Kaler",
    "no_hp": "0812-3456-7890",
    "rahasia": "Tidak",
    "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang saat hujan.",
}


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def test_receipt_names_number_date_and_how_to_track():
    data = receipt_pdf(
        COMPLAINT,
        CIPARI,
        petugas="Budi Santoso",
        kecamatan="Cipari",
        kabupaten="Cilacap",
        printed_at=dt.datetime(2026, 5, 14, 9, 20),
    )
    assert data.startswith(b"%PDF")
    text = text_of(data)
    assert "CPR/2026/05/0042" in text
    assert "14 Mei 2026 09.15" in text
    assert "PEMERINTAH DESA CIPARI" in text
    assert "KABUPATEN CILACAP" in text
    assert "TANDA TERIMA PENGADUAN" in text
    assert "Handphone/WA pengaduan" in text  # channel label of the profile
    assert "Infrastruktur" in text
    assert "berlubang" in text
    assert "Budi Santoso" in text
    assert "Lacak di menu Lacak Pengaduan dengan Nomor pengaduan dan 4 angka terakhir no. HP" in " ".join(
        text.split()
    )
    assert "****7890" in text
    assert "081234567890" not in squeezed(text)
    assert "1234567890" not in squeezed(text)
    assert "RT 02/RW 01" not in text  # the address is not needed on the receipt


def test_receipt_from_typed_register_row():
    row = {
        **COMPLAINT,
        "tanggal_diterima": pd.Timestamp("2026-05-14 09:15"),
        "rahasia": True,
        "no_hp": "081234567890",
    }
    text = text_of(receipt_pdf(row, UMUM, petugas="Ani"))
    assert "14 Mei 2026 09.15" in text
    assert "Siti" not in text  # Rahasia: no name on paper
    assert "(dirahasiakan)" in text
    assert "081234567890" not in squeezed(text)


@pytest.mark.parametrize(
    "isi",
    [
        '=HYPERLINK("http://x")',
        "+cmd",
        "@SUM(A1)",
        "kata " * 2000,
        "Jalan rusak 😀🚧 di RT 02 — parah",
        "a" * 10_000,
    ],
)
def test_receipt_survives_hostile_text(isi):
    text = text_of(
        receipt_pdf({**COMPLAINT, "isi_pengaduan": isi, "nama_pelapor": "Siti 😀"}, UMUM, petugas="Ani")
    )
    assert "CPR/2026/05/0042" in text
    assert (
        len(
            pypdf.PdfReader(
                io.BytesIO(receipt_pdf({**COMPLAINT, "isi_pengaduan": isi}, UMUM, petugas="A"))
            ).pages
        )
        == 1
    )
    assert isi[:8].strip() in text


def test_receipt_without_phone_or_date():
    text = text_of(receipt_pdf({"nomor": "ADU/2026/05/0001", "rahasia": "Ya"}, UMUM, petugas=""))
    assert "ADU/2026/05/0001" in text
    assert "No. HP" in text
    # no phone: no promise of an online lookup with phone digits
    assert "4 angka terakhir" not in text and "tidak dapat dilacak daring" in " ".join(text.split())


def test_receipt_names_the_configured_address():
    text = " ".join(
        text_of(
            receipt_pdf(COMPLAINT, UMUM, petugas="Ani", public_url="https://aduan.contoh.desa.id")
        ).split()
    )
    assert "Lacak di https://aduan.contoh.desa.id/lacak dengan Nomor" in text


def test_letterhead_lines():
    assert letterhead_lines(UMUM, "Sukamaju", "Sukamaju", "Kabupaten Contoh") == [
        "PEMERINTAH DESA SUKAMAJU",
        "KECAMATAN SUKAMAJU",
        "KABUPATEN CONTOH",
    ]
    assert letterhead_lines(CIPARI, "") == ["PEMERINTAH DESA CIPARI", "KABUPATEN CILACAP"]


def test_receipt_is_the_document_engines_tanda_terima(tmp_path):
    """One receipt: the engine's tanda terima (an office's own tanda_terima.docx changes it)."""
    folder = tmp_path / "templat"
    folder.mkdir()
    own = docx.Document()
    own.add_paragraph("TANDA TERIMA KANTOR KAMI {{ nomor_pengaduan }} {{ nama_pelapor }}")
    own.save(folder / "tanda_terima.docx")
    settings = DocumentSettings.from_secrets({"dokumen": {"templates": str(folder)}})
    document = receipt_document(
        COMPLAINT, CIPARI, petugas="Ani", printed_at=dt.datetime(2026, 5, 14, 9, 20), settings=settings
    )
    assert document.kind == "tanda_terima"
    words = " ".join(p.text for p in docx.Document(io.BytesIO(document.docx)).paragraphs)
    assert "TANDA TERIMA KANTOR KAMI CPR/2026/05/0042 Siti Rahayu" in words
    assert document.pdf.startswith(b"%PDF") and "Dasar:" in text_of(document.pdf)
