"""One pass of the notifier: compute what is due, send, record, report.

Order: (1) claims of a run that died are marked ``tidak_pasti``; (2) failed sends whose backoff has
passed are claimed and sent again from the text kept in the ledger (so a failure is never lost
because its event no longer comes up); (3) the events due now are claimed and sent, one
(event, recipient, channel) at a time. A failure for one recipient (invalid chat id, refused SMTP
login, revoked token, no channel) is named in the report and the run goes on for the others;
``RunReport.exit_code`` is 1 when something failed or is uncertain in this run. The exactly-once
guarantee is stated in ``services.notifications.ledger``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from metrics.profiles import Profile
from metrics.workcalendar import WorkCalendar
from services.notifications import ledger as ledger_mod
from services.notifications.channels import (
    SENT,
    UNCERTAIN,
    SendResult,
    SmtpChannel,
    TelegramChannel,
    stable_message_id,
)
from services.notifications.config import NotifyConfig, Recipient
from services.notifications.events import Delivery, compute_events, deliveries
from services.notifications.ledger import Entry, Ledger, RunRecord, backoff, stamp
from services.notifications.messages import Message, render, test_message


@dataclass
class Problem:
    recipient: str  # "<name>/<channel>" or "<name>"
    address: str
    reason: str
    event_key: str = ""
    next_attempt_at: str = ""


@dataclass
class RunReport:
    run_id: str
    now: pd.Timestamp
    dry_run: bool = False
    quiet: bool = False
    planned: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # channel, recipient, address, text
    sent: list[Entry] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    uncertain: list[Problem] = field(default_factory=list)
    without_channel: list[str] = field(default_factory=list)
    waiting: list[Problem] = field(default_factory=list)  # failed earlier, next attempt later
    still_uncertain: int = 0  # tidak_pasti entries in the ledger (all runs)

    @property
    def exit_code(self) -> int:
        return 1 if (self.failed or self.uncertain or self.without_channel) else 0

    def text(self) -> str:
        lines = [
            f"Notifikasi {stamp(self.now)} (run {self.run_id}){' — uji kering, tidak ada yang dikirim' if self.dry_run else ''}"
        ]
        if self.quiet:
            lines.append("Jam tenang ([notify] quiet_hours): tidak ada pesan yang dikirim.")
        if self.dry_run:
            lines.append(f"Akan dikirim: {len(self.planned)} pesan")
        else:
            lines.append(
                f"Terkirim: {len(self.sent)} · gagal: {len(self.failed)} · tidak pasti: {len(self.uncertain)}"
            )
        for name in self.without_channel:
            lines.append(f"- GAGAL {name}: penerima tanpa saluran (isi telegram_chat_id atau email)")
        for problem in self.failed:
            lines.append(
                f"- GAGAL {problem.recipient} ({problem.address}): {problem.reason} [{problem.event_key}]"
                + (f" — dicoba lagi mulai {problem.next_attempt_at}" if problem.next_attempt_at else "")
            )
        for problem in self.uncertain:
            lines.append(
                f"- TIDAK PASTI {problem.recipient} ({problem.address}): {problem.reason} [{problem.event_key}]"
                " — tidak dikirim ulang otomatis; periksa di halaman Notifikasi"
            )
        if self.waiting:
            lines.append(f"Menunggu coba ulang: {len(self.waiting)}")
            for problem in self.waiting[:20]:
                lines.append(
                    f"- {problem.recipient}: {problem.reason} [{problem.event_key}] — mulai {problem.next_attempt_at}"
                )
        if self.still_uncertain:
            lines.append(f"Tercatat tidak pasti (semua run): {self.still_uncertain}")
        return "\n".join(lines)


@dataclass
class Channels:
    telegram: TelegramChannel
    email: SmtpChannel

    @classmethod
    def from_config(cls, config: NotifyConfig, *, sleep: Callable[[float], None] = time.sleep) -> Channels:
        return cls(
            TelegramChannel(
                config.telegram_bot_token,
                config.telegram_api_base_url,
                timeout=config.timeout_seconds,
                sleep=sleep,
            ),
            SmtpChannel(
                config.smtp_host,
                config.smtp_port,
                user=config.smtp_user,
                password=config.smtp_password,
                sender=config.smtp_sender,
                security=config.smtp_security,
                timeout=config.timeout_seconds,
                sleep=sleep,
            ),
        )

    def send(self, recipient: Recipient, channel: str, message: Message, message_id: str) -> SendResult:
        address = recipient.address(channel)
        if channel == "telegram":
            return self.telegram.send(address, message)
        return self.email.send(address, message, message_id)


def vocabulary_labels(profile: Profile) -> dict[str, str]:
    return {term.key: term.label for term in (*profile.categories, *profile.urgencies, *profile.channels)}


def _entry(delivery: Delivery, message: Message, run_id: str) -> Entry:
    event = delivery.event
    return Entry(
        event_key=event.key,
        recipient=delivery.recipient_key,
        kind=event.kind,
        desa=event.desa,
        nomor=event.nomor,
        subject=message.subject,
        text=message.text,
        html=message.html,
        claimed_by=run_id,
    )


def run_once(
    *,
    complaints: pd.DataFrame,
    profile: Profile,
    calendar: WorkCalendar,
    config: NotifyConfig,
    ledger: Ledger | None,
    now: pd.Timestamp | dt.datetime,
    public_url: str = "",
    dry_run: bool = False,
    channels: Channels | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    """One pass (see the module docstring). ``ledger`` may be None only for a dry run."""
    now = (
        pd.Timestamp(now).as_unit("ns").tz_localize(None)
        if pd.Timestamp(now).tz
        else pd.Timestamp(now).as_unit("ns")
    )
    run_id = ledger.new_run_id() if ledger is not None else "uji-kering"
    report = RunReport(run_id, now, dry_run=dry_run)
    events = compute_events(complaints, profile, calendar, config, now)
    planned, without = deliveries(events, config.recipients)
    report.without_channel = [r.name for r in without]
    labels = vocabulary_labels(profile)
    recorded: set[tuple[str, str]] = set()
    existing = ledger.entries() if ledger is not None else []
    recorded = {(e.event_key, e.recipient) for e in existing}

    if dry_run:
        for entry in existing:
            if entry.status == ledger_mod.FAILED and entry.next_attempt_at <= stamp(now):
                report.planned.append((entry.channel, entry.name, "", entry.text))
        for delivery in planned:
            if (delivery.event.key, delivery.recipient_key) in recorded:
                continue
            message = render(delivery, complaints, public_url=public_url, labels=labels)
            report.planned.append(
                (
                    delivery.channel,
                    delivery.recipient.name,
                    delivery.recipient.address(delivery.channel),
                    message.text,
                )
            )
        return report

    if ledger is None:
        raise ValueError("a ledger is required unless dry_run")
    record = RunRecord(run_id, stamp(now))
    if config.in_quiet_hours(now.to_pydatetime()):
        report.quiet = True
        report.without_channel = []
        _finish(ledger, record, report, now)
        return report
    channels = channels or Channels.from_config(config, sleep=sleep)
    by_name = {r.name: r for r in config.recipients}

    for entry in ledger.expire_claims(now):
        report.uncertain.append(
            Problem(entry.recipient, "", entry.error or "run berhenti di tengah pengiriman", entry.event_key)
        )

    for entry in ledger.claim_retries(run_id, now):
        recipient = by_name.get(entry.name)
        if recipient is None or entry.channel not in recipient.channels:
            result = SendResult(
                "gagal", f"penerima {entry.name} ({entry.channel}) tidak ada lagi di [notify.recipients]"
            )
            _settle(ledger, entry, result, "", config, now, report)
            continue
        message = Message(entry.subject, entry.text, entry.html)
        result = channels.send(
            recipient, entry.channel, message, stable_message_id(entry.event_key, entry.recipient)
        )
        _settle(ledger, entry, result, recipient.address(entry.channel), config, now, report)

    fresh: list[tuple[Delivery, Entry]] = []
    for delivery in planned:
        if (delivery.event.key, delivery.recipient_key) in recorded:
            continue  # sent, failed (retried above when due) or uncertain: never claimed twice
        message = render(delivery, complaints, public_url=public_url, labels=labels)
        fresh.append((delivery, _entry(delivery, message, run_id)))
    # SQLite: each message is claimed right before it is sent (a crash leaves one uncertain at
    # most); Google Sheets: all in one append + one read (API quota), then sent one by one.
    batch = getattr(ledger, "batch_claims", False)
    won = {id(e) for e in ledger.claim_many([e for _, e in fresh], now)} if batch else set()
    for delivery, entry in fresh:
        if id(entry) not in won if batch else not ledger.claim(entry, now):
            continue  # another run claimed it first
        message = Message(entry.subject, entry.text, entry.html)
        result = channels.send(
            delivery.recipient, delivery.channel, message, stable_message_id(entry.event_key, entry.recipient)
        )
        _settle(ledger, entry, result, delivery.recipient.address(delivery.channel), config, now, report)

    failed_now = {(p.event_key, p.recipient) for p in report.failed}
    for entry in ledger.entries():
        waiting = entry.status == ledger_mod.FAILED and entry.next_attempt_at > stamp(now)
        if waiting and (entry.event_key, entry.recipient) not in failed_now:
            report.waiting.append(
                Problem(entry.recipient, "", entry.error, entry.event_key, entry.next_attempt_at)
            )
        if entry.status == ledger_mod.UNCERTAIN:
            report.still_uncertain += 1
    _finish(ledger, record, report, now)
    return report


def _settle(
    ledger: Ledger,
    entry: Entry,
    result: SendResult,
    address: str,
    config: NotifyConfig,
    now: pd.Timestamp,
    report: RunReport,
) -> None:
    if result.status == SENT:
        ledger.record(entry, ledger_mod.SENT, now, remote_id=result.remote_id)
        report.sent.append(entry)
        return
    if result.status == UNCERTAIN:
        ledger.record(entry, ledger_mod.UNCERTAIN, now, error=result.reason)
        report.uncertain.append(Problem(entry.recipient, address, result.reason, entry.event_key))
        return
    wait = backoff(entry.attempts, config.retry_backoff_minutes, config.retry_max_backoff_minutes)
    if result.retry_after is not None:
        wait = max(wait, dt.timedelta(seconds=result.retry_after))
    next_at = stamp(now + wait)
    ledger.record(entry, ledger_mod.FAILED, now, error=result.reason, next_attempt_at=next_at)
    report.failed.append(Problem(entry.recipient, address, result.reason, entry.event_key, next_at))


def _finish(ledger: Ledger, record: RunRecord, report: RunReport, now: pd.Timestamp) -> None:
    record.finished_at = stamp(now)
    record.sent, record.failed, record.uncertain = len(report.sent), len(report.failed), len(report.uncertain)
    record.report = report.text()
    ledger.save_run(record)


def send_test(
    config: NotifyConfig, recipient_name: str, now: Any, *, channels: Channels | None = None
) -> dict[str, SendResult]:
    """*Kirim uji*: a test message to every channel of one recipient (not recorded in the ledger)."""
    recipient = {r.name: r for r in config.recipients}.get(recipient_name)
    if recipient is None:
        return {
            "-": SendResult(
                "gagal", f"penerima {recipient_name} tidak ada di [notify.recipients]", permanent=True
            )
        }
    if not recipient.channels:
        return {
            "-": SendResult(
                "gagal", "penerima tanpa saluran (isi telegram_chat_id atau email)", permanent=True
            )
        }
    channels = channels or Channels.from_config(config)
    message = test_message(recipient, now)
    return {
        channel: channels.send(
            recipient, channel, message, stable_message_id(f"uji:{stamp(now)}", recipient.name)
        )
        for channel in recipient.channels
    }


def ledger_for(
    register_path: Any, source: Any, config: NotifyConfig, *, create: bool = True
) -> Ledger | None:
    """The ledger of this register: ``[notify] ledger_path``, else a SQLite file beside a local
    register, else the ``Notifikasi`` worksheet of a Google Sheets register. ``create=False``
    (dry run) returns None when a local ledger file does not exist yet."""
    from pathlib import Path

    if config.ledger_path or register_path is not None:
        path = (
            Path(config.ledger_path).expanduser()
            if config.ledger_path
            else Path(register_path).with_name(Path(register_path).name + ".notifikasi.sqlite")
        )
        if not create and not path.exists():
            return None
        return ledger_mod.SqliteLedger(path)
    from services.notifications.sheets_ledger import SheetsLedger

    return SheetsLedger.for_source(source)


def summary_counts(report: RunReport) -> Mapping[str, int]:
    return {
        "terkirim": len(report.sent),
        "gagal": len(report.failed),
        "tidak_pasti": len(report.uncertain),
        "tanpa_saluran": len(report.without_channel),
        "rencana": len(report.planned),
    }
