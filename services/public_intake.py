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
                 ``Refused.scope`` says which: ``session``, ``address`` or ``shared``;
5. ``challenge`` after ``CHALLENGE_AFTER`` complaints the arithmetic question must be answered.

A *shared* address (a loopback or RFC 1918 peer without a trusted X-Forwarded-For: a reverse
proxy, the office LAN) is every resident's at once. It is counted with a higher limit
(``SHARED_RULES``: a busy day does not lock the desa out, a flood is bounded) and, once it has seen
more than ``SHARED_CHALLENGE_AFTER`` complaints in the last hour, every session is asked the
question.

After the write, ``removed``: this very submission was recorded before (``nomor``) and its row has
since been deleted from the register by a petugas (the source's ``AlreadyRecorded``). That is final:
nothing is written again, and the resident is told so (a new send needs a new submission id).
``unavailable``: the register cannot hold the text as written (``UnwritableText``, e.g. an emoji
for an all-ASCII CSV register without ``[pantau] register_encoding``): nothing is written rather
than mojibake; the resident is asked to contact the office and the reason is logged for the admin.

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
import logging
import random
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data_sources.base import AlreadyRecorded, RegisterSource, UnwritableText
from metrics.cells import parse_flags
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
    "SHARED_CHALLENGE_AFTER",
    "SHARED_RULES",
    "address_key",
    "file_public_complaint",
    "fingerprint",
    "new_challenge",
    "public_viewer",
]

PUBLIC_NAME = "Formulir publik (Website)"
REASONS = ("honeypot", "consent", "invalid", "limit", "challenge", "removed", "unavailable")
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
# A shared address (proxy/LAN peer, see ``address_key``): 40 complaints a day freely (a desa's busy
# day), then one per 5 minutes doubling up to 2 hours; more than 3 in the last hour and every
# session must answer the question.
SHARED_RULES = ThrottleRules(
    client=ThrottlePolicy(free_tries=40, base_seconds=300.0, max_seconds=2 * 3600.0),
    subject=ThrottlePolicy(free_tries=40, base_seconds=300.0, max_seconds=2 * 3600.0),
    pair=ThrottlePolicy(free_tries=40, base_seconds=300.0, max_seconds=2 * 3600.0),
)
SHARED_CHALLENGE_AFTER = 3
SHARED_PREFIX = "shared:"
_HOUR = 3600.0
# Peers that stand for many visitors: loopback and the RFC 1918 / unique-local ranges (written out:
# ``ipaddress.is_private`` also counts documentation ranges such as 203.0.113.0/24 as private).
_SHARED_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_log = logging.getLogger("pantau.public_intake")
_warned_forwarded = threading.Event()


class Refused(PantauError):
    """The submission was not written; ``reason`` says why (``REASONS``)."""

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        field_problems: Mapping[str, list[str]] | None = None,
        wait: float = 0.0,
        nomor: str = "",
        scope: str = "",
    ) -> None:
        problems = [m for ms in (field_problems or {}).values() for m in ms]
        super().__init__(message, problems=problems)
        self.reason = reason
        self.field_problems = dict(field_problems or {})
        self.wait = wait
        self.nomor = nomor  # ``removed``: the Nomor the submission was given before
        self.scope = scope  # ``limit``: "session", "address" or "shared" (whose count is full)


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
    server process (``services.throttle``: bounded, aged out after a day). A shared address
    (``SHARED_PREFIX``) has its own higher limit and its complaints of the last hour are kept."""

    address: Throttle = field(default_factory=lambda: Throttle(ADDRESS_RULES))
    session: Throttle = field(default_factory=lambda: Throttle(SESSION_RULES))
    shared: Throttle = field(default_factory=lambda: Throttle(SHARED_RULES))
    _recent: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _by_address(self, address: str) -> Throttle:
        return self.shared if address.startswith(SHARED_PREFIX) else self.address

    def limited(self, address: str, session: str, now: float) -> tuple[float, str]:
        """The wait and whose count imposes it (``session``, ``address``, ``shared``; "" = none)."""
        waits = [
            (self.session.wait("", session, now), "session"),
            (
                self._by_address(address).wait("", address, now),
                "shared" if address.startswith(SHARED_PREFIX) else "address",
            ),
        ]
        wait, scope = max(waits)
        return (wait, scope) if wait > 0 else (0.0, "")

    def wait(self, address: str, session: str, now: float) -> float:
        return self.limited(address, session, now)[0]

    def count(self, address: str, session: str, now: float) -> int:
        return max(self._by_address(address).tries(address, now), self.session.tries(session, now))

    def last_hour(self, address: str, now: float) -> int:
        """Complaints filed from ``address`` in the hour before ``now``."""
        with self._lock:
            times = self._recent.get(address)
            while times and now - times[0] > _HOUR:
                times.popleft()
            return len(times or ())

    def needs_challenge(self, address: str, session: str, now: float) -> bool:
        """The question is asked: this session/address filed ``CHALLENGE_AFTER`` complaints, or a
        shared address more than ``SHARED_CHALLENGE_AFTER`` in the last hour (then of everyone)."""
        if self.session.tries(session, now) >= CHALLENGE_AFTER:
            return True
        if address.startswith(SHARED_PREFIX):
            return self.last_hour(address, now) > SHARED_CHALLENGE_AFTER
        return self.address.tries(address, now) >= CHALLENGE_AFTER

    def record(self, address: str, session: str, now: float) -> None:
        self._by_address(address).failure("", address, now)
        self.session.failure("", session, now)
        if address.startswith(SHARED_PREFIX):
            with self._lock:
                self._recent.setdefault(address, deque(maxlen=1000)).append(now)


def _is_shared(peer: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped is not None:
        peer = peer.ipv4_mapped
    return peer.is_loopback or any(peer in network for network in _SHARED_NETWORKS)


def address_key(
    ip_address: str | None, headers: Mapping[str, str] | None, *, trust_forwarded_for: bool, session: str
) -> str:
    """Whose submissions count together (``services.throttle.client_key``). A loopback or RFC 1918
    peer without a trusted X-Forwarded-For is a reverse proxy or the office LAN: every resident
    shares it, so it is a *shared* address (``SHARED_PREFIX``), counted with a higher limit so one
    busy day does not lock the whole desa out, while a flood is still bounded. When such a peer
    sends X-Forwarded-For that is not trusted, a warning (once per process) suggests
    ``[pantau] trust_forwarded_for``."""
    if not trust_forwarded_for and ip_address:
        try:
            peer = ipaddress.ip_address(ip_address.strip())
        except ValueError:
            peer = None
        if peer is not None and _is_shared(peer):
            if any(k.lower() == "x-forwarded-for" for k in headers or {}) and not _warned_forwarded.is_set():
                _warned_forwarded.set()
                _log.warning(
                    "Sampaikan Pengaduan: visitors arrive from %s with an X-Forwarded-For header that is "
                    "not trusted, so every visitor shares one address (higher limit, arithmetic question "
                    "for all once it is busy). Behind your own reverse proxy set "
                    "[pantau] trust_forwarded_for = true to count each visitor by address.",
                    peer,
                )
            key = client_key(str(peer), None, trust_forwarded_for=False, session_fallback=session)
            return SHARED_PREFIX + key.removeprefix("ip:")
    return client_key(ip_address, headers, trust_forwarded_for=trust_forwarded_for, session_fallback=session)


def public_viewer(desas: Sequence[str]) -> Viewer:
    """The writer of a public submission: a new complaint for one of ``desas``, nothing else."""
    return Viewer(PUBLIC_NAME, INTAKE_ROLE, desa=tuple(d for d in desas if clean_input(d)), method="publik")


def fingerprint(fields: Mapping[str, Any]) -> str:
    """The content of a submission (what a double click sends twice)."""
    blob = json.dumps({k: clean_input(fields.get(k)) for k in PUBLIC_FIELDS}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _register_desa(typed: object, desas: Sequence[str]) -> str:
    """The desa as the register spells it (``  cibodas `` → ``Cibodas``), the same rule as the
    Google Form intake; an unknown desa is kept as typed (and refused by ``_field_problems``)."""
    desa = clean_input(typed)
    return {column_key(d): d for d in desas}.get(column_key(desa), desa) if desa else ""


def _rahasia(value: object) -> bool | None:
    """The confidentiality choice: a bool as it is, a yes/no text (``"false"``, ``"Ya"``) read like
    the register's ``Rahasia`` cells; None when it cannot be read."""
    if value is None or isinstance(value, bool):
        return bool(value)
    flag, unreadable = parse_flags(pd.Series([str(value)], dtype=object))
    return None if bool(unreadable.iloc[0]) else bool(flag.iloc[0])


def _field_problems(
    fields: Mapping[str, Any], profile: Profile, desas: Sequence[str], now: dt.datetime
) -> dict[str, list[str]]:
    problems = new_complaint_problems(fields, profile, now)
    if fields.get("rahasia") is None:
        problems.setdefault("rahasia", []).append("Pilihan 'Rahasiakan identitas' tidak terbaca (ya/tidak).")
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
        "desa": _register_desa(fields.get("desa"), desas),
        "rahasia": _rahasia(fields.get("rahasia")),
        "saluran": channel.key if channel else "website",
        "tanggal_diterima": received,
    }
    problems = _field_problems(full, profile, desas, now.replace(tzinfo=None))
    if problems:
        raise Refused(
            "invalid", "Pengaduan belum dikirim: perbaiki isian yang ditandai.", field_problems=problems
        )
    if not replay:
        wait, scope = limits.limited(address, session, clock)
        if wait > 0:
            whose = {
                "session": "perangkat ini",
                "address": "alamat internet ini",
                "shared": "jaringan ini (dipakai bersama banyak pengunjung)",
            }[scope]
            raise Refused(
                "limit",
                f"Sudah banyak pengaduan terkirim dari {whose}. Tunggu {int(wait + 0.999)} detik, "
                "atau sampaikan langsung ke kantor desa.",
                wait=wait,
                scope=scope,
            )
        if limits.needs_challenge(address, session, clock) and (
            challenge is None or not challenge.accepts(challenge_answer)
        ):
            raise Refused(
                "challenge",
                "Jawab soal hitungan di atas tombol Kirim (berlaku setelah beberapa pengaduan dari "
                "perangkat atau jaringan yang sama).",
            )
    try:
        result, cells = record_complaint(
            source, register, profile, public_viewer(desas), full, now, submission_id=submission_id
        )
    except AlreadyRecorded as error:
        raise Refused(
            "removed",
            f"Pengaduan ini sudah pernah kami terima dengan Nomor {error.key}, tetapi sejak itu telah "
            "dihapus dari register oleh petugas. Kiriman yang sama tidak dicatat ulang. Hubungi kantor "
            "desa untuk menanyakannya, atau kirim lagi bila Anda ingin mengadukannya sebagai pengaduan baru.",
            nomor=error.key,
        ) from error
    except UnwritableText as error:
        _log.warning("Sampaikan Pengaduan: a complaint was not saved: %s", error.message)
        raise Refused(
            "unavailable",
            "Pengaduan Anda belum dapat disimpan saat ini. Mohon hubungi kantor desa untuk menyampaikannya; "
            "penyebabnya dicatat untuk admin.",
        ) from error
    if not result.replayed:
        limits.record(address, session, clock)
    return Filed(result.key, cells, result.replayed)
