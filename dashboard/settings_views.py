"""Admin view of the settings: what is wrong in secrets.toml (by name) and every setting's help."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import plain
from dashboard.i18n import t, tr
from services.settings import Settings, settings_help
from services.settings_en import SETTINGS_HELP_EN


def show_settings_problems(settings: Settings) -> None:
    """Each unknown key or wrong type in secrets.toml, named; and the list of settings."""
    if settings.problems:
        st.warning(
            t(
                "Pengaturan di .streamlit/secrets.toml yang perlu diperbaiki:",
                "Settings in .streamlit/secrets.toml that need fixing:",
            )
            + "\n\n"
            + "\n".join(f"- {plain(tr(problem))}" for problem in settings.problems),
            icon=":material/settings_alert:",
        )
    with st.expander(t("Semua pengaturan", "All settings")):
        rows = [
            (name, default, t(text, SETTINGS_HELP_EN.get(name, text)))
            for name, default, text in settings_help()
        ]
        st.dataframe(
            pd.DataFrame(
                rows,
                columns=[t("Pengaturan", "Setting"), t("Bawaan", "Default"), t("Keterangan", "Help")],
            ),
            hide_index=True,
            width="stretch",
        )
