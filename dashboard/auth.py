"""Login: OIDC via ``st.login`` when ``[auth]`` is configured, else username/password (bcrypt).

Configuration (``.streamlit/secrets.toml``, see ``docs/LOGIN.md``):

- ``[auth]`` — Streamlit's OIDC settings (``redirect_uri``, ``cookie_secret``, and either
  ``client_id``/``client_secret``/``server_metadata_url`` directly or named providers such as
  ``[auth.google]``). The identity is ``st.user.email``; its role comes from ``[roles]``.
- ``[users.<username>]`` — offline accounts: ``password_hash`` (bcrypt), ``role``,
  ``desa = [...]``, ``name``, ``email`` (optional).
- ``[roles]`` — e-mail or username -> ``{ role = "...", desa = [...], name = "..." }`` (or just
  ``"kecamatan"``). For offline users it fills in what ``[users.<username>]`` leaves out.
- ``[pantau] session_timeout_minutes`` — inactivity before the session ends (default 60).

With no ``[users]`` and no ``[auth]`` on the *demo* register, the demo accounts below exist
(never on a real register).

``python -m dashboard.auth hash`` prints a bcrypt hash for a password (read without echo).
"""

from __future__ import annotations

import functools
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import bcrypt
import streamlit as st

from dashboard import login_cookie
from dashboard.browser_cookies import browser_cookies, run_in_browser
from dashboard.i18n import t, tr
from dashboard.settings import Settings, current_settings
from metrics.columns import column_key
from metrics.errors import PantauError
from metrics.text import Text
from services import throttle as throttle_rules
from services.access import DESA_ROLES, PUBLIC, STAFF_ROLES, Viewer
from services.throttle import Throttle

# Injectable clock (tests move time forward by replacing it).
clock = time.time

VIEWER_KEY = "viewer"
_SEEN_KEY = "_pantau_last_seen"
_NOTICE_KEY = "_pantau_auth_notice"
_CLIENT_FALLBACK_KEY = "_pantau_client"  # stands in for the client address when it is unknown
# The password login's cookie (dashboard.login_cookie): current token and when it was made, whether
# this session already tried the cookie, and whether the browser's cookie must be deleted.
_COOKIE_TOKEN_KEY = "_pantau_cookie_token"
_COOKIE_ISSUED_KEY = "_pantau_cookie_issued"
_COOKIE_CHECKED_KEY = "_pantau_cookie_checked"
_COOKIE_CLEAR_KEY = "_pantau_cookie_clear"
_LOGIN_ID_KEY = "_pantau_login_id"
BCRYPT_ROUNDS = 12


@dataclass(frozen=True)
class Account:
    username: str
    password_hash: bytes
    role: str
    desa: tuple[str, ...] = ()
    name: str = ""
    email: str = ""


# ------------------------------------------------------------------------------------------
# Demo accounts (demo register only). Documented in docs/LOGIN.md.

DEMO_ACCOUNTS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    # username, password, role, desa, display name
    ("admin", "admin-demo", "admin", (), "Admin Demo"),
    ("camat", "camat-demo", "kecamatan", (), "Camat Sukamaju (demo)"),
    ("kades.cibodas", "kades-demo", "kepala_desa", ("Cibodas",), "Kepala Desa Cibodas (demo)"),
    ("petugas.cibodas", "petugas-demo", "petugas", ("Cibodas",), "Petugas Cibodas (demo)"),
    ("petugas.sukamaju", "petugas-demo", "petugas", ("Sukamaju",), "Petugas Sukamaju (demo)"),
)
_DEMO_ROUNDS = 10


class _DemoUsers(Mapping[str, Account]):
    """The demo accounts, hashed on first use: five bcrypt hashes cost seconds on a busy server,
    and an app with real accounts (or OIDC) should not pay them when it starts."""

    @functools.cached_property
    def _accounts(self) -> dict[str, Account]:
        return {
            username: Account(
                username, bcrypt.hashpw(password.encode(), bcrypt.gensalt(_DEMO_ROUNDS)), role, desa, name
            )
            for username, password, role, desa, name in DEMO_ACCOUNTS
        }

    def __getitem__(self, username: str) -> Account:
        return self._accounts[username]

    def __iter__(self) -> Iterator[str]:
        return iter(self._accounts)

    def __len__(self) -> int:
        return len(self._accounts)


DEMO_USERS: Mapping[str, Account] = _DemoUsers()
_DUMMY_HASHES: dict[bytes, bytes] = {}


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    """A bcrypt hash to paste into ``[users.<name>] password_hash``."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


# ------------------------------------------------------------------------------------------
# Configuration (pure: secrets mappings in, accounts/viewers out)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def oidc_providers(secrets: Mapping[str, Any]) -> list[str | None]:
    """``[None]`` for a default ``[auth]`` provider, the names of ``[auth.<name>]`` providers,
    ``[]`` when OIDC is not configured."""
    auth = _mapping(secrets.get("auth"))
    if not auth:
        return []
    providers: list[str | None] = [None] if "client_id" in auth else []
    providers += [name for name, value in auth.items() if isinstance(value, Mapping) and "client_id" in value]
    return providers


def oidc_configured(secrets: Mapping[str, Any]) -> bool:
    return bool(oidc_providers(secrets))


def _canonical_desa(names: Any, known: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(names, str):
        names = [names]
    lookup = {column_key(name): name for name in known}
    return tuple(lookup.get(column_key(str(n)), str(n).strip()) for n in (names or ()) if str(n).strip())


def _role_entry(entry: Any) -> Mapping[str, Any]:
    return {"role": entry} if isinstance(entry, str) else _mapping(entry)


def _checked_role(who: str, role: Any, desa: tuple[str, ...]) -> str:
    role = str(role or "").strip()
    if role not in STAFF_ROLES:
        raise PantauError(
            Text(
                f"Peran akun '{who}' tidak valid: '{role}'. Pilihan: {', '.join(STAFF_ROLES)}.",
                f"Account '{who}' has an invalid role: '{role}'. Choices: {', '.join(STAFF_ROLES)}.",
            )
        )
    if role in DESA_ROLES and not desa:
        raise PantauError(
            Text(
                f"Akun '{who}' berperan {role} tetapi tidak punya daftar desa (desa = [\"...\"]).",
                f"Account '{who}' has role {role} but no list of villages (desa = [\"...\"]).",
            )
        )
    return role


def role_table(secrets: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """``[roles]`` with lower-cased keys (e-mail addresses and usernames)."""
    return {str(k).strip().lower(): _role_entry(v) for k, v in _mapping(secrets.get("roles")).items()}


def viewer_for_email(
    email: str, secrets: Mapping[str, Any], desa_names: tuple[str, ...] = (), name: str = ""
) -> Viewer | None:
    """The viewer an OIDC identity maps to through ``[roles]``; ``None`` when not listed.
    Raises ``PantauError`` for an invalid entry."""
    key = (email or "").strip().lower()
    entry = role_table(secrets).get(key) if key else None
    if entry is None:
        return None
    desa = _canonical_desa(entry.get("desa", ()), desa_names)
    role = _checked_role(key, entry.get("role"), desa)
    return Viewer(str(entry.get("name") or name or key), role, desa, login=key, method="oidc")


def configured_accounts(secrets: Mapping[str, Any], desa_names: tuple[str, ...] = ()) -> dict[str, Account]:
    """Offline accounts from ``[users.<username>]`` (role/desa may come from ``[roles]``).
    Raises ``PantauError`` listing every broken account."""
    roles = role_table(secrets)
    accounts: dict[str, Account] = {}
    problems: list[str] = []
    for raw_name, raw in _mapping(secrets.get("users")).items():
        username = str(raw_name).strip().lower()
        user = _mapping(raw)
        email = str(user.get("email") or "").strip().lower()
        extra = roles.get(username) or (roles.get(email) if email else None) or {}
        password_hash = str(user.get("password_hash") or "")
        if not password_hash.startswith("$2"):
            problems.append(
                f"Akun '{username}': password_hash bukan hash bcrypt (buat dengan: python -m dashboard.auth hash)."
            )
            continue
        desa = _canonical_desa(user.get("desa", extra.get("desa", ())), desa_names)
        try:
            role = _checked_role(username, user.get("role", extra.get("role")), desa)
        except PantauError as error:
            problems.append(error.text)
            continue
        name = str(user.get("name") or extra.get("name") or username)
        accounts[username] = Account(username, password_hash.encode("ascii"), role, desa, name, email)
    if problems:
        raise PantauError(
            Text("Konfigurasi akun [users] bermasalah:", "The [users] accounts have problems:"),
            problems=problems,
        )
    return accounts


def accounts_for(
    secrets: Mapping[str, Any], is_demo: bool, desa_names: tuple[str, ...] = ()
) -> dict[str, Account]:
    """The offline accounts: configured ones; the demo accounts only on the demo register when
    none are configured and OIDC is not; else none."""
    configured = configured_accounts(secrets, desa_names)
    if configured or oidc_configured(secrets):
        return configured
    return dict(DEMO_USERS) if is_demo else {}


def demo_accounts_active(secrets: Mapping[str, Any], is_demo: bool) -> bool:
    return is_demo and not _mapping(secrets.get("users")) and not oidc_configured(secrets)


def _dummy_hash(like: bytes) -> bytes:
    """A hash with the same cost as ``like`` to check unknown usernames against."""
    prefix = like[:7] if like.startswith(b"$2") else f"$2b${BCRYPT_ROUNDS:02d}$".encode()
    if prefix not in _DUMMY_HASHES:
        rounds = int(prefix[4:6]) if prefix[4:6].isdigit() else BCRYPT_ROUNDS
        _DUMMY_HASHES[prefix] = bcrypt.hashpw(b"pantau-dummy-password", bcrypt.gensalt(rounds))
    return _DUMMY_HASHES[prefix]


def check_password(accounts: Mapping[str, Account], username: str, password: str) -> Account | None:
    """The account when the password is right; ``None`` otherwise. An unknown username costs the
    same bcrypt check (against a dummy hash), so timing does not tell which usernames exist."""
    account = accounts.get((username or "").strip().lower())
    candidate = (password or "").encode("utf-8")
    if account is None:
        sample = next(iter(accounts.values())).password_hash if accounts else b""
        bcrypt.checkpw(candidate, _dummy_hash(sample))
        return None
    try:
        ok = bcrypt.checkpw(candidate, account.password_hash)
    except ValueError:  # malformed hash in config
        ok = False
    return account if ok else None


def viewer_for_account(account: Account) -> Viewer:
    return Viewer(
        account.name or account.username,
        account.role,
        account.desa,
        login=account.username,
        method="password",
    )


# ------------------------------------------------------------------------------------------
# Session (streamlit glue)


def _settings() -> Settings:
    return current_settings()


def _user_logged_in() -> bool:
    try:
        return bool(st.user.get("is_logged_in", False))
    except Exception:  # no script context
        return False


def _set_notice(message: str) -> None:
    st.session_state[_NOTICE_KEY] = message


def pop_notice() -> str | None:
    """A message for the user about their session (expired, account unknown), shown once."""
    return st.session_state.pop(_NOTICE_KEY, None)


def session_viewer() -> Viewer:
    """Who is logged in this session, after checking inactivity expiry; public otherwise."""
    settings = _settings()
    secrets = settings.secrets
    if oidc_configured(secrets):
        viewer = PUBLIC
        if _user_logged_in():
            email = str(st.user.get("email") or "")
            try:
                found = viewer_for_email(email, secrets, settings.desa_names, str(st.user.get("name") or ""))
            except PantauError as error:
                found = None
                _set_notice(tr(error))
            if found is None:
                st.session_state.setdefault(
                    _NOTICE_KEY,
                    t(
                        "Akun {e} belum terdaftar di Pantau Aduan. Minta admin menambahkannya ke [roles].",
                        "Account {e} is not registered in Pantau Aduan. Ask the admin to add it to [roles].",
                    ).format(e=email or "?"),
                )
            viewer = found or PUBLIC
    else:
        stored = st.session_state.get(VIEWER_KEY)
        if not isinstance(stored, Viewer) and not st.session_state.get(_COOKIE_CHECKED_KEY):
            st.session_state[_COOKIE_CHECKED_KEY] = True
            stored = _viewer_from_cookie(settings)
        viewer = stored if isinstance(stored, Viewer) else PUBLIC
        if viewer.role != "public" and login_cookie.is_revoked(st.session_state.get(_LOGIN_ID_KEY, "")):
            _set_notice(
                t(
                    "Anda sudah keluar (di tab lain). Silakan masuk lagi.",
                    "You logged out (in another tab). Please log in again.",
                )
            )
            log_out()
            return PUBLIC
    if viewer.role == "public":
        st.session_state.pop(VIEWER_KEY, None)
        st.session_state.pop(_SEEN_KEY, None)
        return PUBLIC
    now = clock()
    last_seen = st.session_state.get(_SEEN_KEY)
    if isinstance(last_seen, (int, float)) and now - last_seen > settings.session_timeout_minutes * 60:
        _set_notice(
            t(
                "Sesi Anda berakhir karena tidak ada aktivitas selama {m} menit. Silakan masuk lagi.",
                "Your session ended after {m} minutes without activity. Please log in again.",
            ).format(m=settings.session_timeout_minutes)
        )
        log_out()
        return PUBLIC
    st.session_state[_SEEN_KEY] = now
    st.session_state[VIEWER_KEY] = viewer
    return viewer


def _viewer_from_cookie(settings) -> Viewer | None:
    """The password login this browser already made (after a reload or in a second tab), if its
    cookie is valid and the account still exists; the cookie is deleted otherwise."""
    token = browser_cookies().get(login_cookie.COOKIE_NAME)
    if not token:
        return None
    secret = login_cookie.signing_secret(settings.session_secret)
    found = login_cookie.read_token(token, secret, settings.session_timeout_minutes * 60)
    try:
        accounts = accounts_for(settings.secrets, settings.is_demo, settings.desa_names)
    except PantauError:
        accounts = {}
    account = accounts.get(found[0]) if found else None
    if account is None:
        st.session_state[_COOKIE_CLEAR_KEY] = True
        return None
    viewer = viewer_for_account(account)
    log_in(viewer, login_id=found[1])
    st.session_state[_COOKIE_TOKEN_KEY] = token
    return viewer


def keep_login_cookie() -> None:
    """Write (or renew, or delete) the password login's cookie in the browser. Called on every
    run by the entrypoint; the script element is unchanged between renewals, so the browser runs
    it again only when the token changes."""
    state = st.session_state
    viewer = state.get(VIEWER_KEY)
    if isinstance(viewer, Viewer) and viewer.method == "password" and viewer.login:
        state.pop(_COOKIE_CLEAR_KEY, None)
        secret = login_cookie.signing_secret(_settings().session_secret)
        if not state.get(_COOKIE_TOKEN_KEY) or login_cookie.needs_renewal(
            state.get(_COOKIE_ISSUED_KEY), clock()
        ):
            state[_COOKIE_TOKEN_KEY] = login_cookie.issue_token(
                viewer.login, secret, state.get(_LOGIN_ID_KEY) or ""
            )
            state[_COOKIE_ISSUED_KEY] = clock()
        secure = str(getattr(st.context, "url", "") or "").startswith("https:")
        run_in_browser(login_cookie.set_cookie_script(state[_COOKIE_TOKEN_KEY], secure))
    elif state.get(_COOKIE_CLEAR_KEY):
        run_in_browser(login_cookie.clear_cookie_script())


def log_in(viewer: Viewer, login_id: str | None = None) -> None:
    """Start a session for ``viewer``; ``login_id`` continues a login this browser already made
    (restored from its cookie), else a new login begins."""
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[_SEEN_KEY] = clock()
    st.session_state[_LOGIN_ID_KEY] = login_id or login_cookie.new_login_id()
    st.session_state.pop(_COOKIE_TOKEN_KEY, None)
    st.session_state.pop(_COOKIE_ISSUED_KEY, None)


def log_out() -> None:
    """Forget the session's viewer and revoke its login cookie; for OIDC also end the identity
    cookie (``st.logout``)."""
    st.session_state.pop(VIEWER_KEY, None)
    st.session_state.pop(_SEEN_KEY, None)
    st.session_state.pop(_COOKIE_TOKEN_KEY, None)
    st.session_state.pop(_COOKIE_ISSUED_KEY, None)
    login_cookie.revoke_login(st.session_state.pop(_LOGIN_ID_KEY, ""))
    settings = _settings()
    # the cookie this session started with (st.context.cookies) is revoked too: a logout in a
    # second tab must not be undone by the first tab's next reload
    started_with = browser_cookies().get(login_cookie.COOKIE_NAME)
    if started_with:
        login_cookie.revoke_token(started_with, login_cookie.signing_secret(settings.session_secret))
    st.session_state[_COOKIE_CLEAR_KEY] = True
    st.session_state[_COOKIE_CHECKED_KEY] = True
    if oidc_configured(settings.secrets) and _user_logged_in():
        st.logout()


@st.cache_resource
def lookup_throttle() -> Throttle:
    """Lacak Pengaduan's wrong-try throttle, shared by every session of this server process."""
    return Throttle(throttle_rules.LOOKUP)


@st.cache_resource
def login_throttle() -> Throttle:
    return Throttle(throttle_rules.LOGIN)


def visitor_key() -> str:
    """Who is trying (services.throttle.client_key): the client address, else this session."""
    if _CLIENT_FALLBACK_KEY not in st.session_state:
        st.session_state[_CLIENT_FALLBACK_KEY] = uuid.uuid4().hex
    return throttle_rules.client_key(
        st.context.ip_address,
        dict(st.context.headers or {}),
        trust_forwarded_for=_settings().trust_forwarded_for,
        session_fallback=st.session_state[_CLIENT_FALLBACK_KEY],
    )


def login_wait_seconds(username: str = "") -> float:
    return login_throttle().wait(username.strip().lower(), visitor_key(), clock())


def try_password_login(username: str, password: str) -> tuple[Viewer | None, str | None]:
    """Check a username/password typed in the login form. Returns the viewer or a message."""
    wait = login_wait_seconds(username)
    if wait > 0:
        return None, t(
            "Terlalu banyak percobaan gagal. Tunggu {s} detik lalu coba lagi.",
            "Too many failed attempts. Wait {s} seconds and try again.",
        ).format(s=int(wait + 0.999))
    settings = _settings()
    try:
        accounts = accounts_for(settings.secrets, settings.is_demo, settings.desa_names)
    except PantauError as error:
        return None, tr(error)
    account = check_password(accounts, username, password)
    if account is None:
        wait = login_throttle().failure(username.strip().lower(), visitor_key(), clock())
        message = t("Nama pengguna atau kata sandi salah.", "Wrong username or password.")
        if wait > 0:
            message += " " + t(
                "Tunggu {s} detik sebelum mencoba lagi.", "Wait {s} seconds before trying again."
            ).format(s=int(wait + 0.999))
        return None, message
    login_throttle().success(username.strip().lower(), visitor_key())
    viewer = viewer_for_account(account)
    log_in(viewer)
    return viewer, None


def main(argv: list[str]) -> int:
    """``python -m dashboard.auth hash [--rounds N]``: print a bcrypt hash of a password."""
    import argparse
    import getpass

    parser = argparse.ArgumentParser(prog="python -m dashboard.auth")
    sub = parser.add_subparsers(dest="command", required=True)
    hash_cmd = sub.add_parser("hash", help="buat hash bcrypt untuk [users.<nama>] password_hash")
    hash_cmd.add_argument("--rounds", type=int, default=BCRYPT_ROUNDS)
    hash_cmd.add_argument(
        "--stdin", action="store_true", help="baca kata sandi dari stdin (tanpa konfirmasi)"
    )
    args = parser.parse_args(argv)
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Kata sandi: ")
        if password != getpass.getpass("Ulangi kata sandi: "):
            print("Kata sandi tidak sama.", file=sys.stderr)
            return 1
    if len(password) < 8:
        print("Kata sandi minimal 8 karakter.", file=sys.stderr)
        return 1
    print(hash_password(password, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
