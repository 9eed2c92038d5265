"""Answer templates filled for one complaint (issue 16.4): the profile's canned answers
(``[[answer_templates]]``, ``metrics.answer_templates``) with the complaint's Nomor, dates,
official and outcome put in. The petugas edits the text in Perbarui; what is saved as *Hasil
tindak lanjut* is what the WhatsApp message and the surat jawaban carry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from metrics.answer_templates import VALUE_NOTES, AnswerTemplate, fill
from metrics.complaint_updates import clean_input, find_term
from metrics.profiles import Profile
from services.documents.context import tanggal
from services.documents.letterhead import head_title, unit_display_name

__all__ = ["answer_values", "fill_answer"]


def _text(value: object) -> str:
    if value is None or value is False:
        return ""
    try:
        if value != value:  # NaN / NA
            return ""
    except (TypeError, ValueError):
        return ""
    return clean_input(value)


def answer_values(
    complaint: Mapping[str, Any],
    profile: Profile,
    *,
    today: dt.date,
    petugas: str = "",
    disposisi_kepada: str = "",
    jenis_penyelesaian: str = "",
) -> dict[str, str]:
    """The placeholder values for ``complaint`` (a typed register row). ``disposisi_kepada`` and
    ``jenis_penyelesaian`` override the row's (what the petugas just chose in the form). A value
    the record lacks is a bracketed note for the petugas to replace, never an empty gap."""
    desa = _text(complaint.get("desa"))
    outcome = find_term(profile.outcomes, jenis_penyelesaian or complaint.get("jenis_penyelesaian"))
    category = find_term(profile.categories, complaint.get("kategori"))
    channel = find_term(profile.channels, complaint.get("saluran"))
    received = tanggal(complaint.get("tanggal_diterima"))
    official = _text(disposisi_kepada) or _text(complaint.get("disposisi_kepada"))
    return {
        "nomor": _text(complaint.get("nomor")) or VALUE_NOTES["nomor"],
        "tanggal_diterima": received if received != "–" else VALUE_NOTES["tanggal_diterima"],
        "tanggal": tanggal(today),
        "desa": desa or VALUE_NOTES["desa"],
        "unit": unit_display_name(profile, desa),
        "kategori": (category.label if category else _text(complaint.get("kategori"))).lower()
        or VALUE_NOTES["kategori"],
        "saluran": channel.label if channel else (_text(complaint.get("saluran")) or VALUE_NOTES["saluran"]),
        "pejabat": official or VALUE_NOTES["pejabat"],
        "kepala": head_title(profile, desa),
        "jenis_penyelesaian": (outcome.label.lower() if outcome else VALUE_NOTES["jenis_penyelesaian"]),
        "uraian_penyelesaian": outcome.description
        if outcome and outcome.description
        else VALUE_NOTES["uraian_penyelesaian"],
        "petugas": _text(petugas) or VALUE_NOTES["petugas"],
    }


def fill_answer(
    template: AnswerTemplate,
    complaint: Mapping[str, Any],
    profile: Profile,
    *,
    today: dt.date,
    petugas: str = "",
    disposisi_kepada: str = "",
    jenis_penyelesaian: str = "",
) -> str:
    """``template``'s text filled for ``complaint`` (one pass: values are never read as syntax)."""
    values = answer_values(
        complaint,
        profile,
        today=today,
        petugas=petugas,
        disposisi_kepada=disposisi_kepada,
        jenis_penyelesaian=jenis_penyelesaian,
    )
    return fill(template.text, values)
