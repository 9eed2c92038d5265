"""Every setting the sync worker declares is documented in secrets.example.toml."""

from __future__ import annotations

from pathlib import Path

from services.sync.worker import SETTINGS, SyncSettings

EXAMPLE = Path(__file__).resolve().parents[3] / ".streamlit" / "secrets.example.toml"


def test_every_sync_setting_is_documented() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for section, key, kind, default, help_text in SETTINGS:
        assert f"[{section}]" in text, section
        assert f"# {key} =" in text or f"\\n{key} =" in text, f"[{section}] {key}"
        assert help_text and isinstance(default, kind)


def test_defaults_match_the_declaration() -> None:
    settings = SyncSettings.from_secrets({})
    assert settings == SyncSettings()
    for _section, key, _kind, default, _help in SETTINGS:
        assert getattr(settings, key) == default
