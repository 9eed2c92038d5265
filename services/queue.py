"""Antrean saya (issue 13.5): the petugas's open complaints by next due time, and one
complaint's due time per stage. Stages, due times and states come from the one stage model
(``metrics.sla``); nothing is re-derived here. Records marked Duplikat/Batal are not in
``Register.complaints`` (``metrics.record_status``), so never in the queue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from metrics.profiles import Profile
from metrics.sla import stage_table
from metrics.workcalendar import WorkCalendar
from services.access import Viewer

QUEUE_COLUMNS = (
    "nomor",
    "desa",
    "tahap",
    "jatuh_tempo",
    "status",
    "sisa",  # Timedelta until the due time (negative: late by)
    "jam_kerja",  # office hours until the due time (negative: office hours late)
    "pejabat",
    "perihal",
    "menunggu_sejak",  # start of the open pause (Menunggu kelengkapan; NaT when the clock runs)
)
SUBJECT_CHARS = 80


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).split())


def subject(category: object, text: object, width: int = SUBJECT_CHARS) -> str:
    """``"Infrastruktur · Jalan desa di RT 02 berlubang…"``: category and the start of the text."""
    body = _text(text)
    if len(body) > width:
        body = body[: width - 1].rstrip() + "…"
    return " · ".join(part for part in (_text(category), body) if part)


def petugas_queue(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    calendar: WorkCalendar,
    viewer: Viewer,
    now: pd.Timestamp,
) -> pd.DataFrame:
    """Open complaints the viewer may update (their desa(s); all for admin), nearest next due time
    first (none last). ``flags`` is ``metrics.sla.sla_status`` aligned with ``complaints``.
    A complaint waiting for its file (``status`` ``menunggu_kelengkapan``, the stage model's open
    pause) has no countdown: ``sisa`` NaT, ``jam_kerja`` NaN, ``menunggu_sejak`` the pause's start.
    Columns ``QUEUE_COLUMNS``."""
    if complaints.empty:
        return pd.DataFrame(columns=list(QUEUE_COLUMNS))
    writable = complaints["desa"].astype("string").fillna("").map(viewer.can_write).astype(bool)
    chosen = writable & ~flags["selesai"].astype(bool) & complaints["nomor"].notna()
    rows, own = complaints[chosen], flags[chosen]
    due = pd.to_datetime(own["jatuh_tempo_berikut"])
    moment = pd.Series(pd.Timestamp(now), index=rows.index, dtype="datetime64[ns]")
    waiting = (own["status"].astype("string") == "menunggu_kelengkapan").fillna(False).to_numpy(dtype=bool)
    since = pd.to_datetime(own.get("menunggu_sejak", pd.Series(pd.NaT, index=own.index)))
    late = due < moment
    ahead = calendar.elapsed_minutes(moment, due).to_numpy(dtype=float) / 60.0
    behind = calendar.elapsed_minutes(due, moment).to_numpy(dtype=float) / 60.0
    labels = {stage.key: stage.label for stage in profile.stages}
    actors = {stage.key: stage.actor for stage in profile.stages}
    categories = {term.key: term.label for term in profile.categories}
    current = own["tahap_sekarang"].astype("string")
    assigned = rows["disposisi_kepada"].map(_text) if "disposisi_kepada" in rows else ""
    out = pd.DataFrame(
        {
            "nomor": rows["nomor"].astype("string"),
            "desa": rows["desa"].astype("string"),
            "tahap": current.map(labels).fillna("").astype("string"),
            "jatuh_tempo": due,
            "status": own["status"].astype("string"),
            "sisa": (due - moment).mask(waiting),
            "jam_kerja": np.where(waiting, np.nan, np.where(late.to_numpy(), -behind, ahead)),
            "pejabat": [
                person or actors.get(str(key), "")
                for person, key in zip(assigned, current.fillna(""), strict=True)
            ],
            "perihal": [
                subject(categories.get(_text(c), c), i)
                for c, i in zip(
                    rows.get("kategori", pd.Series("", index=rows.index)), rows["isi_pengaduan"], strict=True
                )
            ],
            "menunggu_sejak": since.where(waiting),
        },
        index=rows.index,
    )
    return out.sort_values(["jatuh_tempo", "nomor"], na_position="last", kind="stable").reset_index(drop=True)


def complaint_due_times(
    complaint: Mapping[str, Any], profile: Profile, calendar: WorkCalendar, now: pd.Timestamp
) -> pd.DataFrame:
    """One complaint's stages, then overall deadlines, each with its date done and its due time
    (``metrics.sla.StageTable.long``: ``jenis``, ``label``, ``standar``, ``selesai``, ``jatuh_tempo``,
    ``status``)."""
    keys = {stage.column_key for stage in profile.stages} | {"tanggal_diterima"}
    row = {key: [complaint.get(key)] for key in keys}
    frame = pd.DataFrame(
        {key: pd.to_datetime(pd.Series(v, dtype=object), errors="coerce") for key, v in row.items()}
    )
    table = stage_table(frame, profile, calendar, now)
    return table.long([0])[["jenis", "label", "standar", "selesai", "jatuh_tempo", "status"]]
