"""The English help of the settings names only settings that exist, and says something else."""

from __future__ import annotations

from metrics.text import english
from services.settings import check_secrets, settings_help
from services.settings_en import SETTINGS_HELP_EN


def test_english_help_names_real_settings_and_is_not_the_indonesian():
    indonesian = {name: text for name, _default, text in settings_help()}
    assert set(SETTINGS_HELP_EN) <= set(indonesian), set(SETTINGS_HELP_EN) - set(indonesian)
    assert [name for name, text in SETTINGS_HELP_EN.items() if text == indonesian[name]] == []
    missing = set(indonesian) - set(SETTINGS_HELP_EN)
    assert not missing, f"add the English help of {sorted(missing)} to services/settings_en.py"


def test_settings_problems_carry_their_english():
    problems = check_secrets({"pantau": {"cache_ttl_seconds": "lama", "warna": "biru"}, "anu": {}})
    english_text = " ".join(english(p) for p in problems)
    assert "Setting [pantau] cache_ttl_seconds must be a whole number" in english_text
    assert "Setting [pantau] warna is unknown and ignored." in english_text
    assert "Section [anu] in secrets.toml is unknown and ignored." in english_text
    assert "Pengaturan [pantau] warna tidak dikenal dan diabaikan." in problems
