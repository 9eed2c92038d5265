"""Antrean Saya and the petugas's working day (issue 13.1, 13.3, 13.5, 13.6) on a copy of the demo
register: the queue's order and its link into Perbarui, the likely-duplicate question in Catat,
the Duplikat mark taking a complaint out of the queue, and the receipt reprint buttons."""

from __future__ import annotations

import shutil

import pytest

from dashboard.access import Viewer
from dashboard.data import local_now
from dashboard.navigation import pages_for
from data_sources.local_file import LocalFileSource
from metrics.profiles import load_profile
from metrics.register import normalise_register
from metrics.sla import sla_status, stage_table
from services.queue import petugas_queue
from services.register_loading import calendar_for
from tests.app_helpers import run_page
from tests.pages.test_complaint_forms import button, fill_new_complaint, recorded_nomor

ANTREAN = "app_pages/antrean_saya.py"
CATAT = "app_pages/catat_pengaduan.py"
PERBARUI = "app_pages/perbarui_pengaduan.py"
REGISTER = "app_pages/register.py"
PETUGAS = Viewer("Petugas Cibodas", "petugas", ("Cibodas",))
PROFILE = load_profile("umum")


@pytest.fixture
def register_path(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    return path


def expected_queue(path):
    register = normalise_register(LocalFileSource(path).read(), PROFILE)
    now = local_now(PROFILE)
    flags = sla_status(stage_table(register.complaints, PROFILE, calendar_for(PROFILE), now))
    return petugas_queue(register.complaints, flags, PROFILE, calendar_for(PROFILE), PETUGAS, now)


def queue_nomors(at) -> list[str]:
    return [b.key.split("|")[1] for b in at.button if b.key and b.key.startswith("antrean|")]


def test_petugas_lands_on_the_queue():
    assert pages_for("petugas")[0].url == "antrean-saya"
    assert pages_for("admin")[0].url != "antrean-saya"


def test_queue_lists_own_open_complaints_by_next_due_time_and_opens_one(register_path):
    queue = expected_queue(register_path)
    assert not queue.empty and set(queue["desa"]) == {"Cibodas"}
    due = queue["jatuh_tempo"].dropna()
    assert due.is_monotonic_increasing
    at = run_page(ANTREAN, session={"viewer": PETUGAS})
    assert not at.exception, at.exception
    shown = queue_nomors(at)
    assert shown == queue["nomor"].head(len(shown)).tolist()
    text = " ".join(t.value for t in at.text)
    assert "Terlambat" in text or "Sisa" in text
    assert "jam kerja" in text
    first = shown[0]
    next(b for b in at.button if b.key.startswith(f"antrean|{first}|")).click().run()
    assert not at.exception, at.exception
    # Perbarui opens on the chosen complaint and names it on the form's title
    assert at.text_input(key="perbarui_nomor").value == first
    assert any(f"Memperbarui {first}" in s.value.replace("\\", "") for s in at.subheader)
    # the update form shows each stage's due time
    frames = [d.value for d in at.dataframe]
    assert any("Jatuh tempo" in f.columns for f in frames)


def test_an_empty_queue_says_so(register_path):
    at = run_page(ANTREAN, session={"viewer": Viewer("Petugas X", "petugas", ("Desa Tanpa Aduan",))})
    assert not at.exception, at.exception
    assert any("Antrean kosong" in s.value for s in at.success)


def test_catat_asks_before_saving_a_likely_duplicate_and_saves_on_confirmation(register_path):
    viewer = Viewer("Petugas Sukamaju", "petugas", ("Sukamaju",))
    at = run_page(CATAT, session={"viewer": viewer})
    fill_new_complaint(at)
    first = recorded_nomor(at)
    fill_new_complaint(at)  # same phone and text again
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Sudah tercatat sebagai" in warning and first.replace("/", "\\/") in warning.replace("/", "\\/")
    assert "hari ini" in warning
    assert not any("tersimpan" in s.value for s in at.success)
    before = len(normalise_register(LocalFileSource(register_path).read(), PROFILE).complaints)
    # "Jangan simpan": nothing written, the question gone, the input kept
    button(at, "Jangan simpan").click().run()
    assert not at.warning and at.text_input(key="catat_f_hp").value
    assert len(normalise_register(LocalFileSource(register_path).read(), PROFILE).complaints) == before
    button(at, "Simpan pengaduan").click().run()
    button(at, "Simpan tetap").click().run()
    assert not at.exception, at.exception
    second = recorded_nomor(at)
    assert second != first
    # Kategori/Urgensi/Saluran are cleared for the next complaint
    for key in ("catat_f_saluran", "catat_f_kategori", "catat_f_urgensi"):
        assert at.selectbox(key=key).value is None


def test_marking_a_duplicate_takes_it_out_of_the_queue_and_keeps_it_in_the_register(register_path):
    queue = expected_queue(register_path)
    original, duplicate = queue["nomor"].iloc[0], queue["nomor"].iloc[1]
    at = run_page(PERBARUI, session={"viewer": PETUGAS})
    at.text_input(key="perbarui_nomor").input(duplicate).run()
    assert not at.exception, at.exception
    assert at.get("download_button"), "the receipt can be printed again from Perbarui"
    at.text_input(key=f"tanda|{duplicate}|Duplikat").input(original).run()
    button(at, "Simpan tanda").click().run()
    assert not at.exception, at.exception
    assert any("ditandai Duplikat" in s.value for s in at.success), [e.value for e in at.error]
    assert any("Duplikat" in w.value for w in at.warning)  # the marked record says so, no stage form
    assert "Hanya admin" in " ".join(c.value for c in at.caption)
    assert duplicate not in set(expected_queue(register_path)["nomor"])
    at = run_page(ANTREAN, session={"viewer": PETUGAS})
    assert duplicate not in queue_nomors(at) and original in queue_nomors(at)
    # admin removes the mark: counted again
    admin = run_page(PERBARUI, session={"viewer": Viewer("Admin", "admin", ())})
    admin.text_input(key="perbarui_nomor").input(duplicate).run()
    button(admin, "Batalkan tanda (hitung kembali)").click().run()
    assert not admin.exception, admin.exception
    assert duplicate in set(expected_queue(register_path)["nomor"])


def test_register_detail_offers_the_receipt_again(register_path):
    at = run_page(REGISTER, session={"viewer": PETUGAS})
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("tanda terima" in label for label in labels), labels
    kades = run_page(REGISTER, session={"viewer": Viewer("Kades", "kepala_desa", ("Cibodas",))})
    assert not any("tanda terima" in b.proto.label for b in kades.get("download_button"))
