"""Laporan Bulanan: the monthly report for the kepala desa (or camat) as an A4 PDF and an XLSX,
made offline: fpdf2 with the embedded DejaVu font, charts drawn with matplotlib (Agg) to PNG.

The PDF follows the look of the SOP documents: letterhead, title and period, summary table,
charts, the complaints still open past their due time (no personal data) and a signature block
with the name and NIP from ``[laporan.penandatangan.<desa>]`` (``Settings.signatories``); under a
desa SOP a one-desa report is made by the petugas (``[laporan.pembuat.<desa>]``,
``Settings.preparers``) and known by the kepala desa (``signature_block``).

The XLSX has a summary sheet and the month's complaints as the viewer may see them (the caller
passes them through ``dashboard.access.for_viewer``). Every text cell is written as text: a value
starting with ``=``, ``+``, ``-`` or ``@`` can never become a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

from dashboard.fmt import angka, bulan_tahun, persen, tanggal, tanggal_jam  # noqa: E402
from dashboard.pdf_kit import FONT, new_document, pdf_bytes  # noqa: E402
from metrics.columns import column_key  # noqa: E402
from metrics.ikm import ELEMENT, IkmSummary, summary_text
from metrics.monthly import DisplayedChange, MonthFigures, MonthlySummary, displayed_change  # noqa: E402
from metrics.profiles import Profile, register_header  # noqa: E402
from services.documents.letterhead import Signatory, head_signatory  # noqa: E402
from services.documents.letterhead import letterhead_lines as unit_letterhead  # noqa: E402
from services.settings import Settings  # noqa: E402

FORMULA_STARTS = ("=", "+", "-", "@")
NO_COMPARISON = "tidak ada pembanding"


@dataclass(frozen=True)
class SignatureBox:
    caption: str  # "Dibuat oleh," / "Mengetahui," ("" for a single signatory)
    who: Signatory


@dataclass(frozen=True)
class ReportInput:
    summary: MonthlySummary
    trend: pd.DataFrame  # metrics.monthly.monthly_trend
    overdue: pd.DataFrame  # metrics.monthly.open_overdue_list (no personal data)
    profile: Profile
    desa: str | None  # one desa, or None for the whole kecamatan
    kecamatan: str
    kabupaten: str
    signatory: Signatory
    printed: dt.date
    # the signature block (``signature_block``); empty = ``signatory`` alone
    signatures: tuple[SignatureBox, ...] = ()
    # complaint-handling IKM (metrics.ikm): (rated in the month, rated in the 12 months to it)
    ikm: tuple[IkmSummary, IkmSummary] | None = None


# --------------------------------------------------------------------------------------------
# Settings


def signatory_for(
    people: Mapping[str, Any], desa: str | None, kecamatan: str, profile: Profile | None = None
) -> Signatory:
    """Who signs: ``people`` is ``Settings.signatories`` (``[laporan.penandatangan]``): per desa
    (or ``kecamatan`` for the whole kecamatan) ``nama``, ``nip``, ``jabatan``; defaults
    "Kepala Desa <desa>" / "Camat <kecamatan>" and blank name and NIP lines to sign by hand. Under
    a kecamatan or dinas SOP (``profile.unit``) the head of that unit signs (``Camat …``,
    ``Kepala Dinas …``; ``[laporan.penandatangan.<unit>]``)."""
    if profile is not None and profile.unit != "desa":
        return head_signatory({"laporan": {"penandatangan": dict(people)}}, profile)
    key = desa if desa else "kecamatan"
    person = people.get(key, {})
    if not hasattr(person, "get"):
        person = {}
    default_title = f"Kepala Desa {desa}" if desa else f"Camat {kecamatan}".strip()
    return Signatory(
        place=desa or kecamatan,
        jabatan=str(person.get("jabatan") or default_title),
        nama=str(person.get("nama") or ""),
        nip=str(person.get("nip") or ""),
        nip_applies=not desa,  # a kepala desa is not a civil servant; a camat is
    )


def signature_block(
    profile: Profile, settings: Settings, desa: str | None = None
) -> tuple[SignatureBox, ...]:
    """Who signs the monthly report, from the SOP's unit and the settings (``Settings.signatories``,
    ``Settings.preparers``, ``Settings.kecamatan``).

    A desa SOP (e.g. Cipari: the petugas "menyusun laporan … kepada kepala desa") reporting on one
    desa: *Dibuat oleh* the petugas (``[laporan.pembuat.<desa>]``, default "Petugas Pengelola
    Pengaduan Desa <desa>") and *Mengetahui* the kepala desa (``[laporan.penandatangan.<desa>]``).
    Otherwise (a kecamatan or dinas SOP, or a report on the whole kecamatan) one signatory,
    ``signatory_for``. Names and NIPs not configured are blank lines to fill by hand.
    """
    head = signatory_for(settings.signatories, desa, settings.kecamatan, profile)
    if profile.unit != "desa" or not desa:
        return (SignatureBox("", head),)
    person = settings.preparers.get(desa, {})
    if not hasattr(person, "get"):
        person = {}
    clerk = Signatory(
        place=desa,
        jabatan=str(person.get("jabatan") or f"Petugas Pengelola Pengaduan Desa {desa}"),
        nama=str(person.get("nama") or ""),
        nip=str(person.get("nip") or ""),
        nip_applies=False,  # perangkat desa
    )
    return (SignatureBox("Dibuat oleh,", clerk), SignatureBox("Mengetahui,", head))


def letterhead_lines(
    desa: str | None, kecamatan: str, kabupaten: str, profile: Profile | None = None
) -> list[str]:
    """``PEMERINTAH DESA …`` with its kecamatan, or ``PEMERINTAH KABUPATEN …`` / ``KECAMATAN …``;
    the unit's own kop under a kecamatan or dinas SOP."""
    if profile is not None and profile.unit != "desa":
        return unit_letterhead(profile, desa or "", kecamatan, kabupaten)
    kab = kabupaten.strip()
    if kab and not kab.lower().startswith(("kabupaten", "kota")):
        kab = f"Kabupaten {kab}"
    if desa:
        lines = [f"PEMERINTAH DESA {desa.upper()}"]
        place = ", ".join(p for p in (f"Kecamatan {kecamatan}" if kecamatan else "", kab) if p)
        return [*lines, place.upper()] if place else lines
    lines = [f"PEMERINTAH {kab.upper()}"] if kab else []
    return [*lines, f"KECAMATAN {kecamatan.upper()}"] if kecamatan else lines or ["PEMERINTAH"]


# --------------------------------------------------------------------------------------------
# Summary rows shared by the PDF and the XLSX


def _days(value: float) -> str:
    return "–" if value is None or np.isnan(value) else angka(value, 1)


# One label for the open-and-overdue figure on the page (tile, year-ago table), the PDF and the XLSX.
OVERDUE_LABEL = ("Terbuka & terlambat", "Open & overdue")
OPEN_LABEL = ("Masih terbuka", "Open")


def summary_rows(summary: MonthlySummary) -> list[tuple[str, str, float, float, float]]:
    """(label, kind, this month, previous month, same month last year); kind = count/percent/days."""
    rows = [
        ("Pengaduan diterima", "count", "diterima"),
        ("Pengaduan selesai", "count", "selesai"),
        (OPEN_LABEL[0], "count", "terbuka"),
        (OVERDUE_LABEL[0], "count", "terlambat_terbuka"),
        ("Tepat waktu", "percent", "tepat_waktu"),
        ("Median hari sampai verifikasi", "days", "median_verifikasi"),
        ("p90 hari sampai verifikasi", "days", "p90_verifikasi"),
        ("Median hari sampai jawaban", "days", "median_jawaban"),
        ("p90 hari sampai jawaban", "days", "p90_jawaban"),
        ("Median hari sampai selesai", "days", "median_selesai"),
        ("p90 hari sampai selesai", "days", "p90_selesai"),
    ]
    out = []
    for label, kind, name in rows:
        values = (summary.figures.value(name), summary.previous.value(name), summary.last_year.value(name))
        out.append((label, kind, *values))
    return out


def _format(kind: str, value: float) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if kind == "count":
        return angka(value)
    if kind == "percent":
        return persen(value)
    return _days(value)


def change_text(
    kind: str, change: DisplayedChange, *, points: str = "poin", no_comparison: str = NO_COMPARISON
) -> str:
    """The one text of a shown change (page, PDF): ``+3``, ``−1,5``, ``±0,0``, ``+2,3 poin``, or
    ``no_comparison`` (the rounding and sign come from ``metrics.monthly.displayed_change``)."""
    if change.no_comparison:
        return no_comparison
    if change.value is None:
        return "–"
    sign = {1: "+", -1: "−", 0: "±"}[change.direction]
    decimals = 0 if kind == "count" else 1
    text = f"{sign}{angka(abs(change.value), decimals)}"
    return f"{text} {points}" if kind == "percent" else text


# Excel number formats of a shown change, the same signs as ``change_text``
_CHANGE_FORMATS = {
    "count": '"+"#,##0;"−"#,##0;"±"0',
    "percent": '"+"0.0" poin";"−"0.0" poin";"±"0.0" poin"',
    "days": '"+"0.0;"−"0.0;"±"0.0',
}


def _change(kind: str, now: float, before: float, *, before_has_data: bool = True) -> str:
    return change_text(kind, displayed_change(kind, now, before, before_has_data=before_has_data))


def _label(profile: Profile, kind: str, key: object) -> str:
    if key is None or (not isinstance(key, str) and pd.isna(key)):
        return ""
    terms = {
        "kategori": profile.categories,
        "saluran": profile.channels,
        "urgensi": profile.urgencies,
        "tahap": profile.stages,
        "jenis_penyelesaian": profile.outcomes,
    }[kind]
    return next((term.label for term in terms if term.key == key), str(key))


def period_text(figures: MonthFigures) -> str:
    return bulan_tahun(figures.bulan)


# --------------------------------------------------------------------------------------------
# Charts (matplotlib, Agg, PNG)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _thousands(value, _position=None) -> str:
    return angka(value)


def trend_chart(trend: pd.DataFrame) -> bytes:
    """Received/settled bars per month and the on-time rate (right axis)."""
    labels = [bulan_tahun(p, short=True) for p in trend["bulan"]]
    x = np.arange(len(labels))
    figure, axis = plt.subplots(figsize=(7.2, 2.8))
    axis.bar(x - 0.2, trend["diterima"], width=0.4, color="#1f77b4", label="Diterima")
    axis.bar(x + 0.2, trend["selesai"], width=0.4, color="#2ca02c", label="Selesai")
    axis.set_xticks(x, labels, rotation=45, ha="right", fontsize=7)
    axis.yaxis.set_major_formatter(FuncFormatter(_thousands))
    axis.set_ylabel("Jumlah pengaduan", fontsize=8)
    axis.tick_params(axis="y", labelsize=7)
    right = axis.twinx()
    right.plot(
        x, trend["tepat_waktu"] * 100, color="#d62728", marker="o", markersize=3, label="Tepat waktu (%)"
    )
    right.set_ylim(0, 105)
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{angka(v)}%"))
    right.tick_params(axis="y", labelsize=7)
    handles = axis.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    axis.legend(
        handles,
        ["Diterima", "Selesai", "Tepat waktu (%)"],
        fontsize=7,
        loc="upper left",
        ncols=3,
        frameon=False,
        bbox_to_anchor=(0, 1.15),
    )
    axis.spines[["top"]].set_visible(False)
    axis.set_title("Pengaduan 12 bulan terakhir", fontsize=9, loc="left", pad=22)
    return _png(figure)


def breakdown_chart(left: pd.DataFrame, left_title: str, right: pd.DataFrame, right_title: str) -> bytes:
    """Two horizontal bar charts side by side (e.g. by category and open backlog by stage)."""
    figure, axes = plt.subplots(1, 2, figsize=(7.2, 2.9))
    for axis, table, title in ((axes[0], left, left_title), (axes[1], right, right_title)):
        data = table.iloc[::-1]
        labels = [textwrap.shorten(str(v), 40, placeholder="…") for v in data["label"]]
        labels = ["\n".join(textwrap.wrap(v, 22)) for v in labels]
        axis.barh(labels, data["jumlah"], color="#1f77b4")
        for y, value in enumerate(data["jumlah"]):
            axis.text(value, y, f" {angka(value)}", va="center", fontsize=7)
        axis.set_title(title, fontsize=9, loc="left")
        axis.tick_params(labelsize=7)
        axis.xaxis.set_visible(False)
        axis.spines[["top", "right", "bottom"]].set_visible(False)
        if data.empty:
            axis.text(0.5, 0.5, "tidak ada", ha="center", va="center", transform=axis.transAxes, fontsize=8)
            axis.set_yticks([])
        axis.set_xlim(0, max(1, int(data["jumlah"].max()) if len(data) else 1) * 1.2)
    figure.tight_layout()
    return _png(figure)


# --------------------------------------------------------------------------------------------
# PDF


OVERDUE_ROWS_IN_PDF = 60


def monthly_pdf(report: ReportInput) -> bytes:
    """The A4 PDF of the month (see the module docstring)."""
    summary, profile = report.summary, report.profile
    figures = summary.figures
    period = period_text(figures)
    pdf = new_document(f"Laporan Bulanan Pengaduan · {period}")
    pdf.letterhead(letterhead_lines(report.desa, report.kecamatan, report.kabupaten, report.profile))
    pdf.set_font(FONT, "B", 12)
    pdf.cell(
        0, 7, "LAPORAN BULANAN PENGELOLAAN PENGADUAN MASYARAKAT", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, f"Periode: {period}", align="C", new_x="LMARGIN", new_y="NEXT")
    is_running = figures.batas < (figures.bulan + 1).start_time
    if is_running:
        draw_running_month(pdf, figures.batas)
    pdf.ln(3)

    pdf.set_font(FONT, "B", 10.5)
    pdf.cell(0, 7, "A. Ringkasan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    previous, last_year = bulan_tahun(summary.previous.bulan), bulan_tahun(summary.last_year.bulan)
    with pdf.table(
        col_widths=(62, 28, 28, 26, 30),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5.2,
        first_row_as_headings=True,
    ) as table:
        table.row(("Uraian", period, previous, "Perubahan", last_year))
        for label, kind, now, before, year_ago in summary_rows(summary):
            table.row(
                (
                    label,
                    _format(kind, now),
                    _format(kind, before),
                    _change(kind, now, before, before_has_data=summary.previous.has_data),
                    _format(kind, year_ago),
                )
            )
    pdf.set_font(FONT, "I", 7.5)
    pdf.multi_cell(
        0,
        3.8,
        "Tepat waktu = selesai tepat waktu ÷ (selesai + pengaduan yang menjadi terlambat pada bulan ini dan masih "
        f"terbuka di akhir bulan). {summary.figures.terlambat_terbuka - summary.figures.terlambat_baru} pengaduan "
        f"yang sudah terlambat sebelum {period} dihitung pada bulan ketika terlambat; semua pengaduan terlambat yang "
        "masih terbuka ada di daftar di bawah. "
        "Hari = hari kalender sejak tanggal diterima. p90 = 90% pengaduan selesai dalam waktu itu atau kurang. "
        f"{OPEN_LABEL[0]} dan {OVERDUE_LABEL[0]} dihitung per akhir bulan = pukul 24.00 hari terakhir bulan "
        "(bulan berjalan: saat laporan dibuat).",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    if report.ikm is not None:
        _ikm_pdf(pdf, report.ikm, period)

    pdf.set_font(FONT, "B", 10.5)
    pdf.cell(0, 7, "B. Grafik", new_x="LMARGIN", new_y="NEXT")
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.image(io.BytesIO(trend_chart(report.trend)), w=width)
    pdf.image(
        io.BytesIO(
            breakdown_chart(
                summary.breakdowns["kategori"],
                f"Diterima per kategori ({period})",
                summary.breakdowns["tahap"],
                "Masih terbuka per tahap terakhir yang dicapai",
            )
        ),
        w=width,
    )
    pdf.ln(2)

    pdf.set_font(FONT, "B", 10.5)
    when = f"per {tanggal_jam(figures.batas)}" if is_running else "akhir bulan"
    pdf.cell(0, 7, f"C. Pengaduan terbuka yang melewati batas waktu ({when})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)
    overdue = report.overdue
    if overdue.empty:
        pdf.cell(
            0, 6, "Tidak ada pengaduan terbuka yang melewati batas waktu.", new_x="LMARGIN", new_y="NEXT"
        )
    else:
        with pdf.table(
            col_widths=(32, 30, 34, 32, 28, 18),
            line_height=4.6,
            first_row_as_headings=True,
            text_align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
        ) as table:
            table.row(
                ("Nomor", "Kategori", "Tahap terakhir", "Batas yang dilewati", "Jatuh tempo", "Lewat (hari)")
            )
            for row in overdue.head(OVERDUE_ROWS_IN_PDF).itertuples(index=False):
                table.row(
                    (
                        str(row.nomor if isinstance(row.nomor, str) else "–"),
                        _label(profile, "kategori", row.kategori),
                        _label(profile, "tahap", row.tahap),
                        str(row.batas) if isinstance(row.batas, str) else "",
                        tanggal(row.jatuh_tempo),
                        angka(row.terlambat_hari) if row.terlambat_hari >= 1 else "< 1",
                    )
                )
        if len(overdue) > OVERDUE_ROWS_IN_PDF:
            pdf.set_font(FONT, "I", 8)
            pdf.cell(
                0,
                5,
                f"… dan {angka(len(overdue) - OVERDUE_ROWS_IN_PDF)} pengaduan lainnya (lihat berkas XLSX).",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    if len(report.signatures) > 1:
        _signatures(pdf, report.signatures, report.printed)
    else:
        _signature(pdf, report.signatures[0].who if report.signatures else report.signatory, report.printed)
    return pdf_bytes(pdf)


def ikm_rows(ikm: tuple[IkmSummary, IkmSummary], period: str) -> list[tuple[str, IkmSummary]]:
    """The report's IKM lines: rated in the month, rated in the 12 months up to it."""
    return [(f"Dinilai pada {period}", ikm[0]), (f"Dinilai 12 bulan s.d. {period}", ikm[1])]


def _ikm_pdf(pdf, ikm: tuple[IkmSummary, IkmSummary], period: str) -> None:
    pdf.set_font(FONT, "B", 9.5)
    pdf.cell(0, 6, "Kepuasan penanganan pengaduan (IKM)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    for label, summary in ikm_rows(ikm, period):
        pdf.cell(0, 5, f"{label}: {summary_text(summary)}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "I", 7.5)
    pdf.multi_cell(
        0,
        3.8,
        f"Survei setelah pengaduan selesai, unsur {ELEMENT[0]} ({ELEMENT[1]}), skala 1–4; IKM = nilai rata-rata × 25 "
        "(Permenpan RB 14/2017). Mutu: A 88,31–100; B 76,61–88,30; C 65,00–76,60; D 25,00–64,99.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)


def _signature(pdf, who: Signatory, printed: dt.date) -> None:
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    pdf.ln(8)
    x = pdf.w - pdf.r_margin - 75
    pdf.set_font(FONT, "", 10)
    for text in (f"{who.place}, {tanggal(printed)}", who.jabatan):
        pdf.set_x(x)
        pdf.cell(75, 5.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.set_x(x)
    pdf.set_font(FONT, "BU", 10) if who.nama else pdf.set_font(FONT, "", 10)
    pdf.cell(
        75,
        5.5,
        who.nama or "(.................................................)",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 10)
    pdf.set_x(x)
    pdf.cell(75, 5.5, who.nip_line, align="C", new_x="LMARGIN", new_y="NEXT")


def _signatures(pdf, boxes: tuple[SignatureBox, ...], printed: dt.date) -> None:
    """Signature boxes side by side (left: made by, right: known by), place and date above the
    last; the name and NIP lines of every box on the same height."""
    if pdf.get_y() > pdf.h - 75:
        pdf.add_page()
    pdf.ln(8)
    width = 75
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    xs = [pdf.l_margin + i * (usable - width) / max(len(boxes) - 1, 1) for i in range(len(boxes))]
    top = pdf.get_y()
    bottom = top
    pdf.set_font(FONT, "", 10)
    for x, box in zip(xs, boxes, strict=True):
        place = f"{box.who.place}, {tanggal(printed)}" if box is boxes[-1] else ""
        pdf.set_xy(x, top)
        for text in (place, box.caption, box.who.jabatan):
            pdf.set_x(x)
            pdf.multi_cell(width, 5.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        bottom = max(bottom, pdf.get_y())
    for x, box in zip(xs, boxes, strict=True):
        pdf.set_xy(x, bottom + 18)
        pdf.set_font(FONT, "BU", 10) if box.who.nama else pdf.set_font(FONT, "", 10)
        pdf.cell(width, 5.5, box.who.nama or "(.................................................)", align="C")
        pdf.set_xy(x, bottom + 23.5)
        pdf.set_font(FONT, "", 10)
        pdf.cell(width, 5.5, box.who.nip_line, align="C")
    pdf.set_xy(pdf.l_margin, bottom + 29)


# --------------------------------------------------------------------------------------------
# XLSX


def _cell(sheet, value: Any, *, bold: bool = False, number_format: str | None = None):
    """A write-only cell; text is always stored as text (never a formula)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        value = None
    elif isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    elif isinstance(value, np.integer):
        value = int(value)
    elif isinstance(value, np.floating):
        value = float(value)
    elif isinstance(value, np.bool_ | bool):
        value = "Ya" if value else "Tidak"
    elif not isinstance(value, int | float | dt.date | dt.datetime):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # '=…', '+…', '-…', '@…' stay text
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


_FORMATS = {"count": "#,##0", "percent": "0.0%", "days": "0.0"}


def monthly_xlsx(report: ReportInput, complaints: pd.DataFrame) -> bytes:
    """Summary sheet plus the month's complaints (already masked for the viewer)."""
    summary, profile = report.summary, report.profile
    period = period_text(summary.figures)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Ringkasan")
    sheet.column_dimensions["A"].width = 40
    for column in "BCDE":
        sheet.column_dimensions[column].width = 18
    for line in letterhead_lines(report.desa, report.kecamatan, report.kabupaten, report.profile):
        sheet.append([_cell(sheet, line, bold=True)])
    sheet.append([_cell(sheet, "Laporan Bulanan Pengelolaan Pengaduan Masyarakat", bold=True)])
    sheet.append([_cell(sheet, "Periode"), _cell(sheet, period)])
    sheet.append(
        [_cell(sheet, "Data per"), _cell(sheet, summary.figures.batas, number_format="dd/mm/yyyy hh:mm")]
    )
    sheet.append([])
    headers = (
        "Uraian",
        period,
        bulan_tahun(summary.previous.bulan),
        "Perubahan",
        bulan_tahun(summary.last_year.bulan),
    )
    sheet.append([_cell(sheet, h, bold=True) for h in headers])
    for label, kind, now, before, year_ago in summary_rows(summary):
        fmt = _FORMATS[kind]
        shown = displayed_change(kind, now, before, before_has_data=summary.previous.has_data)
        change = NO_COMPARISON if shown.no_comparison else shown.value
        sheet.append(
            [
                _cell(sheet, label),
                _cell(sheet, now, number_format=fmt),
                _cell(sheet, before, number_format=fmt),
                _cell(sheet, change, number_format=_CHANGE_FORMATS[kind]),
                _cell(sheet, year_ago, number_format=fmt),
            ]
        )
    for name, title in (
        ("kategori", "Per kategori (diterima)"),
        ("saluran", "Per saluran (diterima)"),
        ("urgensi", "Per urgensi (diterima)"),
        ("tahap", "Masih terbuka per tahap (akhir bulan)"),
    ):
        sheet.append([])
        sheet.append([_cell(sheet, title, bold=True), _cell(sheet, "Jumlah", bold=True)])
        for row in summary.breakdowns[name].itertuples(index=False):
            sheet.append([_cell(sheet, row.label), _cell(sheet, int(row.jumlah), number_format="#,##0")])

    if report.ikm is not None:
        sheet.append([])
        sheet.append(
            [
                _cell(sheet, h, bold=True)
                for h in ("Kepuasan penanganan pengaduan (IKM)", "Penilaian", "IKM", "Mutu")
            ]
            + [_cell(sheet, "Keterangan", bold=True)]
        )
        for label, ikm in ikm_rows(report.ikm, period):
            sheet.append(
                [
                    _cell(sheet, label),
                    _cell(sheet, ikm.responses, number_format="#,##0"),
                    _cell(sheet, ikm.ikm, number_format="0.00"),
                    _cell(sheet, f"{ikm.grade} ({ikm.grade_label})" if ikm.grade else "–"),
                    _cell(sheet, "" if ikm.enough else f"belum cukup (minimal {ikm.minimum})"),
                ]
            )
    listing = workbook.create_sheet("Pengaduan")
    header = register_header(profile)
    keys = [column_key(h) for h in header]
    listing.append([_cell(listing, h, bold=True) for h in header])
    vocab = {"kategori", "saluran", "urgensi", "tahap", "jenis_penyelesaian"}
    ordered = complaints.sort_values("tanggal_diterima", kind="stable")
    columns = {
        key: (ordered[key].tolist() if key in ordered.columns else [None] * len(ordered)) for key in keys
    }
    for i in range(len(ordered)):
        row = []
        for key in keys:
            value = columns[key][i]
            if key in vocab:
                value = _label(profile, key, value) or None
            fmt = "dd/mm/yyyy hh:mm" if isinstance(value, pd.Timestamp | dt.datetime) else None
            row.append(_cell(listing, value, number_format=fmt))
        listing.append(row)

    late = workbook.create_sheet("Terlambat")
    late.append(
        [
            _cell(late, h, bold=True)
            for h in (
                "Nomor",
                "Desa",
                "Kategori",
                "Tahap terakhir",
                "Batas yang dilewati",
                "Jatuh tempo",
                "Terlambat (hari)",
            )
        ]
    )
    for row in report.overdue.itertuples(index=False):
        late.append(
            [
                _cell(late, row.nomor),
                _cell(late, row.desa),
                _cell(late, _label(profile, "kategori", row.kategori)),
                _cell(late, _label(profile, "tahap", row.tahap)),
                _cell(late, row.batas),
                _cell(late, row.jatuh_tempo, number_format="dd/mm/yyyy hh:mm"),
                _cell(late, int(row.terlambat_hari)),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def frame_xlsx(frame: pd.DataFrame, sheet_name: str) -> bytes:
    """One sheet with a frame's header and rows; text cells always stored as text."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.append([_cell(sheet, c, bold=True) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_file_stem(report: ReportInput) -> str:
    place = (report.desa or f"Kecamatan {report.kecamatan}").replace(" ", "_")
    return f"Laporan_Bulanan_{place}_{report.summary.bulan.strftime('%Y-%m')}"


def draw_signatures(pdf, boxes: tuple[SignatureBox, ...], printed: dt.date) -> None:
    """The signature block of a report (one signatory, or boxes side by side) — shared by the
    desa/kecamatan monthly report and the kabupaten one (``dashboard.kabupaten_report``)."""
    if len(boxes) > 1:
        _signatures(pdf, boxes, printed)
    else:
        _signature(pdf, boxes[0].who, printed)


def xlsx_cell(sheet, value: Any, *, bold: bool = False, number_format: str | None = None):
    """A write-only XLSX cell as the monthly report writes them (text never becomes a formula)."""
    return _cell(sheet, value, bold=bold, number_format=number_format)


__all__ = [
    "NO_COMPARISON",
    "draw_signatures",
    "xlsx_cell",
    "ReportInput",
    "SignatureBox",
    "change_text",
    "frame_xlsx",
    "Signatory",
    "letterhead_lines",
    "monthly_pdf",
    "monthly_xlsx",
    "report_file_stem",
    "signatory_for",
    "signature_block",
    "summary_rows",
]


def draw_running_month(pdf: Any, cutoff: Any) -> None:
    """The line under a report's period when the month is still running: figures as of ``cutoff``
    (the desa and the kabupaten monthly reports)."""
    pdf.set_font(FONT, "I", 8.5)
    pdf.cell(
        0,
        5,
        f"Bulan berjalan: angka per {tanggal_jam(cutoff)}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
