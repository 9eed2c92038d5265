"""Perbarui's Dokumen section belongs to the complaint shown: leaving the page and coming back
(the Nomor box is empty again) must not leave the previous complaint's documents on screen, and
the heading names the Nomor whose documents they are (browser review)."""

from __future__ import annotations

import shutil

import pytest

from tests.pages.test_complaint_forms import PERBARUI, open_in_perbarui, record_one


@pytest.fixture
def register_path(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    return path


def _headings(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_documents_heading_names_the_complaint(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    assert any(h.startswith("Dokumen") and nomor in h for h in _headings(at)), _headings(at)
    assert at.get("download_button"), "the open complaint's documents are offered"


def test_documents_go_when_the_selection_is_gone(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    at.switch_page("app_pages/antrean_saya.py")
    at.run()
    assert not at.exception, at.exception
    at.switch_page(PERBARUI)
    at.run()
    assert not at.exception, at.exception
    assert not at.text_input(key="perbarui_nomor").value
    assert any("Ketik Nomor pengaduan" in c.value for c in at.caption)
    assert not [h for h in _headings(at) if h.startswith("Dokumen")], _headings(at)
    assert not at.get("download_button")


def test_documents_go_when_the_typed_nomor_is_not_found(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    at.text_input(key="perbarui_nomor").input("TIDAK/ADA/0000").run()
    assert not at.exception, at.exception
    assert at.warning, "the unknown Nomor is reported"
    assert not [h for h in _headings(at) if h.startswith("Dokumen")], _headings(at)
    assert not at.get("download_button")
