"""services.sync.progress: the admin page's figures from the store the worker keeps."""

from __future__ import annotations

from data_sources.base import SheetGrid
from data_sources.snapshot_store import DesaEntry, open_store
from services.sync.progress import sync_progress
from services.sync.worker import LAST_PASS_STATE, PROGRESS_STATE


def test_progress_counts_done_desas_names_the_failing_and_the_stale(tmp_path) -> None:
    store = open_store(tmp_path / "s.sqlite")
    store.sync_registry([DesaEntry(f"k/{i}", "Kab", "K", f"Desa {i}", f"s{i}", "umum") for i in range(10)])
    grid = SheetGrid("x", [["Nomor", "Tanggal Diterima"]])
    for i in range(7):
        store.save_grid(f"k/{i}", grid, at=1000.0 if i else 100.0)  # Desa 0 synced long ago
    store.save_error("k/7", "Spreadsheet tidak dibagikan", at=1100.0, retry_at=1400.0)
    store.set_state(PROGRESS_STATE, '{"done": 7, "total": 10, "minutes_left": 1, "at": 1150.0}')

    running = sync_progress(store, now=1200.0, stale_after_seconds=600, per_minute=40)
    assert (running.done, running.total, running.minutes_left, running.running) == (7, 10, 1, True)
    assert running.failing == 1
    stale = running.health[running.health["usang"]]
    assert set(stale["desa"]) == {"Desa 0", "Desa 7", "Desa 8", "Desa 9"}  # old, or never synced
    failing = running.health.set_index("desa").loc["Desa 7"]
    assert failing["gagal"] == "Spreadsheet tidak dibagikan"

    # the pass ended with desas left (backoff): no worker running, the estimate from the budget
    store.set_state(LAST_PASS_STATE, '{"finished": 1180.0, "read": 7, "failed": 1, "requests": 8}')
    idle = sync_progress(store, now=1200.0, stale_after_seconds=600, per_minute=2)
    assert not idle.running and idle.minutes_left == 2 and idle.last_pass["read"] == 7
    store.close()
