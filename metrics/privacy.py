"""Masking personal data (UU 27/2022 PDP): names, addresses and phone numbers.

Roles that do not handle a complaint see ``0812****5678`` and initials; a complaint marked
``Rahasia`` hides its reporter from everyone but the handlers.
"""

from __future__ import annotations

import pandas as pd

PII_COLUMNS = ("nama_pelapor", "alamat", "no_hp")
HIDDEN = "(dirahasiakan)"


def mask_phone(phones: pd.Series) -> pd.Series:
    """``081234565678`` -> ``0812****5678``; short or odd values are hidden entirely."""
    text = phones.astype("string")
    long_enough = text.str.len() >= 8
    masked = text.str.slice(0, 4) + "****" + text.str.slice(-4)
    return masked.where(long_enough, "****").where(text.notna(), pd.NA)


def mask_name(names: pd.Series) -> pd.Series:
    """``Siti Rahayu`` -> ``S. R.`` (initials only)."""
    text = names.astype("string")
    initials = text.str.split().map(
        lambda words: " ".join(w[0].upper() + "." for w in words if w) if isinstance(words, list) else pd.NA
    )
    return initials.astype("string").where(text.notna(), pd.NA)


def mask_address(addresses: pd.Series) -> pd.Series:
    """Addresses are hidden except that one was given."""
    text = addresses.astype("string")
    return pd.Series("****", index=text.index, dtype="string").where(text.notna(), pd.NA)


def mask_personal_data(complaints: pd.DataFrame, handled: pd.Series) -> pd.DataFrame:
    """A copy with PII masked where ``handled`` is False and hidden for ``Rahasia`` complaints
    the viewer does not handle. ``handled`` marks the complaints the viewer handles (petugas of
    that desa)."""
    out = complaints.copy()
    not_handled = ~handled.reindex(out.index, fill_value=False).astype(bool)
    secret = (
        out["rahasia"].fillna(False).astype(bool) if "rahasia" in out else pd.Series(False, index=out.index)
    )
    for column, masker in (("nama_pelapor", mask_name), ("alamat", mask_address), ("no_hp", mask_phone)):
        if column not in out:
            continue
        values = out[column].astype("string")
        masked = masker(values).where(~(secret & not_handled), HIDDEN)
        out[column] = values.where(~not_handled, masked)
    return out
