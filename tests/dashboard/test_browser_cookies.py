import pytest

from dashboard.browser_cookies import browser_cookies, clear_cookie_script, set_cookie_script


def test_scripts_hold_the_cookie_and_its_flags():
    assert set_cookie_script("pantau_bahasa", "en", max_age_seconds=31_536_000, same_site="Lax") == (
        '<script>document.cookie = "pantau_bahasa=en; Path=/; Max-Age=31536000; SameSite=Lax";</script>'
    )
    assert clear_cookie_script("pantau_sesi") == (
        '<script>document.cookie = "pantau_sesi=; Path=/; Max-Age=0; SameSite=Strict";</script>'
    )


@pytest.mark.parametrize(
    "name, value", [("pantau_bahasa", 'en"; alert(1); "'), ("", "x"), ("a b", "x"), ("x", "</script>")]
)
def test_nothing_but_plain_characters_reaches_a_script(name, value):
    with pytest.raises(ValueError):
        set_cookie_script(name, value)


def test_no_cookies_outside_a_session():
    assert dict(browser_cookies()) == {}
