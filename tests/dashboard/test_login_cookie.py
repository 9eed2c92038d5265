import re

import pytest

from dashboard import login_cookie as lc

SECRET = "s" * 64
HOUR = 3600


def test_token_names_its_user_and_needs_the_secret():
    token = lc.issue_token("petugas.cibodas", SECRET, lc.new_login_id())
    assert lc.username_from_token(token, SECRET, HOUR) == "petugas.cibodas"
    assert lc.username_from_token(token, "another-secret", HOUR) is None


def test_tampered_garbled_or_expired_tokens_are_refused(monkeypatch):
    token = lc.issue_token("kades.cibodas", SECRET, lc.new_login_id())
    payload, rest = token.split(".", 1)
    forged = lc.issue_token("admin", "guessed", lc.new_login_id())
    assert lc.username_from_token(forged, SECRET, HOUR) is None
    assert lc.username_from_token(payload[:-2] + "xx." + rest, SECRET, HOUR) is None
    for garbage in ("", "abc", "<script>", 'a"; Path=/', "x" * 5000):
        assert lc.username_from_token(garbage, SECRET, HOUR) is None
    # older than the inactivity timeout: refused
    assert lc.username_from_token(token, SECRET, -1) is None


def test_logout_ends_that_login_with_all_its_renewed_tokens_and_no_other():
    login = lc.new_login_id()
    first, renewed = (
        lc.issue_token("petugas.cibodas", SECRET, login),
        lc.issue_token("petugas.cibodas", SECRET, login),
    )
    assert lc.read_token(renewed, SECRET, HOUR) == ("petugas.cibodas", login)
    elsewhere = lc.issue_token("petugas.cibodas", SECRET, lc.new_login_id())  # same user, another browser
    lc.revoke_token(first, SECRET)
    assert lc.is_revoked(login)
    assert lc.username_from_token(first, SECRET, HOUR) is None
    assert lc.username_from_token(renewed, SECRET, HOUR) is None
    assert lc.username_from_token(elsewhere, SECRET, HOUR) == "petugas.cibodas"
    lc.revoke_token("not a token", SECRET)  # harmless
    lc.revoke_login("")
    assert not lc.is_revoked("")


def test_secret_comes_from_config_else_the_process():
    assert lc.signing_secret("abc") == "abc"
    process = lc.signing_secret("")
    assert len(process) >= 32 and process == lc.signing_secret("  ")


def test_renewal_every_few_minutes():
    assert lc.needs_renewal(None, 1000.0)
    assert not lc.needs_renewal(1000.0, 1000.0 + lc.RENEW_AFTER_SECONDS - 1)
    assert lc.needs_renewal(1000.0, 1000.0 + lc.RENEW_AFTER_SECONDS)


def test_cookie_scripts_hold_only_the_token():
    token = lc.issue_token("petugas.cibodas", SECRET, lc.new_login_id())
    script = lc.set_cookie_script(token, secure=True)
    assert re.fullmatch(
        rf'<script>document.cookie = "pantau_sesi={re.escape(token)}; Path=/; SameSite=Strict; Secure";</script>',
        script,
    )
    assert "Max-Age" not in script  # a browser-session cookie: closing the browser ends it
    assert "Secure" not in lc.set_cookie_script(token, secure=False)
    assert "Max-Age=0" in lc.clear_cookie_script()
    with pytest.raises(ValueError):
        lc.set_cookie_script('x"; alert(1); "', secure=False)
