"""Diagnostic of the notifier (issue 14): messages per run, faults injected and survived, duplicates.

    .venv/bin/python bench/bench_notify.py                 # demo register, 300 faults
    .venv/bin/python bench/bench_notify.py --faults 500 --now 2026-11-30T07:30

1. The demo register (``data_sources/demo.py``, as of ``--now``) with one petugas (Telegram +
   e-mail) and one kepala desa (e-mail) per desa and the camat: the dry run's message count per desa.
2. One pass against a local fake Telegram Bot API and a real SMTP server on loopback (aiosmtpd):
   messages sent, then a second pass at the same time (sends nothing new).
3. The same register with ``--faults`` injected faults (429 with retry_after, 5xx, connection dropped
   after the message was accepted; SMTP 4xx/5xx and dropped after accepting) on 35% of the requests,
   ``--staff`` petugas per desa, passes 5 minutes apart until nothing is left to retry; counts faults injected, messages delivered, duplicates at the fakes, messages
   lost (in the ledger but never delivered), and uncertain ones (delivered, answer lost).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_sources.demo import DEMO_DESAS, write_demo_register  # noqa: E402
from services.notifications import ledger as ledger_mod  # noqa: E402
from services.notifications.config import parse_notify  # noqa: E402
from services.notifications.ledger import SqliteLedger  # noqa: E402
from services.notifications.run import run_once  # noqa: E402
from services.register_loading import load, register_config  # noqa: E402
from tests.fakes.smtp_server import FakeSmtp  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram, Fault  # noqa: E402


def secrets(telegram_url: str, smtp_port: int, staff: int = 1) -> dict:
    lines = [
        "[notify]",
        'telegram_bot_token = "123:ABC"',
        f'telegram_api_base_url = "{telegram_url}"',
        'smtp_host = "127.0.0.1"',
        f"smtp_port = {smtp_port}",
        'smtp_user = "pantau"',
        'smtp_password = "sandi-aplikasi"',
        'smtp_security = "none"',
        'quiet_hours = ""',
        "retry_backoff_minutes = 1",
        "retry_max_backoff_minutes = 4",
    ]
    for i, desa in enumerate(DEMO_DESAS):
        for k in range(staff):
            lines += [
                f"[notify.recipients.petugas_{desa.code}{'_' + str(k) if k else ''}]",
                'role = "petugas"',
                f'desa = ["{desa.name}"]',
                f'telegram_chat_id = "-100{i}{k}"',
                f'email = "petugas{k or ""}@{desa.code.lower()}.desa.id"',
            ]
        lines += [
            f"[notify.recipients.kades_{desa.code}]",
            'role = "kepala_desa"',
            f'desa = ["{desa.name}"]',
            f'email = "kades@{desa.code.lower()}.desa.id"',
        ]
    lines += ["[notify.recipients.camat]", 'role = "kecamatan"', 'email = "camat@sukamaju.go.id"']
    return tomllib.loads("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--now", default="2026-11-30T07:30", help="local time of the pass (a Monday after 07:00)"
    )
    parser.add_argument(
        "--faults",
        type=int,
        default=300,
        help="stop injecting faults (35%% of requests) in part 3 after this many",
    )
    parser.add_argument("--staff", type=int, default=16, help="petugas recipients per desa in part 3")
    args = parser.parse_args()
    now = pd.Timestamp(args.now)
    folder = Path(tempfile.mkdtemp(prefix="bench_notify_"))
    register = write_demo_register(folder / "demo.xlsx", now.date())
    loaded = load(register_config({}, {"PANTAU_REGISTER": str(register)}), today=now.date())
    complaints = loaded.register.complaints
    print(f"demo register: {len(complaints)} complaints, now {now}")

    def run(config, ledger, at=now, dry=False):
        return run_once(
            complaints=complaints,
            profile=loaded.profile,
            calendar=loaded.calendar,
            config=config,
            ledger=ledger,
            now=at,
            dry_run=dry,
            sleep=lambda s: None,
        )

    with FakeTelegram() as telegram, FakeSmtp() as smtp:
        config = parse_notify(secrets(telegram.base_url, smtp.port))
        started = time.perf_counter()
        dry = run(config, None, dry=True)
        per_desa = collections.Counter()
        for _, name, _, _ in dry.planned:
            recipient = next(r for r in config.recipients if r.name == name)
            per_desa[recipient.desa[0] if recipient.desa else "(kecamatan)"] += 1
        print(f"dry run: {len(dry.planned)} messages in {time.perf_counter() - started:.2f} s; per desa:")
        for desa, count in sorted(per_desa.items()):
            print(f"  {desa:<14} {count}")
        ledger = SqliteLedger(folder / "ledger.sqlite")
        started = time.perf_counter()
        first = run(config, ledger)
        elapsed = time.perf_counter() - started
        second = run(config, ledger)
        delivered = len(telegram.delivered) + len(smtp.delivered)
        print(
            f"pass 1: {len(first.sent)} sent ({elapsed:.2f} s), failed {len(first.failed)}; "
            f"pass 2 (same time): {len(second.sent)} sent; delivered at fakes: {delivered}"
        )

    with FakeTelegram() as telegram, FakeSmtp() as smtp:
        config = parse_notify(secrets(telegram.base_url, smtp.port, staff=args.staff))
        # a fault on 35% of the requests (random kinds, seeded) until enough were injected
        telegram.fault_rate = smtp.fault_rate = 0.35
        telegram.fault_kinds = [
            Fault.rate_limited(1),
            Fault.server_error(500),
            Fault.server_error(502),
            Fault.server_error(503),
            Fault.drop_after_accept(),
        ]
        smtp.fault_kinds = ["451", "421", "554", "550", "drop_after_accept"]
        ledger = SqliteLedger(folder / "faults.sqlite")
        at, passes, sent = now, 0, 0
        while passes < 200:
            report = run(config, ledger, at=at)
            passes += 1
            sent += len(report.sent)
            if telegram.faults_injected + smtp.faults_injected >= args.faults:
                telegram.fault_rate = smtp.fault_rate = 0.0  # enough: let the retries through
            if not [e for e in ledger.entries() if e.status == ledger_mod.FAILED]:
                break  # nothing left to retry
            at += pd.Timedelta(minutes=5)
        delivered = [("t", chat, text) for chat, text in telegram.delivered] + [
            ("e", rcpt, mail["Message-ID"]) for rcpt, mail in smtp.delivered
        ]
        counts = collections.Counter(delivered)
        entries = ledger.entries()
        statuses = collections.Counter(e.status for e in entries)
        injected = telegram.faults_injected + smtp.faults_injected
        print(
            f"faults: {injected} injected over {passes} passes; ledger: {dict(statuses)}; "
            f"delivered {len(delivered)}, duplicates {sum(v - 1 for v in counts.values())}, "
            f"lost {len(entries) - len(counts)}, uncertain (delivered, answer lost) {statuses[ledger_mod.UNCERTAIN]}"
        )


if __name__ == "__main__":
    main()
