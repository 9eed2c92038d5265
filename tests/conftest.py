"""Shared fixtures: a small demo register written to a temporary file for app tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_register_path(tmp_path_factory) -> Path:
    """The full demo register (same generator as the app), generated once per test session."""
    from data_sources.demo import write_demo_register

    path = tmp_path_factory.mktemp("demo") / "demo_register.xlsx"
    return write_demo_register(path)


@pytest.fixture
def register_env(monkeypatch):
    """Point the app at a register file: ``register_env(path, sop="umum")``."""

    def point(path: Path, sop: str = "umum") -> None:
        monkeypatch.setenv("PANTAU_REGISTER", str(path))
        monkeypatch.setenv("PANTAU_SOP", sop)

    return point


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Each test starts with empty streamlit caches (the register cache is process-wide)."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    os.environ.pop("PANTAU_REGISTER", None)


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server on loopback for the session (skipped only when it is not installed)."""
    from tests.postgres_server import postgres_bin, running_postgres

    if postgres_bin() is None:
        pytest.skip("PostgreSQL tidak terpasang: apt-get install -y postgresql (.ci/run memasangnya)")
    with running_postgres() as url:
        yield url
