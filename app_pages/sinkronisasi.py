"""Sinkronisasi Desa (admin): how far the sync worker is, its last pass, each desa's last good time and error."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t
from dashboard.settings import read_secrets
from dashboard.sync_views import render_sync_progress

require_page("sinkronisasi")
st.title(t("Sinkronisasi Desa", "Village sync"))
render_sync_progress(read_secrets())
