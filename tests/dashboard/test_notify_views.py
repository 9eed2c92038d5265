"""The admin page *Notifikasi* (app_pages/notifikasi.py + dashboard/notify_views.py) in AppTest."""

from __future__ import annotations

import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from services.notifications.config import parse_notify
from services.notifications.ledger import SqliteLedger
from services.notifications.run import run_once
from services.register_loading import load, register_config
from tests.app_helpers import APP_PATH
from tests.fakes.smtp_server import FakeSmtp
from tests.fakes.telegram_api import FakeTelegram
from tests.pages.test_access_matrix import AUTH
from tests.services.notifications.support import NOW, secrets_text, write_register


@pytest.fixture
def page(tmp_path, monkeypatch):
    register = write_register(tmp_path / "register.csv")
    monkeypatch.setenv("PANTAU_REGISTER", str(register))
    monkeypatch.setenv("PANTAU_SOP", "umum")
    with FakeTelegram(chats={"-1001", "77"}) as telegram, FakeSmtp() as smtp:
        secrets = tomllib.loads(secrets_text(telegram.base_url, smtp.port))
        config = parse_notify(secrets)
        loaded = load(register_config({}, {"PANTAU_REGISTER": str(register)}), today=NOW.date())
        ledger = SqliteLedger(register.with_name(register.name + ".notifikasi.sqlite"))
        report = run_once(
            complaints=loaded.register.complaints,
            profile=loaded.profile,
            calendar=loaded.calendar,
            config=config,
            ledger=ledger,
            now=NOW,
            sleep=lambda s: None,
        )
        secrets |= {"auth": AUTH, "roles": {"admin@sukamaju.desa.id": {"role": "admin"}}}
        at = AppTest.from_file(APP_PATH, default_timeout=90)
        at.secrets = secrets
        at.user = {"is_logged_in": True, "email": "admin@sukamaju.desa.id", "name": "Admin"}
        at.run()
        at.switch_page("app_pages/notifikasi.py").run()
        yield at, telegram, report


def _text(at: AppTest) -> str:
    return "\n".join(str(e.proto) for e in (*at.text, *at.error, *at.success, *at.info, *at.caption))


def test_page_shows_runs_failures_and_sends_a_test_message(page):
    at, telegram, report = page
    assert not at.exception, at.exception
    assert report.failed  # petugas_mekarsari's chat id -1002 does not exist
    assert [t.value for t in at.title] == ["Notifikasi"]
    runs = at.dataframe[0].value
    assert runs.iloc[0]["Run"] == report.run_id and runs.iloc[0]["Gagal"] == len(report.failed)
    problems = at.dataframe[1].value
    assert set(problems["recipient"]) == {"petugas_mekarsari/telegram"}
    assert "chat id -1002 tidak valid" in " ".join(problems["error"])
    before = len(telegram.delivered)
    at.button(key="notify_test_petugas_cibodas").click().run()
    assert not at.exception
    assert len(telegram.delivered) == before + 1 and "Pesan uji Pantau Aduan" in telegram.delivered[-1][1]
    assert "petugas_cibodas (telegram): terkirim" in _text(at)
    at.button(key="notify_test_petugas_mekarsari").click().run()
    assert "chat id -1002 tidak valid" in _text(at)
