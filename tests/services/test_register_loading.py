"""services.register_loading: the one loading path (app and command-line tools)."""

from data_sources.base import SourceError
from metrics.columns import TEMPLATE_HEADER, column_key
from metrics.profiles import load_profile
from metrics.register import SheetGrid, normalise_register
from services.register_loading import load, make_source, merged_spellings
from services.settings import parse_settings
from services.settings import parse_settings as settings_from


def test_register_encoding_setting_reaches_the_csv_source(tmp_path):
    path = tmp_path / "ascii.csv"
    path.write_bytes(b"Nomor,Tahap\r\nA/1,Diterima\r\n")
    unset = make_source(parse_settings({"pantau": {"register": str(path)}}, {}))
    try:
        unset.update_row(
            "ascii", "Nomor", "A/1", {"Tahap": ("Diterima", "Selesai é")}, [], submission_id="u1"
        )
    except SourceError as error:
        assert "register_encoding" in str(error)
    else:
        raise AssertionError("an all-ASCII CSV without a configured encoding took non-ASCII text")
    settings = parse_settings({"pantau": {"register": str(path), "register_encoding": "cp1252"}}, {})
    assert settings.register_encoding == "cp1252" and not settings.problems
    make_source(settings).update_row(
        "ascii", "Nomor", "A/1", {"Tahap": ("Diterima", "Selesai é")}, [], submission_id="u2"
    )
    assert path.read_bytes() == "Nomor,Tahap\r\nA/1,Selesai é\r\n".encode("cp1252")


KEYS = [column_key(h) for h in TEMPLATE_HEADER]


def _register():
    rows = [
        [{"nomor": f"A/{i}", "desa": desa, "tanggal_diterima": "06/01/2025 09:00"}.get(k, "") for k in KEYS]
        for i, desa in enumerate(["Margamulya"] * 5 + ["Margamulia"] + ["Cibodas"] * 5)
    ]
    return normalise_register([SheetGrid("R", [list(TEMPLATE_HEADER), *rows])], load_profile("umum"))


def test_spellings_stay_apart_by_default_and_merge_with_the_setting():
    register = _register()
    assert merged_spellings(register, settings_from({}, {})) is register
    merged = merged_spellings(register, settings_from({"wilayah": {"gabung_ejaan_desa": True}}, {}))
    assert merged.complaints["desa"].value_counts().to_dict() == {"Margamulya": 6, "Cibodas": 5}
    assert (merged.complaints["desa_tertulis"] == "Margamulia").sum() == 1
    assert (register.complaints["desa"] == "Margamulia").sum() == 1  # the loaded input is not modified


def test_load_merges_spellings_as_the_app_does(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(list(TEMPLATE_HEADER))
    for i, desa in enumerate(["Margamulya"] * 5 + ["Margamulia"]):
        workbook.active.append([f"A/{i}", desa, "06/01/2025 09:00"])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    secrets = {
        "pantau": {"register": str(path)},
        "wilayah": {"desa": ["Margamulya"], "gabung_ejaan_desa": True},
    }
    loaded = load(parse_settings(secrets, {}))
    assert loaded.register.complaints["desa"].value_counts().to_dict() == {"Margamulya": 6}


def test_load_leaves_out_the_sheet_named_by_intake_worksheet(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(list(TEMPLATE_HEADER))
    workbook.active.append(["A/1", "Margamulya", "06/01/2025 09:00"])
    form = workbook.create_sheet("Isian Warga")
    form.append(["Timestamp", "Nomor", "Isi Pengaduan"])
    form.append(["06/01/2025 10:00:00", "F/1", "Lampu mati"])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    secrets = {"pantau": {"register": str(path)}, "intake": {"worksheet": "Isian Warga"}}
    loaded = load(parse_settings(secrets, {}))
    assert list(loaded.register.complaints["nomor"]) == ["A/1"]
