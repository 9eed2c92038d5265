"""Loading the configured register without Streamlit (for command-line tools).

The streamlit-free part of ``dashboard/data.py`` and ``dashboard/settings.py``: which register is
configured (``PANTAU_REGISTER`` / ``PANTAU_SOP`` win over ``[pantau]``; ``[gsheets]`` replaces the
demo), its source, profile and work calendar. The app's own loader keeps its caching; the rules
here are the same (see ``dashboard.settings.settings_from`` and ``dashboard.data.make_source``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_sources.base import RegisterSource
from metrics.errors import PantauError
from metrics.profiles import Profile, load_profile
from metrics.register import Register, normalise_register
from metrics.workcalendar import WorkCalendar, build_calendar

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_REGISTER_PATH = REPO_ROOT / ".pantau" / "demo_register.xlsx"


@dataclass(frozen=True)
class RegisterConfig:
    profile_id: str = "umum"
    register_path: Path | None = None
    is_demo: bool = True
    desa_names: tuple[str, ...] = ()
    kecamatan: str = ""
    public_url: str = ""
    gsheets: Mapping[str, Any] = field(default_factory=dict, repr=False)


def _section(secrets: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = secrets.get(name)
    return value if isinstance(value, Mapping) else {}


def public_url(value: Any) -> str:
    """The app's address (only http(s) URLs), without a trailing slash."""
    text = str(value or "").strip().rstrip("/")
    return text if text.startswith(("https://", "http://")) else ""


def register_config(secrets: Mapping[str, Any], env: Mapping[str, str]) -> RegisterConfig:
    """Which register the app would open with these secrets and this environment."""
    from data_sources.demo import DEMO_DESAS, DEMO_KECAMATAN

    pantau = _section(secrets, "pantau")
    wilayah = _section(secrets, "wilayah")
    register = env.get("PANTAU_REGISTER") or pantau.get("register") or ""
    profile_id = env.get("PANTAU_SOP") or pantau.get("sop") or "umum"
    gsheets = dict(_section(secrets, "gsheets"))
    is_demo = not register and not gsheets
    desa = tuple(str(d) for d in wilayah.get("desa", ()))
    if is_demo and not desa:
        desa = tuple(d.name for d in DEMO_DESAS)
    if register:
        path: Path | None = Path(str(register)).expanduser()
    else:
        path = DEMO_REGISTER_PATH if is_demo else None
    return RegisterConfig(
        profile_id=str(profile_id),
        register_path=path,
        is_demo=is_demo,
        desa_names=desa,
        kecamatan=str(wilayah.get("kecamatan", DEMO_KECAMATAN if is_demo else "")),
        public_url=public_url(pantau.get("public_url")),
        gsheets=gsheets,
    )


def make_source(config: RegisterConfig, *, today: dt.date) -> RegisterSource:
    """The configured source; the demo register is generated on first use (as of ``today``)."""
    if config.is_demo and config.register_path is not None and not config.register_path.exists():
        from data_sources.demo import write_demo_register

        write_demo_register(config.register_path, today)
    if config.register_path is None and config.gsheets:
        from data_sources.gsheets import GoogleSheetsSource

        return GoogleSheetsSource.from_config(config.gsheets)
    if config.register_path is None:
        raise PantauError(
            "Belum ada register yang dikonfigurasi: isi PANTAU_REGISTER atau bagian [gsheets] di secrets."
        )
    from data_sources.local_file import LocalFileSource

    return LocalFileSource(config.register_path)


def calendar_for(profile: Profile) -> WorkCalendar:
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


def load(config: RegisterConfig, *, today: dt.date) -> Loaded:
    """Read and normalise the configured register (raises SourceError / PantauError)."""
    profile = load_profile(config.profile_id)
    source = make_source(config, today=today)
    register = normalise_register(source.read(), profile, desa_names=config.desa_names or None)
    return Loaded(register, profile, calendar_for(profile), source)
