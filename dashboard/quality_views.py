"""Kualitas Data: the register's findings as a viewer may see them, grouped, linked and exported.

Raw values (what a petugas typed) are only ever shown inside ``st.dataframe`` or written to
the XLSX as text: never through markdown, HTML or a link, since a cell may hold anything.
"""

from __future__ import annotations

import contextlib
import io
import threading

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from streamlit.errors import StreamlitAPIException

from dashboard.access import current_viewer
from dashboard.charts import base_layout, count_axis
from dashboard.components import show_empty
from dashboard.data import LOADED_HASH, LoadedRegister, local_now
from dashboard.fmt import angka, bulan_tahun, persen
from dashboard.i18n import language, t, t_count, tr
from dashboard.settings import current_settings
from metrics.quality import (
    QUALITY_CHECKS,
    SET_ASIDE_FIGURES,
    SET_ASIDE_REASONS,
    SEVERITIES,
    findings_over_time,
    quality_findings,
    set_aside_summary,
)
from services.access import STAFF_ROLES, Viewer
from services.quality_view import ViewerQuality, viewer_quality_of

PAGE_PATH = "app_pages/kualitas_data.py"
SEVERITY_LABELS = {
    "galat": ("Galat", "Error"),
    "peringatan": ("Peringatan", "Warning"),
    "info": ("Info", "Info"),
}
XLSX_CELL_LIMIT = 32_767


def severity_label(level: str) -> str:
    indonesian, english = SEVERITY_LABELS.get(level, (level, level))
    return t(indonesian, english)


def check_title(kode: str) -> str:
    check = QUALITY_CHECKS.get(kode)
    return t(check.judul_id, check.judul_en) if check else kode


def check_fix(kode: str) -> str:
    """How to fix a check's findings, from the catalogue (English: ``saran_en``, else the title)."""
    check = QUALITY_CHECKS.get(kode)
    if check is None:
        return ""
    return t(check.saran, check.saran_en or check.judul_en)


def finding_messages(findings: pd.DataFrame) -> pd.Series:
    """Each finding's message in the session's language. Indonesian: the message the check
    wrote (it names the cell's value and the fix). English: the check's catalogue entry (title
    and fix, keyed by ``kode``) — the row, column and value written are columns of their own."""
    if language() != "en":
        return findings["pesan"]
    english = {
        kode: (f"{check.judul_en}. {check.saran_en}".strip() if check else str(kode))
        for kode in findings["kode"].unique()
        for check in [QUALITY_CHECKS.get(kode)]
    }
    return findings["kode"].map(english)


# ---------------------------------------------------------------------------------------------
# Data


class _RegisterQuality:
    """The findings of one loaded register, and what each kind of viewer sees of them
    (filled on first use; dropped with the register's cache entry)."""

    def __init__(self, findings: pd.DataFrame) -> None:
        self.findings = findings
        self.by_viewer: dict[tuple[str, tuple[str, ...]], ViewerQuality] = {}
        self.lock = threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=LOADED_HASH)
def _register_quality(
    loaded: LoadedRegister, desa_names: tuple[str, ...], duplicate_days: int = 14
) -> _RegisterQuality:
    """The findings of one loaded register (once per load, configured desa list and window)."""
    findings = quality_findings(
        loaded.register,
        loaded.profile,
        local_now(loaded.profile),
        desa_names or None,
        duplicate_days=duplicate_days,
    )
    return _RegisterQuality(findings)


def viewer_quality(loaded: LoadedRegister, viewer: Viewer) -> ViewerQuality:
    """The viewer's findings and counts, computed once per loaded register and kind of viewer
    (what a viewer sees depends only on the role and the desas, not on the name)."""
    settings = current_settings()
    state = _register_quality(loaded, settings.desa_names, settings.duplicate_days)
    kind = (viewer.role, tuple(viewer.desa))
    found = state.by_viewer.get(kind)
    if found is None:
        found = viewer_quality_of(state.findings, loaded.complaints, Viewer("", *kind))
        with state.lock:
            state.by_viewer[kind] = found
    return found


def cell_links(findings: pd.DataFrame, sheet_urls: dict[str, str | None]) -> pd.Series:
    """Link opening the Google Sheet at the finding's cell (``<worksheet url>&range=C12``), else None."""
    urls = findings["sheet"].map({s: u for s, u in sheet_urls.items() if u}).astype("string")
    cell = findings["sel"].astype("string")
    linked = urls.notna() & (cell != "")
    joiner = urls.str.contains("#", regex=False).map({True: "&", False: "#"}).astype("string")
    return (urls + joiner + "range=" + cell).where(linked, None)


def findings_by_check(findings: pd.DataFrame) -> pd.DataFrame:
    counts = findings.groupby("kode", sort=False).size()
    order = [k for k in QUALITY_CHECKS if k in counts.index]
    return pd.DataFrame(
        {
            t("Pemeriksaan", "Check"): [check_title(k) for k in order],
            t("Tingkat", "Severity"): [severity_label(QUALITY_CHECKS[k].tingkat) for k in order],
            t("Jumlah", "Count"): [int(counts[k]) for k in order],
            t("Cara memperbaiki", "How to fix"): [check_fix(k) for k in order],
            t("Kode", "Code"): order,
        }
    )


def findings_by_desa(findings: pd.DataFrame) -> pd.DataFrame:
    desa = findings["desa"].where(
        findings["desa"] != "", t("(tanpa desa / seluruh sheet)", "(no village / whole sheet)")
    )
    table = pd.crosstab(desa, findings["tingkat"]).reindex(columns=list(SEVERITIES), fill_value=0)
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False)
    table.index.name = t("Desa", "Village")
    return table.rename(
        columns={s: severity_label(s) for s in SEVERITIES} | {"total": t("Total", "Total")}
    ).reset_index()


def _labelled(codes: pd.Series, label) -> pd.Series:
    """``label`` of each code, called once per distinct code."""
    return codes.map({code: label(code) for code in codes.unique()})


def findings_table(findings: pd.DataFrame, sheet_urls: dict[str, str | None]) -> pd.DataFrame:
    """The findings for display and export, with Indonesian (or English) headers."""
    return pd.DataFrame(
        {
            t("Tingkat", "Severity"): _labelled(findings["tingkat"], severity_label),
            t("Pemeriksaan", "Check"): _labelled(findings["kode"], check_title),
            t("Sheet", "Sheet"): findings["sheet"],
            t("Baris", "Row"): findings["baris"],
            t("Kolom", "Column"): findings["kolom"],
            t("Sel", "Cell"): findings["sel"],
            t("Nilai tertulis", "Value as written"): findings["nilai"],
            t("Pesan dan perbaikan", "Message and fix"): finding_messages(findings),
            t("Nomor", "Number"): findings["nomor"],
            t("Desa", "Village"): findings["desa"],
            t("Kode", "Code"): findings["kode"],
            t("Buka di Google Sheets", "Open in Google Sheets"): cell_links(findings, sheet_urls),
        }
    )


def _xlsx_text(value: object) -> object:
    """A value safe for an XLSX cell: no control characters, not longer than a cell holds."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:XLSX_CELL_LIMIT]
    return int(value) if isinstance(value, (int, float)) and float(value).is_integer() else value


def findings_xlsx(
    table: pd.DataFrame, by_check: pd.DataFrame, titles: tuple[str, str] | None = None
) -> bytes:
    """The findings as an XLSX workbook. Every text cell is stored as text, never as a formula:
    a value such as ``=HYPERLINK(...)`` or ``+62 812…`` stays exactly what was typed.

    Written row by row (openpyxl's write-only mode): the cost grows with the number of cells,
    never with the square of the rows. ``titles`` names the two sheets (default: the session's
    language); pass them when this runs outside the page script (a deferred download).
    """
    titles = titles or (t("Temuan", "Findings"), t("Per pemeriksaan", "By check"))
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, frame in zip(titles, (table, by_check), strict=True):
        worksheet = workbook.create_sheet(title=title)
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(frame.columns, start=1):
            width = min(60, max(10, len(str(column)) + 2))
            worksheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(worksheet, value=_xlsx_text(str(column)))
            cell.font = bold
            cell.data_type = "s"
            header.append(cell)
        worksheet.append(header)
        columns = [_xlsx_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
        for values in zip(*columns, strict=True):
            row = []
            for value in values:
                if isinstance(value, str):
                    cell = WriteOnlyCell(worksheet, value=value)
                    cell.data_type = "s"  # '=…' stays text
                    row.append(cell)
                else:
                    row.append(value)
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_column(values: pd.Series) -> list[object]:
    """A column's values ready for the XLSX (see ``_xlsx_text``), as a list."""
    return [_xlsx_text(v) for v in values.astype(object).tolist()]


def over_time_figure(per_month: pd.DataFrame) -> go.Figure:
    """Findings per month of receipt (bars by severity) and the share of complaints with findings."""
    labels = [bulan_tahun(p, language(), short=True) for p in per_month["bulan"]]
    figure = go.Figure()
    colours = {"galat": "#d62728", "peringatan": "#ff7f0e", "info": "#1f77b4"}
    for level in SEVERITIES:
        if per_month[level].sum():
            figure.add_bar(
                x=labels, y=per_month[level], name=severity_label(level), marker_color=colours[level]
            )
    figure.add_scatter(
        x=labels,
        y=per_month["bagian_bermasalah"] * 100,
        name=t("% pengaduan bertemuan", "% complaints with findings"),
        mode="lines+markers",
        yaxis="y2",
        marker_color="#2c3e50",
    )
    figure.update_layout(
        barmode="stack",
        yaxis={
            "title": t("Jumlah temuan", "Findings"),
            **count_axis(float(per_month[list(SEVERITIES)].sum(axis=1).max()) if len(per_month) else 0.0),
        },
        yaxis2={
            "title": t("% pengaduan", "% of complaints"),
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "ticksuffix": "%",
            "tickformat": ",.1~f",  # 0,5% / 1% rather than 0,829%
            "tickmode": "auto",
            "nticks": 6,
            "showgrid": False,
        },
    )
    figure.update_xaxes(type="category", title=t("Bulan diterima", "Month received"))
    return base_layout(figure)


# ---------------------------------------------------------------------------------------------
# Banner shown by every page


def show_set_aside_notice(loaded: LoadedRegister, viewer: Viewer | None = None) -> None:
    """'N baris disisihkan dari angka periode …; M temuan lain — lihat Kualitas Data' (staff only)."""
    viewer = viewer or current_viewer()
    if viewer.role not in STAFF_ROLES:
        return
    quality = viewer_quality(loaded, viewer)
    if quality.findings.empty:
        return
    set_aside, others = quality.set_aside, quality.others
    if set_aside:
        text = t(
            "{n} disisihkan dari angka per bulan karena tanggal diterima kosong atau tidak terbaca "
            "(tetap dihitung di Total dan Terbuka); {m}.",
            "{n} left out of monthly figures (receipt date empty or unreadable; still counted in Total and "
            "Open); {m}.",
        ).format(
            n=t_count(set_aside, "baris", "row", "rows"),
            m=t_count(others, "temuan lain", "other finding", "other findings"),
        )
    else:
        text = t(
            "{m}; semua pengaduan tetap dihitung.",
            "{m}; every complaint is still counted.",
        ).format(m=t_count(others, "temuan kualitas data", "data-quality finding", "data-quality findings"))
    with st.container(border=True):
        st.caption(text)
        # the page may not be in this viewer's navigation (st.page_link refuses unknown pages)
        with contextlib.suppress(StreamlitAPIException):
            st.page_link(
                PAGE_PATH, label=t("Lihat Kualitas Data", "See Data quality"), icon=":material/fact_check:"
            )


# ---------------------------------------------------------------------------------------------
# The page


def show_quality_page(loaded: LoadedRegister, viewer: Viewer) -> None:
    quality = viewer_quality(loaded, viewer)
    findings, visible = quality.findings, quality.visible
    if visible.empty:
        show_empty()
    if findings.empty:
        if not visible.empty:
            st.success(
                t("Tidak ada temuan: register ini rapi.", "No findings: this register is clean."),
                icon=":material/task_alt:",
            )
        return

    findings = _filtered(findings)
    counts = findings["tingkat"].value_counts()
    complaints_with = (
        findings.dropna(subset=["baris"])
        .merge(
            visible[["_sheet", "_row"]]
            .rename(columns={"_sheet": "sheet", "_row": "baris"})
            .astype({"baris": "Int64"}),
            on=["sheet", "baris"],
        )[["sheet", "baris"]]
        .drop_duplicates()
    )
    cols = st.columns(4)
    cols[0].metric(t("Temuan", "Findings"), angka(len(findings)))
    cols[1].metric(severity_label("galat"), angka(int(counts.get("galat", 0))))
    cols[2].metric(severity_label("peringatan"), angka(int(counts.get("peringatan", 0))))
    cols[3].metric(
        t("Pengaduan bertemuan", "Complaints with findings"),
        persen(len(complaints_with) / len(visible)) if len(visible) else "–",
        help=t(
            "Bagian pengaduan yang punya sedikitnya satu temuan.",
            "Share of complaints with at least one finding.",
        ),
    )

    summary = set_aside_summary(findings, visible)
    if not summary.empty:
        st.subheader(t("Yang disisihkan dari angka", "What is left out of the figures"))
        st.caption(
            t(
                "Pengaduan bertemuan tetap dihitung sejauh datanya memungkinkan: tanggal jawaban yang salah tidak "
                "menghapus pengaduan dari jumlah bulanan. Hanya pengaduan tanpa tanggal diterima yang terbaca "
                "disisihkan dari angka per periode.",
                "Complaints with findings still count wherever their data allows: a bad answer date does not "
                "remove a complaint from the monthly totals. Only complaints without a readable receipt date are "
                "left out of period figures.",
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    t("Angka", "Figures"): summary["angka"].map(
                        {k: tr(v) for k, v in SET_ASIDE_FIGURES.items()}
                    ),
                    t("Alasan", "Reason"): summary["alasan"].map(
                        {k: tr(v) for k, v in SET_ASIDE_REASONS.items()}
                    ),
                    t("Pengaduan", "Complaints"): summary["jumlah"],
                }
            ),
            hide_index=True,
            width="stretch",
        )

    left, right = st.columns(2)
    with left:
        st.subheader(t("Per pemeriksaan", "By check"))
        by_check = findings_by_check(findings)
        st.dataframe(by_check.drop(columns=[t("Kode", "Code")]), hide_index=True, width="stretch")
    with right:
        st.subheader(t("Per desa", "By village"))
        st.dataframe(findings_by_desa(findings), hide_index=True, width="stretch")

    per_month = findings_over_time(findings, visible)
    if len(per_month) and per_month["temuan"].sum():
        st.subheader(t("Temuan per bulan diterima", "Findings by month received"))
        st.caption(
            t(
                "Garis menurun berarti register makin rapi: bagian pengaduan yang punya temuan.",
                "A falling line means the register is getting cleaner: share of complaints with findings.",
            )
        )
        st.plotly_chart(over_time_figure(per_month), width="stretch")

    st.subheader(t("Daftar temuan", "Findings"))
    table = findings_table(findings, loaded.register.sheet_urls)
    link_column = t("Buka di Google Sheets", "Open in Google Sheets")
    has_links = table[link_column].notna().any()
    shown = table if has_links else table.drop(columns=[link_column])
    limit = _table_limit(len(shown))
    st.dataframe(
        shown if limit is None else shown.head(limit),
        hide_index=True,
        width="stretch",
        column_config={
            t("Baris", "Row"): st.column_config.NumberColumn(format="%d"),
            link_column: st.column_config.LinkColumn(display_text=t("Buka sel", "Open cell")),
        },
    )
    titles = (t("Temuan", "Findings"), t("Per pemeriksaan", "By check"))
    st.download_button(
        t("Unduh temuan (XLSX)", "Download findings (XLSX)"),
        # made when the button is pressed (not on every run): every finding, as filtered
        data=lambda: findings_xlsx(shown, by_check, titles),
        file_name=f"kualitas_data_{local_now(loaded.profile):%Y%m%d_%H%M}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="unduh_kualitas",
        on_click="ignore",
    )


TABLE_ROWS = 1000


def _table_limit(total: int) -> int | None:
    """Rows of the findings table to show: the first ``TABLE_ROWS``, or all when asked for."""
    if total <= TABLE_ROWS:
        return None
    if st.toggle(
        t("Tampilkan semua {n} temuan", "Show all {n} findings").format(n=angka(total)), key="kualitas_semua"
    ):
        return None
    st.caption(
        t(
            "Ditampilkan {k} temuan pertama dari {n}; unduhan XLSX memuat semuanya.",
            "Showing the first {k} of {n} findings; the XLSX download holds them all.",
        ).format(k=angka(TABLE_ROWS), n=angka(total))
    )
    return TABLE_ROWS


def _filtered(findings: pd.DataFrame) -> pd.DataFrame:
    """Sidebar pickers: severity, check and desa."""
    with st.sidebar:
        levels = st.multiselect(
            t("Tingkat", "Severity"),
            list(SEVERITIES),
            format_func=severity_label,
            key="kualitas_tingkat",
            placeholder=t("Semua tingkat", "All severities"),
        )
        present = set(findings["kode"].unique())
        codes = [k for k in QUALITY_CHECKS if k in present]
        chosen = st.multiselect(
            t("Pemeriksaan", "Check"),
            codes,
            format_func=check_title,
            key="kualitas_kode",
            placeholder=t("Semua pemeriksaan", "All checks"),
        )
        desa_options = sorted(d for d in findings["desa"].unique() if d)
        desa = st.multiselect(
            t("Desa", "Village"),
            desa_options,
            key="kualitas_desa",
            placeholder=t("Semua desa", "All villages"),
        )
    mask = pd.Series(True, index=findings.index)
    if levels:
        mask &= findings["tingkat"].isin(levels)
    if chosen:
        mask &= findings["kode"].isin(chosen)
    if desa:
        mask &= findings["desa"].isin(desa)
    return findings[mask]
