"""metrics.stages: the one stage model, on hand-made complaints and against a per-row reading
of its rules (hypothesis), on many rows and on one row."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.profiles import load_profile
from metrics.stages import NAT, stage_model, stage_model_of_dates

UMUM = load_profile("umum")
KEYS = [stage.column_key for stage in UMUM.stages]  # receipt, verifikasi, disposisi, tl, jawaban, selesai


def frame(*rows: tuple) -> pd.DataFrame:
    """Rows of stage dates in SOP order (None = empty)."""
    return pd.DataFrame(
        {key: pd.to_datetime(pd.Series([row[i] for row in rows], dtype=object)) for i, key in enumerate(KEYS)}
    )


def test_shape_and_one_row_frame() -> None:
    complaints = frame(("2026-03-02 09:00", None, None, None, None, None))
    model = stage_model(complaints, UMUM)
    assert len(model) == 1
    assert len(model.stages) == len(UMUM.stages)
    assert [bool(f[0]) for f in model.filled] == [True, False, False, False, False, False]
    assert [bool(o[0]) for o in model.open] == [False, True, False, False, False, False]
    assert [bool(r[0]) for r in model.reached] == [True, True, False, False, False, False]
    assert int(model.current[0]) == 1
    assert int(model.furthest[0]) == 0


def test_skipped_stage_and_start_from_last_filled_earlier_stage() -> None:
    complaints = frame(("2026-03-02 09:00", "2026-03-03 10:00", None, "2026-03-05 08:00", None, None))
    model = stage_model(complaints, UMUM)
    assert [bool(s[0]) for s in model.skipped] == [False, False, True, False, False, False]
    # tindak lanjut starts at verifikasi (disposisi was skipped), jawaban at tindak lanjut
    assert model.start[3][0] == pd.Timestamp("2026-03-03 10:00").value
    assert int(model.start_stage[3][0]) == 1
    assert model.start[4][0] == pd.Timestamp("2026-03-05 08:00").value
    assert [bool(o[0]) for o in model.open] == [False, False, False, False, True, False]
    assert int(model.current[0]) == 4
    assert int(model.furthest[0]) == 3
    assert [int(n[0]) for n in model.next_filled] == [1, 3, 3, -1, -1, -1]


def test_not_received_and_settled_have_no_open_stage() -> None:
    complaints = frame(
        (None, None, None, None, None, None),
        ("2026-03-02", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"),
    )
    model = stage_model(complaints, UMUM)
    assert model.current.tolist() == [-1, -1]
    assert model.furthest.tolist() == [-1, 5]
    assert not any(o.any() for o in model.open)
    assert [bool(r[0]) for r in model.reached] == [False] * 6
    assert [bool(r[1]) for r in model.reached] == [True] * 6


def test_as_of_ignores_dates_not_yet_known() -> None:
    complaints = frame(("2026-03-02 09:00", "2026-03-03 10:00", None, "2026-03-05 08:00", None, None))
    model = stage_model(complaints, UMUM, as_of=pd.Timestamp("2026-03-04"))
    assert [bool(f[0]) for f in model.filled] == [True, True, False, False, False, False]
    assert [bool(s[0]) for s in model.skipped] == [False] * 6  # nothing later known yet
    assert int(model.current[0]) == 2
    assert model.done[3][0] == NAT
    # a date exactly at as_of is not known yet (strictly earlier counts)
    at = stage_model(complaints, UMUM, as_of=pd.Timestamp("2026-03-03 10:00"))
    assert not at.filled[1][0]


def test_missing_column_counts_as_empty_and_input_not_modified() -> None:
    complaints = frame(("2026-03-02 09:00", "2026-03-03 10:00", None, None, None, None)).drop(
        columns=[KEYS[2]]
    )
    before = complaints.copy()
    model = stage_model(complaints, UMUM)
    assert not model.filled[2][0]
    assert model.open[2][0]
    pd.testing.assert_frame_equal(complaints, before)


def test_deadline_open_and_carry_start() -> None:
    complaints = frame(
        ("2026-03-02 09:00", None, "2026-03-04 08:00", None, None, None),
        ("2026-03-02 09:00", None, None, None, "2026-03-09 08:00", None),
    )
    model = stage_model(complaints, UMUM)
    assert model.deadline_open(0, 4).tolist() == [True, False]
    values = [np.array([10 * i, 100 * i]) for i in range(len(KEYS))]
    carried = dict(model.carry_start(values))
    assert carried[3].tolist() == [20, 0]  # disposisi (stage 2) filled in row 0; receipt in row 1
    assert carried[5].tolist() == [20, 400]
    assert model.frame("done").columns.tolist() == [s.key for s in UMUM.stages]
    assert model.position_keys(model.current).tolist()[0] == UMUM.stages[3].key


def _reference(row: list[int | None]) -> dict[str, list]:
    """The module docstring's rules for one complaint, one stage at a time."""
    count = len(row)
    filled = [v is not None for v in row]
    later = [any(filled[i + 1 :]) for i in range(count)]
    skipped = [not filled[i] and later[i] for i in range(count)]
    opened = [i > 0 and not filled[i] and not later[i] and filled[i - 1] for i in range(count)]
    reached = [filled[i] or later[i] or opened[i] for i in range(count)]
    start: list[int | None] = [row[0]]
    for i in range(1, count):
        earlier = [row[j] for j in range(i) if filled[j]]
        start.append(earlier[-1] if earlier else None)
    return {"filled": filled, "skipped": skipped, "open": opened, "reached": reached, "start": start}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=6, max_size=6),
        min_size=1,
        max_size=8,
    ),
    st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_matches_per_row_reading_of_the_rules(rows: list[list[int | None]], cut: int | None) -> None:
    base = pd.Timestamp("2026-01-01").value
    minute = 60 * 10**9
    dates = [np.array([NAT if r[i] is None else base + r[i] * minute for r in rows]) for i in range(6)]
    as_of = None if cut is None else pd.Timestamp(base + cut * minute)
    model = stage_model_of_dates(dates, UMUM.stages, pd.RangeIndex(len(rows)), as_of=as_of)
    for k, row in enumerate(rows):
        known = [None if v is None or (cut is not None and v >= cut) else base + v * minute for v in row]
        expected = _reference(known)
        for name in ("filled", "skipped", "open", "reached"):
            assert [bool(a[k]) for a in getattr(model, name)] == expected[name], name
        assert [None if a[k] == NAT else int(a[k]) for a in model.start] == expected["start"]
        opened = [i for i, o in enumerate(expected["open"]) if o]
        assert int(model.current[k]) == (opened[0] if opened else -1)
