"""Catat Pengaduan Baru: petugas record a complaint and print its receipt (tanda terima)."""

from dashboard.access import require_page
from dashboard.complaint_forms import show_catat_page

require_page("catat")
show_catat_page()
