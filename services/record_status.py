"""Marking a record *Duplikat* or *Batal*, removing the mark (admin only), and the likely
duplicates of a complaint about to be saved (issue 13.1; rules in ``metrics.record_status``).

A mark is an ordinary update through ``services.complaints.apply_update``: access re-checked,
audited in Riwayat like any change, exactly once by submission id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from data_sources.base import RegisterSource, UpdateResult
from metrics.complaint_updates import RowSnapshot, StageUpdate, current_stage
from metrics.errors import PantauError
from metrics.profiles import Profile
from metrics.record_status import (
    DEFAULT_DAYS,
    DUPLIKAT,
    likely_duplicates,
    mark_problems,
    record_mark,
)
from metrics.register import Register
from services.access import NotAllowed, Viewer, ensure_can_write
from services.complaints import apply_update

__all__ = ["duplicates_of_new", "mark_record", "unmark_record"]


def _voided(register: Register) -> pd.DataFrame:
    return register.voided if register.voided is not None else register.complaints.iloc[0:0]


def mark_record(
    source: RegisterSource,
    register: Register,
    snapshot: RowSnapshot,
    mark: str,
    note: str,
    profile: Profile,
    viewer: Viewer,
    now: dt.datetime,
    *,
    submission_id: str,
) -> UpdateResult:
    """Mark the complaint ``mark`` (``Duplikat``: ``note`` = the original's Nomor, which must be a
    counted complaint; ``Batal``: ``note`` = the reason). Raises NotAllowed or PantauError."""
    ensure_can_write(viewer, str(snapshot.complaint.get("desa") or ""))
    problems = mark_problems(snapshot.complaint, mark, note, register.complaints, _voided(register))
    if problems:
        raise PantauError("Tanda belum dapat disimpan:", problems=problems)
    text = str(note or "").strip()
    if mark == DUPLIKAT:  # the original's Nomor as the register writes it
        wanted = "".join(text.split()).upper()
        same = register.complaints["nomor"].astype("string").fillna("").str.replace(r"\s+", "", regex=True)
        found = register.complaints.loc[same.str.upper() == wanted, "nomor"]
        text = str(found.iloc[0]) if not found.empty else text
    update = StageUpdate(
        stage=current_stage(snapshot.complaint, profile).key, status_catatan=mark, keterangan_status=text
    )
    return apply_update(source, snapshot, update, profile, viewer, now, submission_id=submission_id)


def unmark_record(
    source: RegisterSource,
    snapshot: RowSnapshot,
    profile: Profile,
    viewer: Viewer,
    now: dt.datetime,
    *,
    submission_id: str,
) -> UpdateResult:
    """Remove a Duplikat/Batal mark (admin only): the complaint counts again."""
    if viewer.role != "admin":
        raise NotAllowed("Hanya admin yang dapat membatalkan tanda Duplikat/Batal.")
    if record_mark(snapshot.complaint.get("status_catatan")) is None:
        raise PantauError(f"Pengaduan {snapshot.nomor} tidak bertanda Duplikat/Batal.")
    update = StageUpdate(stage=current_stage(snapshot.complaint, profile).key, status_catatan="")
    return apply_update(source, snapshot, update, profile, viewer, now, submission_id=submission_id)


def duplicates_of_new(
    register: Register,
    fields: Mapping[str, Any],
    now: dt.datetime | pd.Timestamp,
    days: int = DEFAULT_DAYS,
) -> pd.DataFrame:
    """Counted complaints a new complaint (``fields`` as ``record_complaint`` takes them) likely
    repeats: same desa and phone, nearly the same text, received in the last ``days`` days."""
    return likely_duplicates(
        register.complaints,
        str(fields.get("desa") or ""),
        fields.get("no_hp"),
        fields.get("isi_pengaduan"),
        now,
        days,
    )
