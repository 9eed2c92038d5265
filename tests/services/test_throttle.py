"""services.throttle: per visitor address and per Nomor/account, surviving reloads and cleanup."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.throttle import LOGIN, LOOKUP, Throttle, client_key

TARGET = "CBD/2026/01/0007"
T0 = 1_000_000.0


def address(n: int) -> str:
    return client_key(
        f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        {},
        trust_forwarded_for=False,
        session_fallback="x",
    )


def test_a_reload_does_not_reset_the_visitor_count():
    throttle = Throttle(LOOKUP)
    visitor = address(1)
    for n in range(4):
        throttle.failure(f"X/{n}", visitor, T0)
    assert throttle.wait("ANY", visitor, T0) == pytest.approx(10.0)
    # a reload is a new browser session from the same address: same key, still waiting
    again = client_key("10.0.0.1", {}, trust_forwarded_for=False, session_fallback="a-new-session")
    assert again == visitor and throttle.wait(TARGET, again, T0 + 5) == pytest.approx(5.0)
    assert throttle.wait(TARGET, address(2), T0) == 0  # another visitor is not affected


def test_flooding_the_table_with_made_up_numbers_does_not_wipe_the_targets_count():
    rules = replace(LOOKUP, max_entries=500)
    throttle = Throttle(rules)
    attackers = [address(1000 + i) for i in range(4)]
    for i in range(9):  # 9 wrong tries on the target from 3 addresses (3 each, within the pair cap)
        throttle.failure(TARGET, attackers[i % 3], T0 + i)
    # 5,001 wrong tries on made-up numbers from many addresses (each one fresh)
    for n in range(5001):
        throttle.failure(f"CBD/2026/01/{n:05d}", address(n), T0 + 100 + n * 0.01)
    sizes = throttle.sizes()
    assert all(size <= rules.max_entries for size in sizes.values()), sizes
    later = T0 + 200
    assert throttle.wait(TARGET, attackers[3], later) == 0  # the 10th try is still free
    throttle.failure(TARGET, attackers[3], later)
    assert throttle.wait(TARGET, attackers[3], later) == 0
    throttle.failure(TARGET, address(9999), later)  # the 11th: the Nomor locks for everyone
    assert throttle.wait(TARGET, address(77777), later) == pytest.approx(30.0)


def test_one_visitor_cannot_lock_a_resident_out():
    throttle = Throttle(LOOKUP)
    attacker, resident = address(1), address(2)
    now = T0
    for _ in range(200):  # an hour of wrong tries, each as soon as allowed
        now += throttle.wait(TARGET, attacker, now)
        throttle.failure(TARGET, attacker, now)
    assert throttle.wait(TARGET, attacker, now) > 0
    assert throttle.wait(TARGET, resident, now) == 0


def test_many_addresses_lock_a_nomor_but_not_for_long():
    throttle = Throttle(LOOKUP)
    now = T0
    for n in range(200):
        throttle.failure(TARGET, address(n), now)
        now += 1
    wait = throttle.wait(TARGET, address(5000), now)
    assert 0 < wait <= LOOKUP.subject.max_seconds
    assert throttle.wait(TARGET, address(5000), now + LOOKUP.subject.max_seconds) == 0


def test_failures_age_out_and_a_right_password_starts_over():
    throttle = Throttle(LOGIN)
    visitor = address(3)
    for _ in range(3):
        throttle.failure("siti", visitor, T0)
    assert throttle.wait("siti", visitor, T0) == 0
    throttle.failure("siti", visitor, T0 + LOGIN.forget_after + 10)  # a day later: the first again
    assert throttle.wait("siti", visitor, T0 + LOGIN.forget_after + 10) == 0
    throttle.failure("siti", visitor, T0 + LOGIN.forget_after + 11)
    throttle.failure("siti", visitor, T0 + LOGIN.forget_after + 12)
    throttle.failure("siti", visitor, T0 + LOGIN.forget_after + 13)
    assert throttle.wait("siti", visitor, T0 + LOGIN.forget_after + 13) > 0
    throttle.success("siti", visitor)
    assert throttle.wait("siti", visitor, T0 + LOGIN.forget_after + 13) == 0


def test_client_key():
    direct = client_key(
        "203.0.113.9", {"X-Forwarded-For": "198.51.100.1"}, trust_forwarded_for=False, session_fallback="s"
    )
    # behind one trusted proxy that appends the address it saw: the visitor may send any
    # X-Forwarded-For of their own, only the last entry is the proxy's word
    proxied = client_key(
        "10.0.0.1",
        {"X-Forwarded-For": "6.6.6.6, 198.51.100.1"},
        trust_forwarded_for=True,
        session_fallback="s",
    )
    rotated = client_key(
        "10.0.0.1",
        {"X-Forwarded-For": "7.7.7.7, 198.51.100.1"},
        trust_forwarded_for=True,
        session_fallback="s",
    )
    assert proxied == rotated
    assert direct == client_key("203.0.113.9", {}, trust_forwarded_for=False, session_fallback="t")
    assert proxied == client_key("198.51.100.1", {}, trust_forwarded_for=False, session_fallback="u")
    assert direct != proxied and "203.0.113.9" not in direct  # hashed
    # one IPv6 /64 is one visitor
    assert client_key("2001:db8:1:2::1", None, trust_forwarded_for=False, session_fallback="s") == client_key(
        "2001:db8:1:2:ffff::9", None, trust_forwarded_for=False, session_fallback="s"
    )
    # no (or a garbled) address: the session stands in
    assert client_key(None, {}, trust_forwarded_for=True, session_fallback="abc") == "session:abc"
    assert client_key("unknown", {}, trust_forwarded_for=False, session_fallback="abc") == "session:abc"
