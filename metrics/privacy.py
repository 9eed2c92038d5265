"""Masking personal data (UU 27/2022 PDP) — the one place it is done.

Which columns are personal and how each is masked comes from the column registry
(``metrics.columns.COLUMNS``: ``mask`` = ``initials`` / ``hidden`` / ``phone``). Roles that do not
handle a complaint see ``0812****5678``, initials and ``****``; a complaint marked ``Rahasia`` hides
its reporter entirely (``HIDDEN``) from everyone but the handlers. Every view goes through one of:

- ``mask_personal_data``: complaint rows (tables, downloads, messages, one complaint's card);
- ``mask_audit_history``: Riwayat rows, whose ``Kolom`` holds the header *as written* (an alias
  such as ``Nama Pengadu``): matched on the canonical column;
- ``mask_findings``: data-quality findings, whose ``nilai`` (and the message quoting it) may hold
  a personal value;
- ``hide_for_aggregate``: public overview pages (counting only): personal data and the
  complaint's texts hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from metrics.columns import canonical_column, column_mask, content_columns, personal_columns

HIDDEN = "(dirahasiakan)"
# Derived from the registry (kept for callers written before it); new code calls personal_columns().
PII_COLUMNS: tuple[str, ...] = personal_columns()


def mask_phone(phones: pd.Series) -> pd.Series:
    """``081234565678`` -> ``0812****5678``; short or odd values are hidden entirely."""
    text = phones.astype("string")
    long_enough = text.str.len() >= 8
    masked = text.str.slice(0, 4) + "****" + text.str.slice(-4)
    return masked.where(long_enough, "****").where(text.notna(), pd.NA)


def mask_name(names: pd.Series) -> pd.Series:
    """``Siti Rahayu`` -> ``S. R.`` (initials only)."""
    text = names.astype("string")
    # one Python call per distinct name, not per complaint (a register repeats its reporters)
    distinct = text.dropna().unique()
    initials = {name: " ".join(w[0].upper() + "." for w in str(name).split() if w) for name in distinct}
    return text.map(initials).astype("string").where(text.notna(), pd.NA)


def mask_address(addresses: pd.Series) -> pd.Series:
    """Addresses are hidden except that one was given."""
    text = addresses.astype("string")
    return pd.Series("****", index=text.index, dtype="string").where(text.notna(), pd.NA)


# The registry's mask kinds -> the function applying it.
MASKERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "initials": mask_name,
    "hidden": mask_address,
    "phone": mask_phone,
}


def _masker(key: str) -> Callable[[pd.Series], pd.Series]:
    mask = column_mask(key)
    if mask is None:
        raise KeyError(f"column '{key}' is not personal")
    return MASKERS[mask]


def _secret(frame: pd.DataFrame) -> pd.Series:
    if "rahasia" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["rahasia"].fillna(False).astype(bool)


def secret_rows(complaints: pd.DataFrame) -> pd.Series:
    """Per complaint: marked ``Rahasia`` (False when the register has no such column)."""
    return _secret(complaints)


def is_secret(complaint: pd.DataFrame | Mapping[str, object]) -> bool:
    """One complaint (a one-row frame or a mapping of canonical keys) is marked ``Rahasia``."""
    if isinstance(complaint, pd.DataFrame):
        return bool(len(complaint)) and bool(_secret(complaint).iloc[0])
    value = complaint.get("rahasia")
    return bool(value) and not (isinstance(value, float) and value != value) and value is not pd.NA


def mask_personal_data(complaints: pd.DataFrame, handled: pd.Series) -> pd.DataFrame:
    """A copy with PII masked where ``handled`` is False and hidden for ``Rahasia`` complaints
    the viewer does not handle. ``handled`` marks the complaints the viewer handles (petugas of
    that desa)."""
    out = complaints.copy()
    not_handled = ~handled.reindex(out.index, fill_value=False).astype(bool)
    secret = _secret(out)
    rows = np.flatnonzero(not_handled.to_numpy())  # only these are masked: mask only these
    for column in personal_columns():
        if column not in out:
            continue
        values = out[column].astype("string")
        if len(rows):
            masked = _masker(column)(values.iloc[rows]).where(~secret.iloc[rows].to_numpy(), HIDDEN)
            values = values.copy()
            values.iloc[rows] = masked.to_numpy()
        out[column] = values
    return out


def mask_values(keys: pd.Series, values: pd.Series, secret: pd.Series) -> pd.Series:
    """``values`` (text) masked by the personal column in ``keys`` (canonical keys, aligned):
    ``HIDDEN`` where ``secret``, the column's mask otherwise; values of other columns and empty
    values unchanged (an empty value stays empty: there was nothing to hide). ``secret`` is
    aligned with ``values`` (unknown = hidden)."""
    text = values.astype("string")
    out = text.copy()
    blank = text.fillna("").str.strip() == ""
    for key in personal_columns():
        part = (keys == key).fillna(False).astype(bool) & ~blank
        if part.any():
            out[part] = _masker(key)(text[part]).fillna("")
    personal = keys.isin(personal_columns()).fillna(False).astype(bool) & ~blank
    hide = personal & secret.astype(object).fillna(True).astype(bool)
    return out.where(~hide, HIDDEN)


def mask_audit_history(
    history: pd.DataFrame,
    handled: bool,
    secret: bool,
    extra_aliases: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Riwayat rows of one complaint (``AUDIT_HEADER`` columns) as a viewer may see them: where
    the viewer does not handle the complaint, the old and new values of personal columns are
    masked (hidden entirely for a ``Rahasia`` complaint). ``Kolom`` is the header as written in
    the register; it is matched on its canonical column (aliases included; ``extra_aliases``
    maps further header keys, e.g. a profile's stage columns, to canonical keys)."""
    if handled or history.empty or "Kolom" not in history:
        return history
    keys = history["Kolom"].map(lambda h: canonical_column(h, dict(extra_aliases or {})) or "")
    keys = keys.astype("string")
    secret_rows = pd.Series(bool(secret), index=history.index)
    out = history.copy()
    for column in ("Nilai Lama", "Nilai Baru"):
        if column in out:
            masked = mask_values(keys, out[column].astype("string"), secret_rows)
            out[column] = out[column].where(~keys.isin(personal_columns()), masked)
    return out


def mask_findings(findings: pd.DataFrame, handled: pd.Series, secret: pd.Series) -> pd.DataFrame:
    """Data-quality findings (``kunci`` = canonical key, ``nilai`` = the cell as written,
    ``pesan`` quoting it) as a viewer may see them: for complaints the viewer does not handle
    (``handled``), the value of a personal column is masked in ``nilai`` and in the message;
    hidden entirely where ``secret`` (a ``Rahasia`` complaint; unknown = hidden). ``handled`` and
    ``secret`` are aligned with ``findings``."""
    not_handled = ~handled.astype(object).fillna(False).astype(bool)
    nilai = findings["nilai"].astype("string").fillna("")
    personal = (
        findings["kunci"].isin(personal_columns()).fillna(False).astype(bool) & not_handled & (nilai != "")
    )
    if not personal.any():
        return findings
    out = findings.copy()
    written = nilai[personal]
    masked = mask_values(out.loc[personal, "kunci"], written, secret[personal])
    messages = []
    for message, value, replacement in zip(
        out.loc[personal, "pesan"].astype(str), written.tolist(), masked.tolist(), strict=True
    ):
        for variant in dict.fromkeys((value, value.strip())):
            if variant:
                message = message.replace(variant, replacement)
        messages.append(message)
    out.loc[personal, "nilai"] = masked.to_numpy()
    out.loc[personal, "pesan"] = pd.array(messages, dtype="string")
    return out


def hide_for_aggregate(complaints: pd.DataFrame) -> pd.DataFrame:
    """All complaints with personal data and the complaint's texts hidden (public overview: for
    counting only, never for listing)."""
    out = complaints.copy()
    for column in (*personal_columns(), *content_columns()):
        if column in out:
            out[column] = pd.Series(HIDDEN, index=out.index, dtype="string").where(out[column].notna(), pd.NA)
    return out


def mask_complaint(complaint: Mapping[str, object]) -> dict[str, object]:
    """One complaint (a mapping of canonical keys) as a viewer who does not handle it sees it."""
    keys = [k for k in (*personal_columns(), "rahasia") if k in complaint]
    frame = pd.DataFrame([{k: complaint.get(k) for k in keys}])
    masked = mask_personal_data(frame, pd.Series(False, index=frame.index)).iloc[0].to_dict()
    return {**complaint, **masked}


def phone_tail(phones: pd.Series) -> pd.Series:
    """``081234565678`` -> ``****5678``: the last 4 digits only (the Lacak lookup key), for papers
    handed to the complainant; fewer than 4 digits -> ``****``."""
    digits = phones.astype("string").str.replace(r"\D", "", regex=True)
    tail = ("****" + digits.str.slice(-4)).where(digits.str.len() >= 4, "****")
    return tail.where(phones.notna() & (phones.astype("string").str.strip() != ""), pd.NA)


# Who reads a document (profile ``[[documents]] audience``): "public" (other parties),
# "complainant" (the paper leaves the office with the complainant), "internal" (office archive).
DOCUMENT_AUDIENCES = ("public", "complainant", "internal")


def mask_for_document(
    complaints: pd.DataFrame,
    handled: pd.Series,
    audience: str,
    *,
    entries: Sequence[str] = (),
    texts: Sequence[str] = (),
) -> pd.DataFrame:
    """Complaint rows as a document for ``audience`` may carry them:

    - ``internal``: exactly what the viewer may see (``mask_personal_data``): the full identity
      for those who handle the complaint, masked/hidden otherwise;
    - ``public``: masked for everyone (initials, ``****``; hidden for a ``Rahasia`` complaint);
    - ``complainant``: name and address as for ``internal``, but hidden for a ``Rahasia``
      complaint (the paper leaves the office); the phone only as its last 4 digits.

    Text typed by hand may name the complainant too (a meeting participant "Siti Rahayu
    (Pelapor)"): where the document does not show the name as written, a cell of the ``entries``
    columns (one person's name or title) naming the complainant (case and spacing ignored, whole
    words) becomes the name as the document shows it (``HIDDEN`` for a ``Rahasia`` complaint), and
    in the ``texts`` columns (free text) each mention of the name is replaced so."""
    if audience not in DOCUMENT_AUDIENCES:
        raise ValueError(f"unknown document audience {audience!r}")
    if audience == "public":
        out = mask_personal_data(complaints, pd.Series(False, index=complaints.index))
    else:
        out = mask_personal_data(complaints, handled)
    if audience == "complainant":
        secret = _secret(complaints)
        for column in personal_columns():
            if column not in out:
                continue
            given = complaints[column].astype("string").fillna("").str.strip() != ""
            values = out[column].astype("string")
            if column_mask(column) == "phone":
                values = phone_tail(complaints[column])
            out[column] = values.where(~(secret & given), HIDDEN).where(given, pd.NA)
    if (entries or texts) and "nama_pelapor" in complaints:
        _mask_mentions(complaints, out, entries, texts)
    return out


def _name_pattern(name: object) -> re.Pattern[str] | None:
    words = str(name).split() if isinstance(name, str) else []
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def _mask_mentions(
    complaints: pd.DataFrame, out: pd.DataFrame, entries: Sequence[str], texts: Sequence[str]
) -> None:
    """In ``out`` (a copy): mentions of each row's complainant name replaced by the name as shown."""
    for index in out.index:
        name = complaints.at[index, "nama_pelapor"]
        shown = out.at[index, "nama_pelapor"]
        pattern = _name_pattern(name)
        if pattern is None or (isinstance(shown, str) and shown.strip() == str(name).strip()):
            continue
        shown_text = shown if isinstance(shown, str) and shown.strip() else HIDDEN
        for column in entries:
            value = out.at[index, column] if column in out else None
            if isinstance(value, str) and pattern.search(value):
                out.at[index, column] = shown_text
        for column in texts:
            value = out.at[index, column] if column in out else None
            if isinstance(value, str):
                out.at[index, column] = pattern.sub(shown_text.replace("\\", "\\\\"), value)
