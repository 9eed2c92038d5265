"""Perbarui Pengaduan: petugas advance a complaint along the SOP and tell the complainant."""

from dashboard.access import require_page
from dashboard.complaint_forms import show_perbarui_page
from dashboard.document_views import show_documents

require_page("perbarui")
show_perbarui_page()
show_documents(snapshot_key="perbarui_snapshot", key="perbarui_dok")
