"""Reading single kinds of hand-typed cells: dates, phone numbers, yes/no.

Every parser is vectorised over a pandas Series of strings and returns the parsed
values plus a boolean mask of the cells that were filled in but not understood, so
the caller can report them by row and column while keeping what was written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MONTHS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agus": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}

MONTH_NAMES_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_DAY_NAMES = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_TIME = r"(?:[ ,t]+(?:pukul|pkl\.?|jam)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:\.\d+)?)?)?\s*(?:wib|wita|wit)?"
_ISO = r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME + r"$"
_NUMERIC = (
    r"^(?:"
    + _DAY_NAMES
    + r",?\s+)?(?P<day>\d{1,2})\s*[/\-.]\s*(?P<month>\d{1,2})\s*[/\-.]\s*(?P<year>\d{4}|\d{2})"
    + _TIME
    + r"$"
)
_NAMED = (
    r"^(?:"
    + _DAY_NAMES
    + r",?\s+)?(?P<day>\d{1,2})[\s\-/]+(?P<mname>[a-z]+)\.?[\s\-/]+(?P<year>\d{4}|\d{2})"
    + _TIME
    + r"$"
)
_SERIAL = r"^(?P<serial>\d{5}(?:\.\d+)?)$"

# Cells in exactly these spellings (what a sheet's date format or a number format writes) are
# read without the per-cell patterns above, with the same result; years outside 1900..2099
# take the regular path.
_PLAIN_DATES = (
    r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>(?:19|20)\d{2})(?: (?P<hour>\d{1,2}):(?P<minute>\d{2}))?$",
    r"^(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?: (?P<hour>\d{2}):(?P<minute>\d{2}))?$",
)

# Spreadsheet serial day numbers count from 1899-12-30 (Lotus/Excel/Sheets convention).
_SERIAL_EPOCH = pd.Timestamp("1899-12-30")
# Serials outside these days are numbers, not dates a register would hold (1982..2064).
_SERIAL_MIN, _SERIAL_MAX = 30000, 60000


def clean_text(values: pd.Series) -> pd.Series:
    """Cells as text with non-breaking spaces turned into spaces and outer blanks stripped."""
    text = values.astype("string").fillna("")
    return text.str.replace("\u00a0", " ", regex=False).str.replace("\u200b", "", regex=False).str.strip()


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse day-first dates as petugas type them.

    Accepts ``26/07/2023``, ``26-7-2023 14:30``, ``26 Juli 2023``, ``26 Jul 2023 14.30``,
    ``Rabu, 26 Juli 2023 pukul 14.30 WIB``, ``2023-07-26T14:30``, two-digit years and spreadsheet
    serial numbers. Returns ``(timestamps, unreadable)``: naive local wall time (NaT when empty or
    unreadable) and a mask of non-empty cells that could not be read. A date without a time is
    midnight of that day.
    """
    text = clean_text(values).str.lower()
    stamps = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    rest = (text != "").to_numpy(dtype=bool)
    # The spellings a sheet or a number format writes (almost every cell) are split into numbers
    # by pyarrow's regular expressions in one pass; only the other cells go through the
    # (per-cell) patterns below.
    if rest.any():
        plain, matched = _parse_plain_dates(text)
        stamps[matched] = plain[matched]
        rest &= ~matched
    if rest.any():
        stamps[rest] = _parse_spelled_dates(text[rest]).to_numpy()
    unreadable = (text != "") & stamps.isna()
    return stamps, unreadable.astype(bool)


def _parse_plain_dates(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(timestamps, matched)`` of the cells written exactly as one of ``_PLAIN_DATES``; a
    matched cell with an impossible day, month or clock time is NaT, as ``_parse_spelled_dates``
    would make it."""
    cells = pa.array(text.array)
    parts = {name: np.full(len(text), np.nan) for name in ("year", "month", "day", "hour", "minute")}
    matched = np.zeros(len(text), dtype=bool)
    for pattern in _PLAIN_DATES:
        found = pc.extract_regex(cells, pattern)
        hit = found.is_valid().to_numpy(zero_copy_only=False) & ~matched
        if not hit.any():
            continue
        for name in parts:
            field = pc.struct_field(found, name)
            numbers = pc.cast(pc.if_else(pc.equal(field, ""), None, field), pa.float64())
            parts[name] = np.where(hit, numbers.to_numpy(zero_copy_only=False), parts[name])
        matched |= hit
    frame = pd.DataFrame(parts)
    frame[["hour", "minute"]] = frame[["hour", "minute"]].fillna(0)
    frame.loc[(frame["hour"] > 23) | (frame["minute"] > 59), "day"] = np.nan
    stamps = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    if matched.any():
        read = pd.to_datetime(frame[matched], errors="coerce").astype("datetime64[ns]")
        stamps[matched] = read.to_numpy()
    return stamps, matched


def _parse_spelled_dates(text: pd.Series) -> pd.Series:
    """``parse_dates`` of cleaned, lower-case, non-empty cells (NaT when unreadable)."""
    parts = pd.DataFrame(
        {
            name: pd.Series(np.nan, index=text.index, dtype="float64")
            for name in ("year", "month", "day", "hour", "minute", "second")
        }
    )
    for pattern in (_ISO, _NUMERIC, _NAMED):
        found = text.str.extract(pattern)
        if "mname" in found.columns:
            found["month"] = found["mname"].map(MONTHS)
        hit = found["day"].notna() & found["month"].notna() & parts["day"].isna()
        if not hit.any():
            continue
        for name in ("year", "month", "day", "hour", "minute", "second"):
            numbers = pd.to_numeric(found[name], errors="coerce").astype("float64")
            parts[name] = parts[name].where(~hit, numbers)
    two_digit = parts["year"] < 100
    parts.loc[two_digit, "year"] = parts.loc[two_digit, "year"] + 2000
    parts[["hour", "minute", "second"]] = parts[["hour", "minute", "second"]].fillna(0)
    bad_clock = (parts["hour"] > 23) | (parts["minute"] > 59) | (parts["second"] > 59)
    parts.loc[bad_clock, "day"] = np.nan
    stamps = pd.to_datetime(parts, errors="coerce")
    # a year such as 2263 or 1500 is a typing error, not a date to crash on (nanosecond bounds)
    in_range = stamps.isna() | ((stamps >= pd.Timestamp.min) & (stamps <= pd.Timestamp.max))
    stamps = stamps.where(in_range).astype("datetime64[ns]")

    serial = pd.to_numeric(text.str.extract(_SERIAL)["serial"], errors="coerce").astype("float64")
    serial = serial.where((serial >= _SERIAL_MIN) & (serial <= _SERIAL_MAX))
    from_serial = _SERIAL_EPOCH + pd.to_timedelta(serial, unit="D")
    return stamps.fillna(from_serial.dt.round("min"))


def normalise_phones(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Indonesian phone numbers as ``08…`` (mobile) or ``0xx…`` (landline) digits.

    ``+62 812-3456-7890``, ``62812…``, ``0812 3456 7890`` and ``812…`` (a number format ate the
    leading 0) all become ``081234567890``. Returns ``(normalised, invalid)``; an invalid number
    is kept as written.
    """
    text = clean_text(values)
    digits = text.str.replace(r"\.0$", "", regex=True).str.replace(r"[\s\-().]", "", regex=True)
    digits = digits.str.replace(r"^\+?62", "0", regex=True)
    digits = digits.where(~digits.str.match(r"^8\d{7,11}$"), "0" + digits)
    valid = digits.str.fullmatch(r"08\d{7,11}|0[2-7]\d{6,10}")
    normalised = digits.where(valid, text)
    invalid = (text != "") & ~valid
    return normalised.where(text != "", pd.NA), invalid.astype(bool)


_YES = {
    "ya",
    "y",
    "yes",
    "true",
    "1",
    "v",
    "x",
    "rahasia",
    "dirahasiakan",
    "anonim",
    "benar",
    "iya",
    "\u2713",
    "\u2714",
}
_NO = {"tidak", "t", "no", "n", "false", "0", "bukan", "-", "", "tdk", "terbuka"}


def parse_flags(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no cells (``Rahasia``): returns ``(flag, unreadable)``; unreadable counts as False."""
    text = clean_text(values).str.lower()
    flag = text.isin(_YES)
    unreadable = ~flag & ~text.isin(_NO)
    return flag.astype(bool), unreadable.astype(bool)
