"""Office templates: an own folder overrides a bundled kind; broken files and unknown fields are
refused with a clear message; typed values stay plain text (never template code)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from metrics.profiles import load_profile
from services.documents import DocumentSettings, TemplateProblem, make_document
from services.documents.context import FIELDS
from services.documents.layouts import LAYOUTS
from services.documents.render import BUNDLED_DIR, check_template, template_path
from tests.services.documents.conftest import TODAY, demo_complaint, demo_meeting
from tests.services.documents.test_render import docx_text, pdf_text

PROFILE = load_profile("kutai_kartanegara")


def office_template(folder: Path, kind: str, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.docx"
    document.save(path)
    return path


def make(kind: str, folder: Path | None = None, complaint=None, meeting=None, handled: bool = True):
    settings = DocumentSettings.from_secrets({"dokumen": {"templates": str(folder) if folder else ""}})
    return make_document(
        kind,
        complaint or demo_complaint(PROFILE),
        PROFILE,
        settings,
        today=TODAY,
        petugas="Ani",
        handled=handled,
        meeting=meeting or demo_meeting(PROFILE),
    )


def test_bundled_templates_exist_and_use_only_known_fields() -> None:
    for kind in LAYOUTS:
        path = template_path(kind)
        assert path == BUNDLED_DIR / f"{kind}.docx"
        used = check_template(path).get_undeclared_template_variables()
        assert used and used <= set(FIELDS), kind


def test_office_folder_overrides_one_kind(tmp_path: Path) -> None:
    office_template(
        tmp_path, "surat_jawaban", "SURAT KAMI SENDIRI {{ nomor_pengaduan }} untuk {{ nama_pelapor }}"
    )
    own = docx_text(make("surat_jawaban", tmp_path).docx)
    assert "SURAT KAMI SENDIRI DPMD/2026/05/0007 untuk Siti Rahayu" in own
    other = docx_text(make("berita_acara", tmp_path).docx)  # no own file: the bundled one
    assert "BERITA ACARA RAPAT PEMBAHASAN PENGADUAN" in other


def test_unknown_field_is_refused_by_name(tmp_path: Path) -> None:
    office_template(tmp_path, "surat_jawaban", "Yth. {{ nama_pelapor }} {{ gelar_pelapor }}")
    with pytest.raises(TemplateProblem) as info:
        make("surat_jawaban", tmp_path)
    assert "gelar_pelapor" in info.value.message and "surat_jawaban.docx" in info.value.message


def test_unknown_part_of_a_known_field_is_refused(tmp_path: Path) -> None:
    office_template(tmp_path, "surat_jawaban", "{{ kepala.gelar }}")
    with pytest.raises(TemplateProblem) as info:
        make("surat_jawaban", tmp_path)
    assert "gelar" in info.value.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not a word file", "rusak atau bukan dokumen Word"),
        (b"PK\x03\x04 truncated zip", "rusak atau bukan dokumen Word"),
    ],
)
def test_broken_office_template_gives_a_clear_message(tmp_path: Path, content: bytes, expected: str) -> None:
    tmp_path.joinpath("berita_acara.docx").write_bytes(content)
    with pytest.raises(TemplateProblem) as info:
        make("berita_acara", tmp_path)
    assert expected in info.value.message and "berita_acara.docx" in info.value.message


def test_broken_tags_give_a_clear_message(tmp_path: Path) -> None:
    office_template(tmp_path, "notulen", "Nomor {{ nomor_pengaduan ", "{% for x in %}")
    with pytest.raises(TemplateProblem) as info:
        make("notulen", tmp_path)
    assert "notulen.docx" in info.value.message and "rusak" in info.value.message


def test_missing_office_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateProblem) as info:
        make("notulen", tmp_path / "tidak_ada")
    assert "tidak_ada" in info.value.message


HOSTILE = [
    '=HYPERLINK("http://contoh.invalid","klik")',
    "{{ kop }} {{ 7*7 }}",
    "{% for x in rapat_peserta %}ULANG{% endfor %}",
    '<w:t>tag</w:t> & "kutip"',
    "😀🙏 warga",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("kind", ["berita_acara", "surat_jawaban", "formulir_pengaduan"])
def test_hostile_values_appear_as_plain_text(value: str, kind: str) -> None:
    complaint = demo_complaint(
        load_profile("umum"), nama_pelapor=value, isi_pengaduan=value, hasil_tindak_lanjut=value
    )
    meeting = demo_meeting(load_profile("umum"), ringkasan=value, keputusan=value, tempat=value)
    profile = load_profile("umum")
    document = make_document(
        kind,
        complaint,
        profile,
        DocumentSettings(),
        today=TODAY,
        petugas=value,
        handled=True,
        meeting=meeting,
    )
    text = docx_text(document.docx)
    printed = pdf_text(document.pdf)
    assert value in text
    # never run as template code: a loop in a value is not repeated, an expression not computed
    assert text.count("ULANG") == text.count(value) * value.count("ULANG")
    assert "{{ 7*7 }}" in text or "7*7" not in value
    drawable = "".join(c for c in value if ord(c) < 0x10000).strip()
    assert " ".join(drawable.split()) in printed  # the PDF font cannot draw emoji: they are left out


def test_ten_thousand_characters_fit() -> None:
    long = ("Jalan rusak di dusun. " * 500)[:10_000]
    profile = load_profile("umum")
    complaint = demo_complaint(profile, isi_pengaduan=long)
    document = make_document(
        "berita_acara",
        complaint,
        profile,
        DocumentSettings(),
        today=TODAY,
        petugas="Ani",
        handled=True,
        meeting=demo_meeting(profile),
    )
    assert long.strip() in docx_text(document.docx)
    assert pdf_text(document.pdf).count("Jalan rusak di dusun.") >= 450
