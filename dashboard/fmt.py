"""Numbers and dates written the Indonesian way (``1.234``, ``87,5%``, ``26 Juli 2023``).

English sessions get English month names; numbers keep the Indonesian separators so a
printed report reads the same whoever made it.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from dashboard.i18n import t, tr
from metrics.cells import MONTH_NAMES_ID
from metrics.durations import parse_duration
from metrics.errors import PantauError

MONTH_NAMES_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Plotly's ``separators``: decimal mark then thousands mark.
PLOTLY_SEPARATORS = ",."


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def angka(value: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1.234,5"`` (decimals=1); missing -> ``"–"``."""
    if _missing(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def persen(fraction: float | None, decimals: int = 1) -> str:
    """``0.875`` -> ``"87,5%"``."""
    if _missing(fraction):
        return "–"
    return angka(fraction * 100, decimals) + "%"


def _month_name(month: int, lang: str) -> str:
    return (MONTH_NAMES_EN if lang == "en" else MONTH_NAMES_ID)[month - 1]


def tanggal(value: dt.date | dt.datetime | pd.Timestamp | None, lang: str = "id") -> str:
    """``26 Juli 2023``."""
    if _missing(value):
        return "–"
    return f"{value.day} {_month_name(value.month, lang)} {value.year}"


def tanggal_jam(value: dt.datetime | pd.Timestamp | None, lang: str = "id") -> str:
    """``26 Juli 2023 14.30`` (Indonesian writes the time with a dot)."""
    if _missing(value):
        return "–"
    separator = ":" if lang == "en" else "."
    return f"{tanggal(value, lang)} {value.hour:02d}{separator}{value.minute:02d}"


def waktu_riwayat(written: object) -> str:
    """A Riwayat time (ISO with its UTC offset, as the app writes it) as local wall time,
    day-first; kept as written when it is not ISO (someone typed it in the sheet)."""
    try:
        return tanggal_jam(dt.datetime.fromisoformat(str(written)).replace(tzinfo=None))
    except ValueError:
        return str(written)


def bulan_tahun(value: dt.date | pd.Timestamp | pd.Period, lang: str = "id", short: bool = False) -> str:
    """``Juli 2023`` (or ``Jul 2023`` with short=True)."""
    name = _month_name(value.month, lang)
    return f"{name[:3] if short else name} {value.year}"


def standard_text(written: object) -> str:
    """A time standard as the SOP writes it (``5 hari kerja``) in the session's language."""
    text = "" if _missing(written) else str(written)
    try:
        return tr(parse_duration(text).text) if text else ""
    except PantauError:
        return text


def hari(days: float | None) -> str:
    """A duration in days: ``"2,5 hari"`` (``"2,5 days"`` in English)."""
    if _missing(days):
        return "–"
    return f"{angka(days, 1)} {t('hari', 'days')}"
