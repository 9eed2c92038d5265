"""dashboard.queue_views: a paused complaint in Antrean Saya says since when it waits for its file
instead of a countdown."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from dashboard.queue_views import due_line


def test_paused_row_says_waiting_since_instead_of_a_countdown():
    paused = SimpleNamespace(
        menunggu_sejak=pd.Timestamp("2026-02-03 09:00"),
        jatuh_tempo=pd.Timestamp("2026-02-05 16:00"),
        sisa=pd.NaT,
        jam_kerja=float("nan"),
    )
    line = due_line(paused, "id")
    assert line == "Menunggu kelengkapan berkas sejak 3 Februari 2026"
    running = SimpleNamespace(
        menunggu_sejak=pd.NaT,
        jatuh_tempo=pd.Timestamp("2026-03-05 16:00"),
        sisa=pd.Timedelta(hours=-5),
        jam_kerja=-5.0,
    )
    assert due_line(running, "id").startswith("Jatuh tempo: ")
    assert "Terlambat" in due_line(running, "id")
