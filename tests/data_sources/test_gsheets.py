"""GoogleSheetsSource with the real gspread client over real HTTP against the local Sheets API fake."""

from __future__ import annotations

import random
import threading
from collections import Counter

import openpyxl
import pandas as pd
import pytest

from data_sources.base import ComplaintNotFound, ConcurrentChange, DuplicateKey, SourceError
from data_sources.gsheets import (
    CONTROL_SHEET,
    GoogleSheetsSource,
    GSheetsConfig,
    LeasePolicy,
    RetryPolicy,
    cell_link,
    make_client,
    spreadsheet_key,
)
from data_sources.local_file import LocalFileSource
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from metrics.profiles import load_profile
from metrics.register import normalise_register
from tests.fakes.sheets_api import DROP, DROP_AFTER_APPLY, FakeSheetsServer, slow, wait_until

H = ["Nomor", "Desa", "Tanggal Diterima", "Isi Pengaduan", "Tahap", "Diperbarui Oleh", "Diperbarui Pada"]
EMAIL = "pantau@contoh-proyek.iam.gserviceaccount.com"


def rows(desa: str, n: int, prefix: str = "A") -> list[list[str]]:
    return [H] + [
        [
            f"{prefix}-{i:03d}",
            desa,
            f"2024-03-{i % 28 + 1:02d} 09:00",
            f"Jalan rusak nomor {i}",
            "diterima",
            "",
            "",
        ]
        for i in range(1, n + 1)
    ]


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


def sukamaju(server, complaints: int, *, riwayat: bool = False) -> str:
    """The spreadsheet most tests start from: sheet Sukamaju with ``complaints`` rows A-001...,
    with an empty Riwayat (header only) when ``riwayat``; returns its key."""
    sheets = {"Sukamaju": rows("Sukamaju", complaints)}
    if riwayat:
        sheets[AUDIT_SHEET] = [list(AUDIT_HEADER)]
    return server.add_spreadsheet("R", sheets)


def source_for(server, key, policy=None, lease=None, **config) -> GoogleSheetsSource:
    config.setdefault("spreadsheet", key)
    config.setdefault("service_account", {"client_email": EMAIL})
    return GoogleSheetsSource(
        GSheetsConfig(api_base_url="unused", **config),
        session=server.session(),
        policy=policy or RetryPolicy.fast(),
        lease=lease,
    )


def audit(
    nomor: str, kolom: str, old: str, new: str, waktu: str = "2024-05-01 10:00:00", sid: str = "s1"
) -> list[str]:
    """An audit row as written: the 8th cell (ID Kiriman) is the submission id."""
    return [waktu, nomor, kolom, old, new, "Budi", "petugas", sid]


def next_key(prefix: str):
    def make(keys):
        numbers = [int(k.split("-")[1]) for k in keys if k.startswith(prefix + "-")]
        return f"{prefix}-{max(numbers, default=0) + 1:03d}"

    return make


def body(server, key, sheet):
    return server.values(key, sheet)


def then(first, second):
    """Two request matchers; the second matches only after the first has matched once."""
    seen = []

    def first_match(rec) -> bool:
        hit = first(rec)
        seen.extend([rec] if hit else [])
        return hit

    return first_match, lambda rec: bool(seen) and rec not in seen and second(rec)


def appends_to(sheet: str):
    """Matches values.append requests to one sheet (not the claims in the control sheet)."""
    return lambda rec: rec.kind == "values.append" and sheet in rec.path and CONTROL_SHEET not in rec.path


# ------------------------------------------------------------------------------ configuration
def test_config_errors_name_every_field_to_fix():
    with pytest.raises(SourceError) as excinfo:
        GSheetsConfig.from_mapping({"layout": "satu_sheet", "service_account": {"type": "authorized_user"}})
    text = str(excinfo.value)
    assert "layout = 'satu_sheet'" in text and "per_desa_worksheet" in text
    assert "spreadsheet belum diisi" in text
    for name in ("private_key", "client_email", "token_uri"):
        assert f"service_account] {name} belum diisi" in text
    assert "harus 'service_account'" in text


def test_config_without_service_account_says_where_to_paste_the_key():
    with pytest.raises(SourceError, match=r"\[gsheets.service_account\] belum diisi"):
        GSheetsConfig.from_mapping({"spreadsheet": "abc"})


def test_per_desa_spreadsheet_needs_its_mapping():
    with pytest.raises(SourceError, match=r"\[gsheets.spreadsheets\] belum diisi"):
        GSheetsConfig.from_mapping({"layout": "per_desa_spreadsheet", "api_base_url": "http://x"})


def test_damaged_private_key_is_reported():
    config = GSheetsConfig.from_mapping(
        {
            "spreadsheet": "abc",
            "service_account": {
                "type": "service_account",
                "client_email": EMAIL,
                "token_uri": "https://oauth2.googleapis.com/token",
                "private_key": "-----BEGIN PRIVATE KEY-----\\nrusak\\n-----END PRIVATE KEY-----\\n",
            },
        }
    )
    with pytest.raises(SourceError, match="private_key"):
        make_client(config)


def test_private_key_without_pem_markers_is_reported():
    with pytest.raises(SourceError, match="private_key tidak valid"):
        GSheetsConfig.from_mapping(
            {
                "spreadsheet": "abc",
                "service_account": {
                    "type": "service_account",
                    "client_email": EMAIL,
                    "token_uri": "t",
                    "private_key": "MIIE",
                },
            }
        )


def test_spreadsheet_url_or_key():
    assert spreadsheet_key("https://docs.google.com/spreadsheets/d/1AbC_d-E/edit#gid=0") == "1AbC_d-E"
    assert spreadsheet_key(" 1AbC_d-E ") == "1AbC_d-E"
    with pytest.raises(SourceError, match="bukan URL Google Sheet"):
        spreadsheet_key("https://example.com/x")


def test_sheet_not_shared_names_the_service_account(server):
    key = server.add_spreadsheet("Register", {"Sukamaju": rows("Sukamaju", 2)}, shared=False)
    with pytest.raises(SourceError) as excinfo:
        source_for(server, key).read()
    assert EMAIL in str(excinfo.value) and "Editor" in str(excinfo.value)


def test_unknown_spreadsheet(server):
    with pytest.raises(SourceError, match="tidak ditemukan"):
        source_for(server, "tidak-ada").read()


def test_missing_worksheet_lists_the_existing_ones(server):
    key = server.add_spreadsheet("Register", {"Data": rows("Sukamaju", 2), "Catatan": []})
    with pytest.raises(SourceError) as excinfo:
        source_for(server, key, layout="single_worksheet", worksheet="Register").read()
    assert "'Register' tidak ada" in str(excinfo.value) and "Data, Catatan" in str(excinfo.value)


def test_header_the_model_cannot_match_surfaces_as_a_finding(server):
    key = server.add_spreadsheet(
        "Register", {"Sukamaju": rows("Sukamaju", 2), "Mekarsari": [["a", "b"], ["1", "2"]]}
    )
    register = normalise_register(source_for(server, key).read(), load_profile("umum"))
    finding = register.findings[register.findings["kode"] == "HEADER_TIDAK_DITEMUKAN"]
    assert list(finding["sheet"]) == ["Mekarsari"]
    assert len(register.complaints) == 2


# ------------------------------------------------------------------------------ reading
def test_reads_every_desa_worksheet_in_one_batch_and_caches_metadata(server):
    sheets = {f"Desa {i}": rows(f"Desa {i}", 5, prefix=f"D{i}") for i in range(7)}
    sheets["It's"] = rows("It's", 1, prefix="Q")  # a name that needs quoting
    sheets[AUDIT_SHEET] = [list(AUDIT_HEADER)]
    key = server.add_spreadsheet("Register Kecamatan", sheets)
    source = source_for(server, key)
    grids = source.read()
    assert server.count() == 2 and server.counts() == {"spreadsheets.get": 1, "values.batchGet": 1}
    assert [g.name for g in grids] == [*(f"Desa {i}" for i in range(7)), "It's"]
    assert source.label == "Register Kecamatan"
    server.reset_counts()
    source.read()
    assert server.counts() == {"values.batchGet": 1}
    assert (
        grids[1].url
        == f"https://docs.google.com/spreadsheets/d/{key}/edit#gid={server.sheet_properties(key, 'Desa 1')['sheetId']}"
    )
    assert source.cell_url("Desa 1", 5, 2) == grids[1].url + "&range=C5"
    assert cell_link(None, 1, 1) is None


def test_empty_and_ragged_sheets(server):
    key = server.add_spreadsheet(
        "R", {"Kosong": [], "Ragged": [["Nomor", "Desa", "", ""], ["A-1"], [], ["A-2", "X"]]}
    )
    grids = {g.name: g.values for g in source_for(server, key).read()}
    assert grids["Kosong"] == []
    assert grids["Ragged"] == [["Nomor", "Desa"], ["A-1"], [], ["A-2", "X"]]


def test_renamed_worksheet_refetches_the_list(server):
    key = sukamaju(server, 1)
    source = source_for(server, key)
    source.read()
    source.http.batch_update(
        key,
        {
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": 0, "title": "Suka Maju"},
                        "fields": "title",
                    }
                }
            ]
        },
    )
    assert [g.name for g in source.read()] == ["Suka Maju"]


def write_xlsx(path, sheets: dict[str, list[list[str]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, data in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(row, start=1):
                if value != "":
                    cell = sheet.cell(row=r, column=c, value=value)
                    cell.data_type = "s"
    workbook.save(path)


def split_by_desa(demo_path, per_desa: int = 150) -> dict[str, list[list[str]]]:
    [grid] = LocalFileSource(demo_path).read()
    header, body_rows = list(grid.values[0]), grid.values[1:]
    sheets: dict[str, list[list[str]]] = {}
    for row in body_rows:
        rows_of_desa = sheets.setdefault(row[1], [header])
        if len(rows_of_desa) <= per_desa:
            rows_of_desa.append(list(row))
    return sheets


def test_same_register_through_google_and_local_file_gives_identical_frames(
    server, tmp_path, demo_register_path
):
    sheets = split_by_desa(demo_register_path)
    assert len(sheets) >= 7
    # a messy hand-kept sheet too: title rows above the header, alias headers, ragged rows, blank rows
    sheets["Lama"] = [
        ["BUKU REGISTER PENGADUAN DESA LAMA"],
        [],
        ["No", "Tgl Terima", "Nama Pengadu", "Telepon", "Uraian", "Status", "Catatan"],
        ["L-1", "03/02/2024", "Ani", "0812-3456-7890", '=IMPORTXML("http://x")', "selesai"],
        [],
        ["L-2", "31/02/2024", "", "+62 812 1111 2222", "+cmd", "tahap aneh", "", "", ""],
        ["", "", "", "", "", "", "catatan tanpa nomor"],
    ]
    path = tmp_path / "register.xlsx"
    write_xlsx(path, sheets)
    key = server.add_spreadsheet("Register", sheets)
    profile = load_profile("umum")
    via_google = normalise_register(source_for(server, key).read(), profile)
    via_file = normalise_register(LocalFileSource(path).read(), profile)
    assert len(via_google.complaints) > 1000
    pd.testing.assert_frame_equal(via_google.complaints, via_file.complaints)
    pd.testing.assert_frame_equal(via_google.findings, via_file.findings)
    assert via_google.headers == via_file.headers and via_google.header_rows == via_file.header_rows


# ------------------------------------------------------------------------------ update_row
def test_update_writes_exactly_the_changed_cells_and_one_audit_row(server):
    key = sukamaju(server, 5, riwayat=True)
    source = source_for(server, key)
    source.read()
    before = body(server, key, "Sukamaju")
    server.reset_counts()
    result = source.update_row(
        "Sukamaju",
        "Nomor",
        "A-003",
        {
            "Tahap": ("diterima", "verifikasi"),
            "Diperbarui Oleh": ("", "Budi"),
            "Diperbarui Pada": ("", "2024-05-01 10:00:00"),
        },
        [audit("A-003", "Tahap", "diterima", "verifikasi")],
        submission_id="s1",
    )
    # the first save creates the hidden control sheet with its header row in ONE batchUpdate
    assert server.count("spreadsheets.batchUpdate") == 1
    assert server.sheet_properties(key, CONTROL_SHEET).get("hidden") is True
    assert server.values(key, CONTROL_SHEET)[0][:2] == ["Waktu (epoch)", "Kunci"]
    # steady state: claim (append) + look at claims (get), Riwayat (replay check) and the sheet in
    # ONE batchGet, ONE cells write, ONE audit append, release (update): 6 requests (was 7)
    assert server.counts() == {
        "spreadsheets.batchUpdate": 1,
        "values.update": 1,
        "values.get": 1,
        "values.batchGet": 1,
        "values.batchUpdate": 1,
        "values.append": 2,
    }
    update = next(r for r in server.request_log if r.kind == "values.batchUpdate")
    assert update.body["valueInputOption"] == "RAW"
    assert sorted(d["range"] for d in update.body["data"]) == [
        "'Sukamaju'!E4",
        "'Sukamaju'!F4",
        "'Sukamaju'!G4",
    ]
    assert result.row == 4 and result.audit_rows == 1
    after = body(server, key, "Sukamaju")
    assert after[3][4:] == ["verifikasi", "Budi", "2024-05-01 10:00:00"]
    assert [r for i, r in enumerate(after) if i != 3] == [r for i, r in enumerate(before) if i != 3]
    assert body(server, key, AUDIT_SHEET) == [
        list(AUDIT_HEADER),
        audit("A-003", "Tahap", "diterima", "verifikasi"),
    ]


def test_two_users_same_complaint_second_is_refused_nothing_lost(server):
    key = sukamaju(server, 3)
    first, second = source_for(server, key), source_for(server, key)
    first.read(), second.read()
    first.update_row(
        "Sukamaju",
        "Nomor",
        "A-002",
        {"Tahap": ("diterima", "verifikasi"), "Diperbarui Pada": ("", "2024-05-01 10:00:00")},
        [audit("A-002", "Tahap", "diterima", "verifikasi")],
        submission_id="s1",
    )
    with pytest.raises(ConcurrentChange) as excinfo:
        second.update_row(
            "Sukamaju",
            "Nomor",
            "A-002",
            {"Tahap": ("diterima", "disposisi"), "Diperbarui Pada": ("", "2024-05-01 10:01:00")},
            [audit("A-002", "Tahap", "diterima", "disposisi", "2024-05-01 10:01:00", sid="s2")],
            submission_id="s2",
        )
    assert excinfo.value.current == {"Tahap": "verifikasi", "Diperbarui Pada": "2024-05-01 10:00:00"}
    assert "Isian Anda tidak hilang" in str(excinfo.value)
    assert body(server, key, "Sukamaju")[2][4] == "verifikasi"
    assert body(server, key, AUDIT_SHEET)[1:] == [audit("A-002", "Tahap", "diterima", "verifikasi")]


def test_updated_at_alone_detects_a_change_to_another_field(server):
    key = sukamaju(server, 2)
    source = source_for(server, key)
    server.set_values(key, "Sukamaju", [["Ani", "2024-05-01 09:00:00"]], start="F2")  # someone else saved
    with pytest.raises(ConcurrentChange):
        source.update_row(
            "Sukamaju",
            "Nomor",
            "A-001",
            {"Isi Pengaduan": ("Jalan rusak nomor 1", "Jalan rusak parah"), "Diperbarui Pada": ("", "x")},
            [],
            submission_id="s1",
        )


@pytest.mark.parametrize("move", ["insert_above", "resort", "delete_above"])
def test_rows_moved_between_read_and_write_the_right_row_is_written(server, move):
    key = sukamaju(server, 6)
    source = source_for(server, key)
    source.read()
    if move == "insert_above":
        server.insert_rows(key, "Sukamaju", 2, [["B-001", "Sukamaju", "", "baru", "diterima"], ["B-002"]])
    elif move == "resort":
        current = body(server, key, "Sukamaju")
        server.set_values(key, "Sukamaju", [current[0], *reversed(current[1:])], replace=True)
    else:
        server.delete_rows(key, "Sukamaju", 2, 2)
    result = source.update_row(
        "Sukamaju", "Nomor", "A-005", {"Tahap": ("diterima", "selesai")}, [], submission_id="s1"
    )
    grid = body(server, key, "Sukamaju")
    assert grid[result.row - 1][0] == "A-005" and grid[result.row - 1][4] == "selesai"
    assert sum(row[4] == "selesai" for row in grid[1:] if len(row) > 4) == 1


def test_key_found_twice_is_refused_naming_the_rows(server):
    data = rows("Sukamaju", 4)
    data[4][0] = "A-002"
    key = server.add_spreadsheet("R", {"Sukamaju": data})
    with pytest.raises(DuplicateKey) as excinfo:
        source_for(server, key).update_row(
            "Sukamaju", "Nomor", "A-002", {"Tahap": ("diterima", "selesai")}, [], submission_id="s1"
        )
    assert excinfo.value.rows == [3, 5] and "baris 3, 5" in str(excinfo.value)
    assert body(server, key, "Sukamaju") == [row if row[-1] else row[:5] for row in data]


def test_unknown_key(server):
    key = sukamaju(server, 2)
    with pytest.raises(ComplaintNotFound):
        source_for(server, key).update_row(
            "Sukamaju", "Nomor", "A-999", {"Tahap": ("", "x")}, [], submission_id="s1"
        )


def test_missing_column_is_added_to_the_header_and_the_grid_grows(server):
    narrow = [["Nomor", "Desa", "Tahap"], ["A-001", "Sukamaju", "diterima"]]
    key = server.add_spreadsheet("R", {"Sukamaju": narrow}, cols=3)
    source = source_for(server, key)
    source.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Tahap": ("diterima", "verifikasi"), "Diperbarui Oleh": ("", "Budi")},
        [audit("A-001", "Tahap", "diterima", "verifikasi")],
        submission_id="s1",
    )
    assert body(server, key, "Sukamaju") == [
        ["Nomor", "Desa", "Tahap", "Diperbarui Oleh"],
        ["A-001", "Sukamaju", "verifikasi", "Budi"],
    ]
    assert server.sheet_properties(key, "Sukamaju")["gridProperties"]["columnCount"] == 4
    # Riwayat did not exist: created with its header
    assert body(server, key, AUDIT_SHEET) == [
        list(AUDIT_HEADER),
        audit("A-001", "Tahap", "diterima", "verifikasi"),
    ]
    assert server.sheet_properties(key, AUDIT_SHEET)["gridProperties"]["frozenRowCount"] == 1


def test_formula_like_text_is_stored_as_plain_text(server):
    key = sukamaju(server, 1)
    source = source_for(server, key)
    nasty = ['=IMPORTXML("http://x")', "+cmd", "@SUM(A1)"]
    source.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Isi Pengaduan": ("Jalan rusak nomor 1", nasty[0]), "Diperbarui Oleh": ("", nasty[1])},
        [audit("A-001", "Isi Pengaduan", "x", nasty[2])],
        submission_id="s1",
    )
    result = source.append_row(
        "Sukamaju",
        "Nomor",
        {"Desa": nasty[2], "Isi Pengaduan": nasty[1], "Tahap": nasty[0]},
        next_key("A"),
        lambda k: [audit(k, "(baru)", "", nasty[0], sid="s2")],
        submission_id="s2",
    )
    assert server.formulas(key, "Sukamaju") == [] and server.formulas(key, AUDIT_SHEET) == []
    grid = body(server, key, "Sukamaju")
    assert grid[1][3] == nasty[0] and grid[1][5] == nasty[1]
    assert grid[result.row - 1][1:5] == [nasty[2], "", nasty[1], nasty[0]]
    assert not server.is_formula(key, "Sukamaju", 2, 4) and not server.is_formula(
        key, "Sukamaju", result.row, 5
    )
    assert body(server, key, AUDIT_SHEET)[1][4] == nasty[2]


# ------------------------------------------------------------------------------ append_row
def test_append_row_request_count_and_result(server):
    key = sukamaju(server, 3, riwayat=True)
    source = source_for(server, key)
    source.read()
    server.reset_counts()
    result = source.append_row(
        "Sukamaju",
        "Nomor",
        {"Desa": "Sukamaju", "Isi Pengaduan": "Lampu mati"},
        next_key("A"),
        lambda k: [audit(k, "(baru)", "", "Lampu mati")],
        submission_id="s1",
    )
    assert (result.key, result.row) == ("A-004", 5)
    # claim + claims read, Riwayat (replay check) and the sheet in ONE batchGet, Nomor written ahead
    # into the claim, the row, the sheet again (Nomor unique?), the audit rows, release; +1 to create
    # the control sheet with its header (one batchUpdate)
    assert server.counts() == {
        "spreadsheets.batchUpdate": 1,
        "values.update": 2,
        "values.get": 2,
        "values.batchGet": 1,
        "values.append": 3,
    }
    assert body(server, key, "Sukamaju")[4][:4] == ["A-004", "Sukamaju", "", "Lampu mati"]
    assert body(server, key, AUDIT_SHEET)[1] == audit("A-004", "(baru)", "", "Lampu mati")


def test_two_concurrent_appends_get_different_keys(server):
    key = sukamaju(server, 3, riwayat=True)
    barrier = threading.Barrier(2, timeout=10)
    results, errors, made = {}, [], Counter()

    def worker(name: str) -> None:
        base = next_key("A")

        def make(keys):
            made[name] += 1
            return base(keys)

        try:
            source = source_for(server, key)
            source.read()
            barrier.wait()  # both save at the same moment
            results[name] = source.append_row(
                "Sukamaju",
                "Nomor",
                {"Desa": "Sukamaju", "Isi Pengaduan": f"Aduan dari {name}"},
                make,
                lambda k: [audit(k, "(baru)", "", name, sid=name)],
                submission_id=name,
            )
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("ani", "budi")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert {r.key for r in results.values()} == {"A-004", "A-005"}
    grid = body(server, key, "Sukamaju")
    keys = [row[0] for row in grid[1:]]
    assert len(keys) == len(set(keys)) == 5
    for name, result in results.items():
        assert grid[result.row - 1][0] == result.key and grid[result.row - 1][3] == f"Aduan dari {name}"
    assert sorted(tuple(r) for r in body(server, key, AUDIT_SHEET)[1:]) == sorted(
        tuple(audit(r.key, "(baru)", "", n, sid=n)) for n, r in results.items()
    )
    # the lease let one save read the keys after the other had appended: no renumbering needed
    assert made == {"ani": 1, "budi": 1}


def test_append_key_factory_giving_an_existing_key_is_refused(server):
    key = sukamaju(server, 2)
    with pytest.raises(DuplicateKey):
        source_for(server, key).append_row(
            "Sukamaju",
            "Nomor",
            {"Isi Pengaduan": "x"},
            lambda keys: "A-001",
            lambda k: [],
            submission_id="s1",
        )


# ------------------------------------------------------------------------------ faults
def recording_policy(**kwargs):
    waits: list[float] = []
    defaults = dict(
        attempts=5,
        initial_wait=0.5,
        max_wait=8,
        max_total_wait=20,
        retry_after_cap=10,
        timeout=5,
        sleep=waits.append,
        seed=1,
    )
    defaults.update(kwargs)
    return RetryPolicy(**defaults), waits


def test_429_is_retried_honouring_retry_after_up_to_a_cap(server):
    key = sukamaju(server, 1)
    policy, waits = recording_policy()
    source = source_for(server, key, policy=policy)
    server.inject("values.batchGet", 429, retry_after=3)
    server.inject("values.batchGet", 429, retry_after=120)
    assert source.read()[0].values[1][0] == "A-001"
    assert waits == [3, 10]
    assert source.stats.retries == 2 and source.stats.transient_errors == 2


def test_backoff_is_bounded_and_jittered_then_surfaces_a_source_error(server):
    key = sukamaju(server, 1)
    policy, waits = recording_policy(initial_wait=1, max_wait=4, max_total_wait=6)
    source = source_for(server, key, policy=policy)
    source.read()
    server.reset_counts()
    server.inject("values.batchGet", 503, times=50, retry_after=None)
    with pytest.raises(SourceError, match="HTTP 503"):
        source.read()
    assert 1 <= server.count("values.batchGet") <= 5
    assert all(0 <= w <= 4 for w in waits) and sum(waits) <= 6
    assert len(set(waits)) == len(waits)  # jitter: not a fixed schedule
    assert source.stats.surfaced_errors == 1


def test_dropped_connection_and_timeout_on_a_read_are_retried(server):
    key = sukamaju(server, 1)
    policy = RetryPolicy(attempts=4, initial_wait=0.01, max_wait=0.01, max_total_wait=2, timeout=0.2)
    source = source_for(server, key, policy=policy)
    server.inject("spreadsheets.get", DROP)
    server.inject("values.batchGet", slow(0.5))
    assert source.read()[0].values[1][0] == "A-001"


def test_lost_answers_of_writes_are_not_written_twice(server):
    key = sukamaju(server, 2, riwayat=True)
    source = source_for(server, key)
    server.inject("values.batchUpdate", DROP_AFTER_APPLY)
    server.inject(appends_to(AUDIT_SHEET), DROP_AFTER_APPLY)
    server.inject(appends_to("Sukamaju"), DROP_AFTER_APPLY)
    source.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Tahap": ("diterima", "verifikasi")},
        [audit("A-001", "Tahap", "diterima", "verifikasi")],
        submission_id="s1",
    )
    result = source.append_row(
        "Sukamaju",
        "Nomor",
        {"Isi Pengaduan": "Lampu mati"},
        next_key("A"),
        lambda k: [audit(k, "(baru)", "", "Lampu mati", sid="s2")],
        submission_id="s2",
    )
    applied = [r for r in server.request_log if r.applied and appends_to("")(r)]
    assert len(applied) == 3  # one complaint row, two audit blocks: no copies
    assert [row[0] for row in body(server, key, "Sukamaju")] == ["Nomor", "A-001", "A-002", "A-003"]
    assert body(server, key, AUDIT_SHEET)[1:] == [
        audit("A-001", "Tahap", "diterima", "verifikasi"),
        audit(result.key, "(baru)", "", "Lampu mati", sid="s2"),
    ]
    assert source.stats.verified_applied >= 2


def test_timed_out_write_applied_late_is_not_repeated(server):
    key = sukamaju(server, 1, riwayat=True)
    policy = RetryPolicy(attempts=4, initial_wait=0.01, max_wait=0.01, max_total_wait=3, timeout=0.25)
    source = source_for(server, key, policy=policy)
    source.read()
    server.inject(appends_to(AUDIT_SHEET), slow(0.4))
    source.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Tahap": ("diterima", "verifikasi")},
        [audit("A-001", "Tahap", "diterima", "verifikasi")],
        submission_id="s1",
    )
    row = audit("A-001", "Tahap", "diterima", "verifikasi")
    # The late write lands 0.4 s after it was sent and the save waits 0.5 s for it, so normally
    # one copy is written. On a machine too busy to keep that 0.1 s margin the first copy can
    # land after the retry's: then the two copies carry one submission id, Riwayat shows the row
    # once, and the next save removes the copy (next test). What can never happen is a third
    # copy, or the row shown twice.
    landed = lambda: sum(1 for r in server.request_log if r.applied and appends_to(AUDIT_SHEET)(r))  # noqa: E731
    assert landed() >= 1
    assert body(server, key, AUDIT_SHEET)[1:] in ([row], [row, row])
    assert source.read_audit() == [list(AUDIT_HEADER), row]


def test_audit_copy_applied_after_the_save_returned_is_shown_once_and_removed(server):
    """A write that Google applies later than any wait can foresee leaves a second copy of the
    audit rows: recognised by its submission id, shown once, and deleted by the next save."""
    key = sukamaju(server, 2, riwayat=True)
    policy = RetryPolicy(attempts=4, initial_wait=0.01, max_wait=0.01, max_total_wait=3, timeout=0.25)
    source = source_for(server, key, policy=policy)
    server.inject(appends_to(AUDIT_SHEET), slow(1.5))  # lands long after the retry got through
    first = audit("A-001", "Tahap", "diterima", "verifikasi")
    source.update_row(
        "Sukamaju", "Nomor", "A-001", {"Tahap": ("diterima", "verifikasi")}, [first], submission_id="s1"
    )
    landed = lambda: sum(1 for r in server.request_log if r.applied and appends_to(AUDIT_SHEET)(r))  # noqa: E731
    assert wait_until(lambda: landed() == 2, timeout=10)
    assert body(server, key, AUDIT_SHEET)[1:] == [first, first]  # the late copy landed
    assert source.read_audit() == [list(AUDIT_HEADER), first]
    second = audit("A-002", "Tahap", "diterima", "selesai", sid="s2")
    source_for(server, key).update_row(
        "Sukamaju", "Nomor", "A-002", {"Tahap": ("diterima", "selesai")}, [second], submission_id="s2"
    )
    assert body(server, key, AUDIT_SHEET)[1:] == [first, second]


def test_a_change_whose_audit_rows_failed_is_completed_by_the_next_save_of_that_complaint(server):
    key = sukamaju(server, 2, riwayat=True)
    ani = source_for(server, key, policy=RetryPolicy.fast(attempts=2))
    server.inject(appends_to(AUDIT_SHEET), 503, times=2)  # the cells land, Riwayat does not
    first = audit("A-001", "Tahap", "diterima", "verifikasi", sid="ani")
    with pytest.raises(SourceError, match="Riwayat"):
        ani.update_row(
            "Sukamaju", "Nomor", "A-001", {"Tahap": ("diterima", "verifikasi")}, [first], submission_id="ani"
        )
    assert body(server, key, "Sukamaju")[1][4] == "verifikasi" and body(server, key, AUDIT_SHEET)[1:] == []
    # another petugas saves the same complaint: Ani's audit rows are written first, then his change
    second = audit("A-001", "Isi Pengaduan", "Jalan rusak nomor 1", "Jalan rusak parah", sid="budi")
    budi = source_for(server, key)
    budi.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Isi Pengaduan": ("Jalan rusak nomor 1", "Jalan rusak parah")},
        [second],
        submission_id="budi",
    )
    assert body(server, key, AUDIT_SHEET)[1:] == [first, second]
    assert budi.stats.recovered == 1
    # Ani presses Simpan again: told it is saved, nothing written twice
    again = ani.update_row(
        "Sukamaju", "Nomor", "A-001", {"Tahap": ("diterima", "verifikasi")}, [first], submission_id="ani"
    )
    assert again.replayed and body(server, key, AUDIT_SHEET)[1:] == [first, second]
    # the finished claims no longer hold the audit rows (personal data) in the control sheet
    assert all(len(row) < 7 or not row[6] for row in body(server, key, CONTROL_SHEET)[1:])


def test_a_save_that_died_after_its_cells_is_completed_once_its_claim_expired(server, monkeypatch):
    key = sukamaju(server, 2, riwayat=True)
    now = [1_000_000.0]
    lease = LeasePolicy(
        seconds=60, wait=5, poll=0.01, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
    )
    dying = source_for(server, key, lease=lease)

    def die(*_args, **_kwargs):
        raise SystemExit("server process killed")

    monkeypatch.setattr(dying, "_append_audit", die)
    monkeypatch.setattr(dying, "_release", lambda *_a: None)  # a dead process releases nothing
    lost = audit("A-002", "Tahap", "diterima", "selesai", sid="dead")
    with pytest.raises(SystemExit):
        dying.update_row(
            "Sukamaju", "Nomor", "A-002", {"Tahap": ("diterima", "selesai")}, [lost], submission_id="dead"
        )
    # the next save of A-002 waits for the claim (at most half the lease), then says so
    later = source_for(server, key, lease=lease)
    mine = audit("A-002", "Desa", "Sukamaju", "Suka Maju", sid="next")
    change = {"Desa": ("Sukamaju", "Suka Maju")}
    with pytest.raises(SourceError, match="sedang disimpan oleh pengguna lain"):
        later.update_row("Sukamaju", "Nomor", "A-002", change, [mine], submission_id="next")
    assert later.stats.lease_waits > 0 and body(server, key, AUDIT_SHEET)[1:] == []
    # once the dead claim expired, saving again takes over and first finishes the dead save
    now[0] += 60
    result = later.update_row("Sukamaju", "Nomor", "A-002", change, [mine], submission_id="next")
    assert not result.replayed and later.stats.recovered == 1
    assert body(server, key, AUDIT_SHEET)[1:] == [lost, mine]
    assert [body(server, key, "Sukamaju")[2][i] for i in (1, 4)] == ["Suka Maju", "selesai"]


def test_a_users_retry_after_a_failed_save_never_duplicates(server):
    key = sukamaju(server, 2, riwayat=True)
    source = source_for(server, key, policy=RetryPolicy.fast(attempts=2))
    change = {"Tahap": ("diterima", "verifikasi")}
    trail = [audit("A-001", "Tahap", "diterima", "verifikasi")]
    # the audit append lands but its answer is lost every time: the save fails with a reason
    riwayat_append, riwayat_read_afterwards = then(
        appends_to(AUDIT_SHEET), lambda rec: rec.kind == "values.get" and AUDIT_SHEET in rec.path
    )
    server.inject(riwayat_append, DROP_AFTER_APPLY, times=1)
    server.inject(riwayat_read_afterwards, 503, times=5)
    with pytest.raises(SourceError, match="Riwayat"):
        source.update_row("Sukamaju", "Nomor", "A-001", change, trail, submission_id="s1")
    server.clear_faults()
    again = source.update_row(
        "Sukamaju", "Nomor", "A-001", change, trail, submission_id="s1"
    )  # the user presses Simpan again: told the truth (already saved), nothing written
    assert again.replayed and again.row == 2
    assert body(server, key, AUDIT_SHEET)[1:] == trail
    # the same for a new complaint whose answer never arrived
    row_append, reads_afterwards = then(appends_to("Sukamaju"), lambda rec: rec.kind == "values.get")
    server.inject(row_append, DROP_AFTER_APPLY, times=1)
    server.inject(reads_afterwards, 503, times=2)
    new = {"Desa": "Sukamaju", "Isi Pengaduan": "Lampu mati", "Tanggal Diterima": "2024-05-01 10:00"}
    with pytest.raises(SourceError):
        source.append_row(
            "Sukamaju",
            "Nomor",
            new,
            next_key("A"),
            lambda k: [audit(k, "(baru)", "", "x", sid="s2")],
            submission_id="s2",
        )
    server.clear_faults()
    result = source.append_row(
        "Sukamaju",
        "Nomor",
        new,
        next_key("A"),
        lambda k: [audit(k, "(baru)", "", "x", sid="s2")],
        submission_id="s2",
    )
    assert [row[0] for row in body(server, key, "Sukamaju")] == ["Nomor", "A-001", "A-002", "A-003"]
    assert result.key == "A-003" and result.replayed
    # the first complaint of the retried append has its Riwayat rows, once
    assert body(server, key, AUDIT_SHEET)[1:] == [*trail, audit("A-003", "(baru)", "", "x", sid="s2")]


def test_non_transient_errors_are_not_retried(server):
    key = sukamaju(server, 1)
    source = source_for(server, key)
    source.read()
    server.reset_counts()
    server.set_shared(key, False)
    with pytest.raises(SourceError, match="belum dibagikan"):
        source.update_row("Sukamaju", "Nomor", "A-001", {"Tahap": ("diterima", "x")}, [], submission_id="s1")
    assert server.count() == 1


# ------------------------------------------------------------------------------ layouts
def test_single_worksheet_layout(server):
    data = [["BUKU REGISTER"], [], H, *rows("Sukamaju", 2)[1:], *rows("Mekarsari", 2, prefix="M")[1:]]
    key = server.add_spreadsheet("R", {"Petunjuk": [["baca ini"]], "Register": data})
    source = source_for(server, key, layout="single_worksheet", worksheet="Register")
    [grid] = source.read()
    register = normalise_register([grid], load_profile("umum"))
    assert sorted(register.complaints["desa"].unique()) == ["Mekarsari", "Sukamaju"]
    result = source.update_row(
        "Register", "Nomor", "M-002", {"Tahap": ("diterima", "selesai")}, [], submission_id="s1"
    )
    assert result.row == 7 and body(server, key, "Register")[6][4] == "selesai"


def test_per_desa_spreadsheet_layout(server):
    one = server.add_spreadsheet("Sukamaju", {"Register": rows("Sukamaju", 2)})
    two = server.add_spreadsheet("Mekarsari", {"Register": rows("Mekarsari", 3, prefix="M")})
    source = source_for(
        server,
        "",
        layout="per_desa_spreadsheet",
        spreadsheets={"Sukamaju": f"https://docs.google.com/spreadsheets/d/{one}/edit", "Mekarsari": two},
    )
    grids = source.read()
    assert [g.name for g in grids] == ["Sukamaju", "Mekarsari"]
    assert server.count("values.batchGet") == 2 and server.count("spreadsheets.get") == 2
    source.update_row(
        "Mekarsari",
        "Nomor",
        "M-003",
        {"Tahap": ("diterima", "selesai")},
        [audit("M-003", "Tahap", "diterima", "selesai")],
        submission_id="s1",
    )
    assert body(server, two, "Register")[3][4] == "selesai"
    assert body(server, two, AUDIT_SHEET)[1] == audit("M-003", "Tahap", "diterima", "selesai")
    assert AUDIT_SHEET not in server.sheet_titles(one)
    assert source.read_audit() == [list(AUDIT_HEADER), audit("M-003", "Tahap", "diterima", "selesai")]


def test_a_seven_column_riwayat_gets_the_id_column_and_stays_readable(server):
    old_header = list(AUDIT_HEADER[:7])
    old_row = ["2024-01-02 09:00:00", "A-001", "Tahap", "", "diterima", "Ani", "petugas"]
    key = server.add_spreadsheet(
        "R", {"Sukamaju": rows("Sukamaju", 1), AUDIT_SHEET: [old_header, old_row]}, cols=7
    )
    source = source_for(server, key)
    source.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Tahap": ("diterima", "x")},
        [audit("A-001", "Tahap", "diterima", "x")],
        submission_id="s1",
    )
    assert body(server, key, AUDIT_SHEET) == [
        list(AUDIT_HEADER),
        old_row,
        audit("A-001", "Tahap", "diterima", "x"),
    ]
    assert source.read_audit()[1] == old_row  # a row without an id is read as before
    again = source.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Tahap": ("diterima", "x")},
        [audit("A-001", "Tahap", "diterima", "x")],
        submission_id="s1",
    )
    assert again.replayed and len(body(server, key, AUDIT_SHEET)) == 3


def test_read_audit(server):
    key = sukamaju(server, 1)
    source = source_for(server, key)
    assert source.read_audit() == []
    source.update_row(
        "Sukamaju",
        "Nomor",
        "A-001",
        {"Tahap": ("diterima", "x")},
        [audit("A-001", "Tahap", "diterima", "x")],
        submission_id="s1",
    )
    assert source.read_audit() == [list(AUDIT_HEADER), audit("A-001", "Tahap", "diterima", "x")]


# ------------------------------------------------------------------------------ fault sweep
def run_fault_sweep(
    server, *, seed: int = 20240501, min_faults: int = 200, rate: float = 0.25
) -> dict[str, int]:
    """Random reads, updates and new complaints under random faults; the user retries a failed
    save. Returns figures; asserts the final sheet and Riwayat equal the expected ones exactly."""
    desas = ["Sukamaju", "Mekarsari", "Cibodas"]
    sheets = {d: rows(d, 8, prefix=d[:2].upper()) for d in desas}
    sheets[AUDIT_SHEET] = [list(AUDIT_HEADER)]
    key = server.add_spreadsheet("Sweep", sheets)
    expected = {d: {r[0]: list(r) for r in sheets[d][1:]} for d in desas}
    expected_audit: list[list[str]] = []
    # a claim whose release failed under the faults expires after a few seconds
    source = source_for(
        server, key, policy=RetryPolicy.fast(attempts=4, timeout=2), lease=LeasePolicy(seconds=4, wait=5)
    )
    rng = random.Random(seed)
    server.chaos(rate, seed=seed, faults=(429, 500, 503, "drop", "drop_after_apply"))
    figures = Counter()
    step = 0
    while sum(1 for r in server.request_log if r.fault) < min_faults:
        step += 1
        desa = rng.choice(desas)
        action = rng.random()
        nomor = rng.choice(sorted(expected[desa]))  # chosen once: the user retries the same save
        tries = 0
        while True:
            tries += 1
            assert tries < 30, "a save never got through"
            try:
                if action < 0.3:
                    source.read()
                    figures["reads"] += 1
                elif action < 0.75:
                    row = expected[desa][nomor]
                    new = f"tahap-{step}"
                    when = f"2024-05-01 10:{step // 60 % 60:02d}:{step % 60:02d}"
                    trail = [[when, nomor, "Tahap", row[4], new, "Budi", "petugas", f"u{step}"]]
                    source.update_row(
                        desa,
                        "Nomor",
                        nomor,
                        {"Tahap": (row[4], new), "Diperbarui Pada": (row[6], when)},
                        trail,
                        submission_id=f"u{step}",
                    )
                    row[4], row[6] = new, when
                    expected_audit.extend(trail)
                    figures["updates"] += 1
                else:
                    prefix = desa[:2].upper()
                    values = {
                        "Desa": desa,
                        "Tanggal Diterima": "2024-05-02 08:00",
                        "Isi Pengaduan": f"Aduan ke-{step}",
                        "Tahap": "diterima",
                    }
                    result = source.append_row(
                        desa,
                        "Nomor",
                        values,
                        next_key(prefix),
                        lambda k, s=step: [[f"s{s}", k, "(baru)", "", "", "Budi", "petugas"]],
                        submission_id=f"a{step}",
                    )
                    assert result.key not in expected[desa]
                    expected[desa][result.key] = [
                        result.key,
                        desa,
                        values["Tanggal Diterima"],
                        values["Isi Pengaduan"],
                        "diterima",
                        "",
                        "",
                    ]
                    expected_audit.append(
                        [f"s{step}", result.key, "(baru)", "", "", "Budi", "petugas", f"a{step}"]
                    )
                    figures["appends"] += 1
                break
            except SourceError as error:
                assert not isinstance(error, ConcurrentChange | DuplicateKey), error
                figures["surfaced_errors"] += 1  # shown to the user, who tries again
    server.clear_faults()
    log = server.request_log
    figures["requests"] = len(log)
    figures["faults"] = sum(1 for r in log if r.fault)
    figures["faults_on_writes"] = sum(
        1 for r in log if r.fault and r.kind not in ("values.get", "values.batchGet", "spreadsheets.get")
    )
    figures["lost_answers_applied"] = sum(1 for r in log if r.fault == "drop_after_apply")
    figures["retries"] = source.stats.retries
    figures["verified_applied"] = source.stats.verified_applied
    figures["replays"] = source.stats.replays
    figures["unreleased_claims"] = source.stats.unreleased
    figures["recovered"] = source.stats.recovered
    for desa in desas:
        grid = body(server, key, desa)
        actual = {}
        for row in grid[1:]:
            trimmed = list(row)
            assert trimmed[0] not in actual, f"duplicate Nomor {trimmed[0]}"
            actual[trimmed[0]] = trimmed
        wanted = {k: [c for c in v] for k, v in expected[desa].items()}
        for v in wanted.values():
            while v and v[-1] == "":
                v.pop()
        assert actual == wanted, desa
    assert body(server, key, AUDIT_SHEET)[1:] == expected_audit
    assert server.formulas(key, AUDIT_SHEET) == []
    figures["final_state_ok"] = 1
    return dict(figures)


def test_fault_sweep_loses_and_duplicates_nothing(server):
    figures = run_fault_sweep(server)
    assert figures["faults"] >= 200
    assert figures["faults_on_writes"] >= 50 and figures["lost_answers_applied"] >= 20
    assert figures["updates"] > 0 and figures["appends"] > 0 and figures["reads"] > 0


def test_replay_of_an_append_whose_row_was_deleted_by_hand_is_not_recreated(server):
    from data_sources.base import AlreadyRecorded

    key = sukamaju(server, 2, riwayat=True)
    source = source_for(server, key)
    new = {"Desa": "Sukamaju", "Isi Pengaduan": "Lampu mati"}

    def append():
        return source.append_row(
            "Sukamaju",
            "Nomor",
            new,
            next_key("A"),
            lambda k: [audit(k, "(baru)", "", "x", sid="d1")],
            submission_id="d1",
        )

    nomor = append().key
    server.delete_rows(key, "Sukamaju", 4)  # a petugas deletes the new row in the Sheets UI
    with pytest.raises(AlreadyRecorded, match=nomor) as error:
        append()
    assert error.value.key == nomor and "Sukamaju" in str(error.value)
    assert [row[0] for row in body(server, key, "Sukamaju")] == ["Nomor", "A-001", "A-002"]
    assert sum(1 for row in body(server, key, AUDIT_SHEET) if row[-1] == "d1") == 1


def test_a_nomor_whose_row_was_deleted_by_hand_is_not_given_to_the_next_complaint(server):
    key = sukamaju(server, 2, riwayat=True)
    source = source_for(server, key)

    def append(sid):
        return source.append_row(
            "Sukamaju",
            "Nomor",
            {"Desa": "Sukamaju", "Isi Pengaduan": f"Lampu mati {sid}"},
            next_key("A"),
            lambda k: [audit(k, "(baru)", "", sid, sid=sid)],
            submission_id=sid,
        )

    assert append("n1").key == "A-003"
    server.delete_rows(key, "Sukamaju", 4)  # a petugas deletes A-003 in the Sheets UI
    assert append("n2").key == "A-004"
    assert [row[0] for row in body(server, key, "Sukamaju")] == ["Nomor", "A-001", "A-002", "A-004"]
    # A-004's history is its own: the deleted A-003's Riwayat rows keep their Nomor
    assert [row[4] for row in body(server, key, AUDIT_SHEET) if row[1] == "A-004"] == ["n2"]


def test_text_longer_than_a_sheets_cell_is_refused_naming_the_field(server):
    key = sukamaju(server, 2, riwayat=True)
    source = source_for(server, key)
    before = body(server, key, "Sukamaju")
    long_text = "x" * 50_001
    with pytest.raises(SourceError, match="Isi Pengaduan"):
        source.update_row(
            "Sukamaju",
            "Nomor",
            "A-001",
            {"Isi Pengaduan": ("Jalan rusak nomor 1", long_text)},
            [],
            submission_id="p1",
        )
    with pytest.raises(SourceError, match="50.000"):
        source.append_row(
            "Sukamaju", "Nomor", {"Isi Pengaduan": long_text}, next_key("A"), lambda k: [], submission_id="p2"
        )
    assert body(server, key, "Sukamaju") == before
