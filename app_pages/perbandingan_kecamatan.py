"""Perbandingan Kecamatan: the kabupaten's kecamatan compared, drill-down to desas (kabupaten, admin)."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t
from dashboard.kabupaten_views import render_kabupaten_page
from dashboard.settings import read_secrets

viewer = require_page("perbandingan-kecamatan")
st.title(t("Perbandingan Kecamatan", "Sub-district comparison"))
render_kabupaten_page(read_secrets())
