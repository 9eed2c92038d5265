"""The app on a synced kabupaten store: pages read the store, writes go to the sheet and the store.

When ``[sync] registry`` is configured, :func:`store_backed` wraps the app's register source
(``services.register_loading.make_source`` and the app's cached Google source both pass through
it — the ONE place): ``read()`` returns the store's last good grids of the desas on the app's
SOP profile (no Google request per refresh), and after a successful ``append_row`` /
``update_row`` — i.e. after ``services.complaints.record_complaint`` / ``apply_update`` — the
written desa's sheet is read again (one request) and replaced in the store, with its derived
kabupaten figures, in one transaction: the petugas sees the save at once, the kabupaten page too.
Failures of that refresh never undo the write: the desa is marked to be read by the worker.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from data_sources.base import AppendResult, KeyFactory, RegisterSource, SheetGrid, SourceError, UpdateResult
from data_sources.snapshot_store import DesaStatus, SnapshotStore, open_store
from data_sources.survey_store import SurveyAnswer, SurveyResult, SurveyStore, survey_store_for
from metrics.columns import column_key
from metrics.errors import PantauError
from metrics.profiles import find_profile
from metrics.text import Text
from services.desa_sources import DesaSources, desa_sources_for
from services.kabupaten import derive_desas
from services.settings import Settings
from services.sync.config import SyncSettings

__all__ = [
    "StoreBackedSource",
    "all_store_statuses",
    "desa_survey_store",
    "public_desas",
    "public_profiles",
    "store_backed",
    "store_statuses",
    "sync_settings_of",
]

_stores: dict[str, SnapshotStore] = {}


def sync_settings_of(settings: Settings) -> SyncSettings | None:
    """The ``[sync]`` settings when a desa registry is configured, else None."""
    sync = settings.secrets.get("sync") or {}
    if not isinstance(sync, Mapping) or not sync.get("registry"):
        return None
    return SyncSettings.from_secrets({"sync": sync, "pantau": {"profiles_dir": settings.profiles_dir}})


def _store(url: str) -> SnapshotStore:
    if url not in _stores:  # one connection per store and process (SQLite: WAL, many readers)
        _stores[url] = open_store(url)
    return _stores[url]


@dataclass
class StoreBackedSource:
    inner: RegisterSource
    store: SnapshotStore
    profile_id: str
    sync: SyncSettings
    clock: Callable[[], float] = time.time
    desas: DesaSources | None = None  # the desa spreadsheets' own sources (None: write to ``inner``)

    def __post_init__(self) -> None:
        self.kind = self.inner.kind
        self.label = f"{self.inner.label} · penyimpanan sinkronisasi"

    def statuses(self) -> list[DesaStatus]:
        """The store's desas on the app's profile (the ones its pages show)."""
        return [s for s in self.store.statuses() if s.profile == self.profile_id]

    def read(self) -> list[SheetGrid]:
        """The store's last good grids of the desas on the app's profile; before the worker has
        synced any of them, the sheet itself."""
        mine = [s.desa_key for s in self.statuses() if s.last_good_at is not None]
        if not mine:
            return self.inner.read()
        return list(self.store.grids(mine).values())

    def read_audit(self) -> list[list[str]]:
        return self.inner.read_audit()

    def desa_status(self, sheet: str) -> DesaStatus | None:
        """The store's desa whose grid is ``sheet`` (any profile), if exactly one."""
        matches = [s for s in self.store.statuses() if column_key(s.desa) == column_key(sheet)]
        return matches[0] if len(matches) == 1 else None

    def sheet_desas(self) -> dict[str, str]:
        """Grid name -> its registry desa (the store names each desa's grid after it)."""
        return {s.desa: s.desa for s in self.store.statuses()}

    def desa_of_sheet(self, sheet: str) -> str | None:
        """The registry desa whose register ``sheet`` is: the desa of every row in it, whatever
        its Desa cell says (None: no registry desa)."""
        status = self.desa_status(sheet)
        return status.desa if status is not None else None

    def target(self, sheet: str) -> RegisterSource:
        """Where a write to ``sheet`` goes: the desa's own spreadsheet, else ``inner``."""
        status = self.desa_status(sheet)
        if self.desas is None or status is None or not status.spreadsheet_id:
            return self.inner
        return self.desas.source(status)

    def desa_sheet(self, desa: str, profile_id: str) -> str | None:
        """The sheet (the store's grid name) a new complaint of ``desa`` is written to: on a synced
        kabupaten always the registry's desa — its own spreadsheet and worksheet, synced or not
        yet — never the first sheet of whatever was loaded. None when the worker has not listed
        any desa yet (the app's own source decides). Raises PantauError naming the desa when the
        registry does not know it (or knows it twice), or keeps it on another SOP profile."""
        statuses = self.store.statuses()
        if not statuses:
            return None
        matches = [s for s in statuses if column_key(s.desa) == column_key(desa)]
        if len(matches) != 1:
            where = "lebih dari sekali" if matches else "tidak ada"
            where_en = "more than once" if matches else "not"
            raise PantauError(
                Text(
                    f"Desa '{desa}' {where} di daftar desa kabupaten ([sync] registry): pengaduan tidak "
                    "disimpan. Minta admin kabupaten memeriksa daftar desa.",
                    f"Desa '{desa}' is {where_en} in the kabupaten's desa list ([sync] registry): the "
                    "complaint was not saved. Ask the kabupaten admin to check the desa list.",
                )
            )
        status = matches[0]
        if status.profile != profile_id:
            raise PantauError(
                Text(
                    f"Desa '{status.desa}' memakai Profil SOP '{status.profile}', bukan '{profile_id}': "
                    "pengaduan tidak disimpan. Pilih profil desa itu lalu catat lagi.",
                    f"Desa '{status.desa}' uses SOP profile '{status.profile}', not '{profile_id}': the "
                    "complaint was not saved. Choose that desa's profile and record it again.",
                )
            )
        if self.desas is not None and not status.spreadsheet_id:
            raise PantauError(
                Text(
                    f"Desa '{status.desa}' belum punya spreadsheet di daftar desa: pengaduan tidak disimpan.",
                    f"Desa '{status.desa}' has no spreadsheet in the desa list: the complaint was not saved.",
                )
            )
        return status.desa

    def read_desa(self, sheet: str) -> list[SheetGrid]:
        """The grid of one desa's own register, read from its spreadsheet (one request): the
        headers and Nomors of a desa the worker has not read yet."""
        source = self.target(sheet)
        reader: Any = getattr(source, "read_sheet", None)
        grids = reader(sheet) if callable(reader) else source.read()
        return [g for g in grids if g.name == sheet]

    def write_target(self, sheet: str) -> RegisterSource:
        """:meth:`target` for a write: once the worker has listed the registry's desas, a sheet
        that is no (longer a) registry desa — renamed or removed since the page was loaded — is
        refused, never written to the app's own ``[gsheets]`` spreadsheet."""
        if self.desas is not None and self.desa_status(sheet) is None and self.store.statuses():
            raise PantauError(
                Text(
                    f"Desa '{sheet}' tidak (lagi) ada di daftar desa kabupaten ([sync] registry): "
                    "tidak ada yang disimpan. Muat ulang halaman lalu coba lagi.",
                    f"Desa '{sheet}' is not (any more) in the kabupaten's desa list ([sync] registry): "
                    "nothing was saved. Reload the page and try again.",
                )
            )
        return self.target(sheet)

    def read_audit_of(self, sheet: str) -> list[list[str]]:
        """The audit rows (Riwayat) of the spreadsheet holding ``sheet``'s complaints."""
        return self.target(sheet).read_audit()

    def update_row(
        self,
        sheet: str,
        key_header: str,
        key: str,
        changes: Mapping[str, tuple[str, str]],
        audit_rows: Sequence[Sequence[str]],
        *,
        submission_id: str,
        loaded_header: Sequence[str] = (),
    ) -> UpdateResult:
        # the header row as loaded reaches a source that checks it (Google Sheets)
        target = self.write_target(sheet)
        accepted = "loaded_header" in inspect.signature(target.update_row).parameters
        extra = {"loaded_header": loaded_header} if loaded_header and accepted else {}
        result = target.update_row(
            sheet, key_header, key, changes, audit_rows, submission_id=submission_id, **extra
        )
        self.refresh(sheet)
        return result

    def append_row(
        self,
        sheet: str,
        key_header: str,
        values: Mapping[str, str],
        make_key: KeyFactory,
        audit_rows_for: Callable[[str], Sequence[Sequence[str]]],
        *,
        submission_id: str,
    ) -> AppendResult:
        result = self.write_target(sheet).append_row(
            sheet, key_header, values, make_key, audit_rows_for, submission_id=submission_id
        )
        self.refresh(sheet)
        return result

    def refresh(self, sheet: str) -> bool:
        """Read the written desa's sheet again and replace it in the store (with its derived
        figures); True when done. Otherwise the desa is marked for the worker's next pass."""
        status = self.desa_status(sheet)
        if status is None:
            return False
        try:
            grid = next(iter(self.read_desa(sheet)))
            profile = find_profile(status.profile, self.sync.profile_dirs())
            at = self.clock()
            now = pd.Timestamp.fromtimestamp(at).floor("min")
            figures = derive_desas([(status, grid)], {profile.id: profile}, now=now, built_at=at)
            self.store.save_grid(status.desa_key, grid, at, derived=figures.get(status.desa_key))
        except (SourceError, PantauError, StopIteration):
            self.store.mark_dirty([status.desa_key])
            return False
        return True


def store_statuses(settings: Settings) -> list[DesaStatus] | None:
    """The sync status of the desas on the app's profile, or None when sync is not configured."""
    sync = sync_settings_of(settings)
    if sync is None:
        return None
    return [s for s in _store(sync.store).statuses() if s.profile == settings.profile_id]


def all_store_statuses(settings: Settings) -> list[DesaStatus] | None:
    """The sync status of every desa of the store (all profiles); None without sync."""
    sync = sync_settings_of(settings)
    return None if sync is None else _store(sync.store).statuses()


def store_backed(settings: Settings, source: RegisterSource) -> RegisterSource:
    """``source`` as the app uses it: wrapped by the store when sync is configured."""
    sync = sync_settings_of(settings)
    if sync is None:
        return source
    desas = desa_sources_for(settings.gsheets)
    return StoreBackedSource(source, _store(sync.store), settings.profile_id, sync, desas=desas)


def public_profiles(settings: Settings) -> tuple[str, ...]:
    """The SOP profiles whose registers the public pages (Lacak Pengaduan, its survey) search: the
    settings' own profile first, then — on a synced kabupaten — every other profile with a desa
    the worker has read (read from the store: no Google request)."""
    statuses = all_store_statuses(settings) or []
    others = sorted({s.profile for s in statuses if s.last_good_at is not None} - {settings.profile_id})
    return (settings.profile_id, *others)


def public_desas(settings: Settings) -> dict[str, str]:
    """desa -> its SOP profile, for every desa of a synced kabupaten the worker has read (the
    desas Sampaikan Pengaduan offers: each complaint is filed in its desa's register, on its
    profile); empty without sync (read from the store: no Google request)."""
    statuses = all_store_statuses(settings) or []
    return {s.desa: s.profile for s in statuses if s.last_good_at is not None}


@dataclass
class _DesaSurveyStore:
    """The ``Survei`` sheet of one synced desa's own spreadsheet; a stored answer marks the desa
    for the worker's next pass (it reads that sheet into the store)."""

    inner: SurveyStore
    source: StoreBackedSource
    desa: str

    def __post_init__(self) -> None:
        self.label = self.inner.label

    def read(self) -> list[list[str]]:
        return self.inner.read()

    def record(self, answer: SurveyAnswer) -> SurveyResult:
        result = self.inner.record(answer)
        status = self.source.desa_status(self.desa)
        if status is not None and not result.replayed:
            self.source.store.mark_dirty([status.desa_key])
        return result


def desa_survey_store(source: object, desa: str) -> SurveyStore | None:
    """Where the survey answer of a complaint of ``desa`` is kept: on a synced kabupaten the
    ``Survei`` sheet of that desa's own spreadsheet, else the one beside the register source."""
    if not isinstance(source, StoreBackedSource):
        return survey_store_for(source)
    inner = survey_store_for(source.target(desa))
    return None if inner is None else _DesaSurveyStore(inner, source, desa)
