"""services.queue: the petugas's queue (own desa, open only, by next due time, office-time aware)
and one complaint's due time per stage, both from the one stage model."""

from __future__ import annotations

import pandas as pd

from metrics.profiles import load_profile
from metrics.sla import sla_status, stage_table
from services.access import Viewer
from services.queue import QUEUE_COLUMNS, complaint_due_times, petugas_queue, subject
from services.register_loading import calendar_for

PROFILE = load_profile("umum")
CALENDAR = calendar_for(PROFILE)
NOW = pd.Timestamp("2026-03-04 10:00")  # a Wednesday
PETUGAS = Viewer("Petugas Cibodas", "petugas", ("Cibodas",))


def complaints() -> pd.DataFrame:
    received = pd.to_datetime(
        ["2026-03-03 09:00", "2026-02-02 09:00", "2026-03-04 08:00", "2026-03-02 09:00"]
    )
    frame = pd.DataFrame(
        {
            "nomor": ["CBD/1", "CBD/2", "CBD/3", "MKS/1"],
            "desa": ["Cibodas", "Cibodas", "Cibodas", "Mekarsari"],
            "tanggal_diterima": received,
            "kategori": ["infrastruktur", None, "Sosial", "Infrastruktur"],  # typed: the term's key
            "isi_pengaduan": ["Jalan rusak " * 20, "**Lampu** mati", "Bantuan", "Air"],
            "disposisi_kepada": [None, "Kasi Pemerintahan", None, None],
        }
    )
    for stage in PROFILE.stages:
        if stage.column_key not in frame:
            frame[stage.column_key] = pd.NaT
    settle = PROFILE.milestone_stage("selesai")
    frame.loc[2, settle.column_key] = pd.Timestamp("2026-03-04 09:00")  # settled: not in the queue
    return frame


def test_queue_is_own_open_complaints_nearest_due_first():
    frame = complaints()
    flags = sla_status(stage_table(frame, PROFILE, CALENDAR, NOW))
    queue = petugas_queue(frame, flags, PROFILE, CALENDAR, PETUGAS, NOW)
    assert list(queue.columns) == list(QUEUE_COLUMNS)
    assert queue["nomor"].tolist() == ["CBD/2", "CBD/1"]  # the older one is due (long) before
    late = queue.iloc[0]
    assert late["sisa"] < pd.Timedelta(0) and late["jam_kerja"] < 0
    assert late["pejabat"] == "Kasi Pemerintahan"  # Disposisi Kepada when filled
    labels = {stage.key: stage.label for stage in PROFILE.stages}
    assert late["tahap"] == labels[str(flags.loc[1, "tahap_sekarang"])]  # the stage model's open stage
    assert queue.iloc[1]["perihal"].startswith("Infrastruktur · Jalan rusak") and queue.iloc[1][
        "perihal"
    ].endswith("…")
    admin = petugas_queue(frame, flags, PROFILE, CALENDAR, Viewer("A", "admin", ()), NOW)
    assert set(admin["nomor"]) == {"CBD/1", "CBD/2", "MKS/1"}


def test_subject_is_plain_and_short():
    assert subject(None, "**Lampu** mati") == "**Lampu** mati"  # shown as plain text by the page
    assert len(subject("K", "x" * 500)) <= 84


def test_due_times_per_stage_from_the_stage_model():
    frame = complaints()
    due = complaint_due_times(frame.iloc[0].to_dict(), PROFILE, CALENDAR, NOW)
    table = stage_table(frame.iloc[[0]].reset_index(drop=True), PROFILE, CALENDAR, NOW)
    expected = table.long([0])
    assert due["label"].tolist() == expected["label"].tolist()
    pd.testing.assert_series_equal(due["jatuh_tempo"], expected["jatuh_tempo"])
    assert due["jatuh_tempo"].notna().any()


def test_paused_complaint_has_no_countdown_and_says_since_when():
    frame = complaints()
    frame["mulai_menunggu_kelengkapan"] = pd.NaT
    frame["berkas_lengkap_pada"] = pd.NaT
    frame.loc[1, "mulai_menunggu_kelengkapan"] = pd.Timestamp("2026-02-03 09:00")  # CBD/2: open pause
    flags = sla_status(stage_table(frame, PROFILE, CALENDAR, NOW))
    queue = petugas_queue(frame, flags, PROFILE, CALENDAR, PETUGAS, NOW).set_index("nomor")
    paused, running = queue.loc["CBD/2"], queue.loc["CBD/1"]
    assert paused["status"] == "menunggu_kelengkapan"
    assert paused["menunggu_sejak"] == pd.Timestamp("2026-02-03 09:00")
    assert pd.isna(paused["sisa"]) and pd.isna(paused["jam_kerja"])  # not late, not due
    assert pd.isna(running["menunggu_sejak"]) and not pd.isna(running["sisa"])
