from __future__ import annotations

import collections
import dataclasses
import random

import pandas as pd
import pytest

from services.notifications import ledger as ledger_mod
from services.notifications.ledger import Entry, SqliteLedger
from services.notifications.run import run_once
from tests.fakes.telegram_api import Fault
from tests.services.notifications.support import NOW

NO_SLEEP = lambda seconds: None  # noqa: E731 - the fakes' retry_after need no real wait


def _run(loaded, config, ledger, now=NOW, **kwargs):
    return run_once(
        complaints=loaded.register.complaints,
        profile=loaded.profile,
        calendar=loaded.calendar,
        config=config,
        ledger=ledger,
        now=now,
        public_url="https://aduan.contoh.desa.id",
        sleep=NO_SLEEP,
        **kwargs,
    )


def _delivered(telegram, smtp):
    return [("telegram", chat, text) for chat, text in telegram.delivered] + [
        ("email", rcpt, mail["Message-ID"]) for rcpt, mail in smtp.delivered
    ]


def test_one_pass_sends_each_message_once_and_a_second_run_nothing(
    loaded, telegram, smtp, make_config, tmp_path
):
    config = make_config(telegram.base_url, smtp.port)
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    planned = _run(loaded, config, None, dry_run=True).planned
    first = _run(loaded, config, ledger)
    assert first.exit_code == 0, first.text()
    assert len(first.sent) == len(planned) == len(telegram.delivered) + len(smtp.delivered) > 10
    second = _run(loaded, config, ledger)  # a rerun at the same time
    assert second.sent == [] and second.exit_code == 0
    assert len(telegram.delivered) + len(smtp.delivered) == len(planned)
    mail = smtp.delivered[0][1]
    assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None
    assert [r.run_id for r in ledger.runs()] == [second.run_id, first.run_id]


def test_dry_run_sends_and_records_nothing(loaded, telegram, smtp, make_config, tmp_path):
    config = make_config(telegram.base_url, smtp.port)
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    report = _run(loaded, config, ledger, dry_run=True)
    assert report.planned and telegram.requests == 0 and smtp.delivered == []
    assert ledger.entries() == [] and ledger.runs() == []
    channels = {channel for channel, *_ in report.planned}
    assert channels == {"telegram", "email"}


def test_over_200_injected_faults_no_message_lost_none_sent_twice(
    loaded, telegram, smtp, make_config, tmp_path
):
    extra = "".join(
        f'\n[notify.recipients.petugas_{i}]\nrole = "petugas"\ndesa = ["Cibodas", "Mekarsari"]\n'
        f'telegram_chat_id = "{1000 + i}"\nemail = "petugas{i}@desa.id"\n'
        for i in range(12)
    )
    config = dataclasses.replace(make_config(telegram.base_url, smtp.port, extra=extra), quiet_hours=None)
    rng = random.Random(14)
    for _ in range(170):
        telegram.faults.append(
            rng.choices(
                [
                    Fault.rate_limited(1),
                    Fault.server_error(rng.choice([500, 502, 503])),
                    Fault.drop_after_accept(),
                ],
                [0.45, 0.45, 0.1],
            )[0]
        )
    for _ in range(90):
        smtp.faults.append(rng.choices(["451", "421", "554", "drop_after_accept"], [0.35, 0.2, 0.35, 0.1])[0])
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    now = NOW
    for _ in range(80):
        _run(loaded, config, ledger, now=now)
        pending = [e for e in ledger.entries() if e.status == ledger_mod.FAILED]
        if not pending and not telegram.faults and not smtp.faults:
            break
        now += pd.Timedelta(minutes=5)
    assert telegram.faults_injected + smtp.faults_injected >= 200
    entries = ledger.entries()
    assert {e.status for e in entries} <= {ledger_mod.SENT, ledger_mod.UNCERTAIN}
    assert any(e.status == ledger_mod.UNCERTAIN for e in entries)
    delivered = _delivered(telegram, smtp)
    counts = collections.Counter(delivered)
    assert max(counts.values()) == 1, [k for k, v in counts.items() if v > 1][:3]  # none sent twice
    assert len(delivered) == len(entries)  # none lost: every ledger entry arrived exactly once
    # every message the events call for is in the ledger
    planned = _run(loaded, config, None, now=NOW, dry_run=True)
    keys = {(e.event_key, e.recipient) for e in entries}
    assert len(keys) == len(entries) >= len(planned.planned)


def test_failures_are_named_and_the_run_goes_on(loaded, telegram, smtp, make_config, tmp_path):
    telegram.chats = {"-1001", "77"}  # -1002 (petugas_mekarsari) does not exist
    extra = '\n[notify.recipients.tanpa_saluran]\nrole = "petugas"\ndesa = ["Cibodas"]\n'
    config = make_config(telegram.base_url, smtp.port, extra=extra)
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    report = _run(loaded, config, ledger)
    text = report.text()
    assert report.exit_code == 1
    assert "chat id -1002 tidak valid" in text and "petugas_mekarsari/telegram" in text
    assert "tanpa_saluran: penerima tanpa saluran" in text
    assert report.sent and telegram.delivered and smtp.delivered  # the others got theirs

    bad_login = dataclasses.replace(config, smtp_password="salah")
    revoked = dataclasses.replace(bad_login, telegram_bot_token="123:REVOKED")
    fresh = SqliteLedger(tmp_path / "fresh.sqlite")
    report = _run(loaded, revoked, fresh)
    text = report.text()
    assert "login SMTP ditolak (535)" in text
    assert "token bot Telegram ditolak" in text
    assert report.exit_code == 1 and report.sent == []
    assert smtp.logins_refused == 1  # a refused login is not hammered for every message


def test_failed_send_is_retried_on_a_later_run_with_backoff(loaded, telegram, smtp, make_config, tmp_path):
    config = make_config(telegram.base_url, smtp.port)
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    telegram.faults.extend([Fault.server_error(503)] * 3)  # the first Telegram message: 3 attempts, all 503
    first = _run(loaded, config, ledger)
    assert len(first.failed) == 1 and first.exit_code == 1
    failed = first.failed[0]
    assert failed.next_attempt_at == "2026-11-30T08:01:00"  # retry_backoff_minutes = 1
    same_time = _run(loaded, config, ledger)
    assert same_time.sent == [] and len(same_time.waiting) == 1
    later = _run(loaded, config, ledger, now=NOW + pd.Timedelta(minutes=2))
    assert [e.event_key for e in later.sent] == [failed.event_key] and later.exit_code == 0
    texts = [text for _, text in telegram.delivered]
    assert len(texts) == len(set(texts))


def test_uncertain_send_is_not_resent_until_an_admin_asks(loaded, telegram, smtp, make_config, tmp_path):
    config = make_config(telegram.base_url, smtp.port)
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    telegram.faults.append(Fault.drop_after_accept())
    first = _run(loaded, config, ledger)
    assert len(first.uncertain) == 1 and "tidak dikirim ulang otomatis" in first.text()
    delivered = len(telegram.delivered)
    again = _run(loaded, config, ledger, now=NOW + pd.Timedelta(hours=1))
    assert again.sent == [] and len(telegram.delivered) == delivered and again.still_uncertain == 1
    problem = first.uncertain[0]
    assert ledger.allow_resend(problem.event_key, problem.recipient, NOW + pd.Timedelta(hours=1))
    resent = _run(loaded, config, ledger, now=NOW + pd.Timedelta(hours=1))
    assert [e.event_key for e in resent.sent] == [problem.event_key]


def test_a_run_that_died_after_claiming_is_reported_not_resent(loaded, telegram, smtp, make_config, tmp_path):
    config = make_config(telegram.base_url, smtp.port)
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    planned = _run(loaded, config, None, dry_run=True)
    channel, name, _, text = planned.planned[0]
    key = "baru:CBD/2026/11/0001"
    assert ledger.claim(Entry(key, f"{name}/{channel}", text=text, claimed_by="mati"), NOW)
    report = _run(loaded, config, ledger, now=NOW + pd.Timedelta(minutes=45))
    assert any(p.event_key == key for p in report.uncertain)
    assert not any(e.event_key == key and e.recipient == f"{name}/{channel}" for e in report.sent)


@pytest.mark.parametrize("hour", [22, 5])
def test_quiet_hours_send_nothing(loaded, telegram, smtp, make_config, tmp_path, hour):
    config = make_config(telegram.base_url, smtp.port)
    ledger = SqliteLedger(tmp_path / "ledger.sqlite")
    report = _run(loaded, config, ledger, now=NOW.replace(hour=hour))
    assert report.quiet and report.sent == [] and telegram.requests == 0 and smtp.delivered == []
