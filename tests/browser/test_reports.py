"""Kepala desa downloads the monthly report PDF; kecamatan compares desas with personal data masked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import demo_password
from tests.browser.flows import pdf_text, register_column
from tests.browser.st_helpers import (
    download,
    download_button,
    log_in,
    main,
    nav_to,
    no_exception,
    selectbox,
    sidebar,
)

PHONE = re.compile(r"(?<!\d)(?:\+?62|0)8\d{6,}")


@pytest.fixture(scope="module")
def reporter_names(browser_register) -> set[str]:
    """Every reporter name in the register the server was started with (minus blanks and tiny ones)."""
    names = {name for name in register_column(browser_register, "Nama Pelapor") if len(name) > 3}
    assert len(names) > 100
    return names


def assert_no_personal_data(text: str, names: set[str], where: str) -> None:
    phones = PHONE.findall(text)
    assert not phones, f"{where} shows phone numbers: {phones[:5]}"
    leaked = sorted(name for name in names if name in text)
    assert not leaked, f"{where} shows reporter names: {leaked[:5]}"


def test_kepala_desa_downloads_monthly_report_pdf(page, app_server):
    log_in(page, app_server.url, "kades.cibodas", demo_password("kades.cibodas"))
    nav_to(page, "Statistik Bulanan")
    expect(main(page).get_by_role("heading", name="Statistik Bulanan")).to_be_visible()
    no_exception(page)
    month = selectbox(sidebar(page), "Bulan").get_by_role("combobox").input_value()
    assert re.fullmatch(r"\w+ \d{4}", month), month
    data = download(page, download_button(main(page), "Unduh PDF"))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Cibodas" in text and month in text, text[:800]
    assert "Pemerintah Desa" in text or "PEMERINTAH DESA" in text, text[:800]


def test_kecamatan_sees_comparison_with_personal_data_masked(page, app_server, reporter_names):
    log_in(page, app_server.url, "camat", demo_password("camat"))
    nav = sidebar(page).locator("[data-testid='stSidebarNav']")
    assert "Catat Pengaduan Baru" not in nav.inner_text(), "kecamatan is read-only"
    nav_to(page, "Perbandingan Desa")
    expect(main(page).get_by_role("heading", name="Perbandingan Desa")).to_be_visible()
    no_exception(page)
    text = main(page).inner_text()
    assert_no_personal_data(text, reporter_names, "Perbandingan Desa page")
    csv = download(page, download_button(main(page), "Unduh CSV")).decode("utf-8-sig")
    assert all(desa in csv for desa in ("Cibodas", "Sukamaju", "Mekarsari")), csv[:500]
    assert_no_personal_data(csv, reporter_names, "Perbandingan Desa CSV")
    # the register itself, as kecamatan: names and phones masked in what is shown and exported
    nav_to(page, "Register")
    no_exception(page)
    assert_no_personal_data(main(page).inner_text(), reporter_names, "Register page (kecamatan)")
    register_csv = download(page, download_button(main(page), "Unduh hasil (CSV)")).decode("utf-8-sig")
    assert register_csv.count("\n") > 1000
    assert_no_personal_data(register_csv, reporter_names, "Register CSV (kecamatan)")
