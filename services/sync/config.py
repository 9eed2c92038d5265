"""The [sync] settings and the store's state keys of the sync worker (``services.sync.worker``),
apart from the worker: ``services.settings`` folds the settings in and the kabupaten pages read
them, so this module must not import the worker (Google readers, gspread, the kabupaten derivation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metrics.errors import PantauError

# (section, key, type, default, help) — folded into the settings declaration at merge.
SETTINGS: tuple[tuple[str, str, type, Any, str], ...] = (
    (
        "sync",
        "registry",
        str,
        "",
        "Daftar desa sekabupaten (berkas .toml atau .csv: kecamatan, desa, spreadsheet, profile); "
        "diisi = worker sinkronisasi dan halaman kabupaten memakainya.",
    ),
    (
        "sync",
        "store",
        str,
        ".pantau/snapshot.sqlite",
        "Penyimpanan snapshot: berkas SQLite (bawaan) atau URL PostgreSQL postgresql://... untuk beberapa server aplikasi.",
    ),
    (
        "sync",
        "requests_per_minute",
        int,
        40,
        "Batas permintaan Google per menit yang dipakai worker (kuota Google: 60 per menit per pengguna).",
    ),
    ("sync", "interval_seconds", int, 60, "./run sync --watch: jeda antar-putaran (detik)."),
    (
        "sync",
        "stale_after_minutes",
        int,
        60,
        "Desa yang sinkronisasi terakhirnya berhasil lebih lama dari ini ditandai usang.",
    ),
    (
        "sync",
        "retry_after_error_minutes",
        int,
        5,
        "Jeda pertama sebelum desa yang gagal dicoba lagi (berlipat dua tiap gagal, paling lama 60 menit).",
    ),
    (
        "pantau",
        "profiles_dir",
        str,
        "",
        "Folder profil SOP tambahan (berkas <id>.toml); menambah profil tidak perlu mengubah kode.",
    ),
)


TOKEN_STATE = "drive_page_token"
PROGRESS_STATE = "progress"
LAST_PASS_STATE = "last_pass"


@dataclass(frozen=True)
class SyncSettings:
    registry: str = ""
    store: str = ".pantau/snapshot.sqlite"
    requests_per_minute: int = 40
    interval_seconds: int = 60
    stale_after_minutes: int = 60
    retry_after_error_minutes: int = 5
    profiles_dir: str = ""

    @classmethod
    def from_secrets(cls, secrets: Mapping[str, Any]) -> SyncSettings:
        """The ``[sync]`` and ``[pantau] profiles_dir`` settings; every bad value named at once."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for section, key, kind, default, _help in SETTINGS:
            table = secrets.get(section) or {}
            raw = table.get(key, default) if isinstance(table, Mapping) else default
            try:
                value = kind(raw)
            except (TypeError, ValueError):
                problems.append(
                    f"[{section}] {key} = {raw!r}: harus berupa {'angka' if kind is int else 'teks'}."
                )
                continue
            if kind is int and value < 1:
                problems.append(f"[{section}] {key} = {value}: harus 1 atau lebih.")
            values[key] = value
        if problems:
            raise PantauError("Pengaturan sinkronisasi di secrets.toml belum benar:", problems)
        return cls(**values)

    def profile_dirs(self) -> tuple[Path, ...]:
        return (Path(self.profiles_dir).expanduser(),) if self.profiles_dir else ()
