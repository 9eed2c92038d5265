"""A complaint's change history (the audit sheet, Riwayat) as a given viewer may see it.

Riwayat names each changed column by its header *as written in the register* (``Nama Pengadu``,
``Telepon``…); a column is personal by its canonical key, so alias headers are masked too.
Personal values go through ``metrics.privacy`` (the one masking rule) like every other view.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from metrics.columns import AUDIT_HEADER, canonical_column, column_key
from metrics.privacy import is_secret, mask_audit_history
from services.access import Viewer


def audit_frame(rows: list[list[str]]) -> pd.DataFrame:
    """The audit sheet's rows (header first, as ``RegisterSource.read_audit`` returns them) as a
    text frame with the ``AUDIT_HEADER`` columns; missing trailing cells are empty."""
    columns = list(AUDIT_HEADER)
    body = [list(r) + [""] * (len(columns) - len(r)) for r in rows[1:]] if rows else []
    return pd.DataFrame([r[: len(columns)] for r in body], columns=columns, dtype="string")


def column_of(header: object, headers: Mapping[str, str] | None = None) -> str:
    """The canonical key of an audited column header (alias spellings included)."""
    if headers:
        for key, written in headers.items():
            if written and column_key(written) == column_key(header):
                return key
    return canonical_column(header) or column_key(header)


def complaint_history(
    audit: pd.DataFrame,
    nomor: object,
    *,
    handled: bool,
    secret: bool,
    headers: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The audit rows of ``nomor``; unless the viewer ``handled`` the complaint, the old and new
    values of personal columns are masked (hidden entirely for a ``secret`` / Rahasia complaint).
    ``headers`` = canonical key -> header as written in the complaint's sheet. An empty value
    stays empty ("(dirahasiakan)" would suggest there was something to hide)."""
    if not isinstance(nomor, str) or audit.empty:
        return audit.iloc[0:0]
    history = audit[audit["Nomor"] == nomor]
    if history.empty or handled:
        return history
    # the complaint's own sheet may spell a personal column its own way: match on that too
    spelled = {column_key(written): key for key, written in (headers or {}).items() if written}
    return mask_audit_history(history, handled=handled, secret=secret, extra_aliases=spelled)


def history_for_viewer(
    audit: pd.DataFrame,
    complaint: pd.DataFrame,
    viewer: Viewer,
    headers: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The history of the one complaint in ``complaint`` (a one-row frame of the register) as
    ``viewer`` may see it: who handles it and whether it is Rahasia are decided here, from the
    register's typed values (a numpy bool is as Rahasia as a Python one)."""
    if complaint.empty:
        return audit.iloc[0:0]
    return complaint_history(
        audit,
        complaint["nomor"].iloc[0],
        handled=bool(viewer.handles(complaint).iloc[0]),
        secret=is_secret(complaint),
        headers=headers,
    )
