"""Form input shared by the complaint use-cases: cleaning typed text, sheet date texts, phone
numbers, matching a typed term or stage, and reading a complaint's cells."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from metrics.cells import normalise_phones
from metrics.columns import COLUMNS, column_key
from metrics.profiles import Profile, Stage, Term

SHEET_DATETIME = "%d/%m/%Y %H:%M"
MIN_ISI_CHARS = 15
# Form field labels and limits come from the column registry (metrics.columns); "tanggal" is the
# date of the stage being recorded.
FIELD_LABELS = {**{c.key: c.label_id for c in COLUMNS}, "tanggal": "Tanggal tahap"}
FIELD_LABELS_EN = {**{c.key: c.label_en for c in COLUMNS}, "tanggal": "Stage date"}
# Earliest receipt date accepted (guards against a mistyped year).
EARLIEST = dt.datetime(2000, 1, 1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BOOKKEEPING_COLUMNS = ("diperbarui_oleh", "diperbarui_pada")


# --------------------------------------------------------------------------------------------
# Small helpers


def clean_input(value: object) -> str:
    """Text as typed, without control characters (spreadsheets refuse them) and outer blanks."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def sheet_datetime(value: dt.datetime | pd.Timestamp) -> str:
    """``dd/mm/yyyy HH:MM``: the way petugas type a date and time in the register."""
    return pd.Timestamp(value).strftime(SHEET_DATETIME)


def normalise_phone(value: object) -> str | None:
    """A valid Indonesian number as ``08…``/``0xx…`` digits; None when empty or invalid."""
    text = clean_input(value)
    if not text:
        return None
    normalised, invalid = normalise_phones(pd.Series([text], dtype="string"))
    return None if bool(invalid.iloc[0]) else str(normalised.iloc[0])


def find_term(terms: Iterable[Term], value: object) -> Term | None:
    """The profile term spelled ``value`` (key, label or alias; case/punctuation-insensitive)."""
    wanted = column_key(clean_input(value))
    if not wanted:
        return None
    for term in terms:
        if wanted in {column_key(s) for s in (term.key, term.label, *term.aliases)}:
            return term
    return None


def find_stage(profile: Profile, value: object) -> Stage | None:
    """The stage spelled ``value`` (key, label or alias)."""
    wanted = column_key(clean_input(value))
    if not wanted:
        return None
    for stage in profile.stages:
        if wanted in {column_key(s) for s in (stage.key, stage.label, *stage.aliases)}:
            return stage
    return None


def cell_value(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key) if hasattr(row, "get") else None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value


def cell_timestamp(value: Any) -> pd.Timestamp | None:
    value = cell_value({"v": value}, "v")
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    if stamp is pd.NaT:
        return None
    return stamp.tz_localize(None) if stamp.tzinfo else stamp
