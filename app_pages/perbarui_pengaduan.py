"""Perbarui Pengaduan: petugas advance a complaint along the SOP and tell the complainant."""

from dashboard.access import WRITE_ROLES, require
from dashboard.complaint_forms import show_perbarui_page

require(WRITE_ROLES)
show_perbarui_page()
