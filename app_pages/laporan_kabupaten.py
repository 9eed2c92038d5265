"""Laporan Bulanan Kabupaten: the month's figures per kecamatan and desa as PDF and XLSX (kabupaten, admin)."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t
from dashboard.kabupaten_report_views import render_kabupaten_report
from dashboard.kabupaten_views import kabupaten_view
from dashboard.settings import read_secrets

require_page("laporan-kabupaten")
st.title(t("Laporan Bulanan Kabupaten", "Kabupaten monthly report"))
view = kabupaten_view(read_secrets())
if view is not None:
    render_kabupaten_report(view)
