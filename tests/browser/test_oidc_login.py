"""The real ``st.login`` path: OIDC against a local mock OpenID provider, roles from ``[roles]``.

The provider (``oidc-provider-mock``) runs in a thread on loopback; the app's ``[auth]`` secrets
point at its discovery document. The browser goes app -> provider's authorisation page -> back
to ``/oauth2callback`` -> the app, logged in with the role that ``[roles]`` gives the e-mail.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import start_server
from tests.browser.server import free_port
from tests.browser.st_helpers import main, nav_to, open_app, sidebar, wait_ready

# The mock provider uses Authlib APIs that Authlib itself marks deprecated.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CAMAT_EMAIL = "camat.oidc@sukamaju.example"


@pytest.fixture(scope="module")
def oidc_provider():
    from oidc_provider_mock import User, run_server_in_thread

    users = [
        User(
            sub="camat-oidc",
            claims={"email": CAMAT_EMAIL, "email_verified": True, "name": "Camat Lewat OIDC"},
        ),
        User(sub="orang-asing", claims={"email": "asing@contoh.example", "name": "Orang Asing"}),
    ]
    with run_server_in_thread(port=free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory, browser_register, oidc_provider, browser):
    port = free_port()
    secrets = {
        "pantau": {"public_overview": True},
        "auth": {
            "redirect_uri": f"http://localhost:{port}/oauth2callback",
            "cookie_secret": "pantau-aduan-browser-test-cookie-secret-0123456789",
            "client_id": "pantau-aduan",
            "client_secret": "rahasia-klien",
            "server_metadata_url": f"{oidc_provider}/.well-known/openid-configuration",
        },
        "roles": {CAMAT_EMAIL: {"role": "kecamatan", "name": "Camat Lewat OIDC"}},
    }
    server = start_server(tmp_path_factory, browser_register, "oidc_app", secrets, port=port)
    from tests.browser.conftest import warm_up

    warm_up(browser, server.url)
    yield server
    server.stop()


def oidc_log_in(page, app_url: str, provider_url: str, subject: str) -> None:
    open_app(page, app_url, "masuk")
    main(page).get_by_role("button", name="Masuk").click()
    # The provider's authorisation page: one button per predefined user.
    page.wait_for_url(f"{provider_url}/**")
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_role("button", name=subject, exact=True).click()
    page.wait_for_url(f"{app_url}/**")
    wait_ready(page)


def test_oidc_login_maps_email_to_role(page, oidc_app, oidc_provider):
    oidc_log_in(page, oidc_app.url, oidc_provider, "camat-oidc")
    caption = sidebar(page).get_by_text("Masuk sebagai")
    expect(caption).to_be_visible()
    assert "Camat Lewat OIDC" in caption.inner_text()
    nav = sidebar(page).locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text("Ringkasan")).to_be_visible()
    # the role's pages, not the petugas' forms
    assert "Catat Pengaduan" not in nav.inner_text()


def test_oidc_identity_without_role_stays_public(page, oidc_app, oidc_provider):
    oidc_log_in(page, oidc_app.url, oidc_provider, "orang-asing")
    # back on the public overview; the account page says why nothing changed
    nav_to(page, "Masuk / Akun")
    expect(main(page).get_by_text("belum terdaftar")).to_be_visible()
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
