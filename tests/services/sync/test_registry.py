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
