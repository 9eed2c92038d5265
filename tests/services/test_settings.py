"""services.settings: one declaration per setting drives parsing, defaults, checks and help."""

import tomllib
from pathlib import Path

import pytest

from services.settings import (
    SETTINGS,
    SettingsFileError,
    check_secrets,
    load_settings,
    parse_settings,
    settings_from,
    settings_help,
)

EXAMPLE = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.example.toml"


def test_no_configuration_means_demo_register():
    settings = settings_from({}, {})
    assert settings.is_demo
    assert settings.register_path.name == "demo_register.xlsx"
    assert settings.profile_id == "umum"
    assert len(settings.desa_names) >= 6
    assert settings.problems == ()


def test_environment_wins_over_secrets(tmp_path):
    secrets = {"pantau": {"sop": "cipari", "register": "/elsewhere.xlsx"}}
    settings = settings_from(secrets, {"PANTAU_REGISTER": str(tmp_path / "r.csv"), "PANTAU_SOP": "babakan"})
    assert settings.register_path == tmp_path / "r.csv"
    assert settings.profile_id == "babakan"
    assert not settings.is_demo


def test_every_setting_is_documented_in_the_example_secrets():
    text = EXAMPLE.read_text()
    tomllib.loads(text)  # the example itself is valid TOML
    for setting in SETTINGS:
        assert f"[{setting.section}" in text, f"section [{setting.section}] missing from secrets.example.toml"
        if setting.key and setting.kind == "table":  # a table of tables: [notify.recipients.<name>]
            assert f"[{setting.section}.{setting.key}." in text or f"{setting.key} =" in text, (
                f"setting {setting.name} not documented in secrets.example.toml"
            )
        elif setting.key:
            assert f"{setting.key} =" in text, (
                f"setting {setting.name} not documented in secrets.example.toml"
            )
        assert setting.help, f"setting {setting.name} has no help"
    # and the example holds no setting that is not declared
    assert check_secrets(tomllib.loads(text)) == []


def test_public_url_only_when_it_is_a_web_address():
    assert (
        settings_from({"pantau": {"public_url": " https://aduan.desa.id/ "}}, {}).public_url
        == "https://aduan.desa.id"
    )
    assert settings_from({"pantau": {"public_url": "aduan.desa.id"}}, {}).public_url == ""
    assert settings_from({"pantau": {"public_url": "javascript:alert(1)"}}, {}).public_url == ""
    assert settings_from({}, {}).public_url == ""


def test_unknown_keys_and_wrong_types_are_named_and_defaults_used():
    secrets = {
        "pantau": {"cache_ttl_seconds": "enam puluh", "sesion_timeout_minutes": 5, "public_overview": "ya"},
        "wilayah": {"desa": "Cibodas"},
        "pantu": {"sop": "cipari"},
    }
    settings = parse_settings(secrets, {})
    text = "\n".join(settings.problems)
    assert "[pantau] cache_ttl_seconds" in text and "enam puluh" in text
    assert "[pantau] sesion_timeout_minutes tidak dikenal" in text
    assert "[pantau] public_overview" in text
    assert "[wilayah] desa" in text
    assert "[pantu]" in text
    assert len(settings.problems) == 5
    assert settings.cache_ttl_seconds == 60  # the declared default
    assert settings.session_timeout_minutes == 60
    assert settings.public_overview is True  # demo default


def test_session_secret_from_pantau_else_auth():
    both = {"pantau": {"session_secret": "abc"}, "auth": {"cookie_secret": "def"}}
    assert parse_settings(both, {}).session_secret == "abc"
    assert parse_settings({"auth": {"cookie_secret": "def"}}, {}).session_secret == "def"
    assert parse_settings({"pantau": {"session_secret": "  "}}, {}).session_secret == ""


def test_signatories_come_from_the_laporan_table():
    people = {"Cibodas": {"nama": "H. Ujang", "nip": "1970"}}
    settings = parse_settings({"laporan": {"penandatangan": people}}, {})
    assert settings.signatories == people
    assert parse_settings({}, {}).signatories == {}


def test_load_settings_reads_a_secrets_file_for_cli_commands(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('[pantau]\nsop = "cipari"\ncache_ttl_seconds = 30\n[wilayah]\nkecamatan = "Cipari"\n')
    settings = load_settings(str(path), env={})
    assert (settings.profile_id, settings.cache_ttl_seconds, settings.kecamatan) == ("cipari", 30, "Cipari")
    assert load_settings(str(path), env={"PANTAU_SOP": "babakan"}).profile_id == "babakan"
    with pytest.raises(SettingsFileError, match="tidak ditemukan"):
        load_settings(str(tmp_path / "hilang.toml"), env={})
    (tmp_path / "rusak.toml").write_text("[pantau\n")
    with pytest.raises(SettingsFileError, match="rusak.toml"):
        load_settings(str(tmp_path / "rusak.toml"), env={})


def test_settings_parsing_does_not_import_streamlit():
    import subprocess
    import sys

    code = "import sys, services.settings; sys.exit('streamlit' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2]).returncode == 0
    )


def test_help_lists_every_setting():
    assert [name for name, _, _ in settings_help()] == [f"[{s.section}] {s.key}".strip() for s in SETTINGS]


def test_cli_commands_take_secrets_from_an_argument(tmp_path):
    import argparse

    from services.settings import add_secrets_argument

    path = tmp_path / "s.toml"
    path.write_text('[pantau]\nsop = "jagabaya"\n')
    parser = argparse.ArgumentParser()
    add_secrets_argument(parser)
    args = parser.parse_args(["--secrets", str(path)])
    assert load_settings(args.secrets, env={}).profile_id == "jagabaya"
    assert parser.parse_args([]).secrets is None
