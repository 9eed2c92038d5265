"""The public complaint lookup: the right pair shows stage and dates, nothing else ever."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics.lookup import (
    ThrottlePolicy,
    ThrottleState,
    after_failure,
    lookup_complaint,
    lookup_voided,
    matching_desas,
    normalise_nomor,
    phone_digits,
    valid_last4,
    wait_seconds,
)
from metrics.profiles import load_profile

PROFILE = load_profile("umum")
T = pd.Timestamp


def _complaints() -> pd.DataFrame:
    rows = [
        # nomor, desa, no_hp, rahasia, tahap, dates (verif, dispo, tl, jawaban, selesai), answer
        (
            "CBD/2026/01/0001",
            "Cibodas",
            "081234561111",
            False,
            "tindak_lanjut",
            (T("2026-01-06 09:00"), T("2026-01-07 10:00"), T("2026-01-09"), None, None),
            "Draf jawaban internal",
        ),
        (
            "CBD/2026/01/0002",
            "Cibodas",
            "081298762222",
            False,
            "selesai",
            (T("2026-01-06"), T("2026-01-07"), T("2026-01-08"), T("2026-01-10 11:15"), T("2026-01-12")),
            "Jalan sudah diperbaiki.",
        ),
        ("CBD/2026/01/0003", "Cibodas", pd.NA, True, "diterima", (None,) * 5, None),
        ("SKM/2026/01/0001", "Sukamaju", "0812-12", False, "diterima", (None,) * 5, None),
        # a duplicated Nomor: the phone decides
        (
            "SKM/2026/01/0002",
            "Sukamaju",
            "085611113333",
            False,
            "verifikasi",
            (T("2026-01-06"), None, None, None, None),
            None,
        ),
        ("SKM/2026/01/0002", "Sukamaju", "085611114444", False, "diterima", (None,) * 5, None),
    ]
    stage_keys = [s.column_key for s in PROFILE.stages[1:]]
    records = []
    for nomor, desa, hp, rahasia, tahap, dates, answer in rows:
        record = {
            "nomor": nomor,
            "desa": desa,
            "no_hp": hp,
            "rahasia": rahasia,
            "tahap": tahap,
            "nama_pelapor": "Siti Rahayu",
            "alamat": "RT 01/RW 02, Dusun Kaler",
            "isi_pengaduan": "Pak Budi Santoso meminta biaya",
            "kategori": PROFILE.categories[0].key,
            "hasil_tindak_lanjut": answer,
            "tanggal_diterima": T("2026-01-05 08:30"),
        }
        record.update(dict(zip(stage_keys, dates, strict=True)))
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for key in ["tanggal_diterima", *stage_keys]:
        frame[key] = pd.to_datetime(frame[key])
    return frame


COMPLAINTS = _complaints()


def test_right_pair_shows_stage_and_dates():
    result = lookup_complaint(COMPLAINTS, PROFILE, "CBD/2026/01/0001", "1111")
    assert result is not None
    assert result.stage_key == "tindak_lanjut"
    assert result.stage_label == PROFILE.stage("tindak_lanjut").label
    done = {s.key: s.done_at for s in result.steps}
    assert done["diterima"] == T("2026-01-05 08:30")
    assert done["disposisi"] == T("2026-01-07 10:00")
    assert done["jawaban"] is None
    assert result.kategori == PROFILE.categories[0].label


def test_steps_the_office_went_past_are_skipped_not_pending():
    skipping = COMPLAINTS.iloc[[1]].assign(
        tanggal_verifikasi=pd.NaT, tanggal_disposisi=pd.NaT, tanggal_selesai=pd.NaT
    )
    result = lookup_complaint(skipping, PROFILE, "CBD/2026/01/0002", "2222")
    skipped = {s.key: s.skipped for s in result.steps}
    assert skipped == {
        "diterima": False,
        "verifikasi": True,
        "disposisi": True,
        "tindak_lanjut": False,
        "jawaban": False,
        "selesai": False,
    }  # selesai: not reached yet, so pending
    assert not any(s.skipped for s in lookup_complaint(COMPLAINTS, PROFILE, "CBD/2026/01/0001", "1111").steps)


def test_answer_only_once_answer_stage_is_done():
    open_one = lookup_complaint(COMPLAINTS, PROFILE, "CBD/2026/01/0001", "1111")
    assert open_one.answer is None, "an unpublished draft answer is not shown"
    answered = lookup_complaint(COMPLAINTS, PROFILE, "CBD/2026/01/0002", "2222")
    assert answered.answer == "Jalan sudah diperbaiki."
    assert answered.settled and answered.stage_key == "selesai"


@pytest.mark.parametrize(
    ("nomor", "last4"),
    [
        ("CBD/2026/01/0001", "2222"),  # wrong digits for an existing Nomor
        ("CBD/2026/01/9999", "1111"),  # unknown Nomor
        ("CBD/2026/01/0003", "0000"),  # anonymous complaint without a phone
        ("SKM/2026/01/0001", "0-12"),  # malformed digits
        ("SKM/2026/01/0001", "8121"),  # phone too short to be usable
        ("", "1111"),
        ("CBD/2026/01/0001", ""),
        ("CBD/2026/01/0001", "11111"),
    ],
)
def test_wrong_pair_reveals_nothing(nomor, last4):
    assert lookup_complaint(COMPLAINTS, PROFILE, nomor, last4) is None


def test_nomor_ignores_case_and_spaces():
    assert lookup_complaint(COMPLAINTS, PROFILE, "  cbd / 2026/01/ 0001 ", " 1111 ") is not None
    assert normalise_nomor(" cbd/2026 /01/0001") == "CBD/2026/01/0001"


def test_duplicate_nomor_phone_decides():
    assert lookup_complaint(COMPLAINTS, PROFILE, "SKM/2026/01/0002", "3333").stage_key == "verifikasi"
    assert lookup_complaint(COMPLAINTS, PROFILE, "SKM/2026/01/0002", "4444").stage_key == "diterima"


def test_result_carries_no_personal_data():
    result = lookup_complaint(COMPLAINTS, PROFILE, "CBD/2026/01/0002", "2222")
    text = repr(dataclasses.asdict(result))
    for personal in ("Siti", "Rahayu", "Dusun", "081298762222", "2222", "Budi"):
        assert personal not in text


def test_phone_digits():
    assert phone_digits("+62 812-3456-7890") == "081234567890"
    assert phone_digits(pd.NA) == ""
    assert valid_last4(" 7890") == "7890"
    assert valid_last4("７８９０") is None  # full-width digits are not accepted


def test_throttle_slows_after_free_tries():
    policy = ThrottlePolicy(free_tries=3, base_seconds=10, max_seconds=40)
    state, now = ThrottleState(), 1000.0
    for _ in range(3):
        state = after_failure(state, now, policy)
        assert wait_seconds(state, now) == 0
    waits = []
    for _ in range(4):
        state = after_failure(state, now, policy)
        waits.append(wait_seconds(state, now))
        now += waits[-1]
    assert waits == [10, 20, 40, 40]
    assert wait_seconds(state, now) == 0


@given(st.lists(st.floats(min_value=0, max_value=1000), max_size=30))
def test_throttle_wait_never_negative_nor_above_max(gaps):
    policy = ThrottlePolicy(free_tries=2, base_seconds=5, max_seconds=60)
    state, now = ThrottleState(), 0.0
    for gap in gaps:
        now += gap
        state = after_failure(state, now, policy)
        assert 0 <= wait_seconds(state, now) <= 60 + 1e-6


# ---- Menunggu kelengkapan --------------------------------------------------------------------


def test_lookup_says_since_when_the_file_is_awaited_and_nothing_personal():
    waiting = COMPLAINTS.iloc[[0]].assign(mulai_menunggu_kelengkapan=T("2026-01-10 09:00"))
    result = lookup_complaint(waiting, PROFILE, "CBD/2026/01/0001", "1111", now=T("2026-01-20 10:00"))
    assert result.waiting_since == T("2026-01-10 09:00")
    shown = " ".join(str(v) for v in dataclasses.asdict(result).values())
    for personal in ("Siti", "Dusun Kaler", "Budi", "0812"):
        assert personal not in shown
    # resumed, not begun yet at now, or settled: not waiting
    resumed = waiting.assign(berkas_lengkap_pada=T("2026-01-15 09:00"))
    assert (
        lookup_complaint(resumed, PROFILE, "CBD/2026/01/0001", "1111", now=T("2026-01-20")).waiting_since
        is None
    )
    assert (
        lookup_complaint(waiting, PROFILE, "CBD/2026/01/0001", "1111", now=T("2026-01-09")).waiting_since
        is None
    )
    settled = COMPLAINTS.iloc[[1]].assign(mulai_menunggu_kelengkapan=T("2026-01-11 09:00"))
    assert (
        lookup_complaint(settled, PROFILE, "CBD/2026/01/0002", "2222", now=T("2026-01-20")).waiting_since
        is None
    )
    # a register without the pause columns: never waiting
    assert lookup_complaint(COMPLAINTS, PROFILE, "CBD/2026/01/0001", "1111").waiting_since is None


def test_a_marked_record_is_said_plainly_without_personal_data():
    """Issue 13.1: Lacak on a Duplikat/Batal Nomor (right pair only) says so; a duplicate points
    to its original Nomor, a cancellation gives no reason (it may name people)."""

    voided = pd.DataFrame(
        {
            "nomor": ["CBD/2026/11/0022", "CBD/2026/11/0023"],
            "no_hp": ["081234567890", "081299990000"],
            "status_catatan": ["Duplikat", "Batal"],
            "keterangan_status": ["CBD/2026/11/0021", "Pelapor Budi salah sambung"],
        }
    )
    dup = lookup_voided(voided, "cbd/2026/11/0022", "7890")
    assert dup is not None and dup.mark == "Duplikat" and dup.original == "CBD/2026/11/0021"
    cancelled = lookup_voided(voided, "CBD/2026/11/0023", "0000")
    assert cancelled is not None and cancelled.mark == "Batal" and cancelled.original == ""
    assert "Budi" not in repr(cancelled)
    assert lookup_voided(voided, "CBD/2026/11/0022", "0000") is None  # wrong pair: nothing
    assert lookup_voided(None, "CBD/2026/11/0022", "7890") is None


def test_an_ended_pause_says_from_when_until_when_and_nothing_personal():
    """A pause whose file became complete stays in the timeline: its start and its end, only."""
    resumed = COMPLAINTS.iloc[[0]].assign(
        mulai_menunggu_kelengkapan=T("2026-01-06 11:00"), berkas_lengkap_pada=T("2026-01-07 08:30")
    )
    result = lookup_complaint(resumed, PROFILE, "CBD/2026/01/0001", "1111", now=T("2026-01-20 10:00"))
    assert (result.waited_from, result.waited_until) == (T("2026-01-06 11:00"), T("2026-01-07 08:30"))
    assert result.waiting_since is None
    shown = " ".join(str(v) for v in dataclasses.asdict(result).values())
    for personal in ("Siti", "Dusun Kaler", "Budi", "0812"):
        assert personal not in shown
    # a settled complaint keeps its ended pause in its history
    settled = COMPLAINTS.iloc[[1]].assign(
        mulai_menunggu_kelengkapan=T("2026-01-06 11:00"), berkas_lengkap_pada=T("2026-01-07 08:30")
    )
    found = lookup_complaint(settled, PROFILE, "CBD/2026/01/0002", "2222", now=T("2026-01-20"))
    assert found.settled and found.waited_until == T("2026-01-07 08:30")
    # still open (no end yet, or the end typed is after now): no ended pause, the open one instead
    for still_open, now in (
        (resumed.assign(berkas_lengkap_pada=pd.NaT), "2026-01-20"),
        (resumed, "2026-01-07"),
    ):
        later = lookup_complaint(still_open, PROFILE, "CBD/2026/01/0001", "1111", now=T(now))
        assert (later.waited_from, later.waited_until) == (None, None)
        assert later.waiting_since == T("2026-01-06 11:00")
    # a pause that cannot count (it ends before it begins) is no ended pause either
    backwards = resumed.assign(berkas_lengkap_pada=T("2026-01-05 08:00"))
    assert (
        lookup_complaint(backwards, PROFILE, "CBD/2026/01/0001", "1111", now=T("2026-01-20")).waited_from
        is None
    )
    assert lookup_complaint(COMPLAINTS, PROFILE, "CBD/2026/01/0001", "1111").waited_from is None


def test_a_pair_in_several_desas_names_them_and_each_desa_finds_its_own():
    """A synced kabupaten: desas number their own registers, so one Nomor + last 4 may match in
    two desas; the lookup then needs the desa (the names, sorted, are all it tells)."""
    settled = COMPLAINTS.iloc[[1]]
    other = settled.assign(desa="Sukamulya", hasil_tindak_lanjut="Jawaban Sukamulya")
    both = pd.concat([settled, other], ignore_index=True)
    assert matching_desas(both, "CBD/2026/01/0002", "2222") == ["Cibodas", "Sukamulya"]
    assert matching_desas(both, "CBD/2026/01/0002", "9999") == []
    assert matching_desas(COMPLAINTS, "CBD/2026/01/0002", "2222") == ["Cibodas"]
    mine = lookup_complaint(both, PROFILE, "CBD/2026/01/0002", "2222", desa="sukamulya")
    assert mine is not None and mine.desa == "Sukamulya" and mine.answer == "Jawaban Sukamulya"
    assert lookup_complaint(both, PROFILE, "CBD/2026/01/0002", "2222", desa="Cibodas").desa == "Cibodas"
    assert lookup_complaint(both, PROFILE, "CBD/2026/01/0002", "2222", desa="Mekar") is None
