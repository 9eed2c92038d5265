"""Masuk / Akun: log in (OIDC via st.login, or username + password), see who is logged in, log out."""

import streamlit as st

from dashboard.access import require, role_label
from dashboard.auth import (
    DEMO_ACCOUNTS,
    demo_accounts_active,
    log_out,
    oidc_providers,
    pop_notice,
    try_password_login,
)
from dashboard.i18n import t
from dashboard.settings import current_settings

viewer = require(roles=("public", "admin", "kecamatan", "kepala_desa", "petugas"))
settings = current_settings()
notice = pop_notice()

if viewer.is_staff:
    st.title(t("Akun", "Account"))
    desa = ", ".join(viewer.desa) if viewer.desa else t("semua desa", "all villages")
    st.success(
        t("Anda masuk sebagai **{n}** ({r}, {d}).", "You are logged in as **{n}** ({r}, {d}).").format(
            n=viewer.name, r=role_label(viewer.role), d=desa
        ),
        icon=":material/verified_user:",
    )
    st.caption(
        t(
            "Sesi berakhir otomatis setelah {m} menit tanpa aktivitas.",
            "The session ends after {m} minutes without activity.",
        ).format(m=settings.session_timeout_minutes)
    )
    if st.button(t("Keluar", "Log out"), icon=":material/logout:", key="keluar"):
        log_out()
        st.rerun()
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

if demo_accounts_active(settings.secrets, settings.is_demo):
    st.info(
        t(
            "**Register demo — akun demo.** Akun di bawah hanya ada pada register demo dan tidak "
            "pernah aktif pada register sungguhan (lihat docs/LOGIN.md).",
            "**Demo register — demo accounts.** These accounts only exist on the demo register and "
            "are never active on a real register (see docs/LOGIN.md).",
        ),
        icon=":material/info:",
    )
    st.table(
        {
            t("Nama pengguna", "Username"): [a[0] for a in DEMO_ACCOUNTS],
            t("Kata sandi", "Password"): [a[1] for a in DEMO_ACCOUNTS],
            t("Peran", "Role"): [role_label(a[2]) for a in DEMO_ACCOUNTS],
            t("Desa", "Village"): [", ".join(a[3]) or t("semua", "all") for a in DEMO_ACCOUNTS],
        }
    )
elif not settings.secrets.get("users"):
    st.info(
        t(
            "Belum ada akun yang dikonfigurasi. Admin menambahkan akun di bagian [users] secrets "
            "(lihat docs/LOGIN.md).",
            "No accounts are configured yet. The admin adds accounts in the [users] section of the "
            "secrets (see docs/LOGIN.md).",
        ),
        icon=":material/info:",
    )
