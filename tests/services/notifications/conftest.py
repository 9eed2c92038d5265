from __future__ import annotations

from pathlib import Path

import pytest

from services.notifications.config import parse_notify
from services.register_loading import load, register_config
from tests.fakes.smtp_server import FakeSmtp
from tests.fakes.telegram_api import FakeTelegram
from tests.services.notifications.support import NOW, secrets_text, write_register


@pytest.fixture
def register_path(tmp_path: Path) -> Path:
    return write_register(tmp_path / "register.csv")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    register_path = write_register(tmp_path_factory.mktemp("register") / "register.csv")
    config = register_config({}, {"PANTAU_REGISTER": str(register_path), "PANTAU_SOP": "umum"})
    return load(config, today=NOW.date())


@pytest.fixture
def telegram():
    with FakeTelegram(token="123:ABC") as bot:
        yield bot


@pytest.fixture
def smtp():
    with FakeSmtp(user="pantau", password="sandi-aplikasi") as server:
        yield server


@pytest.fixture
def make_config():
    import tomllib

    def make(telegram_url: str = "http://127.0.0.1:9", smtp_port: int = 9, **kwargs):
        return parse_notify(tomllib.loads(secrets_text(telegram_url, smtp_port, **kwargs)))

    return make
