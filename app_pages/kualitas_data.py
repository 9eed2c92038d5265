"""Kualitas Data: every problem of the register named by sheet row and column, with the fix."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t
from dashboard.intake_views import show_intake_pending
from dashboard.quality_views import show_quality_page
from dashboard.shell import page_register

viewer = require_page("kualitas-data")
st.title(t("Kualitas Data", "Data quality"))
st.caption(
    t(
        "Temuan pada register: baris dan kolom di sheet, nilai seperti tertulis, dan cara memperbaikinya.",
        "Findings in the register: the sheet row and column, the value as written, and how to fix it.",
    )
)
loaded = page_register(set_aside_notice=False)
if loaded is not None:
    show_quality_page(loaded, viewer)
    show_intake_pending(viewer)
