"""Sending one message: Telegram Bot API ``sendMessage`` (requests) and e-mail over SMTP (smtplib,
STARTTLS or SSL, plain text with a simple HTML alternative).

Every send ends in one of three outcomes (``SendResult.status``):

- ``terkirim``: the service accepted the message (Telegram ``ok: true``; SMTP 250 after DATA);
- ``gagal``: the service answered that it did not take the message (HTTP 4xx/5xx, SMTP 4xx/5xx,
  no connection could be opened, login refused). Nothing was delivered, so it is safe to send
  again; ``permanent`` marks answers that will not change by themselves (invalid chat id, revoked
  token, login refused) — they are still retried on later runs, after the setting was fixed;
- ``tidak_pasti``: the request was sent but its answer was lost (connection dropped, timeout after
  sending). The message may or may not have been delivered: Telegram has no idempotency key and
  SMTP none either, so the caller must not re-send it blindly.

Within one send, 429 (``retry_after``, capped) and 5xx/4xx-transient answers are retried a few
times on a fresh connection; each HTTP request uses its own connection (no stale keep-alive
connection can turn a not-sent request into an ambiguous one).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import requests

from services.notifications.messages import Message

SENT, FAILED, UNCERTAIN = "terkirim", "gagal", "tidak_pasti"


@dataclass(frozen=True)
class SendResult:
    status: str  # SENT, FAILED or UNCERTAIN
    reason: str = ""  # for the report, in Indonesian
    permanent: bool = False
    retry_after: float | None = None  # seconds the service asked to wait
    remote_id: str = ""  # Telegram message_id / SMTP Message-ID


class TelegramChannel:
    name = "telegram"

    def __init__(
        self,
        token: str,
        base_url: str = "https://api.telegram.org",
        *,
        timeout: float = 15.0,
        attempts: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.max_wait = max_wait
        self.sleep = sleep
        self.fatal: SendResult | None = None  # a revoked token fails every later send of this run

    def send(self, chat_id: str, message: Message) -> SendResult:
        if not self.token:
            return SendResult(
                FAILED, "token bot Telegram belum diisi ([notify] telegram_bot_token)", permanent=True
            )
        if self.fatal is not None:
            return self.fatal
        result = SendResult(FAILED, "belum dicoba")
        for attempt in range(self.attempts):
            result = self._send_once(chat_id, message)
            if result.status != FAILED or result.permanent:
                break
            if attempt + 1 < self.attempts:
                wait = result.retry_after if result.retry_after is not None else 0.5 * 2**attempt
                self.sleep(min(wait, self.max_wait))
        if result.status == FAILED and result.permanent and "token" in result.reason:
            self.fatal = result
        return result

    def _send_once(self, chat_id: str, message: Message) -> SendResult:
        url = f"{self.base_url}/bot{self.token}/sendMessage"
        payload: dict[str, Any] = {"chat_id": chat_id, "text": message.text, "disable_web_page_preview": True}
        try:
            response = requests.post(url, json=payload, timeout=self.timeout, headers={"Connection": "close"})
        except (requests.exceptions.ConnectTimeout, requests.exceptions.InvalidURL) as error:
            return SendResult(FAILED, f"Telegram tidak dapat dihubungi: {type(error).__name__}")
        except requests.exceptions.ConnectionError as error:
            if _not_sent(error):
                return SendResult(FAILED, "Telegram tidak dapat dihubungi (koneksi ditolak)")
            return SendResult(UNCERTAIN, "jawaban Telegram hilang (koneksi terputus setelah pesan dikirim)")
        except requests.exceptions.Timeout:
            return SendResult(
                UNCERTAIN, "jawaban Telegram tidak datang (batas waktu habis setelah pesan dikirim)"
            )
        try:
            body = response.json()
        except ValueError:
            body = {}
        description = str(body.get("description", "")) if isinstance(body, dict) else ""
        if response.status_code == 200 and isinstance(body, dict) and body.get("ok"):
            result = body.get("result") or {}
            return SendResult(SENT, remote_id=str(result.get("message_id", "")))
        code = response.status_code
        if code == 429:
            params = body.get("parameters", {}) if isinstance(body, dict) else {}
            retry_after = float(params.get("retry_after", 1) or 1)
            return SendResult(
                FAILED,
                f"Telegram membatasi laju (429), coba lagi {retry_after:g} detik",
                retry_after=retry_after,
            )
        if code == 401:
            return SendResult(
                FAILED, "token bot Telegram ditolak (dicabut atau salah): 401 Unauthorized", permanent=True
            )
        if code == 404 and not description:
            return SendResult(
                FAILED, "token bot Telegram ditolak (404): periksa telegram_bot_token", permanent=True
            )
        if code == 400 and "chat not found" in description.lower():
            return SendResult(FAILED, f"chat id {chat_id} tidak valid (chat not found)", permanent=True)
        if code == 403:
            return SendResult(
                FAILED, f"bot diblokir atau dikeluarkan dari chat {chat_id}: {description}", permanent=True
            )
        if 400 <= code < 500:
            return SendResult(FAILED, f"Telegram menolak pesan ({code}): {description}", permanent=True)
        return SendResult(FAILED, f"Telegram sedang bermasalah ({code})")


def _not_sent(error: requests.exceptions.ConnectionError) -> bool:
    """Whether a connection error happened before the request could be sent (refused, DNS)."""
    text = repr(error)
    return any(
        marker in text
        for marker in (
            "NewConnectionError",
            "Connection refused",
            "Name or service not known",
            "ConnectTimeout",
        )
    )


class SmtpChannel:
    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str = "",
        password: str = "",
        sender: str = "",
        security: str = "starttls",
        timeout: float = 15.0,
        attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.ssl_context = ssl_context  # None: the system's trusted CAs (tests pass their own)
        self.user, self.password = user, password
        self.sender = sender or user
        self.security = security
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.sleep = sleep
        self.fatal: SendResult | None = None  # a refused login fails every later send of this run

    def build(self, address: str, message: Message, message_id: str | None = None) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = address
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=True)
        # The same message always carries the same Message-ID (mail clients drop copies of it).
        mail["Message-ID"] = message_id or make_msgid(domain="pantau-aduan")
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        return mail

    def send(self, address: str, message: Message, message_id: str | None = None) -> SendResult:
        if not self.host:
            return SendResult(FAILED, "server SMTP belum diisi ([notify] smtp_host)", permanent=True)
        if self.fatal is not None:
            return self.fatal
        mail = self.build(address, message, message_id)
        result = SendResult(FAILED, "belum dicoba")
        for attempt in range(self.attempts):
            result = self._send_once(address, mail)
            if result.status != FAILED or result.permanent:
                break
            if attempt + 1 < self.attempts:
                self.sleep(0.5 * 2**attempt)
        if result.status == FAILED and result.permanent and "login" in result.reason:
            self.fatal = result
        return result

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            client.starttls(context=self._context())
        return client

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _send_once(self, address: str, mail: EmailMessage) -> SendResult:
        stage = "connect"
        client: smtplib.SMTP | None = None
        try:
            client = self._connect()
            stage = "login"
            if self.user:
                client.login(self.user, self.password)
            stage = "envelope"
            code, reply = client.mail(self.sender)
            if code != 250:
                return _smtp_refusal(code, reply, "pengirim")
            code, reply = client.rcpt(address)
            if code not in (250, 251):
                return _smtp_refusal(code, reply, f"penerima {address}")
            stage = "data"
            code, reply = client.data(mail.as_bytes(policy=policy.SMTP))  # CRLF line ends
            if code != 250:
                return _smtp_refusal(code, reply, "isi pesan")
            return SendResult(SENT, remote_id=str(mail["Message-ID"]))
        except smtplib.SMTPAuthenticationError as error:
            return SendResult(
                FAILED,
                f"login SMTP ditolak ({error.smtp_code}): periksa smtp_user / smtp_password",
                permanent=True,
            )
        except ssl.SSLCertVerificationError as error:
            return SendResult(
                FAILED, f"sertifikat server SMTP ditolak: {error.verify_message}", permanent=True
            )
        except smtplib.SMTPNotSupportedError as error:
            return SendResult(FAILED, f"server SMTP tidak mendukung {error}", permanent=True)
        except smtplib.SMTPDataError as error:
            return _smtp_refusal(error.smtp_code, error.smtp_error, "isi pesan")
        except smtplib.SMTPResponseException as error:
            return _smtp_refusal(error.smtp_code, error.smtp_error, stage)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            if stage == "data":
                return SendResult(
                    UNCERTAIN,
                    f"jawaban server SMTP hilang setelah isi pesan dikirim ({type(error).__name__})",
                )
            if isinstance(error, socket.gaierror | ConnectionRefusedError):
                return SendResult(FAILED, f"server SMTP {self.host}:{self.port} tidak dapat dihubungi")
            return SendResult(FAILED, f"koneksi SMTP terputus sebelum pesan dikirim ({type(error).__name__})")
        finally:
            if client is not None:
                try:
                    client.quit()
                except (smtplib.SMTPException, OSError):
                    client.close()


def _smtp_refusal(code: int, reply: bytes | str, what: str) -> SendResult:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    transient = 400 <= code < 500
    return SendResult(FAILED, f"server SMTP menolak {what} ({code} {text})".strip(), permanent=not transient)


def stable_message_id(event_key: str, recipient_key: str) -> str:
    """The Message-ID of one notification: the same on every attempt."""
    return f"<{uuid.uuid5(uuid.NAMESPACE_URL, event_key + '|' + recipient_key).hex}@pantau-aduan>"
