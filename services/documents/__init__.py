"""The SOP's paperwork from a complaint's record (issue 15): formulir, tanda terima, lembar
disposisi, surat undangan, daftar hadir, notulen, berita acara, laporan hasil rapat, surat
jawaban — each as an editable Word document (docxtpl) and a printable PDF (fpdf2).

Which documents a complaint needs comes from its profile (``[[documents]]``: kind, stage,
audience); what they say from the register row, the profile (unit, officials, SOP source) and
the ``[dokumen]`` settings. The review meeting is recorded by ``services.documents.meeting``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from metrics.complaint_updates import current_stage
from metrics.errors import PantauError
from metrics.profiles import DOCUMENT_KINDS, DocumentSpec, Profile
from services.documents.context import (
    DocumentSettings,
    Meeting,
    build_context,
    meeting_from_row,
    missing_fields,
)
from services.documents.pdf import render_pdf
from services.documents.render import TemplateProblem, render_docx
from services.documents_config import SETTINGS

__all__ = [
    "SETTINGS",
    "Document",
    "DocumentSettings",
    "TemplateProblem",
    "due_documents",
    "make_document",
    "missing_for",
    "spec_for",
]


@dataclass(frozen=True)
class Document:
    kind: str
    label: str
    audience: str
    docx: bytes
    pdf: bytes
    file_stem: str  # "berita_acara_DPMD-2026-05-0001"
    missing: tuple[str, ...] = ()  # what the SOP requires on it that the record lacks (named)


def spec_for(profile: Profile, kind: str) -> DocumentSpec:
    """The profile's declaration of ``kind``; a kind it does not declare is still printable (e.g.
    a surat jawaban under an SOP that does not name one) at the answer stage, internal audience
    unless the kind's default says otherwise."""
    if kind not in DOCUMENT_KINDS:
        raise PantauError(
            f"Jenis dokumen '{kind}' tidak dikenal. Pilihan: {', '.join(DOCUMENT_KINDS)}, semua."
        )
    declared = profile.document(kind)
    if declared is not None:
        return declared
    label, audience = DOCUMENT_KINDS[kind]
    answer = profile.milestone_stage("jawaban")
    return DocumentSpec(kind, answer.key if answer else profile.stages[-1].key, audience, label)


def due_documents(complaint: Mapping[str, Any], profile: Profile) -> list[DocumentSpec]:
    """The documents the complaint's SOP expects by its current stage (SOP order)."""
    return list(profile.documents_until(current_stage(complaint, profile).key))


def file_stem(kind: str, nomor: object) -> str:
    safe = re.sub(r"[^0-9A-Za-z_-]+", "-", str(nomor or "")).strip("-")
    return f"{kind}_{safe}" if safe else kind


def make_document(
    kind: str,
    complaint: Mapping[str, Any],
    profile: Profile,
    settings: DocumentSettings,
    *,
    today: dt.date,
    petugas: str,
    handled: bool,
    raw: Mapping[str, str] | None = None,
    meeting: Meeting | None = None,
    public_url: str = "",
) -> Document:
    """One filled document of one complaint as DOCX and PDF.

    ``complaint``: the typed register row (``metrics.register``); ``raw``: the row's cells by
    header (the meeting's own columns are read from it unless ``meeting`` is given); ``handled``:
    whether the person printing may see the complainant's identity in full."""
    spec = spec_for(profile, kind)
    if meeting is None:
        meeting = meeting_from_row(complaint, raw or {}, profile)
    context = build_context(
        spec,
        complaint,
        profile,
        settings,
        today=today,
        petugas=petugas,
        handled=handled,
        meeting=meeting,
        public_url=public_url,
    )
    docx = render_docx(kind, context, settings.templates or None, settings.logo)
    pdf = render_pdf(kind, context, settings.logo)
    return Document(
        kind,
        spec.label,
        spec.audience,
        docx,
        pdf,
        file_stem(kind, complaint.get("nomor")),
        tuple(missing_fields(kind, context)),
    )


def missing_for(
    kind: str,
    complaint: Mapping[str, Any],
    profile: Profile,
    *,
    today: dt.date,
    raw: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """What the SOP requires on document ``kind`` that the complaint's record lacks (named; no
    file is drawn)."""
    spec = spec_for(profile, kind)
    meeting = meeting_from_row(complaint, raw or {}, profile)
    context = build_context(
        spec, complaint, profile, DocumentSettings(), today=today, petugas="", handled=False, meeting=meeting
    )
    return tuple(missing_fields(kind, context))
