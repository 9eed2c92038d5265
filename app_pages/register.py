"""Register: search and filter the complaints, and open one: all its fields, its stage timeline
against the due times, and its history from the audit sheet (Riwayat)."""

import streamlit as st

from dashboard import register_views as views
from dashboard.access import require_page
from dashboard.components import show_empty
from dashboard.csv_export import spreadsheet_csv
from dashboard.document_views import show_documents
from dashboard.fmt import tanggal
from dashboard.i18n import language, t
from dashboard.receipt_views import show_receipt_download
from dashboard.record_status_views import show_marked_records
from dashboard.settings import current_settings
from dashboard.shell import page_register
from dashboard.stats_views import stages_for, viewer_desas
from services.register_view import export_rows, register_view

viewer = require_page("register")
st.title(t("Register Pengaduan", "Complaint register"))
loaded = page_register()
if loaded is not None and loaded.complaints.empty:
    show_empty("Belum ada data pengaduan di register.", "The register has no complaints yet.")
elif loaded is not None:
    table, now = stages_for(loaded)
    allowed = viewer_desas(loaded, viewer)
    wanted = views.filters_sidebar(loaded, allowed, now)
    positions = views.matching_positions(loaded, viewer, wanted)
    if len(positions) == 0:
        show_empty()
    else:
        view = register_view(
            loaded.complaints, loaded.flags, loaded.profile, viewer, positions, views.SHOWN_ROWS
        )
        selected = views.show_table(view)
        st.download_button(
            t("Unduh hasil (CSV)", "Download results (CSV)"),
            data=lambda: spreadsheet_csv(export_rows(loaded.complaints, positions, viewer, loaded.profile)),
            file_name="register_pengaduan.csv",
            mime="text/csv",
            icon=":material/download:",
            key="reg_unduh",
            on_click="ignore",
        )
        st.subheader(t("Rincian pengaduan", "Complaint details"))
        choice = views.pick_complaint(view, selected)
        label = view.shown.index[choice]
        views.show_details(loaded, view.shown.loc[[label]], int(positions[choice]), table)
        views.show_history(loaded, viewer, loaded.complaints.loc[[label]])
        one = loaded.complaints.loc[label].to_dict()
        show_receipt_download(one, loaded.profile, viewer, current_settings(), key="reg_kuitansi")
        show_documents(one.get("nomor"), loaded=loaded, viewer=viewer, key="reg_dok", sheet=one.get("_sheet"))
        st.caption(t("Dicetak {d}", "As of {d}").format(d=tanggal(now, language())))
if loaded is not None:
    show_marked_records(loaded, viewer)
