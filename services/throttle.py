"""Wrong-try throttles shared by every session of the server process (no Streamlit here).

One :class:`Throttle` slows guessing of one kind of secret (the 4 phone digits of a Nomor on
*Lacak Pengaduan*, a password on the login form). It counts wrong tries in three tables:

``client``   per client address (or, when the address is unknown, per browser session): one
             visitor's tries on ANY subject. A reload does not reset it (it is not in the session).
``subject``  per Nomor / per account: guessing one subject from many addresses.
``pair``     per (subject, client): how much one client has contributed to the subject's count.
             A client counts towards a subject at most ``pair_cap`` times, so ONE visitor can never
             lock a resident (or a petugas) out; locking a subject takes failures from more than
             ``subject.free_tries / pair_cap`` different addresses, and a subject lock is capped at
             ``subject.max_seconds``.

A try is allowed when none of the three applies a wait. Failures age out: an entry whose last
failure is older than ``forget_after`` seconds and that holds no lock starts again from zero.
Memory is bounded (``max_entries`` per table): when a table is full the entries that matter least
are dropped first — unlocked before locked, fewest failures first, oldest first — so flooding the
table with made-up Nomors drops those single failures, never the target's count.

The policies (:class:`metrics.lookup.ThrottlePolicy`) and the doubling wait
(:func:`metrics.lookup.after_failure`) are the ones the pages used before; the caller passes the
clock (``now``, seconds).
"""

from __future__ import annotations

import hashlib
import ipaddress
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from metrics.lookup import ThrottlePolicy, ThrottleState, after_failure, wait_seconds

__all__ = [
    "LOGIN",
    "LOOKUP",
    "SETTINGS",
    "Throttle",
    "ThrottleRules",
    "client_key",
]

# Settings this module reads (CONTRACTS.md point 5): (section, key, type, default, help).
SETTINGS = (
    (
        "pantau",
        "trust_forwarded_for",
        bool,
        False,
        "Behind a reverse proxy that sets X-Forwarded-For (nginx, Caddy, a load balancer): true to "
        "throttle wrong tries per visitor address taken from that header. Leave false when visitors "
        "reach Streamlit directly (a visitor could otherwise choose his address).",
    ),
)


@dataclass(frozen=True)
class ThrottleRules:
    client: ThrottlePolicy
    subject: ThrottlePolicy
    pair: ThrottlePolicy
    pair_cap: int = 3  # failures one client may add to one subject's count
    forget_after: float = 24 * 3600.0  # seconds without a failure before an entry starts over
    max_entries: int = 20_000  # per table


# Lacak Pengaduan: per visitor as the old per-session rule (3 free, then 10 s doubling to 10 min);
# per Nomor 10 free tries from at least 4 addresses, then 30 s doubling, at most 5 minutes.
LOOKUP = ThrottleRules(
    client=ThrottlePolicy(free_tries=3, base_seconds=10.0, max_seconds=600.0),
    subject=ThrottlePolicy(free_tries=10, base_seconds=30.0, max_seconds=300.0),
    pair=ThrottlePolicy(free_tries=3, base_seconds=10.0, max_seconds=600.0),
)
# Login: per visitor as before (3 free, then 5 s doubling to 5 min); per account 10 free tries from
# at least 4 addresses, then 5 s doubling, at most 5 minutes.
LOGIN = ThrottleRules(
    client=ThrottlePolicy(free_tries=3, base_seconds=5.0, max_seconds=300.0),
    subject=ThrottlePolicy(free_tries=10, base_seconds=5.0, max_seconds=300.0),
    pair=ThrottlePolicy(free_tries=3, base_seconds=5.0, max_seconds=300.0),
)


@dataclass(frozen=True)
class _Entry:
    state: ThrottleState
    last: float  # time of the last failure


class _Table:
    """One bounded table of throttle entries (the caller holds the lock)."""

    def __init__(self, policy: ThrottlePolicy, rules: ThrottleRules) -> None:
        self.policy = policy
        self.rules = rules
        self.entries: dict[str, _Entry] = {}

    def state(self, key: str, now: float) -> ThrottleState:
        entry = self.entries.get(key)
        if entry is None:
            return ThrottleState()
        if now - entry.last > self.rules.forget_after and wait_seconds(entry.state, now) == 0:
            del self.entries[key]
            return ThrottleState()
        return entry.state

    def fail(self, key: str, now: float) -> ThrottleState:
        state = after_failure(self.state(key, now), now, self.policy)
        self.entries[key] = _Entry(state, now)
        if len(self.entries) > self.rules.max_entries:
            self._shrink(now)
        return state

    def clear(self, key: str) -> None:
        self.entries.pop(key, None)

    def _shrink(self, now: float) -> None:
        """Drop a tenth of the table: unlocked before locked, fewest failures, oldest first."""
        keep = self.rules.max_entries * 9 // 10
        ranked = sorted(
            self.entries.items(),
            key=lambda item: (
                wait_seconds(item[1].state, now) > 0,
                item[1].state.failures,
                item[1].last,
            ),
        )
        for key, _entry in ranked[: len(self.entries) - keep]:
            del self.entries[key]


class Throttle:
    """Thread-safe wrong-try throttle for one kind of secret (see the module docstring)."""

    def __init__(self, rules: ThrottleRules) -> None:
        self.rules = rules
        self._lock = threading.Lock()
        self._client = _Table(rules.client, rules)
        self._subject = _Table(rules.subject, rules)
        self._pair = _Table(rules.pair, rules)

    def wait(self, subject: str, client: str, now: float) -> float:
        """Seconds ``client`` must wait before trying ``subject`` (0 = may try now)."""
        with self._lock:
            return max(
                wait_seconds(self._client.state(client, now), now),
                wait_seconds(self._pair.state(_pair(subject, client), now), now),
                wait_seconds(self._subject.state(subject, now), now) if subject else 0.0,
            )

    def failure(self, subject: str, client: str, now: float) -> float:
        """Record one wrong try; returns the wait it causes for this client and subject."""
        with self._lock:
            self._client.fail(client, now)
            pair = self._pair.fail(_pair(subject, client), now)
            if subject and pair.failures <= self.rules.pair_cap:
                self._subject.fail(subject, now)
        return self.wait(subject, client, now)

    def success(self, subject: str, client: str) -> None:
        """A right answer: the client's and this pair's count start over (the subject's too: the
        owner got in, earlier wrong tries on it no longer matter)."""
        with self._lock:
            self._client.clear(client)
            self._pair.clear(_pair(subject, client))
            if subject:
                self._subject.clear(subject)

    def tries(self, client: str, now: float) -> int:
        """How many tries ``client`` has on record now (0 once they aged out)."""
        with self._lock:
            return self._client.state(client, now).failures

    def sizes(self) -> dict[str, int]:
        with self._lock:
            return {
                "client": len(self._client.entries),
                "subject": len(self._subject.entries),
                "pair": len(self._pair.entries),
            }


def _pair(subject: str, client: str) -> str:
    return f"{subject}\x00{client}"


def client_key(
    ip_address: str | None,
    headers: Mapping[str, str] | None,
    *,
    trust_forwarded_for: bool,
    session_fallback: str,
) -> str:
    """Who is trying: the visitor's address (``X-Forwarded-For``'s LAST address when the proxy is
    trusted — the one the trusted proxy appended; the entries before it are whatever the visitor
    sent and could be rotated at will — else the connection's), an IPv6 address reduced to its /64 (one household/phone gets
    a whole /64). Without an address the browser session stands in (``session_fallback``): such a
    throttle is reset by a reload, so deployments should pass addresses. Addresses are hashed, not
    kept as text."""
    address = None
    if trust_forwarded_for and headers:
        forwarded = next((v for k, v in headers.items() if k.lower() == "x-forwarded-for"), "")
        address = forwarded.split(",")[-1].strip() or None
    address = address or (ip_address or "").strip() or None
    if address is None:
        return "session:" + session_fallback
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "session:" + session_fallback
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        text = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    elif isinstance(parsed, ipaddress.IPv6Address):
        text = str(parsed.ipv4_mapped)
    else:
        text = str(parsed)
    return "ip:" + hashlib.sha256(text.encode()).hexdigest()[:24]
