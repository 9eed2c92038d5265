"""``./run sync`` (one pass, for cron) and ``./run sync --watch`` (a long-running worker).

    ./run sync [--secrets PATH] [--watch] [--check]

Reads ``[sync]``, ``[gsheets]`` (service account, or ``api_base_url`` in tests) and ``[pantau]
profiles_dir`` from ``.streamlit/secrets.toml`` (or ``--secrets``). ``--check`` validates the desa
registry, including which spreadsheets are not shared with the service account (one Drive
request), and exits. A second worker started while one runs says so and exits 0 (cron-friendly).
Exit 1 for a configuration problem, with every problem named.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence

from data_sources.gdrive import FetchError, GoogleReader, make_session
from data_sources.gsheets import GSheetsConfig
from data_sources.snapshot_store import WorkerBusy, open_store
from metrics.errors import PantauError
from metrics.profiles import profile_ids
from services.cli_settings import load_settings
from services.sync.registry import load_registry, sharing_problems
from services.sync.worker import SyncSettings, SyncWorker

log = logging.getLogger("pantau.sync")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="./run sync", description="Sinkronisasi register desa ke penyimpanan snapshot."
    )
    parser.add_argument("--secrets", help="berkas pengaturan (bawaan .streamlit/secrets.toml)")
    parser.add_argument(
        "--watch", action="store_true", help="terus berjalan, satu putaran tiap [sync] interval_seconds"
    )
    parser.add_argument(
        "--check", action="store_true", help="periksa daftar desa dan berbagi spreadsheet, lalu keluar"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    try:
        secrets = load_settings(args.secrets)
        settings = SyncSettings.from_secrets(secrets)
        if not settings.registry:
            raise PantauError("[sync] registry belum diisi: tulis path berkas daftar desa (.toml atau .csv).")
        registry = load_registry(settings.registry, profile_ids(settings.profile_dirs()))
        config = GSheetsConfig.from_mapping({"spreadsheet": "-", **dict(secrets.get("gsheets") or {})})
        reader = GoogleReader(
            make_session(config), timeout=config.timeout_seconds, client_email=config.client_email
        )
        if args.check:
            problems = sharing_problems(registry, reader.visible_spreadsheets(), config.client_email)
            if problems:
                raise PantauError("Daftar desa belum benar:", problems)
            log.info("Daftar desa benar: %d desa, semua spreadsheet dibagikan.", len(registry.entries))
            return 0
        store = open_store(settings.store)
    except (PantauError, FetchError) as error:
        log.error("%s", error)
        return 1
    worker = SyncWorker(registry, store, reader, settings, log=log.info)
    stopping = {"now": False}

    def stop(_signum: int, _frame: object) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    try:
        if args.watch:
            worker.watch(stop=lambda: stopping["now"])
        else:
            worker.run_once()
    except WorkerBusy as error:
        log.info("%s Putaran ini dilewati.", error)
        return 0
    except KeyboardInterrupt:
        log.info("Dihentikan; desa yang belum terbaca dilanjutkan pada putaran berikut.")
        return 130
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
