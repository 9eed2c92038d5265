"""Statistik Bulanan: the month's figures for the kepala desa, and the Laporan Bulanan downloads."""

import pandas as pd
import streamlit as st

from dashboard import stats_views as views
from dashboard.access import for_viewer, require
from dashboard.data import local_now
from dashboard.fmt import angka, bulan_tahun, hari, persen, tanggal, tanggal_jam
from dashboard.i18n import language, t
from dashboard.monthly_report import (
    ReportInput,
    monthly_pdf,
    monthly_xlsx,
    report_file_stem,
    signatory_for,
    signature_block,
)
from dashboard.settings import current_settings
from dashboard.shell import page_register, show_empty

viewer = require(("admin", "kecamatan", "kepala_desa", "petugas"))
st.title(t("Statistik Bulanan", "Monthly statistics"))
loaded = page_register()
if loaded is not None and loaded.complaints.empty:
    show_empty("Belum ada data pengaduan di register.", "The register has no complaints yet.")
elif loaded is not None:
    settings = current_settings()
    table, now = views.stages_for(loaded)
    allowed = views.viewer_desas(loaded, viewer)
    months = views.available_months(loaded, now)
    with st.sidebar:
        options = ([views.ALL] if len(allowed) != 1 else []) + allowed
        choice = st.selectbox(
            t("Desa", "Village"),
            options,
            key="bulanan_desa",
            format_func=lambda d: (
                t("Semua desa (kecamatan)", "All villages (sub-district)") if d == views.ALL else d
            ),
        )
        month = st.selectbox(
            t("Bulan", "Month"),
            months,
            index=0,
            key="bulanan_bulan",
            format_func=lambda p: bulan_tahun(p, language()),
        )
    desa = views.scope_desa(choice, allowed, viewer)
    summary, trend, overdue = views.monthly_bundle(views.register_token(loaded), desa, str(month), loaded)
    f, prev, year = summary.figures, summary.previous, summary.last_year
    where = (
        choice if choice != views.ALL else t("Kecamatan {k}", "Sub-district {k}").format(k=settings.kecamatan)
    )
    running = f.batas < (f.bulan + 1).start_time
    st.caption(
        f"**{where}** · {bulan_tahun(f.bulan, language())}"
        + (
            t(" · bulan berjalan, angka per {w}", " · current month, figures as of {w}").format(
                w=tanggal_jam(f.batas)
            )
            if running
            else ""
        )
    )

    def delta(name: str, kind: str, better: str = "off") -> dict:
        return views.metric_delta(summary.displayed_change(name, kind), kind, better)

    vs = t("dibanding {m}", "vs {m}").format(m=bulan_tahun(prev.bulan, language()))
    cols = st.columns(5)
    cols[0].metric(t("Diterima", "Received"), angka(f.diterima), **delta("diterima", "count"), help=vs)
    cols[1].metric(t("Selesai", "Settled"), angka(f.selesai), **delta("selesai", "count", "higher"), help=vs)
    cols[2].metric(
        t("Masih terbuka", "Open"),
        angka(f.terbuka),
        **delta("terbuka", "count", "lower"),
        help=t("Belum selesai per akhir bulan. ", "Not settled at month end. ") + vs,
    )
    cols[3].metric(
        t("Terlambat", "Overdue"),
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
            "terlambat, tidak lagi di setiap bulan berikutnya; semuanya tetap tampil di kotak Terlambat dan di daftar "
            "terlambat. ",
            "Settled on time ÷ (settled this month + complaints that became overdue this month and are still open "
            "at month end). Complaints already overdue before this month count in the month they slipped, not again "
            "in every later month; all of them stay in the Overdue tile and the overdue list. ",
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

    with st.expander(t("Dibanding bulan yang sama tahun lalu", "Compared with the same month last year")):
        st.dataframe(
            pd.DataFrame(
                {
                    t("Uraian", "Figure"): [
                        t("Diterima", "Received"),
                        t("Selesai", "Settled"),
                        t("Masih terbuka", "Open"),
                        t("Terbuka & terlambat", "Open & overdue"),
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

    st.subheader(t("Terbuka dan melewati batas waktu", "Open and past due"))
    if overdue.empty:
        st.success(
            t("Tidak ada pengaduan terbuka yang melewati batas waktu.", "No open complaint is past due.")
        )
    else:
        labels = {s.key: s.label for s in loaded.profile.stages}
        categories = {c.key: c.label for c in loaded.profile.categories}
        st.dataframe(
            pd.DataFrame(
                {
                    t("Nomor", "Number"): overdue["nomor"],
                    t("Desa", "Village"): overdue["desa"],
                    t("Kategori", "Category"): overdue["kategori"].map(lambda k: categories.get(k, k)),
                    t("Tahap terakhir", "Last stage"): overdue["tahap"].map(lambda k: labels.get(k, k)),
                    t("Batas yang dilewati", "Missed limit"): overdue["batas"],
                    t("Jatuh tempo", "Due"): overdue["jatuh_tempo"].map(tanggal),
                    t("Lewat (hari)", "Late (days)"): overdue["terlambat_hari"],
                }
            ).head(500),
            hide_index=True,
        )

    st.subheader(t("Laporan Bulanan", "Monthly report"))
    report = ReportInput(
        summary=summary,
        trend=trend,
        overdue=overdue,
        profile=loaded.profile,
        desa=choice if choice != views.ALL else None,
        kecamatan=settings.kecamatan,
        kabupaten=settings.kabupaten,
        signatory=signatory_for(
            settings.secrets, choice if choice != views.ALL else None, settings.kecamatan
        ),
        printed=local_now(loaded.profile).date(),
        signatures=signature_block(loaded.profile, settings, choice if choice != views.ALL else None),
    )
    stem = report_file_stem(report)
    month_key = str(month)

    def make_xlsx() -> bytes:
        rows = views.month_rows(loaded, desa, month_key)
        return monthly_xlsx(report, for_viewer(rows, viewer))

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
        ).format(s=" / ".join(box.who.jabatan for box in report.signatures))
    )
    st.caption(t("Tanggal cetak: {d}", "Printed: {d}").format(d=tanggal(report.printed)))
