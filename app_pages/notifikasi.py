"""Notifikasi (admin): recipients, Kirim uji, last runs of ./run notify, failed and uncertain sends."""

import streamlit as st

from dashboard.access import require_page
from dashboard.i18n import t
from dashboard.notify_views import show_notify_admin
from dashboard.settings import current_settings

require_page("notifikasi")
st.title(t("Notifikasi", "Notifications"))
show_notify_admin(current_settings())
