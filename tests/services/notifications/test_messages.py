from __future__ import annotations

from services.notifications.events import compute_events, deliveries
from services.notifications.messages import render
from services.notifications.run import vocabulary_labels
from tests.services.notifications.support import NOW, PERSONAL, ROWS


def _messages(loaded, config):
    c = loaded.register.complaints
    events = compute_events(c, loaded.profile, loaded.calendar, config, NOW)
    planned, _ = deliveries(events, config.recipients)
    labels = vocabulary_labels(loaded.profile)
    return [(d, render(d, c, public_url="https://aduan.contoh.desa.id", labels=labels)) for d in planned]


def test_masked_roles_get_no_name_phone_or_address(loaded, make_config):
    messages = _messages(loaded, make_config())
    masked = [(d, m) for d, m in messages if d.recipient.role in ("kepala_desa", "kecamatan", "pejabat")]
    assert {d.recipient.role for d, _ in masked} == {"kepala_desa", "kecamatan", "pejabat"}
    assert any(d.event.kind == "baru" for d, _ in masked)  # kades and camat chose new complaints too
    for _, message in masked:
        for personal in PERSONAL:
            assert personal not in message.text and personal not in message.html


def test_petugas_sees_the_reporter_of_its_own_desa(loaded, make_config):
    messages = _messages(loaded, make_config())
    new = [m for d, m in messages if d.recipient.name == "petugas_cibodas" and d.event.kind == "baru"]
    assert new and all("Siti Rahayu (081234567890)" in m.text for m in new)
    assert all(
        "CBD/2026/11/0001" in m.text and "https://aduan.contoh.desa.id/register" in m.text for m in new
    )


def test_rahasia_never_names_the_reporter(loaded, make_config):
    secret = [row for row in ROWS if row[6] == "Ya"]
    assert secret
    for _, message in _messages(loaded, make_config()):
        for row in secret:
            assert row[3] not in message.text and row[5] not in message.text and row[4] not in message.text


def test_language_per_recipient_and_html_alternative_escapes_text(loaded, make_config):
    messages = _messages(loaded, make_config())
    english = [m for d, m in messages if d.recipient.name == "camat"]
    assert english and all(
        m.text.startswith(("Escalated", "Overdue", "New complaint", "Daily digest", "Weekly"))
        for m in english
    )
    indonesian = [m for d, m in messages if d.recipient.name == "petugas_cibodas"]
    assert any("Ringkasan harian Desa Cibodas" in m.text for m in indonesian)
    for _, message in messages:
        assert message.html.startswith("<html>") and "<script" not in message.html
        assert len(message.text) <= 4096
