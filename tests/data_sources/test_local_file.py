import csv
import re

import openpyxl
import pytest

from data_sources.base import ConcurrentChange, DuplicateKey
from data_sources.local_file import LOCAL_AUDIT_HEADER as AUDIT_HEADER
from data_sources.local_file import LocalFileSource

HEADER = ["Nomor", "Desa", "Tanggal Diterima", "Tahap", "Catatan Petugas", "Tanggal Jawaban"]
ROWS = [
    ["A/1", "Cibodas", "01/02/2024 09:00", "Diterima", "lihat arsip", ""],
    ["A/2", "Cibodas", "02/02/2024 10:00", "Verifikasi", "", ""],
    ["A/3", "Mekarsari", "03/02/2024 11:00", "Diterima", "=SUM(1,2)", ""],
]


def make_xlsx(path, rows=ROWS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(["BUKU REGISTER PENGADUAN"])
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    sheet["E5"].data_type = "s"  # '=SUM(1,2)' is text someone typed, not a formula
    other = workbook.create_sheet("Catatan")
    other["A1"] = "jangan diubah"
    workbook.save(path)
    return path


def all_cells(path):
    workbook = openpyxl.load_workbook(path)
    return {
        ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets
    }


def test_update_changes_only_that_complaint_and_appends_audit(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    before = all_cells(path)
    source = LocalFileSource(path)
    result = source.update_row(
        "Register",
        "Nomor",
        "A/2",
        {"Tahap": ("Verifikasi", "Dijawab"), "Tanggal Jawaban": ("", "05/02/2024 10:00")},
        [["2024-02-05 10:00", "A/2", "Tahap", "Verifikasi", "Dijawab", "siti", "petugas"]],
    )
    assert result.row == 4
    after = all_cells(path)
    assert after["Catatan"] == before["Catatan"]
    changed = [
        (r, c)
        for r, row in enumerate(after["Register"])
        for c, v in enumerate(row)
        if before["Register"][r][c] != v
    ]
    assert changed == [(3, 3), (3, 5)]
    assert after["Register"][3][3] == "Dijawab"
    assert after["Riwayat"][0] == list(AUDIT_HEADER)
    assert after["Riwayat"][1][1:3] == ["A/2", "Tahap"]


def test_complaint_found_by_nomor_after_rows_are_resorted(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx", rows=list(reversed(ROWS)))
    source = LocalFileSource(path)
    result = source.update_row("Register", "Nomor", "A/3", {"Tahap": ("Diterima", "Verifikasi")}, [])
    assert result.row == 3
    grid = source.read()[0].values
    assert grid[2][:4] == ["A/3", "Mekarsari", "03/02/2024 11:00", "Verifikasi"]
    assert grid[4][:4] == ["A/1", "Cibodas", "01/02/2024 09:00", "Diterima"]


def test_concurrent_change_refused_and_nothing_written(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    source = LocalFileSource(path)
    source.update_row(
        "Register",
        "Nomor",
        "A/1",
        {"Tahap": ("Diterima", "Verifikasi")},
        [["t", "A/1", "Tahap", "Diterima", "Verifikasi", "a", "petugas"]],
    )
    before = all_cells(path)
    with pytest.raises(ConcurrentChange) as error:
        source.update_row(
            "Register",
            "Nomor",
            "A/1",
            {"Tahap": ("Diterima", "Selesai")},
            [["t", "A/1", "Tahap", "Diterima", "Selesai", "b", "petugas"]],
        )
    assert "Verifikasi" in str(error.value)
    assert all_cells(path) == before


def test_duplicate_nomor_refused_naming_rows(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx", rows=[*ROWS, ["A/2", "Cibodas", "", "", "", ""]])
    with pytest.raises(DuplicateKey) as error:
        LocalFileSource(path).update_row("Register", "Nomor", "A/2", {"Tahap": ("Verifikasi", "x")}, [])
    assert error.value.rows == [4, 6]
    assert "4, 6" in str(error.value)


def test_formula_like_text_written_as_text_and_other_formula_text_kept(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    LocalFileSource(path).update_row(
        "Register", "Nomor", "A/1", {"Catatan Petugas": ("lihat arsip", '=HYPERLINK("http://x")')}, []
    )
    workbook = openpyxl.load_workbook(path)
    cell = workbook["Register"]["E3"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert workbook["Register"]["E5"].data_type == "s"


def test_missing_column_is_added_at_the_end(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    LocalFileSource(path).update_row("Register", "Nomor", "A/1", {"Diperbarui Oleh": ("", "siti")}, [])
    grid = LocalFileSource(path).read()[0].values
    assert grid[1][-1] == "Diperbarui Oleh" and grid[2][-1] == "siti"


def test_append_row_makes_unique_key(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    source = LocalFileSource(path)
    result = source.append_row(
        "Register",
        "Nomor",
        {"Desa": "Cibodas", "Tahap": "Diterima"},
        make_key=lambda existing: f"A/{len([k for k in existing if k]) + 1}",
        audit_rows_for=lambda key: [["t", key, "Nomor", "", key, "siti", "petugas"]],
    )
    assert result.key == "A/4" and result.row == 6
    assert source.read()[0].values[5][:2] == ["A/4", "Cibodas"]
    assert source.read_audit()[1][1] == "A/4"


def test_csv_round_trip_with_sibling_audit_file(tmp_path):
    path = tmp_path / "reg.csv"
    with path.open("w", newline="") as stream:
        csv.writer(stream).writerows([HEADER, *ROWS])
    source = LocalFileSource(path)
    source.update_row(
        "reg",
        "Nomor",
        "A/3",
        {"Tahap": ("Diterima", "Verifikasi")},
        [["t", "A/3", "Tahap", "Diterima", "Verifikasi", "x", "petugas"]],
    )
    rows = list(csv.reader(path.open()))
    assert rows[3][3] == "Verifikasi" and rows[3][4] == "=SUM(1,2)"
    assert rows[1] == ROWS[0] and rows[2] == ROWS[1]
    assert source.audit_path.name == "reg.riwayat.csv"
    assert source.read_audit()[0] == list(AUDIT_HEADER)


def test_a_save_keeps_the_register_file_permissions(tmp_path):
    """A register on a shared folder stays readable by colleagues after a save (mkstemp's 0600
    must not replace the file's own mode)."""
    import os
    import stat

    path = make_xlsx(tmp_path / "bersama.xlsx")
    os.chmod(path, 0o664)
    LocalFileSource(path).update_row(
        "Register",
        "Nomor",
        "A/1",
        {"Tahap": ("Diterima", "Verifikasi")},
        [["2024-02-05 10:00", "A/1", "Tahap", "Diterima", "Verifikasi", "siti", "petugas"]],
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert all_cells(path)["Register"][2][3] == "Verifikasi"


# ------------------------------------------------------------------ CSV as desas really have them
import codecs  # noqa: E402
import errno  # noqa: E402
import os  # noqa: E402
import zipfile  # noqa: E402

import pandas as pd  # noqa: E402

from data_sources.base import SourceError  # noqa: E402
from metrics.profiles import load_profile  # noqa: E402
from metrics.quality import quality_findings  # noqa: E402
from metrics.register import normalise_register  # noqa: E402

CSV_ROWS = [
    HEADER,
    [
        "A/1",
        "Cibodas",
        "01/02/2024 09:00",
        "Diterima",
        'Lampu "jalan" di RT 01 mati, sejak kemarin malam',
        "",
    ],
    ["A/2", "Cibodas", "02/02/2024 10:00", "Verifikasi", "baris satu\nbaris dua", ""],
    ["A/3", "Mekarsari", "03/02/2024 11:00", "Diterima", "José café", ""],
    ["A/4", "Mekarsari", "04/02/2024 11:00", "Diterima", "", ""],
]


def csv_bytes(rows, delimiter=",", newline="\r\n", encoding="utf-8", bom=b""):
    text = ""
    for row in rows:  # one row at a time: csv.writer quotes a line break only if its terminator has it
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(row)
        text += buffer.getvalue()[:-2] + newline
    return bom + text.encode(encoding)


def lines_of(data: bytes, newline: bytes) -> list[bytes]:
    return data.split(newline)


def update_tahap(source, key, old, new, submission_id=None):
    return source.update_row(
        source.read()[0].name,
        "Nomor",
        key,
        {"Tahap": (old, new)},
        [["t", key, "Tahap", old, new, "siti", "petugas"]],
        submission_id=submission_id,
    )


import io  # noqa: E402


@pytest.mark.parametrize(
    ("delimiter", "newline", "encoding", "bom"),
    [
        (",", "\r\n", "utf-8", b""),
        (";", "\r\n", "cp1252", b""),
        ("\t", "\n", "utf-8", codecs.BOM_UTF8),
        (";", "\r\n", "utf-16-le", codecs.BOM_UTF16_LE),
        (",", "\r", "utf-8", b""),
    ],
    ids=["comma-crlf", "semicolon-cp1252", "tab-bom-lf", "utf16", "mac-cr"],
)
def test_csv_reads_standard_quoting_and_a_save_changes_only_one_line(
    tmp_path, delimiter, newline, encoding, bom
):
    path = tmp_path / "reg.csv"
    original = csv_bytes(CSV_ROWS, delimiter, newline, encoding, bom)
    path.write_bytes(original)
    source = LocalFileSource(path)
    grid = source.read()[0].values
    assert [list(r) for r in grid] == CSV_ROWS  # quotes, commas and line breaks stay in their cell
    update_tahap(source, "A/3", "Diterima", "Verifikasi")
    after = path.read_bytes()
    assert after.startswith(bom)
    expected = [list(r) for r in CSV_ROWS]
    expected[3][3] = "Verifikasi"
    assert after == csv_bytes(expected, delimiter, newline, encoding, bom)
    assert source.read()[0].values[3][3] == "Verifikasi"


def test_csv_cp1252_undefined_bytes_load_with_a_finding_and_survive_a_save(tmp_path):
    path = tmp_path / "reg.csv"
    data = csv_bytes(CSV_ROWS, ";", "\r\n", "cp1252")
    data = data.replace(b"Jos\xe9", b"Jos\x81\xe9")
    path.write_bytes(data)
    source = LocalFileSource(path)
    grids = source.read()
    assert grids[0].notes and grids[0].notes[0].kode == "KARAKTER_TIDAK_TERBACA"
    register = normalise_register(grids, load_profile("umum"))
    findings = quality_findings(register, load_profile("umum"), pd.Timestamp("2024-03-01"))
    hit = findings[findings["kode"] == "KARAKTER_TIDAK_TERBACA"]
    assert list(hit["baris"]) == [4] and list(hit["kolom"]) == ["Catatan Petugas"]
    update_tahap(source, "A/1", "Diterima", "Verifikasi")
    assert b"Jos\x81\xe9" in path.read_bytes()


def test_csv_cell_over_the_csv_module_limit_loads(tmp_path):
    path = tmp_path / "reg.csv"
    rows = [list(r) for r in CSV_ROWS]
    rows[1][4] = "x" * 200_000
    path.write_bytes(csv_bytes(rows))
    source = LocalFileSource(path)
    assert len(source.read()[0].values[1][4]) == 200_000
    register = normalise_register(source.read(), load_profile("umum"))
    assert len(register.complaints) == 4


def test_a_late_replay_does_not_undo_a_later_change(tmp_path):
    """Kirim-1 saved, someone reverts it (kirim-2), then kirim-1 arrives again (a retry after a
    lost answer): the replay is recognised and the revert stays, with its audit row last."""
    for path in (make_xlsx(tmp_path / "late.xlsx"), tmp_path / "late.csv"):
        if path.suffix == ".csv":
            path.write_bytes(csv_bytes(CSV_ROWS))
        source = LocalFileSource(path)
        update_tahap(source, "A/1", "Diterima", "Verifikasi", submission_id="kirim-1")
        update_tahap(source, "A/1", "Verifikasi", "Diterima", submission_id="kirim-2")
        before, audit_before = path.read_bytes(), source.read_audit()
        again = update_tahap(source, "A/1", "Diterima", "Verifikasi", submission_id="kirim-1")
        assert again.replayed, path.suffix
        assert path.read_bytes() == before, path.suffix
        assert source.read_audit() == audit_before
        assert audit_before[-1][4] == "Diterima"  # Riwayat's last word is still the cell's value


def test_replayed_update_returns_the_original_result_and_writes_nothing(tmp_path):
    for path in (make_xlsx(tmp_path / "reg.xlsx"), tmp_path / "reg.csv"):
        if path.suffix == ".csv":
            path.write_bytes(csv_bytes(CSV_ROWS))
        source = LocalFileSource(path)
        first = update_tahap(source, "A/1", "Diterima", "Verifikasi", submission_id="kirim-1")
        before = path.read_bytes()
        audit_before = source.read_audit()
        again = update_tahap(source, "A/1", "Diterima", "Verifikasi", submission_id="kirim-1")
        assert again.replayed and not first.replayed
        assert (again.row, again.written) == (first.row, first.written)
        assert path.read_bytes() == before
        assert source.read_audit() == audit_before
        assert audit_before[0][-1] == "ID Kiriman" and audit_before[1][-1] == "kirim-1"


def test_replayed_append_gives_the_same_nomor_and_one_row(tmp_path):
    for path in (make_xlsx(tmp_path / "reg.xlsx"), tmp_path / "reg.csv"):
        if path.suffix == ".csv":
            path.write_bytes(csv_bytes(CSV_ROWS))
        source = LocalFileSource(path)
        results = [
            source.append_row(
                source.read()[0].name if path.suffix == ".csv" else "Register",
                "Nomor",
                {"Desa": "Cibodas", "Tahap": "Diterima"},
                make_key=lambda existing: f"B/{len([k for k in existing if k]) + 1}",
                audit_rows_for=lambda key: [["t", key, "Nomor", "", key, "siti", "petugas"]],
                submission_id="klik-ganda",
            )
            for _ in range(3)
        ]
        assert {r.key for r in results} == {results[0].key}
        assert [r.replayed for r in results] == [False, True, True]
        keys = [row[0] for row in source.read()[0].values]
        assert keys.count(results[0].key) == 1
        assert sum(1 for row in source.read_audit() if row[-1] == "klik-ganda") == 1


def test_csv_crash_between_audit_and_register_is_completed_by_the_retry(tmp_path, monkeypatch):
    path = tmp_path / "reg.csv"
    path.write_bytes(csv_bytes(CSV_ROWS))
    source = LocalFileSource(path)
    real_replace = os.replace
    calls = []

    def crash_on_register(src, dst):
        calls.append(dst)
        if str(dst) == str(path):
            raise OSError(errno.EIO, "I/O error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_register)
    with pytest.raises(SourceError):
        update_tahap(source, "A/2", "Verifikasi", "Dijawab", submission_id="id-7")
    monkeypatch.setattr(os, "replace", real_replace)
    assert source.read()[0].values[2][3] == "Verifikasi"  # the register was not replaced
    result = update_tahap(source, "A/2", "Verifikasi", "Dijawab", submission_id="id-7")
    assert source.read()[0].values[2][3] == "Dijawab" and result.audit_rows == 1
    assert sum(1 for row in source.read_audit() if row[-1] == "id-7") == 1
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_full_disk_changes_nothing_and_says_so(tmp_path, monkeypatch):
    for path in (make_xlsx(tmp_path / "reg.xlsx"), tmp_path / "reg.csv"):
        if path.suffix == ".csv":
            path.write_bytes(csv_bytes(CSV_ROWS))
        source = LocalFileSource(path)
        before = path.read_bytes()

        def full(_fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(SourceError) as error:
            update_tahap(source, "A/1", "Diterima", "Verifikasi", submission_id="x")
        monkeypatch.undo()
        assert "disk" in str(error.value) and str(tmp_path) not in str(error.value)
        assert path.read_bytes() == before
        assert not source.audit_path.exists()
        assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_read_only_file_is_refused_before_writing(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    os.chmod(path, 0o444)
    before = path.read_bytes()
    with pytest.raises(SourceError) as error:
        update_tahap(LocalFileSource(path), "A/1", "Diterima", "Verifikasi")
    assert "hanya-baca" in str(error.value)
    assert path.read_bytes() == before


def test_read_only_folder_gives_a_message_without_server_paths(tmp_path, monkeypatch):
    import tempfile

    path = make_xlsx(tmp_path / "reg.xlsx")

    def denied(**_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(SourceError) as error:
        update_tahap(LocalFileSource(path), "A/1", "Diterima", "Verifikasi")
    assert "izin" in str(error.value) and str(tmp_path) not in str(error.value)


def test_nomor_with_zero_width_and_non_breaking_spaces_is_found(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][0] = "A/\u200b2\xa0"
    path = make_xlsx(tmp_path / "reg.xlsx", rows=rows)
    result = LocalFileSource(path).update_row(
        "Register", "Nomor", "a/2", {"Tahap": ("Verifikasi", "Dijawab")}, []
    )
    assert result.row == 4


# ------------------------------------------------------------------ xlsx as desas really have them
def patch_sheet_xml(path, part, replace):
    """Rewrite one part of an .xlsx with ``replace(text) -> text`` (to craft what openpyxl cannot)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts[part] = replace(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Catatan!$A$1:$A$3</xm:f>'
    "</x14:formula1><xm:sqref>D3:D500</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def test_xlsx_save_keeps_an_excel_2010_dropdown_and_every_other_part(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    patch_sheet_xml(
        path, "xl/worksheets/sheet1.xml", lambda x: x.replace("</worksheet>", X14_VALIDATION + "</worksheet>")
    )
    with zipfile.ZipFile(path) as archive:
        before = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    update_tahap(LocalFileSource(path), "A/1", "Diterima", "Verifikasi", submission_id="s")
    with zipfile.ZipFile(path) as archive:
        after = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    assert X14_VALIDATION in after["xl/worksheets/sheet1.xml"].decode()
    changed = {name for name in before if before[name] != after.get(name)}
    # the register sheet, plus the new Riwayat sheet's registration
    assert changed == {
        "xl/worksheets/sheet1.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
    }
    assert all_cells(path)["Register"][2][3] == "Verifikasi"
    assert all_cells(path)["Riwayat"][1][-1] == "s"


def test_xlsx_formulas_read_their_cached_value_and_only_missing_ones_are_flagged(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")

    def formulas(xml):
        xml = re.sub(
            r'<c r="A3"[^>]*>.*?</c>',
            '<c r="A3" t="str"><f>"CBD/2026/03/"&amp;TEXT(2,"0000")</f><v>CBD/2026/03/0002</v></c>',
            xml,
        )
        xml = re.sub(r'<c r="C3"[^>]*>.*?</c>', '<c r="C3"><f>DATE(2026,3,4)</f><v>46085</v></c>', xml)
        return re.sub(r'<c r="C4"[^>]*>.*?</c>', '<c r="C4"><f>DATE(2026,3,5)</f></c>', xml)

    patch_sheet_xml(path, "xl/worksheets/sheet1.xml", formulas)
    grids = LocalFileSource(path).read()
    values = grids[0].values
    assert values[2][0] == "CBD/2026/03/0002"
    assert values[2][2] == "46085" or values[2][2].startswith("2026-03-04")
    assert values[3][2] == ""
    assert [(n.kode, n.row, n.column) for n in grids[0].notes] == [("RUMUS_TANPA_NILAI", 4, 2)]
    register = normalise_register(grids, load_profile("umum"))
    findings = quality_findings(register, load_profile("umum"), pd.Timestamp("2026-04-01"))
    assert "SEL_RUMUS" not in set(findings["kode"])
    flagged = findings[findings["kode"] == "RUMUS_TANPA_NILAI"]
    assert list(flagged["kolom"]) == ["Tanggal Diterima"] and "petik" not in flagged["pesan"].iloc[0]


def test_hidden_sheet_with_complaints_counts_with_a_finding(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    workbook = openpyxl.load_workbook(path)
    hidden = workbook.create_sheet("Arsip")
    hidden.append(HEADER)
    hidden.append(["H/1", "Cibodas", "01/02/2024 09:00", "Diterima", "", ""])
    hidden.sheet_state = "hidden"
    helper = workbook.create_sheet("Daftar")
    helper.append(["Diterima"])
    helper.sheet_state = "hidden"
    workbook.save(path)
    register = normalise_register(LocalFileSource(path).read(), load_profile("umum"))
    assert "H/1" in set(register.complaints["nomor"])
    codes = register.findings[["kode", "sheet"]].values.tolist()
    assert ["SHEET_TERSEMBUNYI", "Arsip"] in codes
    assert not [c for c in codes if c[1] == "Daftar"]


def test_stray_formatted_cell_far_away_costs_nothing(tmp_path):
    from openpyxl.styles import Font

    path = make_xlsx(tmp_path / "reg.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Register"]["XFD3000"].font = Font(bold=True)
    workbook.save(path)
    grid = LocalFileSource(path).read()[0].values
    assert len(grid) == 5 and max(len(r) for r in grid) == len(HEADER)
    update_tahap(LocalFileSource(path), "A/1", "Diterima", "Verifikasi")
    assert LocalFileSource(path).read()[0].values[2][3] == "Verifikasi"


# ------------------------------------------------------------------ concurrent savers
def _save_in_process(args):
    path, column, value, submission = args
    source = LocalFileSource(path)
    try:
        source.update_row(
            "Register",
            "Nomor",
            "A/1",
            {column: ("" if column != "Tahap" else "Diterima", value)},
            [["t", "A/1", column, "", value, "p", "petugas"]],
            submission_id=submission,
        )
        return "ok"
    except ConcurrentChange:
        return "refused"


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_two_concurrent_savers_lose_nothing(tmp_path, mode):
    import concurrent.futures as futures

    pool_type = futures.ThreadPoolExecutor if mode == "threads" else futures.ProcessPoolExecutor
    path = str(make_xlsx(tmp_path / "reg.xlsx"))
    with pool_type(max_workers=2) as pool:
        for round_number in range(5):
            same = round_number % 2 == 0  # same cell: one refused; different cells: both kept
            jobs = [
                (path, "Tahap", f"Verifikasi-{round_number}", f"a{round_number}"),
                (path, "Tahap" if same else "Tanggal Jawaban", f"Selesai-{round_number}", f"b{round_number}"),
            ]
            outcomes = list(pool.map(_save_in_process, jobs))
            row = all_cells(path)["Register"][2]
            if same:
                assert sorted(outcomes) == ["ok", "refused"]
                winner = jobs[outcomes.index("ok")][2]
                assert row[3] == winner
            else:
                assert outcomes == ["ok", "ok"]
                assert row[3] == f"Verifikasi-{round_number}" and row[5] == f"Selesai-{round_number}"
            # reset for the next round (Tahap back to Diterima, Jawaban empty)
            source = LocalFileSource(path)
            source.update_row(
                "Register",
                "Nomor",
                "A/1",
                {"Tahap": (row[3], "Diterima"), "Tanggal Jawaban": (row[5] or "", "")},
                [],
            )


def test_damaged_xlsx_gives_a_message_without_server_paths(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 bukan workbook")
    with pytest.raises(SourceError) as error:
        LocalFileSource(path).read()
    assert "rusak.xlsx" in str(error.value) and str(tmp_path) not in str(error.value)


def test_text_a_windows_1252_csv_cannot_hold_is_refused_not_replaced(tmp_path):
    """Arabic, Greek, emoji in a cp1252 register: refused with a message naming the text and
    the fix (save as CSV UTF-8); the file is unchanged (they were written as '?' before)."""
    path = tmp_path / "ansi.csv"
    rows = [list(r) for r in CSV_ROWS]
    rows[1][4] = "Andrés"
    path.write_bytes(csv_bytes(rows, delimiter=";", encoding="cp1252"))
    before = path.read_bytes()
    source = LocalFileSource(path)
    with pytest.raises(SourceError, match="CSV UTF-8"):
        update_tahap(source, "A/1", "Diterima", "Verifikasi 😀 Ωmega", submission_id="emoji-1")
    assert path.read_bytes() == before
    update_tahap(source, "A/1", "Diterima", "Verifikasi é", submission_id="latin-1")  # cp1252 holds é
    assert "Verifikasi é".encode("cp1252") in path.read_bytes()


HOSTILE = [
    '=HYPERLINK("http://x","klik")',
    "+62 812-3456",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    "''+1",
    "'biasa",
    "-5",
    "-",
    "biasa = tidak",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_csv_register_stores_formula_looking_text_guarded_and_reads_it_back_exactly(tmp_path, typed):
    """What the user typed is what the app reads back; in the file no written cell starts with a
    formula trigger (Excel would evaluate it when a petugas opens the .csv)."""
    path = tmp_path / "reg.csv"
    path.write_bytes(csv_bytes(CSV_ROWS))
    source = LocalFileSource(path)
    update_tahap(source, "A/4", "Diterima", typed, submission_id="hostile-1")
    assert source.read()[0].values[4][3] == typed
    audit = source.read_audit()
    assert audit[-1][4] == typed  # the Riwayat file round-trips too
    for file in (path, source.audit_path):
        for record in csv.reader(io.StringIO(file.read_text(encoding="utf-8"), newline="")):
            for cell in record:
                formula = re.match(r"[=+\-@\t\r]", cell) and not re.fullmatch(r"-\d+|-+", cell)
                assert not formula, (file.name, cell)


def test_csv_untouched_cells_of_the_changed_row_keep_their_original_characters(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_bytes(
        b"Nomor,Desa,Tanggal Diterima,Tahap,Catatan Petugas,Tanggal Jawaban\r\n"
        b'"A/1","Cibodas" ,01/02/2024 09:00,Diterima,"tanpa koma",\r\n'
        b"A/2,Cibodas,02/02/2024 10:00,Verifikasi,,\r\n"
    )
    source = LocalFileSource(path)
    update_tahap(source, "A/1", "Diterima", "Verifikasi", submission_id="q-1")
    lines = path.read_bytes().split(b"\r\n")
    assert lines[1] == b'"A/1","Cibodas" ,01/02/2024 09:00,Verifikasi,"tanpa koma",'
    assert lines[2] == b"A/2,Cibodas,02/02/2024 10:00,Verifikasi,,"


def _append_once(source, sheet, submission_id):
    return source.append_row(
        sheet,
        "Nomor",
        {"Desa": "Cibodas", "Tahap": "Diterima"},
        make_key=lambda existing: f"B/{len([k for k in existing if k]) + 1}",
        audit_rows_for=lambda key: [["t", key, "Nomor", "", key, "siti", "petugas"]],
        submission_id=submission_id,
    )


def test_replay_of_an_append_whose_row_was_deleted_by_hand_is_not_recreated(tmp_path):
    from data_sources.base import AlreadyRecorded

    for path in (make_xlsx(tmp_path / "reg.xlsx"), tmp_path / "reg.csv"):
        if path.suffix == ".csv":
            path.write_bytes(csv_bytes(CSV_ROWS))
        source = LocalFileSource(path)
        sheet = source.read()[0].name
        key = _append_once(source, sheet, "hapus-1").key
        # a petugas deletes the new row by hand (Excel / a text editor), then the form is replayed
        if path.suffix == ".csv":
            path.write_bytes(csv_bytes(CSV_ROWS))
        else:
            workbook = openpyxl.load_workbook(path)
            workbook["Register"].delete_rows(len(ROWS) + 3)
            workbook.save(path)
        assert key not in [row[0] for row in source.read()[0].values]
        with pytest.raises(AlreadyRecorded, match=re.escape(key)) as error:
            _append_once(source, sheet, "hapus-1")
        assert error.value.key == key and sheet in str(error.value)
        assert key not in [row[0] for row in source.read()[0].values]
        assert sum(1 for row in source.read_audit() if row[-1] == "hapus-1") == 1


def _next_b(existing):
    """Like ``metrics.nomor.next_nomor``: one more than the highest ``B/n`` it is given."""
    numbers = [int(k[2:]) for k in existing if k.startswith("B/") and k[2:].isdigit()]
    return f"B/{max(numbers, default=0) + 1}"


def test_a_nomor_whose_row_was_deleted_by_hand_is_not_given_to_the_next_complaint(tmp_path):
    for path in (make_xlsx(tmp_path / "reg.xlsx"), tmp_path / "reg.csv"):
        if path.suffix == ".csv":
            path.write_bytes(csv_bytes(CSV_ROWS))
        source = LocalFileSource(path)
        sheet = source.read()[0].name

        def append(sid, source=source, sheet=sheet):
            return source.append_row(
                sheet,
                "Nomor",
                {"Desa": "Cibodas", "Tahap": "Diterima"},
                make_key=_next_b,
                audit_rows_for=lambda key, sid=sid: [["t", key, "Nomor", "", key, sid, "petugas"]],
                submission_id=sid,
            )

        assert [append("n-1").key, append("n-2").key] == ["B/1", "B/2"]
        # a petugas deletes B/2's row by hand; its Riwayat rows stay
        if path.suffix == ".csv":
            lines = path.read_bytes().split(b"\r\n")
            path.write_bytes(b"\r\n".join(line for line in lines if not line.startswith(b"B/2,")))
        else:
            workbook = openpyxl.load_workbook(path)
            workbook["Register"].delete_rows(len(ROWS) + 4)
            workbook.save(path)
        assert "B/2" not in [row[0] for row in source.read()[0].values]
        assert append("n-3").key == "B/3", path.suffix
        assert "B/3" in [row[0] for row in source.read()[0].values]
        # B/3's history holds only its own rows, none of the deleted B/2
        assert [row[5] for row in source.read_audit()[1:] if row[1] == "B/3"] == ["n-3"]


def test_csv_append_cut_between_audit_and_register_is_completed_once_by_the_retry(tmp_path, monkeypatch):
    path = tmp_path / "reg.csv"
    path.write_bytes(csv_bytes(CSV_ROWS))
    source = LocalFileSource(path)
    sheet = source.read()[0].name
    real_replace = os.replace

    def crash_on_register(src, dst):
        if str(dst) == str(path):
            raise OSError(errno.EIO, "I/O error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_register)
    with pytest.raises(SourceError):
        _append_once(source, sheet, "potong-1")
    monkeypatch.setattr(os, "replace", real_replace)
    result = _append_once(source, sheet, "potong-1")
    keys = [row[0] for row in source.read()[0].values]
    assert keys.count(result.key) == 1
    assert sum(1 for row in source.read_audit() if row[-1] == "potong-1") == 1


def test_xlsx_refuses_text_longer_than_an_excel_cell_naming_the_field(tmp_path):
    path = make_xlsx(tmp_path / "reg.xlsx")
    before = path.read_bytes()
    source = LocalFileSource(path)
    long_text = "x" * 32_768
    with pytest.raises(SourceError, match="Catatan Petugas") as error:
        source.update_row(
            "Register", "Nomor", "A/2", {"Catatan Petugas": ("", long_text)}, [], submission_id="panjang-1"
        )
    assert "32.767" in str(error.value)
    with pytest.raises(SourceError, match="Isi Pengaduan"):
        source.append_row(
            "Register",
            "Nomor",
            {"Desa": "Cibodas", "Isi Pengaduan": long_text},
            make_key=lambda existing: "B/1",
            audit_rows_for=lambda key: [],
            submission_id="panjang-2",
        )
    assert path.read_bytes() == before
    source.update_row(  # the limit itself fits
        "Register", "Nomor", "A/2", {"Catatan Petugas": ("", "x" * 32_767)}, [], submission_id="pas-1"
    )
    assert source.read()[0].values[3][4] == "x" * 32_767


ASCII_ROWS = [list(CSV_ROWS[0]), ["A/1", "Cibodas", "01/02/2024 09:00", "Diterima", "", ""]]


def test_all_ascii_csv_refuses_its_first_non_ascii_text_unless_its_encoding_is_configured(tmp_path):
    """UTF-8 and Windows-1252 read an all-ASCII file alike: the first 'é' is refused, naming the
    setting, rather than written in a guessed encoding (Excel would show 'JosÃ©')."""
    path = tmp_path / "ascii.csv"
    path.write_bytes(csv_bytes(ASCII_ROWS, delimiter=";"))
    before = path.read_bytes()
    with pytest.raises(SourceError, match="register_encoding") as error:
        update_tahap(LocalFileSource(path), "A/1", "Diterima", "Verifikasi é", submission_id="e-1")
    assert "'é'" in str(error.value)
    assert path.read_bytes() == before
    for encoding in ("cp1252", "utf-8"):
        path.write_bytes(before)
        source = LocalFileSource(path, csv_encoding=encoding)
        update_tahap(source, "A/1", "Diterima", "Verifikasi é", submission_id=f"e-{encoding}")
        expected = [list(r) for r in ASCII_ROWS]
        expected[1][3] = "Verifikasi é"
        assert path.read_bytes() == csv_bytes(expected, delimiter=";", encoding=encoding)
        assert source.read()[0].values[1][3] == "Verifikasi é"
        source.audit_path.unlink()


def test_a_new_riwayat_csv_is_utf8_with_a_bom_so_excel_shows_its_characters(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_bytes(csv_bytes(CSV_ROWS))
    source = LocalFileSource(path)
    update_tahap(source, "A/1", "Diterima", "Verifikasi “é”", submission_id="bom-1")
    data = source.audit_path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and "“é”".encode() in data
    assert source.read_audit()[1][4] == "Verifikasi “é”"


import shutil  # noqa: E402

from data_sources.xlsx_patch import XlsxPackage  # noqa: E402


def test_patch_of_no_cells_is_a_no_op_for_xlsx_and_csv(tmp_path, demo_register_path):
    """A second intake that finds every row marked writes nothing: no cells means no write (an
    .xlsx sheet patch, a CSV register), never an error."""
    xlsx = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, xlsx)
    before = xlsx.read_bytes()
    package = XlsxPackage(xlsx)
    first = package.sheets[0][0]
    package.set_cells(first, {})  # the xlsx patch itself
    package.close()
    LocalFileSource(xlsx).patch_cells(first, {})
    assert xlsx.read_bytes() == before
    csv_path = tmp_path / "register.csv"
    csv_path.write_text("Nomor,Desa\n1,Cibodas\n", encoding="utf-8")
    LocalFileSource(csv_path).patch_cells("Respons Formulir 1", {})
    assert csv_path.read_text(encoding="utf-8") == "Nomor,Desa\n1,Cibodas\n"


# A header renamed or swapped in the file between the user's read and the save: named as a header
# change (sheet, column letter, old → new), nothing written, no second column appended.
def _header_save(source, loaded_header, header="Catatan Petugas", old="", new="Sudah dicek", key="B-001"):
    return source.update_row(
        source.read()[0].name,
        "Nomor",
        key,
        {header: (old, new)},
        [["t", key, header, old, new, "siti", "petugas"]],
        submission_id="h1",
        loaded_header=loaded_header,
    )


def test_xlsx_renamed_header_is_named_and_nothing_is_written(tmp_path):
    path = make_xlsx(tmp_path / "r.xlsx")
    source = LocalFileSource(path)
    loaded = tuple(source.read()[0].values[1])
    workbook = openpyxl.load_workbook(path)
    workbook["Register"]["E2"] = "Catatan"
    workbook.save(path)
    before = all_cells(path)
    old = source.read()[0].values[2][4]
    with pytest.raises(ConcurrentChange) as excinfo:
        _header_save(source, loaded, old=old, key="A/1")
    text = str(excinfo.value)
    assert "sheet 'Register'" in text and "E: 'Catatan Petugas' → 'Catatan'" in text
    assert "sudah diubah orang lain" not in text
    assert all_cells(path) == before
    assert not source.audit_path.exists() or source.read_audit()[1:] == []


def test_csv_renamed_and_swapped_headers_are_refused_without_adding_a_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"Nomor,Tahap,Hasil Tindak Lanjut\r\nB-001,Diterima,\r\n")
    source = LocalFileSource(path)
    loaded = tuple(source.read()[0].values[0])
    path.write_bytes(b"Nomor,Tahap,Hasil TL\r\nB-001,Diterima,\r\n")
    with pytest.raises(ConcurrentChange, match="C: 'Hasil Tindak Lanjut' → 'Hasil TL'"):
        _header_save(source, loaded, header="Hasil Tindak Lanjut")
    assert path.read_bytes() == b"Nomor,Tahap,Hasil TL\r\nB-001,Diterima,\r\n"
    path.write_bytes(b"Nomor,Hasil Tindak Lanjut,Tahap\r\nB-001,,Diterima\r\n")  # B and C swapped
    with pytest.raises(ConcurrentChange) as excinfo:
        _header_save(source, loaded, header="Tahap", old="Diterima", new="Selesai")
    assert "B: 'Tahap' → 'Hasil Tindak Lanjut'" in str(excinfo.value)
    assert "sudah diubah orang lain" not in str(excinfo.value)
    assert path.read_bytes() == b"Nomor,Hasil Tindak Lanjut,Tahap\r\nB-001,,Diterima\r\n"


def test_csv_reread_unchanged_is_the_kept_grid_and_any_change_is_read_again(tmp_path):
    """A CSV register read twice unchanged is parsed once (the Register page and a save right
    after a refresh read it again); a save by the app, and an edit by hand of the same size in the
    same instant (same modification time), are both read again."""
    path = tmp_path / "reg.csv"
    with path.open("w", newline="") as stream:
        csv.writer(stream).writerows([HEADER, *ROWS])
    source = LocalFileSource(path)
    first = source.read()[0]
    assert source.read()[0] is first
    stamp = path.stat().st_mtime_ns
    edited = path.read_text().replace("A/1", "Z/1")  # same size
    path.write_text(edited)
    os.utime(path, ns=(stamp, stamp))
    by_hand = source.read()[0]
    assert by_hand is not first and by_hand.values[1][0] == "Z/1"
    source.update_row(
        "reg",
        "Nomor",
        "A/3",
        {"Tahap": ("Diterima", "Verifikasi")},
        [["t", "A/3", "Tahap", "Diterima", "Verifikasi", "x", "petugas"]],
    )
    after_save = source.read()[0]
    assert after_save.values[3][3] == "Verifikasi"
    assert LocalFileSource(path).read()[0] is after_save  # another source object, same file
