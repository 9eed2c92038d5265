from data_sources.base import SourceError
from services.register_loading import make_source
from services.settings import parse_settings


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
