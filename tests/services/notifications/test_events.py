from __future__ import annotations

import dataclasses

import pandas as pd

from metrics.sla import open_obligations, overdue_queue, stage_table
from services.notifications.events import compute_events, deliveries, digest_rows
from tests.services.notifications.support import NOW


def _events(loaded, config, now=NOW):
    c = loaded.register.complaints
    return compute_events(c, loaded.profile, loaded.calendar, config, now)


def test_new_complaints_and_dispositions_within_the_window(loaded, make_config):
    events = _events(loaded, make_config())
    assert sorted(e.nomor for e in events if e.kind == "baru") == ["CBD/2026/11/0001", "MKS/2026/11/0003"]
    dispositions = [e for e in events if e.kind == "disposisi"]
    assert [(e.nomor, e.data["pejabat"]) for e in dispositions] == [("MKS/2026/11/0003", "Kasi Pelayanan")]


def test_overdue_events_are_exactly_the_sla_overdue_queue_with_an_escalation_ladder(loaded, make_config):
    config = make_config()
    events = _events(loaded, config)
    c = loaded.register.complaints
    table = stage_table(c, loaded.profile, loaded.calendar, NOW)
    queue = overdue_queue(table, c, loaded.calendar)
    expected = {
        (n, f"{j}-{k}") for n, j, k in zip(queue["nomor"], queue["jenis"], queue["kunci"], strict=True)
    }
    level0 = {(e.nomor, e.key.split(":")[2]) for e in events if e.kind == "terlambat" and e.level == 0}
    assert level0 == expected and expected
    for event in (e for e in events if e.kind == "terlambat"):
        days = event.data["hari_kerja_lewat"]
        assert days >= (0, *config.escalation_steps)[event.level]
    # 10 working days late: all three levels; a few hours late: the petugas only
    levels = {}
    for e in events:
        if e.kind == "terlambat":
            levels.setdefault(e.nomor, set()).add(e.level)
    assert levels["CBD/2026/11/0003"] == {0, 1, 2}
    assert levels["CBD/2026/11/0002"] == {0}


def test_catch_up_window_keeps_old_escalations_out_of_single_messages(loaded, make_config):
    config = dataclasses.replace(make_config(), catch_up_working_days=3)
    events = _events(loaded, config)
    for event in (e for e in events if e.kind == "terlambat"):
        threshold = (0, *config.escalation_steps)[event.level]
        assert threshold <= event.data["hari_kerja_lewat"] < threshold + 3


def test_at_risk_reminder(loaded, make_config):
    events = _events(loaded, make_config())
    at_risk = {e.nomor: e for e in events if e.kind == "hampir_jatuh_tempo"}
    c = loaded.register.complaints
    table = stage_table(c, loaded.profile, loaded.calendar, NOW)
    expected = open_obligations(table, ("hampir_jatuh_tempo",))
    assert set(at_risk) == set(c.loc[expected["indeks"], "nomor"])
    # verification (3 hari kerja) due tomorrow 07:45, within the 1-working-day window
    assert at_risk["MKS/2026/11/0001"].data["jatuh_tempo"] == pd.Timestamp("2026-12-01 07:45")


def test_digest_lists_exactly_the_overdue_complaints_of_its_desa(loaded, make_config):
    c = loaded.register.complaints
    table = stage_table(c, loaded.profile, loaded.calendar, NOW)
    queue = overdue_queue(table, c, loaded.calendar)
    events = {e.desa: e for e in _events(loaded, make_config()) if e.kind == "ringkasan_harian"}
    assert set(events) == {"Cibodas", "Mekarsari"}
    for desa, event in events.items():
        listed = {item["nomor"] for item in event.data["terlambat"]}
        assert listed == set(queue.loc[queue["desa"] == desa, "nomor"])
    assert {i["nomor"] for i in events["Cibodas"].data["baru"]} == {"CBD/2026/11/0001"}


def test_digest_and_weekly_only_at_their_time(loaded, make_config):
    config = make_config()
    early = _events(loaded, config, pd.Timestamp("2026-11-30 06:30"))
    assert not [e for e in early if e.kind in ("ringkasan_harian", "ringkasan_mingguan")]
    tuesday = _events(loaded, config, pd.Timestamp("2026-12-01 08:00"))
    assert not [e for e in tuesday if e.kind == "ringkasan_mingguan"]
    monday = [e for e in _events(loaded, config) if e.kind == "ringkasan_mingguan"]
    assert [e.key for e in monday] == ["mingguan:2026-W49"]
    summary = monday[0].data["per_desa"]
    assert summary.loc["Mekarsari", "selesai"] == 1 and summary.loc["Mekarsari", "tepat_waktu"] == 1.0


def test_keys_are_stable_and_recipients_follow_role_and_desa(loaded, make_config):
    config = make_config()
    first, second = _events(loaded, config), _events(loaded, config)
    assert [e.key for e in first] == [e.key for e in second]
    planned, without = deliveries(first, config.recipients)
    assert without == []
    for delivery in planned:
        recipient, event = delivery.recipient, delivery.event
        if recipient.desa and event.desa:
            assert event.desa in recipient.desa
        if event.kind == "terlambat":
            assert recipient.role == {0: "petugas", 1: "kepala_desa", 2: "kecamatan"}[event.level]
    kinds = {(d.recipient.name, d.event.kind) for d in planned}
    assert ("kasi_pelayanan_mekarsari", "disposisi") in kinds
    assert ("petugas_cibodas", "disposisi") not in kinds


def test_digest_rows_do_not_modify_the_register(loaded):
    c = loaded.register.complaints
    before = c.copy()
    table = stage_table(c, loaded.profile, loaded.calendar, NOW)
    digest_rows(table, c, loaded.profile, "Cibodas", NOW, pd.Timestamp("07:00").time())
    pd.testing.assert_frame_equal(c, before)


def test_demo_register_dry_run_has_a_digest_for_each_desa(demo_register_path):
    """The demo register (as generated today) with the demo recipients: every desa's petugas and
    kepala desa get the day's digest (the ``./run notify --dry-run`` of the README)."""
    from data_sources.demo import DEMO_DESAS
    from services.notifications.config import demo_recipients, parse_notify
    from services.notifications.run import run_once
    from services.register_loading import load, register_config

    loaded = load(register_config({}, {"PANTAU_REGISTER": str(demo_register_path)}), today=NOW.date())
    config = dataclasses.replace(parse_notify({}), recipients=demo_recipients())
    complaints = loaded.register.complaints
    now = complaints["tanggal_diterima"].max().normalize() + pd.Timedelta(hours=23, minutes=59)
    report = run_once(
        complaints=complaints,
        profile=loaded.profile,
        calendar=loaded.calendar,
        config=config,
        ledger=None,
        now=now,
        dry_run=True,
    )
    digests = {
        (name, text.split("\n")[0])
        for _, name, _, text in report.planned
        if text.startswith("Ringkasan harian")
    }
    for desa in DEMO_DESAS:
        code = desa.code.lower()
        for name in (f"petugas_{code}", f"kades_{code}"):
            assert any(n == name and f"Desa {desa.name} —" in head for n, head in digests), name
