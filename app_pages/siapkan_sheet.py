"""Siapkan Google Sheet: the admin action of ``data_sources.sheet_setup`` (same function as the command)."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t, tr
from dashboard.settings import current_settings
from dashboard.settings_views import show_settings_problems
from dashboard.sheet_setup_views import show_plan_and_prepare
from data_sources.gsheets import GSheetsConfig
from data_sources.sheet_setup import header_for
from metrics.errors import PantauError
from services.register_loading import configured_profile

require_page("siapkan-sheet")
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
        profile = configured_profile(settings)
    except PantauError as error:
        st.error(tr(error))
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
        show_plan_and_prepare(settings, profile)
