"""Loading the configured register without Streamlit (for command-line tools and the app).

Which register is configured comes from the one settings declaration (``services.settings``:
``PANTAU_REGISTER`` / ``PANTAU_SOP`` win over ``[pantau]``; ``[gsheets]`` replaces the demo); this
module turns it into a source, a profile and a work calendar. The app's own loader
(``dashboard.data``) adds only its caching on top.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from data_sources.base import RegisterSource
from data_sources.demo import write_demo_register
from data_sources.gsheets import GoogleSheetsSource
from data_sources.local_file import LocalFileSource
from metrics.desa_names import desa_variants, merge_desa_variants
from metrics.errors import PantauError
from metrics.profiles import Profile, find_profile
from metrics.register import Register, normalise_register
from metrics.workcalendar import WorkCalendar, build_calendar
from services.intake_config import intake_config
from services.settings import Settings, parse_settings
from services.store_source import StoreBackedSource, store_backed

# What a command-line tool needs of the settings is the app's Settings object itself.
RegisterConfig = Settings


def register_config(secrets: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """Which register the app would open with these secrets and this environment."""
    return parse_settings(secrets, env)


def configured_profile(settings: Settings) -> Profile:
    """The chosen SOP profile: from ``[pantau] profiles_dir`` when it holds the id, else bundled."""
    return find_profile(settings.profile_id, settings.profile_dirs())


def ensure_demo_register(settings: Settings, now: dt.datetime | dt.date | None = None) -> None:
    """Create the demo register on first use (a fresh clone needs no extra step), as of ``now``
    (default: the profile's wall clock), in the shape of the chosen profile."""
    if settings.is_demo and settings.register_path and not settings.register_path.exists():
        write_demo_register(settings.register_path, now, configured_profile(settings))


def make_source(settings: Settings, *, today: dt.datetime | dt.date | None = None) -> RegisterSource:
    """The configured source: a local file (PANTAU_REGISTER or the demo, generated on first use as
    of ``today``), else the Google Sheet of ``[gsheets]``."""
    ensure_demo_register(settings, today)
    if settings.register_path is None and settings.gsheets:
        return store_backed(settings, GoogleSheetsSource.from_config(settings.gsheets))
    if settings.register_path is None:
        raise PantauError(
            "Belum ada register yang dikonfigurasi: isi PANTAU_REGISTER atau bagian [gsheets] di secrets."
        )
    return store_backed(
        settings, LocalFileSource(settings.register_path, csv_encoding=settings.register_encoding)
    )


def calendar_for(profile: Profile) -> WorkCalendar:
    """The profile's work calendar (office hours, local extra holidays, time zone)."""
    calendar = profile.calendar
    return build_calendar(
        office_hours=calendar.office_hours,
        extra_holidays=calendar.extra_holidays,
        timezone=profile.timezone,
    )


@dataclass(frozen=True)
class Loaded:
    register: Register
    profile: Profile
    calendar: WorkCalendar
    source: RegisterSource


def merged_spellings(register: Register, settings: Settings) -> Register:
    """With ``[wilayah] gabung_ejaan_desa = true``, near-miss spellings of a desa count under the
    desa they most likely are (the written name stays in ``desa_tertulis``, still a finding)."""
    if not settings.merge_desa_spellings:
        return register
    variants = desa_variants(register.complaints["desa"], settings.desa_names)
    return dataclasses.replace(register, complaints=merge_desa_variants(register.complaints, variants))


def load(
    settings: Settings, *, today: dt.datetime | dt.date | None = None, source: RegisterSource | None = None
) -> Loaded:
    """Read and normalise the configured register (raises SourceError / PantauError): the one
    loading path of the app (``dashboard.data`` adds its caching and stage table) and of the
    command-line tools. ``source``: an already made source (the app shares one per Sheet)."""
    profile = configured_profile(settings)
    source = source if source is not None else make_source(settings, today=today)
    register = normalise_register(
        source.read(),
        profile,
        desa_names=settings.desa_names or None,
        form_worksheet=intake_config(settings.secrets.get("intake")).worksheet,
        sheet_desas=source.sheet_desas() if isinstance(source, StoreBackedSource) else None,
    )
    return Loaded(merged_spellings(register, settings), profile, calendar_for(profile), source)
