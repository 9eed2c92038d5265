"""Audit trail rows (the Riwayat sheet) of a change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from metrics.columns import AUDIT_HEADER, canonical_column
from metrics.form_input import BOOKKEEPING_COLUMNS

# --------------------------------------------------------------------------------------------
# Audit trail


def audit_rows(
    nomor: str,
    changes: Mapping[str, tuple[str, str]],
    actor: str,
    role: str,
    when: dt.datetime,
    submission_id: str = "",
) -> list[list[str]]:
    """One audit row per changed column, in ``AUDIT_HEADER`` order (Waktu | Nomor | Kolom |
    Nilai Lama | Nilai Baru | Oleh | Peran | ID Kiriman). Waktu is an ISO timestamp with seconds
    (with its UTC offset when ``when`` has a time zone). Unchanged columns and the Diperbarui
    Oleh/Pada bookkeeping (already in Waktu and Oleh) are left out. The source writing the rows
    stamps ``ID Kiriman`` with the submission id it was given."""
    stamp = when.isoformat(timespec="seconds")
    rows = []
    for header, (old, new) in changes.items():
        if (old or "").strip() == (new or "").strip() or canonical_column(header) in BOOKKEEPING_COLUMNS:
            continue
        rows.append([stamp, nomor, header, old or "", new or "", actor, role, submission_id])
    assert all(len(r) == len(AUDIT_HEADER) for r in rows)
    return rows
