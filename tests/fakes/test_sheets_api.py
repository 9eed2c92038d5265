"""The fake Sheets API, exercised with the real gspread client over real HTTP."""

from __future__ import annotations

import threading
import time

import gspread
import pytest
import requests
from gspread.utils import ValidationConditionType, absolute_range_name

from tests.fakes.sheets_api import DROP, DROP_AFTER_APPLY, FakeSheetsServer, http_error, slow, wait_until

HEADER = ["Nomor", "Desa", "No. HP", "Tahap"]
ROWS = [
    HEADER,
    ["ADU-001", "Suka Maju", "081234567890", "diterima"],
    ["ADU-002", "Sido Rukun", "", ""],
]


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


@pytest.fixture
def key(server):
    return server.add_spreadsheet(
        "Register Pengaduan",
        {
            "Register": ROWS,
            "Desa Suka Maju": [["a", "b"], ["c"]],
            "It's": [["x", "y", "z"]],
        },
    )


@pytest.fixture
def gc(server):
    return gspread.Client(auth=None, session=server.session())


@pytest.fixture
def sh(gc, key):
    return gc.open_by_key(key)


def api_error(excinfo) -> tuple[int, str]:
    err = excinfo.value
    return err.code, err.error["message"]


# ---- metadata -------------------------------------------------------------------------------


def test_open_by_key_reports_title_and_worksheets(sh, server):
    assert sh.title == "Register Pengaduan"
    worksheets = sh.worksheets()
    assert [w.title for w in worksheets] == ["Register", "Desa Suka Maju", "It's"]
    assert worksheets[0].id == 0
    assert worksheets[0].row_count == 1000 and worksheets[0].col_count == 26
    assert worksheets[0].frozen_row_count == 0
    assert server.count("spreadsheets.get") == 2  # open + worksheets()


def test_unknown_spreadsheet_is_404(gc, server):
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open_by_key("does-not-exist")
    session = server.session()
    r = session.get("https://sheets.googleapis.com/v4/spreadsheets/does-not-exist")
    assert r.status_code == 404
    assert r.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }


def test_spreadsheet_not_shared_is_403(gc, server):
    key = server.add_spreadsheet("Rahasia", {"Sheet1": [["a"]]}, shared=False)
    with pytest.raises(PermissionError):
        gc.open_by_key(key)
    r = server.session().get(f"https://sheets.googleapis.com/v4/spreadsheets/{key}/values/A1")
    assert r.status_code == 403
    assert r.json()["error"]["status"] == "PERMISSION_DENIED"


def test_fields_parameter_filters_top_level(sh, server, key):
    data = sh.fetch_sheet_metadata(params={"fields": "sheets.properties"})
    assert set(data) == {"sheets"}
    assert sh.fetch_sheet_metadata(params={"fields": "namedRanges"}) == {}


# ---- reading --------------------------------------------------------------------------------


def test_all_worksheets_in_one_batch_get(sh, server):
    titles = [w.title for w in sh.worksheets()]
    server.reset_counts()
    result = sh.values_batch_get([absolute_range_name(t) for t in titles])
    assert server.count() == 1 and server.count("values.batchGet") == 1
    ranges = result["valueRanges"]
    assert [vr["range"] for vr in ranges] == [
        "Register!A1:Z1000",
        "'Desa Suka Maju'!A1:Z1000",
        "'It''s'!A1:Z1000",
    ]
    # trailing empty cells of a row are omitted
    assert ranges[0]["values"] == [HEADER, ROWS[1], ["ADU-002", "Sido Rukun"]]
    assert ranges[1]["values"] == [["a", "b"], ["c"]]


def test_trailing_empty_rows_and_cells_omitted_and_values_absent_when_empty(server, gc):
    key = server.add_spreadsheet(
        "T", {"S": [["a", "", "c", ""], [], ["", "b"], [""], ["", ""]], "Kosong": []}
    )
    sh = gc.open_by_key(key)
    assert sh.values_get("S") == {
        "range": "S!A1:Z1000",
        "majorDimension": "ROWS",
        "values": [["a", "", "c"], [], ["", "b"]],
    }
    empty = sh.values_get("Kosong!A1:C3")
    assert "values" not in empty and empty["range"] == "Kosong!A1:C3"
    # gspread pads to a rectangle itself
    assert sh.worksheet("S").get_all_values() == [["a", "", "c"], ["", "", ""], ["", "b", ""]]
    # gspread's own quirk with the real API too: an empty sheet reads as [[]], not []
    assert sh.worksheet("Kosong").get_all_values() == [[]]


@pytest.mark.parametrize(
    ("rng", "echo", "values"),
    [
        ("'Desa Suka Maju'!A1:Z", "'Desa Suka Maju'!A1:Z1000", [["a", "b"], ["c"]]),
        ("'It''s'!A:C", "'It''s'!A1:C1000", [["x", "y", "z"]]),
        ("'It''s'!B1", "'It''s'!B1", [["y"]]),
        ("Register!A2:B", "Register!A2:B1000", [["ADU-001", "Suka Maju"], ["ADU-002", "Sido Rukun"]]),
        ("Register!$C$2:$C$3", "Register!C2:C3", [["081234567890"]]),
        ("A1:B1", "Register!A1:B1", [["Nomor", "Desa"]]),  # no sheet name: the first sheet
        ("Register!1:1", "Register!A1:Z1", [HEADER]),
        ("register!A1", "Register!A1", [["Nomor"]]),  # sheet names are case-insensitive
        ("Register!A1:ZZ2", "Register!A1:Z2", [HEADER, ROWS[1]]),  # clipped to the grid
    ],
)
def test_a1_ranges(sh, rng, echo, values):
    res = sh.values_get(rng)
    assert res["range"] == echo
    assert res["values"] == values


@pytest.mark.parametrize(
    "rng", ["Nope!A1", "'Desa Suka Maju!A1", "Register!A1:", "Register!1A", "Register!A1:B2:C3"]
)
def test_bad_range_is_400(sh, rng):
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        sh.values_get(rng)
    assert api_error(excinfo) == (400, f"Unable to parse range: {rng}")


def test_major_dimension_columns(sh):
    res = sh.values_get("Register!A1:D3", params={"majorDimension": "COLUMNS"})
    assert res["majorDimension"] == "COLUMNS"
    assert res["values"][0] == ["Nomor", "ADU-001", "ADU-002"]
    assert res["values"][3] == ["Tahap", "diterima"]


def test_value_render_options(server, gc):
    key = server.add_spreadsheet("N", {"S": [[12, 1.5, True, "7"]]})
    ws = gc.open_by_key(key).sheet1
    assert ws.get("A1:D1") == [["12", "1.5", "TRUE", "7"]]
    assert ws.get("A1:D1", value_render_option="UNFORMATTED_VALUE") == [[12, 1.5, True, "7"]]


# ---- writing: RAW vs USER_ENTERED -----------------------------------------------------------

DANGEROUS = ['=IMPORTXML("http://x")', "+cmd", "@SUM(A1)", "0812345678", "-2+3", "=1+1"]


def test_raw_keeps_text_verbatim(sh, server, key):
    ws = sh.worksheet("Register")
    ws.batch_update([{"range": "A5:F5", "values": [DANGEROUS]}], value_input_option="RAW")
    assert ws.row_values(5) == DANGEROUS
    assert ws.get("A5:F5", value_render_option="UNFORMATTED_VALUE") == [DANGEROUS]
    assert ws.get("A5:F5", value_render_option="FORMULA") == [DANGEROUS]
    assert not any(server.is_formula(key, "Register", 5, c) for c in range(1, 7))
    assert server.cell(key, "Register", 5, 4) == "0812345678"


def test_user_entered_parses_numbers_and_formulas(sh, server, key):
    ws = sh.worksheet("Register")
    ws.update([["0812345", "=1+1", "'0812", "2024-01-05", '=IMPORTXML("http://x")', "TRUE"]], "A6", raw=False)
    assert ws.row_values(6) == ["812345", "2", "0812", "2024-01-05", "#N/A", "TRUE"]
    unformatted = ws.get("A6:F6", value_render_option="UNFORMATTED_VALUE")[0]
    assert unformatted[0] == 812345  # the leading zero is gone, like in the real thing
    assert unformatted[3] == 45296  # dates become serial numbers
    assert ws.get("B6:E6", value_render_option="FORMULA") == [
        ["=1+1", "0812", 45296, '=IMPORTXML("http://x")']
    ]
    assert server.is_formula(key, "Register", 6, 2)
    assert server.is_formula(key, "Register", 6, 5)
    assert not server.is_formula(key, "Register", 6, 1)
    assert server.formulas(key, "Register") == [(6, 2, "=1+1"), (6, 5, '=IMPORTXML("http://x")')]


def test_value_input_option_is_required(server, key):
    r = server.session().put(
        f"https://sheets.googleapis.com/v4/spreadsheets/{key}/values/A1", json={"values": [["x"]]}
    )
    assert r.status_code == 400
    assert "valueInputOption" in r.json()["error"]["message"]


def test_update_and_null_and_empty_string(sh, server, key):
    ws = sh.worksheet("Register")
    res = ws.update([["ADU-009", None, ""]], "A2")
    assert res["updatedRange"] == "Register!A2:C2"
    assert res["updatedCells"] == 3
    # null leaves the cell unchanged, "" clears it
    assert server.values(key, "Register")[1] == ["ADU-009", "Suka Maju", "", "diterima"]


def test_update_beyond_grid_is_400(server, gc):
    key = server.add_spreadsheet("Kecil", {"S": [["a"]]}, rows=3, cols=2)
    ws = gc.open_by_key(key).sheet1
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        ws.update([["x"], ["y"]], "A3")
    code, message = api_error(excinfo)
    assert code == 400
    assert message == "Range (S!A3:A4) exceeds grid limits. Max rows: 3, max columns: 2"
    with pytest.raises(gspread.exceptions.APIError):
        ws.update([["x", "y", "z"]], "A1")
    assert server.values(key, "S") == [["a"]]  # nothing written


def test_data_larger_than_range_is_400(sh, server, key):
    ws = sh.worksheet("Register")
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        ws.update([["a", "b", "c"]], "A10:B10")
    assert api_error(excinfo)[0] == 400
    assert "tried writing to column [C]" in api_error(excinfo)[1]


def test_values_batch_update_is_atomic(sh, server, key):
    before = server.values(key, "Register")
    ws = sh.worksheet("Register")
    with pytest.raises(gspread.exceptions.APIError):
        ws.batch_update([{"range": "A2", "values": [["X"]]}, {"range": "A2000", "values": [["Y"]]}])
    assert server.values(key, "Register") == before
    res = ws.batch_update(
        [{"range": "D2", "values": [["verifikasi"]]}, {"range": "D3", "values": [["selesai"]]}]
    )
    assert res["totalUpdatedCells"] == 2
    assert [r[3] for r in server.values(key, "Register")[1:]] == ["verifikasi", "selesai"]


# ---- append ---------------------------------------------------------------------------------


def test_append_goes_after_last_row(sh, server, key):
    ws = sh.worksheet("Register")
    res = ws.append_rows([["ADU-003", "Suka Maju", "0811", "diterima"]], value_input_option="RAW")
    assert res["tableRange"] == "Register!A1:D3"
    assert res["updates"]["updatedRange"] == "Register!A4:D4"
    assert server.values(key, "Register")[3] == ["ADU-003", "Suka Maju", "0811", "diterima"]
    # a row with a gap above it: append still goes after the last non-empty row
    server.set_values(key, "Register", [["ADU-010"]], start="A8")
    res = ws.append_rows([["ADU-011"]])
    assert res["updates"]["updatedRange"] == "Register!A9"


def test_append_to_empty_sheet_and_riwayat_range(sh, server, key):
    riwayat = sh.add_worksheet("Riwayat", rows=1, cols=7)
    riwayat.append_rows([["Waktu", "Nomor", "Kolom", "Nilai Lama", "Nilai Baru", "Oleh", "Peran"]])
    sh.values_append(
        "Riwayat!A:G",
        params={"valueInputOption": "RAW"},
        body={
            "values": [["2024-01-01 10:00", "ADU-001", "Tahap", "diterima", "verifikasi", "ani", "petugas"]]
        },
    )
    values = server.values(key, "Riwayat")
    assert values[0][0] == "Waktu" and values[1][1] == "ADU-001"
    # append grows the grid (update would have been refused)
    assert server.sheet_properties(key, "Riwayat")["gridProperties"]["rowCount"] == 2


def test_append_insert_rows_shifts_data_below(server, gc):
    key = server.add_spreadsheet("T", {"S": [["h"], ["1"], ["2"], [""], ["catatan"]]})
    sh = gc.open_by_key(key)
    sh.values_append(
        "S!A1:A3",
        params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
        body={"values": [["3"]]},
    )
    assert server.values(key, "S") == [["h"], ["1"], ["2"], ["3"], [], ["catatan"]]
    assert server.sheet_properties(key, "S")["gridProperties"]["rowCount"] == 1001


# ---- spreadsheets.batchUpdate ---------------------------------------------------------------


def test_add_sheet_freeze_and_validation_are_recorded(sh, server, key):
    ws = sh.add_worksheet("Riwayat", rows=100, cols=7)
    assert ws.id != 0 and ws.index == 3
    ws.freeze(rows=1)
    ws.add_validation("A2:A100", ValidationConditionType.one_of_list, ["Ya", "Tidak"], showCustomUi=True)
    props = server.sheet_properties(key, "Riwayat")
    assert props["gridProperties"] == {"rowCount": 100, "columnCount": 7, "frozenRowCount": 1}
    [rule] = server.validations(key, "Riwayat")
    assert rule["range"]["sheetId"] == ws.id
    assert rule["range"]["startRowIndex"] == 1 and rule["range"]["endRowIndex"] == 100
    assert rule["rule"]["condition"]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in rule["rule"]["condition"]["values"]] == ["Ya", "Tidak"]
    kinds = [next(iter(r)) for r in server.applied_requests(key)]
    assert kinds == ["addSheet", "updateSheetProperties", "setDataValidation"]
    # a fresh read of the metadata shows it too
    assert sh.worksheet("Riwayat").frozen_row_count == 1


def test_add_existing_sheet_is_400_and_batch_is_atomic(sh, server, key):
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        sh.batch_update(
            {
                "requests": [
                    {"addSheet": {"properties": {"title": "Baru"}}},
                    {"addSheet": {"properties": {"title": "Register"}}},
                ]
            }
        )
    code, message = api_error(excinfo)
    assert code == 400 and 'A sheet with the name "Register" already exists' in message
    assert server.sheet_titles(key) == ["Register", "Desa Suka Maju", "It's"]


def test_reorder_and_rename_sheet(sh, server, key):
    ws = sh.worksheet("It's")
    ws.update_index(0)
    ws.update_title("Arsip 2023")
    assert server.sheet_titles(key) == ["Arsip 2023", "Register", "Desa Suka Maju"]
    assert sh.values_get("'Arsip 2023'!A1")["values"] == [["x"]]


def test_unknown_batch_request_is_400(sh):
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        sh.batch_update({"requests": [{"frobnicate": {}}]})
    assert api_error(excinfo)[0] == 400


def test_dimension_requests_and_formatting(sh, server, key):
    ws = sh.worksheet("Register")
    ws.insert_rows([["ADU-000", "Baru"]], row=2)
    assert [r[0] for r in server.values(key, "Register")] == ["Nomor", "ADU-000", "ADU-001", "ADU-002"]
    ws.delete_rows(2)
    assert [r[0] for r in server.values(key, "Register")] == ["Nomor", "ADU-001", "ADU-002"]
    ws.format("A1:D1", {"textFormat": {"bold": True}})
    assert "repeatCell" in server.formats(key, "Register")[0]
    ws.resize(rows=50)
    assert server.sheet_properties(key, "Register")["gridProperties"]["rowCount"] == 50


# ---- another user editing -------------------------------------------------------------------


def test_other_user_edits_are_visible(sh, server, key):
    ws = sh.worksheet("Register")
    server.insert_rows(key, "Register", 2, [["ADU-000", "Sido Rukun"]])
    server.set_values(key, "Register", [["selesai"]], start="D3")
    assert ws.col_values(1) == ["Nomor", "ADU-000", "ADU-001", "ADU-002"]
    assert ws.acell("D3").value == "selesai"


# ---- faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 503])
def test_http_error_faults_raise_api_error_and_are_not_applied(sh, server, key, status):
    ws = sh.worksheet("Register")
    server.inject("values.append", status)
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        ws.append_rows([["ADU-003"]])
    assert excinfo.value.code == status
    assert len(server.values(key, "Register")) == 3  # not applied
    if status == 429:
        assert excinfo.value.response.headers["Retry-After"] == "0"
        assert excinfo.value.error["status"] == "RESOURCE_EXHAUSTED"
    # the fault was used up: the retry goes through
    ws.append_rows([["ADU-003"]])
    assert server.values(key, "Register")[3] == ["ADU-003"]
    assert server.count("values.append") == 2
    assert server.count("values.append", applied=True) == 1


def test_retry_after_is_configurable(sh, server):
    server.inject("values.get", 429, retry_after=1)
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        sh.sheet1.get_all_values()
    assert excinfo.value.response.headers["Retry-After"] == "1"
    server.inject("values.get", http_error(503, retry_after=2))
    with pytest.raises(gspread.exceptions.APIError) as excinfo:
        sh.sheet1.get_all_values()
    assert excinfo.value.code == 503
    assert excinfo.value.response.headers["Retry-After"] == "2"


def test_drop_is_connection_error_and_not_applied(sh, server, key):
    ws = sh.worksheet("Register")
    server.inject("values.append", DROP)
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.append_rows([["ADU-003"]])
    assert len(server.values(key, "Register")) == 3
    [rec] = [r for r in server.request_log if r.kind == "values.append"]
    assert rec.status is None and rec.fault == "drop" and not rec.applied
    # the same client keeps working afterwards
    assert ws.acell("A2").value == "ADU-001"


def test_drop_after_apply_lets_a_naive_retry_duplicate(sh, server, key):
    ws = sh.worksheet("Register")
    server.inject("values.append", DROP_AFTER_APPLY)
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.append_rows([["ADU-003"]])
    ws.append_rows([["ADU-003"]])  # naive retry
    assert [r[0] for r in server.values(key, "Register")] == [
        "Nomor",
        "ADU-001",
        "ADU-002",
        "ADU-003",
        "ADU-003",
    ]


def test_slow_response_is_delayed_then_served(sh, server):
    server.inject("values.get", slow(0.3))
    started = time.monotonic()
    assert sh.sheet1.acell("A1").value == "Nomor"
    assert time.monotonic() - started >= 0.25


def test_slow_response_with_client_timeout(gc, key, server):
    sh = gc.open_by_key(key)
    gc.set_timeout(0.2)
    server.inject("values.update", slow(0.6))
    with pytest.raises(requests.exceptions.Timeout):
        sh.sheet1.update([["late"]], "D3")
    # the server still applied it after the delay, though the client gave up
    assert wait_until(lambda: server.cell(key, "Register", 3, 4) == "late", timeout=3)


def test_fault_times_and_predicates(sh, server):
    ws = sh.sheet1
    server.inject(lambda rec: rec.kind == "values.get" and "D" in rec.path, 500, times=2)
    assert ws.acell("A1").value == "Nomor"  # does not match the predicate
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError):
            ws.acell("D1")
    assert ws.acell("D1").value == "Tahap"
    assert server.pending_faults() == 0
    server.inject("write", 503)
    assert ws.acell("B1").value == "Desa"  # reads are not writes
    with pytest.raises(gspread.exceptions.APIError):
        ws.update([["x"]], "Z1")


def test_chaos_is_deterministic_for_a_seed(key, server):
    def run() -> list[str]:
        with FakeSheetsServer() as srv:
            k = srv.add_spreadsheet("C", {"S": [["a"]]})
            session = srv.session()
            srv.chaos(0.5, seed=7, faults=[429, 500, 503, "drop"])
            out = []
            for _ in range(30):
                try:
                    r = session.get(f"{srv.base_url}/v4/spreadsheets/{k}/values/S")
                    out.append(str(r.status_code))
                except requests.exceptions.ConnectionError:
                    out.append("drop")
            return out

    first, second = run(), run()
    assert first == second
    assert {"200", "429", "500", "503", "drop"} <= set(first)


def test_chaos_off_and_clear_faults(sh, server):
    server.chaos(1.0, seed=1, faults=[500])
    with pytest.raises(gspread.exceptions.APIError):
        sh.sheet1.acell("A1")
    server.chaos(0, seed=1)
    server.inject("*", 500, times=5)
    server.clear_faults()
    assert sh.sheet1.acell("A1").value == "Nomor"


# ---- counting and log -----------------------------------------------------------------------


def test_request_counting_and_log(sh, server, key):
    ws = sh.sheet1  # one spreadsheets.get
    server.reset_counts()
    ws.get_all_values()
    ws.batch_update([{"range": "A2", "values": [["ADU-001"]]}])
    ws.append_rows([["ADU-003"]])
    sh.values_batch_get(["Register!A1", "'It''s'!A1"])
    assert server.counts() == {
        "values.get": 1,
        "values.batchUpdate": 1,
        "values.append": 1,
        "values.batchGet": 1,
    }
    assert server.count() == 4
    rec = server.request_log[-1]
    assert rec.method == "GET" and rec.spreadsheet_id == key
    assert rec.query["ranges"] == ["Register!A1", "'It''s'!A1"]
    assert server.request_log[1].body["valueInputOption"] == "RAW"
    assert server.request_log[2].path.endswith("/values/'Register':append")
    server.reset_counts()
    assert server.count() == 0 and server.request_log == []


def test_concurrent_appends_are_all_kept(server, key):
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            ws = gspread.Client(auth=None, session=server.session()).open_by_key(key).sheet1
            for i in range(5):
                ws.append_rows([[f"T{n}-{i}"]])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = [r[0] for r in server.values(key, "Register")[3:]]
    assert sorted(numbers) == sorted(f"T{n}-{i}" for n in range(4) for i in range(5))


def test_client_helper_and_drive_metadata(server, key):
    gc = server.client()
    sh = gc.open_by_key(key)
    assert sh.get_lastUpdateTime().endswith("Z")
    assert server.count("drive.files.get") == 1
