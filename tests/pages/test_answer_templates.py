"""Perbarui: a petugas picks an answer template (issue 16.4); the filled text lands in the answer
field, is edited, saved, and carried by the WhatsApp message and the surat jawaban."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from metrics.profiles import load_profile
from services.documents import DocumentSettings, make_document
from tests.pages.test_complaint_forms import (
    PETUGAS,
    button,
    open_in_perbarui,
    record_one,
    rows_of,
    widget,
)
from tests.services.documents.test_render import docx_text

UMUM = load_profile("umum")


@pytest.fixture
def register_path(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    return path


def test_petugas_picks_a_template_edits_it_and_the_answer_carries_it(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    picker = at.selectbox(key=widget(nomor, "templat"))
    # the complaint is about infrastructure: its templates and the general ones, nothing else
    assert "Perbaikan sarana telah dikerjakan" in picker.options
    assert "Bukan wewenang: diteruskan ke instansi berwenang" in picker.options
    assert "Bantuan sosial: hasil verifikasi data" not in picker.options
    at.selectbox(key=widget(nomor, "jenis")).set_value("tindakan_korektif").run()
    at.selectbox(key=widget(nomor, "disposisi")).set_value("Kasi Pemerintahan").run()
    at.selectbox(key=widget(nomor, "templat")).set_value("selesai_ditindaklanjuti").run()
    assert not at.exception, at.exception
    filled = at.text_area(key=widget(nomor, "hasil")).value
    assert f"Nomor {nomor} yang kami terima pada" in filled
    assert "ditindaklanjuti oleh Kasi Pemerintahan" in filled  # chosen in the form, not yet saved
    assert "Jenis penyelesaian: tindakan korektif." in filled
    assert "{" not in filled
    edited = filled.replace("[uraikan tindakan yang dilakukan]", "jalan ditambal 40 meter")
    at.text_area(key=widget(nomor, "hasil")).input(edited)
    at.selectbox(key=widget(nomor, "tahap")).set_value("jawaban")
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    assert any(f"Pengaduan {nomor} diperbarui" in s.value for s in at.success), [e.value for e in at.error]

    row = rows_of(register_path)[0][nomor]
    assert row["Hasil Tindak Lanjut"].value == edited
    message = " ".join(c.value for c in at.code)  # the WhatsApp message
    assert "jalan ditambal 40 meter" in message
    complaint = {
        "nomor": nomor,
        "desa": "Sukamaju",
        "tanggal_diterima": row["Tanggal Diterima"].value,
        "hasil_tindak_lanjut": row["Hasil Tindak Lanjut"].value,
        "jenis_penyelesaian": row["Jenis Penyelesaian"].value,
    }
    letter = make_document(
        "surat_jawaban",
        complaint,
        UMUM,
        DocumentSettings(),
        today=dt.date(2026, 5, 12),
        petugas=PETUGAS.name,
        handled=True,
    )
    assert "jalan ditambal 40 meter" in docx_text(letter.docx)


def test_a_template_picked_before_the_outcome_follows_the_later_choice(register_path):
    """Template first, Jenis penyelesaian after: the text follows the choice (it kept
    "[jenis penyelesaian belum ditetapkan]" and the petugas had to pick the template again)."""
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    at.selectbox(key=widget(nomor, "templat")).set_value("selesai_ditindaklanjuti").run()
    assert "[jenis penyelesaian belum ditetapkan]" in at.text_area(key=widget(nomor, "hasil")).value
    at.selectbox(key=widget(nomor, "jenis")).set_value("tindakan_korektif").run()
    at.selectbox(key=widget(nomor, "disposisi")).set_value("Kasi Pemerintahan").run()
    assert not at.exception, at.exception
    filled = at.text_area(key=widget(nomor, "hasil")).value
    assert "Jenis penyelesaian: tindakan korektif." in filled
    assert "ditindaklanjuti oleh Kasi Pemerintahan" in filled
    assert "[jenis penyelesaian belum ditetapkan]" not in filled
    assert not at.warning


def test_a_hand_edited_answer_is_kept_and_the_change_is_named(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    at.selectbox(key=widget(nomor, "templat")).set_value("selesai_ditindaklanjuti").run()
    edited = at.text_area(key=widget(nomor, "hasil")).value + " Terima kasih."
    at.text_area(key=widget(nomor, "hasil")).input(edited).run()
    at.selectbox(key=widget(nomor, "jenis")).set_value("tindakan_korektif").run()
    assert not at.exception, at.exception
    assert at.text_area(key=widget(nomor, "hasil")).value == edited  # the petugas' text wins
    warning = " ".join(w.value for w in at.warning)
    assert "tidak diganti" in warning and "tindakan korektif" in warning, warning
    # saving it is refused while the note stands in the answer
    at.selectbox(key=widget(nomor, "tahap")).set_value("jawaban")
    button(at, "Simpan perubahan").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "[jenis penyelesaian belum ditetapkan]" in errors, errors
    assert not any(f"Pengaduan {nomor} diperbarui" in s.value for s in at.success)
    # the petugas asks for the template again: refilled with the outcome, warning gone
    button(at, "Isi ulang dari templat").click().run()
    refilled = at.text_area(key=widget(nomor, "hasil")).value
    assert "Jenis penyelesaian: tindakan korektif." in refilled and "Terima kasih." not in refilled
    assert not any("tidak diganti" in w.value for w in at.warning)
