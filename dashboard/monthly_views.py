"""Statistik Bulanan components: the month's tiles, the year-ago table, the charts, the overdue
list and the Laporan Bulanan downloads (figures from ``metrics.monthly`` via ``stats_views``)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import stats_views as views
from dashboard.components import plain
from dashboard.fmt import angka, bulan_tahun, hari, persen, tanggal, tanggal_jam
from dashboard.i18n import language, t
from dashboard.monthly_report import (
    OPEN_LABEL,
    OVERDUE_LABEL,
    ReportInput,
    monthly_pdf,
    monthly_xlsx,
    report_file_stem,
)
from metrics.monthly import MonthFigures, MonthlySummary
from metrics.profiles import Profile


def show_month_tiles(summary: MonthlySummary) -> None:
    """Received, settled, open, overdue, on time and the median days, each against last month."""
    f, prev = summary.figures, summary.previous

    def delta(name: str, kind: str, better: str = "off") -> dict:
        return views.metric_delta(summary.displayed_change(name, kind), kind, better)

    vs = t("dibanding {m}", "vs {m}").format(m=bulan_tahun(prev.bulan, language()))
    cols = st.columns(5)
    cols[0].metric(t("Diterima", "Received"), angka(f.diterima), **delta("diterima", "count"), help=vs)
    cols[1].metric(t("Selesai", "Settled"), angka(f.selesai), **delta("selesai", "count", "higher"), help=vs)
    cols[2].metric(
        t(*OPEN_LABEL),
        angka(f.terbuka),
        **delta("terbuka", "count", "lower"),
        help=t("Belum selesai per akhir bulan. ", "Not settled at month end. ") + vs,
    )
    cols[3].metric(
        t(*OVERDUE_LABEL),
        angka(f.terlambat_terbuka),
        **delta("terlambat_terbuka", "count", "lower"),
        help=t(
            "Masih terbuka dan sudah melewati batas waktu per akhir bulan. ",
            "Open and past a time limit at month end. ",
        )
        + vs,
    )
    cols[4].metric(
        t("Tepat waktu", "On time"),
        persen(f.tepat_waktu),
        **delta("tepat_waktu", "percent", "higher"),
        help=t(
            "Selesai tepat waktu ÷ (selesai bulan ini + pengaduan yang menjadi terlambat bulan ini dan masih "
            "terbuka per akhir bulan). Pengaduan yang sudah terlambat sebelum bulan ini dihitung pada bulan ketika "
            "terlambat, tidak lagi di setiap bulan berikutnya; semuanya tetap tampil di kotak Terbuka & terlambat dan di daftar "
            "terlambat. ",
            "Settled on time ÷ (settled this month + complaints that became overdue this month and are still open "
            "at month end). Complaints already overdue before this month count in the month they slipped, not again "
            "in every later month; all of them stay in the Open & overdue tile and the overdue list. ",
        )
        + vs,
    )
    older = f.terlambat_terbuka - f.terlambat_baru
    if older > 0:
        cols[4].caption(
            t(
                "{n} pengaduan terbuka sudah terlambat sebelum {m}: dihitung pada bulan ketika terlambat.",
                "{n} open complaints were already overdue before {m}: counted in the month they slipped.",
            ).format(n=angka(older), m=bulan_tahun(f.bulan, language()))
        )
    cols = st.columns(3)
    for col, (milestone, label_id, label_en) in zip(
        cols,
        (
            ("verifikasi", "sampai verifikasi", "to verification"),
            ("jawaban", "sampai jawaban", "to answer"),
            ("selesai", "sampai selesai", "to settle"),
        ),
        strict=True,
    ):
        median, p90, n = f.waktu[milestone]
        col.metric(
            t("Median hari ", "Median days ") + t(label_id, label_en),
            hari(median),
            **delta(f"median_{milestone}", "days", "lower"),
            help=t(
                "Hari kalender sejak diterima, dari {n} pengaduan yang mencapai tahap ini pada bulan ini. "
                "p90: {p} (90% pengaduan dalam waktu ini atau kurang). ",
                "Calendar days since receipt, of {n} complaints reaching this step this month. "
                "p90: {p} (90% within this time). ",
            ).format(n=angka(n), p=hari(p90))
            + vs,
        )
        col.caption(f"p90: {hari(p90)} · n = {angka(n)}")


def show_year_ago(summary: MonthlySummary) -> None:
    f, year = summary.figures, summary.last_year
    with st.expander(t("Dibanding bulan yang sama tahun lalu", "Compared with the same month last year")):
        st.dataframe(
            pd.DataFrame(
                {
                    t("Uraian", "Figure"): [
                        t("Diterima", "Received"),
                        t("Selesai", "Settled"),
                        t(*OPEN_LABEL),
                        t(*OVERDUE_LABEL),
                        t("Tepat waktu", "On time"),
                        t("Median hari sampai selesai", "Median days to settle"),
                    ],
                    bulan_tahun(f.bulan, language()): [
                        angka(f.diterima),
                        angka(f.selesai),
                        angka(f.terbuka),
                        angka(f.terlambat_terbuka),
                        persen(f.tepat_waktu),
                        hari(f.waktu["selesai"][0]),
                    ],
                    bulan_tahun(year.bulan, language()): [
                        angka(year.diterima),
                        angka(year.selesai),
                        angka(year.terbuka),
                        angka(year.terlambat_terbuka),
                        persen(year.tepat_waktu),
                        hari(year.waktu["selesai"][0]),
                    ],
                }
            ),
            hide_index=True,
        )


def show_charts(summary: MonthlySummary, trend: pd.DataFrame) -> None:
    st.subheader(t("12 bulan terakhir", "Last 12 months"))
    st.plotly_chart(views.trend_figure(trend), width="stretch", key="bulanan_tren")
    left, right = st.columns(2)
    left.plotly_chart(
        views.breakdown_figure(
            summary.breakdowns["kategori"], t("Diterima per kategori", "Received by category")
        ),
        width="stretch",
        key="bulanan_kategori",
    )
    right.plotly_chart(
        views.breakdown_figure(
            summary.breakdowns["saluran"], t("Diterima per saluran", "Received by channel")
        ),
        width="stretch",
        key="bulanan_saluran",
    )
    left, right = st.columns(2)
    left.plotly_chart(
        views.breakdown_figure(
            summary.breakdowns["urgensi"], t("Diterima per urgensi", "Received by urgency")
        ),
        width="stretch",
        key="bulanan_urgensi",
    )
    right.plotly_chart(
        views.breakdown_figure(
            summary.breakdowns["tahap"],
            t("Masih terbuka per tahap terakhir (akhir bulan)", "Open by last stage reached (month end)"),
        ),
        width="stretch",
        key="bulanan_tahap",
    )


def show_overdue(overdue: pd.DataFrame, profile: Profile) -> None:
    st.subheader(t("Terbuka dan melewati batas waktu", "Open and past due"))
    if overdue.empty:
        st.success(
            t("Tidak ada pengaduan terbuka yang melewati batas waktu.", "No open complaint is past due.")
        )
    else:
        labels = {s.key: s.label for s in profile.stages}
        categories = {c.key: c.label for c in profile.categories}
        lang = language()
        shown = overdue.head(500)  # the table shows at most 500 rows: label only those
        st.dataframe(
            pd.DataFrame(
                {
                    t("Nomor", "Number"): shown["nomor"],
                    t("Desa", "Village"): shown["desa"],
                    t("Kategori", "Category"): shown["kategori"].map(lambda k: categories.get(k, k)),
                    t("Tahap terakhir", "Last stage"): shown["tahap"].map(lambda k: labels.get(k, k)),
                    t("Batas yang dilewati", "Missed limit"): shown["batas"],
                    t("Jatuh tempo", "Due"): shown["jatuh_tempo"].map(lambda v: tanggal(v, lang)),
                    t("Lewat (hari)", "Late (days)"): shown["terlambat_hari"],
                }
            ),
            hide_index=True,
        )


def show_downloads(report: ReportInput, month_rows: Callable[[], pd.DataFrame]) -> None:
    """PDF and XLSX of the month; ``month_rows`` gives the month's complaints already masked
    for the viewer (called only when the XLSX is downloaded)."""
    stem = report_file_stem(report)

    def make_xlsx() -> bytes:
        return monthly_xlsx(report, month_rows())

    cols = st.columns(2)
    cols[0].download_button(
        t("Unduh PDF", "Download PDF"),
        data=lambda: monthly_pdf(report),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="unduh_pdf",
        on_click="ignore",
    )
    cols[1].download_button(
        t("Unduh XLSX", "Download XLSX"),
        data=make_xlsx,
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table:",
        key="unduh_xlsx",
        on_click="ignore",
    )
    st.caption(
        t(
            "PDF A4 dengan kop, ringkasan, grafik, daftar pengaduan terlambat (tanpa data pribadi) dan blok tanda tangan "
            "({s}). XLSX: ringkasan dan pengaduan bulan ini (data pribadi disamarkan sesuai peran Anda).",
            "A4 PDF with letterhead, summary, charts, overdue list (no personal data) and signature block ({s}). "
            "XLSX: summary and this month's complaints (personal data masked per your role).",
        ).format(s=" / ".join(box.who.jabatan for box in report.signatures) or report.signatory.jabatan)
    )


def show_period_caption(where: str, figures: MonthFigures) -> None:
    """Where and which month the figures are for; a running month says "as of" when."""
    running = figures.batas < (figures.bulan + 1).start_time
    st.caption(
        f"**{plain(where)}** · {bulan_tahun(figures.bulan, language())}"
        + (
            t(" · bulan berjalan, angka per {w}", " · current month, figures as of {w}").format(
                w=tanggal_jam(figures.batas, language())
            )
            if running
            else ""
        )
    )
