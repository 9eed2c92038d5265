"""What a document may say about the complainant, by audience and by who prints it."""

from __future__ import annotations

import io

import pandas as pd
import pypdf
import pytest

from metrics.privacy import HIDDEN
from metrics.profiles import available_profiles, load_profile
from services.documents import DocumentSettings, due_documents, make_document
from services.documents.context import (
    DOTS,
    Participant,
    identity,
    meeting_from_row,
    parse_participants,
    participants_text,
)
from tests.services.documents.conftest import REPORTER, TODAY, demo_complaint, demo_meeting
from tests.services.documents.test_render import docx_text, pdf_text

COMPLAINT = {"nama_pelapor": "Siti Rahayu", "alamat": "RT 02", "no_hp": "081234567890", "rahasia": False}


@pytest.mark.parametrize(
    ("audience", "handled", "rahasia", "expected"),
    [
        ("complainant", True, False, ("Siti Rahayu", "RT 02", "****7890")),
        ("internal", True, False, ("Siti Rahayu", "RT 02", "081234567890")),
        ("internal", False, False, ("S. R.", "****", "0812****7890")),
        ("public", True, False, ("S. R.", "****", "0812****7890")),
        ("public", True, True, (HIDDEN, HIDDEN, HIDDEN)),
        ("internal", False, True, (HIDDEN, HIDDEN, HIDDEN)),
        ("internal", True, True, ("Siti Rahayu", "RT 02", "081234567890")),
    ],
)
def test_identity_by_audience_and_role(audience: str, handled: bool, rahasia: bool, expected: tuple) -> None:
    shown = identity({**COMPLAINT, "rahasia": rahasia}, audience, handled)
    assert (shown["nama_pelapor"], shown["alamat"], shown["no_hp"]) == expected


def test_internal_document_masks_the_reporter_for_a_role_that_does_not_handle_it() -> None:
    profile = load_profile("selemadeg_timur")
    complaint = demo_complaint(profile)
    seen = make_document(
        "lembar_disposisi", complaint, profile, DocumentSettings(), today=TODAY, petugas="Ani", handled=False
    )
    assert REPORTER not in docx_text(seen.docx) and REPORTER not in pdf_text(seen.pdf)
    assert "S. R." in docx_text(seen.docx)
    full = make_document(
        "lembar_disposisi", complaint, profile, DocumentSettings(), today=TODAY, petugas="Ani", handled=True
    )
    assert REPORTER in docx_text(full.docx)


def test_participants_round_trip_through_the_register_cell() -> None:
    profile = load_profile("kutai_kartanegara")
    people = (
        Participant("", "Kepala Dinas"),
        Participant("Budi; Santoso", "Ketua RT 02"),
        Participant("Wati"),
    )
    text = participants_text(people)
    assert text == "Kepala Dinas; Budi, Santoso (Ketua RT 02); Wati"
    assert parse_participants(text, profile) == (
        Participant("", "Kepala Dinas"),
        Participant("Budi, Santoso", "Ketua RT 02"),
        Participant("Wati"),
    )


def test_meeting_read_back_from_the_row() -> None:
    profile = load_profile("kutai_kartanegara")
    raw = {
        "Waktu Rapat": "06/05/2026 10:00",
        "Tempat Rapat": "Aula",
        "Peserta Rapat": "Kepala Dinas; Budi (Ketua RT)",
        "Ringkasan Rapat": "Dibahas",
        "Keputusan Rapat": "Diperbaiki",
    }
    meeting = meeting_from_row({}, raw, profile)
    assert meeting is not None and meeting.waktu.day == 6 and meeting.tempat == "Aula"
    assert meeting.peserta[1] == Participant("Budi", "Ketua RT")
    assert meeting_from_row({}, {}, profile) is None


def test_documents_due_follow_the_stage() -> None:
    profile = load_profile("kutai_kartanegara")
    at_start = demo_complaint(profile)
    for stage in profile.stages[1:]:
        at_start[stage.column_key] = None
    at_start["tahap"] = profile.stages[0].label
    assert due_documents(at_start, profile) == []
    at_meeting = {**at_start, "tahap": profile.stage("rapat").label}
    assert [d.kind for d in due_documents(at_meeting, profile)] == [
        "formulir_pengaduan",
        "surat_undangan",
        "daftar_hadir",
        "notulen",
    ]
    done = demo_complaint(profile)
    assert len(due_documents(done, profile)) == len(profile.documents)
    assert demo_meeting(profile).peserta


@pytest.mark.parametrize(
    "line",
    ['=HYPERLINK("http://x","y")', "Budi(Ketua RT 02)", "Budi (Ketua RT 02) hadir", "Ani (x) (y"],
)
def test_a_line_not_shaped_like_name_and_title_is_the_name_as_typed(line):
    """The form promises ``Nama (Jabatan)``: anything else stays whole, nothing dropped."""
    profile = load_profile("umum")
    assert parse_participants(line, profile) == (Participant(line),)
    assert participants_text(parse_participants(line, profile)) == line


def test_name_and_title_still_split_with_a_space_before_the_parenthesis():
    profile = load_profile("umum")
    assert parse_participants("Budi Santoso (Ketua RT 02)", profile) == (
        Participant("Budi Santoso", "Ketua RT 02"),
    )


WITH_ANSWER_LETTER = [
    p for p in available_profiles() if "surat_jawaban" in [d.kind for d in load_profile(p).documents]
]


@pytest.mark.parametrize("profile_id", WITH_ANSWER_LETTER)
def test_answer_letter_names_the_channel_in_a_natural_sentence(profile_id):
    """Channel labels are nouns ("WhatsApp") or verb phrases ("Datang langsung ke kantor desa"):
    the letter quotes the label after "melalui saluran" so both read as a sentence."""
    profile = load_profile(profile_id)
    label = profile.channels[0].label
    complaint = demo_complaint(profile, saluran=label)
    letter = make_document(
        "surat_jawaban", complaint, profile, DocumentSettings(), today=TODAY, petugas="Ani", handled=True
    )
    sentence = f"melalui saluran “{label}” dengan Nomor"
    assert sentence in docx_text(letter.docx)
    assert sentence in pdf_text(letter.pdf)


def test_berita_acara_without_a_recorded_meeting_invents_no_day_or_time() -> None:
    """The meeting stage's date column says when the step was marked (the Perbarui page stamps the
    moment of the update), not when a meeting sat: with no Waktu Rapat the berita acara leaves the
    day, date and time as blanks to fill by hand (a tester got the download moment, 20.36)."""
    profile = load_profile("kutai_kartanegara")
    marked = pd.Timestamp("2026-11-30 20:36")
    complaint = demo_complaint(profile, **{profile.stage(profile.meeting_stage).column_key: marked})
    assert meeting_from_row(complaint, {}, profile) is None
    document = make_document(
        "berita_acara",
        complaint,
        profile,
        DocumentSettings(),
        today=TODAY,
        petugas="Ani",
        handled=True,
        raw={},
    )
    for text in (pdf_text(document.pdf), docx_text(document.docx)):
        assert "20.36" not in text and "30 November 2026" not in text and "Senin" not in text
        assert f"Pada hari ini {DOTS} pukul {DOTS}" in " ".join(text.split())


def test_each_diteruskan_kepada_box_stays_on_the_line_of_its_label() -> None:
    """A tester saw "... ☐" end one line and "Kaur Perencanaan ..." start the next."""
    profile = load_profile("umum")
    assert len(profile.officials) > 5  # enough choices to wrap the row
    document = make_document(
        "lembar_disposisi",
        demo_complaint(profile),
        profile,
        DocumentSettings(),
        today=TODAY,
        petugas="Ani",
        handled=True,
    )
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(document.pdf)).pages)
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
    assert not [line for line in lines if line.endswith(("☐", "☒"))], lines
    for official in profile.officials:
        assert any(f"☐ {official}" in line or f"☒ {official}" in line for line in lines), (official, lines)
    assert "\u00a0".join(["☐", "Kaur", "Perencanaan"]) in docx_text(document.docx)
