"""The kabupaten view over the snapshot store: every desa normalised with its own SOP profile.

``load_kabupaten(store, now=...)`` reads the last good grids of every desa (one query), groups the
desas by profile, runs the normal register model (``metrics.register.normalise_register``) and
the deadline flags of that profile on each group, and returns the common milestone frame of
``metrics.kabupaten`` plus each desa's sync status ("data per", failing, stale).
No streamlit here; the app caches the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data_sources.snapshot_store import DesaStatus, SnapshotStore
from metrics.kabupaten import FRAME_COLUMNS, milestone_frame
from metrics.profiles import Profile, find_profile
from metrics.register import SheetGrid, locate_header, normalise_register, stage_column_aliases
from metrics.sla import complaint_flags
from metrics.workcalendar import build_calendar

__all__ = [
    "KabupatenData",
    "chunks",
    "combine",
    "desa_health",
    "frame_from_grids",
    "load_chunk",
    "load_kabupaten",
]


@dataclass(frozen=True)
class KabupatenData:
    frame: pd.DataFrame  # metrics.kabupaten.FRAME_COLUMNS, one row per complaint
    statuses: tuple[DesaStatus, ...]
    problems: tuple[str, ...] = ()  # desas whose profile could not be loaded


def _calendar(profile: Profile):
    return build_calendar(
        office_hours=profile.calendar.office_hours,
        extra_holidays=profile.calendar.extra_holidays,
        timezone=profile.timezone,
    )


def frame_from_grids(
    desas: Iterable[tuple[DesaStatus, SheetGrid]], now: pd.Timestamp, profile_dirs: Iterable[Path] = ()
) -> tuple[pd.DataFrame, list[str]]:
    """Normalise each profile's desas together; the common milestone frame of all of them."""
    by_profile: dict[str, list[tuple[DesaStatus, SheetGrid]]] = {}
    for status, grid in desas:
        by_profile.setdefault(status.profile, []).append((status, grid))
    parts: list[pd.DataFrame] = []
    problems: list[str] = []
    dirs = tuple(profile_dirs)
    for profile_id, group in sorted(by_profile.items()):
        try:
            profile = find_profile(profile_id, dirs)
        except Exception as error:  # PantauError: a broken or missing profile file
            problems.append(f"Profil '{profile_id}' ({', '.join(s.desa for s, _ in group)}): {error}")
            continue
        complaints = _normalised(group, profile)
        flags = complaint_flags(complaints, profile, _calendar(profile), now)
        places = {status.desa_key: (status.kecamatan, status.desa) for status, _grid in group}
        parts.append(milestone_frame(complaints, flags, profile, places))
    return combine(parts), problems


def combine(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Frames of several profiles / chunks as one; places as categories (grouping and filtering by
    place stay fast at province scale)."""
    parts = [
        f.astype({"kecamatan": "string", "desa": "string", "profil": "string"}) for f in frames if len(f)
    ]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in FRAME_COLUMNS})
    frame = pd.concat(parts, ignore_index=True)
    return frame.astype({"kecamatan": "category", "desa": "category", "profil": "category"})


def chunks(statuses: Iterable[DesaStatus], size: int = 25) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
    """The synced desas in groups of one profile and at most ``size`` desas, each desa with its last
    good sync time: a group's identity changes only when one of its desas was synced again, so
    the app recomputes (and caches) per group — one edited desa costs one group, not the kabupaten."""
    by_profile: dict[str, list[tuple[str, float]]] = {}
    for s in statuses:
        if s.last_good_at is not None:
            by_profile.setdefault(s.profile, []).append((s.desa_key, float(s.last_good_at)))
    out = []
    for profile_id, desas in sorted(by_profile.items()):
        desas.sort()
        for start in range(0, len(desas), size):
            out.append((profile_id, tuple(desas[start : start + size])))
    return out


def load_chunk(
    store: SnapshotStore, keys: Iterable[str], *, now: pd.Timestamp, profile_dirs: Iterable[Path] = ()
) -> tuple[pd.DataFrame, list[str]]:
    """The milestone frame of some desas (one of :func:`chunks`), judged at ``now``."""
    wanted = set(keys)
    statuses = {s.desa_key: s for s in store.statuses() if s.desa_key in wanted}
    grids = store.grids(wanted)
    return frame_from_grids(((statuses[k], g) for k, g in grids.items()), now, profile_dirs)


def _normalised(group: list[tuple[DesaStatus, SheetGrid]], profile: Profile) -> pd.DataFrame:
    """The group's complaints with ``_sheet`` = desa key. Desas whose header row is the same (the
    usual case: the profile's template) are stacked into ONE grid before normalising — the
    register model's cost is mostly per sheet — and split again by row number."""
    extra = stage_column_aliases(profile)
    stacks: dict[tuple[str, ...], list[tuple[str, list[Any]]]] = {}
    alone: list[SheetGrid] = []
    for status, grid in group:
        values = [list(r) for r in grid.values]
        at = locate_header(values, extra)
        if at is None:
            alone.append(SheetGrid(status.desa_key, values, grid.url))
            continue
        header = tuple(str(c).strip() for c in values[at])
        stacks.setdefault(header, []).append((status.desa_key, values[at + 1 :]))
    grids: list[SheetGrid] = list(alone)
    owners: dict[str, tuple[np.ndarray, list[str]]] = {}
    for number, (header, parts) in enumerate(stacks.items()):
        name = f"#{profile.id}#{number}"
        rows: list[list[Any]] = [list(header)]
        starts, keys = [], []
        for key, data in parts:
            starts.append(len(rows) + 1)  # 1-based sheet row of the desa's first data row
            keys.append(key)
            rows.extend(data)
        grids.append(SheetGrid(name, rows))
        owners[name] = (np.asarray(starts), keys)
    complaints = normalise_register(grids, profile).complaints
    sheet = complaints["_sheet"].astype(str).to_numpy().copy()
    row = complaints["_row"].to_numpy()
    for name, (first_rows, desa_keys) in owners.items():
        mine = sheet == name
        if mine.any():
            position = np.searchsorted(first_rows, row[mine], side="right") - 1
            sheet[mine] = np.asarray(desa_keys, dtype=object)[position]
    return complaints.assign(_sheet=sheet)


def load_kabupaten(
    store: SnapshotStore, *, now: pd.Timestamp, profile_dirs: Iterable[Path] = ()
) -> KabupatenData:
    statuses = {s.desa_key: s for s in store.statuses()}
    grids = store.grids()
    frame, problems = frame_from_grids(((statuses[k], g) for k, g in grids.items()), now, profile_dirs)
    return KabupatenData(frame, tuple(statuses.values()), tuple(problems))


def desa_health(statuses: Iterable[DesaStatus], now: float, stale_after_seconds: float) -> pd.DataFrame:
    """Per desa: kecamatan, desa, profile, data per (last good sync), failing error, stale flag."""
    rows = [
        {
            "kecamatan": s.kecamatan,
            "desa": s.desa,
            "profil": s.profile,
            "data_per": pd.Timestamp(s.last_good_at, unit="s") if s.last_good_at is not None else pd.NaT,
            "gagal": s.last_error,
            "usang": s.stale(now, stale_after_seconds),
            "menunggu": s.dirty,
        }
        for s in statuses
    ]
    return pd.DataFrame(
        rows, columns=["kecamatan", "desa", "profil", "data_per", "gagal", "usang", "menunggu"]
    )
