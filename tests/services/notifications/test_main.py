"""``./run notify`` as a process: dry run, exit codes, two processes started at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.services.notifications.support import NOW, secrets_text, write_register

REPO = Path(__file__).resolve().parents[3]


def _start(register: Path, secrets: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PANTAU_REGISTER=str(register), PANTAU_SOP="umum")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "services.notifications",
            "--secrets",
            str(secrets),
            "--now",
            NOW.isoformat(),
            *extra,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _setup(tmp_path: Path, telegram, smtp) -> tuple[Path, Path]:
    register = write_register(tmp_path / "register.csv")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(secrets_text(telegram.base_url, smtp.port), encoding="utf-8")
    return register, secrets


def test_dry_run_prints_every_message_and_sends_nothing(tmp_path, telegram, smtp):
    register, secrets = _setup(tmp_path, telegram, smtp)
    process = _start(register, secrets, "--dry-run")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert (
        "=== telegram → petugas_cibodas <-1001>" in out and "=== email → camat <camat@sukamaju.go.id>" in out
    )
    assert "Ringkasan harian Desa Cibodas" in out and "uji kering" in out
    assert telegram.requests == 0 and smtp.delivered == []
    assert not list(tmp_path.glob("*.sqlite"))  # nothing recorded


def test_two_processes_at_once_send_each_message_once(tmp_path, telegram, smtp):
    register, secrets = _setup(tmp_path, telegram, smtp)
    dry = _start(register, secrets, "--dry-run")
    planned = dry.communicate(timeout=120)[0].count("\n=== ") + 1
    processes = [_start(register, secrets) for _ in range(2)]
    results = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    delivered = [("t", chat, text) for chat, text in telegram.delivered] + [
        ("e", rcpt, mail["Message-ID"]) for rcpt, mail in smtp.delivered
    ]
    assert len(delivered) == len(set(delivered)) == planned
    sent = [int(out.split("Terkirim: ")[1].split(" ")[0]) for out, _ in results]
    assert sum(sent) == planned
    again = _start(register, secrets)
    out, _ = again.communicate(timeout=120)
    assert again.returncode == 0 and "Terkirim: 0" in out


def test_failure_exits_non_zero_and_bad_settings_are_named(tmp_path, telegram, smtp):
    register, secrets = _setup(tmp_path, telegram, smtp)
    telegram.chats = {"-1001", "77"}
    process = _start(register, secrets)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 1 and "chat id -1002 tidak valid" in out
    secrets.write_text(
        secrets_text(telegram.base_url, smtp.port, extra="[notify.recipients.x]\nrole = 'lurah'\n")
    )
    process = _start(register, secrets, "--dry-run")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2 and "[notify.recipients.x] role" in err


def test_kirim_uji_from_the_command_line(tmp_path, telegram, smtp):
    register, secrets = _setup(tmp_path, telegram, smtp)
    process = _start(register, secrets, "--test", "petugas_cibodas")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "petugas_cibodas telegram: terkirim" in out and "petugas_cibodas email: terkirim" in out
    assert len(telegram.delivered) == 1 and len(smtp.delivered) == 1
    unknown = _start(register, secrets, "--test", "siapa")
    out, _ = unknown.communicate(timeout=120)
    assert unknown.returncode == 1 and "penerima siapa tidak ada" in out
