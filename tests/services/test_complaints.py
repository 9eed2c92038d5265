"""services.complaints: recording and updating complaints, tested directly (no pages).

Covers: who may write, which worksheet a new complaint goes to, concurrent new complaints get
different numbers, the submission id travels to the source (only when the source takes it),
and an update that changes nothing writes nothing.
"""

from __future__ import annotations

import datetime as dt
import threading

import openpyxl
import pandas as pd
import pytest

from data_sources.base import AppendResult, UpdateResult
from data_sources.local_file import LocalFileSource
from metrics.complaint_updates import StageUpdate, row_snapshot
from metrics.errors import PantauError
from metrics.profiles import load_profile, register_header
from metrics.register import SheetGrid, normalise_register
from services.access import Viewer
from services.complaints import (
    NotAllowed,
    NothingChanged,
    accepts_submission_id,
    apply_update,
    new_submission_id,
    open_choices,
    read_snapshot,
    record_complaint,
    sheet_hint,
    target_sheet,
    writable_desas,
)
from tests.complaint_helpers import PETUGAS, rows_of

NOW = dt.datetime(2026, 3, 4, 10, 0)
FIELDS = {
    "desa": "Sukamaju",
    "nama_pelapor": "Siti Rahayu",
    "alamat": "RT 02",
    "no_hp": "081234567890",
    "saluran": "whatsapp",
    "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang",
    "tanggal_diterima": dt.datetime(2026, 3, 4, 9, 0),
}


def small_register(tmp_path, rows=()):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    workbook.active.append(register_header(load_profile("umum")))
    for row in rows:
        workbook.active.append(list(row))
    path = tmp_path / "kecil.xlsx"
    workbook.save(path)
    return path


# ------------------------------------------------------------------------- which worksheet


def test_new_complaints_go_to_the_desa_worksheet(tmp_path):
    """One worksheet per desa (no Desa column): a new complaint goes to its desa's sheet."""
    profile = load_profile("umum")
    header = [h for h in register_header(profile) if h != "Desa"]
    row = [
        "SKM/2026/01/0001",
        "02/01/2026 08:00",
        "WhatsApp",
        "A",
        "B",
        "081234567890",
        "Tidak",
        "Isi pengaduan cukup jelas di sini",
    ]
    grids = [
        SheetGrid("Mekarsari", [header]),
        SheetGrid("Sukamaju", [header, row]),
        SheetGrid("Cibodas", [header]),
    ]
    register = normalise_register(grids, profile)
    assert target_sheet(register, "Sukamaju") == "Sukamaju"
    assert target_sheet(register, "Cibodas") == "Cibodas"  # no complaint yet: the sheet named like it
    assert target_sheet(register, "Lainnya") == "Mekarsari"  # unknown: the first sheet

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for grid in grids:
        sheet = workbook.create_sheet(grid.name)
        for values in grid.values:
            sheet.append(list(values))
    path = tmp_path / "per_desa.xlsx"
    workbook.save(path)
    fields = {
        "desa": "Cibodas",
        "nama_pelapor": "Ujang",
        "alamat": "RT 04",
        "no_hp": "081311112222",
        "saluran": "whatsapp",
        "isi_pengaduan": "Saluran air di RT 04 tersumbat sampah",
        "tanggal_diterima": dt.datetime(2026, 1, 3, 9, 0),
    }
    viewer = Viewer("Petugas Cibodas", "petugas", ("Cibodas",))
    result, _ = record_complaint(
        LocalFileSource(path),
        register,
        profile,
        viewer,
        fields,
        dt.datetime(2026, 1, 3, 10, 0),
        submission_id=new_submission_id(),
    )
    assert result.sheet == "Cibodas"
    assert result.key == "CBD/2026/01/0001"
    cibodas = openpyxl.load_workbook(path)["Cibodas"]
    written = [c.value for c in cibodas[2]]
    assert written[0] == "CBD/2026/01/0001"
    assert "Desa" not in [c.value for c in cibodas[1]], "no Desa column is added to a desa's own sheet"


# ----------------------------------------------------------------------------- concurrency


def submit_concurrently(path, count):
    """``count`` threads call ``record_complaint`` at the same moment, each with its own source
    object (as two petugas' sessions would); returns the numbers they got."""
    profile = load_profile("umum")
    register = normalise_register(LocalFileSource(path).read(), profile)
    now = dt.datetime.now().replace(second=0, microsecond=0)
    fields = {
        "desa": "Sukamaju",
        "alamat": "RT 03",
        "no_hp": "081298765432",
        "saluran": "tatap_muka",
        "isi_pengaduan": "Sampah menumpuk di dekat pasar desa sejak minggu lalu",
        "tanggal_diterima": now,
    }
    barrier = threading.Barrier(count)
    results, failures = [], []

    def submit(index):
        barrier.wait()
        try:
            result, _cells = record_complaint(
                LocalFileSource(path),
                register,
                profile,
                PETUGAS,
                {**fields, "nama_pelapor": f"Warga {index}"},
                now,
                submission_id=new_submission_id(),
            )
            results.append(result.key)
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert len(results) == count
    return results


def check_written(path, numbers):
    assert len(set(numbers)) == len(numbers), numbers
    rows, audit = rows_of(path)
    assert set(numbers) <= set(rows)
    names = {rows[n]["Nama Pelapor"].value for n in numbers}
    assert names == {f"Warga {i}" for i in range(len(numbers))}
    assert {r[1] for r in audit} >= set(numbers)


def test_two_concurrent_new_complaints_get_different_numbers(tmp_path):
    path = small_register(tmp_path, [["ADU/2020/01/0001", "Sukamaju"]])
    numbers = submit_concurrently(path, 2)
    check_written(path, numbers)


def test_many_concurrent_new_complaints_on_a_small_register(tmp_path):
    # A small register saves fast, so eight writers stay within the source's lock timeout.
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    workbook.active.append(register_header(load_profile("umum")))
    workbook.active.append(["ADU/2020/01/0001", "Sukamaju"])
    path = tmp_path / "kecil.xlsx"
    workbook.save(path)
    numbers = submit_concurrently(path, 8)
    check_written(path, numbers)
    assert sorted(int(n.rsplit("/", 1)[1]) for n in numbers) == list(range(1, 9))


# ------------------------------------------------------------------------- submission ids


class RecordingSource:
    """A local file source whose writes take ``submission_id`` (CONTRACTS.md 1) and record it."""

    def __init__(self, path):
        self.inner = LocalFileSource(path)
        self.kind, self.label = self.inner.kind, self.inner.label
        self.ids: list[str] = []

    def read(self) -> list[SheetGrid]:
        return self.inner.read()

    def read_audit(self) -> list[list[str]]:
        return self.inner.read_audit()

    def append_row(self, *args, submission_id: str) -> AppendResult:
        self.ids.append(submission_id)
        return self.inner.append_row(*args)

    def update_row(self, *args, submission_id: str) -> UpdateResult:
        self.ids.append(submission_id)
        return self.inner.update_row(*args)


def test_the_submission_id_travels_to_a_source_that_takes_it(tmp_path):
    path = small_register(tmp_path, [["ADU/2020/01/0001", "Sukamaju"]])
    profile = load_profile("umum")
    source = RecordingSource(path)
    register = normalise_register(source.read(), profile)
    result, cells = record_complaint(source, register, profile, PETUGAS, FIELDS, NOW, submission_id="abc123")
    assert source.ids == ["abc123"]
    assert cells["nomor"] == result.key
    snapshot = row_snapshot(source.read()[0], result.key, profile)
    update = StageUpdate(stage=snapshot.complaint["tahap"], hasil_tindak_lanjut="Sudah dicek petugas")
    apply_update(source, snapshot, update, profile, PETUGAS, NOW, submission_id="def456")
    assert source.ids == ["abc123", "def456"]


class HeaderCheckingSource(RecordingSource):
    """A source that takes the header row as loaded (as GoogleSheetsSource does) and records it."""

    def __init__(self, path):
        super().__init__(path)
        self.headers: list[tuple[str, ...]] = []

    def update_row(self, *args, submission_id: str, loaded_header=()) -> UpdateResult:
        self.headers.append(tuple(loaded_header))
        return super().update_row(*args, submission_id=submission_id)


def test_the_header_row_as_loaded_travels_to_a_source_that_checks_it(tmp_path):
    path = small_register(tmp_path, [["ADU/2020/01/0001", "Sukamaju"]])
    profile = load_profile("umum")
    source = HeaderCheckingSource(path)
    register = normalise_register(source.read(), profile)
    result, _cells = record_complaint(source, register, profile, PETUGAS, FIELDS, NOW, submission_id="h0")
    grid = source.read()[0]
    snapshot = row_snapshot(grid, result.key, profile)
    update = StageUpdate(stage=snapshot.complaint["tahap"], hasil_tindak_lanjut="Sudah dicek petugas")
    apply_update(source, snapshot, update, profile, PETUGAS, NOW, submission_id="h1")
    header_index = next(i for i, row in enumerate(grid.values) if "Nomor" in [str(c).strip() for c in row])
    assert source.headers == [tuple(str(c).strip() for c in grid.values[header_index])]


def test_a_source_without_the_keyword_is_still_written_once(tmp_path):
    """Transitional adapter: the keyword is passed only to a source that takes it."""
    path = small_register(tmp_path)
    profile = load_profile("umum")
    source = LocalFileSource(path)
    assert accepts_submission_id(RecordingSource(path).append_row)
    assert accepts_submission_id(source.append_row) == (
        "submission_id" in LocalFileSource.append_row.__code__.co_varnames
    )
    register = normalise_register(source.read(), profile)
    result, _ = record_complaint(source, register, profile, PETUGAS, FIELDS, NOW, submission_id="x")
    rows, audit = rows_of(path)
    assert list(rows) == [result.key]
    assert {r[1] for r in audit} == {result.key}


def test_new_submission_ids_differ():
    ids = {new_submission_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 for i in ids)


# ------------------------------------------------------------------------- nothing changed


def test_an_update_that_changes_nothing_writes_nothing(tmp_path):
    path = small_register(tmp_path)
    profile = load_profile("umum")
    source = LocalFileSource(path)
    register = normalise_register(source.read(), profile)
    result, _ = record_complaint(source, register, profile, PETUGAS, FIELDS, NOW, submission_id="a")
    before = path.read_bytes()
    snapshot = row_snapshot(source.read()[0], result.key, profile)
    stay = StageUpdate(stage=snapshot.complaint["tahap"])
    with pytest.raises(NothingChanged, match=result.key):
        apply_update(source, snapshot, stay, profile, PETUGAS, NOW, submission_id="b")
    assert path.read_bytes() == before, "nothing changed = nothing written (no Diperbarui Pada bump)"
    # the same text as is already in the sheet is no change either
    note = StageUpdate(stage=snapshot.complaint["tahap"], hasil_tindak_lanjut="Sudah dicek")
    apply_update(source, snapshot, note, profile, PETUGAS, NOW, submission_id="c")
    saved = path.read_bytes()
    again = row_snapshot(source.read()[0], result.key, profile)
    with pytest.raises(NothingChanged):
        apply_update(source, again, note, profile, PETUGAS, NOW, submission_id="d")
    assert path.read_bytes() == saved


def test_an_update_is_refused_for_a_viewer_who_may_not_write(tmp_path):
    path = small_register(tmp_path)
    profile = load_profile("umum")
    source = LocalFileSource(path)
    register = normalise_register(source.read(), profile)
    result, _ = record_complaint(source, register, profile, PETUGAS, FIELDS, NOW, submission_id="a")
    before = path.read_bytes()
    snapshot = row_snapshot(source.read()[0], result.key, profile)
    update = StageUpdate(stage=snapshot.complaint["tahap"], hasil_tindak_lanjut="Diperbaiki")
    for viewer in (
        Viewer("Camat", "kecamatan"),
        Viewer("", "public"),
        Viewer("Kades", "kepala_desa", ("Sukamaju",)),
        Viewer("Petugas Mekarsari", "petugas", ("Mekarsari",)),
    ):
        with pytest.raises(NotAllowed):
            apply_update(source, snapshot, update, profile, viewer, NOW, submission_id="b")
    assert path.read_bytes() == before


# ------------------------------------------------------------------------- choices


def test_writable_desas_and_open_choices():
    profile = load_profile("umum")
    complaints = pd.DataFrame(
        {
            "nomor": ["A/1", "A/2", "B/1", None],
            "desa": ["Sukamaju", "Sukamaju", "Mekarsari", "Sukamaju"],
            "tanggal_diterima": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-03-02"]),
            "tanggal_selesai": pd.to_datetime([None, None, None, None]),
        }
    )
    assert writable_desas(PETUGAS, complaints, profile) == ["Sukamaju"]
    assert writable_desas(Viewer("Admin", "admin"), complaints, profile, ("X", "Y")) == ["X", "Y"]
    assert writable_desas(Viewer("Camat", "kecamatan"), complaints, profile) == []
    assert open_choices(complaints, "tanggal_selesai", PETUGAS) == ["A/2", "A/1"]
    assert open_choices(complaints, "tanggal_selesai", Viewer("Admin", "admin")) == ["B/1", "A/2", "A/1"]


# ------------------------------------------------------------------------- Menunggu kelengkapan


def test_pause_and_resume_are_audited_updates_and_an_old_register_gets_the_columns(tmp_path):
    profile = load_profile("umum")
    old_header = [h for h in register_header(profile) if "Kelengkapan" not in h and "Berkas" not in h]
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    workbook.active.append(old_header)
    path = tmp_path / "lama.xlsx"
    workbook.save(path)
    source = LocalFileSource(path)
    register = normalise_register(source.read(), profile)
    result, _ = record_complaint(source, register, profile, PETUGAS, FIELDS, NOW, submission_id="a")
    snapshot = row_snapshot(source.read()[0], result.key, profile)
    stage_key = "diterima"
    pause = StageUpdate(stage=stage_key, mulai_menunggu=dt.datetime(2026, 3, 4, 9, 30))
    apply_update(source, snapshot, pause, profile, PETUGAS, NOW, submission_id="b")
    rows, audit = rows_of(path)
    assert rows[result.key]["Mulai Menunggu Kelengkapan"].value == "04/03/2026 09:30"
    assert [r[2:5] for r in audit if r[2] == "Mulai Menunggu Kelengkapan"] == [
        ["Mulai Menunggu Kelengkapan", None, "04/03/2026 09:30"]
    ]
    # a replay of the same submission writes nothing more
    apply_update(source, snapshot, pause, profile, PETUGAS, NOW, submission_id="b")
    assert len(rows_of(path)[1]) == len(audit)
    later = NOW + dt.timedelta(days=7)
    snapshot = row_snapshot(source.read()[0], result.key, profile)
    resume = StageUpdate(stage=stage_key, berkas_lengkap=dt.datetime(2026, 3, 11, 9, 0))
    apply_update(source, snapshot, resume, profile, PETUGAS, later, submission_id="c")
    rows, audit = rows_of(path)
    assert rows[result.key]["Berkas Lengkap Pada"].value == "11/03/2026 09:00"
    # a second pause is refused by name, nothing written
    before = path.read_bytes()
    snapshot = row_snapshot(source.read()[0], result.key, profile)
    again = StageUpdate(stage=stage_key, mulai_menunggu=dt.datetime(2026, 3, 11, 10, 0))
    with pytest.raises(PantauError) as refused:
        apply_update(source, snapshot, again, profile, PETUGAS, later, submission_id="d")
    assert any("hanya dapat dijeda sekali" in p for p in refused.value.problems)
    assert path.read_bytes() == before
    # the register now reads the pause: the complaint's verification due moved by the paused span
    complaints = normalise_register(source.read(), profile).complaints
    assert complaints["mulai_menunggu_kelengkapan"].iloc[0] == pd.Timestamp("2026-03-04 09:30")


# ------------------------------------------------------------ one Nomor in two desas (kabupaten)


class _Grids:
    """A source holding fixed worksheets (read only)."""

    kind = "test"
    label = "test"

    def __init__(self, grids):
        self.grids = grids

    def read(self):
        return list(self.grids)


def _two_desas_same_nomor():
    """Sukamaju and Sukamulya, one worksheet each (a synced kabupaten's store), both numbering
    their own register: each holds SKM/2026/03/0001, with different complainants."""
    profile = load_profile("umum")
    header = register_header(profile)

    def row(desa, nama):
        cells = dict.fromkeys(header, "")
        cells.update(
            {
                "Nomor": "SKM/2026/03/0001",
                "Desa": desa,
                "Tanggal Diterima": "02/03/2026 08:00",
                "Saluran": "WhatsApp",
                "Nama Pelapor": nama,
                "No. HP": "081234567890",
                "Isi Pengaduan": "Isi pengaduan cukup jelas di sini",
            }
        )
        return [cells[h] for h in header]

    grids = [
        SheetGrid("Sukamaju", [header, row("Sukamaju", "Siti")]),
        SheetGrid("Sukamulya", [header, row("Sukamulya", "Budi")]),
    ]
    return profile, grids


def test_per_desa_snapshot_reads_only_the_complaints_own_desa():
    """A synced kabupaten: (desa, Nomor) is the identity, so Perbarui of Sukamaju's complaint is
    not refused because Sukamulya has the same Nomor, and names no other desa's data."""
    profile, grids = _two_desas_same_nomor()
    complaints = normalise_register(grids, profile).complaints
    source = _Grids(grids)
    for desa, nama in (("Sukamaju", "Siti"), ("Sukamulya", "Budi")):
        hint = sheet_hint(complaints, "SKM/2026/03/0001", (desa,))
        assert hint == desa
        snapshot = read_snapshot(source, "SKM/2026/03/0001", profile, hint, per_desa=True)
        assert snapshot.sheet == desa
        assert snapshot.complaint["nama_pelapor"] == nama


def test_without_sync_or_desa_a_doubled_nomor_is_still_refused():
    """One register (no sync): a Nomor on two worksheets stays an error, as before; so does a
    synced read that cannot tell the desa (no hint: an admin typing the Nomor)."""
    profile, grids = _two_desas_same_nomor()
    complaints = normalise_register(grids, profile).complaints
    source = _Grids(grids)
    assert sheet_hint(complaints, "SKM/2026/03/0001") is None  # on two sheets: which is unknown
    hint = sheet_hint(complaints, "SKM/2026/03/0001", ("Sukamaju",))
    with pytest.raises(PantauError, match="ganda"):
        read_snapshot(source, "SKM/2026/03/0001", profile, hint)
    with pytest.raises(PantauError, match="ganda"):
        read_snapshot(source, "SKM/2026/03/0001", profile, None, per_desa=True)


def test_per_desa_snapshot_still_refuses_a_nomor_doubled_within_the_desa():
    profile, grids = _two_desas_same_nomor()
    doubled = SheetGrid("Sukamaju", [*grids[0].values, grids[0].values[1]])
    source = _Grids([doubled, grids[1]])
    with pytest.raises(PantauError, match="Sukamaju baris 2; Sukamaju baris 3") as error:
        read_snapshot(source, "SKM/2026/03/0001", profile, "Sukamaju", per_desa=True)
    assert "Sukamulya" not in str(error.value)
