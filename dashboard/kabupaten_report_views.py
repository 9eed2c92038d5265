"""Laporan Bulanan Kabupaten page body: pick a month, download the PDF and the XLSX.

Its own page (not a section of Perbandingan Kecamatan) so that the comparison never imports the
report's PDF/XLSX/chart libraries: the comparison's first view after a server start stays fast.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.fmt import bulan_tahun, tanggal_jam
from dashboard.i18n import t
from dashboard.kabupaten_report import (
    KabupatenReport,
    kabupaten_pdf,
    kabupaten_signatures,
    kabupaten_xlsx,
    report_stem,
    with_ikm,
)
from dashboard.kabupaten_views import KabupatenView
from dashboard.settings import current_settings
from metrics.kabupaten import kabupaten_month, kabupaten_month_ikm

__all__ = ["render_kabupaten_report"]


def render_kabupaten_report(view: KabupatenView) -> None:
    """Pick a month, make the PDF and XLSX (per kecamatan with the total, per desa)."""
    frame, statuses, kecamatan, now = view.frame, view.statuses, view.kecamatan, view.now
    received = frame["diterima"].dropna()
    months = list(pd.period_range(pd.Period(received.min(), freq="M"), pd.Period(now, freq="M"), freq="M"))[
        ::-1
    ]
    newest = pd.Period(received.max(), freq="M")  # as Statistik Bulanan: the newest month with complaints
    month = st.selectbox(
        t("Bulan", "Month"),
        months,
        index=months.index(newest) if newest in months else 0,
        format_func=bulan_tahun,
        key="kab_laporan_bulan",
    )
    if month is None:
        return
    settings = current_settings()
    name = next((s.kabupaten for s in statuses if s.kabupaten), "") or settings.kabupaten
    by_kecamatan, by_desa, cutoff = kabupaten_month(frame, month, now, kecamatan=kecamatan)
    minimum: int | None = None
    if view.answers is not None:  # IKM when the desas keep a Survei sheet
        minimum = settings.survey_minimum_responses
        ikm_kecamatan, ikm_desa = kabupaten_month_ikm(view.answers, month, now, minimum, kecamatan=kecamatan)
        by_kecamatan = with_ikm(by_kecamatan, ikm_kecamatan, ["kecamatan"])
        by_desa = with_ikm(by_desa, ikm_desa, ["kecamatan", "desa"])
    report = KabupatenReport(
        kabupaten=name,
        month=month,
        cutoff=cutoff,
        kecamatan=by_kecamatan,
        desas=by_desa,
        signatures=kabupaten_signatures(settings.signatories, settings.preparers, name),
        printed=now.date(),
        ikm_minimum=minimum,
    )
    if report.running:
        st.caption(
            t("Bulan berjalan: angka per {w}.", "Running month: figures as of {w}.").format(
                w=tanggal_jam(cutoff)
            )
        )
    left, right = st.columns(2)
    stem = report_stem(report)
    left.download_button(
        t("Unduh PDF", "Download PDF"),
        kabupaten_pdf(report),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="kab_laporan_pdf",
    )
    right.download_button(
        t("Unduh XLSX", "Download XLSX"),
        kabupaten_xlsx(report),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key="kab_laporan_xlsx",
    )
