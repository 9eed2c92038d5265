"""The kabupaten view over the snapshot store: every desa normalised with its own SOP profile.

``load_kabupaten(store, now=...)`` returns the common milestone frame of ``metrics.kabupaten``
plus each desa's sync status ("data per", failing, stale). The frame's rows of a desa are derived
ONCE per synced grid — by the sync worker when it saves the grid (:func:`desa_derived`, stored with
the grid in the same transaction) — so the app only decodes them (one JSON list per desa) and
moves the overdue flags to ``now`` with ``metrics.kabupaten.as_of``. Desas without current derived
rows (a store synced by an older version, a changed profile file) are derived from their grid as
before (grouped by profile, the register model and that profile's deadline flags) and the result
is saved back, so it is paid once. No streamlit here; the app caches the result.

``load_surveys(store)`` gives each desa's satisfaction survey answers (its ``Survei`` sheet, saved
by the worker with the grid) as ``metrics.ikm.survey_frame``, keyed by (kecamatan, desa), for the
IKM per kecamatan / desa (``metrics.kabupaten.survey_answers``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data_sources.snapshot_store import Derived, DesaStatus, SnapshotStore
from metrics.ikm import SURVEY_HEADER, survey_frame
from metrics.kabupaten import FRAME_COLUMNS, as_of, milestone_frame
from metrics.profiles import Profile, find_profile
from metrics.register import SheetGrid, locate_header, normalise_register, stage_column_aliases
from metrics.sla import complaint_flags
from metrics.workcalendar import WorkCalendar, build_calendar

__all__ = [
    "KabupatenData",
    "chunks",
    "combine",
    "derivation_version",
    "derive_desas",
    "frame_from_derived",
    "desa_health",
    "frame_from_grids",
    "load_chunk",
    "load_kabupaten",
    "load_surveys",
    "refresh_derived",
]


@dataclass(frozen=True)
class KabupatenData:
    frame: pd.DataFrame  # metrics.kabupaten.FRAME_COLUMNS, one row per complaint
    statuses: tuple[DesaStatus, ...]
    problems: tuple[str, ...] = ()  # desas whose profile could not be loaded


# Version of the derived milestone rows: raise it when metrics.kabupaten.milestone_frame (or the
# register model / stage model it uses) changes what a row holds, so stored rows are re-derived.
MILESTONE_VERSION = "milestones-2"  # 2: pauses (Menunggu kelengkapan) and Duplikat/Batal records
# A stored row holds the milestone frame's columns after the desa's own (kecamatan, desa, profil).
RECORD_COLUMNS = FRAME_COLUMNS[3:]
_TIMES = ("diterima", "jatuh_tempo")
_BOOLS = ("selesai", "tepat", "terlambat_terbuka")

_calendars: dict[str, WorkCalendar] = {}


def _fingerprint(profile: Profile) -> str:
    """A short hash of the whole profile (stages, deadlines, calendar): an edited profile file
    makes stored figures of its desas outdated."""
    return hashlib.sha1(repr(profile).encode("utf-8")).hexdigest()[:12]


def derivation_version(profile: Profile) -> str:
    return f"{MILESTONE_VERSION}:{profile.id}:{_fingerprint(profile)}"


def _calendar(profile: Profile) -> WorkCalendar:
    """One office calendar per profile (its holidays are built once per process, not per desa)."""
    key = derivation_version(profile)
    if key not in _calendars:
        _calendars[key] = build_calendar(
            office_hours=profile.calendar.office_hours,
            extra_holidays=profile.calendar.extra_holidays,
            timezone=profile.timezone,
        )
    return _calendars[key]


def _columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Milestone rows as JSON-able columns (times as int nanoseconds, missing as None)."""
    out: dict[str, list[Any]] = {}
    for name in RECORD_COLUMNS:
        series = frame[name]
        if name in _TIMES:
            values = pd.to_datetime(series).astype("datetime64[ns]")
            out[name] = [None if pd.isna(v) else int(v.value) for v in values]
        elif name in _BOOLS:
            out[name] = [bool(v) for v in series]
        elif name == "nomor":
            out[name] = [None if pd.isna(v) else str(v) for v in series]
        else:
            out[name] = [None if pd.isna(v) else float(v) for v in series]
    return out


def derive_desas(
    desas: Iterable[tuple[DesaStatus, SheetGrid]],
    profiles: Mapping[str, Profile],
    *,
    now: pd.Timestamp,
    built_at: float,
) -> dict[str, Derived]:
    """Each desa's milestone rows judged at ``now`` with its own profile and that profile's one
    calendar — the desas of one profile normalised together (the register model's cost is mostly
    per call), then split per desa — to be stored with its grid (``SnapshotStore.save_derived``)."""
    by_profile: dict[str, list[tuple[DesaStatus, SheetGrid]]] = {}
    for status, grid in desas:
        if status.profile in profiles:
            by_profile.setdefault(status.profile, []).append((status, grid))
    out: dict[str, Derived] = {}
    for profile_id, group in by_profile.items():
        profile = profiles[profile_id]
        version = derivation_version(profile)
        complaints = _normalised(group, profile)
        flags = complaint_flags(complaints, profile, _calendar(profile), now)
        places = {status.desa_key: (status.kecamatan, status.desa) for status, _grid in group}
        sheet = complaints["_sheet"].astype("string")
        frame = milestone_frame(complaints, flags, profile, places)
        keys = sheet[sheet.isin(list(places))].to_numpy()
        for status, _grid in group:
            out[status.desa_key] = Derived(version, built_at, _columns(frame[keys == status.desa_key]))
    return out


def _float_array(values: list[Any]) -> np.ndarray:
    return np.asarray([np.nan if v is None else v for v in values], dtype="float64")


def _time_array(values: list[Any]) -> pd.DatetimeIndex:
    return pd.to_datetime(pd.array(values, dtype="Int64"), unit="ns")


def frame_from_derived(
    derived: Mapping[str, Derived], statuses: Mapping[str, DesaStatus], now: pd.Timestamp
) -> pd.DataFrame:
    """The common milestone frame of stored derived rows (``FRAME_COLUMNS``), judged at ``now``."""
    keys: list[str] = []
    columns: dict[str, list[Any]] = {name: [] for name in RECORD_COLUMNS}
    for key, figures in derived.items():
        keys.extend([key] * len(figures.columns["nomor"]))
        for name in RECORD_COLUMNS:
            columns[name].extend(figures.columns[name])
    if not keys:
        return combine([])
    key_series = pd.Series(keys, dtype="string")
    frame = pd.DataFrame(
        {
            "kecamatan": key_series.map({k: statuses[k].kecamatan for k in derived}),
            "desa": key_series.map({k: statuses[k].desa for k in derived}),
            "profil": key_series.map({k: statuses[k].profile for k in derived}),
            "nomor": pd.array(columns["nomor"], dtype="string"),
            "diterima": _time_array(columns["diterima"]),
            "hari_jawaban": _float_array(columns["hari_jawaban"]),
            "hari_selesai": _float_array(columns["hari_selesai"]),
            "selesai": np.asarray(columns["selesai"], dtype=bool),
            "tepat": np.asarray(columns["tepat"], dtype=bool),
            "terlambat_terbuka": np.asarray(columns["terlambat_terbuka"], dtype=bool),
            "jatuh_tempo": _time_array(columns["jatuh_tempo"]),
        }
    )
    return as_of(combine([frame]), now)


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


def refresh_derived(
    store: SnapshotStore, *, now: pd.Timestamp, profile_dirs: Iterable[Path] = ()
) -> tuple[dict[str, Derived], dict[str, DesaStatus], list[str]]:
    """Every synced desa's current derived rows: the stored ones where their version (derivation
    and profile) is current, the rest derived from their grids now and saved to the store (only
    onto the grid they were made from). Returns (derived per desa, statuses, profile problems).
    The sync worker calls this after each pass; a reader calls it for what the worker left."""
    dirs = tuple(profile_dirs)
    statuses = {s.desa_key: s for s in store.statuses()}
    stored = store.derived()
    profiles: dict[str, Profile] = {}
    problems: list[str] = []
    for profile_id in sorted({s.profile for s in statuses.values()}):
        try:
            profiles[profile_id] = find_profile(profile_id, dirs)
        except Exception as error:  # PantauError: a broken or missing profile file
            names = ", ".join(s.desa for s in statuses.values() if s.profile == profile_id)
            problems.append(f"Profil '{profile_id}' ({names}): {error}")
    versions = {profile_id: derivation_version(profile) for profile_id, profile in profiles.items()}
    current: dict[str, Derived] = {}
    todo: list[str] = []
    for key, status in statuses.items():
        if status.last_good_at is None or status.profile not in profiles:
            continue
        figures = stored.get(key)
        if figures is not None and figures.version == versions[status.profile]:
            current[key] = figures
        else:
            todo.append(key)
    if todo:
        grids = store.grids(todo)
        made = derive_desas(
            ((statuses[k], g) for k, g in grids.items()), profiles, now=now, built_at=now.timestamp()
        )
        for key, figures in made.items():
            store.save_derived(key, figures, grid_at=float(statuses[key].last_good_at or 0))
            current[key] = figures
    return current, statuses, problems


def load_kabupaten(
    store: SnapshotStore, *, now: pd.Timestamp, profile_dirs: Iterable[Path] = ()
) -> KabupatenData:
    """The common milestone frame of every synced desa judged at ``now`` (see :func:`refresh_derived`)."""
    current, statuses, problems = refresh_derived(store, now=now, profile_dirs=profile_dirs)
    return KabupatenData(
        frame_from_derived(current, statuses, now), tuple(statuses.values()), tuple(problems)
    )


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


def load_surveys(
    store: SnapshotStore, statuses: Iterable[DesaStatus] | None = None
) -> tuple[dict[tuple[str, str], pd.DataFrame], list[str]]:
    """(kecamatan, desa) -> the desa's survey answers (``metrics.ikm.survey_frame``) for every desa
    whose Survei sheet is stored, and one line per desa whose Survei sheet is malformed (named by
    the worker; its well-formed answers still count). All desas' sheets go through ONE
    ``survey_frame`` call (its date parsing costs mostly per call: 300 calls took seconds): each
    sheet's columns are put in ``SURVEY_HEADER`` order and its Nomor prefixed with the desa's
    number, so the first answer of a Nomor counts within its own desa only."""
    known = {s.desa_key: s for s in (store.statuses() if statuses is None else statuses)}
    places: list[tuple[str, str]] = []
    rows: list[list[str]] = [list(SURVEY_HEADER)]
    for key, cells in sorted(store.surveys().items()):
        status = known.get(key)
        if status is None or not cells:
            continue
        header = [str(c).strip().lower() for c in cells[0]]
        where = [header.index(title.lower()) if title.lower() in header else None for title in SURVEY_HEADER]
        if where[0] is None or where[2] is None:
            continue  # no Nomor / Nilai column: named by the worker, no answer counts
        number = len(places)
        places.append((status.kecamatan, status.desa))
        for row in cells[1:]:
            out = ["" if at is None or at >= len(row) else str(row[at]) for at in where]
            if out[0].strip():
                rows.append([f"{number}#{out[0].strip()}", *out[1:]])
    combined = survey_frame(rows)
    found: dict[tuple[str, str], pd.DataFrame] = {}
    if not combined.empty:
        parts = combined["nomor"].str.split("#", n=1)
        combined = combined.assign(nomor=parts.str[1].astype(combined["nomor"].dtype))
        for number, frame in combined.groupby(parts.str[0].astype(int), sort=True):
            found[places[int(number)]] = frame.reset_index(drop=True)
    problems = [s.survey_error for s in known.values() if s.survey_error]
    return found, problems
