"""The app's settings: ``services.settings`` (the declaration and the parser) fed with
``st.secrets`` and the environment; problems in secrets.toml are logged once and shown to admin."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from services.settings import (
    DEMO_REGISTER_PATH,
    REPO_ROOT,
    SETTINGS,
    Setting,
    Settings,
    parse_settings,
    settings_from,
)

__all__ = [
    "DEMO_REGISTER_PATH",
    "REPO_ROOT",
    "SETTINGS",
    "Setting",
    "Settings",
    "current_settings",
    "read_secrets",
    "settings_from",
]

_log = logging.getLogger("pantau.settings")
_logged: set[str] = set()


def read_secrets() -> Mapping[str, Any]:
    """``st.secrets`` as a plain mapping; empty when no secrets file exists."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # no secrets.toml: streamlit raises on first access
        return {}


def current_settings() -> Settings:
    settings = parse_settings(read_secrets(), os.environ)
    for problem in settings.problems:
        if problem not in _logged:  # once per server process, not once per rerun
            _logged.add(problem)
            _log.warning("secrets.toml: %s", problem)
    return settings
