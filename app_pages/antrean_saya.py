"""Antrean Saya: the petugas's open complaints by next due time; one click opens one in Perbarui."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t
from dashboard.queue_views import show_queue
from dashboard.shell import page_register

viewer = require_page("antrean-saya")
st.title(t("Antrean Saya", "My queue"))
st.caption(
    t(
        "Pengaduan terbuka desa Anda, yang paling dekat jatuh temponya di atas (jam kerja menurut kalender SOP).",
        "Open complaints of your village, the nearest due time first (office hours per the SOP calendar).",
    )
)
loaded = page_register()
if loaded is not None:
    show_queue(loaded, viewer)
