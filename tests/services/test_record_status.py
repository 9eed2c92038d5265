"""services.record_status: Duplikat/Batal marks (audited, exactly once, admin-only reversal) and
the likely duplicates of a new complaint (issue 13.1)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from data_sources.local_file import LocalFileSource
from metrics.columns import AUDIT_SHEET
from metrics.errors import PantauError
from metrics.profiles import load_profile, register_header
from metrics.register import normalise_register
from services.access import NotAllowed, Viewer
from services.complaints import read_snapshot, record_complaint
from services.record_status import duplicates_of_new, mark_record, unmark_record

PROFILE = load_profile("umum")
PETUGAS = Viewer("Petugas Sukamaju", "petugas", ("Sukamaju",))
ADMIN = Viewer("Admin", "admin", ())
NOW = dt.datetime(2026, 3, 4, 10, 0)
FIELDS = {
    "desa": "Sukamaju",
    "nama_pelapor": "Siti Rahayu",
    "alamat": "RT 02",
    "no_hp": "081234567890",
    "saluran": "whatsapp",
    "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang air hujan",
    "tanggal_diterima": dt.datetime(2026, 3, 4, 9, 0),
}


def blank_register(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    workbook.active.append(register_header(PROFILE))
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    return LocalFileSource(path)


def load(source):
    return normalise_register(source.read(), PROFILE)


def record(source, fields, submission):
    result, _ = record_complaint(
        source, load(source), PROFILE, PETUGAS, fields, NOW, submission_id=submission
    )
    return result.key


def audit(source):
    workbook = openpyxl.load_workbook(source.path)
    return [[c.value for c in r] for r in workbook[AUDIT_SHEET].iter_rows(min_row=2)]


@pytest.fixture
def two(tmp_path):
    source = blank_register(tmp_path)
    first = record(source, FIELDS, "a1")
    second = record(source, {**FIELDS, "isi_pengaduan": FIELDS["isi_pengaduan"] + "."}, "a2")
    return source, first, second


def test_a_new_complaint_nearly_repeating_a_recent_one_is_found(two):
    source, first, second = two
    register = load(source)
    found = duplicates_of_new(register, {**FIELDS, "no_hp": "+62 812-3456-7890"}, NOW)
    assert set(found["nomor"]) == {first, second}
    assert (found["hari_lalu"] == 0).all()
    # another phone, another desa, a different text or an old complaint: not a likely duplicate
    assert duplicates_of_new(register, {**FIELDS, "no_hp": "081299998888"}, NOW).empty
    assert duplicates_of_new(register, {**FIELDS, "desa": "Cibodas"}, NOW).empty
    assert duplicates_of_new(
        register, {**FIELDS, "isi_pengaduan": "Lampu jalan mati di dusun tiga"}, NOW
    ).empty
    assert duplicates_of_new(register, FIELDS, NOW + dt.timedelta(days=20), days=14).empty
    assert not duplicates_of_new(register, FIELDS, NOW + dt.timedelta(days=20), days=30).empty


def test_marking_a_duplicate_is_an_audited_update_done_once(two):
    source, first, second = two
    register = load(source)
    snapshot = read_snapshot(source, second, PROFILE)
    before = len(audit(source))
    mark_record(
        source, register, snapshot, "Duplikat", first.lower(), PROFILE, PETUGAS, NOW, submission_id="m1"
    )
    # a replay of the same submission writes nothing more
    mark_record(source, register, snapshot, "Duplikat", first, PROFILE, PETUGAS, NOW, submission_id="m1")
    after = load(source)
    assert list(after.complaints["nomor"]) == [first]
    assert list(after.voided["nomor"]) == [second]
    assert after.voided.loc[0, "status_catatan"] == "Duplikat"
    assert after.voided.loc[0, "keterangan_status"] == first  # the original's Nomor as written
    rows = audit(source)[before:]
    changed = {row[2]: row[4] for row in rows}
    assert changed["Status Catatan"] == "Duplikat" and changed["Keterangan Status"] == first
    assert len({row[7] for row in rows}) == 1  # one submission


def test_a_duplicate_must_point_at_an_existing_counted_original(two):
    source, first, second = two
    register = load(source)
    snapshot = read_snapshot(source, second, PROFILE)
    for note in ("", second, "SKM/2099/01/9999"):
        with pytest.raises(PantauError):
            mark_record(
                source, register, snapshot, "Duplikat", note, PROFILE, PETUGAS, NOW, submission_id="x"
            )
    mark_record(source, register, snapshot, "Duplikat", first, PROFILE, PETUGAS, NOW, submission_id="m1")
    # the first may not now be marked a duplicate of the (marked) second
    register = load(source)
    with pytest.raises(PantauError, match="Duplikat/Batal"):
        mark_record(
            source,
            register,
            read_snapshot(source, first, PROFILE),
            "Duplikat",
            second,
            PROFILE,
            PETUGAS,
            NOW,
            submission_id="m2",
        )


def test_batal_needs_a_reason_and_only_admin_reverses(two):
    source, first, _ = two
    snapshot = read_snapshot(source, first, PROFILE)
    with pytest.raises(PantauError, match="Alasan"):
        mark_record(source, load(source), snapshot, "Batal", " ", PROFILE, PETUGAS, NOW, submission_id="b0")
    mark_record(
        source, load(source), snapshot, "Batal", "Salah catat", PROFILE, PETUGAS, NOW, submission_id="b1"
    )
    marked = read_snapshot(source, first, PROFILE)
    assert marked.complaint["status_catatan"] == "Batal"
    with pytest.raises(NotAllowed):
        unmark_record(source, marked, PROFILE, PETUGAS, NOW, submission_id="u0")
    before = len(audit(source))
    unmark_record(source, marked, PROFILE, ADMIN, NOW, submission_id="u1")
    assert first in set(load(source).complaints["nomor"])
    rows = audit(source)[before:]
    assert {row[2]: row[3] for row in rows}["Status Catatan"] == "Batal"  # old value kept in Riwayat
    assert {row[6] for row in rows} == {"admin"}


def test_another_desa_may_not_mark(two):
    source, first, second = two
    other = Viewer("Petugas Cibodas", "petugas", ("Cibodas",))
    with pytest.raises(NotAllowed):
        mark_record(
            source,
            load(source),
            read_snapshot(source, second, PROFILE),
            "Duplikat",
            first,
            PROFILE,
            other,
            NOW,
            submission_id="z",
        )
