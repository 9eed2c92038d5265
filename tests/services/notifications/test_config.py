from __future__ import annotations

import datetime as dt

import pytest

from metrics.errors import PantauError
from services.cli_settings import REPO_ROOT
from services.notifications.config import SETTINGS, parse_notify


def test_every_setting_is_documented_in_the_example_secrets():
    example = (REPO_ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8")
    for section, key, *_ in SETTINGS:
        assert f"[{section}]" in example
        assert f"# {key} =" in example or f"[{section}.{key}." in example, key


def test_defaults_and_quiet_hours_across_midnight():
    config = parse_notify({})
    assert config.escalation_steps == (2, 5) and config.digest_time == dt.time(7)
    assert config.in_quiet_hours(dt.datetime(2026, 11, 30, 22)) and config.in_quiet_hours(
        dt.datetime(2026, 12, 1, 5)
    )
    assert not config.in_quiet_hours(dt.datetime(2026, 11, 30, 8))


def test_bad_settings_are_named():
    secrets = {
        "notify": {
            "smtp_port": "587",
            "colour": "red",
            "weekly_day": "monday",
            "recipients": {
                "x": {"role": "petugas"},
                "y": {"role": "camat"},
                "z": {"role": "pejabat", "desa": ["A"]},
            },
        }
    }
    with pytest.raises(PantauError) as raised:
        parse_notify(secrets)
    text = "\n".join(raised.value.problems)
    for expected in (
        "[notify] smtp_port: harus int",
        "[notify] colour: pengaturan tidak dikenal",
        '[notify] weekly_day: "monday"',
        "[notify.recipients.x] desa: peran petugas wajib",
        '[notify.recipients.y] role: "camat"',
        "[notify.recipients.z] jabatan",
    ):
        assert expected in text
