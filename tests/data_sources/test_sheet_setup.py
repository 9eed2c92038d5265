"""Sheet setup on the Sheets API fake: header, Riwayat, frozen row, dropdowns; idempotent, never destructive."""

from __future__ import annotations

import json

import pytest

from data_sources.base import SourceError
from data_sources.gsheets import GoogleSheetsSource, GSheetsConfig, RetryPolicy
from data_sources.sheet_setup import DROPDOWNS, header_for, main, prepare_configured, prepare_spreadsheet
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from metrics.profiles import load_profile, register_header
from tests.fakes.sheets_api import DROP_AFTER_APPLY, FakeSheetsServer

DESA = ["Sukamaju", "Mekarsari"]


@pytest.fixture
def server():
    with FakeSheetsServer() as srv:
        yield srv


@pytest.fixture
def profile():
    return load_profile("umum")


def source_for(server, key="") -> GoogleSheetsSource:
    return GoogleSheetsSource(
        GSheetsConfig(spreadsheet=key or "x", api_base_url="unused"),
        session=server.session(),
        policy=RetryPolicy.fast(),
    )


def state(server, key):
    return {
        name: (server.values(key, name), server.sheet_properties(key, name), server.validations(key, name))
        for name in server.sheet_titles(key)
    }


def test_prepares_a_new_spreadsheet(server, profile):
    key = server.add_spreadsheet("Register Kecamatan", {"Sheet1": []})
    report = prepare_spreadsheet(source_for(server), key, profile, desa=DESA)
    assert report.applied and report.spreadsheet == "Register Kecamatan"
    assert server.sheet_titles(key) == ["Sheet1", *DESA, AUDIT_SHEET]
    header = header_for(profile, "per_desa_worksheet")
    assert header == [h for h in register_header(profile) if h != "Desa"]
    for desa in DESA:
        assert server.values(key, desa) == [header]
        assert server.sheet_properties(key, desa)["gridProperties"]["frozenRowCount"] == 1
        rules = server.validations(key, desa)
        assert len(rules) == 4
        by_column = {header[r["range"]["startColumnIndex"]]: r for r in rules}
        assert set(by_column) == set(DROPDOWNS)
        for text, vocabulary in DROPDOWNS.items():
            rule = by_column[text]
            assert rule["range"]["startRowIndex"] == 1 and "endRowIndex" not in rule["range"]
            assert rule["rule"]["condition"]["type"] == "ONE_OF_LIST"
            assert rule["rule"]["strict"] is False
            assert [v["userEnteredValue"] for v in rule["rule"]["condition"]["values"]] == [
                t.label for t in getattr(profile, vocabulary)
            ]
    assert server.values(key, AUDIT_SHEET) == [list(AUDIT_HEADER)]
    assert server.sheet_properties(key, AUDIT_SHEET)["gridProperties"]["frozenRowCount"] == 1
    assert server.formulas(key, DESA[0]) == []


def test_running_twice_changes_nothing(server, profile):
    key = server.add_spreadsheet("R", {"Sheet1": []})
    prepare_spreadsheet(source_for(server), key, profile, desa=DESA)
    before = state(server, key)
    server.reset_counts()
    report = prepare_spreadsheet(source_for(server), key, profile, desa=DESA)
    assert state(server, key) == before
    assert not report.changes_data
    assert server.count("values.batchUpdate") == server.count("values.append") == 0
    assert len(report.unchanged) == 6
    added = [r for r in server.applied_requests(key) if "addSheet" in r]
    assert len(added) == 3


def test_existing_register_data_is_never_touched(server, profile):
    header = header_for(profile, "single_worksheet")
    data = [header, ["A-001", "Sukamaju", "2024-01-02"], ["A-002", "Mekarsari"]]
    key = server.add_spreadsheet("R", {"Register": data, AUDIT_SHEET: [list(AUDIT_HEADER), ["x", "A-001"]]})
    report = prepare_spreadsheet(source_for(server), key, profile, layout="single_worksheet")
    assert server.values(key, "Register") == data
    assert server.values(key, AUDIT_SHEET) == [list(AUDIT_HEADER), ["x", "A-001"]]
    assert server.sheet_properties(key, "Register")["gridProperties"]["frozenRowCount"] == 1
    assert "Bekukan baris judul sheet 'Register'." in report.actions
    assert "Desa" in server.values(key, "Register")[0]


def test_an_empty_existing_sheet_gets_the_header(server, profile):
    key = server.add_spreadsheet("R", {"Register": []})
    prepare_spreadsheet(source_for(server), key, profile, layout="single_worksheet")
    assert server.values(key, "Register") == [header_for(profile, "single_worksheet")]


def test_a_different_header_is_refused_before_any_write(server, profile):
    header = header_for(profile, "per_desa_worksheet")
    other = ["No", *header[1:3], "Tgl", *header[4:]]
    key = server.add_spreadsheet("R", {"Sukamaju": [other, ["1"]]})
    server.reset_counts()
    with pytest.raises(SourceError) as excinfo:
        prepare_spreadsheet(source_for(server), key, profile, desa=DESA)
    text = str(excinfo.value)
    assert "tidak diubah" in text
    assert "kolom A: di sheet 'No', seharusnya 'Nomor'" in text
    assert f"kolom D: di sheet 'Tgl', seharusnya '{header[3]}'" in text
    assert server.count("values.batchUpdate") == server.count("spreadsheets.batchUpdate") == 0
    assert server.sheet_titles(key) == ["Sukamaju"]


def test_header_below_title_rows_is_kept_where_it_is(server, profile):
    data = [["BUKU REGISTER PENGADUAN"], [], header_for(profile, "single_worksheet"), ["A-001"]]
    key = server.add_spreadsheet("R", {"Register": data})
    prepare_spreadsheet(source_for(server), key, profile, layout="single_worksheet")
    assert server.values(key, "Register") == data
    assert server.sheet_properties(key, "Register")["gridProperties"]["frozenRowCount"] == 3
    assert {r["range"]["startRowIndex"] for r in server.validations(key, "Register")} == {3}


def test_a_sheet_that_is_not_a_register_is_refused_briefly(server, profile):
    key = server.add_spreadsheet("R", {"Register": [["catatan rapat"], ["isi"]]})
    with pytest.raises(SourceError) as excinfo:
        prepare_spreadsheet(source_for(server), key, profile, layout="single_worksheet")
    assert "Sheet 'Register' baris 1: kolom A: di sheet 'catatan rapat', seharusnya 'Nomor'" in str(
        excinfo.value
    )
    # the header has one column per registry entry of the profile: all but the six shown are summed up
    others = len(header_for(profile, "single_worksheet")) - 6
    assert f"dan {others} kolom lain" in str(excinfo.value)


def test_extra_columns_after_the_template_are_fine(server, profile):
    header = [*header_for(profile, "single_worksheet"), "Catatan Camat"]
    key = server.add_spreadsheet("R", {"Register": [header]})
    prepare_spreadsheet(source_for(server), key, profile, layout="single_worksheet")
    assert server.values(key, "Register") == [header]


def test_dry_run_writes_nothing(server, profile):
    key = server.add_spreadsheet("R", {"Sheet1": []})
    server.reset_counts()
    report = prepare_spreadsheet(source_for(server), key, profile, desa=DESA, apply=False)
    assert not report.applied and len(report.actions) == 5
    assert server.sheet_titles(key) == ["Sheet1"]
    assert all(r.kind in ("spreadsheets.get", "values.batchGet") for r in server.request_log)


def test_lost_answers_during_setup_converge_to_the_same_result(server, profile):
    clean = server.add_spreadsheet("A", {"Sheet1": []})
    prepare_spreadsheet(source_for(server), clean, profile, desa=DESA)
    key = server.add_spreadsheet("B", {"Sheet1": []})
    server.inject("spreadsheets.batchUpdate", DROP_AFTER_APPLY)
    server.inject("values.batchUpdate", DROP_AFTER_APPLY)
    server.inject("values.batchGet", 503)
    prepare_spreadsheet(source_for(server), key, profile, desa=DESA)
    assert state(server, key) == state(server, clean)


def test_per_desa_worksheet_needs_desa_names(server, profile):
    key = server.add_spreadsheet("R", {"Sheet1": []})
    with pytest.raises(SourceError, match="--desa"):
        prepare_spreadsheet(source_for(server), key, profile)


def test_other_profiles_use_their_own_header(server):
    profile = load_profile("cipari")
    key = server.add_spreadsheet("R", {"Sheet1": []})
    prepare_spreadsheet(source_for(server), key, profile, layout="single_worksheet", worksheet="Aduan")
    assert server.values(key, "Aduan") == [register_header(profile)]


def test_prepare_configured_per_desa_spreadsheet(server, profile):
    one = server.add_spreadsheet("Sukamaju", {"Sheet1": []})
    two = server.add_spreadsheet("Mekarsari", {"Sheet1": []})
    section = {
        "layout": "per_desa_spreadsheet",
        "api_base_url": "unused",
        "worksheet": "Register",
        "spreadsheets": {"Sukamaju": one, "Mekarsari": two},
    }
    source = GoogleSheetsSource(
        GSheetsConfig.from_mapping(section), session=server.session(), policy=RetryPolicy.fast()
    )
    reports = prepare_configured(section, profile, source=source)
    assert [r.spreadsheet for r in reports] == ["Sukamaju", "Mekarsari"]
    for key in (one, two):
        assert server.values(key, "Register") == [header_for(profile, "per_desa_spreadsheet")]
        assert server.values(key, AUDIT_SHEET) == [list(AUDIT_HEADER)]


# ------------------------------------------------------------------------------- command line
def test_command_line_with_secrets_file(server, tmp_path, capsys):
    key = server.add_spreadsheet("Register Desa", {"Sheet1": []})
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[pantau]\nsop = "umum"\n[wilayah]\ndesa = ["Sukamaju", "Mekarsari"]\n'
        f'[gsheets]\nspreadsheet = "https://docs.google.com/spreadsheets/d/{key}/edit"\napi_base_url = "{server.base_url}"\n'
    )
    assert main(["--secrets", str(secrets), "--dry-run"]) == 0
    assert server.sheet_titles(key) == ["Sheet1"]
    assert "Rencana: Tambah sheet 'Sukamaju'" in capsys.readouterr().out
    assert main(["--secrets", str(secrets)]) == 0
    assert server.sheet_titles(key) == ["Sheet1", "Sukamaju", "Mekarsari", AUDIT_SHEET]
    assert main(["--secrets", str(secrets)]) == 0
    assert (
        "Sudah benar: Sheet 'Sukamaju' sudah berjudul kolom yang benar (baris 1)." in capsys.readouterr().out
    )


def test_command_line_arguments_and_errors(server, tmp_path, capsys):
    key = server.add_spreadsheet("R", {"Register": [["Nomor", "Tanggal"]]})
    missing = tmp_path / "none.toml"
    args = ["--secrets", str(missing), "--api-base-url", server.base_url, "--spreadsheet", key]
    assert main([*args, "--layout", "single_worksheet"]) == 1
    assert "GAGAL" in capsys.readouterr().err
    assert main([*args, "--layout", "single_worksheet", "--worksheet", "Baru", "--sop", "umum"]) == 0
    assert server.values(key, "Baru") == [header_for(load_profile("umum"), "single_worksheet")]
    bad = tmp_path / "key.json"
    bad.write_text("{not json")
    assert main(["--secrets", str(missing), "--credentials", str(bad), "--spreadsheet", key]) == 1
    assert "tidak dapat dibaca sebagai JSON" in capsys.readouterr().err
    incomplete = tmp_path / "key2.json"
    incomplete.write_text(
        json.dumps({"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"})
    )
    assert (
        main(
            ["--secrets", str(missing), "--credentials", str(incomplete), "--spreadsheet", key, "--desa", "X"]
        )
        == 1
    )
    assert "private_key belum diisi" in capsys.readouterr().err
