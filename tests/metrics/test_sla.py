"""Stage and SLA engine: hand-computed cases for every profile, then properties against the oracle.

Holidays used below (``holidays`` package, checked in test_workcalendar): 2026 — Wed 18 Mar cuti
bersama Nyepi, Thu 19 Mar Nyepi, Fri 20 Mar cuti bersama Idul Fitri, Sat 21 / Sun 22 Mar Idul
Fitri, Mon 23 / Tue 24 Mar cuti bersama Idul Fitri. Default office hours Mon–Thu 07:30–16:00,
Fri 07:30–11:30.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import sla
from metrics.columns import PAUSE_END, PAUSE_START
from metrics.profiles import load_profile
from metrics.sla import complaint_flags, on_time_rate
from metrics.workcalendar import build_calendar
from tests.metrics.sla_oracle import SlaOracle, oracle_on_time_rate

PROFILE_IDS = ("umum", "cipari", "babakan", "kutai_kartanegara", "jagabaya", "selemadeg_timur")
T = pd.Timestamp


@functools.cache
def setup(profile_id: str):
    profile = load_profile(profile_id)
    calendar = build_calendar(
        office_hours=profile.calendar.office_hours,
        extra_holidays=profile.calendar.extra_holidays,
        timezone=profile.timezone,
        years=range(2015, 2031),
    )
    return profile, calendar


def register(profile, rows: list[dict[str, str | None]]) -> pd.DataFrame:
    """A normalised register: ``rows`` map a stage key to its date text (missing = empty)."""
    data: dict[str, object] = {
        "nomor": [f"ADU/{i:04d}" for i in range(1, len(rows) + 1)],
        "desa": ["Sukamaju"] * len(rows),
        "disposisi_kepada": [""] * len(rows),
    }
    for stage in profile.stages:
        values = [T(r[stage.key]) if r.get(stage.key) else pd.NaT for r in rows]
        data[stage.column_key] = pd.Series(values, dtype="datetime64[ns]").to_numpy()
    return pd.DataFrame(data, index=pd.RangeIndex(100, 100 + len(rows)))


def compute(profile_id: str, rows: list[dict[str, str | None]], now: str):
    profile, calendar = setup(profile_id)
    complaints = register(profile, rows)
    return complaints, sla.stage_table(complaints, profile, calendar, T(now))


def stage(table: sla.StageTable, row: int, key: str) -> dict[str, object]:
    i = table.stage_keys.index(key)
    return {
        "start": table.start[i][row],
        "due": table.due[i][row],
        "done": table.done[i][row],
        "state": sla.STATES[table.state[i][row]],
        "elapsed": table.elapsed[i][row],
        "before_start": bool(table.before_start[i][row]),
    }


def ts(text: str) -> np.datetime64:
    return np.datetime64(T(text).as_unit("ns"))


# ---- Selemadeg Timur: ten steps, WITA, across a weekend, Nyepi and Idul Fitri leave ---------------

SELEMADEG_ON_TIME = {
    # received Friday 11:00 WITA; every step finished exactly at its due time
    "diterima": "2026-03-13 11:00",
    "dihimpun": "2026-03-16 08:00",  # 1 jam: 30 min Fri (closes 11:30) + 30 min Mon from 07:30
    "diserahkan_sekcam": "2026-03-16 09:00",  # 1 jam
    "masukan_sekcam": "2026-03-16 10:00",  # 1 jam
    "dibaca_camat": "2026-03-16 11:00",  # 1 jam
    "disposisi_camat": "2026-03-16 12:00",  # 1 jam
    "solusi_seksi": "2026-03-25 12:00",  # 2 hari kerja: Tue 17, (18-24 off), Wed 25
    "ditandatangani_camat": "2026-03-25 13:00",  # 1 jam
    "diteruskan": "2026-03-26 13:00",  # 1 hari kerja
    "arsip": "2026-03-26 13:30",  # 30 menit
}


def test_selemadeg_ten_steps_across_weekend_nyepi_and_cuti_bersama():
    complaints, table = compute("selemadeg_timur", [SELEMADEG_ON_TIME], "2026-04-01 09:00")
    keys = list(SELEMADEG_ON_TIME)
    for previous, key in zip(keys, keys[1:], strict=False):
        got = stage(table, 0, key)
        assert got["start"] == ts(SELEMADEG_ON_TIME[previous]), key
        assert got["due"] == ts(SELEMADEG_ON_TIME[key]), key
        assert got["state"] == "selesai_tepat_waktu", key
    receipt = stage(table, 0, "diterima")
    assert receipt["state"] == "selesai" and np.isnat(receipt["due"])  # 30 menit on receipt: unmeasurable
    assert stage(table, 0, "dihimpun")["elapsed"] == pytest.approx(1.0)  # hours of office time
    assert stage(table, 0, "solusi_seksi")["elapsed"] == pytest.approx(2.0)  # same wall time, 2 working days
    assert stage(table, 0, "arsip")["elapsed"] == pytest.approx(30.0)  # minutes
    jawaban, selesai = table.deadline_due[0][0], table.deadline_due[1][0]
    # 14 / 60 calendar days end with the day (any spelling of the start)
    assert jawaban == ts("2026-03-27 23:59:59.999999") and selesai == ts("2026-05-12 23:59:59.999999")
    status = sla.sla_status(table).iloc[0]
    assert status["selesai"] and status["selesai_tepat_waktu"] and not status["terlambat"]


def test_selemadeg_one_minute_late_and_open_stage_states():
    late = dict(SELEMADEG_ON_TIME, solusi_seksi="2026-03-25 12:01")
    open_at_solution = {k: v for k, v in SELEMADEG_ON_TIME.items() if list(SELEMADEG_ON_TIME).index(k) < 6}
    rows = [late, open_at_solution]
    _, table = compute("selemadeg_timur", rows, "2026-04-01 09:00")
    assert stage(table, 0, "solusi_seksi")["state"] == "terlambat"
    # the later steps start from the late one and are measured on their own
    assert stage(table, 0, "ditandatangani_camat")["due"] == ts("2026-03-25 13:01")
    assert stage(table, 0, "ditandatangani_camat")["state"] == "selesai_tepat_waktu"
    assert stage(table, 1, "solusi_seksi")["state"] == "terlambat"
    assert stage(table, 1, "ditandatangani_camat")["state"] == "belum_berlaku"
    status = sla.sla_status(table)
    assert status["tahap_terlambat"].tolist() == [True, True]
    assert status["terlambat_terbuka"].tolist() == [False, True]
    assert status["tahap_sekarang"].tolist() == [np.nan, "solusi_seksi"]

    def state_at(now: str) -> str:
        _, t = compute("selemadeg_timur", [open_at_solution], now)
        return stage(t, 0, "solusi_seksi")["state"]

    # due Wed 25 Mar 12:00; at risk from 1 working day before it: the working day before Wed 25 is
    # Tue 17 (18-24 are Nyepi and Idul Fitri leave), so from Tue 17 12:00 (+1 hari kerja = Wed 25 12:00)
    assert state_at("2026-03-16 13:00") == "berjalan"
    assert state_at("2026-03-17 11:59") == "berjalan"
    assert state_at("2026-03-17 12:00") == "hampir_jatuh_tempo"
    assert state_at("2026-03-21 10:00") == "hampir_jatuh_tempo"  # Idul Fitri, office closed
    assert state_at("2026-03-25 12:00") == "hampir_jatuh_tempo"  # due exactly now: not late yet
    assert state_at("2026-03-25 12:01") == "terlambat"


def test_selemadeg_friday_afternoon_complaint():
    rows = [
        {"diterima": "2026-11-20 14:00"},  # Friday after closing (11:30)
        {"diterima": "2026-11-20 14:00", "dihimpun": "2026-11-23"},  # date only: done Monday
        {"diterima": "2026-11-20 14:00", "dihimpun": "2026-11-23 08:31"},
    ]
    _, table = compute("selemadeg_timur", rows, "2026-11-23 08:00")
    first = stage(table, 0, "dihimpun")
    assert first["due"] == ts("2026-11-23 08:30")  # clock starts Mon 07:30, + 1 jam
    assert first["state"] == "hampir_jatuh_tempo"
    assert first["elapsed"] == pytest.approx(0.5)  # Mon 07:30 -> 08:00
    dated = stage(table, 1, "dihimpun")
    assert dated["state"] == "selesai_tepat_waktu" and not dated["before_start"]
    # the next step starts from a date without time: the clock starts at Monday's opening
    assert stage(table, 1, "diserahkan_sekcam")["due"] == ts("2026-11-23 08:30")
    assert stage(table, 2, "dihimpun")["state"] == "terlambat"
    _, weekend = compute("selemadeg_timur", rows[:1], "2026-11-21 10:00")
    assert stage(weekend, 0, "dihimpun")["state"] == "hampir_jatuh_tempo"  # Sat + 1 hk = Tue 07:30
    _, thursday = compute("selemadeg_timur", rows[:1], "2026-11-19 10:00")  # before receipt
    assert stage(thursday, 0, "dihimpun")["state"] == "berjalan"


# ---- umum: 3 hari kerja across Idul Fitri, the date-without-time rule --------------------------


def test_umum_three_working_days_across_idul_fitri():
    rows = [
        {"diterima": "2026-03-16 09:00", "verifikasi": "2026-03-26 09:00"},  # Tue 17, Wed 25, Thu 26
        {"diterima": "2026-03-16 09:00", "verifikasi": "2026-03-26 09:01"},
        {"diterima": "2026-03-17 14:00"},  # Wed 25, Thu 26, Fri 27 clipped to 11:30
        {"diterima": "2026-03-16", "verifikasi": "2026-03-26"},  # date only both: due Thu 26 07:30
        {"diterima": "2026-03-16", "verifikasi": "2026-03-26 08:00"},
    ]
    _, table = compute("umum", rows, "2026-03-26 10:00")
    got = [stage(table, r, "verifikasi") for r in range(5)]
    assert [g["due"] for g in got] == [ts("2026-03-26 09:00")] * 2 + [ts("2026-03-27 11:30")] + [
        ts("2026-03-26 07:30")
    ] * 2
    assert [g["state"] for g in got] == [
        "selesai_tepat_waktu",
        "terlambat",
        "berjalan",
        "selesai_tepat_waktu",
        "terlambat",
    ]
    assert got[0]["elapsed"] == pytest.approx(3.0)
    # disposisi (no standard) is open; tindak lanjut (5 hari kerja) starts from the last filled earlier
    # stage, verification: Fri 27, Mon 30, Tue 31, Wed 1, Thu 2 Apr; it has not begun yet
    assert stage(table, 0, "disposisi")["state"] == "berjalan"
    assert stage(table, 0, "tindak_lanjut")["due"] == ts("2026-04-02 09:00")
    assert stage(table, 0, "tindak_lanjut")["state"] == "belum_berlaku"
    # overall deadlines in calendar days end with the 14th / 60th day, with or without a time
    frame = sla.deadline_table(
        sla.stage_table(register(setup("umum")[0], rows), *setup("umum"), T("2026-03-26 10:00"))
    )
    assert frame["jawaban_jatuh_tempo"].tolist()[0] == T("2026-03-30 23:59:59.999999")
    assert frame["jawaban_jatuh_tempo"].tolist()[3] == T("2026-03-30 23:59:59.999999")
    assert frame["selesai_jatuh_tempo"].tolist()[2] == T("2026-05-16 23:59:59.999999")  # a Saturday stays


def test_stage_done_before_it_started_is_flagged_not_crashing():
    rows = [
        {"diterima": "2026-05-04 10:00", "verifikasi": "2026-05-01 09:00"},  # before receipt
        {"diterima": "2026-05-04 10:00", "verifikasi": "2026-05-04"},  # same day, no time: fine
        {"diterima": "2026-05-04 10:00", "verifikasi": "2026-05-03"},  # earlier day, no time
        {"diterima": "2026-05-04 10:00", "verifikasi": "2026-05-04 09:59"},
    ]
    _, table = compute("umum", rows, "2026-05-06 10:00")
    got = [stage(table, r, "verifikasi") for r in range(4)]
    assert [g["before_start"] for g in got] == [True, False, True, True]
    assert [g["state"] for g in got] == ["selesai_tepat_waktu"] * 4
    assert [g["elapsed"] for g in got] == [0.0] * 4
    assert sla.sla_status(table)["tahap_sebelum_mulai"].tolist() == [True, False, True, True]
    funnel = sla.stage_funnel(table).set_index("kunci")
    assert funnel.loc["verifikasi", "selesai"] == 4
    assert funnel.loc["verifikasi", "median_waktu"] == 0.0  # only the unflagged row is measured


# ---- profiles without stage standards: overall deadlines ---------------------------------------


def test_cipari_overall_deadlines_in_calendar_days_and_skipped_stage():
    rows = [
        # received Saturday evening: 14 hari = end of Sat 21 Mar (Idul Fitri: calendar days stay)
        {
            "diterima": "2026-03-07 20:00",
            "koordinasi_tindak_lanjut": "2026-03-10 10:00",
            "jawaban": "2026-03-21",
        },
        {"diterima": "2026-03-07 20:00", "dicatat_didistribusikan": "2026-03-09 08:00"},
    ]
    _, table = compute("cipari", rows, "2026-03-22 09:00")
    assert table.deadline_due[0][0] == ts("2026-03-21 23:59:59.999999")
    assert sla.STATES[table.deadline_state[0][0]] == "selesai_tepat_waktu"  # done that day
    assert sla.STATES[table.deadline_state[0][1]] == "terlambat"  # still open
    assert stage(table, 0, "dicatat_didistribusikan")["state"] == "dilewati"
    assert stage(table, 0, "koordinasi_tindak_lanjut")["start"] == ts("2026-03-07 20:00")  # last filled
    assert stage(table, 0, "koordinasi_tindak_lanjut")["state"] == "selesai"  # no standard
    assert stage(table, 0, "didokumentasikan")["state"] == "berjalan"
    assert stage(table, 1, "koordinasi_tindak_lanjut")["state"] == "berjalan"
    # office hours since Mon 9 Mar 08:00: 8 (Mon) + 3 x 8.5 (Tue-Thu) + 4 (Fri) + 2 x 8.5 (Mon 16,
    # Tue 17); 18-22 Mar are Nyepi and Idul Fitri
    assert stage(table, 1, "koordinasi_tindak_lanjut")["elapsed"] == pytest.approx(8 + 3 * 8.5 + 4 + 2 * 8.5)
    flags = sla.sla_status(table)
    assert flags["batas_terlambat"].tolist() == [False, True]
    assert flags["jatuh_tempo_berikut"].tolist() == [
        T("2026-05-06 23:59:59.999999"),
        T("2026-03-21 23:59:59.999999"),
    ]
    _, earlier = compute("cipari", rows[1:], "2026-03-20 21:00")  # a holiday: +1 hk = Thu 26 07:30
    assert sla.STATES[earlier.deadline_state[0][0]] == "hampir_jatuh_tempo"


def test_babakan_settled_but_answer_late():
    rows = [
        {"diterima": "2026-02-02 09:00", "output": "2026-02-10 10:00"},
        {"diterima": "2026-02-02 09:00", "output": "2026-02-10 10:00", "diinformasikan": "2026-02-12 09:00"},
    ]
    _, table = compute("babakan", rows, "2026-03-02 09:00")
    assert sla.STATES[table.deadline_state[0][0]] == "terlambat"  # 14 hari: by the end of Mon 16 Feb
    assert table.deadline_due[0][0] == ts("2026-02-16 23:59:59.999999")
    assert stage(table, 0, "verifikasi")["state"] == "dilewati"
    assert stage(table, 0, "diinformasikan")["state"] == "berjalan"
    flags = complaint_flags(register(setup("babakan")[0], rows), *setup("babakan"), T("2026-03-02 09:00"))
    assert flags["selesai"].tolist() == [True, True]
    assert flags["terlambat"].tolist() == [True, False]
    assert flags["selesai_tepat_waktu"].tolist() == [False, True]
    assert on_time_rate(flags) == 0.5


def test_kutai_kartanegara_seventeen_steps_without_standards():
    profile, _ = setup("kutai_kartanegara")
    keys = [s.key for s in profile.stages]
    assert len(keys) == 17
    day = dt.datetime(2026, 8, 3, 8, 0)  # Monday, WITA; one step a day up to Tue 11 Aug
    row = {key: (day + dt.timedelta(days=i)).strftime("%Y-%m-%d %H:%M") for i, key in enumerate(keys[:9])}
    row[keys[5]] = "2026-08-06 09:00"  # Kepala Bidang dated before the Sekretaris (Fri 7 Aug)
    _, table = compute("kutai_kartanegara", [row], "2026-08-18 08:00")
    assert stage(table, 0, keys[5])["before_start"]
    assert stage(table, 0, keys[1])["elapsed"] == pytest.approx(8.5)  # Mon 08:00 -> Tue 08:00
    assert stage(table, 0, keys[9])["state"] == "berjalan"  # rapat open, no standard
    assert all(stage(table, 0, k)["state"] == "belum_berlaku" for k in keys[10:])
    status = sla.sla_status(table).iloc[0]
    assert status["tahap_sekarang"] == "rapat" and status["tahap_sebelum_mulai"]
    assert status["terlambat_terbuka"]  # 14 hari from Mon 3 Aug = end of 17 Aug, no answer yet
    assert status["jatuh_tempo_berikut"] == T("2026-08-17 23:59:59.999999")


def test_jagabaya_settled_then_answer_and_date_only_rules():
    rows = [
        {
            "pengajuan_penerimaan": "2026-08-10 13:00",
            "pencatatan": "2026-08-10",  # same day, no time
            "distribusi": "2026-08-11 09:00",
            "tindak_lanjut": "2026-08-20 10:00",
            "penyampaian_jawaban": "2026-08-24",
        },  # 14 hari = by the end of 24 Aug: done that day = on time
        {"pengajuan_penerimaan": "2026-08-10 13:00", "pencatatan": "2026-08-09"},
    ]
    _, table = compute("jagabaya", rows, "2026-08-26 09:00")
    assert not stage(table, 0, "pencatatan")["before_start"]
    assert stage(table, 1, "pencatatan")["before_start"]
    assert table.deadline_due[0][0] == ts("2026-08-24 23:59:59.999999")
    assert sla.STATES[table.deadline_state[0][0]] == "selesai_tepat_waktu"
    assert sla.STATES[table.deadline_state[1][0]] == "selesai_tepat_waktu"  # 60 hari, settled 20 Aug
    flags = sla.sla_status(table)
    assert flags["selesai_tepat_waktu"].tolist() == [True, False]
    assert flags["terlambat"].tolist() == [False, True]  # row 2: 14 hari passed without an answer


# ---- views -----------------------------------------------------------------------------------


def test_queues_sorted_by_due_with_official_and_lateness():
    rows = [
        {"diterima": "2026-03-02 09:00"},  # verifikasi due Thu 5 Mar 09:00
        {"diterima": "2026-03-03 09:00"},  # due Fri 6 Mar 09:00
        {"diterima": "2026-03-09 09:00"},  # due Thu 12 Mar 09:00: at risk on Wed 11 10:00
        {"diterima": "2026-03-02 09:00", "verifikasi": "2026-03-03 10:00"},
    ]
    profile, calendar = setup("umum")
    complaints = register(profile, rows)
    complaints.loc[101, "disposisi_kepada"] = "Kasi Pelayanan"
    table = sla.stage_table(complaints, profile, calendar, T("2026-03-11 10:00"))
    overdue = sla.overdue_queue(table, complaints, calendar)
    assert overdue["nomor"].tolist() == ["ADU/0001", "ADU/0002"]
    assert overdue["pejabat"].tolist() == ["Petugas pengelola pengaduan", "Kasi Pelayanan"]
    assert overdue["lewat"].tolist()[0] == pd.Timedelta(days=6, hours=1)
    # Thu 5 Mar 09:00 -> Wed 11 Mar 10:00: 7 + 4 (Fri) + 8.5 x 2 (Mon, Tue) + 2.5 (Wed)
    assert overdue["lewat_jam_kerja"].tolist()[0] == pytest.approx(7 + 4 + 17 + 2.5)
    at_risk = sla.at_risk_queue(table, complaints, calendar)
    assert at_risk["nomor"].tolist() == ["ADU/0003"]
    assert at_risk["sisa"].tolist() == [pd.Timedelta(hours=23)]
    assert at_risk["sisa_jam_kerja"].tolist() == [pytest.approx(6 + 1.5)]
    assert table.select(complaints["nomor"] == "ADU/0003").stage_keys == table.stage_keys
    assert (
        len(
            sla.overdue_queue(table.select(complaints["nomor"] == "ADU/0003"), complaints.iloc[[2]], calendar)
        )
        == 0
    )


def test_funnel_timeline_and_empty_register():
    complaints, table = compute("umum", [SELEMADEG_LIKE_UMUM, {"diterima": "2026-03-02 09:00"}], "2026-04-01")
    funnel = sla.stage_funnel(table)
    assert funnel["kunci"].tolist() == list(table.stage_keys)
    assert funnel["mencapai"].tolist() == [2, 2, 1, 1, 1, 1]
    assert funnel["selesai"].tolist() == [2, 1, 1, 1, 1, 1]
    assert funnel.loc[1, "standar"] == "3 hari kerja" and funnel.loc[1, "standar_jumlah"] == 3
    timeline = sla.complaint_timeline(table, 0)
    assert timeline["kunci"].tolist() == [*table.stage_keys, "jawaban", "selesai"]
    assert timeline["jenis"].tolist() == ["tahap"] * 6 + ["batas"] * 2
    empty, empty_table = compute("umum", [], "2026-04-01")
    assert len(empty_table) == 0 and sla.sla_status(empty_table).empty
    assert sla.overdue_queue(empty_table, empty, setup("umum")[1]).empty
    assert sla.stage_funnel(empty_table)["mencapai"].sum() == 0
    assert math.isnan(on_time_rate(sla.sla_status(empty_table)))


SELEMADEG_LIKE_UMUM = {
    "diterima": "2026-03-02 09:00",
    "verifikasi": "2026-03-03 09:00",
    "disposisi": "2026-03-03 10:00",
    "tindak_lanjut": "2026-03-05 10:00",
    "jawaban": "2026-03-06 10:00",
    "selesai": "2026-03-06 11:00",
}


def test_inputs_are_not_mutated_and_arrays_are_read_only():
    profile, calendar = setup("umum")
    complaints = register(profile, [SELEMADEG_LIKE_UMUM, {"diterima": "2026-03-02"}])
    before = complaints.copy()
    table = sla.stage_table(complaints, profile, calendar, T("2026-04-01"))
    sla.sla_status(table), sla.stage_funnel(table), sla.overdue_queue(table, complaints, calendar)
    pd.testing.assert_frame_equal(complaints, before)
    with pytest.raises(ValueError):
        table.due[1][0] = np.datetime64("2020-01-01")


def test_missing_stage_column_counts_as_empty_and_units_are_kept():
    profile, calendar = setup("selemadeg_timur")
    complaints = register(profile, [dict(SELEMADEG_ON_TIME)]).drop(columns=["tanggal_arsip"])
    complaints["tanggal_diterima"] = complaints["tanggal_diterima"].dt.as_unit("us")
    table = sla.stage_table(complaints, profile, calendar, T("2026-03-26 13:10"))
    assert stage(table, 0, "arsip")["state"] == "hampir_jatuh_tempo"
    assert stage(table, 0, "dihimpun")["due"] == ts("2026-03-16 08:00")


# ---- properties against the per-row oracle ---------------------------------------------------

_BASE = T("2025-01-01").value
_SPAN_MIN = 2 * 365 * 24 * 60


@st.composite
def complaint_rows(draw, profile):
    """Mostly increasing stage dates with gaps from minutes to weeks; some empty, some without a
    time, some out of order."""
    n = len(profile.stages)
    minute = draw(st.integers(0, _SPAN_MIN))
    dates: dict[str, pd.Timestamp | None] = {}
    stop = draw(st.integers(0, n))
    for i, stage in enumerate(profile.stages):
        kind = draw(st.sampled_from(["step", "step", "step", "skip", "date_only", "back"]))
        gap = draw(st.sampled_from([draw(st.integers(0, 180)), draw(st.integers(0, 60 * 24 * 20))]))
        minute = max(minute + (-gap if kind == "back" else gap), 0)
        if i >= stop and i > 0 or kind == "skip":
            dates[stage.column_key] = None
            continue
        value = pd.Timestamp(_BASE + minute * 60 * 10**9)
        dates[stage.column_key] = value.normalize() if kind == "date_only" else value
    received = dates.get(profile.stages[0].column_key)
    if received is not None and draw(st.integers(0, 2)):  # most rows with a pause: the new rule
        # a pause from shortly before the receipt (impossible) to weeks after it; some without a
        # time; an open one, a resume before its start (impossible), or a resume minutes to weeks later
        begin = received + pd.Timedelta(minutes=draw(st.integers(-600, 60 * 24 * 30)))
        if draw(st.booleans()):
            begin = begin.normalize()
        dates[PAUSE_START] = begin
        resume = draw(st.sampled_from(["open", "back", "later", "later", "date_only"]))
        if resume != "open":
            gap = draw(st.integers(0, 60 * 24 * 25)) * (-1 if resume == "back" else 1)
            end = begin + pd.Timedelta(minutes=gap)
            dates[PAUSE_END] = end.normalize() if resume == "date_only" else end
    return dates


def frame_of(profile, rows: list[dict]) -> pd.DataFrame:
    keys = [s.column_key for s in profile.stages] + [PAUSE_START, PAUSE_END]
    return pd.DataFrame({key: pd.to_datetime([r.get(key) for r in rows]).as_unit("ns") for key in keys})


@st.composite
def registers(draw):
    profile_id = draw(st.sampled_from(PROFILE_IDS))
    profile, _ = setup(profile_id)
    rows = draw(st.lists(complaint_rows(profile), min_size=1, max_size=6))
    now = pd.Timestamp(_BASE + draw(st.integers(0, _SPAN_MIN + 60 * 24 * 90)) * 60 * 10**9)
    if draw(st.booleans()):
        now = now.normalize() + pd.Timedelta(hours=draw(st.sampled_from([7.5, 11.5, 16, 20])))
    return profile_id, rows, now


def _same_time(got, want) -> bool:
    return (np.isnat(got) and want is None) or (want is not None and got == np.datetime64(want, "ns"))


def _same_float(got, want) -> bool:
    return (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, abs=1e-6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_vectorised_equals_oracle(case):
    profile_id, rows, now = case
    profile, calendar = setup(profile_id)
    complaints = frame_of(profile, rows)
    table = sla.stage_table(complaints, profile, calendar, now)
    status = sla.sla_status(table)
    expected = SlaOracle(profile, calendar).register(complaints, now)
    for r, want in enumerate(expected):
        for i, item in enumerate(want.stages):
            where = f"row {r} stage {item.key}"
            assert _same_time(table.start[i][r], item.start), where
            assert _same_time(table.due[i][r], item.due), where
            assert _same_time(table.done[i][r], item.done), where
            assert sla.STATES[table.state[i][r]] == item.state, where
            assert bool(table.before_start[i][r]) == item.before_start, where
            assert _same_float(table.elapsed[i][r], item.elapsed), where
            assert bool(table.paused[i][r]) == item.paused, where
        for j, item in enumerate(want.deadlines):
            where = f"row {r} deadline {item.key}"
            assert _same_time(table.deadline_due[j][r], item.due), where
            assert sla.STATES[table.deadline_state[j][r]] == item.state, where
            assert _same_float(table.deadline_elapsed[j][r], item.elapsed), where
            assert bool(table.deadline_paused[j][r]) == item.paused, where
        got = status.iloc[r]
        for name in (
            "selesai",
            "terlambat",
            "terlambat_terbuka",
            "selesai_tepat_waktu",
            "hampir_jatuh_tempo",
            "menunggu_kelengkapan",
        ):
            assert bool(got[name]) == getattr(want, name), f"row {r} {name}"
        current = got["tahap_sekarang"]
        assert (None if pd.isna(current) else current) == want.tahap_sekarang
        assert _same_time(status["jatuh_tempo_berikut"].to_numpy()[r], want.jatuh_tempo_berikut)
    rate, want_rate = on_time_rate(status), oracle_on_time_rate(expected)
    assert _same_float(rate, want_rate)


@settings(max_examples=100, deadline=None)
@given(registers())
def test_due_times_of_office_units_are_inside_office_hours_on_working_days(case):
    profile_id, rows, now = case
    profile, calendar = setup(profile_id)
    table = sla.stage_table(frame_of(profile, rows), profile, calendar, now)
    for i, stage_ in enumerate(table.stages):
        if stage_.standard is None or stage_.standard.unit == "hari":
            continue
        due = pd.Series(table.due[i]).dropna()
        assert calendar.is_working_day(due).all()
        for value in due:
            opening, closing = calendar.office_hours[value.weekday()]
            assert opening <= value.time() <= closing


@settings(max_examples=100, deadline=None)
@given(registers(), st.data())
def test_adding_a_late_complaint_never_raises_the_on_time_rate(case, data):
    profile_id, rows, now = case
    profile, calendar = setup(profile_id)
    before = on_time_rate(sla.sla_status(sla.stage_table(frame_of(profile, rows), profile, calendar, now)))
    assert math.isnan(before) or 0.0 <= before <= 1.0
    # a late complaint: received long before now and not answered (open), or settled after 60+ days
    receipt = profile.stages[0].column_key
    settle = profile.milestone_stage("selesai").column_key
    age = data.draw(st.integers(61, 400))
    received = now - pd.Timedelta(days=age)
    late = {receipt: received}
    if data.draw(st.booleans()):  # settled late, but not after now (that is an impossible date)
        late[settle] = received + pd.Timedelta(days=min(age, data.draw(st.integers(61, 120))))
    after_table = sla.stage_table(frame_of(profile, [*rows, late]), profile, calendar, now)
    after_status = sla.sla_status(after_table)
    assert after_status["terlambat"].iloc[-1]
    after = on_time_rate(after_status)
    assert 0.0 <= after <= 1.0
    assert math.isnan(before) or after <= before + 1e-12


def test_settled_before_receipt_or_in_the_future_is_not_on_time():
    rows = [
        {"diterima": "2026-08-10 13:00", "verifikasi": "2026-08-10 15:00", "selesai": "2026-08-12 10:00"},
        {"diterima": "2026-08-10 13:00", "selesai": "2026-08-01 10:00"},  # before its receipt
        {"diterima": "2026-08-10 13:00", "selesai": "2026-09-30 10:00"},  # after now
        {"diterima": "2026-08-10 13:00", "selesai": "2026-08-10"},  # same day, no time: fine
    ]
    profile, _ = setup("umum")
    rows = [
        {profile.milestone_stage(k).key if k in ("diterima", "selesai") else k: v for k, v in r.items()}
        for r in rows
    ]
    _, table = compute("umum", rows, "2026-08-26 09:00")
    flags = sla.sla_status(table)
    assert flags["selesai_tidak_wajar"].tolist() == [False, True, True, False]
    assert flags["selesai_tepat_waktu"].tolist() == [True, False, False, True]
    assert flags["selesai"].tolist() == [True, True, True, True]  # still settled complaints
    assert on_time_rate(flags) == 1.0  # the two impossible ones are left out, not counted late


@pytest.mark.parametrize("profile_id", ["cipari", "jagabaya", "umum"])
def test_a_date_typed_with_or_without_a_time_gives_the_same_calendar_day_deadline(profile_id):
    profile, _ = setup(profile_id)
    receipt, answer = profile.stages[0].key, profile.milestone_stage("jawaban").key
    # Saturday 24 Jan 2026, typed as a date and as a date with a time
    spellings = ["2026-01-24", "2026-01-24 10:27", "2026-01-24 23:59"]
    _, table = compute(profile_id, [{receipt: s} for s in spellings], "2026-01-25 09:00")
    hari = [j for j, d in enumerate(table.deadlines) if d.standard.unit == "hari"]
    assert hari, "the profile has a calendar-day deadline"
    for j in hari:
        dues = set(table.deadline_due[j])
        assert len(dues) == 1, (table.deadlines[j].label, dues)  # one rule, whatever the spelling
        days = table.deadlines[j].standard.amount
        last_day = T("2026-01-24") + pd.Timedelta(days=days)
        assert dues.pop() == np.datetime64(
            (last_day + pd.Timedelta(days=1) - pd.Timedelta(1, "us")).as_unit("ns")
        )
    # answered on the last day, with or without a time: on time; the next day: late
    j = hari[0]
    last_day = T("2026-01-24") + pd.Timedelta(days=table.deadlines[j].standard.amount)
    to_stage = table.deadlines[j].to_stage
    rows = [
        {receipt: "2026-01-24", to_stage: f"{last_day:%Y-%m-%d}"},
        {receipt: "2026-01-24 10:27", to_stage: f"{last_day:%Y-%m-%d} 16:00"},
        {receipt: "2026-01-24 10:27", to_stage: f"{last_day + pd.Timedelta(days=1):%Y-%m-%d}"},
    ]
    _, done = compute(profile_id, rows, "2026-06-01 09:00")
    states = [sla.STATES[s] for s in done.deadline_state[j]]
    assert states == ["selesai_tepat_waktu", "selesai_tepat_waktu", "terlambat"]
    del answer


def test_office_time_stages_start_at_the_next_opening_for_both_spellings():
    profile, _ = setup("selemadeg_timur")
    receipt = profile.stages[0].key
    _, table = compute(
        "selemadeg_timur", [{receipt: "2026-01-24"}, {receipt: "2026-01-24 10:27"}], "2026-01-24 12:00"
    )
    for i, s in enumerate(profile.stages[1:], start=1):
        if s.standard is not None:
            assert table.due[i][0] == table.due[i][1], s.key  # Saturday: both from Monday's opening
            break


# ---- Menunggu kelengkapan: the pause -----------------------------------------------------------


def paused(profile_id: str, rows: list[dict[str, str | None]], now: str):
    """Like ``compute``; a row's ``jeda`` / ``lengkap`` are the pause's start / resume."""
    profile, calendar = setup(profile_id)
    complaints = register(profile, rows)
    for key, name in ((PAUSE_START, "jeda"), (PAUSE_END, "lengkap")):
        values = [T(r[name]) if r.get(name) else pd.NaT for r in rows]
        complaints[key] = pd.Series(values, dtype="datetime64[ns]").to_numpy()
    return complaints, sla.stage_table(complaints, profile, calendar, T(now))


# umum: tindak lanjut 5 hari kerja from the disposition (Mon 6 Jul 2026 09:00: due Mon 13 Jul 09:00)
JULY = {
    "diterima": "2026-07-02 09:00",
    "verifikasi": "2026-07-03 09:00",
    "disposisi": "2026-07-06 09:00",
    "tindak_lanjut": "2026-07-17 10:00",  # Friday after: 4 working days late without a pause
    "jawaban": "2026-07-17 11:00",
}


def test_paused_five_working_days_for_a_missing_document_is_not_late():
    without = {k: v for k, v in JULY.items()}
    # the file was found incomplete on Tue 7 Jul 09:00 and completed Tue 14 Jul 09:00: 5 working days
    with_pause = {**JULY, "jeda": "2026-07-07 09:00", "lengkap": "2026-07-14 09:00"}
    _, table = paused("umum", [without, with_pause], "2026-07-20 10:00")
    late = stage(table, 0, "tindak_lanjut")
    assert late["due"] == ts("2026-07-13 09:00") and late["state"] == "terlambat"
    on_time = stage(table, 1, "tindak_lanjut")
    assert on_time["due"] == ts("2026-07-20 09:00")  # moved by exactly five working days
    assert on_time["state"] == "selesai_tepat_waktu"
    # elapsed leaves the paused part out: 9 working days from 6 Jul 09:00 minus the 5 paused
    assert late["elapsed"] - on_time["elapsed"] == pytest.approx(5.0)
    status = sla.sla_status(table)
    assert status["terlambat"].tolist() == [True, False]
    # the overall 14-hari answer deadline (received Thu 2 Jul) moved by 7 dates: 16 -> 23 Jul
    deadlines = sla.deadline_table(table)
    assert deadlines["jawaban_jatuh_tempo"].tolist() == [
        T("2026-07-16 23:59:59.999999"),
        T("2026-07-23 23:59:59.999999"),
    ]
    # the stages done before the pause started are not moved
    assert stage(table, 1, "verifikasi")["due"] == stage(table, 0, "verifikasi")["due"]
    assert not table.paused[1][1] and table.paused[3][1]


def test_open_pause_freezes_the_clock_and_is_neither_late_nor_at_risk():
    waiting = {k: v for k, v in JULY.items() if k in ("diterima", "verifikasi", "disposisi")}
    waiting["jeda"] = "2026-07-07 09:00"
    complaints, early = paused("umum", [waiting], "2026-07-09 09:00")
    _, late = paused("umum", [waiting], "2026-09-30 09:00")  # long past every unpaused deadline
    for table in (early, late):
        item = stage(table, 0, "tindak_lanjut")
        assert item["state"] == "menunggu_kelengkapan"
        assert item["elapsed"] == pytest.approx(1.0)  # Mon 09:00 -> Tue 09:00, then frozen
        assert item["due"] > np.datetime64(table.now)
        status = sla.sla_status(table)
        assert status["status"].tolist() == ["menunggu_kelengkapan"]
        assert not status["terlambat"].iloc[0] and not status["hampir_jatuh_tempo"].iloc[0]
        assert bool(status["menunggu_kelengkapan"].iloc[0])
        assert sla.overdue_queue(table, complaints, setup("umum")[1]).empty
        assert sla.at_risk_queue(table, complaints, setup("umum")[1]).empty
    # the same complaint without the pause is late by September
    del waiting["jeda"]
    _, unpaused = paused("umum", [waiting], "2026-09-30 09:00")
    assert sla.sla_status(unpaused)["status"].tolist() == ["terlambat"]


def test_resumed_pause_lets_the_clock_run_again():
    row = {k: v for k, v in JULY.items() if k in ("diterima", "verifikasi", "disposisi")}
    row |= {"jeda": "2026-07-07 09:00", "lengkap": "2026-07-14 09:00"}
    _, running = paused("umum", [row], "2026-07-17 09:00")
    assert stage(running, 0, "tindak_lanjut")["state"] == "hampir_jatuh_tempo"  # due Mon 20 Jul 09:00
    _, after = paused("umum", [row], "2026-07-20 10:00")
    assert stage(after, 0, "tindak_lanjut")["state"] == "terlambat"


def test_pause_across_weekend_nyepi_and_idul_fitri_adds_only_office_time():
    # verification 3 hari kerja from Thu 12 Mar 2026 10:00: due Tue 17 Mar 10:00. Paused Fri 13 Mar
    # 10:00 until Wed 25 Mar 10:00: 12.5 office hours were left (Fri 1.5, Mon 8.5, Tue 2.5), so
    # the clock ends at Wed 25 10:00 + 12.5 h = Thu 26 Mar 14:00 (18-24 Mar are holidays/leave).
    row = {"diterima": "2026-03-12 10:00", "jeda": "2026-03-13 10:00", "lengkap": "2026-03-25 10:00"}
    _, table = paused("umum", [row], "2026-03-25 12:00")
    item = stage(table, 0, "verifikasi")
    assert item["due"] == ts("2026-03-26 14:00")
    assert item["state"] == "berjalan"
    # the 14-hari answer deadline counts dates: 13 Mar -> 25 Mar = 12 days, 26 Mar -> 7 Apr
    assert sla.deadline_table(table)["jawaban_jatuh_tempo"].iloc[0] == T("2026-04-07 23:59:59.999999")


def test_pause_within_one_day_moves_office_time_but_not_calendar_days():
    row = {"diterima": "2026-07-06 08:00", "jeda": "2026-07-06 09:00", "lengkap": "2026-07-06 15:00"}
    _, table = paused("umum", [row], "2026-07-07 08:00")
    # hari kerja: 6 office hours later (Thu 9 Jul 08:00 + 6 h = 14:00); hari: same date, unmoved
    assert stage(table, 0, "verifikasi")["due"] == ts("2026-07-09 14:00")
    assert sla.deadline_table(table)["jawaban_jatuh_tempo"].iloc[0] == T("2026-07-20 23:59:59.999999")


def test_weekend_only_pause_moves_calendar_days_not_working_days():
    row = {"diterima": "2026-07-10 09:00", "jeda": "2026-07-11 10:00", "lengkap": "2026-07-13 07:00"}
    _, table = paused("umum", [row], "2026-07-13 08:00")
    # no office time inside Sat 10:00 .. Mon 07:00: the 3-hari-kerja due stays Wed 15 Jul 09:00
    assert stage(table, 0, "verifikasi")["due"] == ts("2026-07-15 09:00")
    # two dates (11 -> 13 Jul): the 14-hari due moves from 24 to 26 Jul
    assert sla.deadline_table(table)["jawaban_jatuh_tempo"].iloc[0] == T("2026-07-26 23:59:59.999999")


def test_pause_cannot_undo_a_standard_already_missed():
    # verification due Tue 7 Jul 09:00; the pause starts Wed 8 Jul: still late, even while waiting
    row = {"diterima": "2026-07-02 09:00", "jeda": "2026-07-08 09:00"}
    _, table = paused("umum", [row], "2026-07-09 09:00")
    assert stage(table, 0, "verifikasi")["state"] == "terlambat"
    assert not table.paused[1][0]
    assert sla.sla_status(table)["status"].iloc[0] == "terlambat"


@pytest.mark.parametrize(
    ("jeda", "lengkap"),
    [
        ("2026-07-01 09:00", "2026-07-14 09:00"),  # before the receipt
        ("2026-07-07 09:00", "2026-07-06 09:00"),  # resumed before it started
        ("2026-07-25 09:00", None),  # starts after now
        (None, "2026-07-14 09:00"),  # a resume without a start
    ],
)
def test_impossible_pauses_do_not_move_the_clock(jeda, lengkap):
    _, plain_table = compute("umum", [{"diterima": "2026-07-02 09:00"}], "2026-07-20 10:00")
    row = {"diterima": "2026-07-02 09:00", "jeda": jeda, "lengkap": lengkap}
    _, table = paused("umum", [row], "2026-07-20 10:00")
    assert np.array_equal(table.due[1], plain_table.due[1])
    assert np.isnat(table.pause_start[0]) and not table.paused[1][0]


def test_timeline_shows_the_paused_span():
    row = {**JULY, "jeda": "2026-07-07 09:00", "lengkap": "2026-07-14 09:00"}
    _, table = paused("umum", [row], "2026-07-20 10:00")
    timeline = sla.complaint_timeline(table, 0).set_index("kunci")
    assert timeline.loc["tindak_lanjut", "jeda_mulai"] == T("2026-07-07 09:00")
    assert timeline.loc["tindak_lanjut", "jeda_selesai"] == T("2026-07-14 09:00")
    assert pd.isna(timeline.loc["verifikasi", "jeda_mulai"])


def test_waiting_queue_lists_open_pauses_with_their_start():
    waiting = {k: v for k, v in JULY.items() if k in ("diterima", "verifikasi", "disposisi")}
    running = dict(waiting)
    waiting["jeda"] = "2026-07-07 09:00"
    complaints, table = paused("umum", [running, waiting], "2026-07-08 09:00")
    queue = sla.waiting_queue(table, complaints)
    assert set(queue["nomor"]) == {"ADU/0002"}
    assert set(queue["status"]) == {"menunggu_kelengkapan"}
    assert set(queue["menunggu_sejak"]) == {T("2026-07-07 09:00")}
    assert sla.open_obligation_count(table, ("menunggu_kelengkapan",)) == len(queue)


def test_waiting_complaints_are_counted_once_however_many_deadlines_wait():
    waiting = {k: v for k, v in JULY.items() if k in ("diterima", "verifikasi", "disposisi")}
    running = dict(waiting)
    waiting["jeda"] = "2026-07-07 09:00"
    complaints, table = paused("umum", [running, waiting, {**waiting}], "2026-07-08 09:00")
    queue = sla.waiting_queue(table, complaints)
    deadlines = sla.open_obligation_count(table, ("menunggu_kelengkapan",))
    assert deadlines == len(queue) > 2, "each waiting complaint has several paused stage deadlines"
    assert sla.open_obligation_complaint_count(table, ("menunggu_kelengkapan",)) == 2
    assert sla.open_obligation_complaint_count(table, ("terlambat",)) == 0
