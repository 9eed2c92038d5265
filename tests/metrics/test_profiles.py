"""SOP profiles: the bundled TOML files are faithful to their SOPs, and broken files are explained."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from metrics.columns import TEMPLATE_HEADER
from metrics.durations import Duration
from metrics.errors import PantauError
from metrics.profiles import (
    MILESTONES,
    PROFILES_DIR,
    available_profiles,
    load_profile,
    parse_profile,
    register_header,
)

SEEDS = ["cipari", "babakan", "kutai_kartanegara", "jagabaya", "selemadeg_timur"]
# Discovered, not listed: adding a profile file adds it to every test below without a code change.
ALL_PROFILES = available_profiles()


def test_every_seed_profile_and_every_profile_file_is_available() -> None:
    assert {"umum", *SEEDS} <= set(ALL_PROFILES)
    assert sorted(p.stem for p in PROFILES_DIR.glob("*.toml")) == ALL_PROFILES


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_profile_loads_with_required_milestones(profile_id: str) -> None:
    profile = load_profile(profile_id)
    assert profile.id == profile_id
    assert profile.source and profile.name and profile.unit_name
    for milestone in ("diterima", "jawaban", "selesai"):
        assert profile.milestone_stage(milestone) is not None, milestone
    first = profile.stages[0]
    assert first.milestone == "diterima" and first.column == "Tanggal Diterima"
    assert all(s.milestone in (None, *MILESTONES) for s in profile.stages)
    # the header carries every stage column once, and nothing is lost
    header = register_header(profile)
    assert len(header) == len(set(header))
    assert {s.column for s in profile.stages} <= set(header)
    assert profile.deadlines, "every profile has (own or inherited) overall deadlines"
    for deadline in profile.deadlines:
        assert profile.stage_index(deadline.from_stage) < profile.stage_index(deadline.to_stage)
    assert profile.nomor_format.format(tahun=2024, bulan=3, urut=7, desa="Cibodas", kode_desa="CBD")
    assert hash(profile) == hash(load_profile(profile_id))


def test_umum_header_is_the_design_template() -> None:
    expected = [
        "Nomor",
        "Desa",
        "Tanggal Diterima",
        "Saluran",
        "Nama Pelapor",
        "Alamat",
        "No. HP",
        "Rahasia",
        "Isi Pengaduan",
        "Kategori",
        "Urgensi",
        "Tahap",
        "Disposisi Kepada",
        "Tanggal Verifikasi",
        "Tanggal Disposisi",
        "Tanggal Tindak Lanjut",
        "Tanggal Jawaban",
        "Tanggal Selesai",
        "Jenis Penyelesaian",
        "Hasil Tindak Lanjut",
        "No. Berita Acara",
        "Diperbarui Oleh",
        "Diperbarui Pada",
        "Mulai Menunggu Kelengkapan",
        "Berkas Lengkap Pada",
        "Status Catatan",
        "Keterangan Status",
    ]
    assert register_header(load_profile("umum")) == expected == list(TEMPLATE_HEADER)


def test_umum_standards_and_deadlines() -> None:
    profile = load_profile("umum")
    assert [s.key for s in profile.stages] == [
        "diterima",
        "verifikasi",
        "disposisi",
        "tindak_lanjut",
        "jawaban",
        "selesai",
    ]
    assert profile.stage("verifikasi").standard == Duration(3, "hari_kerja")
    assert profile.stage("tindak_lanjut").standard == Duration(5, "hari_kerja")
    deadlines = {d.key: (d.from_stage, d.to_stage, d.standard) for d in profile.deadlines}
    assert deadlines == {
        "jawaban": ("diterima", "jawaban", Duration(14, "hari")),
        "selesai": ("diterima", "selesai", Duration(60, "hari")),
    }
    assert profile.timezone == "Asia/Jakarta"
    assert profile.calendar.office_hours[4] == (dt.time(7, 30), dt.time(11, 30))
    assert 5 not in profile.calendar.office_hours and 6 not in profile.calendar.office_hours
    assert profile.calendar.at_risk_window == Duration(1, "hari_kerja")
    assert [t.key for t in profile.outcomes] == [
        "penyelesaian_administratif",
        "tindakan_korektif",
        "rekomendasi_kebijakan",
        "bukan_wewenang",
        "tunda",
    ]
    assert [t.key for t in profile.urgencies] == ["rendah", "sedang", "tinggi"]


def test_selemadeg_timur_has_the_ten_timed_steps_of_the_sop() -> None:
    profile = load_profile("selemadeg_timur")
    standards = [s.standard for s in profile.stages]
    assert len(profile.stages) == 10
    assert standards == [
        Duration(30, "menit"),
        *[Duration(1, "jam")] * 5,
        Duration(2, "hari_kerja"),
        Duration(1, "jam"),
        Duration(1, "hari_kerja"),
        Duration(30, "menit"),
    ]
    assert profile.timezone == "Asia/Makassar"
    assert (profile.unit, profile.unit_name, profile.kabupaten) == ("kecamatan", "Selemadeg Timur", "Tabanan")
    assert "065/2262/Org." in profile.source
    assert profile.milestone_stage("disposisi").actor == "Camat"
    assert profile.milestone_stage("selesai").column == "Tanggal Arsip"


def test_kutai_kartanegara_has_seventeen_steps_and_the_disposition_chain() -> None:
    profile = load_profile("kutai_kartanegara")
    assert len(profile.stages) == 17
    assert (profile.unit, profile.timezone) == ("dinas", "Asia/Makassar")
    assert "0001/DPM/1.1/11/2022" in profile.source
    actors = [s.actor for s in profile.stages]
    chain = [actors.index(a) for a in ("Kepala Dinas", "Sekretaris Dinas", "Kepala Bidang", "Sub Koor / PSM")]
    assert chain == sorted(chain)
    assert profile.milestone_stage("disposisi").actor == "Kepala Bidang"
    assert profile.stage_index("arsip") == 15
    assert profile.milestone_stage("jawaban").key == profile.stages[-1].key
    # no time standard in the SOP: umum's overall deadlines are inherited, mapped onto its own steps
    assert all(s.standard is None for s in profile.stages)
    assert {(d.from_stage, d.to_stage) for d in profile.deadlines} == {
        ("aduan_masuk", "informasi_pelapor"),
        ("aduan_masuk", "arsip"),
    }


@pytest.mark.parametrize(
    ("profile_id", "channels", "officials"),
    [
        (
            "cipari",
            ["tatap_muka", "kotak_pengaduan", "whatsapp", "email", "website"],
            ["Sekretaris Desa", "Kepala Urusan", "Kepala Seksi", "Kepala Dusun", "Staf Kepala Seksi"],
        ),
        (
            "babakan",
            ["tatap_muka", "kotak_saran", "nomor_layanan", "media_sosial", "website"],
            ["Kepala Desa", "Sekretaris Desa", "Perangkat desa terkait"],
        ),
        (
            "kutai_kartanegara",
            ["online", "tertulis"],
            ["Kepala Dinas", "Sekretaris Dinas", "Kepala Bidang", "Sub Koor / PSM"],
        ),
        (
            "jagabaya",
            ["tatap_muka", "whatsapp", "website", "email", "media_sosial", "kotak_saran"],
            list(load_profile("umum").officials),  # the SOP names no officials: inherited
        ),
        (
            "selemadeg_timur",
            ["email", "website", "sms", "telepon", "tatap_muka"],
            [
                "Camat",
                "Sekretaris Camat",
                "Kasubag Umum dan Kepegawaian",
                "Staf Subag Umum dan Kepegawaian",
                "Seksi terkait",
                "Subbagian terkait",
            ],
        ),
    ],
)
def test_seed_channels_and_officials_follow_the_document(
    profile_id: str, channels: list[str], officials: list[str]
) -> None:
    profile = load_profile(profile_id)
    assert [c.key for c in profile.channels] == channels
    assert list(profile.officials) == officials


@pytest.mark.parametrize(
    ("profile_id", "stage_keys", "verification"),
    [
        (
            "cipari",
            [
                "diterima",
                "dicatat_didistribusikan",
                "koordinasi_tindak_lanjut",
                "jawaban",
                "didokumentasikan",
            ],
            False,
        ),
        ("babakan", ["diterima", "verifikasi", "diteruskan", "pengkajian", "output", "diinformasikan"], True),
        (
            "jagabaya",
            ["pengajuan_penerimaan", "pencatatan", "distribusi", "tindak_lanjut", "penyampaian_jawaban"],
            False,
        ),
    ],
)
def test_seed_stage_order(profile_id: str, stage_keys: list[str], verification: bool) -> None:
    profile = load_profile(profile_id)
    assert [s.key for s in profile.stages] == stage_keys
    assert (profile.milestone_stage("verifikasi") is not None) is verification


def test_seed_specifics() -> None:
    cipari = load_profile("cipari")
    assert cipari.required_elements == ("nama_pelapor", "alamat", "no_hp", "isi_pengaduan")
    assert (cipari.kabupaten, cipari.unit) == ("Cilacap", "desa")
    assert "26 Juli 2023" in cipari.source
    assert cipari.categories == load_profile("umum").categories  # inherited
    babakan = load_profile("babakan")
    assert [o.key for o in babakan.outcomes] == [
        "penyelesaian_administratif",
        "tindakan_korektif",
        "rekomendasi_kebijakan",
    ]
    assert load_profile("jagabaya").kabupaten == "Ciamis"


def test_stage_helpers() -> None:
    profile = load_profile("umum")
    assert profile.stage_index("jawaban") == 4
    assert profile.stage("selesai").column_key == "tanggal_selesai"
    assert profile.milestone_stage("tidak_ada") is None
    with pytest.raises(KeyError, match="tidak_ada"):
        profile.stage("tidak_ada")


def test_load_profile_is_cached() -> None:
    assert load_profile("cipari") is load_profile("cipari")


def test_profiles_dir_is_the_repository_folder() -> None:
    assert Path(__file__).resolve().parents[2] / "profiles" == PROFILES_DIR


# ------------------------------------------------------------------------------------------------
# Broken profiles


VALID = """
id = "{id}"
name = "SOP uji"
unit = "desa"
unit_name = "Uji"
timezone = "Asia/Jakarta"
source = "uji"
nomor_format = "U/{{tahun}}/{{urut:04d}}"

[[stages]]
key = "diterima"
label = "Diterima"
column = "Tanggal Diterima"
milestone = "diterima"

[[stages]]
key = "jawaban"
label = "Dijawab"
column = "Tanggal Jawaban"
milestone = "jawaban"
standard = "14 hari"

[[stages]]
key = "selesai"
label = "Selesai"
column = "Tanggal Selesai"
milestone = "selesai"

[[deadlines]]
key = "selesai"
label = "Selesai"
from = "diterima"
to = "selesai"
standard = "60 hari"
"""


def _write(directory: Path, profile_id: str, text: str) -> None:
    (directory / f"{profile_id}.toml").write_text(textwrap.dedent(text), encoding="utf-8")


def _problems(directory: Path, profile_id: str) -> str:
    with pytest.raises(PantauError) as info:
        load_profile(profile_id, directory)
    return str(info.value)


def test_minimal_valid_profile_loads(tmp_path: Path) -> None:
    _write(tmp_path, "uji", VALID.format(id="uji"))
    profile = load_profile("uji", tmp_path)
    assert [s.key for s in profile.stages] == ["diterima", "jawaban", "selesai"]
    assert profile.calendar.office_hours[0] == (dt.time(7, 30), dt.time(16, 0))
    assert profile.channels == ()


@pytest.mark.parametrize(
    ("name", "replace", "expected"),
    [
        ("unknown_unit", ('standard = "14 hari"', 'standard = "14 minggu"'), ["minggu", "jawaban"]),
        (
            "duplicate_stage",
            ('key = "selesai"\nlabel = "Selesai"\ncolumn', 'key = "jawaban"\nlabel = "Selesai"\ncolumn'),
            ["ganda", "jawaban"],
        ),
        (
            "duplicate_column",
            ('column = "Tanggal Selesai"', 'column = "Tanggal  jawaban"'),
            ["Tanggal  jawaban", "kolom ganda", "jawaban"],
        ),
        ("missing_column", ('column = "Tanggal Jawaban"\n', ""), ["'column' wajib diisi", "jawaban"]),
        ("missing_label", ('label = "Dijawab"\n', ""), ["'label' wajib diisi", "jawaban"]),
        (
            "unknown_milestone",
            ('milestone = "jawaban"', 'milestone = "dijawab"'),
            ["dijawab", "milestone wajib 'jawaban'"],
        ),
        ("bad_deadline_ref", ('to = "selesai"', 'to = "arsip"'), ["arsip", "selesai"]),
        ("unknown_timezone", ('timezone = "Asia/Jakarta"', 'timezone = "Asia/Bandung"'), ["Asia/Bandung"]),
        ("unknown_unit_kind", ('unit = "desa"', 'unit = "kelurahan"'), ["kelurahan"]),
        ("bad_nomor_format", ("{{urut:04d}}", "{{nomor}}"), ["nomor_format", "nomor"]),
    ],
)
def test_broken_profile_names_the_mistake(
    tmp_path: Path, name: str, replace: tuple[str, str], expected: list[str]
) -> None:
    text = VALID.format(id=name)
    old, new = replace
    old = old.replace("{{", "{").replace("}}", "}")
    new = new.replace("{{", "{").replace("}}", "}")
    assert old in text
    _write(tmp_path, name, text.replace(old, new, 1))
    message = _problems(tmp_path, name)
    assert f"Profil SOP '{name}' tidak valid" in message
    assert str(tmp_path / f"{name}.toml") in message
    for fragment in expected:
        assert fragment in message


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "rusak",
        """
        id = "rusak"
        name = "SOP rusak"
        unit = "desa"
        unit_name = "Rusak"
        timezone = "Mars/Olympus"
        source = "uji"
        nomor_format = "R/{urut}"

        [calendar]
        office_hours = { senin = "08:00-sore", caturwara = "08:00-12:00" }
        at_risk_window = "2 pekan"

        [[stages]]
        key = "diterima"
        label = "Diterima"
        column = "Tanggal Diterima"
        milestone = "diterima"
        aliases = ["masuk"]

        [[stages]]
        key = "diterima"
        label = "Diterima lagi"
        column = "Tanggal Diterima"
        standard = "3 windu"
        aliases = ["masuk"]

        [[stages]]
        key = "tutup"
        milestone = "beres"
        aliases = ["Masuk!"]

        [[deadlines]]
        key = "jawab"
        label = "Jawab"
        from = "diterima"
        to = "dijawab"
        standard = "14 hari"

        [[channels]]
        key = "wa"
        label = "WhatsApp"
        aliases = ["hp"]

        [[channels]]
        key = "telepon"
        label = "Telepon"
        aliases = ["HP"]
        """,
    )
    with pytest.raises(PantauError) as info:
        load_profile("rusak", tmp_path)
    problems = "\n".join(info.value.problems)
    for fragment in [
        "Mars/Olympus",
        "08:00-sore",
        "caturwara",
        "pekan",
        "key tahap ganda 'diterima'",
        "kolom 'Tanggal Diterima' sudah dipakai",
        "windu",
        "tahap 'tutup': 'label' wajib diisi",
        "tahap 'tutup': 'column' wajib diisi",
        "milestone 'beres' tidak dikenal",
        "milestone wajib 'jawaban'",
        "milestone wajib 'selesai'",
        "'dijawab'",
        "alias 'HP'",
        "stages: alias 'Masuk!' dipakai oleh 'diterima' dan 'tutup'",
    ]:
        assert fragment in problems, fragment
    assert len(info.value.problems) >= 15


def test_unknown_profile_id_lists_available_ones(tmp_path: Path) -> None:
    _write(tmp_path, "alpha", VALID.format(id="alpha"))
    _write(tmp_path, "beta", VALID.format(id="beta"))
    with pytest.raises(PantauError) as info:
        load_profile("gamma", tmp_path)
    message = str(info.value)
    assert "'gamma'" in message and "alpha, beta" in message
    with pytest.raises(PantauError, match="cipari"):
        load_profile("../umum")


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    _write(tmp_path, "salah", 'id = "salah"\nname = "x"\nunit = desa\n')
    message = _problems(tmp_path, "salah")
    assert "salah.toml" in message and "line 3" in message


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "a", 'id = "a"\nextends = "b"\n')
    _write(tmp_path, "b", 'id = "b"\nextends = "a"\n')
    message = _problems(tmp_path, "a")
    assert "a -> b -> a" in message and "lingkaran" in message


def test_extends_unknown_parent_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "anak", 'id = "anak"\nextends = "induk"\n')
    message = _problems(tmp_path, "anak")
    assert "'induk'" in message


def test_extends_inherits_and_merges_calendar(tmp_path: Path) -> None:
    _write(tmp_path, "induk", VALID.format(id="induk") + '\n[calendar]\nat_risk_window = "2 jam"\n')
    _write(
        tmp_path,
        "anak",
        """
        id = "anak"
        extends = "induk"
        unit_name = "Anak"
        timezone = "Asia/Makassar"

        [calendar]
        office_hours = { senin = "08:00-15:00", sabtu = "08:00-12:00" }
        extra_holidays = ["2026-08-18", 2026-09-01]
        """,
    )
    profile = load_profile("anak", tmp_path)
    assert (profile.id, profile.unit_name, profile.name) == ("anak", "Anak", "SOP uji")
    assert profile.calendar.at_risk_window == Duration(2, "jam")
    assert profile.calendar.office_hours == {0: (dt.time(8), dt.time(15)), 5: (dt.time(8), dt.time(12))}
    assert profile.calendar.extra_holidays == (dt.date(2026, 8, 18), dt.date(2026, 9, 1))


def test_id_must_match_file_name(tmp_path: Path) -> None:
    _write(tmp_path, "satu", VALID.format(id="dua"))
    assert "'dua'" in _problems(tmp_path, "satu")


def test_parse_profile_reports_without_file() -> None:
    with pytest.raises(PantauError) as info:
        parse_profile({"id": "x"}, "x")
    assert str(info.value).startswith("Profil SOP 'x' tidak valid:")
    assert any("'name' wajib diisi" in p for p in info.value.problems)
    assert any("minimal satu [[stages]]" in p for p in info.value.problems)
