"""Driving a Streamlit app with Playwright: wait for reruns, navigate, fill widgets, downloads.

Streamlit marks the app root ``[data-testid=stApp]`` with ``data-test-script-state`` (``running``,
``notRunning``, ...) and ``data-test-connection-state``. A widget change asks for a rerun at once;
``wait_ready`` waits until the script is no longer running and no element is stale.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Download, Locator, Page, expect

APP = "[data-testid='stApp']"
TIMEOUT_MS = 60_000


def track_requests(page: Page) -> None:
    """Count the page's HTTP requests in flight: Streamlit loads each element type's code lazily,
    so an element is drawn only after its chunk arrived, possibly after the script finished."""
    if getattr(page, "_pending_requests", None) is not None:
        return
    pending: set = set()
    page._pending_requests = pending
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))


def wait_ready(page: Page, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script has finished, no element code is still loading
    and nothing on screen is stale."""
    track_requests(page)
    pending = page._pending_requests
    page.wait_for_selector(
        f"{APP}[data-test-connection-state='CONNECTED']", state="attached", timeout=timeout_ms
    )
    # A rerun requested by the last action shows up within a frame or two; poll a few times so
    # that "not running yet" is not mistaken for "already done".
    settled_polls = 0
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        state = page.locator(APP).get_attribute("data-test-script-state")
        busy = state != "notRunning" or bool(pending) or page.locator("[data-stale='true']").count() > 0
        settled_polls = 0 if busy else settled_polls + 1
        if settled_polls >= 3:
            return
        page.wait_for_timeout(60)
    raise TimeoutError(f"app still running after {timeout_ms} ms (script state {state!r})")


def open_app(page: Page, base_url: str, path: str = "") -> None:
    track_requests(page)
    page.goto(f"{base_url}/{path.lstrip('/')}")
    page.wait_for_selector(APP, timeout=TIMEOUT_MS)
    wait_ready(page)


def sidebar(page: Page) -> Locator:
    return page.locator("[data-testid='stSidebar']")


def nav_to(page: Page, title: str) -> None:
    """Click a page in the sidebar navigation (``st.navigation``) by its title."""
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_role("link", name=title, exact=True).first.click()
    wait_ready(page)


def main(page: Page) -> Locator:
    return page.locator("[data-testid='stMain']")


def text_input(scope: Page | Locator, label: str) -> Locator:
    return scope.get_by_label(label, exact=True).first


def fill(
    scope: Page | Locator, label: str, value: str, *, commit: str = "blur", page: Page | None = None
) -> None:
    """Type into a text input / text area / number input. Streamlit commits on Enter or blur.

    Inside an ``st.form`` use ``commit="none"``: the form's submit button sends the values.
    """
    box = text_input(scope, label)
    box.fill(value)
    if commit == "enter":
        box.press("Enter")
    elif commit == "blur":
        box.press("Tab")
    if page is not None and commit != "none":
        wait_ready(page)


def _page_of(scope: Page | Locator) -> Page:
    return scope.page if isinstance(scope, Locator) else scope


def selectbox(scope: Page | Locator, label: str) -> Locator:
    label_box = _page_of(scope).locator("[data-testid='stWidgetLabel']", has_text=label)
    return scope.locator("[data-testid='stSelectbox']").filter(has=label_box).first


def select(scope: Page | Locator, label: str, option: str, *, page: Page, in_form: bool = False) -> None:
    """Choose ``option`` in an ``st.selectbox`` labelled ``label`` (its options open in a popover).

    A select scrolled out of view (e.g. above the Simpan button after a save) is scrolled in first:
    the scroll that Playwright's click does itself can close the popover the same click opened,
    so the click is repeated until the select says it is open."""
    box = selectbox(scope, label).get_by_role("combobox")
    box.scroll_into_view_if_needed()
    for _ in range(3):
        if box.get_attribute("aria-expanded") != "true":
            box.click()
        try:
            expect(box).to_have_attribute("aria-expanded", "true", timeout=5_000)
            break
        except AssertionError:
            continue
    page.get_by_role("option", name=option, exact=True).click()
    if not in_form:
        wait_ready(page)


def click_button(scope: Page | Locator, name: str, *, page: Page, exact: bool = False) -> None:
    scope.get_by_role("button", name=name, exact=exact).first.click()
    wait_ready(page)


def download(page: Page, button: Locator, timeout_ms: int = TIMEOUT_MS) -> bytes:
    """Click a ``st.download_button`` (or link) and return the downloaded bytes."""
    with page.expect_download(timeout=timeout_ms) as info:
        button.click()
    item: Download = info.value
    path = item.path()
    return open(path, "rb").read()


def download_button(scope: Page | Locator, name: str | re.Pattern) -> Locator:
    return scope.locator("[data-testid='stDownloadButton']").get_by_role("button", name=name).first


def body_text(page: Page) -> str:
    return main(page).inner_text()


def metric_values(page: Page) -> dict[str, str]:
    """``st.metric`` label -> value as shown."""
    values = {}
    for metric in page.locator("[data-testid='stMetric']").all():
        label = metric.locator("[data-testid='stMetricLabel']").inner_text().strip()
        values[label] = metric.locator("[data-testid='stMetricValue']").inner_text().strip()
    return values


def expect_text(scope: Page | Locator, text: str | re.Pattern, timeout_ms: int = TIMEOUT_MS) -> None:
    expect(scope.get_by_text(text).first).to_be_visible(timeout=timeout_ms)


def no_exception(page: Page) -> None:
    """Fail with the traceback text when the app shows an exception box."""
    boxes = page.locator("[data-testid='stException']")
    if boxes.count():
        raise AssertionError("the app shows an exception:\n" + boxes.first.inner_text())


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Offline password login on *Masuk / Akun*; returns once the sidebar shows who is logged in."""
    open_app(page, base_url, "masuk")
    form = main(page).locator("[data-testid='stForm']")
    fill(form, "Nama pengguna", username, commit="none")
    fill(form, "Kata sandi", password, commit="none")
    form.get_by_role("button", name="Masuk").click()
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_be_visible(timeout=TIMEOUT_MS)
    wait_ready(page)
