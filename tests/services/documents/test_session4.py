"""Issue 15 leftovers: the answer letter names a missing outcome, outgoing letters leave their
number to the office's agenda, the formulir carries the whole identity for the handling petugas,
emoji are drawn in PDFs (never dropped)."""

from __future__ import annotations

import pytest

from metrics.profiles import load_profile
from services.documents import DocumentSettings, make_document, missing_for
from services.documents.context import BA_NOT_YET, DOTS, NUMBER_BY_OFFICE, OUTCOME_MISSING, Participant
from services.pdf_kit import PLACEHOLDER, printable, symbol_font_path
from tests.services.documents.conftest import TODAY, demo_complaint, demo_meeting
from tests.services.documents.test_render import docx_text, pdf_text

BABAKAN = load_profile("babakan")
KUKAR = load_profile("kutai_kartanegara")


def make(kind: str, profile, handled: bool = True, **changes):
    return make_document(
        kind,
        demo_complaint(profile, **changes),
        profile,
        DocumentSettings(),
        today=TODAY,
        petugas="Ani",
        handled=handled,
        meeting=demo_meeting(profile),
    )


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_answer_letter_names_a_missing_outcome_instead_of_a_dash() -> None:
    document = make("surat_jawaban", BABAKAN, jenis_penyelesaian=None)
    for text in (docx_text(document.docx), squeezed(pdf_text(document.pdf))):
        assert "Jenis penyelesaian" in text and "BELUM DITETAPKAN" in text
        assert "Jenis penyelesaian : –" not in text and "Jenis penyelesaian: –" not in text
    assert document.missing == ("Jenis penyelesaian",)


@pytest.mark.parametrize("written", ["tindakan_korektif", "Tindakan korektif", "korektif"])
def test_answer_letter_prints_the_outcome_however_the_register_spells_it(written: str) -> None:
    document = make("surat_jawaban", BABAKAN, jenis_penyelesaian=written)
    assert "Tindakan korektif" in docx_text(document.docx)
    assert OUTCOME_MISSING not in docx_text(document.docx) and document.missing == ()


def test_outgoing_letter_number_is_a_clear_blank_for_the_office() -> None:
    for kind in ("surat_jawaban", "surat_undangan"):
        text = docx_text(make(kind, KUKAR).docx)
        assert NUMBER_BY_OFFICE in text and DOTS not in text.split("Lampiran")[0]


def test_berita_acara_number_before_the_meeting_is_named_missing() -> None:
    document = make("berita_acara", KUKAR, no_berita_acara=None)
    assert BA_NOT_YET in docx_text(document.docx)
    assert document.missing == ("No. berita acara",)


def test_formulir_carries_the_whole_phone_for_the_handling_petugas_only() -> None:
    handled = make("formulir_pengaduan", KUKAR, handled=True)
    other = make("formulir_pengaduan", KUKAR, handled=False)
    assert handled.audience == "internal"
    assert "081234567890" in docx_text(handled.docx) and "081234567890" in pdf_text(handled.pdf)
    assert "081234567890" not in docx_text(other.docx) + pdf_text(other.pdf)
    assert "0812****7890" in docx_text(other.docx)


def test_receipt_and_answer_for_the_complainant_hide_a_secret_name() -> None:
    document = make("surat_jawaban", KUKAR, rahasia=True)
    text = docx_text(document.docx)
    assert "Siti Rahayu" not in text and "(dirahasiakan)" in text


def test_emoji_are_drawn_in_the_pdf_not_dropped() -> None:
    assert symbol_font_path() is not None, "fonts-symbola is installed by .ci/run"
    value = "Jalan rusak 😀🚧 warga 🙏🏽 ❤️"
    document = make("surat_jawaban", KUKAR, hasil_tindak_lanjut=value, nama_pelapor="Siti 😀")
    printed = squeezed(pdf_text(document.pdf))
    assert "Jalan rusak 😀🚧 warga" in printed
    assert "Siti 😀" in printed
    assert "❤" in printed


def test_a_character_no_font_has_becomes_a_visible_placeholder() -> None:
    # U+1FAE8 (shaking face, Unicode 15) is in neither DejaVu nor Symbola
    assert printable("a\U0001fae8b") == f"a{PLACEHOLDER}b"
    assert printable("baris\nbaru ✓") == "baris\nbaru ✓"


def test_missing_for_names_what_the_answer_letter_lacks_without_drawing_it() -> None:
    complaint = demo_complaint(BABAKAN, jenis_penyelesaian=None, hasil_tindak_lanjut=None)
    assert missing_for("surat_jawaban", complaint, BABAKAN, today=TODAY) == (
        "Jenis penyelesaian",
        "Hasil tindak lanjut",
    )
    assert missing_for("surat_jawaban", demo_complaint(BABAKAN), BABAKAN, today=TODAY) == ()


def test_a_hand_typed_participant_who_is_a_secret_complainant_is_masked_on_public_papers() -> None:
    participants = (Participant("", "Kepala Desa"), Participant("Siti Rahayu", "Pelapor"))
    meeting = demo_meeting(KUKAR, peserta=participants, ringkasan="Siti Rahayu menjelaskan lokasi.")
    for kind in ("surat_undangan", "surat_jawaban"):  # public, complainant
        document = make_document(
            kind,
            demo_complaint(KUKAR, rahasia=True),
            KUKAR,
            DocumentSettings(),
            today=TODAY,
            petugas="Ani",
            handled=True,
            meeting=meeting,
        )
        assert document.audience in ("public", "complainant")
        for text in (docx_text(document.docx), squeezed(pdf_text(document.pdf))):
            assert "Siti" not in text and "Rahayu" not in text, kind
    invitation = make_document(
        "surat_undangan",
        demo_complaint(KUKAR, rahasia=True),
        KUKAR,
        DocumentSettings(),
        today=TODAY,
        petugas="Ani",
        handled=True,
        meeting=meeting,
    )
    assert "(dirahasiakan) (Pelapor)" in docx_text(invitation.docx)
    # the office's own minutes keep the participant as typed for the handling petugas
    notulen = make_document(
        "notulen",
        demo_complaint(KUKAR, rahasia=True),
        KUKAR,
        DocumentSettings(),
        today=TODAY,
        petugas="Ani",
        handled=True,
        meeting=meeting,
    )
    assert "Siti Rahayu (Pelapor)" in docx_text(notulen.docx)
