"""Catat Pengaduan Baru: petugas record a complaint and print its receipt (tanda terima)."""

from dashboard.access import WRITE_ROLES, require
from dashboard.complaint_forms import show_catat_page

require(WRITE_ROLES)
show_catat_page()
