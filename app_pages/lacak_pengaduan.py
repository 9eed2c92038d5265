"""Lacak Pengaduan (public, no login): Nomor + the last 4 digits of the phone -> stage, dates and
the published answer. No personal data; a wrong pair reveals nothing; wrong tries are slowed."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t
from dashboard.lookup_views import desa_choice, track
from dashboard.survey_views import prefilled_nomor, survey_section

require_page("lacak")
st.title(t("Lacak Pengaduan", "Track a complaint"))
st.write(
    t(
        "Masukkan **Nomor pengaduan** (ada di tanda terima) dan **4 angka terakhir nomor HP** yang "
        "Anda berikan saat melapor.",
        "Enter the **complaint number** (on your receipt) and the **last 4 digits of the phone "
        "number** you gave when reporting.",
    )
)
with st.form("lacak"):
    nomor = st.text_input(
        t("Nomor pengaduan", "Complaint number"),
        key="lacak_nomor",
        placeholder="CBD/2026/01/0007",
        max_chars=60,
        value=prefilled_nomor(),
    )
    last4 = st.text_input(
        t("4 angka terakhir nomor HP", "Last 4 digits of your phone"), key="lacak_hp", max_chars=8
    )
    desa = desa_choice(nomor, last4)  # only when the pair matched in several desas (each numbers its own)
    submitted = st.form_submit_button(t("Lacak", "Track"), icon=":material/search:", type="primary")
found = track(nomor, last4, desa) if submitted else None
survey_section(
    found, nomor, last4, submitted, desa
)  # the satisfaction survey, once a settled complaint was found
st.caption(
    t(
        "Halaman ini tidak menampilkan nama, alamat, nomor HP, maupun isi pengaduan.",
        "This page never shows names, addresses, phone numbers or the complaint text.",
    )
)
