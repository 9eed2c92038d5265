"""Google Form responses merged when a petugas loads a page, and the pending list on Kualitas
Data (AppTest on a copy of the demo register with a ``Respons Formulir 1`` sheet)."""

from __future__ import annotations

import shutil

import pytest

from dashboard.access import Viewer
from data_sources.local_file import LocalFileSource
from metrics.profiles import load_profile
from metrics.register import normalise_register
from tests.app_helpers import run_page
from tests.services.test_intake import add_responses, answer

KUALITAS = "app_pages/kualitas_data.py"
PETUGAS = Viewer("Petugas Cibodas", "petugas", ("Cibodas",))
KADES = Viewer("Kades Cibodas", "kepala_desa", ("Cibodas",))


@pytest.fixture
def register_path(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    add_responses(
        path,
        [
            answer(28, isi="Lampu jalan di gang Mawar mati sejak minggu lalu"),
            answer(28, **{"Nama Pelapor": ""}, isi="Jalan ke sawah tergenang air setiap hujan"),
            answer(28, desa="Sukamaju", **{"Nomor HP": ""}, isi="Pasar desa kotor tidak pernah dibersihkan"),
        ],
    )
    register_env(path)
    return path


def texts(path):
    complaints = normalise_register(LocalFileSource(path).read(), load_profile("umum")).complaints
    return list(complaints["isi_pengaduan"].astype(str))


def test_a_petugas_page_load_merges_new_responses_and_lists_the_incomplete(register_path):
    assert not any("gang Mawar" in t for t in texts(register_path))
    at = run_page(KUALITAS, session={"viewer": PETUGAS})
    assert not at.exception, at.exception
    assert sum("gang Mawar" in t for t in texts(register_path)) == 1
    shown = [t.value for t in at.text]
    assert any("Baris 3" in t and "Pertanyaan 'Nama Pelapor' belum dijawab" in t for t in shown)
    assert not any("Baris 4" in t for t in shown), "another desa's pending response is not listed"
    run_page(KUALITAS, session={"viewer": PETUGAS})  # another load: nothing merged twice
    assert sum("gang Mawar" in t for t in texts(register_path)) == 1


def test_a_read_only_role_does_not_merge(register_path):
    at = run_page(KUALITAS, session={"viewer": KADES})
    assert not at.exception, at.exception
    assert not any("gang Mawar" in t for t in texts(register_path))
