"""Every profile x every declared document renders: the DOCX opens in python-docx with the fields
filled, the PDF text (pypdf) has the Nomor, dates and names, and page 1 is rendered to PNG in
test-artifacts/documents/ (pdftoppm) to look at."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pypdf
import pytest

from metrics.profiles import available_profiles, load_profile
from services.documents import DocumentSettings, make_document
from services.documents.letterhead import head_title, letterhead_lines
from tests.services.documents.conftest import REPORTER, TODAY, demo_complaint, demo_meeting

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "documents"
SETTINGS = DocumentSettings.from_secrets(
    {"dokumen": {"alamat": "Jl. Raya No. 1", "telepon": "0541-661234"}}, "Sukamaju", "Contoh"
)
CASES = [(pid, spec.kind) for pid in available_profiles() for spec in load_profile(pid).documents]
SHOWS_RECEIPT_DATE = {
    "formulir_pengaduan",
    "tanda_terima",
    "lembar_disposisi",
    "berita_acara",
    "laporan_hasil_rapat",
    "surat_jawaban",
}
SHOWS_PHONE = {"formulir_pengaduan"}
NAMES_REPORTER = {
    "formulir_pengaduan",
    "tanda_terima",
    "lembar_disposisi",
    "laporan_hasil_rapat",
    "surat_jawaban",
}
HEAD_SIGNS = {
    "lembar_disposisi",
    "surat_undangan",
    "daftar_hadir",
    "notulen",
    "berita_acara",
    "laporan_hasil_rapat",
    "surat_jawaban",
}


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]

    def cells(tables) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def to_png(pdf: bytes, name: str) -> Path:
    """Page 1 of ``pdf`` as PNG in the artefacts (pdftoppm, poppler-utils: installed by .ci/run)."""
    assert shutil.which("pdftoppm"), (
        "pdftoppm (Debian poppler-utils) is needed: apt-get install poppler-utils"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(ARTIFACTS / name),
        ],
        check=True,
        timeout=60,
    )
    return ARTIFACTS / f"{name}.png"


@pytest.mark.parametrize(("profile_id", "kind"), CASES)
def test_every_declared_document_renders(profile_id: str, kind: str) -> None:
    profile = load_profile(profile_id)
    complaint = demo_complaint(profile)
    document = make_document(
        kind,
        complaint,
        profile,
        SETTINGS,
        today=TODAY,
        petugas="Ani Lestari",
        handled=True,
        meeting=demo_meeting(profile),
    )
    text = docx_text(document.docx)
    printed = pdf_text(document.pdf)
    kop = letterhead_lines(profile, complaint["desa"], "Sukamaju", "Contoh")
    for content in (text, printed):
        assert complaint["nomor"] in content
        assert kop[0] in content and kop[-1] in content
        assert "{{" not in content and "{%" not in content
        assert "Dasar: " + profile.source[:40] in content
        if kind in SHOWS_RECEIPT_DATE:
            assert "4 Mei 2026 09.15" in content
    if kind in HEAD_SIGNS:
        assert head_title(profile, complaint["desa"]) in text
        assert head_title(profile, complaint["desa"]) in printed
    if kind in (
        "tanda_terima",
        "formulir_pengaduan",
        "notulen",
        "laporan_hasil_rapat",
        "surat_undangan",
        "surat_jawaban",
    ):
        assert "12 Mei 2026" in text and "12 Mei 2026" in printed  # the letter's date
    if kind in ("daftar_hadir", "notulen", "berita_acara", "laporan_hasil_rapat", "surat_undangan"):
        assert "Budi Santoso" in text and "Rabu, 6 Mei 2026" in printed
    if kind in ("berita_acara", "laporan_hasil_rapat"):
        assert complaint["no_berita_acara"] in text and complaint["no_berita_acara"] in printed
    if document.audience == "public":  # an invitation never names the complainant
        assert REPORTER not in text and REPORTER not in printed
    assert (REPORTER in text and REPORTER in printed) == (kind in NAMES_REPORTER)
    # the handling petugas reads the whole phone on the office's own papers (the formulir);
    # papers for the complainant or others carry its last 4 digits at most
    full_phone = document.audience == "internal" and kind in SHOWS_PHONE
    assert ("081234567890" in text + printed) == full_phone
    png = to_png(document.pdf, f"{profile_id}__{kind}")
    assert png.stat().st_size > 5000
