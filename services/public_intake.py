"""Sampaikan Pengaduan: a resident files a complaint without logging in (channel Website).

One use-case, :func:`file_public_complaint`, checks in this order and refuses with a reason
(:class:`Refused`, ``reason`` one of ``REASONS``) before anything is written:

1. ``honeypot``  the hidden field a person never sees was filled (a robot): refused, nothing
                 written, said plainly and harmlessly;
2. ``consent``   the personal-data consent line (UU No. 27 Tahun 2022) was not ticked;
3. ``invalid``   a field the SOP profile requires is empty, too long for its register column, the
                 desa is not one of the register's, ... (``problems`` by field key);
4. ``limit``     this address or this browser session filed too many complaints lately (a wait in
                 seconds; limits leave room for a real second complaint, see ``ADDRESS_RULES``);
5. ``challenge`` after ``CHALLENGE_AFTER`` complaints the arithmetic question must be answered.

A replay (the same form content sent again: a double click, a rerun) carries the same submission
id and skips 4-5: ``record_complaint`` returns the Nomor it gave the first time and writes nothing.
The writer is ``services.access.INTAKE_ROLE`` for the register's desas: it may append a new
complaint and sees nothing of the register; the caller gets only its own Nomor and cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from data_sources.base import RegisterSource
from metrics.columns import column_key
from metrics.errors import PantauError
from metrics.form_input import clean_input, find_term
from metrics.lookup import ThrottlePolicy
from metrics.new_complaint import new_complaint_problems
from metrics.profiles import Profile
from metrics.register import Register
from metrics.text import Text
from services.access import INTAKE_ROLE, Viewer
from services.complaints import record_complaint
from services.throttle import Throttle, ThrottleRules, client_key

__all__ = [
    "ADDRESS_RULES",
    "CHALLENGE_AFTER",
    "Challenge",
    "Filed",
    "IntakeLimits",
    "PUBLIC_NAME",
    "REASONS",
    "Refused",
    "SESSION_RULES",
    "address_key",
    "file_public_complaint",
    "fingerprint",
    "new_challenge",
    "public_viewer",
]

PUBLIC_NAME = "Formulir publik (Website)"
REASONS = ("honeypot", "consent", "invalid", "limit", "challenge")
# Fields a resident fills (the rest is set here: channel, receipt time).
PUBLIC_FIELDS = ("desa", "nama_pelapor", "alamat", "no_hp", "isi_pengaduan", "kategori", "rahasia")
# Per address (a household, an office behind one NAT, a warnet): 6 complaints a day freely, then
# one per 10 minutes doubling up to 6 hours. Per browser session: 3 freely, then 5 minutes doubling.
ADDRESS_RULES = ThrottleRules(
    client=ThrottlePolicy(free_tries=6, base_seconds=600.0, max_seconds=6 * 3600.0),
    subject=ThrottlePolicy(free_tries=6, base_seconds=600.0, max_seconds=6 * 3600.0),
    pair=ThrottlePolicy(free_tries=6, base_seconds=600.0, max_seconds=6 * 3600.0),
)
SESSION_RULES = ThrottleRules(
    client=ThrottlePolicy(free_tries=3, base_seconds=300.0, max_seconds=3600.0),
    subject=ThrottlePolicy(free_tries=3, base_seconds=300.0, max_seconds=3600.0),
    pair=ThrottlePolicy(free_tries=3, base_seconds=300.0, max_seconds=3600.0),
)
# From the third complaint of a session or an address on, a small arithmetic question.
CHALLENGE_AFTER = 2


class Refused(PantauError):
    """The submission was not written; ``reason`` says why (``REASONS``)."""

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        field_problems: Mapping[str, list[str]] | None = None,
        wait: float = 0.0,
    ) -> None:
        problems = [m for ms in (field_problems or {}).values() for m in ms]
        super().__init__(message, problems=problems)
        self.reason = reason
        self.field_problems = dict(field_problems or {})
        self.wait = wait


@dataclass(frozen=True)
class Filed:
    nomor: str
    cells: dict[str, str]  # what was written, by canonical key (for the receipt)
    replayed: bool  # the same submission was filed before: same Nomor, nothing written


@dataclass(frozen=True)
class Challenge:
    question: str
    answer: int

    def accepts(self, typed: object) -> bool:
        text = clean_input(typed)
        return text.lstrip("-").isdigit() and int(text) == self.answer


def new_challenge(rng: random.Random | None = None) -> Challenge:
    """A sum of two small numbers (readable for every resident, tedious for a script)."""
    rng = rng or random.SystemRandom()
    a, b = rng.randint(2, 9), rng.randint(2, 9)
    return Challenge(f"{a} + {b}", a + b)


@dataclass
class IntakeLimits:
    """Submission counts per address and per browser session, shared by every session of the
    server process (``services.throttle``: bounded, aged out after a day)."""

    address: Throttle = field(default_factory=lambda: Throttle(ADDRESS_RULES))
    session: Throttle = field(default_factory=lambda: Throttle(SESSION_RULES))

    def wait(self, address: str, session: str, now: float) -> float:
        return max(self.address.wait("", address, now), self.session.wait("", session, now))

    def count(self, address: str, session: str, now: float) -> int:
        return max(self.address.tries(address, now), self.session.tries(session, now))

    def record(self, address: str, session: str, now: float) -> None:
        self.address.failure("", address, now)
        self.session.failure("", session, now)


def address_key(
    ip_address: str | None, headers: Mapping[str, str] | None, *, trust_forwarded_for: bool, session: str
) -> str:
    """Whose submissions count together (``services.throttle.client_key``). A loopback or private
    peer address without a trusted X-Forwarded-For is a reverse proxy or the office LAN: every
    resident would share it and one busy day would lock the whole desa out, so such a visitor is
    counted per browser session only."""
    if not trust_forwarded_for and ip_address:
        try:
            peer = ipaddress.ip_address(ip_address.strip())
        except ValueError:
            peer = None
        if peer is not None and (peer.is_private or peer.is_loopback):
            return "session:" + session
    return client_key(ip_address, headers, trust_forwarded_for=trust_forwarded_for, session_fallback=session)


def public_viewer(desas: Sequence[str]) -> Viewer:
    """The writer of a public submission: a new complaint for one of ``desas``, nothing else."""
    return Viewer(PUBLIC_NAME, INTAKE_ROLE, desa=tuple(d for d in desas if clean_input(d)), method="publik")


def fingerprint(fields: Mapping[str, Any]) -> str:
    """The content of a submission (what a double click sends twice)."""
    blob = json.dumps({k: clean_input(fields.get(k)) for k in PUBLIC_FIELDS}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _field_problems(
    fields: Mapping[str, Any], profile: Profile, desas: Sequence[str], now: dt.datetime
) -> dict[str, list[str]]:
    problems = new_complaint_problems(fields, profile, now)
    desa = clean_input(fields.get("desa"))
    if desa and column_key(desa) not in {column_key(d) for d in desas}:
        problems.setdefault("desa", []).append(
            Text(f"Desa '{desa[:60]}' tidak dilayani di sini.", f"Village '{desa[:60]}' is not served here.")
        )
    return problems


def file_public_complaint(
    source: RegisterSource,
    register: Register,
    profile: Profile,
    desas: Sequence[str],
    fields: Mapping[str, Any],
    now: dt.datetime,
    *,
    consent: bool,
    honeypot: str,
    submission_id: str,
    replay: bool,
    limits: IntakeLimits,
    address: str,
    session: str,
    clock: float,
    challenge: Challenge | None,
    challenge_answer: str = "",
) -> Filed:
    """File one public complaint (see the module docstring); raises Refused, or PantauError /
    SourceError when the register cannot be written (nothing lost: the same id retries)."""
    if clean_input(honeypot):
        raise Refused(
            "honeypot",
            "Kiriman ini tidak diproses karena isian tersembunyi (untuk menyaring robot) ikut terisi. "
            "Bila Anda bukan robot, muat ulang halaman lalu kirim lagi.",
        )
    if not consent:
        raise Refused(
            "consent",
            "Pengaduan belum dikirim: centang persetujuan pemrosesan data pribadi. Tanpa persetujuan itu "
            "(UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi) data Anda tidak boleh kami simpan.",
        )
    channel = find_term(profile.channels, "website") or find_term(profile.channels, "formulir")
    received = now.replace(second=0, microsecond=0, tzinfo=None)
    full = {
        **{k: fields.get(k) for k in PUBLIC_FIELDS},
        "saluran": channel.key if channel else "website",
        "tanggal_diterima": received,
    }
    problems = _field_problems(full, profile, desas, now.replace(tzinfo=None))
    if problems:
        raise Refused(
            "invalid", "Pengaduan belum dikirim: perbaiki isian yang ditandai.", field_problems=problems
        )
    if not replay:
        wait = limits.wait(address, session, clock)
        if wait > 0:
            raise Refused(
                "limit",
                f"Sudah banyak pengaduan terkirim dari perangkat/alamat ini. Tunggu {int(wait + 0.999)} detik, "
                "atau sampaikan langsung ke kantor desa.",
                wait=wait,
            )
        asked = limits.count(address, session, clock) >= CHALLENGE_AFTER
        if asked and (challenge is None or not challenge.accepts(challenge_answer)):
            raise Refused(
                "challenge",
                "Jawab soal hitungan di atas tombol Kirim (berlaku setelah beberapa pengaduan dari "
                "perangkat yang sama).",
            )
    result, cells = record_complaint(
        source, register, profile, public_viewer(desas), full, now, submission_id=submission_id
    )
    if not result.replayed:
        limits.record(address, session, clock)
    return Filed(result.key, cells, result.replayed)
