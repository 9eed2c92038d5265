"""The SOP's paperwork in the profiles: which documents, at which stage, for whom (issue 15)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from metrics.errors import PantauError
from metrics.profiles import AUDIENCES, DOCUMENT_KINDS, available_profiles, load_profile

BASE = """
id = "{id}"
name = "SOP uji"
unit = "desa"
unit_name = "Uji"
source = "uji"
nomor_format = "U/{{tahun}}/{{urut:04d}}"
{top}

[[stages]]
key = "diterima"
label = "Diterima"
column = "Tanggal Diterima"
milestone = "diterima"

[[stages]]
key = "rapat"
label = "Rapat"
column = "Tanggal Rapat"
milestone = "tindak_lanjut"

[[stages]]
key = "jawaban"
label = "Dijawab"
column = "Tanggal Jawaban"
milestone = "jawaban"

[[stages]]
key = "selesai"
label = "Selesai"
column = "Tanggal Selesai"
milestone = "selesai"
{documents}
"""


def _load(tmp_path: Path, profile_id: str, documents: str, top: str = "") -> object:
    text = BASE.format(id=profile_id, top=top, documents=textwrap.dedent(documents))
    (tmp_path / f"{profile_id}.toml").write_text(text, encoding="utf-8")
    return load_profile(profile_id, tmp_path)


def test_documents_resolve_stage_keys_and_milestones(tmp_path: Path) -> None:
    profile = _load(
        tmp_path,
        "baik",
        """
        [[documents]]
        kind = "berita_acara"
        stage = "tindak_lanjut"

        [[documents]]
        kind = "surat_jawaban"
        stage = "jawaban"
        audience = "complainant"
        label = "Surat Balasan"
        """,
        top='meeting_stage = "rapat"\nberita_acara_format = "BA/{urut:03d}/{tahun}"',
    )
    berita, jawaban = profile.documents
    assert (berita.kind, berita.stage, berita.audience) == ("berita_acara", "rapat", "internal")
    assert berita.label == DOCUMENT_KINDS["berita_acara"][0]
    assert (jawaban.stage, jawaban.label) == ("jawaban", "Surat Balasan")
    assert profile.meeting_stage == "rapat"
    assert [d.kind for d in profile.documents_until("rapat")] == ["berita_acara"]
    assert profile.document("surat_jawaban") is jawaban and profile.document("notulen") is None


@pytest.mark.parametrize(
    ("name", "documents", "top", "expected"),
    [
        (
            "jenis",
            '[[documents]]\nkind = "surat_sakti"\nstage = "rapat"',
            "",
            ["surat_sakti", "jenis dokumen"],
        ),
        ("tahap", '[[documents]]\nkind = "notulen"\nstage = "sidang"', "", ["notulen", "sidang", "tahap"]),
        ("pembaca", '[[documents]]\nkind = "notulen"\nstage = "rapat"\naudience = "semua"', "", ["semua"]),
        ("kunci", '[[documents]]\nkind = "notulen"\nstage = "rapat"\nwaktu = "1 jam"', "", ["waktu"]),
        (
            "ganda",
            '[[documents]]\nkind = "notulen"\nstage = "rapat"\n[[documents]]\nkind = "notulen"\nstage = "jawaban"',
            "",
            ["notulen", "dua kali"],
        ),
        (
            "rapat",
            "",
            'meeting_stage = "sidang"\nberita_acara_format = "B/{urut}"',
            ["meeting_stage", "sidang"],
        ),
        ("tanpa_format", "", 'meeting_stage = "rapat"', ["berita_acara_format"]),
        ("format", "", 'berita_acara_format = "B/{tahun}"', ["berita_acara_format", "urut"]),
    ],
)
def test_document_mistakes_are_named(
    tmp_path: Path, name: str, documents: str, top: str, expected: list[str]
) -> None:
    with pytest.raises(PantauError) as info:
        _load(tmp_path, name, documents, top)
    text = str(info.value)
    for fragment in expected:
        assert fragment in text, (fragment, text)


EXPECTED = {
    "kutai_kartanegara": {
        "formulir_pengaduan": "formulir_diisi",
        "surat_undangan": "undangan_rapat",
        "daftar_hadir": "rapat",
        "notulen": "rapat",
        "berita_acara": "berita_acara",
        "laporan_hasil_rapat": "laporan_rapat",
        "surat_jawaban": "informasi_pelapor",
    },
    "selemadeg_timur": {"lembar_disposisi": "dihimpun", "surat_jawaban": "ditandatangani_camat"},
    "babakan": {
        "tanda_terima": "diterima",
        "daftar_hadir": "pengkajian",
        "berita_acara": "output",
        "surat_jawaban": "diinformasikan",
    },
}


@pytest.mark.parametrize("profile_id", sorted(EXPECTED))
def test_seed_documents_follow_their_sop(profile_id: str) -> None:
    profile = load_profile(profile_id)
    assert {d.kind: d.stage for d in profile.documents} == EXPECTED[profile_id]


def test_every_bundled_profile_declares_documents() -> None:
    for profile_id in available_profiles():
        profile = load_profile(profile_id)
        assert profile.documents, profile_id
        assert all(d.audience in AUDIENCES for d in profile.documents)
        # laporan hasil rapat comes before the head's signature (Kutai Kartanegara step 12 < 15)
    kukar = load_profile("kutai_kartanegara")
    assert kukar.stage_index("laporan_rapat") < kukar.stage_index("disetujui_kepala_dinas")
    assert load_profile("jagabaya").meeting_stage is None
    assert load_profile("babakan").meeting_stage == "pengkajian"
