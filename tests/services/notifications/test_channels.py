from __future__ import annotations

import socket

from services.notifications.channels import FAILED, SENT, UNCERTAIN, SmtpChannel, TelegramChannel
from services.notifications.messages import Message
from tests.fakes.telegram_api import Fault

MESSAGE = Message("Subjek", "Halo — baris satu\nbaris dua", "<html><body>Halo</body></html>")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_telegram_outcomes(telegram):
    waits: list[float] = []
    channel = TelegramChannel("123:ABC", telegram.base_url, sleep=waits.append)
    telegram.faults.extend([Fault.rate_limited(7), Fault.server_error(502)])
    assert channel.send("-1001", MESSAGE).status == SENT  # 429, then 502, then accepted
    assert waits[0] == 7 and telegram.delivered == [("-1001", MESSAGE.text)]
    telegram.faults.append(Fault.drop_after_accept())
    result = channel.send("-1001", MESSAGE)
    assert result.status == UNCERTAIN and len(telegram.delivered) == 2  # arrived, answer lost
    telegram.faults.extend([Fault.server_error(503)] * 3)
    result = channel.send("-1001", MESSAGE)
    assert result.status == FAILED and not result.permanent and len(telegram.delivered) == 2


def test_telegram_revoked_token_is_not_hammered_and_refused_connection_is_not_uncertain(telegram):
    revoked = TelegramChannel("999:OLD", telegram.base_url, sleep=lambda s: None)
    first, second = revoked.send("-1001", MESSAGE), revoked.send("-1002", MESSAGE)
    assert first.status == second.status == FAILED and first.permanent and "token" in first.reason
    assert telegram.requests == 1
    down = TelegramChannel("123:ABC", f"http://127.0.0.1:{_closed_port()}", sleep=lambda s: None)
    result = down.send("-1001", MESSAGE)
    assert result.status == FAILED and "tidak dapat dihubungi" in result.reason  # safe to send again


def test_smtp_outcomes(smtp):
    channel = SmtpChannel(
        "127.0.0.1",
        smtp.port,
        user="pantau",
        password="sandi-aplikasi",
        sender="p@desa.id",
        security="none",
        sleep=lambda s: None,
    )
    smtp.faults.extend(["451", "421"])
    assert channel.send("a@desa.id", MESSAGE, "<id-1@pantau-aduan>").status == SENT  # 4xx retried
    rcpt, mail = smtp.delivered[0]
    assert rcpt == "a@desa.id" and mail["Message-ID"] == "<id-1@pantau-aduan>"
    assert mail.get_body(("plain",)).get_content().replace("\r\n", "\n").strip() == MESSAGE.text
    smtp.faults.append("554")
    result = channel.send("a@desa.id", MESSAGE)
    assert result.status == FAILED and result.permanent and "554" in result.reason
    smtp.faults.append("drop_after_accept")
    assert channel.send("a@desa.id", MESSAGE).status == UNCERTAIN and len(smtp.delivered) == 2
    refused = SmtpChannel("127.0.0.1", _closed_port(), security="none", sleep=lambda s: None)
    assert refused.send("a@desa.id", MESSAGE).status == FAILED


def test_smtp_starttls_and_ssl_with_login(tmp_path):
    from tests.fakes.smtp_server import FakeSmtp

    for mode in ("starttls", "ssl"):
        with FakeSmtp(tls=mode, cert_dir=str(tmp_path)) as server:
            channel = SmtpChannel(
                "127.0.0.1",
                server.port,
                user="pantau",
                password="sandi-aplikasi",
                sender="p@desa.id",
                security=mode,
                sleep=lambda s: None,
                ssl_context=server.client_context,
            )
            assert channel.send("a@desa.id", MESSAGE).status == SENT, mode
            assert len(server.delivered) == 1
            untrusted = SmtpChannel("127.0.0.1", server.port, security=mode, sleep=lambda s: None)
            result = untrusted.send("a@desa.id", MESSAGE)
            assert result.status == FAILED and "sertifikat" in result.reason, mode
