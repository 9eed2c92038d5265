"""Menunggu kelengkapan in Perbarui: the problems and cells of starting or ending a complaint's
pause (the clock rules are in ``metrics.sla``; the pause itself is read by ``metrics.stages``).

Rules chosen here (shown in the form):

- **One pause per complaint.** A complaint whose file was already completed once cannot wait
  again (the register has one ``Mulai Menunggu Kelengkapan`` / ``Berkas Lengkap Pada`` pair);
  a second request is refused with the earlier span named. A complaint already waiting cannot
  start waiting again.
- **Start** (``mulai``): not for a settled complaint, not before the receipt, not in the future.
- **Resume** (``lengkap``): needs a pause start (already recorded or given in the same update),
  not before that start, not in the future, and only once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from metrics.columns import PAUSE_END, PAUSE_START
from metrics.form_input import FIELD_LABELS, FIELD_LABELS_EN, cell_timestamp, cell_value, sheet_datetime
from metrics.profiles import Profile
from metrics.text import Text

__all__ = ["pause_cells", "pause_problems"]


def _stamp(value: Any) -> pd.Timestamp | None:
    return cell_timestamp(cell_value({"v": value}, "v"))


def _text(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%d/%m/%Y %H:%M").replace(" 00:00", "")


def pause_problems(
    complaint: Mapping[str, Any],
    mulai: dt.datetime | None,
    lengkap: dt.datetime | None,
    profile: Profile,
    now: dt.datetime,
) -> dict[str, list[str]]:
    """Problems of starting (``mulai``) and/or ending (``lengkap``) the pause, by field key
    (``mulai_menunggu_kelengkapan`` / ``berkas_lengkap_pada``); each message names its field."""
    problems: dict[str, list[str]] = {}
    start_label, end_label = FIELD_LABELS[PAUSE_START], FIELD_LABELS[PAUSE_END]
    start_en, end_en = FIELD_LABELS_EN[PAUSE_START], FIELD_LABELS_EN[PAUSE_END]

    def add(key: str, message: str, english: str) -> None:
        problems.setdefault(key, []).append(Text(message, english))

    started = _stamp(complaint.get(PAUSE_START))
    resumed = _stamp(complaint.get(PAUSE_END))
    new_start, new_end = _stamp(mulai), _stamp(lengkap)
    moment = pd.Timestamp(now)
    received = _stamp(complaint.get(profile.stages[0].column_key)) if profile.stages else None
    settle = profile.milestone_stage("selesai")
    settled = _stamp(complaint.get(settle.column_key)) if settle is not None else None
    if new_start is not None:
        if started is not None and resumed is not None:
            add(
                PAUSE_START,
                f"{start_label}: pengaduan ini sudah pernah menunggu kelengkapan "
                f"({_text(started)} s.d. {_text(resumed)}); satu pengaduan hanya dapat dijeda sekali.",
                f"{start_en}: this complaint already waited for documents ({_text(started)} to {_text(resumed)}); "
                "a complaint can be paused only once.",
            )
        elif started is not None:
            add(
                PAUSE_START,
                f"{start_label}: pengaduan ini sudah menunggu kelengkapan sejak {_text(started)}.",
                f"{start_en}: this complaint has been waiting for documents since {_text(started)}.",
            )
        elif settled is not None:
            add(
                PAUSE_START,
                f"{start_label}: pengaduan sudah selesai; tidak dapat menunggu kelengkapan lagi.",
                f"{start_en}: the complaint is already settled; it cannot wait for documents any more.",
            )
        elif new_start > moment:
            add(
                PAUSE_START,
                f"{start_label} ({_text(new_start)}) tidak boleh di masa depan.",
                f"{start_en} ({_text(new_start)}) may not be in the future.",
            )
        elif received is not None and new_start < received:
            add(
                PAUSE_START,
                f"{start_label} ({_text(new_start)}) tidak boleh sebelum pengaduan diterima ({_text(received)}).",
                f"{start_en} ({_text(new_start)}) may not be before the complaint was received ({_text(received)}).",
            )
    if new_end is not None:
        begin = new_start if new_start is not None else started
        if resumed is not None:
            add(
                PAUSE_END,
                f"{end_label}: berkas sudah dinyatakan lengkap pada {_text(resumed)}.",
                f"{end_en}: the file was already declared complete on {_text(resumed)}.",
            )
        elif begin is None:
            add(
                PAUSE_END,
                f"{end_label}: pengaduan ini tidak sedang menunggu kelengkapan.",
                f"{end_en}: this complaint is not waiting for documents.",
            )
        elif new_end > moment:
            add(
                PAUSE_END,
                f"{end_label} ({_text(new_end)}) tidak boleh di masa depan.",
                f"{end_en} ({_text(new_end)}) may not be in the future.",
            )
        elif new_end < begin:
            add(
                PAUSE_END,
                f"{end_label} ({_text(new_end)}) tidak boleh sebelum mulai menunggu kelengkapan ({_text(begin)}).",
                f"{end_en} ({_text(new_end)}) may not be before the waiting started ({_text(begin)}).",
            )
    return problems


def pause_cells(mulai: dt.datetime | None, lengkap: dt.datetime | None) -> dict[str, str]:
    """Canonical key -> cell text of a valid pause change (nothing when neither is given)."""
    cells: dict[str, str] = {}
    if _stamp(mulai) is not None:
        cells[PAUSE_START] = sheet_datetime(mulai)
    if _stamp(lengkap) is not None:
        cells[PAUSE_END] = sheet_datetime(lengkap)
    return cells
