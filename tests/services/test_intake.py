"""services.intake on a local .xlsx register with a ``Respons Formulir 1`` sheet: each complete
response becomes one complaint once (reruns, a crash between append and mark, rows sorted in
between), incomplete ones wait on the pending list, a renamed question is named, hostile answers
are stored as text."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from data_sources.form_responses import LocalResponseSheet, response_sheet_for
from data_sources.local_file import LocalFileSource
from data_sources.xlsx_patch import XlsxPackage
from metrics.complaint_updates import StageUpdate
from metrics.errors import PantauError
from metrics.profiles import load_profile
from metrics.register import normalise_register
from services.access import NotAllowed
from services.complaints import apply_update, read_snapshot
from services.intake import intake_viewer, main, merge_responses
from services.intake_config import intake_config

NOW = dt.datetime(2026, 11, 30, 10, 0)
DESAS = ["Sukamaju", "Mekarsari", "Cibodas", "Karangsari", "Tegalwangi", "Sindangsari", "Margamulya"]
HEADER = ["Stempel waktu", "Desa", "Nama Pelapor", "Alamat", "Nomor HP", "Isi Pengaduan", "Kategori"]
HOSTILE = ['=HYPERLINK("http://x")', "+cmd <b>x</b>", "@SUM(A1) **tebal** 😀 שלום — lampu jalan mati di RT 3"]


def answer(day: int, desa: str = "Cibodas", isi: str = "Lampu jalan di RT 03 mati sejak seminggu ini", **kw):
    row = {
        "Stempel waktu": f"{day}/11/2026 9:05:03",
        "Desa": desa,
        "Nama Pelapor": "Siti Rahayu",
        "Alamat": "RT 03/RW 01",
        "Nomor HP": "0812-3456-7890",
        "Isi Pengaduan": isi,
        "Kategori": "Infrastruktur",
        **kw,
    }
    return [row[h] for h in HEADER]


@pytest.fixture
def register(tmp_path, demo_register_path):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    return path


def add_responses(path, rows, name="Respons Formulir 1", header=HEADER):
    package = XlsxPackage(path)
    if package.sheet_part(name) is None:
        package.add_sheet(name)
    cells = {(r, c): v for r, row in enumerate([header, *rows]) for c, v in enumerate(row)}
    package.set_cells(name, cells)
    data = package.save_bytes()
    package.close()
    path.write_bytes(data)


def merge(path, config=None, now=NOW):
    profile = load_profile("umum")
    source = LocalFileSource(path)
    register = normalise_register(source.read(), profile, desa_names=DESAS)
    config = config or intake_config({})
    sheet = response_sheet_for(source, config.worksheet)
    return merge_responses(source, sheet, register, profile, config, desas=DESAS, now=now)


def complaints(path):
    return normalise_register(LocalFileSource(path).read(), load_profile("umum"), desa_names=DESAS).complaints


def test_each_response_becomes_one_complaint_once(register):
    before = len(complaints(register))
    add_responses(
        register, [answer(28), answer(29, desa="mekarsari", isi="Saluran air tersumbat di depan balai desa")]
    )
    first = merge(register)
    assert [row for row, _ in first.merged] == [2, 3] and not first.pending and not first.errors
    after = complaints(register)
    assert len(after) == before + 2  # the response sheet itself is not read as complaints
    new = after[after["nomor"].isin([n for _, n in first.merged])]
    assert set(new["desa"]) == {"Cibodas", "Mekarsari"}  # spelled as the register's desa
    assert set(new["saluran"]) == {"website"}
    received = sorted(new["tanggal_diterima"])
    assert received[0] == dt.datetime(2026, 11, 28, 9, 5)  # day-first response time, to the minute
    marks = LocalFileSource(register).read_sheets(["Respons Formulir 1"])[0].values
    assert marks[0][-1] == "Nomor Pantau" and [r[-1] for r in marks[1:]] == [n for _, n in first.merged]
    again = merge(register)
    assert not again.merged and not again.replayed and again.already == 2
    assert len(complaints(register)) == before + 2


def test_crash_between_append_and_mark_is_replayed_not_duplicated(register, monkeypatch):
    add_responses(register, [answer(28)])
    before = len(complaints(register))

    def crash(self, cells):
        raise PantauError("proses berhenti")

    monkeypatch.setattr("data_sources.form_responses.LocalResponseSheet.write_cells", crash)
    report = merge(register)
    assert report.merged and report.errors  # appended, not marked
    monkeypatch.undo()
    retry = merge(register)
    assert not retry.merged and retry.replayed == [(2, report.merged[0][1])]  # same Nomor, no new row
    assert len(complaints(register)) == before + 1
    audit = LocalFileSource(register).read_audit()
    ids = [r[7] for r in audit[1:] if len(r) > 7 and r[7].startswith("form-")]
    assert len(set(ids)) == 1


def test_a_response_whose_complaint_row_was_deleted_by_hand_is_marked_not_written_again(
    register, monkeypatch
):
    add_responses(register, [answer(28)])
    before = len(complaints(register))

    def crash(self, cells):
        raise PantauError("proses berhenti")

    monkeypatch.setattr("data_sources.form_responses.LocalResponseSheet.write_cells", crash)
    nomor = merge(register).merged[0][1]  # appended, not marked
    monkeypatch.undo()
    # a petugas deletes the new complaint's row by hand before the next run
    workbook = openpyxl.load_workbook(register)
    (sheet, row) = next(
        (ws, cell.row)
        for ws in workbook.worksheets
        for r in ws.iter_rows()
        for cell in r
        if cell.value == nomor
    )
    sheet.delete_rows(row)
    workbook.save(register)
    assert len(complaints(register)) == before
    audit_before = len(LocalFileSource(register).read_audit())
    retry = merge(register)
    assert retry.deleted == [(2, nomor)] and not retry.merged and not retry.replayed and not retry.errors
    assert any(f"Nomor {nomor}" in line and "dihapus" in line for line in retry.lines())
    marks = LocalFileSource(register).read_sheets(["Respons Formulir 1"])[0].values
    assert marks[1][-1] == nomor  # final: the response carries its Nomor
    again = merge(register)
    assert again.already == 1 and not again.deleted and not again.merged and not again.errors
    assert len(complaints(register)) == before  # never written again
    assert len(LocalFileSource(register).read_audit()) == audit_before


def test_rows_sorted_between_runs_keep_their_marks(register):
    add_responses(register, [answer(27), answer(28, isi="Jembatan bambu di dusun Kaler hampir roboh")])
    first = merge(register)
    grid = LocalFileSource(register).read_sheets(["Respons Formulir 1"])[0].values
    # a person sorts the sheet newest first (marks travel with their rows)
    add_responses(register, [grid[2], grid[1]], header=grid[0])
    second = merge(register)
    assert not second.merged and second.already == 2
    assert len(first.merged) == 2


def test_incomplete_responses_wait_on_the_pending_list(register):
    add_responses(
        register,
        [
            answer(28, **{"Nama Pelapor": "", "Nomor HP": ""}),
            answer(28, desa="Antah Berantah"),
            answer(28, **{"Stempel waktu": "kemarin"}),
            answer(28, isi="x" * 40_000),
        ],
    )
    before = len(complaints(register))
    report = merge(register)
    assert not report.merged and len(report.pending) == 4
    messages = [" ".join(p.problems) for p in report.pending]
    assert (
        "Pertanyaan 'Nama Pelapor' belum dijawab" in messages[0]
        and "Pertanyaan 'Nomor HP' belum dijawab" in messages[0]
    )
    assert "Antah Berantah" in messages[1]
    assert "tidak terbaca" in messages[2]
    assert "terlalu panjang (40.000 karakter; paling banyak 30.000)" in messages[3]
    assert len(complaints(register)) == before


def test_a_renamed_question_is_named_and_nothing_is_merged(register):
    header = [h if h != "Isi Pengaduan" else "Keluhan Anda" for h in HEADER]
    add_responses(register, [answer(28)], header=header)
    report = merge(register)
    assert not report.merged
    assert any("'Isi Pengaduan'" in p and "Respons Formulir 1" in p for p in report.problems)
    assert any("'Keluhan Anda'" in n for n in report.notes)  # the unknown question, by name
    mapped = merge(
        register,
        intake_config(
            {
                "kolom": {
                    "Keluhan Anda": "isi_pengaduan",
                    "Desa": "desa",
                    "Nama Pelapor": "nama_pelapor",
                    "Alamat": "alamat",
                    "Nomor HP": "no_hp",
                }
            }
        ),
    )
    assert len(mapped.merged) == 1


def test_hostile_answers_are_stored_as_text(register):
    add_responses(
        register, [answer(28, **{"Nama Pelapor": HOSTILE[0], "Alamat": HOSTILE[1]}, isi=HOSTILE[2])]
    )
    report = merge(register)
    nomor = report.merged[0][1]
    row = complaints(register).set_index("nomor").loc[nomor]
    assert (row["nama_pelapor"], row["alamat"], row["isi_pengaduan"]) == tuple(HOSTILE)


def test_missing_sheet_is_reported_not_an_error(register):
    report = merge(register)
    assert not report.found and "tidak ada" in report.lines()[0]


def test_the_intake_writer_may_only_append(register):
    viewer = intake_viewer(["Cibodas"])
    assert viewer.can_file("Cibodas") and not viewer.can_file("Sukamaju")
    assert not viewer.can_write("Cibodas") and not viewer.is_staff
    profile = load_profile("umum")
    source = LocalFileSource(register)
    nomor = complaints(register).query("desa == 'Cibodas'")["nomor"].iloc[0]
    snapshot = read_snapshot(source, nomor, profile)
    audit = source.read_audit()
    with pytest.raises(NotAllowed):
        apply_update(
            source, snapshot, StageUpdate(stage="verifikasi"), profile, viewer, NOW, submission_id="x"
        )
    assert source.read_audit() == audit  # nothing written


def test_run_intake_uses_the_apps_settings(register, tmp_path, monkeypatch, capsys):
    add_responses(
        register, [answer(28), answer(28, **{"Alamat": ""}, isi="Selokan mampet di depan sekolah dasar")]
    )
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[pantau]\nregister = "{register}"\n[wilayah]\ndesa = {DESAS!r}\n'.replace("'", '"'))
    monkeypatch.delenv("PANTAU_REGISTER", raising=False)
    monkeypatch.setenv("PANTAU_SOP", "umum")
    assert main(["--secrets", str(secrets), "--now", "2026-11-30T10:00"]) == 0
    out = capsys.readouterr().out
    assert "1 respons baru masuk register" in out and "1 menunggu dilengkapi" in out
    assert "Pertanyaan 'Alamat' belum dijawab" in out
    assert main(["--secrets", str(secrets), "--now", "2026-11-30T10:00"]) == 0
    assert "0 respons baru masuk register" in capsys.readouterr().out
    assert main(["--secrets", str(tmp_path / "tidak_ada.toml")]) == 2
    assert "tidak ada" in capsys.readouterr().err


def test_a_run_that_lost_the_race_reports_already_marked_and_succeeds(register, monkeypatch):
    """Two ``./run intake`` at once: the loser read the sheet before the winner marked it; its
    replays find every row marked already, so nothing is written and the run is a success."""
    add_responses(register, [answer(28), answer(29)])
    stale = LocalFileSource(register).read_sheets(["Respons Formulir 1"])[0]
    winner = merge(register)
    assert len(winner.merged) == 2 and winner.marked == 2
    reads = []
    real_read = LocalResponseSheet.read

    def first_read_stale(self):
        reads.append(1)
        return stale if len(reads) == 1 else real_read(self)

    monkeypatch.setattr(LocalResponseSheet, "read", first_read_stale)
    loser = merge(register)
    assert not loser.merged and not loser.errors and loser.marked == 0
    assert sorted(loser.replayed) == sorted(winner.merged)
    assert "0 respons baru masuk register, 2 sudah tercatat sebelumnya" in loser.lines()[0]
    assert len(reads) == 2  # the marks were looked at again


def test_run_intake_exit_code_is_zero_when_another_run_marked_everything(
    register, tmp_path, monkeypatch, capsys
):
    add_responses(register, [answer(28)])
    stale = LocalFileSource(register).read_sheets(["Respons Formulir 1"])[0]
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[pantau]\nregister = "{register}"\n[wilayah]\ndesa = {DESAS!r}\n'.replace("'", '"'))
    monkeypatch.delenv("PANTAU_REGISTER", raising=False)
    monkeypatch.setenv("PANTAU_SOP", "umum")
    assert main(["--secrets", str(secrets), "--now", "2026-11-30T10:00"]) == 0
    capsys.readouterr()
    reads = []
    real_read = LocalResponseSheet.read

    def first_read_stale(self):
        reads.append(1)
        return stale if len(reads) == 1 else real_read(self)

    monkeypatch.setattr(LocalResponseSheet, "read", first_read_stale)
    assert main(["--secrets", str(secrets), "--now", "2026-11-30T10:00"]) == 0
    captured = capsys.readouterr()
    assert "0 respons baru masuk register, 1 sudah tercatat sebelumnya" in captured.out
    assert "Gagal" not in captured.err
