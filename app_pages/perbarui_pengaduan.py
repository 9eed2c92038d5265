"""Perbarui Pengaduan: petugas advance a complaint along the SOP and tell the complainant."""

from dashboard.access import WRITE_ROLES, require
from dashboard.complaint_forms import show_perbarui_page
from dashboard.document_views import show_documents

require(WRITE_ROLES)
show_perbarui_page()
show_documents(snapshot_key="perbarui_snapshot", key="perbarui_dok")
