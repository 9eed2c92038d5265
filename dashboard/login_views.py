"""Masuk / Akun components: the logged-in account, and the demo accounts or the "no accounts" hint."""

from __future__ import annotations

import streamlit as st

from dashboard.access import role_label
from dashboard.auth import DEMO_ACCOUNTS, demo_accounts_active, log_out
from dashboard.components import plain
from dashboard.i18n import t
from services.access import Viewer
from services.settings import Settings


def show_account(viewer: Viewer, settings: Settings) -> None:
    """Who is logged in (name as plain text), the session timeout and *Keluar*."""
    st.title(t("Akun", "Account"))
    desa = ", ".join(viewer.desa) if viewer.desa else t("semua desa", "all villages")
    st.success(
        t("Anda masuk sebagai **{n}** ({r}, {d}).", "You are logged in as **{n}** ({r}, {d}).").format(
            n=plain(viewer.name), r=role_label(viewer.role), d=plain(desa)
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


def show_accounts_hint(settings: Settings) -> None:
    """On the demo register the demo accounts; with no account configured, how to add one."""
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
