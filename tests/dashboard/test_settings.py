import tomllib
from pathlib import Path

from dashboard.settings import SETTINGS_HELP, settings_from

EXAMPLE = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.example.toml"


def test_no_configuration_means_demo_register():
    settings = settings_from({}, {})
    assert settings.is_demo
    assert settings.register_path.name == "demo_register.xlsx"
    assert settings.profile_id == "umum"
    assert len(settings.desa_names) >= 6


def test_environment_wins_over_secrets(tmp_path):
    secrets = {"pantau": {"sop": "cipari", "register": "/elsewhere.xlsx"}}
    settings = settings_from(secrets, {"PANTAU_REGISTER": str(tmp_path / "r.csv"), "PANTAU_SOP": "babakan"})
    assert settings.register_path == tmp_path / "r.csv"
    assert settings.profile_id == "babakan"
    assert not settings.is_demo


def test_every_setting_is_documented_in_the_example_secrets():
    example = tomllib.loads(EXAMPLE.read_text())
    text = EXAMPLE.read_text()
    for dotted in SETTINGS_HELP:
        section, _, name = dotted.partition(".")
        assert section in example or f"[{section}" in text, (
            f"section [{section}] missing from secrets.example.toml"
        )
        assert f"{name} =" in text or f"# {name} =" in text, (
            f"setting {dotted} not documented in secrets.example.toml"
        )


def test_public_url_only_when_it_is_a_web_address():
    assert (
        settings_from({"pantau": {"public_url": " https://aduan.desa.id/ "}}, {}).public_url
        == "https://aduan.desa.id"
    )
    assert settings_from({"pantau": {"public_url": "aduan.desa.id"}}, {}).public_url == ""
    assert settings_from({"pantau": {"public_url": "javascript:alert(1)"}}, {}).public_url == ""
    assert settings_from({}, {}).public_url == ""
