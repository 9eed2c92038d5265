"""Perbandingan Desa components: the headline (slowest/fastest), the ranking table with its
downloads, and the charts. Desa names come from the register: shown as plain text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import stats_views as views
from dashboard.components import plain, show_empty
from dashboard.csv_export import spreadsheet_csv
from dashboard.fmt import angka, hari, persen
from dashboard.i18n import t
from dashboard.ikm_display import IKM_COLUMN
from dashboard.monthly_report import frame_xlsx
from metrics import comparison
from metrics.comparison import MIN_SETTLED


def show_headline(table: pd.DataFrame) -> None:
    """Which desa is slowest and fastest, and the stage that makes it slow."""
    ranked = table[table["peringkat"].notna()]
    if len(table) < 2:
        st.caption(
            t(
                "Perbandingan paling lambat/tercepat memerlukan sedikitnya dua desa; hanya {d} yang terlihat.",
                "The slowest/fastest comparison needs at least two villages; only {d} is visible.",
            ).format(d=plain(", ".join(map(str, table["desa"]))))
        )
    elif len(ranked) >= 2:
        slowest = ranked.iloc[0]
        fastest_name = comparison.fastest_desa(table)
        by_desa = table.set_index("desa")
        why = (
            t(
                " Tahap paling lambat dibanding kecamatan: **{s}** (+{d} hari median).",
                " Slowest stage against the sub-district: **{s}** (+{d} days median).",
            ).format(s=plain(slowest["tahap_lambat"]), d=angka(slowest["tahap_lambat_selisih"], 1))
            if pd.notna(slowest["tahap_lambat"])
            else ""
        )
        st.info(
            t(
                "Paling lambat: **{d}** — median {m} sampai selesai, tepat waktu {p}, {o} terbuka & terlambat.",
                "Slowest: **{d}** — median {m} to settle, {p} on time, {o} open & overdue.",
            ).format(
                d=plain(slowest["desa"]),
                m=hari(slowest["median_selesai"]),
                p=persen(slowest["tepat_waktu"]),
                o=angka(slowest["terlambat_terbuka"]),
            )
            + why
            + (
                t(
                    " Tercepat: **{d}** ({m}, {o} terbuka & terlambat).",
                    " Fastest: **{d}** ({m}, {o} open & overdue).",
                ).format(
                    d=plain(fastest_name),
                    m=hari(by_desa.loc[fastest_name, "median_selesai"]),
                    o=angka(by_desa.loc[fastest_name, "terlambat_terbuka"]),
                )
                if fastest_name
                else ""
            ),
            icon=":material/speed:",
        )


def show_ranking(table: pd.DataFrame, start: dt.date, end: dt.date, ikm: pd.Series | None = None) -> None:
    """The ranking table and its CSV / XLSX downloads; ``ikm``: desa -> IKM text
    (``dashboard.survey_views.desa_ikm``), a column when given."""
    st.subheader(t("Peringkat (1 = paling lambat)", "Ranking (1 = slowest)"))
    display = views.comparison_display(table)
    if ikm is not None:
        display[IKM_COLUMN()] = table["desa"].astype(str).map(ikm).astype(object).fillna("–").to_numpy()
    screen = views.comparison_screen(display)
    link = t("Daftar terlambat", "Overdue list")
    screen[link] = [views.overdue_link(d) for d in table["desa"]]
    st.dataframe(
        screen,
        hide_index=True,
        width="stretch",
        column_config={
            link: st.column_config.LinkColumn(link, display_text=t("Buka", "Open")),
            t("Tahap paling lambat", "Slowest stage"): st.column_config.TextColumn(width="large"),
        },
    )
    st.markdown("**" + views.ranking_rule() + "**")
    st.caption(
        t(
            "Desa yang cepat menyelesaikan tetapi menumpuk pengaduan terlambat tidak disebut tercepat; bila jumlahnya "
            "sama, yang lebih banyak terbuka & terlambat lebih dulu. Desa dengan kurang dari {n} pengaduan selesai "
            "pada periode ini ditampilkan tetapi tidak diperingkat. "
            "Tepat waktu = selesai tepat waktu ÷ (selesai + terbuka yang sudah terlambat). "
            "Pengaduan tanpa tanggal diterima yang terbaca tetap dihitung (tidak dapat ditempatkan pada periode).",
            "A village that settles fast but piles up overdue complaints is not called fastest; on a tie, more "
            "open & overdue comes first. Villages with fewer than {n} settled complaints in the period are "
            "shown but not ranked. On time = settled on time ÷ (settled + open and overdue). Complaints with an "
            "unreadable receipt date still count (they cannot be placed in the period).",
        ).format(n=MIN_SETTLED)
    )
    with st.expander(
        t("Tahap paling lambat per desa (teks lengkap)", "Slowest stage per village (full text)")
    ):
        for name, text in zip(table["desa"], views.slowest_stage_texts(table), strict=True):
            st.text(f"{name}: {text}")
    cols = st.columns(2)
    cols[0].download_button(
        t("Unduh CSV", "Download CSV"),
        data=spreadsheet_csv(display),
        file_name=f"perbandingan_desa_{start}_{end}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="banding_csv",
        on_click="ignore",
    )

    def make_xlsx() -> bytes:
        return frame_xlsx(display, t("Perbandingan Desa", "Village comparison"))

    cols[1].download_button(
        t("Unduh XLSX", "Download XLSX"),
        data=make_xlsx,
        file_name=f"perbandingan_desa_{start}_{end}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table:",
        key="banding_xlsx",
        on_click="ignore",
    )


def show_charts(table: pd.DataFrame, stages: pd.DataFrame, trend: pd.DataFrame, spread: pd.DataFrame) -> None:
    """Median days per stage, median/p90 and spread per desa, and the monthly trend per desa."""
    order = table["desa"].tolist()
    st.subheader(t("Mengapa lambat: median hari per tahap", "Why slow: median days per stage"))
    st.caption(
        t(
            "Setiap batang = median hari yang dihabiskan di tiap tahap SOP (dari tanggal tahap sebelumnya). "
            "Bagian yang panjang menunjukkan tahap yang membuat desa itu lambat.",
            "Each bar = median days spent in each SOP stage (from the previous stage's date). "
            "A long segment shows the stage that makes the village slow.",
        )
    )
    if stages.empty:
        show_empty()
    else:
        st.plotly_chart(views.stage_figure(stages, order), width="stretch", key="banding_tahap")
    left, right = st.columns(2)
    with left:
        st.subheader(t("Median & p90 hari sampai selesai", "Median & p90 days to settle"))
        st.plotly_chart(views.ranking_figure(table), width="stretch", key="banding_peringkat")
    with right:
        st.subheader(t("Sebaran hari sampai selesai", "Spread of days to settle"))
        st.plotly_chart(views.distribution_figure(spread), width="stretch", key="banding_sebaran")
        st.caption(
            t(
                "Kotak: kuartil 1–3 dengan median; garis: persentil 10–90.",
                "Box: quartiles 1–3 with the median; whiskers: percentiles 10–90.",
            )
        )
    st.subheader(t("Tren bulanan per desa", "Monthly trend per village"))
    measure = st.radio(
        t("Ukuran", "Measure"),
        ["median_selesai", "tepat_waktu"],
        horizontal=True,
        key="banding_ukuran",
        format_func=lambda m: (
            t("Median hari sampai selesai", "Median days to settle")
            if m == "median_selesai"
            else t("Tepat waktu (%)", "On time (%)")
        ),
    )
    st.plotly_chart(views.desa_trend_figure(trend, measure), width="stretch", key="banding_tren")
