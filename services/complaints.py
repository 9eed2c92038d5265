"""Recording a new complaint and applying an update: the two writes of Pantau Aduan.

Both re-check the viewer's right to write for the complaint's desa, validate again, and write
through the register source (``append_row`` / ``update_row`` with audit rows). Each write carries
the form's ``submission_id`` (one uuid4 hex per form instance, kept until that submission
succeeded) so that a double click, a rerun or a retry is recognised by the source as a replay.
"""

from __future__ import annotations

import datetime as dt
import inspect
import uuid
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from data_sources.base import AppendResult, RegisterSource, UpdateResult
from metrics.columns import column_key
from metrics.complaint_updates import (
    RowSnapshot,
    StageUpdate,
    audit_rows,
    clean_input,
    desa_code,
    new_complaint_cells,
    new_complaint_problems,
    next_nomor,
    nomor_key,
    nomor_locations,
    row_snapshot,
    update_cells,
    update_problems,
)
from metrics.errors import PantauError
from metrics.profiles import Profile, register_header
from metrics.register import Register, normalise_register
from metrics.text import Text
from services.access import NotAllowed, Viewer, ensure_can_write
from services.store_source import StoreBackedSource

__all__ = [
    "NotAllowed",
    "NothingChanged",
    "apply_update",
    "new_submission_id",
    "open_choices",
    "read_snapshot",
    "nomor_desas",
    "record_complaint",
    "target_sheet",
    "writable_desas",
]

# Cells every update writes (who and when): an update changing nothing else changes nothing.
BOOKKEEPING = ("diperbarui_oleh", "diperbarui_pada")


class NothingChanged(PantauError):
    """The update would change no cell of the complaint: nothing was written."""


def new_submission_id() -> str:
    """A fresh id for one form instance (kept by the form until its submission succeeded)."""
    return uuid.uuid4().hex


def accepts_submission_id(method: Callable[..., Any]) -> bool:
    """Whether a source's write method takes the ``submission_id`` keyword (CONTRACTS.md 1).

    Transitional: sources gain the keyword on another branch; until then it is not passed to a
    source that would refuse it. Delete this adapter once every source takes it."""
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "submission_id" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def _submission(method: Callable[..., Any], submission_id: str) -> dict[str, str]:
    return {"submission_id": submission_id} if accepts_submission_id(method) else {}


def _loaded_header(method: Callable[..., Any], header_row: tuple[str, ...]) -> dict[str, Any]:
    """The header row as loaded, for sources that refuse a header renamed since (Google Sheets)."""
    accepted = "loaded_header" in inspect.signature(method).parameters
    return {"loaded_header": header_row} if accepted and header_row else {}


def audit_time(profile: Profile, now: dt.datetime | None = None) -> dt.datetime:
    """The audit's Waktu: ``now`` (default the real clock) in the profile's time zone, to the second."""
    zone = zoneinfo.ZoneInfo(profile.timezone)
    moment = now.astimezone(zone) if now is not None and now.tzinfo else now
    if moment is None:
        moment = dt.datetime.now(zone)
    return moment.replace(microsecond=0)


def default_headers(profile: Profile) -> dict[str, str]:
    """Canonical key -> template header text, for a column the sheet does not have yet."""
    return {column_key(h): h for h in register_header(profile)}


def target_sheet(register: Register, desa: str) -> str:
    """The worksheet a new complaint of ``desa`` goes to: the sheet holding that desa's
    complaints, else a sheet named like the desa, else the first sheet with a Desa column,
    else the first sheet."""
    sheets = list(register.headers)
    if not sheets:
        raise PantauError(
            Text(
                "Register belum punya sheet dengan baris judul kolom (mis. Nomor, Tanggal Diterima, Isi Pengaduan).",
                "The register has no sheet with a header row yet (e.g. Nomor, Tanggal Diterima, Isi Pengaduan).",
            )
        )
    complaints = register.complaints
    if not complaints.empty and "desa" in complaints:
        of_desa = complaints.loc[complaints["desa"].fillna("") == desa, "_sheet"]
        if not of_desa.empty:
            return str(of_desa.value_counts().index[0])
    for sheet in sheets:
        if column_key(sheet) == column_key(desa):
            return sheet
    for sheet in sheets:
        if register.headers[sheet].get("desa"):
            return sheet
    return sheets[0]


def record_complaint(
    source: RegisterSource,
    register: Register,
    profile: Profile,
    viewer: Viewer,
    fields: Mapping[str, Any],
    now: dt.datetime,
    *,
    submission_id: str,
) -> tuple[AppendResult, dict[str, str]]:
    """Append a new complaint (returns the source's result and the cells by canonical key,
    Nomor included). Raises NotAllowed, PantauError (invalid input, listing every problem) or
    SourceError. The same ``submission_id`` again is a replay: the source returns the original."""
    desa = clean_input(fields.get("desa"))
    ensure_can_write(viewer, desa, new_row=True)
    problems = new_complaint_problems(fields, profile, now)
    if problems:
        raise PantauError(
            Text("Pengaduan belum dapat disimpan:", "The complaint cannot be saved yet:"),
            problems=[m for ms in problems.values() for m in ms],
        )
    routed = source.desa_sheet(desa, profile.id) if isinstance(source, StoreBackedSource) else None
    if isinstance(source, StoreBackedSource) and routed is not None and routed not in register.headers:
        # not read by the worker yet: its own headers and Nomors, from its own sheet (one read)
        register = normalise_register(source.read_desa(routed), profile)
    sheet = routed or target_sheet(register, desa)
    headers = register.headers.get(sheet, {})
    defaults = default_headers(profile)
    cells = new_complaint_cells(fields, profile, viewer.name or viewer.role, now)
    if "desa" in headers and not headers["desa"]:
        cells.pop("desa")  # one worksheet per desa: the sheet names the desa
    key_header = headers.get("nomor") or "Nomor"
    values = {headers.get(key) or defaults.get(key, key): text for key, text in cells.items() if text}
    code = None
    if "{desa" in profile.nomor_format or "{kode_desa" in profile.nomor_format:
        complaints = register.complaints
        nomors = (
            complaints.loc[complaints["desa"].fillna("") == desa, "nomor"].dropna()
            if not complaints.empty
            else []
        )
        code = desa_code(desa, list(nomors))
    stamp = audit_time(profile)

    def make_key(existing: Sequence[str]) -> str:
        return next_nomor(existing, profile, now, code)

    def audit_for(key: str) -> list[list[str]]:
        changes = {key_header: ("", key), **{h: ("", v) for h, v in values.items()}}
        return audit_rows(key, changes, viewer.name or viewer.role, viewer.role, stamp)

    result = source.append_row(
        sheet, key_header, values, make_key, audit_for, **_submission(source.append_row, submission_id)
    )
    return result, {**cells, "nomor": result.key}


def read_snapshot(
    source: RegisterSource,
    nomor: str,
    profile: Profile,
    sheet_hint: str | None = None,
    *,
    per_desa: bool = False,
) -> RowSnapshot:
    """The complaint's row as the source holds it now (identity = Nomor, not row position).

    ``per_desa`` (a synced kabupaten: one worksheet per desa, each numbering its own register):
    a complaint's identity is (desa, Nomor), so with a ``sheet_hint`` only that desa's worksheet
    is read and a Nomor doubled is refused only within it (another desa's equal Nomor is its own
    complaint, neither an error nor named)."""
    grids = source.read()
    if per_desa and sheet_hint is not None:
        grids = [g for g in grids if g.name == sheet_hint]
    ordered = sorted(grids, key=lambda g: g.name != sheet_hint)
    places = [(grid, place) for grid in ordered for place in nomor_locations(grid, nomor, profile)]
    if len(places) > 1:
        raise PantauError(
            Text(
                f"Nomor '{clean_input(nomor)}' tercatat ganda di register ({'; '.join(p for _, p in places)}). "
                "Perbaiki Nomor yang ganda di sheet lalu muat ulang.",
                f"Number '{clean_input(nomor)}' appears twice in the register ({'; '.join(p for _, p in places)}). "
                "Fix the duplicate number in the sheet, then reload.",
            )
        )
    if places:
        snapshot = row_snapshot(places[0][0], nomor, profile)
        if snapshot is not None:
            return snapshot
    raise PantauError(
        Text(
            f"Pengaduan dengan Nomor '{clean_input(nomor)}' tidak ditemukan di register.",
            f"No complaint with number '{clean_input(nomor)}' in the register.",
        )
    )


def apply_update(
    source: RegisterSource,
    snapshot: RowSnapshot,
    update: StageUpdate,
    profile: Profile,
    viewer: Viewer,
    now: dt.datetime,
    *,
    submission_id: str,
) -> UpdateResult:
    """Write an update through ``source.update_row``; the loaded values come from ``snapshot``
    so a change made by someone else since it was read is refused (ConcurrentChange). An update
    that changes no cell writes nothing and raises NothingChanged."""
    desa = str(snapshot.complaint.get("desa") or "")
    if isinstance(source, StoreBackedSource):  # the desa whose spreadsheet holds the row
        desa = source.desa_of_sheet(snapshot.sheet) or desa
    ensure_can_write(viewer, desa)
    if update.status_catatan is not None and not update.status_catatan and viewer.role != "admin":
        raise NotAllowed("Hanya admin yang dapat membatalkan tanda Duplikat/Batal.")
    problems = update_problems(snapshot.complaint, update, profile, now)
    if problems:
        raise PantauError(
            Text("Perubahan belum dapat disimpan:", "The change cannot be saved yet:"),
            problems=[m for ms in problems.values() for m in ms],
        )
    cells = update_cells(snapshot.complaint, update, profile, viewer.name or viewer.role, now)
    if not set(cells) - set(BOOKKEEPING):
        raise NothingChanged(
            Text(
                f"Tidak ada yang berubah pada pengaduan {snapshot.nomor}; tidak ada yang disimpan.",
                f"Nothing changed on complaint {snapshot.nomor}; nothing was saved.",
            )
        )
    defaults = default_headers(profile)
    changes = snapshot.changes(cells, defaults)
    tahap_header = snapshot.header("tahap", defaults["tahap"])
    if tahap_header not in changes:  # also refuse when someone moved the stage meanwhile
        loaded = snapshot.raw.get(tahap_header, "")
        changes[tahap_header] = (loaded, loaded)
    audit = audit_rows(snapshot.nomor, changes, viewer.name or viewer.role, viewer.role, audit_time(profile))
    return source.update_row(
        snapshot.sheet,
        snapshot.header("nomor", "Nomor"),
        snapshot.nomor,
        changes,
        audit,
        **_submission(source.update_row, submission_id),
        **_loaded_header(source.update_row, snapshot.header_row),
    )


def writable_desas(
    viewer: Viewer, complaints: pd.DataFrame, profile: Profile, desa_names: Sequence[str] = ()
) -> list[str]:
    """Desas the viewer may record complaints for: their own, else the configured desas, else
    the register's."""
    if viewer.desa:
        candidates = list(viewer.desa)
    elif desa_names:
        candidates = list(desa_names)
    else:
        candidates = sorted(complaints["desa"].dropna().unique().tolist()) if not complaints.empty else []
        if not candidates and profile.unit == "desa":
            candidates = [profile.unit_name]
    return [d for d in dict.fromkeys(candidates) if viewer.can_write(d)]


def open_choices(complaints: pd.DataFrame, settle_key: str, viewer: Viewer) -> list[str]:
    """Nomor of the open complaints the viewer may update, newest receipt first."""
    if complaints.empty:
        return []
    writable = complaints["desa"].fillna("").map(viewer.can_write).astype(bool)
    still_open = (
        complaints[settle_key].isna() if settle_key in complaints else pd.Series(True, index=complaints.index)
    )
    chosen = complaints[writable & still_open & complaints["nomor"].notna()]
    chosen = chosen.sort_values("tanggal_diterima", ascending=False, na_position="last")
    return list(dict.fromkeys(chosen["nomor"].astype(str)))


def sheet_hint(complaints: pd.DataFrame, nomor: str, desas: Sequence[str] = ()) -> str | None:
    """The worksheet the loaded register holds ``nomor`` in (read first when it is read again);
    with ``desas`` only their complaints count (a petugas's own desas). None when the Nomor is on
    no worksheet or on more than one (which one is meant is not known)."""
    if complaints.empty:
        return None
    rows = complaints.loc[complaints["nomor"].map(nomor_key) == nomor_key(nomor)]
    if desas:
        wanted = {column_key(d) for d in desas}
        rows = rows.loc[rows["desa"].fillna("").astype(str).map(column_key).isin(wanted)]
    sheets = list(dict.fromkeys(rows["_sheet"].astype(str)))
    return sheets[0] if len(sheets) == 1 else None


def nomor_desas(complaints: pd.DataFrame, nomor: str, viewer: Viewer) -> list[str]:
    """The desas the viewer may update whose loaded complaints hold ``nomor`` (on a synced
    kabupaten each desa numbers its own register, so one Nomor may name several complaints)."""
    if complaints.empty:
        return []
    desas = complaints.loc[complaints["nomor"].map(nomor_key) == nomor_key(nomor), "desa"]
    return sorted({str(d) for d in desas.dropna() if str(d) and viewer.can_write(str(d))})
