"""Catat Pengaduan Baru and Perbarui Pengaduan on a temporary copy of the demo register.

Covers: a petugas records a complaint (new unique Nomor, audit rows, receipt) and advances it to
answered (WhatsApp link); viewers who may not write are refused on both pages, even when a page is
opened directly; concurrent new complaints get different numbers; an update on a complaint changed
by someone else is refused and the typed input stays; hostile strings are stored and shown as text.
"""

from __future__ import annotations

import datetime as dt
import shutil
import urllib.parse
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import Viewer
from dashboard.data import local_now
from data_sources.local_file import LocalFileSource
from metrics.errors import PantauError
from metrics.profiles import load_profile
from metrics.register import normalise_register
from services.complaints import NotAllowed, record_complaint
from tests.app_helpers import run_page
from tests.complaint_helpers import PETUGAS, rows_of

REPO = Path(__file__).resolve().parent.parent.parent

CATAT = "app_pages/catat_pengaduan.py"
PERBARUI = "app_pages/perbarui_pengaduan.py"
PETUGAS_LAIN = Viewer("Petugas Mekarsari", "petugas", ("Mekarsari",))
HOSTILE_NAME = '=HYPERLINK("http://x")'
HOSTILE_ADDRESS = "+cmd"
HOSTILE_ISI = "@SUM(A1) jalan rusak 😀🚧 " + "x" * 10_000


@pytest.fixture
def register_path(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    return path


def button(at, label):
    return next(b for b in at.button if b.label == label)


def fill_new_complaint(at, save: str = "Simpan pengaduan", **overrides):
    values = {
        "nama": "Siti Rahayu",
        "alamat": "RT 02/RW 01, Dusun Kaler",
        "hp": "0812-3456-7890",
        "isi": "Jalan desa di RT 02 berlubang dan tergenang saat hujan",
        **overrides,
    }
    at.selectbox(key="catat_f_saluran").set_value("whatsapp")
    at.selectbox(key="catat_f_kategori").set_value("infrastruktur")
    at.text_input(key="catat_f_nama").input(values["nama"])
    at.text_input(key="catat_f_alamat").input(values["alamat"])
    at.text_input(key="catat_f_hp").input(values["hp"])
    at.text_area(key="catat_f_isi").input(values["isi"])
    button(at, save).click()
    at.run()
    return at


def recorded_nomor(at) -> str:
    success = [s.value for s in at.success]
    assert success, [e.value for e in at.error]
    return success[0].split("**")[1]


def record_one(register_path, **overrides) -> str:
    at = run_page(CATAT, session={"viewer": PETUGAS})
    assert not at.exception, at.exception
    fill_new_complaint(at, **overrides)
    assert not at.exception, at.exception
    return recorded_nomor(at)


# --------------------------------------------------------------------------------- record


def test_petugas_records_a_complaint(register_path):
    before, audit_before = rows_of(register_path)
    at = run_page(CATAT, session={"viewer": PETUGAS})
    assert not at.exception, at.exception
    assert at.selectbox(key="catat_f_desa").options == ["Sukamaju"]
    fill_new_complaint(at)
    assert not at.exception, at.exception
    nomor = recorded_nomor(at)
    now = local_now(load_profile("umum"))  # the office's wall clock, not the server's UTC date
    assert nomor.startswith(f"SKM/{now:%Y}/{now:%m}/")  # umum numbers by desa code (Sukamaju)
    assert nomor not in before
    assert at.get("download_button"), "the tanda terima can be downloaded"
    # the form is empty again for the next complaint
    assert at.text_input(key="catat_f_nama").value == ""
    # a second click on the emptied form: refused, and the earlier "tersimpan" notice is gone
    button(at, "Simpan pengaduan").click().run()
    assert at.error and not any("tersimpan" in s.value for s in at.success)

    after, audit = rows_of(register_path)
    assert len(after) == len(before) + 1
    row = after[nomor]
    assert row["Desa"].value == "Sukamaju"
    assert row["Nama Pelapor"].value == "Siti Rahayu"
    assert row["No. HP"].value == "081234567890"
    assert row["Saluran"].value == "WhatsApp"
    assert row["Tahap"].value == "Pengaduan diterima dan dicatat"
    assert row["Diperbarui Oleh"].value == "Petugas Sukamaju"
    assert dt.datetime.strptime(row["Tanggal Diterima"].value, "%d/%m/%Y %H:%M")
    new_audit = audit[len(audit_before) :]
    assert {r[1] for r in new_audit} == {nomor}
    assert {"Nomor", "Isi Pengaduan", "Tahap"} <= {r[2] for r in new_audit}
    assert {(r[5], r[6]) for r in new_audit} == {("Petugas Sukamaju", "petugas")}
    assert dt.datetime.fromisoformat(new_audit[0][0]).second is not None

    second = record_one(register_path, hp="0813-1111-2222")  # another reporter: no duplicate question
    assert int(second.rsplit("/", 1)[1]) == int(nomor.rsplit("/", 1)[1]) + 1


def test_invalid_complaint_shows_messages_next_to_fields_and_keeps_input(register_path):
    before, _ = rows_of(register_path)
    at = run_page(CATAT, session={"viewer": PETUGAS})
    fill_new_complaint(at, hp="12345", isi="rusak", alamat="")
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "No. HP '12345' tidak valid" in errors
    assert "Isi pengaduan belum jelas" in errors
    assert "Alamat wajib diisi" in errors
    assert at.text_input(key="catat_f_nama").value == "Siti Rahayu"
    assert at.text_input(key="catat_f_hp").value == "12345"
    assert len(rows_of(register_path)[0]) == len(before)


def test_rahasia_complaint_without_identity(register_path):
    at = run_page(CATAT, session={"viewer": PETUGAS})
    at.checkbox(key="catat_f_rahasia").check()
    fill_new_complaint(at, nama="", alamat="", hp="")
    nomor = recorded_nomor(at)
    row = rows_of(register_path)[0][nomor]
    assert row["Rahasia"].value == "Ya"
    assert not row["Nama Pelapor"].value


def test_receipt_time_left_as_offered_is_the_moment_of_saving(register_path):
    """The form was drawn 25 minutes ago and its date/time left as offered: the complaint is
    received when it is saved (every SLA deadline starts there)."""
    wall_clock = lambda: local_now(load_profile("umum")).to_pydatetime().replace(tzinfo=None)  # noqa: E731
    drawn = (wall_clock() - dt.timedelta(minutes=25)).replace(second=0, microsecond=0)
    at = run_page(CATAT, session={"viewer": PETUGAS})
    for key, value in (
        ("catat_f_tanggal", drawn.date()),
        ("catat_f_jam", drawn.time()),
        ("catat_bawaan", (drawn.date(), drawn.time())),
    ):
        at.session_state[key] = value
    fill_new_complaint(at)
    nomor = recorded_nomor(at)
    written = dt.datetime.strptime(
        rows_of(register_path)[0][nomor]["Tanggal Diterima"].value, "%d/%m/%Y %H:%M"
    )
    assert abs(written - wall_clock()) < dt.timedelta(minutes=2), (written, drawn)
    # a time the petugas typed is kept as typed (with its date: just after midnight the emptied
    # form offers the new day, and 23.42 of that day would be in the future)
    at.session_state["catat_f_tanggal"] = drawn.date()
    at.session_state["catat_f_jam"] = drawn.time().replace(minute=(drawn.minute + 1) % 60)
    fill_new_complaint(at, nama="Budi Santoso", hp="0813-2222-3333")  # another reporter
    typed = recorded_nomor(at)
    written = dt.datetime.strptime(
        rows_of(register_path)[0][typed]["Tanggal Diterima"].value, "%d/%m/%Y %H:%M"
    )
    assert written.time() == drawn.time().replace(minute=(drawn.minute + 1) % 60)


# --------------------------------------------------------------------------------- update


def open_in_perbarui(nomor, viewer=PETUGAS):
    at = run_page(PERBARUI, session={"viewer": viewer})
    assert not at.exception, at.exception
    at.text_input(key="perbarui_nomor").input(nomor).run()
    assert not at.exception, at.exception
    return at


def widget(nomor, name):
    return f"perbarui_f|{nomor}|{name}"


def test_petugas_advances_a_complaint_to_answered_and_gets_a_whatsapp_link(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    assert "Pengaduan diterima dan dicatat" in " ".join(m.value for m in at.markdown)
    stage = at.selectbox(key=widget(nomor, "tahap"))
    assert stage.value == "diterima", "the form starts at (tetap): nothing moves on without a choice"
    assert stage.options[1] == "Verifikasi dan klasifikasi", "the SOP's next step is offered first"
    stage.set_value("jawaban").run()
    assert any("dilewati" in w.value for w in at.warning), "skipped steps are flagged"
    # without the answer text the update is refused with a clear message
    button(at, "Simpan perubahan").click().run()
    assert any("Hasil tindak lanjut" in e.value for e in at.error)
    at.text_area(key=widget(nomor, "hasil")).input("Jalan di RT 02 sudah ditambal pada hari ini.")
    at.selectbox(key=widget(nomor, "jenis")).set_value("tindakan_korektif")
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    assert any(f"Pengaduan {nomor} diperbarui" in s.value for s in at.success), [e.value for e in at.error]

    rows, audit = rows_of(register_path)
    row = rows[nomor]
    assert row["Tahap"].value == "Jawaban disampaikan kepada pelapor"
    assert dt.datetime.strptime(row["Tanggal Jawaban"].value, "%d/%m/%Y %H:%M")
    assert row["Hasil Tindak Lanjut"].value == "Jalan di RT 02 sudah ditambal pada hari ini."
    assert row["Jenis Penyelesaian"].value == "Tindakan korektif"
    assert not row["Tanggal Verifikasi"].value
    kolom = {r[2] for r in audit if r[1] == nomor}
    assert {"Tahap", "Tanggal Jawaban", "Hasil Tindak Lanjut", "Jenis Penyelesaian"} <= kolom

    # the page shows the new stage and the message to the complainant with a WhatsApp link
    assert "Jawaban disampaikan kepada pelapor" in " ".join(m.value for m in at.markdown)
    message = " ".join(c.value for c in at.code)
    assert nomor in message and "sudah ditambal" in message
    links = at.get("link_button")
    assert links
    url = links[0].proto.url
    assert url.startswith("https://wa.me/6281234567890?text=")
    assert nomor in urllib.parse.unquote(url)
    # after the save the form stays put (one more click on Simpan must not move the complaint
    # on) and still shows what was saved
    assert at.selectbox(key=widget(nomor, "tahap")).value == "jawaban"
    assert at.text_area(key=widget(nomor, "hasil")).value == "Jalan di RT 02 sudah ditambal pada hari ini."
    assert at.selectbox(key=widget(nomor, "jenis")).value == "tindakan_korektif"
    button(at, "Simpan perubahan").click().run()
    assert rows_of(register_path)[0][nomor]["Tahap"].value == "Jawaban disampaikan kepada pelapor"


def test_stage_time_left_as_offered_is_the_moment_of_saving(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    # the petugas opened the form 25 minutes ago (date and time were offered then) and left them
    wall_clock = lambda: local_now(load_profile("umum")).to_pydatetime().replace(tzinfo=None)  # noqa: E731
    opened = (wall_clock() - dt.timedelta(minutes=25)).replace(second=0, microsecond=0)
    for name, value in (
        ("tanggal", opened.date()),
        ("jam", opened.time()),
        ("bawaan", (opened.date(), opened.time())),
    ):
        at.session_state[widget(nomor, name)] = value
    at.selectbox(key=widget(nomor, "tahap")).set_value("verifikasi").run()
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    written = dt.datetime.strptime(
        rows_of(register_path)[0][nomor]["Tanggal Verifikasi"].value, "%d/%m/%Y %H:%M"
    )
    assert written != opened
    assert abs(written - wall_clock()) < dt.timedelta(minutes=2), (written, opened)


def test_perbarui_search_ignores_case_and_spaces(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui("  " + nomor.lower().replace("/", " / ") + " ")
    assert not at.warning, [w.value for w in at.warning]
    assert (
        at.selectbox(key=widget(nomor, "tahap")).value == "diterima"
    )  # the form of that complaint, at (tetap)
    at.text_input(key="perbarui_nomor").input("XYZ/2026/01/9999").run()
    assert any("tidak ditemukan di register" in w.value for w in at.warning)


def test_update_on_a_complaint_changed_by_someone_else_is_refused_and_input_kept(register_path):
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    at.selectbox(key=widget(nomor, "tahap")).set_value("jawaban")
    typed = "Jawaban yang saya ketik panjang-panjang dan tidak boleh hilang."
    at.text_area(key=widget(nomor, "hasil")).input(typed)
    at.text_input(key=widget(nomor, "ba")).input("BA/07/2026")
    at.run()
    # someone else moves the complaint on (through the source, as the app would)
    source = LocalFileSource(register_path)
    rows, _ = rows_of(register_path)
    loaded_tahap, loaded_pada = rows[nomor]["Tahap"].value, rows[nomor]["Diperbarui Pada"].value
    source.update_row(
        "Register",
        "Nomor",
        nomor,
        {
            "Tahap": (loaded_tahap, "Verifikasi dan klasifikasi"),
            "Diperbarui Pada": (loaded_pada, "01/01/2030 00:00"),
        },
        [],
    )
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "sudah diubah orang lain" in errors
    assert at.text_area(key=widget(nomor, "hasil")).value == typed
    assert at.text_input(key=widget(nomor, "ba")).value == "BA/07/2026"
    row = rows_of(register_path)[0][nomor]
    assert row["Tahap"].value == "Verifikasi dan klasifikasi"  # the other change is not lost
    assert not row["Hasil Tindak Lanjut"].value  # and nothing was half-written
    # a second click on Simpan without reloading is refused again
    button(at, "Simpan perubahan").click().run()
    assert "sudah diubah orang lain" in " ".join(e.value for e in at.error)
    # after *Muat ulang pengaduan ini* the petugas sees the new state, keeps the input and can save
    button(at, "Muat ulang pengaduan ini").click().run()
    assert not at.exception, at.exception
    assert "Verifikasi dan klasifikasi" in " ".join(m.value for m in at.markdown)
    assert at.text_area(key=widget(nomor, "hasil")).value == typed
    at.selectbox(key=widget(nomor, "tahap")).set_value("jawaban")
    button(at, "Simpan perubahan").click().run()
    assert any("diperbarui" in s.value for s in at.success), [e.value for e in at.error]
    row = rows_of(register_path)[0][nomor]
    assert row["Hasil Tindak Lanjut"].value == typed
    assert row["No. Berita Acara"].value == "BA/07/2026"


# ------------------------------------------------------------------------------- refusals


def run_direct(page, viewer, **state):
    """Run a page script on its own, as when its URL is opened directly."""
    at = AppTest.from_file(str(REPO / page), default_timeout=60)
    if viewer is not None:
        at.session_state["viewer"] = viewer
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize(
    "viewer",
    [
        Viewer("Camat", "kecamatan"),
        Viewer("Kades Sukamaju", "kepala_desa", ("Sukamaju",)),
        None,  # not logged in
    ],
    ids=["kecamatan", "kepala_desa", "public"],
)
@pytest.mark.parametrize("page", [CATAT, PERBARUI])
def test_viewers_who_may_not_write_are_refused(register_path, viewer, page):
    # The menu does not list these pages for them; opened directly (its URL), the page refuses.
    at = run_direct(page, viewer)
    assert not at.exception, at.exception
    assert not at.text_input, "no form is shown"
    assert not at.text_area
    assert not at.button
    refusal = "perlu login" if viewer is None else "tidak berwenang"
    assert any(refusal in e.value for e in at.error)


def test_petugas_of_another_desa_is_refused(register_path):
    nomor = record_one(register_path)  # a Sukamaju complaint
    # Perbarui: typing the Nomor of another desa's complaint shows nothing of it and no form
    at = open_in_perbarui(nomor, PETUGAS_LAIN)
    assert any("bukan pengaduan desa Anda" in e.value for e in at.error)
    assert not at.text_area
    assert "Siti" not in " ".join(t.value for t in at.text)
    # the open-complaint list holds only their own desa's complaints
    assert all(n.startswith(("MKS/", "ADU/")) for n in at.selectbox(key="perbarui_pilih").options)
    # Catat: only their own desa can be chosen, even when the session is tampered with
    at = run_page(CATAT, session={"viewer": PETUGAS_LAIN, "catat_f_desa": "Sukamaju"})
    assert at.selectbox(key="catat_f_desa").options == ["Mekarsari"]
    assert at.selectbox(key="catat_f_desa").value == "Mekarsari"
    # and the write function itself refuses, whatever the page did
    source = LocalFileSource(register_path)
    profile = load_profile("umum")
    register = normalise_register(source.read(), profile)
    before, _ = rows_of(register_path)
    fields = {
        "desa": "Sukamaju",
        "nama_pelapor": "A B",
        "alamat": "RT 1",
        "no_hp": "081234567890",
        "saluran": "whatsapp",
        "isi_pengaduan": "Lampu jalan di RT 01 mati sejak seminggu",
        "tanggal_diterima": dt.datetime.now() - dt.timedelta(hours=1),
    }
    with pytest.raises(NotAllowed):
        record_complaint(
            source, register, profile, PETUGAS_LAIN, fields, dt.datetime.now(), submission_id="t1"
        )
    for viewer in (
        Viewer("Camat", "kecamatan"),
        Viewer("", "public"),
        Viewer("Kades", "kepala_desa", ("Sukamaju",)),
    ):
        with pytest.raises(NotAllowed):
            record_complaint(source, register, profile, viewer, fields, dt.datetime.now(), submission_id="t2")
    assert len(rows_of(register_path)[0]) == len(before)


# --------------------------------------------------------------------------------- hostile


def test_hostile_strings_are_stored_and_shown_as_text(register_path):
    nomor = record_one(register_path, nama=HOSTILE_NAME, alamat=HOSTILE_ADDRESS, isi=HOSTILE_ISI)
    row = rows_of(register_path)[0][nomor]
    for header, expected in (
        ("Nama Pelapor", HOSTILE_NAME),
        ("Alamat", HOSTILE_ADDRESS),
        ("Isi Pengaduan", HOSTILE_ISI),
    ):
        assert row[header].value == expected
        assert row[header].data_type == "s"
    at = open_in_perbarui(nomor)
    texts = [t.value for t in at.text]
    assert HOSTILE_ISI in texts
    assert any(HOSTILE_NAME in t for t in texts)
    at.selectbox(key=widget(nomor, "tahap")).set_value("tindak_lanjut")
    at.text_area(key=widget(nomor, "hasil")).input("=cmd|' /C calc'!A0 ✅")
    at.text_input(key=widget(nomor, "ba")).input("@SUM(A1)")
    button(at, "Simpan perubahan").click().run()
    assert any("diperbarui" in s.value for s in at.success), [e.value for e in at.error]
    row = rows_of(register_path)[0][nomor]
    assert row["Hasil Tindak Lanjut"].value == "=cmd|' /C calc'!A0 ✅"
    assert row["Hasil Tindak Lanjut"].data_type == "s"
    assert row["No. Berita Acara"].value == "@SUM(A1)"
    assert row["Nama Pelapor"].data_type == "s", "untouched hostile cells stay text after another write"


def test_rahasia_reporter_is_hidden_from_admin_but_not_from_the_desa_petugas(register_path):
    at = run_page(CATAT, session={"viewer": PETUGAS})
    at.checkbox(key="catat_f_rahasia").check()
    fill_new_complaint(at, nama="Wartini Rahasia", hp="0813-1111-2222")
    nomor = recorded_nomor(at)
    row = rows_of(register_path)[0][nomor]
    LocalFileSource(register_path).update_row(
        "Register",
        "Nomor",
        nomor,
        {
            "Tahap": (row["Tahap"].value, "Jawaban disampaikan kepada pelapor"),
            "Tanggal Jawaban": ("", row["Tanggal Diterima"].value),
            "Hasil Tindak Lanjut": ("", "Sudah ditangani."),
        },
        [],
    )
    admin = open_in_perbarui(nomor, Viewer("Admin", "admin"))
    shown = " ".join(t.value for t in admin.text) + " ".join(c.value for c in admin.code)
    assert "Wartini" not in shown and "2222" not in shown
    assert not admin.get("link_button")
    petugas = open_in_perbarui(nomor, PETUGAS)
    assert "Wartini Rahasia" in " ".join(t.value for t in petugas.text)
    links = petugas.get("link_button")
    assert links and links[0].proto.url.startswith("https://wa.me/6281311112222?text=")
    assert "Wartini" not in " ".join(c.value for c in petugas.code), "the message itself names no one"


# ------------------------------------------------------------------ one selection (issue 13)


def test_the_form_edits_the_last_selection_and_names_it(register_path):
    """Issue 13.2: type one Nomor, then pick another from the list: the form follows the pick."""
    typed = record_one(register_path)
    picked = record_one(register_path, isi="Saluran air di RT 05 tersumbat sampah plastik")
    fresh = run_page(PERBARUI, session={"viewer": PETUGAS})
    assert fresh.text_input(key="perbarui_nomor").placeholder.startswith("mis. "), "an example, not a value"
    at = open_in_perbarui(typed)
    assert any(f"Memperbarui {typed}" in h.value for h in at.subheader), [h.value for h in at.subheader]
    at.selectbox(key="perbarui_pilih").set_value(picked).run()
    assert not at.exception, at.exception
    titles = [h.value for h in at.subheader if h.value.startswith("Memperbarui")]
    assert titles == [f"Memperbarui {picked}"], titles
    assert at.text_input(key="perbarui_nomor").value == "", "the typed Nomor no longer competes"
    # and no Nomor stays in grey in the search field (its placeholder read as the old value)
    assert at.text_input(key="perbarui_nomor").placeholder == ""
    assert any(picked in h.value for h in at.subheader if "·" in h.value)
    at.text_input(key="perbarui_nomor").input(typed).run()
    assert at.selectbox(key="perbarui_pilih").value is None
    assert [h.value for h in at.subheader if h.value.startswith("Memperbarui")] == [f"Memperbarui {typed}"]


def test_a_save_with_nothing_changed_writes_nothing_and_says_so(register_path):
    """Issue 13.4: no rewrite, no Diperbarui Pada bump, and the petugas is told."""
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    before = register_path.read_bytes()
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    assert any("Tidak ada yang berubah" in i.value and nomor in i.value for i in at.info), [
        i.value for i in at.info
    ]
    assert not any("diperbarui" in s.value for s in at.success)
    assert register_path.read_bytes() == before


def test_a_double_click_on_simpan_sends_one_submission_id(register_path, monkeypatch):
    """The form keeps one submission id until its submission succeeded (CONTRACTS 1)."""
    seen: list[str] = []
    real = record_complaint

    def spy(*args, submission_id: str, **kwargs):
        seen.append(submission_id)
        if len(seen) == 1:
            raise PantauError("Sheet sementara tidak dapat dijangkau.")
        return real(*args, submission_id=submission_id, **kwargs)

    monkeypatch.setattr("dashboard.complaint_forms.record_complaint", spy)
    at = run_page(CATAT, session={"viewer": PETUGAS})
    fill_new_complaint(at)
    assert any("tidak dapat dijangkau" in e.value for e in at.error)
    button(at, "Simpan pengaduan").click().run()  # the retry of the same form
    recorded_nomor(at)
    assert len(seen) == 2 and seen[0] == seen[1], "a retry of the same form reuses its id"
    fill_new_complaint(at, isi="Jembatan kecil di RT 07 retak dan berbahaya")
    assert len(seen) == 3 and seen[2] != seen[0], "the next complaint is a new submission"
