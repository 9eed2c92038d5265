"""Multi-step flows shared by several browser tests (each step asserts what a user would see)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from tests.browser.st_helpers import (
    click_button,
    download,
    download_button,
    fill,
    main,
    nav_to,
    no_exception,
    select,
    wait_ready,
)

NOMOR_PATTERN = re.compile(r"Nomor\s+([A-Z]+/\d{4}/\d{2}/\d{4})")


@dataclass(frozen=True)
class RecordedComplaint:
    nomor: str
    phone: str
    name: str
    answer: str
    receipt_pdf: bytes
    whatsapp_href: str


def register_column(path, header: str) -> set[str]:
    """The non-empty values of one column (by header, any case) across the register's sheets."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    values: set[str] = set()
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        headers = [str(h or "").strip().lower() for h in next(rows, ())]
        if header.lower() in headers:
            column = headers.index(header.lower())
            values |= {str(row[column]).strip() for row in rows if row and row[column]}
    workbook.close()
    return values


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def record_complaint(page: Page, *, name: str, phone: str, address: str, content: str) -> tuple[str, bytes]:
    """On *Catat Pengaduan Baru*: fill the form, save, read the Nomor, download the receipt."""
    nav_to(page, "Catat Pengaduan Baru")
    expect(main(page).get_by_role("heading", name="Catat Pengaduan Baru")).to_be_visible()
    form = main(page).locator("[data-testid='stForm']")
    select(form, "Saluran", "WhatsApp", page=page, in_form=True)
    select(form, "Kategori", "Pelayanan umum", page=page, in_form=True)
    select(form, "Urgensi", "Sedang", page=page, in_form=True)
    fill(form, "Nama pelapor", name, commit="none")
    fill(form, "Alamat", address, commit="none")
    fill(form, "No. HP", phone, commit="none")
    form.locator("textarea").fill(content)
    click_button(form, "Simpan pengaduan", page=page)
    no_exception(page)
    saved = main(page).locator("[data-testid='stAlertContentSuccess']", has_text="Pengaduan tersimpan")
    expect(saved).to_be_visible()
    nomor = NOMOR_PATTERN.search(saved.inner_text()).group(1)
    # the form is empty again in the browser too: a second click cannot record the same complaint
    form = main(page).locator("[data-testid='stForm']")
    for label in ("Nama pelapor", "Alamat", "No. HP"):
        expect(form.get_by_label(label)).to_have_value("")
    expect(form.locator("textarea")).to_have_value("")
    receipt = download(page, download_button(main(page), "Unduh tanda terima (PDF)"))
    return nomor, receipt


def current_stage_text(page: Page) -> str:
    return main(page).get_by_text("Tahap sekarang:").inner_text()


def save_update(page: Page, nomor: str, expected_stage: str) -> None:
    """Choose *expected_stage* in "Maju ke tahap" (after a save the form starts at "(tetap)", so
    an extra click never moves a complaint on by accident), save, and check the new stage."""
    select(main(page), "Maju ke tahap", expected_stage, page=page)
    click_button(main(page), "Simpan perubahan", page=page)
    no_exception(page)
    expect(main(page).get_by_text(f"Pengaduan {nomor} diperbarui.")).to_be_visible()
    expect(main(page).get_by_text("Tahap sekarang:")).to_contain_text(expected_stage)


def advance_to_answered(page: Page, nomor: str, answer: str) -> str:
    """On *Perbarui Pengaduan*: verify, dispose to the kepala desa, follow up, answer.
    Returns the WhatsApp click-to-chat link offered afterwards."""
    nav_to(page, "Perbarui Pengaduan")
    fill(main(page), "Cari Nomor", nomor, commit="enter", page=page)
    # the form's title names the one complaint being updated (issue 13.2)
    expect(main(page).get_by_role("heading", name=f"Memperbarui {nomor}")).to_be_visible()
    expect(main(page).get_by_text("Tahap sekarang:")).to_contain_text("Pengaduan diterima dan dicatat")
    save_update(page, nomor, "Verifikasi dan klasifikasi")
    select(main(page), "Disposisi kepada", "Kepala Desa", page=page)
    save_update(page, nomor, "Disposisi ke pejabat berwenang")
    save_update(page, nomor, "Tindak lanjut")
    main(page).get_by_label("Hasil tindak lanjut (jawaban kepada pelapor)").fill(answer)
    main(page).get_by_label("Hasil tindak lanjut (jawaban kepada pelapor)").press("Tab")
    wait_ready(page)
    select(main(page), "Jenis penyelesaian", "Tindakan korektif", page=page)
    save_update(page, nomor, "Jawaban disampaikan kepada pelapor")
    expect(main(page).get_by_role("heading", name="Beri tahu pelapor")).to_be_visible()
    link = main(page).get_by_role("link", name=re.compile("WhatsApp"))
    expect(link).to_be_visible()
    return link.get_attribute("href") or ""
