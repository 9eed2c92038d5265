"""The Dokumen section on the Perbarui and Register pages: due documents to download, and the
review meeting recorded through the form into the register."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from dashboard.access import Viewer
from dashboard.data import local_now
from data_sources.demo import write_demo_register
from data_sources.local_file import LocalFileSource
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from metrics.profiles import load_profile, register_header
from metrics.register import normalise_register
from tests.app_helpers import run_page

PETUGAS = Viewer("Petugas Sukamaju", "petugas", ("Sukamaju",))
KECAMATAN = Viewer("Camat", "kecamatan")
NOMOR = "SKM/2026/01/0001"


def make_register(tmp_path: Path, received: dt.datetime | None = None) -> tuple[Path, dt.date]:
    """One Sukamaju complaint, verified 10 days ago (before the meeting stage of ``umum``)."""
    profile = load_profile("umum")
    header = register_header(profile)
    verified_after = dt.timedelta(hours=2)
    if received is None:
        received = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=10)
    else:
        verified_after = dt.timedelta(0)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(header)
    values = {
        "Nomor": NOMOR,
        "Desa": "Sukamaju",
        "Tanggal Diterima": received.strftime("%d/%m/%Y %H:%M"),
        "Saluran": "WhatsApp",
        "Nama Pelapor": "Siti Rahayu",
        "Alamat": "RT 02",
        "No. HP": "081234567890",
        "Rahasia": "Tidak",
        "Isi Pengaduan": "Lampu jalan di RT 02 mati sejak dua minggu.",
        "Tahap": "Verifikasi dan klasifikasi",
        "Tanggal Verifikasi": (received + verified_after).strftime("%d/%m/%Y %H:%M"),
    }
    sheet.append([values.get(h, "") for h in header])
    workbook.create_sheet(AUDIT_SHEET).append(list(AUDIT_HEADER))
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    return path, (received + dt.timedelta(days=1)).date()


def row(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path)["Register"]
    header = [c.value for c in sheet[1]]
    return dict(zip(header, next(sheet.iter_rows(min_row=2, values_only=True)), strict=False))


def test_petugas_downloads_documents_and_records_the_meeting(tmp_path, register_env):
    path, meeting_day = make_register(tmp_path)
    register_env(path)
    at = run_page("app_pages/perbarui_pengaduan.py", session={"viewer": PETUGAS})
    at.text_input(key="perbarui_nomor").input(NOMOR).run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Dokumen · ") for s in at.subheader)
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels.count("DOCX") == labels.count("PDF") == len(load_profile("umum").documents)

    def field(name: str) -> str:
        return f"perbarui_dok_rapat_{name}|{NOMOR}"

    at.date_input(key=field("tanggal")).set_value(meeting_day)
    at.time_input(key=field("jam")).set_value(dt.time(10, 0))
    at.text_input(key=field("tempat")).input("Balai desa")
    at.multiselect(key=field("pejabat")).set_value(["Kepala Desa", "Kasi Pelayanan"])
    at.text_area(key=field("lain")).input("Budi (Ketua RT 02)")
    at.text_area(key=field("ringkasan")).input("Lampu rusak karena kabel putus.")
    at.text_area(key=field("keputusan")).input("Kabel diganti minggu ini.")
    at.selectbox(key=field("jenis")).set_value("tindakan_korektif")
    next(b for b in at.button if b.label == "Simpan rapat").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    written = row(path)
    year = meeting_day.year
    assert written["No. Berita Acara"] == f"BA/SKM/001/{year}"
    assert written["Tanggal Tindak Lanjut"] == f"{meeting_day:%d/%m/%Y} 10:00"
    assert written["Peserta Rapat"] == "Kepala Desa; Kasi Pelayanan; Budi (Ketua RT 02)"
    assert any(f"BA/SKM/001/{year}" in s.value for s in at.success)


def test_kecamatan_sees_documents_but_no_meeting_form(tmp_path, register_env):
    path, _ = make_register(tmp_path)
    register_env(path)
    at = run_page("app_pages/register.py", session={"viewer": KECAMATAN})
    assert not at.exception, at.exception
    assert any(s.value.startswith("Dokumen · ") for s in at.subheader)
    assert not [b for b in at.button if b.label == "Simpan rapat"]


def test_proposed_meeting_time_is_accepted_for_a_complaint_received_today(tmp_path, register_env):
    """Received a minute ago (office time): the form's own proposal saves without a date error."""
    received = local_now(load_profile("umum")).to_pydatetime() - dt.timedelta(minutes=1)
    path, _ = make_register(tmp_path, received)
    register_env(path)
    at = run_page("app_pages/perbarui_pengaduan.py", session={"viewer": PETUGAS})
    at.text_input(key="perbarui_nomor").input(NOMOR).run()

    def field(name: str) -> str:
        return f"perbarui_dok_rapat_{name}|{NOMOR}"

    proposed = dt.datetime.combine(
        at.date_input(key=field("tanggal")).value, at.time_input(key=field("jam")).value
    )
    assert proposed >= received
    at.text_input(key=field("tempat")).input("Balai desa")
    at.multiselect(key=field("pejabat")).set_value(["Kepala Desa"])
    at.text_area(key=field("ringkasan")).input("Lampu rusak karena kabel putus.")
    at.text_area(key=field("keputusan")).input("Kabel diganti minggu ini.")
    next(b for b in at.button if b.label == "Simpan rapat").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert row(path)["Tanggal Tindak Lanjut"] == f"{proposed:%d/%m/%Y %H:%M}"


@pytest.mark.parametrize("stage", ["last", "meeting"])
def test_kutai_kartanegara_meeting_saved_at_the_last_and_at_the_meeting_stage(tmp_path, register_env, stage):
    """PANTAU_SOP=kutai_kartanegara demo: a petugas saves the meeting of a complaint at the last
    stage and of one at the meeting stage; each gets 'Rapat tersimpan' and a BA/.../DPMD/<year>
    number, and the berita acara no longer lists the number as missing."""
    profile = load_profile("kutai_kartanegara")
    path = write_demo_register(tmp_path / "kukar.xlsx", profile=profile)
    register_env(path, sop="kutai_kartanegara")
    complaints = normalise_register(LocalFileSource(path).read(), profile).complaints
    key = profile.stages[-1].key if stage == "last" else profile.meeting_stage
    candidates = complaints[
        (complaints["tahap"] == key)
        & complaints["no_berita_acara"].isna()
        & (complaints["desa"] == "Sukamaju")
    ]
    nomor = str(candidates["nomor"].iloc[0])
    at = run_page("app_pages/perbarui_pengaduan.py", session={"viewer": PETUGAS})
    at.text_input(key="perbarui_nomor").input(nomor).run()

    def field(name: str) -> str:
        return f"perbarui_dok_rapat_{name}|{nomor}"

    at.text_input(key=field("tempat")).input("Aula DPMD")
    at.multiselect(key=field("pejabat")).set_value([profile.officials[0]])
    at.text_area(key=field("ringkasan")).input("Dibahas bersama kepala desa.")
    at.text_area(key=field("keputusan")).input("Perbaikan dijadwalkan.")
    next(b for b in at.button if b.label == "Simpan rapat").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    saved = [s.value for s in at.success if "Rapat tersimpan" in s.value]
    assert saved, [s.value for s in at.success]
    after = normalise_register(LocalFileSource(path).read(), profile).complaints
    number = str(after.loc[after["nomor"] == nomor, "no_berita_acara"].iloc[0])
    assert re.fullmatch(r"BA/\d{3}/DPMD/\d{4}", number), number
    assert number in saved[0]
    assert not [c.value for c in at.caption if "No. berita acara" in c.value]


class _SpySource:
    """A local source that records which reads the Dokumen section asked for."""

    def __init__(self, inner: LocalFileSource) -> None:
        self.inner = inner
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def read(self):
        self.calls.append(("read", ()))
        return self.inner.read()

    def read_sheets(self, names):
        self.calls.append(("read_sheets", tuple(names)))
        return self.inner.read_sheets(names)


def test_documents_read_only_the_worksheet_holding_the_complaint(tmp_path):
    """The complaint's row is read from its own worksheet alone (reading a 100k-row workbook whole
    cost seconds on the Register page); a Nomor the loaded register holds twice falls back to
    reading every sheet, which then finds it ambiguous."""
    from types import SimpleNamespace

    from dashboard.document_views import grids_holding
    from metrics.complaint_updates import row_snapshot

    path = tmp_path / "demo.xlsx"
    profile = load_profile("umum")
    write_demo_register(path, dt.datetime(2026, 11, 30, 10, 0), profile)
    source = LocalFileSource(path)
    register = normalise_register(source.read(), profile)
    loaded = SimpleNamespace(register=register)
    one = register.complaints.iloc[5]
    spy = _SpySource(source)
    grids = grids_holding(spy, loaded, f"  {str(one['nomor']).lower()} ")
    assert spy.calls == [("read_sheets", (one["_sheet"],))]
    assert [g.name for g in grids] == [one["_sheet"]]
    snapshot = row_snapshot(grids[0], str(one["nomor"]), profile)
    assert snapshot is not None and snapshot.complaint["desa"] == one["desa"]

    twice = register.every_row()["nomor"].value_counts()
    doubled = str(twice[twice > 1].index[0])  # the demo plants a duplicate Nomor
    spy.calls.clear()
    every = grids_holding(spy, loaded, doubled)
    assert spy.calls == [("read", ())] and every
