"""Tanda terima pengaduan: the printable receipt handed to a complainant (A4, upper half).

It shows what was received (number, date, channel, category, a summary of the complaint) and how
to track it. Personal data is kept to what the complainant needs: the phone number appears only
as its last 4 digits (the lookup key), a ``Rahasia`` complaint shows no name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.fmt import tanggal, tanggal_jam
from dashboard.pdf_kit import FONT, new_document, pdf_bytes
from metrics.complaint_updates import clean_input, find_term, normalise_phone, tracking_text
from metrics.profiles import Profile
from services.documents.letterhead import letterhead_lines as shared_letterhead
from services.documents.letterhead import unit_display_name

SUMMARY_CHARS = 600


def _phone_tail(phone: object) -> str:
    normalised = normalise_phone(phone) or clean_input(phone)
    digits = "".join(c for c in normalised if c.isdigit())
    return f"****{digits[-4:]}" if len(digits) >= 4 else "–"


def _printable(text: str) -> str:
    """Characters the embedded font can draw (emoji and other symbols outside the BMP dropped)."""
    return "".join(c for c in text if ord(c) < 0x10000)


def letterhead_lines(profile: Profile, desa: str, kecamatan: str = "", kabupaten: str = "") -> list[str]:
    """The kop surat of the profile's unit (desa, kecamatan or dinas): see
    ``services.documents.letterhead`` (a dinas or kecamatan never prints the complaint's desa)."""
    return shared_letterhead(profile, clean_input(desa), kecamatan, kabupaten)


def receipt_pdf(
    complaint: Mapping[str, Any],
    profile: Profile,
    *,
    petugas: str,
    kecamatan: str = "",
    kabupaten: str = "",
    printed_at: dt.datetime | None = None,
    public_url: str = "",
) -> bytes:
    """The receipt of one complaint. ``complaint`` holds canonical keys as written in the sheet
    (``nomor, desa, tanggal_diterima`` as a datetime or text, ``saluran, kategori, urgensi,
    nama_pelapor, no_hp, rahasia, isi_pengaduan``)."""
    desa = clean_input(complaint.get("desa"))
    nomor = clean_input(complaint.get("nomor"))
    received = complaint.get("tanggal_diterima")
    if isinstance(received, str):
        received = pd.to_datetime(received, format="%d/%m/%Y %H:%M", errors="coerce")
    received_text = tanggal_jam(received) if received is not None and not pd.isna(received) else "–"

    def term_label(terms, key: str) -> str:
        term = find_term(terms, complaint.get(key))
        return term.label if term else (clean_input(complaint.get(key)) or "–")

    secret = (
        str(complaint.get("rahasia", "")).strip().lower() in ("ya", "true", "1")
        or complaint.get("rahasia") is True
    )
    name = "(dirahasiakan)" if secret else (clean_input(complaint.get("nama_pelapor")) or "–")
    summary = clean_input(complaint.get("isi_pengaduan"))
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"

    pdf = new_document(footer_text=f"Tanda terima pengaduan {nomor}")
    pdf.letterhead([_printable(line) for line in letterhead_lines(profile, desa, kecamatan, kabupaten)])
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, "TANDA TERIMA PENGADUAN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, f"Nomor: {_printable(nomor)}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    rows = [  # the Nomor is under the title, as on a letter
        ("Tanggal diterima", received_text),
        ("Saluran", term_label(profile.channels, "saluran")),
        ("Kategori", term_label(profile.categories, "kategori")),
        ("Nama pelapor", name),
        ("No. HP", _phone_tail(complaint.get("no_hp"))),
        ("Pokok pengaduan", summary or "–"),
    ]
    label_width = 42
    for label, value in rows:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(label_width, 6, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 6, ": " + _printable(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    has_phone = _phone_tail(complaint.get("no_hp")) != "–"
    pdf.multi_cell(0, 6, _printable(tracking_text(public_url, has_phone)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        0,
        5,
        "Simpan tanda terima ini. Pengaduan ditangani sesuai "
        + _printable(profile.name)
        + "; layanan pengaduan tidak dipungut biaya.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 7)
    pdf.multi_cell(0, 3.5, "Dasar: " + _printable(profile.source), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.ln(6)
    printed = printed_at or dt.datetime.now()
    place = (desa or profile.unit_name) if profile.unit == "desa" else unit_display_name(profile)
    x = pdf.w / 2 + 10
    pdf.set_x(x)
    pdf.cell(0, 6, _printable(f"{place}, {tanggal(printed)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.cell(0, 6, "Petugas Pengelola Pengaduan,", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 6, _printable(clean_input(petugas) or "(petugas)"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    return pdf_bytes(pdf)
