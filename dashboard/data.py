"""Loading the register once per refresh and sharing it across pages and users.

The normalised register and its derived tables are kept with ``st.cache_resource`` (no
copy per rerun: metrics never mutate their inputs) for ``cache_ttl_seconds``.

When a refresh cannot read the source (Google unreachable after the retries), the last good
snapshot of that source is served instead, with ``stale_reason`` set so the pages can say
so and show how old the data is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.settings import Settings, current_settings
from data_sources.base import RegisterSource, SourceError
from data_sources.local_file import LocalFileSource
from metrics.deadlines import settle_column
from metrics.desa_names import desa_variants, merge_desa_variants
from metrics.profiles import Profile, load_profile
from metrics.register import Register, normalise_register
from metrics.sla import StageTable, sla_status, stage_table
from metrics.workcalendar import WorkCalendar, build_calendar


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

    @property
    def complaints(self) -> pd.DataFrame:
        return self.register.complaints

    @property
    def settle_key(self) -> str:
        return settle_column(self.profile)


def ensure_demo_register(settings: Settings) -> None:
    """Create the demo register on first start (a fresh clone needs no extra step)."""
    if settings.is_demo and settings.register_path and not settings.register_path.exists():
        from data_sources.demo import write_demo_register

        write_demo_register(settings.register_path)


def make_source(settings: Settings) -> RegisterSource:
    """The configured register source: a local file (PANTAU_REGISTER or the demo), else the
    Google Sheet of ``[gsheets]`` (one shared object per configuration: it caches the sheet list)."""
    ensure_demo_register(settings)
    if settings.register_path is None and settings.gsheets:
        return _gsheets_source(settings.source_id, settings)
    if settings.register_path is None:
        from metrics.errors import PantauError

        raise PantauError(
            "Belum ada register yang dikonfigurasi: isi PANTAU_REGISTER atau bagian [gsheets] di secrets."
        )
    return LocalFileSource(settings.register_path)


def calendar_for(profile: Profile) -> WorkCalendar:
    calendar = profile.calendar
    return build_calendar(
        office_hours=calendar.office_hours,
        extra_holidays=calendar.extra_holidays,
        timezone=profile.timezone,
    )


def local_now(profile: Profile) -> pd.Timestamp:
    """Now as wall-clock time of the profile's time zone (sheet timestamps are local time)."""
    return pd.Timestamp.now(tz=profile.timezone).tz_localize(None).floor("min")


@st.cache_resource(show_spinner=False, max_entries=4)
def _gsheets_source(source_id: str, _settings: Settings) -> RegisterSource:
    from data_sources.gsheets import GoogleSheetsSource

    return GoogleSheetsSource.from_config(_settings.gsheets)


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, LoadedRegister]:
    """source_id -> the last register read successfully (served when a refresh fails)."""
    return {}


# Keyed by the source and a time bucket of cache_ttl_seconds: a new bucket reads the source
# again; max_entries keeps old buckets from piling up in memory.
@st.cache_resource(show_spinner=False, max_entries=4)
def _load(source_id: str, ttl_bucket: int, _settings: Settings) -> LoadedRegister:
    profile = load_profile(_settings.profile_id)
    source = make_source(_settings)
    try:
        sheets = source.read()
    except SourceError as error:
        last = _last_good().get(source_id)
        if last is None:
            raise
        # cached for this time bucket too: the next bucket (or *Muat ulang*) tries again
        return dataclasses.replace(last, stale_reason=error.message)
    register = normalise_register(sheets, profile, desa_names=_settings.desa_names or None)
    register = _merged_spellings(register, _settings)
    calendar = calendar_for(profile)
    stages = stage_table(register.complaints, profile, calendar, local_now(profile))
    flags = sla_status(stages)
    loaded = LoadedRegister(
        register, profile, calendar, flags, dt.datetime.now(), source.label, source.kind, sla=stages
    )
    _last_good()[source_id] = loaded
    return loaded


def _merged_spellings(register: Register, settings: Settings) -> Register:
    """With ``[wilayah] gabung_ejaan_desa = true``, near-miss spellings of a desa count under the
    desa they most likely are (the written name stays in ``desa_tertulis``, still a finding)."""
    from dashboard.filters import merge_desa_spellings

    if not merge_desa_spellings(settings):
        return register
    variants = desa_variants(register.complaints["desa"], settings.desa_names)
    return dataclasses.replace(register, complaints=merge_desa_variants(register.complaints, variants))


def load_register(settings: Settings | None = None) -> LoadedRegister:
    """The current register, read again after ``cache_ttl_seconds`` or a *Muat ulang*."""
    settings = settings or current_settings()
    bucket = int(dt.datetime.now().timestamp() // max(1, settings.cache_ttl_seconds))
    return _load(settings.source_id, bucket, settings)


def reload_register() -> None:
    """Forget the cached register so the next page load reads the source again (the
    Google Sheet's worksheet list included: a new desa worksheet shows up)."""
    _load.clear()
    _audit.clear()
    _gsheets_source.clear()


# The audit trail (sheet ``Riwayat``) is read separately from the register, only by the pages
# that show it, with the same time bucket as the register.
@st.cache_data(show_spinner=False, max_entries=4)
def _audit(source_id: str, ttl_bucket: int, _settings: Settings) -> pd.DataFrame:
    from metrics.columns import AUDIT_HEADER

    rows = make_source(_settings).read_audit()
    columns = list(AUDIT_HEADER)
    body = [list(r) + [""] * (len(columns) - len(r)) for r in rows[1:]] if rows else []
    return pd.DataFrame([r[: len(columns)] for r in body], columns=columns, dtype="string")


def load_audit(settings: Settings | None = None) -> pd.DataFrame:
    """The audit rows (``Waktu | Nomor | Kolom | Nilai Lama | Nilai Baru | Oleh | Peran``) as text;
    empty when the source has none or it cannot be read."""
    settings = settings or current_settings()
    bucket = int(dt.datetime.now().timestamp() // max(1, settings.cache_ttl_seconds))
    from data_sources.base import SourceError

    try:
        return _audit(settings.source_id, bucket, settings)
    except SourceError:
        from metrics.columns import AUDIT_HEADER

        return pd.DataFrame(columns=list(AUDIT_HEADER), dtype="string")
