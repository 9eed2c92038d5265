"""Siapkan Google Sheet components: check the plan, confirm, prepare (``data_sources.sheet_setup``).
Sheet and spreadsheet names come from Google: shown as plain text."""

from __future__ import annotations

import streamlit as st

from dashboard.components import plain
from dashboard.data import reload_register
from dashboard.i18n import t, tr
from data_sources.sheet_setup import prepare_configured
from metrics.errors import PantauError
from metrics.profiles import Profile
from services.settings import Settings


def show_plan_and_prepare(settings: Settings, profile: Profile) -> None:
    """*Periksa rencana* lists what would change; *Siapkan sekarang* applies it after a check."""
    desa = list(settings.desa_names)

    def run(apply: bool):
        try:
            with st.spinner(t("Menghubungi Google Sheets…", "Contacting Google Sheets…")):
                return prepare_configured(settings.gsheets, profile, desa=desa, apply=apply), None
        except PantauError as error:
            return None, tr(error)

    if st.button(t("Periksa rencana", "Check the plan"), icon=":material/fact_check:", key="siapkan_periksa"):
        st.session_state["siapkan_rencana"] = run(apply=False)
    plan = st.session_state.get("siapkan_rencana")
    if plan is not None:
        reports, problem = plan
        if problem:
            st.error(plain(problem))
        else:
            for report in reports:
                st.subheader(plain(report.spreadsheet), anchor=False)
                for line in report.actions:
                    st.markdown(f"- {plain(line)}")
                for line in report.unchanged:
                    st.markdown(f"- ✓ {plain(line)}")
            confirmed = st.checkbox(
                t("Saya sudah memeriksa rencana di atas.", "I have checked the plan above."),
                key="siapkan_yakin",
            )
            if st.button(
                t("Siapkan sekarang", "Prepare now"),
                type="primary",
                disabled=not confirmed,
                key="siapkan_jalankan",
            ):
                done, problem = run(apply=True)
                st.session_state.pop("siapkan_rencana", None)
                if problem:
                    st.error(plain(problem))
                else:
                    reload_register()
                    st.success(
                        t("Selesai: {n} spreadsheet siap dipakai.", "Done: {n} spreadsheet(s) ready.").format(
                            n=len(done)
                        )
                    )
