"""Laporan Bulanan Kabupaten: the kecamatan (and their desas) of one month as an A4 PDF and an XLSX.

Same month logic as the desa monthly report (``metrics.monthly.month_bounds``: a past month up to
its end, the running month up to now, said on the page) and the same signature block mechanism
(``dashboard.monthly_report.SignatureBox`` / ``draw_signatures``): *Dibuat oleh* the preparer of
``[laporan.pembuat.kabupaten]`` and *Mengetahui* the head of ``[laporan.penandatangan.kabupaten]``
(defaults "Kepala Dinas PMD Kabupaten …", blank name and NIP lines to sign by hand). Figures come
from ``metrics.kabupaten.kabupaten_month`` over the milestone frame, which holds only Nomor and
dates: no personal data can reach this report. With the desas' survey answers in the sync store,
both tables carry the complaint-handling IKM of the month (``metrics.kabupaten.kabupaten_month_ikm``:
the answers of the complaints received in the month), "–" without ratings and marked "*" (belum
cukup) under ``[survei] minimum_responden``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import openpyxl
import pandas as pd

from dashboard.fmt import angka, bulan_tahun, hari, persen, tanggal_jam
from dashboard.monthly_report import SignatureBox, draw_running_month, draw_signatures, xlsx_cell
from dashboard.pdf_kit import FONT, new_document, pdf_bytes
from metrics.kabupaten import TOTAL_ROW
from services.documents.letterhead import Signatory

__all__ = [
    "KabupatenReport",
    "kabupaten_pdf",
    "kabupaten_signatures",
    "kabupaten_xlsx",
    "report_stem",
    "with_ikm",
]

COLUMNS = (
    ("desa_count", "Desa", "count"),
    ("pengaduan", "Pengaduan", "count"),
    ("selesai", "Selesai", "count"),
    ("median_jawaban", "Median dijawab (hari)", "days"),
    ("p90_jawaban", "p90 dijawab (hari)", "days"),
    ("median_selesai", "Median selesai (hari)", "days"),
    ("p90_selesai", "p90 selesai (hari)", "days"),
    ("tepat_waktu", "Tepat waktu", "percent"),
    ("terlambat_terbuka", "Terbuka & terlambat", "count"),
)
# present when the tables carry the IKM (``with_ikm``)
IKM_COLUMNS = (
    ("ikm", "IKM", "ikm"),
    ("responden", "Penilaian", "count"),
)


def with_ikm(table: pd.DataFrame, ikm: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``table`` with the IKM columns of ``ikm`` (``metrics.kabupaten.kabupaten_month_ikm``) joined
    on ``keys``; a place without ratings gets 0 ratings and no IKM."""
    columns = [*keys, "ikm", "responden", "mutu", "cukup"]
    out = table.merge(ikm[columns].astype({k: "string" for k in keys}), on=keys, how="left")
    out["responden"] = out["responden"].fillna(0).astype("int64")
    out["cukup"] = out["cukup"].astype("boolean").fillna(False).astype(bool)
    out["mutu"] = out["mutu"].fillna("")
    return out


@dataclass(frozen=True)
class KabupatenReport:
    kabupaten: str
    month: pd.Period
    cutoff: pd.Timestamp  # month_bounds' cut-off: the month's end, or now in the running month
    kecamatan: pd.DataFrame  # metrics.kabupaten.kabupaten_month: per kecamatan + TOTAL_ROW
    desas: pd.DataFrame  # per desa
    signatures: tuple[SignatureBox, ...]
    printed: dt.date
    ikm_minimum: int | None = None  # set when the tables carry the IKM (``with_ikm``)

    @property
    def columns(self) -> tuple[tuple[str, str, str], ...]:
        return COLUMNS + (IKM_COLUMNS if self.ikm_minimum is not None else ())

    @property
    def running(self) -> bool:
        return self.cutoff < (self.month + 1).start_time


def _person(table: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    person = table.get(key, {}) if hasattr(table, "get") else {}
    return person if hasattr(person, "get") else {}


def kabupaten_signatures(
    signatories: Mapping[str, Any], preparers: Mapping[str, Any], kabupaten: str
) -> tuple[SignatureBox, ...]:
    """``Settings.signatories`` / ``Settings.preparers`` entries ``kabupaten``: who signs."""
    place = kabupaten.strip()
    name = place if place.lower().startswith(("kabupaten", "kota")) else f"Kabupaten {place}".strip()
    head = _person(signatories, "kabupaten")
    clerk = _person(preparers, "kabupaten")
    return (
        SignatureBox(
            "Dibuat oleh,",
            Signatory(
                place=place,
                jabatan=str(clerk.get("jabatan") or f"Petugas Pengelola Pengaduan {name}"),
                nama=str(clerk.get("nama") or ""),
                nip=str(clerk.get("nip") or ""),
            ),
        ),
        SignatureBox(
            "Mengetahui,",
            Signatory(
                place=place,
                jabatan=str(head.get("jabatan") or f"Kepala Dinas Pemberdayaan Masyarakat dan Desa {name}"),
                nama=str(head.get("nama") or ""),
                nip=str(head.get("nip") or ""),
            ),
        ),
    )


def _text(kind: str, value: Any, record: Mapping[str, Any] | None = None) -> str:
    if kind == "ikm":
        if value is None or pd.isna(value):
            return "–"
        grade = f" ({record.get('mutu')})" if record and record.get("mutu") else ""
        return angka(value, 2) + grade + ("" if record is None or record.get("cukup") else "*")
    if kind == "count":
        return angka(value)
    if kind == "percent":
        return persen(value)
    return hari(value)


def report_stem(report: KabupatenReport) -> str:
    place = report.kabupaten.replace(" ", "_") or "Kabupaten"
    return f"Laporan_Bulanan_{place}_{report.month.strftime('%Y-%m')}"


def kabupaten_pdf(report: KabupatenReport) -> bytes:
    period = bulan_tahun(report.month)
    pdf = new_document(f"Laporan Bulanan Kabupaten · {period}")
    kab = report.kabupaten.strip()
    head = kab.upper() if kab.lower().startswith(("kabupaten", "kota")) else f"KABUPATEN {kab.upper()}"
    pdf.letterhead([f"PEMERINTAH {head}".strip(), "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA"])
    pdf.set_font(FONT, "B", 12)
    pdf.cell(
        0, 7, "LAPORAN BULANAN PENGADUAN MASYARAKAT PER KECAMATAN", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, f"Periode: {period}", align="C", new_x="LMARGIN", new_y="NEXT")
    if report.running:
        draw_running_month(pdf, report.cutoff)
    pdf.ln(2)
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(
        0,
        4.5,
        "Pengaduan yang diterima pada periode ini. Setiap desa memakai profil SOP-nya sendiri; perbandingan memakai "
        "tonggak yang dimiliki semua profil (diterima, dijawab, selesai). Tepat waktu dan terlambat dinilai menurut "
        "SOP desa masing-masing. Laporan ini tidak memuat data pribadi.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _table(pdf, report.kecamatan, "kecamatan", "Kecamatan", report.columns)
    if report.ikm_minimum is not None:
        pdf.set_font(FONT, "", 7.5)
        pdf.multi_cell(
            0,
            4,
            "IKM penanganan pengaduan (Permenpan RB 14/2017, unsur U9): rata-rata nilai 1–4 × 25 dari penilaian "
            "warga atas pengaduan yang diterima pada periode ini; – belum ada penilaian; * belum cukup "
            f"(kurang dari {report.ikm_minimum} penilaian).",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10.5)
    pdf.cell(0, 7, "Rincian per desa: lampiran XLSX.", new_x="LMARGIN", new_y="NEXT")
    draw_signatures(pdf, report.signatures, report.printed)
    return pdf_bytes(pdf)


def _table(
    pdf, table: pd.DataFrame, first: str, first_label: str, columns: tuple[tuple[str, str, str], ...]
) -> None:
    pdf.set_font(FONT, "", 7.5)
    with pdf.table(
        col_widths=(30, *(16 for _ in columns)),
        text_align=("LEFT", *("RIGHT" for _ in columns)),
        line_height=4.4,
        first_row_as_headings=True,
    ) as out:
        out.row((first_label, *(label for _key, label, _kind in columns)))
        for record in table.to_dict("records"):
            out.row(
                (str(record[first]), *(_text(kind, record.get(key), record) for key, _label, kind in columns))
            )


def _number(value: Any) -> Any:
    """A cell value: a missing figure (NaN) as an empty cell."""
    return None if isinstance(value, float) and pd.isna(value) else value


def kabupaten_xlsx(report: KabupatenReport) -> bytes:
    """Sheet *Per kecamatan* (with the kabupaten total) and *Per desa*; numbers as numbers."""
    workbook = openpyxl.Workbook(write_only=True)
    formats = {"count": "#,##0", "percent": "0.0%", "days": "0.0", "ikm": "0.00"}
    for title, table, firsts in (
        ("Per kecamatan", report.kecamatan, (("kecamatan", "Kecamatan"),)),
        ("Per desa", report.desas, (("kecamatan", "Kecamatan"), ("desa", "Desa"), ("profil", "Profil SOP"))),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(
            [xlsx_cell(sheet, f"Laporan bulanan {report.kabupaten} · {bulan_tahun(report.month)}", bold=True)]
        )
        if report.running:
            sheet.append([xlsx_cell(sheet, f"Bulan berjalan: angka per {tanggal_jam(report.cutoff)}")])
        extra = report.ikm_minimum is not None and "ikm" in table
        if extra:
            sheet.append(
                [
                    xlsx_cell(
                        sheet,
                        "IKM penanganan pengaduan (Permenpan RB 14/2017, unsur U9) dari penilaian atas pengaduan "
                        f"yang diterima pada periode ini; kosong = belum ada penilaian; minimal {report.ikm_minimum} "
                        "penilaian.",
                    )
                ]
            )
        sheet.append(
            [xlsx_cell(sheet, label, bold=True) for _k, label in firsts]
            + [xlsx_cell(sheet, label, bold=True) for key, label, _kind in report.columns if key in table]
            + ([xlsx_cell(sheet, "Mutu", bold=True), xlsx_cell(sheet, "Cukup", bold=True)] if extra else [])
        )
        for record in table.to_dict("records"):
            bold = record.get("kecamatan") == TOTAL_ROW
            sheet.append(
                [xlsx_cell(sheet, record[key], bold=bold) for key, _label in firsts]
                + [
                    xlsx_cell(sheet, _number(record[key]), bold=bold, number_format=formats[kind])
                    for key, _label, kind in report.columns
                    if key in table
                ]
                + (
                    [
                        xlsx_cell(sheet, record.get("mutu") or "", bold=bold),
                        xlsx_cell(sheet, "ya" if record.get("cukup") else "belum cukup", bold=bold),
                    ]
                    if extra
                    else []
                )
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
