"""Catat Pengaduan Baru empties Saluran, Kategori and Urgensi after a save, in the browser too.

The AppTest (tests/pages/test_antrean_saya.py) sees the emptied session state, but not what the
browser sends back: when the emptied value was deleted instead of assigned, the browser sent the
previous complaint's choice with the next save (commit 8c44035), and the AppTest still passed.
Here the next complaint is saved in a real browser and the register and its Riwayat are read.
"""

from __future__ import annotations

import uuid

import openpyxl
from playwright.sync_api import expect

from metrics.columns import AUDIT_SHEET
from tests.browser.conftest import demo_password
from tests.browser.flows import NOMOR_PATTERN, record_complaint
from tests.browser.st_helpers import click_button, fill, log_in, main, no_exception, select, selectbox

PLACEHOLDERS = {"Saluran": "Pilih saluran", "Kategori": "Belum diklasifikasi", "Urgensi": "Belum ditentukan"}


def _rows(path, nomor: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The register row of ``nomor`` (header -> cell text) and its Riwayat rows."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    found: dict[str, str] = {}
    audit: list[dict[str, str]] = []
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, ())]
        if "Nomor" not in header:
            continue
        for row in rows:
            cells = {h: "" if v is None else str(v).strip() for h, v in zip(header, row, strict=False)}
            if cells.get("Nomor") != nomor:
                continue
            if sheet.title == AUDIT_SHEET:
                audit.append(cells)
            else:
                found = cells
    workbook.close()
    return found, audit


def test_the_next_complaint_gets_no_saluran_kategori_or_urgensi_of_the_previous_one(
    page, app_server, browser_register
):
    marker = uuid.uuid4().hex[:6]
    log_in(page, app_server.url, "petugas.cibodas", demo_password("petugas.cibodas"))
    first, _ = record_complaint(  # chooses WhatsApp, Pelayanan umum, Sedang
        page,
        name=f"Rina Uji {marker}",
        phone="081311112222",
        address="RT 01/RW 02",
        content=f"Saluran air di depan rumah tersumbat ({marker}).",
    )
    form = main(page).locator("[data-testid='stForm']")
    for label, placeholder in PLACEHOLDERS.items():  # the browser shows the emptied choices
        choice = selectbox(form, label).get_by_role("combobox")
        expect(choice).to_have_value("")
        expect(choice).to_have_attribute("placeholder", placeholder)

    # the next complaint, Saluran not chosen: refused by name (the previous WhatsApp was not sent back)
    fill(form, "Nama pelapor", f"Dedi Uji {marker}", commit="none")
    fill(form, "Alamat", "RT 04/RW 02", commit="none")
    fill(form, "No. HP", "081333334444", commit="none")
    form.locator("textarea").fill(f"Lampu jalan padam di gang masjid ({marker}).")
    click_button(form, "Simpan pengaduan", page=page)
    no_exception(page)
    expect(
        main(page).locator("[data-testid='stAlertContentError']", has_text="Saluran").first
    ).to_be_visible()
    # Saluran chosen, Kategori and Urgensi left as the emptied form shows them
    form = main(page).locator("[data-testid='stForm']")
    select(form, "Saluran", "WhatsApp", page=page, in_form=True)
    click_button(form, "Simpan pengaduan", page=page)
    no_exception(page)
    saved = main(page).locator("[data-testid='stAlertContentSuccess']", has_text="Pengaduan tersimpan")
    expect(saved).to_be_visible()
    second = NOMOR_PATTERN.search(saved.inner_text()).group(1)
    assert second != first

    row_first, audit_first = _rows(browser_register, first)
    row_second, audit_second = _rows(browser_register, second)
    assert row_first["Kategori"] and row_first["Urgensi"], row_first  # the first kept its choices
    assert row_second["Saluran"] == row_first["Saluran"]
    assert (row_second["Kategori"], row_second["Urgensi"]) == ("", ""), row_second
    # Riwayat: the first complaint's rows record its Kategori and Urgensi, the second's none
    assert {"Kategori", "Urgensi"} <= {a["Kolom"] for a in audit_first}, audit_first
    assert audit_second and not {"Kategori", "Urgensi"} & {a["Kolom"] for a in audit_second}, audit_second
