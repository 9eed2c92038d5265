"""Loading the register once per refresh and sharing it across pages and users.

The normalised register and its derived tables are kept with ``st.cache_resource`` (no
copy per rerun: metrics never mutate their inputs) with ``ttl=cache_ttl_seconds``.

Cache keys: every cached function takes its inputs as ordinary arguments (no hidden inputs);
a ``Settings`` is hashed by ``settings_identity`` (what decides the register read) and a
``LoadedRegister`` by ``loaded_identity`` (one identity per load: a reload or an expired TTL
gives a new one), through ``hash_funcs=`` — derived caches elsewhere use ``LOADED_HASH``.

When a refresh cannot read the source (Google unreachable after the retries), the last good
snapshot of that source is served instead, with ``stale_reason`` set so the pages can say
so and show how old the data is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.settings import Settings, current_settings, settings_on
from data_sources.base import RegisterSource, SourceError
from data_sources.gsheets import GoogleSheetsSource
from metrics.ikm import joined_survey, survey_frame
from metrics.profiles import Profile
from metrics.register import Register
from metrics.sla import StageTable, settle_column, sla_status, stage_table
from metrics.workcalendar import WorkCalendar
from services import register_loading as loading
from services import survey as survey_service
from services.history import audit_frame
from services.store_source import (
    StoreBackedSource,
    desa_survey_store,
    public_profiles,
    store_backed,
    sync_settings_of,
)


@dataclass(frozen=True)
class LoadedRegister:
    register: Register
    profile: Profile
    calendar: WorkCalendar
    flags: pd.DataFrame  # metrics.sla.sla_status (complaint_flags), aligned with complaints
    loaded_at: dt.datetime
    source_label: str
    source_kind: str
    stale_reason: str | None = None  # set when this is the last good snapshot after a failed read
    sla: StageTable | None = None  # metrics.sla.stage_table of the complaints at load time
    identity: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)  # one per load

    @property
    def complaints(self) -> pd.DataFrame:
        return self.register.complaints

    @property
    def settle_key(self) -> str:
        return settle_column(self.profile)


def loaded_identity(loaded: LoadedRegister) -> str:
    """The cache identity of one loaded register (``hash_funcs`` of derived caches)."""
    return loaded.identity


def settings_identity(settings: Settings) -> str:
    """The cache identity of a configuration: what decides which register is read and how."""
    return f"{settings.source_id}|{'|'.join(settings.desa_names)}|merge={settings.merge_desa_spellings}"


# hash_funcs for caches taking a loaded register or settings as an argument.
LOADED_HASH: dict[type, Callable[..., str]] = {LoadedRegister: loaded_identity, Settings: settings_identity}


def make_source(settings: Settings) -> RegisterSource:
    """The configured register source (``services.register_loading.make_source``); a Google Sheet
    is one shared object per configuration: it caches the sheet list."""
    if settings.register_path is None and settings.gsheets:
        return store_backed(settings, _gsheets_source(settings))
    return loading.make_source(settings)


def local_now(profile: Profile) -> pd.Timestamp:
    """Now as wall-clock time of the profile's time zone (sheet timestamps are local time)."""
    return pd.Timestamp.now(tz=profile.timezone).tz_localize(None).floor("min")


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=LOADED_HASH)
def _gsheets_source(settings: Settings) -> RegisterSource:
    return GoogleSheetsSource.from_config(settings.gsheets)


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, LoadedRegister]:
    """settings identity -> the last register read successfully (served when a refresh fails)."""
    return {}


def _read_register(settings: Settings) -> LoadedRegister:
    source = make_source(settings)
    key = settings_identity(settings)
    try:
        read = loading.load(settings, source=source)  # the one loading path (services)
    except SourceError as error:
        last = _last_good().get(key)
        if last is None:
            raise
        # cached for this TTL too: the next read (or *Muat ulang*) tries again
        return dataclasses.replace(last, stale_reason=error.text)
    register, profile, calendar = read.register, read.profile, read.calendar
    stages = stage_table(register.complaints, profile, calendar, local_now(profile))
    flags = sla_status(stages)
    loaded_at = dt.datetime.now()
    loaded = LoadedRegister(
        register,
        profile,
        calendar,
        flags,
        loaded_at,
        source.label,
        source.kind,
        sla=stages,
        identity=f"{key}|{loaded_at.isoformat()}|{uuid.uuid4().hex}",
    )
    _last_good()[key] = loaded
    return loaded


def _read_audit(settings: Settings, sheet: str | None = None) -> pd.DataFrame:
    source = make_source(settings)
    if sheet and isinstance(source, StoreBackedSource):  # a kabupaten desa: its own spreadsheet
        return audit_frame(source.read_audit_of(sheet))
    return audit_frame(source.read_audit())


# TTL values a cache was made for (reload_register clears each).
_TTLS: set[int] = set()


@functools.cache
def _register_cache(ttl_seconds: int) -> Callable[[Settings], LoadedRegister]:
    """The register loader cached for ``ttl_seconds`` (the setting is read per run, the cache
    is made once per value)."""
    _TTLS.add(ttl_seconds)
    return st.cache_resource(ttl=ttl_seconds, max_entries=4, show_spinner=False, hash_funcs=LOADED_HASH)(
        _read_register
    )


@functools.cache
def _audit_cache(ttl_seconds: int) -> Callable[[Settings, str | None], pd.DataFrame]:
    _TTLS.add(ttl_seconds)
    return st.cache_data(ttl=ttl_seconds, max_entries=4, show_spinner=False, hash_funcs=LOADED_HASH)(
        _read_audit
    )


def _ttl(settings: Settings) -> int:
    return max(1, settings.cache_ttl_seconds)


def load_register(settings: Settings | None = None) -> LoadedRegister:
    """The current register, read again after ``cache_ttl_seconds`` or a *Muat ulang*."""
    settings = settings or current_settings()
    return _register_cache(_ttl(settings))(settings)


def public_settings() -> list[Settings]:
    """The settings of every register Lacak Pengaduan searches: this session's, then on a synced
    kabupaten each other SOP profile with synced desas (``services.store_source.public_profiles``;
    each register is read from the store and cached like any other)."""
    settings = current_settings()
    return [settings if p == settings.profile_id else settings_on(p) for p in public_profiles(settings)]


def reload_register() -> None:
    """Forget the cached register so the next page load reads the source again (the
    Google Sheet's worksheet list included: a new desa worksheet shows up)."""
    for ttl in _cached_ttls():
        _register_cache(ttl).clear()
        _audit_cache(ttl).clear()
    _gsheets_source.clear()


def _cached_ttls() -> list[int]:
    return sorted(_TTLS)


def load_audit(settings: Settings | None = None, sheet: str | None = None) -> pd.DataFrame:
    """The audit rows (``AUDIT_HEADER`` columns) as text; empty when the source has none or it
    cannot be read. ``sheet``: the register sheet of the complaint whose history is wanted (on a
    synced kabupaten, the Riwayat of that desa's own spreadsheet)."""
    settings = settings or current_settings()
    if sync_settings_of(settings) is None:
        sheet = None  # one Riwayat for the whole register: one cache entry, as before
    try:
        return _audit_cache(_ttl(settings))(settings, sheet)
    except SourceError:
        return audit_frame([])


# ---------------------------------------------------------------------------- survey (SKM)
def _read_survey(loaded: LoadedRegister, settings: Settings, desa: str = "") -> pd.DataFrame:
    """The survey answers kept beside the loaded register's source (``services.survey``); with
    ``desa`` on a synced kabupaten, those of that desa's own ``Survei`` sheet."""
    source = make_source(settings)
    if desa and isinstance(source, StoreBackedSource):
        return survey_service.read_survey(desa_survey_store(source, desa))
    return survey_service.read_survey(survey_service.survey_store_for(source))


@functools.cache
def _survey_cache(ttl_seconds: int) -> Callable[[LoadedRegister, Settings, str], pd.DataFrame]:
    _TTLS.add(ttl_seconds)
    return st.cache_data(ttl=ttl_seconds, max_entries=16, show_spinner=False, hash_funcs=LOADED_HASH)(
        _read_survey
    )


def load_survey(loaded: LoadedRegister, settings: Settings | None = None, desa: str = "") -> pd.DataFrame:
    """The survey answers (``metrics.ikm.survey_frame``), cached per loaded register like the
    register itself; empty when the survey cannot be read (the pages still show the register).
    ``desa``: on a synced kabupaten, the answers of that desa's own spreadsheet (Lacak's question)."""
    settings = settings or current_settings()
    try:
        return _survey_cache(_ttl(settings))(loaded, settings, desa)
    except SourceError:
        return survey_frame([])


def load_ikm_answers(loaded: LoadedRegister, settings: Settings | None = None) -> pd.DataFrame:
    """Survey answers joined to the loaded complaints (``metrics.ikm.joined_survey``)."""
    return joined_survey(load_survey(loaded, settings), loaded.complaints)


def reload_survey() -> None:
    """Forget the cached survey answers (after a rating was stored)."""
    for ttl in _cached_ttls():
        _survey_cache(ttl).clear()
