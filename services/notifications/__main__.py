"""``./run notify`` — one pass of the notifier (for cron / a systemd timer).

    ./run notify                      compute, send, record, report; exit 1 when something failed
    ./run notify --dry-run            print channel, recipient and text of every message; send nothing
    ./run notify --secrets PATH       another secrets.toml (default .streamlit/secrets.toml)
    ./run notify --now 2026-11-30T07:05   pretend it is this local time (tests, demos)
    ./run notify --test NAME          send a test message to one recipient (Kirim uji)

Honours PANTAU_REGISTER / PANTAU_SOP like the app. Exit codes: 0 all sent, 1 a send failed or is
uncertain (named in the report), 2 the settings or the register could not be read.
"""

from __future__ import annotations

import argparse
import os
import sys

import pandas as pd

from metrics.errors import PantauError


def _now(text: str | None, timezone: str) -> pd.Timestamp:
    if text:
        try:
            return pd.Timestamp(text).tz_localize(None) if pd.Timestamp(text).tz else pd.Timestamp(text)
        except ValueError as error:
            raise PantauError(f'--now "{text}" bukan tanggal-jam ISO (mis. 2026-11-30T07:05).') from error
    # the real clock, as local wall time of the profile (the register's timestamps are local)
    return pd.Timestamp.now(tz=timezone).tz_localize(None).floor("min")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="./run notify", description="Pengingat dan notifikasi Pantau Aduan (satu kali jalan)."
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="cetak pesan yang akan dikirim; tidak mengirim, tidak mencatat"
    )
    parser.add_argument(
        "--secrets", metavar="PATH", help="berkas secrets.toml (bawaan .streamlit/secrets.toml)"
    )
    parser.add_argument("--now", metavar="ISO", help="waktu setempat yang dipakai (uji/demo)")
    parser.add_argument("--test", metavar="NAMA", help="kirim pesan uji ke satu penerima")
    args = parser.parse_args(argv)

    from services.cli_settings import load_settings
    from services.notifications.config import parse_notify
    from services.notifications.run import ledger_for, run_once, send_test
    from services.register_loading import configured_profile, load, register_config

    try:
        secrets = load_settings(args.secrets)
        config = parse_notify(secrets)
        register = register_config(secrets, os.environ)
        now = _now(args.now, configured_profile(register).timezone)
        if args.test:
            results = send_test(config, args.test, now)
            for channel, result in results.items():
                print(f"{args.test} {channel}: {result.status} {result.reason}".rstrip())
            return 0 if all(r.status == "terkirim" for r in results.values()) else 1
        if register.is_demo and not config.recipients:
            if not args.dry_run:
                print(
                    "Belum ada penerima ([notify.recipients.<nama>] di secrets.toml): tidak ada yang dikirim."
                )
                return 0
            import dataclasses

            from services.notifications.config import demo_recipients

            config = dataclasses.replace(config, recipients=demo_recipients())
            print("Register demo tanpa [notify.recipients]: penerima contoh per desa (uji kering saja).\n")
        loaded = load(register, today=now.date())
        ledger = ledger_for(register.register_path, loaded.source, config, create=not args.dry_run)
    except PantauError as error:
        print(f"Notifikasi tidak dijalankan: {error.message}", file=sys.stderr)
        return 2
    report = run_once(
        complaints=loaded.register.complaints,
        profile=loaded.profile,
        calendar=loaded.calendar,
        config=config,
        ledger=ledger,
        now=now,
        public_url=register.public_url,
        dry_run=args.dry_run,
    )
    if args.dry_run:
        for channel, name, address, text in report.planned:
            print(f"=== {channel} → {name}{f' <{address}>' if address else ''}")
            print(text)
            print()
    print(report.text())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
