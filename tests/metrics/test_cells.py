import pandas as pd
import pytest

from metrics.cells import normalise_phones, parse_dates, parse_flags

DATES = [
    ("26/07/2023", "2023-07-26 00:00"),
    ("26-7-2023 14:30", "2023-07-26 14:30"),
    ("26 Juli 2023", "2023-07-26 00:00"),
    ("26 Jul 2023 14.30", "2023-07-26 14:30"),
    ("2023-07-26T14:30", "2023-07-26 14:30"),
    ("2023-07-26 14:30:00", "2023-07-26 14:30"),
    ("45133", "2023-07-26 00:00"),
    ("45133.6041666667", "2023-07-26 14:30"),
    ("Rabu, 26 Juli 2023 pukul 14.30 WIB", "2023-07-26 14:30"),
    ("26/07/23", "2023-07-26 00:00"),
    ("1/2/2024", "2024-02-01 00:00"),  # day first: 1 February, never 2 January
    ("26.07.2023", "2023-07-26 00:00"),
    ("26 AGUSTUS 2023", "2023-08-26 00:00"),
    ("5 Nopember 2022", "2022-11-05 00:00"),
    ("17 Des 2024 08:05", "2024-12-17 08:05"),
    ("\u00a026/07/2023\u00a0", "2023-07-26 00:00"),
    ("26/07/2023 14:30 WITA", "2023-07-26 14:30"),
    ("29/02/2024", "2024-02-29 00:00"),
]
BAD_DATES = ["31/02/2023", "kemarin", "26/13/2023", "26/07/2023 25:10", "12345", "2023", "Juli 2023", "??"]


@pytest.mark.parametrize(("typed", "expected"), DATES)
def test_dates_as_petugas_type_them(typed, expected):
    stamps, unreadable = parse_dates(pd.Series([typed]))
    assert stamps.iloc[0] == pd.Timestamp(expected)
    assert not unreadable.iloc[0]


@pytest.mark.parametrize("typed", BAD_DATES)
def test_unreadable_dates_are_flagged_not_guessed(typed):
    stamps, unreadable = parse_dates(pd.Series([typed]))
    assert pd.isna(stamps.iloc[0])
    assert unreadable.iloc[0]


@pytest.mark.parametrize("blank", ["", "   ", None, "\u00a0"])
def test_blank_dates_are_empty_not_findings(blank):
    stamps, unreadable = parse_dates(pd.Series([blank], dtype="object"))
    assert pd.isna(stamps.iloc[0]) and not unreadable.iloc[0]


PHONES = [
    ("081234567890", "081234567890"),
    ("0812-3456-7890", "081234567890"),
    ("+62 812-3456-7890", "081234567890"),
    ("62812345678", "0812345678"),
    ("812345678", "0812345678"),  # leading 0 lost to a number format
    ("812345678.0", "0812345678"),
    ("(021) 555-1234", "0215551234"),
]


@pytest.mark.parametrize(("typed", "expected"), PHONES)
def test_phone_numbers_normalised(typed, expected):
    phones, invalid = normalise_phones(pd.Series([typed]))
    assert phones.iloc[0] == expected
    assert not invalid.iloc[0]


@pytest.mark.parametrize("typed", ["12", "0812-12", "tidak punya", "08123456789012345"])
def test_invalid_phone_kept_as_written(typed):
    phones, invalid = normalise_phones(pd.Series([typed]))
    assert phones.iloc[0] == typed
    assert invalid.iloc[0]


@pytest.mark.parametrize(
    ("typed", "flag", "unreadable"),
    [
        ("Ya", True, False),
        ("y", True, False),
        ("TRUE", True, False),
        ("Tidak", False, False),
        ("", False, False),
        ("mungkin", False, True),
    ],
)
def test_flags(typed, flag, unreadable):
    flags, bad = parse_flags(pd.Series([typed]))
    assert flags.iloc[0] == flag and bad.iloc[0] == unreadable
