"""Perbarui follows the register when a field changed under the open form (the Rapat pembahasan
form set the outcome and the berita acara number): it no longer shows "Belum ditentukan" nor
saves an empty outcome back; what the petugas typed in a field that did not change is kept."""

from __future__ import annotations

import shutil

import pytest

from data_sources.local_file import LocalFileSource
from tests.pages.test_complaint_forms import button, open_in_perbarui, record_one, rows_of, widget


@pytest.fixture
def register_path(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    return path


def test_form_shows_outcome_and_minutes_number_set_elsewhere(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    assert at.selectbox(key=widget(nomor, "jenis")).value is None
    typed = "Jawaban yang sedang saya ketik."
    at.text_area(key=widget(nomor, "hasil")).input(typed).run()
    # the meeting form (same app, another form) writes the outcome and the berita acara number
    LocalFileSource(register_path).update_row(
        "Register",
        "Nomor",
        nomor,
        {"Jenis Penyelesaian": ("", "Tindakan korektif"), "No. Berita Acara": ("", "BA/SKM/001/2026")},
        [],
    )
    at.session_state["perbarui_snapshot"] = None  # what the meeting form does after saving
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key=widget(nomor, "jenis")).value == "tindakan_korektif"
    assert at.text_input(key=widget(nomor, "ba")).value == "BA/SKM/001/2026"
    assert at.text_area(key=widget(nomor, "hasil")).value == typed
    button(at, "Simpan perubahan").click().run()
    row = rows_of(register_path)[0][nomor]
    assert row["Jenis Penyelesaian"].value == "Tindakan korektif"
    assert row["No. Berita Acara"].value == "BA/SKM/001/2026"
    assert row["Hasil Tindak Lanjut"].value == typed
