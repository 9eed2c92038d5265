"""Browser tests: Debian's Chromium driven by Playwright against a real ``streamlit run``.

Every test in ``tests/browser`` is marked ``browser`` and is skipped, with the reason, when the
``chromium`` package is not installed. A failing test leaves a screenshot and the page's text in
``test-artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.server import (
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    REPO_ROOT,
    StreamlitServer,
    chromium_path,
    write_secrets,
)

ARTIFACTS = REPO_ROOT / "test-artifacts"
# Generous: CI machines and busy laptops run the app, the browser and pytest on two cores.
EXPECT_TIMEOUT_MS = 30_000
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    have_chromium = chromium_path() is not None
    for item in items:
        if BROWSER_DIR not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not have_chromium:
            item.add_marker(pytest.mark.skip(reason=CHROMIUM_MISSING))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser_register(tmp_path_factory) -> Path:
    """A fresh demo register in a temporary directory (the tests write to it)."""
    from data_sources.demo import write_demo_register

    path = tmp_path_factory.mktemp("browser_register") / "register.xlsx"
    return write_demo_register(path)


def start_server(
    tmp_path_factory, register: Path, name: str, secrets: dict | None = None, port: int | None = None
) -> StreamlitServer:
    workdir = tmp_path_factory.mktemp(name)
    server = StreamlitServer(
        register=register,
        secrets=write_secrets(workdir / "secrets.toml", secrets),
        log_path=workdir / "streamlit.log",
        **({"port": port} if port else {}),
    )
    return server.start()


def demo_users_secrets() -> dict:
    """The demo accounts of docs/LOGIN.md as configured ``[users]`` (bcrypt, low cost for speed).

    The app offers its built-in demo accounts only on the bundled demo register; the tests run on
    a temporary copy (``PANTAU_REGISTER``), so they configure the same accounts the way an admin
    would, and show the overview to the public as the demo does.
    """
    import bcrypt

    from dashboard.auth import DEMO_ACCOUNTS

    users = {
        username: {
            "password_hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode(),
            "role": role,
            "desa": list(desa),
            "name": name,
        }
        for username, password, role, desa, name in DEMO_ACCOUNTS
    }
    return {"pantau": {"public_overview": True}, "users": users}


def demo_password(username: str) -> str:
    from dashboard.auth import DEMO_ACCOUNTS

    return next(account[1] for account in DEMO_ACCOUNTS if account[0] == username)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, browser_register, browser):
    """One ``streamlit run`` on the temporary demo register for the whole session.

    It is opened once at its root first, as a visitor would: see test_deep_link.py for why a
    fresh server's first visit matters.
    """
    server = start_server(tmp_path_factory, browser_register, "app_server", demo_users_secrets())
    warm_up(browser, server.url)
    yield server
    server.stop()


LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


def loopback_only(context) -> None:
    """Refuse every request that is not to this machine (e.g. the favicon icon font CDN)."""
    from urllib.parse import urlparse

    def route(route):
        if (urlparse(route.request.url).hostname or "") in LOOPBACK:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)


def new_context(browser, **options):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="id-ID", accept_downloads=True, **options
    )
    context.set_default_timeout(30_000)
    loopback_only(context)
    return context


def warm_up(browser, url: str) -> None:
    from tests.browser.st_helpers import open_app

    context = new_context(browser)
    try:
        open_app(context.new_page(), url)
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser):
    """A fresh browser context (= a fresh Streamlit session and cookie jar) per test."""
    context = new_context(browser)
    page = context.new_page()
    yield page
    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )
    if failed:
        server = request.getfixturevalue("app_server") if "app_server" in request.fixturenames else None
        save_artifacts(page, request.node.nodeid, server)
    context.close()


def save_artifacts(page, nodeid: str, server: StreamlitServer | None = None) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    if server is not None:
        (ARTIFACTS / f"{stem}.server.log").write_text(server.log_tail(200))
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.txt").write_text(page.url + "\n\n" + page.locator("body").inner_text())
    except Exception as error:  # a crashed page still must not hide the test's own failure
        (ARTIFACTS / f"{stem}.txt").write_text(f"screenshot failed: {error}")


@pytest.fixture
def server_log(app_server):
    """The app server's log tail (attach to assertion messages)."""
    return app_server.log_tail
