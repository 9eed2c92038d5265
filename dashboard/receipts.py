"""Tanda terima pengaduan: the receipt handed to a complainant — one receipt, the document
engine's ``tanda_terima`` (``services.documents``: the office's Word template or the bundled one,
DOCX and PDF), used after *Catat*, by the Dokumen section's reprint and by the public intake page.

``receipt_pdf`` keeps the signature other pages call; ``receipt_document`` gives both files.
Personal data as the engine's ``complainant`` audience allows (``metrics.privacy``): the name in
full (hidden for a ``Rahasia`` complaint), the phone only as its last 4 digits (the lookup key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from metrics.complaint_updates import clean_input
from metrics.profiles import Profile
from services.documents import Document, DocumentSettings, make_document
from services.documents.letterhead import letterhead_lines as shared_letterhead


def letterhead_lines(profile: Profile, desa: str, kecamatan: str = "", kabupaten: str = "") -> list[str]:
    """The kop surat of the profile's unit (desa, kecamatan or dinas): see
    ``services.documents.letterhead`` (a dinas or kecamatan never prints the complaint's desa)."""
    return shared_letterhead(profile, clean_input(desa), kecamatan, kabupaten)


def receipt_document(
    complaint: Mapping[str, Any],
    profile: Profile,
    *,
    petugas: str,
    kecamatan: str = "",
    kabupaten: str = "",
    printed_at: dt.datetime | None = None,
    public_url: str = "",
    settings: DocumentSettings | None = None,
) -> Document:
    """The receipt of one complaint as DOCX and PDF. ``complaint`` holds canonical keys as
    written in the sheet (``nomor, desa, tanggal_diterima`` as a datetime or text, ``saluran,
    kategori, urgensi, nama_pelapor, no_hp, rahasia, isi_pengaduan``) or a typed register row;
    ``settings``: the ``[dokumen]`` settings (kop address, logo, office templates)."""
    base = settings or DocumentSettings()
    if kecamatan or kabupaten:
        base = replace(base, kecamatan=kecamatan or base.kecamatan, kabupaten=kabupaten or base.kabupaten)
    printed = printed_at or dt.datetime.now()  # the app passes the office's clock
    return make_document(
        "tanda_terima",
        complaint,
        profile,
        base,
        today=printed.date(),
        petugas=petugas,
        handled=True,  # handed to the complainant: the audience decides what is masked
        public_url=public_url,
    )


def receipt_pdf(
    complaint: Mapping[str, Any],
    profile: Profile,
    *,
    petugas: str,
    kecamatan: str = "",
    kabupaten: str = "",
    printed_at: dt.datetime | None = None,
    public_url: str = "",
    settings: DocumentSettings | None = None,
) -> bytes:
    """The receipt's PDF (see ``receipt_document``)."""
    return receipt_document(
        complaint,
        profile,
        petugas=petugas,
        kecamatan=kecamatan,
        kabupaten=kabupaten,
        printed_at=printed_at,
        public_url=public_url,
        settings=settings,
    ).pdf
