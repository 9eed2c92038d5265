"""Pantau Aduan — the one entrypoint: ``streamlit run streamlit_app.py``."""

import streamlit as st

from dashboard.i18n import show_language_switch
from dashboard.navigation import build_navigation

st.set_page_config(page_title="Pantau Aduan", page_icon=":material/campaign:", layout="wide")
show_language_switch()
build_navigation().run()
