"""Ringkasan: the overview of the register."""

import streamlit as st

from dashboard.access import require_page, scoped
from dashboard.charts import monthly_counts_figure
from dashboard.components import show_empty
from dashboard.data import local_now
from dashboard.filters import show_filters
from dashboard.fmt import angka, persen
from dashboard.i18n import t
from dashboard.settings import current_settings
from dashboard.shell import page_register
from metrics.overview import complaints_per_month, overview_figures

viewer = require_page("ringkasan", public_overview=True)
st.title(t("Ringkasan Pengaduan", "Complaints overview"))
loaded = page_register()
settings = current_settings()
if loaded is not None:
    where = t("Kecamatan {k}", "Kecamatan {k}").format(k=settings.kecamatan) if settings.kecamatan else ""
    if viewer.desa:  # a desa role sees its own desa's figures only: say so
        where = " ".join(["Desa " + ", ".join(viewer.desa), where]).strip()
    demo = t(
        "register demo: data rekaan, bukan pengaduan sungguhan",
        "demo register: made-up data, not real complaints",
    )
    line = " · ".join(part for part in (where, demo if settings.is_demo else "") if part)
    if line:
        st.caption(line)
    visible = scoped(loaded, viewer, aggregate=True)
    filters = show_filters(loaded, allowed_desa=viewer.allowed_desa)
    mask = filters.mask(visible.complaints)
    complaints, flags = visible.complaints[mask], visible.flags[mask]
    if complaints.empty:
        show_empty()
    else:
        figures = overview_figures(complaints, flags, loaded.settle_key, local_now(loaded.profile))
        cols = st.columns(5)
        cols[0].metric(t("Total pengaduan", "Total complaints"), angka(figures.total))
        cols[1].metric(t("Masih terbuka", "Open"), angka(figures.open))
        cols[2].metric(t("Selesai bulan ini", "Settled this month"), angka(figures.settled_this_month))
        cols[3].metric(t("Terlambat (terbuka)", "Overdue (open)"), angka(figures.overdue))
        cols[4].metric(
            t("Tepat waktu", "On time"),
            persen(figures.on_time_rate),
            help=t(
                "Selesai tepat waktu ÷ (selesai + masih terbuka yang sudah lewat tenggat).",
                "Settled on time ÷ (settled + open and already overdue).",
            ),
        )
        st.subheader(t("Pengaduan per bulan", "Complaints per month"))
        st.plotly_chart(
            monthly_counts_figure(complaints_per_month(complaints, loaded.settle_key)), width="stretch"
        )
