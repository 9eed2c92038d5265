"""Login: password accounts (bcrypt), OIDC identities (``at.user``), demo accounts, throttling,
session expiry, logout and the hash helper."""

from __future__ import annotations

import subprocess
import sys

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.access import Viewer
from dashboard.auth import (
    DEMO_USERS,
    accounts_for,
    check_password,
    configured_accounts,
    oidc_providers,
    viewer_for_email,
)
from metrics.errors import PantauError
from metrics.text import english
from tests.app_helpers import APP_PATH

FAST = bcrypt.gensalt(4)


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), FAST).decode()


USERS_SECRETS = {
    "pantau": {"session_timeout_minutes": 30},
    "wilayah": {
        "desa": ["Sukamaju", "Mekarsari", "Cibodas", "Karangsari", "Tegalwangi", "Sindangsari", "Margamulya"]
    },
    "users": {
        "siti": {
            "password_hash": _hash("rahasia-siti"),
            "role": "petugas",
            "desa": ["cibodas"],
            "name": "Siti",
        },
        "Camat": {"password_hash": _hash("rahasia-camat"), "role": "kecamatan"},
        "kades": {"password_hash": _hash("rahasia-kades")},
    },
    "roles": {"kades": {"role": "kepala_desa", "desa": ["Cibodas"]}},
}
OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "google": {
            "client_id": "id",
            "client_secret": "secret",
            "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
        },
    },
    "roles": {
        "camat@sukamaju.desa.id": {"role": "kecamatan"},
        "Petugas@Cibodas.desa.id": {"role": "petugas", "desa": ["Cibodas"]},
        "admin@sukamaju.desa.id": "admin",
    },
}


# ------------------------------------------------------------------------------------------
# Pure configuration


def test_configured_accounts_roles_and_desa():
    accounts = configured_accounts(USERS_SECRETS, ("Cibodas", "Sukamaju"))
    assert accounts["siti"].role == "petugas" and accounts["siti"].desa == ("Cibodas",)  # canonical desa name
    assert accounts["camat"].role == "kecamatan" and accounts["camat"].desa == ()
    assert accounts["kades"].role == "kepala_desa", "role from [roles] when [users] leaves it out"


@pytest.mark.parametrize(
    ("user", "problem"),
    [
        ({"password_hash": "plain-text", "role": "admin"}, "bcrypt"),
        ({"password_hash": _hash("x"), "role": "raja"}, "tidak valid"),
        ({"password_hash": _hash("x"), "role": "petugas"}, "desa"),
    ],
)
def test_broken_accounts_are_refused_with_a_message(user, problem):
    with pytest.raises(PantauError, match=problem):
        configured_accounts({"users": {"u": user}})


def test_desa_compared_ignoring_case():
    viewer = Viewer("x", "petugas", ("cibodas",))
    assert viewer.covers("Cibodas") and viewer.can_write(" CIBODAS ") and not viewer.covers("Sukamaju")


def test_check_password():
    accounts = configured_accounts(USERS_SECRETS)
    assert check_password(accounts, " SITI ", "rahasia-siti").username == "siti"
    assert check_password(accounts, "siti", "salah") is None
    assert check_password(accounts, "tidak-ada", "rahasia-siti") is None
    assert check_password({}, "siapa", "apa") is None


def test_unknown_user_costs_a_bcrypt_check(monkeypatch):
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda pw, h: calls.append(h) or real(pw, h))
    accounts = configured_accounts(USERS_SECRETS)
    assert check_password(accounts, "tidak-ada", "apa saja") is None
    assert len(calls) == 1 and calls[0][:7] == accounts["siti"].password_hash[:7], (
        "dummy hash of the same cost"
    )


def test_demo_accounts_only_on_demo_register_without_configured_accounts():
    assert set(accounts_for({}, is_demo=True)) == set(DEMO_USERS)
    assert accounts_for({}, is_demo=False) == {}
    assert set(accounts_for(USERS_SECRETS, is_demo=True)) == {"siti", "camat", "kades"}
    assert accounts_for(OIDC_SECRETS, is_demo=True) == {}


def test_demo_passwords_work():
    assert check_password(DEMO_USERS, "petugas.cibodas", "petugas-demo").desa == ("Cibodas",)
    assert check_password(DEMO_USERS, "admin", "admin-demo").role == "admin"


def test_oidc_config():
    assert oidc_providers(OIDC_SECRETS) == ["google"]
    assert oidc_providers({"auth": {"client_id": "a", "redirect_uri": "r"}}) == [None]
    assert oidc_providers({}) == []
    viewer = viewer_for_email("petugas@cibodas.desa.id", OIDC_SECRETS)
    assert viewer.role == "petugas" and viewer.desa == ("Cibodas",)
    assert viewer_for_email("orang.lain@gmail.com", OIDC_SECRETS) is None
    assert viewer_for_email("admin@sukamaju.desa.id", OIDC_SECRETS).role == "admin"


def test_hash_command():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.auth", "hash", "--stdin", "--rounds", "4"],
        input="kata-sandi-baru\n",
        capture_output=True,
        text=True,
        check=True,
    )
    hashed = result.stdout.strip()
    assert bcrypt.checkpw(b"kata-sandi-baru", hashed.encode())


# ------------------------------------------------------------------------------------------
# In the app


def _app(secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    if secrets:
        at.secrets = secrets
    if user is not None:
        at.user = user
    return at


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.run()
    at.switch_page("app_pages/masuk.py").run()
    at.text_input(key="masuk_username").input(username)
    at.text_input(key="masuk_password").input(password)
    next(b for b in at.button if b.label == "Masuk").click().run()
    return at


def _viewer(at: AppTest) -> Viewer | None:
    return at.session_state.get("viewer")


def test_password_login_and_logout(demo_register_path, register_env):
    register_env(demo_register_path)
    at = _login(_app(USERS_SECRETS), "siti", "rahasia-siti")
    assert not at.exception, at.exception
    assert _viewer(at) == Viewer("Siti", "petugas", ("Cibodas",), login="siti", method="password")
    assert any("Siti" in s.value for s in at.success)
    at.button(key="keluar").click().run()
    assert _viewer(at) is None
    assert [t.value for t in at.title] == ["Masuk"]


def test_wrong_password_is_refused_and_repeated_failures_wait(demo_register_path, register_env, monkeypatch):
    register_env(demo_register_path)
    now = [1_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    at = _app(USERS_SECRETS)
    _login(at, "siti", "salah-1")
    assert "salah" in at.error[0].value and _viewer(at) is None
    for attempt in range(2, 5):
        at.text_input(key="masuk_password").input(f"salah-{attempt}")
        next(b for b in at.button if b.label == "Masuk").click().run()
    assert "Tunggu" in at.error[0].value
    # Locked: even the right password is not checked now.
    at.text_input(key="masuk_password").input("rahasia-siti")
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert "Terlalu banyak" in at.error[0].value and _viewer(at) is None
    now[0] += 3600
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert _viewer(at) is not None and _viewer(at).login == "siti"


def test_unknown_user_gets_the_same_message(demo_register_path, register_env):
    register_env(demo_register_path)
    at = _login(_app(USERS_SECRETS), "tidak-ada", "rahasia-siti")
    assert at.error[0].value.startswith("Nama pengguna atau kata sandi salah.")


def test_session_expires_after_inactivity(demo_register_path, register_env, monkeypatch):
    register_env(demo_register_path)
    now = [2_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    at = _login(_app(USERS_SECRETS), "camat", "rahasia-camat")
    assert _viewer(at).role == "kecamatan"
    now[0] += 29 * 60  # activity within the 30 minutes keeps the session
    at.run()
    assert _viewer(at) is not None
    now[0] += 31 * 60
    at.run()
    assert _viewer(at) is None
    assert any("Sesi Anda berakhir" in w.value for w in at.warning)


def test_demo_accounts_on_demo_register(demo_register_path, monkeypatch):
    monkeypatch.delenv("PANTAU_REGISTER", raising=False)
    monkeypatch.setattr("dashboard.settings.DEMO_REGISTER_PATH", demo_register_path)
    at = _login(_app(), "kades.cibodas", "kades-demo")
    assert not at.exception, at.exception
    assert _viewer(at).role == "kepala_desa" and _viewer(at).desa == ("Cibodas",)


def test_no_demo_accounts_on_a_real_register(demo_register_path, register_env):
    register_env(demo_register_path)  # same file, but configured: not the demo register
    at = _login(_app(), "admin", "admin-demo")
    assert _viewer(at) is None
    assert "salah" in at.error[0].value
    assert not any("akun demo" in i.value for i in at.info)


def test_oidc_identity_maps_to_role(demo_register_path, register_env):
    register_env(demo_register_path)
    at = _app(OIDC_SECRETS, {"is_logged_in": True, "email": "camat@sukamaju.desa.id", "name": "Pak Camat"})
    at.run()
    assert not at.exception, at.exception
    assert _viewer(at).role == "kecamatan" and _viewer(at).method == "oidc"
    assert [t.value for t in at.title] == ["Ringkasan Pengaduan"]
    # (AppTest reruns only the page script, so log out from the Akun page, not the sidebar.)
    at.switch_page("app_pages/masuk.py").run()
    at.button(key="keluar").click().run()
    assert at.user.get("is_logged_in") is False
    assert _viewer(at) is None


def test_oidc_unknown_email_stays_public(demo_register_path, register_env):
    register_env(demo_register_path)
    at = _app(OIDC_SECRETS, {"is_logged_in": True, "email": "orang@gmail.com"})
    at.run()
    assert _viewer(at) is None
    at.switch_page("app_pages/masuk.py").run()
    assert any("belum terdaftar" in w.value for w in at.warning)


def test_oidc_login_button_instead_of_password_form(demo_register_path, register_env):
    register_env(demo_register_path)
    at = _app(OIDC_SECRETS, {"is_logged_in": False})
    at.run()
    at.switch_page("app_pages/masuk.py").run()
    assert not at.text_input, "no password form when OIDC is configured"
    assert at.button(key="oidc_google").label == "Masuk (Google)"


HASH = bcrypt.hashpw(b"rahasia", bcrypt.gensalt(rounds=4)).decode("ascii")


def test_account_problems_carry_their_english():
    """Issue 13.13: a wrong [users] entry is named in both languages (metrics.text)."""
    with pytest.raises(PantauError) as caught:
        auth.configured_accounts({"users": {"ani": {"password_hash": HASH, "role": "lurah"}}})
    assert str(caught.value).startswith(
        "Konfigurasi akun [users] bermasalah:\n- Peran akun 'ani' tidak valid"
    )
    assert english(caught.value.text).startswith(
        "The [users] accounts have problems:\n- Account 'ani' has an invalid role"
    )
