"""The overview opens with figures, and the language switch turns the UI into English."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.st_helpers import main, metric_values, no_exception, open_app, sidebar, wait_ready


def reload(page) -> None:
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    wait_ready(page)


def as_number(value: str) -> int:
    return int("".join(ch for ch in value if ch.isdigit()) or 0)


def test_overview_loads_with_numbers(page, app_server):
    open_app(page, app_server.url)
    expect(main(page).get_by_role("heading", name="Ringkasan Pengaduan")).to_be_visible()
    no_exception(page)
    metrics = metric_values(page)
    assert as_number(metrics["Total pengaduan"]) >= 1000, metrics
    assert as_number(metrics["Masih terbuka"]) > 0, metrics
    assert metrics["Tepat waktu"].endswith("%") and as_number(metrics["Tepat waktu"]) > 0, metrics
    # the monthly chart is drawn
    expect(main(page).locator("[data-testid='stPlotlyChart']").first).to_be_visible()


def test_switch_to_english(page, app_server):
    open_app(page, app_server.url)
    sidebar(page).get_by_text("English", exact=True).click()
    wait_ready(page)
    expect(main(page).get_by_role("heading", name="Complaints overview")).to_be_visible()
    metrics = metric_values(page)
    assert "Total complaints" in metrics and as_number(metrics["Total complaints"]) > 0, metrics
    assert "Ringkasan Pengaduan" not in main(page).inner_text()
    # a reload keeps English (the choice is remembered by the browser)
    page.wait_for_function("() => document.cookie.includes('pantau_bahasa=en')")
    reload(page)
    expect(main(page).get_by_role("heading", name="Complaints overview")).to_be_visible()
    # and back, which is remembered too
    sidebar(page).get_by_text("Bahasa Indonesia", exact=True).click()
    wait_ready(page)
    expect(main(page).get_by_role("heading", name="Ringkasan Pengaduan")).to_be_visible()
    page.wait_for_function("() => document.cookie.includes('pantau_bahasa=id')")
    reload(page)
    expect(main(page).get_by_role("heading", name="Ringkasan Pengaduan")).to_be_visible()
