"""Masuk / Akun: log in (OIDC via st.login, or username + password), see who is logged in, log out."""

import streamlit as st

from dashboard.access import require_page
from dashboard.auth import (
    log_out,
    oidc_providers,
    pop_notice,
    try_password_login,
)
from dashboard.i18n import t
from dashboard.login_views import show_account, show_accounts_hint
from dashboard.settings import current_settings

viewer = require_page("masuk")
settings = current_settings()
notice = pop_notice()

if viewer.is_staff:
    show_account(viewer, settings)
    st.stop()

st.title(t("Masuk", "Log in"))
if notice:
    st.warning(notice, icon=":material/info:")
providers = oidc_providers(settings.secrets)
if providers:
    st.write(t("Masuk dengan akun organisasi Anda.", "Log in with your organisation account."))
    for provider in providers:
        label = t("Masuk", "Log in") + (f" ({provider.title()})" if provider else "")
        if st.button(label, icon=":material/login:", key=f"oidc_{provider or 'default'}", type="primary"):
            st.login(provider) if provider else st.login()
    if st.user.get("is_logged_in") and st.button(
        t("Keluar dari akun ini", "Log out of this account"), key="oidc_keluar"
    ):
        log_out()
        st.rerun()
    st.stop()

with st.form("masuk"):
    username = st.text_input(t("Nama pengguna", "Username"), key="masuk_username", autocomplete="username")
    password = st.text_input(
        t("Kata sandi", "Password"), type="password", key="masuk_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(t("Masuk", "Log in"), icon=":material/login:", type="primary")
if submitted:
    logged_in, message = try_password_login(username, password)
    if logged_in is None:
        st.error(message, icon=":material/error:")
    else:
        st.rerun()

show_accounts_hint(settings)
