"""Statistik Bulanan: the month's figures for the kepala desa, and the Laporan Bulanan downloads."""

import streamlit as st

from dashboard import monthly_views, survey_views
from dashboard import stats_views as views
from dashboard.access import for_viewer, require_page
from dashboard.components import show_empty
from dashboard.data import local_now
from dashboard.fmt import bulan_tahun, tanggal
from dashboard.i18n import choose, language, t
from dashboard.monthly_report import ReportInput, signatory_for, signature_block
from dashboard.settings import current_settings
from dashboard.shell import page_register

viewer = require_page("statistik-bulanan")
st.title(t("Statistik Bulanan", "Monthly statistics"))
loaded = page_register()
if loaded is not None and loaded.complaints.empty:
    show_empty("Belum ada data pengaduan di register.", "The register has no complaints yet.")
elif loaded is not None:
    settings = current_settings()
    table, now = views.stages_for(loaded)
    allowed = views.viewer_desas(loaded, viewer)
    with st.sidebar:
        choice = st.selectbox(
            t("Desa", "Village"),
            ([views.ALL] if len(allowed) != 1 else []) + allowed,
            key="bulanan_desa",
            format_func=lambda d: (
                t("Semua desa (kecamatan)", "All villages (sub-district)") if d == views.ALL else d
            ),
            placeholder=choose(),
        )
        months = views.available_months(loaded, now)
        month = st.selectbox(
            t("Bulan", "Month"),
            months,
            index=views.default_month_index(loaded, months),
            key="bulanan_bulan",
            format_func=lambda p: bulan_tahun(p, language()),
            placeholder=choose(),
        )
    desa = views.scope_desa(choice, allowed, viewer)
    one_desa = choice if choice != views.ALL else None
    summary, trend, overdue = views.monthly_bundle(loaded, desa, str(month))
    f = summary.figures
    where = one_desa or t("Kecamatan {k}", "Sub-district {k}").format(k=settings.kecamatan)
    monthly_views.show_period_caption(where, f)
    monthly_views.show_month_tiles(summary)
    monthly_views.show_year_ago(summary)
    monthly_views.show_charts(summary, trend)
    monthly_views.show_overdue(overdue, loaded.profile)
    ikm = survey_views.show_ikm_block(loaded, desa, str(month), settings.survey_minimum_responses)
    st.subheader(t("Laporan Bulanan", "Monthly report"))
    report = ReportInput(
        summary=summary,
        trend=trend,
        overdue=overdue,
        profile=loaded.profile,
        desa=one_desa,
        kecamatan=settings.kecamatan,
        kabupaten=settings.kabupaten,
        signatory=signatory_for(settings.signatories, one_desa, settings.kecamatan, loaded.profile),
        printed=local_now(loaded.profile).date(),
        signatures=signature_block(loaded.profile, settings, one_desa),
        ikm=ikm,
    )
    monthly_views.show_downloads(
        report, lambda: for_viewer(views.month_rows(loaded, desa, str(month)), viewer)
    )
    st.caption(t("Tanggal cetak: {d}", "Printed: {d}").format(d=tanggal(report.printed, language())))
