"""Perbandingan Desa: which desa is slowest, and at which stage (for the kecamatan)."""

import datetime as dt

import streamlit as st

from dashboard import comparison_views, survey_views
from dashboard import stats_views as views
from dashboard.access import require_page
from dashboard.components import plain, show_empty
from dashboard.fmt import tanggal
from dashboard.i18n import DATE_FORMAT, choose, language, t
from dashboard.settings import current_settings
from dashboard.shell import page_register
from metrics import comparison

viewer = require_page("perbandingan-desa")
st.title(t("Perbandingan Desa", "Village comparison"))
loaded = page_register()
if loaded is not None and loaded.complaints["tanggal_diterima"].dropna().empty:
    show_empty("Belum ada data pengaduan di register.", "The register has no complaints yet.")
elif loaded is not None:
    settings = current_settings()
    _, now = views.stages_for(loaded)
    allowed = views.viewer_desas(loaded, viewer)
    desa = tuple(allowed) if viewer.desa else ()
    received = loaded.complaints["tanggal_diterima"].dropna()
    first, last = received.min().date(), max(received.max().date(), now.date())
    default_start, _ = comparison.default_period(received, now)  # follows the register's data
    categories = {c.key: c.label for c in loaded.profile.categories}
    with st.sidebar:
        period = st.date_input(
            t("Periode diterima", "Received between"),
            value=(default_start, last),
            min_value=first,
            max_value=last,
            format=DATE_FORMAT,
            key="banding_periode",
        )
        category = st.selectbox(
            t("Kategori", "Category"),
            [None, *categories],
            key="banding_kategori",
            format_func=lambda k: t("Semua kategori", "All categories") if k is None else categories[k],
            placeholder=choose(),
        )
    start, end = period if isinstance(period, tuple) and len(period) == 2 else (default_start, last)
    names = tuple(d for d in settings.desa_names if viewer.covers(d))
    table, stages, trend, spread = views.comparison_bundle(
        loaded, desa, dt.date.isoformat(start), dt.date.isoformat(end), category, names
    )
    if table.empty or int(table["pengaduan"].sum()) == 0:
        show_empty()
    else:
        st.caption(
            t(
                "Pengaduan diterima {a} – {b}{c}. Semua angka tentang pengaduan yang diterima pada periode itu.",
                "Complaints received {a} – {b}{c}. Every figure is about the complaints received in that period.",
            ).format(
                a=tanggal(start, language()),
                b=tanggal(end, language()),
                c=f" · {plain(categories[category])}" if category else "",
            )
        )
        comparison_views.show_headline(table)
        ikm = survey_views.desa_ikm(loaded, start, end, category, settings.survey_minimum_responses)
        comparison_views.show_ranking(table, start, end, ikm)
        comparison_views.show_charts(table, stages, trend, spread)
