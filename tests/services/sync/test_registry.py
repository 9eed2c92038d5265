"""The desa registry: TOML and CSV, every bad entry named, profiles discovered from a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession
from metrics.errors import PantauError
from metrics.profiles import PROFILES_DIR, find_profile, profile_ids
from services.sync.registry import load_registry, sharing_problems
from tests.fakes.sheets_api import FakeSheetsServer

TOML = """
kabupaten = "Kutai Kartanegara"

[[desa]]
kecamatan = "Tenggarong"
desa = "Bukit Biru"
spreadsheet = "https://docs.google.com/spreadsheets/d/1BukitBiru/edit#gid=0"
profile = "kutai_kartanegara"

[[desa]]
kecamatan = "Tenggarong"
desa = "Loa Ipuh"
spreadsheet = "1LoaIpuh"
profile = "umum"
worksheet = "Register 2025"
"""


def test_toml_registry(tmp_path: Path) -> None:
    path = tmp_path / "desa.toml"
    path.write_text(TOML, encoding="utf-8")
    registry = load_registry(path, profile_ids())
    assert registry.kabupaten == "Kutai Kartanegara"
    assert [(e.kecamatan, e.desa, e.spreadsheet_id, e.profile, e.worksheet) for e in registry.entries] == [
        ("Tenggarong", "Bukit Biru", "1BukitBiru", "kutai_kartanegara", ""),
        ("Tenggarong", "Loa Ipuh", "1LoaIpuh", "umum", "Register 2025"),
    ]
    assert registry.entries[0].desa_key == "tenggarong/bukit_biru"


def test_csv_registry_with_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "desa.csv"
    path.write_text("Kecamatan;Desa;Spreadsheet;Profile\nCipari;Mekarsari;1Mek;cipari\n", encoding="utf-8")
    entry = load_registry(path, profile_ids()).entries[0]
    assert (entry.kecamatan, entry.desa, entry.spreadsheet_id, entry.profile) == (
        "Cipari",
        "Mekarsari",
        "1Mek",
        "cipari",
    )


def test_every_bad_entry_is_named(tmp_path: Path) -> None:
    path = tmp_path / "desa.csv"
    path.write_text(
        "kecamatan,desa,spreadsheet,profile\n"
        "Cipari,Mekarsari,1Mek,cipari\n"
        "Cipari,Karangreja,1Kar,tidak_ada\n"
        "Cipari,MEKARSARI,1Lain,cipari\n"
        "Cipari,Serang,1Mek,umum\n"
        "Cipari,,1Kosong,umum\n",
        encoding="utf-8",
    )
    with pytest.raises(PantauError) as caught:
        load_registry(path, profile_ids())
    problems = caught.value.problems
    assert len(problems) == 4
    assert "desa.csv, baris 3" in problems[0] and "Karangreja" in problems[0] and "'tidak_ada'" in problems[0]
    assert "baris 4" in problems[1] and "sudah tercantum di desa.csv, baris 2" in problems[1]
    assert "baris 5" in problems[2] and "Serang" in problems[2] and "Mekarsari" in problems[2]
    assert "baris 6" in problems[3] and "desa belum diisi" in problems[3]


def test_two_desas_of_one_name_in_different_kecamatan_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "desa.csv"
    path.write_text(
        "kecamatan,desa,spreadsheet,profile\nCipari,Mekarsari,1Mek,cipari\nKedungreja,Mekarsari,1Mek2,umum\n",
        encoding="utf-8",
    )
    with pytest.raises(PantauError) as caught:
        load_registry(path, profile_ids())
    (problem,) = caught.value.problems
    assert "desa.csv, baris 3" in problem and "Kecamatan Cipari" in problem
    assert "'Mekarsari (Kedungreja)'" in problem


def test_a_profile_file_in_the_profiles_folder_needs_no_code(tmp_path: Path) -> None:
    folder = tmp_path / "profil"
    folder.mkdir()
    text = (PROFILES_DIR / "umum.toml").read_text(encoding="utf-8").replace('id = "umum"', 'id = "desa_baru"')
    (folder / "desa_baru.toml").write_text(text, encoding="utf-8")
    assert "desa_baru" in profile_ids([folder]) and "desa_baru" not in profile_ids()
    assert find_profile("desa_baru", [folder]).id == "desa_baru"
    path = tmp_path / "desa.toml"
    path.write_text(TOML.replace('profile = "umum"', 'profile = "desa_baru"'), encoding="utf-8")
    assert load_registry(path, profile_ids([folder])).entries[1].profile == "desa_baru"
    with pytest.raises(PantauError, match="desa_baru"):
        load_registry(path, profile_ids())


def test_spreadsheets_not_shared_are_named(tmp_path: Path) -> None:
    with FakeSheetsServer() as server:
        shared = server.add_spreadsheet("Bukit Biru", {"Register": [["Nomor"]]})
        hidden = server.add_spreadsheet("Loa Ipuh", {"Register": [["Nomor"]]}, shared=False)
        path = tmp_path / "desa.toml"
        path.write_text(TOML.replace("1BukitBiru", shared).replace("1LoaIpuh", hidden), encoding="utf-8")
        registry = load_registry(path, profile_ids())
        reader = GoogleReader(ApiBaseSession(server.base_url))
        problems = sharing_problems(
            registry, reader.visible_spreadsheets(), "sa@proyek.iam.gserviceaccount.com"
        )
        assert server.count("drive.files.list") == 1
    assert len(problems) == 1
    assert "Loa Ipuh" in problems[0] and hidden in problems[0] and "sa@proyek" in problems[0]


def test_names_that_are_not_one_line_of_text_are_refused_by_entry(tmp_path: Path) -> None:
    """A desa name reaches sheet names, page headings and PDF reports: a list, a NUL, a line break,
    a right-to-left override or an overlong name is refused naming the entry and field (a NUL made
    the kabupaten monthly report crash)."""
    path = tmp_path / "desa.toml"
    path.write_text(
        'kabupaten = "Kab"\n'
        '[[desa]]\nkecamatan = "K1"\ndesa = "Baris\\nBaru\\u0000Nul"\nspreadsheet = "1A"\nprofile = "umum"\n'
        '[[desa]]\nkecamatan = "K2\\u202eKIRI"\ndesa = "Jaya"\nspreadsheet = "1B"\nprofile = "umum"\n'
        '[[desa]]\nkecamatan = "K3"\ndesa = ["x"]\nspreadsheet = "1C"\nprofile = "umum"\n'
        f'[[desa]]\nkecamatan = "K4"\ndesa = "{"D" * 101}"\nspreadsheet = "1D"\nprofile = "umum"\n'
        '[[desa]]\nkecamatan = "K5"\ndesa = "Baik"\nspreadsheet = "1E"\nprofile = "umum"\n',
        encoding="utf-8",
    )
    with pytest.raises(PantauError) as caught:
        load_registry(path, profile_ids())
    problems = caught.value.problems
    assert len(problems) == 4
    assert "entri [[desa]] ke-1" in problems[0] and "desa berisi karakter kendali" in problems[0]
    assert "ke-2" in problems[1] and "kecamatan berisi karakter kendali" in problems[1]
    assert "ke-3" in problems[2] and "desa harus berupa teks" in problems[2]
    assert "ke-4" in problems[3] and "lebih dari 100 karakter" in problems[3]


def test_a_csv_registry_that_is_not_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "desa.csv"
    path.write_bytes(
        b"kecamatan,desa,spreadsheet,profile\nCipari,Mekarsari,1Mek,cipari\nCipari,Sukam\xe2ju,1S,umum\n"
    )
    with pytest.raises(PantauError) as caught:
        load_registry(path, profile_ids())
    assert "desa.csv: baris 3 bukan teks UTF-8" in caught.value.message
