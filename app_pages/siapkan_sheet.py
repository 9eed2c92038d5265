"""Siapkan Google Sheet: the admin action of ``data_sources.sheet_setup`` (same function as the command)."""

import streamlit as st

from dashboard.access import require
from dashboard.i18n import t
from dashboard.settings import current_settings
from dashboard.settings_views import show_settings_problems
from data_sources.gsheets import GSheetsConfig
from data_sources.sheet_setup import header_for, prepare_configured
from metrics.errors import PantauError
from metrics.profiles import load_profile

require(("admin",))
st.title(t("Siapkan Google Sheet", "Prepare the Google Sheet"))
settings = current_settings()
show_settings_problems(settings)

if not settings.gsheets:
    st.info(
        t(
            "Belum ada Google Sheet yang dikonfigurasi. Isi bagian [gsheets] di .streamlit/secrets.toml "
            "(langkahnya di docs/GOOGLE_SHEETS.md), lalu buka halaman ini lagi.",
            "No Google Sheet is configured yet. Fill in the [gsheets] section of .streamlit/secrets.toml "
            "(steps in docs/GOOGLE_SHEETS.md), then open this page again.",
        ),
        icon=":material/table_chart:",
    )
else:
    try:
        config = GSheetsConfig.from_mapping(settings.gsheets)
        profile = load_profile(settings.profile_id)
    except PantauError as error:
        st.error(error.message)
    else:
        st.write(
            t(
                "Menyiapkan spreadsheet untuk profil SOP **{p}**: baris judul kolom, sheet *Riwayat*, baris "
                "judul dibekukan, dan dropdown Saluran, Kategori, Tahap dan Urgensi. Aman diulang: sheet yang "
                "sudah benar dibiarkan, data tidak pernah ditimpa.",
                "Prepares the spreadsheet for SOP profile **{p}**: header row, the *Riwayat* sheet, frozen "
                "header, and dropdowns for Saluran, Kategori, Tahap and Urgensi. Safe to repeat: correct "
                "sheets are left alone, data is never overwritten.",
            ).format(p=profile.name)
        )
        st.caption(
            t("Layout: {layout} · {n} kolom judul", "Layout: {layout} · {n} header columns").format(
                layout=config.layout, n=len(header_for(profile, config.layout))
            )
        )
        desa = list(settings.desa_names)

        def run(apply: bool):
            try:
                with st.spinner(t("Menghubungi Google Sheets…", "Contacting Google Sheets…")):
                    return prepare_configured(settings.gsheets, profile, desa=desa, apply=apply), None
            except PantauError as error:
                return None, error.message

        if st.button(
            t("Periksa rencana", "Check the plan"), icon=":material/fact_check:", key="siapkan_periksa"
        ):
            st.session_state["siapkan_rencana"] = run(apply=False)
        plan = st.session_state.get("siapkan_rencana")
        if plan is not None:
            reports, problem = plan
            if problem:
                st.error(problem)
            else:
                for report in reports:
                    st.subheader(report.spreadsheet)
                    for line in report.actions:
                        st.markdown(f"- {line}")
                    for line in report.unchanged:
                        st.markdown(f"- ✓ {line}")
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
                        st.error(problem)
                    else:
                        from dashboard.data import reload_register

                        reload_register()
                        st.success(
                            t(
                                "Selesai: {n} spreadsheet siap dipakai.", "Done: {n} spreadsheet(s) ready."
                            ).format(n=len(done))
                        )
