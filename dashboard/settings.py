"""The app's settings: ``services.settings`` (the declaration and the parser) fed with
``st.secrets`` and the environment; problems in secrets.toml are logged once and shown to admin.

On a synced kabupaten (``[sync] registry``) the SOP profile of this session is the one the
sidebar's *Profil SOP* chose for the viewer (``dashboard.profile_choice``, kept under
``PROFILE_KEY``): ``current_settings`` is the ONE place every page's settings, source and cache
identity (``Settings.source_id`` holds the profile) come from, so every page follows it."""

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
    "PROFILE_KEY",
    "Settings",
    "configured_settings",
    "current_settings",
    "read_secrets",
    "settings_from",
    "settings_on",
]

PROFILE_KEY = "_pantau_profil_sop"  # session: the SOP profile the pages show (synced kabupaten)

_log = logging.getLogger("pantau.settings")
_logged: set[str] = set()


def read_secrets() -> Mapping[str, Any]:
    """``st.secrets`` as a plain mapping; empty when no secrets file exists."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # no secrets.toml: streamlit raises on first access
        return {}


def configured_settings() -> Settings:
    """The settings as configured (``[pantau] sop``), before the session's profile choice."""
    return _logged_settings(read_secrets(), os.environ)


def _logged_settings(secrets: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    settings = parse_settings(secrets, env)
    for problem in settings.problems:
        if problem not in _logged:  # once per server process, not once per rerun
            _logged.add(problem)
            _log.warning("secrets.toml: %s", problem)
    return settings


def _session_profile() -> str:
    try:
        return str(st.session_state.get(PROFILE_KEY) or "")
    except Exception:  # outside a script run (command-line use of the dashboard modules)
        return ""


def current_settings() -> Settings:
    """The settings of this session: as configured, on the SOP profile the session shows."""
    secrets = read_secrets()
    settings = _logged_settings(secrets, os.environ)
    return settings_on(_session_profile(), settings, secrets)


def settings_on(
    profile_id: str, settings: Settings | None = None, secrets: Mapping[str, Any] | None = None
) -> Settings:
    """The configured settings on SOP profile ``profile_id`` of a synced kabupaten (the app's own
    settings without ``[sync] registry``, or for an empty / the configured profile)."""
    secrets = read_secrets() if secrets is None else secrets
    settings = _logged_settings(secrets, os.environ) if settings is None else settings
    sync = settings.secrets.get("sync")
    if (
        profile_id
        and profile_id != settings.profile_id
        and isinstance(sync, Mapping)
        and sync.get("registry")
    ):
        settings = parse_settings(secrets, {**os.environ, "PANTAU_SOP": profile_id})
    return settings
