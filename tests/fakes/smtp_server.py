"""A real SMTP server on loopback (aiosmtpd) that keeps the messages it accepted, with AUTH and
fault injection (one fault consumed per message at DATA: a 4xx or 5xx answer, nothing kept; or the
connection dropped after the message was kept).

    with FakeSmtp(user="petugas", password="rahasia") as smtp:
        smtp.faults.extend(["451", "554", "drop_after_accept"])
        ...  # [notify] smtp_host = "127.0.0.1", smtp_port = smtp.port, smtp_security = "none"
        smtp.delivered  # [(rcpt, EmailMessage), ...]
"""

from __future__ import annotations

import logging
import random
import socket
import ssl
import threading
import warnings
from collections import deque
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd logs every session
# AUTH without TLS is what a loopback test server wants (aiosmtpd warns once per connection)
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
warnings.filterwarnings("ignore", message="Session.login_data is deprecated")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeSmtp:
    def __init__(
        self, user: str = "pantau", password: str = "sandi-aplikasi", *, tls: str = "", cert_dir: str = ""
    ) -> None:
        """``tls="starttls"`` (STARTTLS required) or ``"ssl"`` (implicit TLS) with a self-signed
        certificate for 127.0.0.1 written to ``cert_dir``; ``self.client_context`` trusts it."""
        self.user, self.password = user, password
        self.faults: deque[str] = deque()
        # random faults besides the queue: each message gets one of ``fault_kinds`` with ``fault_rate``
        self.fault_rate = 0.0
        self.fault_kinds: list[str] = ["451", "554", "drop_after_accept"]
        self.fault_rng = random.Random(14)
        self.delivered: list[tuple[str, EmailMessage]] = []
        self.faults_injected = 0
        self.refused_sessions: set[int] = set()  # SMTP sessions whose login was refused
        self._lock = threading.Lock()
        self.port = _free_port()
        extra: dict[str, Any] = {}
        self.client_context: ssl.SSLContext | None = None
        if tls:
            cert, key = _self_signed(cert_dir)
            server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_context.load_cert_chain(cert, key)
            self.client_context = ssl.create_default_context(cafile=cert)
            if tls == "ssl":
                extra["ssl_context"] = server_context
            else:
                extra.update(tls_context=server_context, require_starttls=True)
        self._controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self._authenticate,
            auth_require_tls=tls == "starttls",  # implicit TLS is not seen by aiosmtpd as TLS
            **extra,
            auth_required=False,  # the client logs in anyway; a wrong password is refused
        )

    @property
    def logins_refused(self) -> int:
        """How many connections had their login refused (smtplib tries each mechanism once)."""
        return len(self.refused_sessions)

    def __enter__(self) -> FakeSmtp:
        self._controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._controller.stop()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.user
            and data.password.decode() == self.password
        ):
            return AuthResult(success=True)
        with self._lock:
            self.refused_sessions.add(id(session))
        return AuthResult(success=False, handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        with self._lock:
            fault = self.faults.popleft() if self.faults else None
            if fault is None and self.fault_rate and self.fault_rng.random() < self.fault_rate:
                fault = self.fault_rng.choice(self.fault_kinds)
            if fault is not None:
                self.faults_injected += 1
            if fault in ("451", "421", "452"):
                return f"{fault} 4.3.0 Coba lagi nanti"
            if fault in ("550", "554"):
                return f"{fault} 5.7.1 Pesan ditolak"
            content = envelope.original_content or envelope.content
            mail = message_from_bytes(content, policy=policy.default)
            for rcpt in envelope.rcpt_tos:
                self.delivered.append((rcpt, mail))
        if fault == "drop_after_accept":
            server.transport.close()  # kept, but the client never hears 250
        return "250 OK"


def _self_signed(folder: str) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (cryptography), as PEM files in ``folder``."""
    import datetime as dt
    import ipaddress
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(folder) / "smtp-cert.pem", Path(folder) / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_path), str(key_path)
