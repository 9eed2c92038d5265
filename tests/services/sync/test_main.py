"""``./run sync``: the CLI reads secrets.toml, syncs against the fake, refuses a second worker."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from data_sources.snapshot_store import open_store
from services.sync.__main__ import main
from tests.conftest import REPO_ROOT
from tests.fakes.kabupaten import seed_kabupaten, write_registry
from tests.fakes.sheets_api import FakeSheetsServer


def secrets_file(tmp_path: Path, base_url: str, registry: Path, **extra: object) -> Path:
    lines = [
        "[sync]",
        f'registry = "{registry}"',
        f'store = "{tmp_path / "snapshot.sqlite"}"',
        *(f"{k} = {v!r}" if isinstance(v, int) else f'{k} = "{v}"' for k, v in extra.items()),
        "[gsheets]",
        f'api_base_url = "{base_url}"',
    ]
    path = tmp_path / "secrets.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_one_pass_from_the_command_line(tmp_path: Path) -> None:
    with FakeSheetsServer() as server:
        desas = seed_kabupaten(server, 4, 5)
        registry = write_registry(desas, tmp_path / "desa.toml")
        secrets = secrets_file(tmp_path, server.base_url, registry)
        done = subprocess.run(
            [sys.executable, "-m", "services.sync", "--secrets", str(secrets)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "4/4 desa, perkiraan selesai 0 menit" in done.stderr
        assert server.count("values.batchGet") == 4
    store = open_store(tmp_path / "snapshot.sqlite")
    assert [s.rows for s in store.statuses()] == [6, 6, 6, 6]
    store.close()


def test_check_names_unshared_spreadsheets_and_a_second_worker_steps_aside(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="pantau.sync")
    with FakeSheetsServer() as server:
        desas = seed_kabupaten(server, 3, 2)
        server.set_shared(desas[1].spreadsheet_id, False)
        secrets = secrets_file(tmp_path, server.base_url, write_registry(desas, tmp_path / "desa.toml"))
        assert main(["--secrets", str(secrets), "--check"]) == 1
        assert desas[1].desa in caplog.text and "tidak dibagikan" in caplog.text
        caplog.clear()
        holder = open_store(tmp_path / "snapshot.sqlite")
        with holder.worker_lock():
            assert main(["--secrets", str(secrets)]) == 0
        holder.close()
        assert "sedang berjalan" in caplog.text and server.count("values.batchGet") == 0


def test_bad_settings_are_named(tmp_path: Path, caplog) -> None:
    secrets = secrets_file(
        tmp_path, "http://127.0.0.1:9", tmp_path / "tidak-ada.toml", requests_per_minute="banyak"
    )
    assert main(["--secrets", str(secrets)]) == 1
    assert "[sync] requests_per_minute = 'banyak'" in caplog.text
