"""How far the sync worker is, for the admin page: "214/300 desa, perkiraan selesai 3 menit", the
last pass, and per desa its last good time, its error and whether it is stale. No streamlit."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from data_sources.snapshot_store import SnapshotStore
from services.kabupaten import desa_health
from services.sync.config import LAST_PASS_STATE, PROGRESS_STATE

__all__ = ["SyncProgress", "sync_progress"]


@dataclass(frozen=True)
class SyncProgress:
    total: int  # desas in the store (the registry as the worker last saw it)
    done: int  # desas with a current snapshot (not waiting to be read)
    minutes_left: int | None  # the worker's estimate while a pass runs, else None
    running: bool  # the worker's last progress report is recent and not finished
    last_pass: dict[str, Any]  # started, finished (epoch), read, failed, remaining, requests
    health: pd.DataFrame  # services.kabupaten.desa_health, plus ``masalah`` (error or "usang")
    per_minute: int

    @property
    def failing(self) -> int:
        return int((self.health["gagal"] != "").sum())

    @property
    def stale(self) -> int:
        return int(self.health["usang"].sum())


def sync_progress(
    store: SnapshotStore, *, now: float, stale_after_seconds: float, per_minute: int
) -> SyncProgress:
    """The progress at ``now`` (epoch seconds). While desas are still to be read, the estimate is
    the worker's own; without a running worker, desas left / budget per minute."""
    statuses = store.statuses()
    health = desa_health(statuses, now, stale_after_seconds)
    pending = sum(1 for s in statuses if s.dirty)
    progress = json.loads(store.get_state(PROGRESS_STATE) or "{}")
    last_pass = json.loads(store.get_state(LAST_PASS_STATE) or "{}")
    reported_at = float(progress.get("at") or 0)
    finished_at = float(last_pass.get("finished") or 0)
    running = pending > 0 and reported_at > finished_at and now - reported_at < 180
    if pending == 0:
        minutes: int | None = 0
    elif running:
        minutes = int(progress.get("minutes_left") or 0)
    else:
        minutes = math.ceil(pending / max(1, per_minute))
    order = health.sort_values(["usang", "kecamatan", "desa"], ascending=[False, True, True], kind="stable")
    return SyncProgress(
        total=len(statuses),
        done=len(statuses) - pending,
        minutes_left=minutes,
        running=running,
        last_pass=last_pass,
        health=order.reset_index(drop=True),
        per_minute=per_minute,
    )
