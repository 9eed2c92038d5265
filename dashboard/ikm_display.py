"""How an IKM (satisfaction index) figure is shown in a table, for every page that shows one.

Kept apart from ``dashboard.survey_views`` (the survey form, which needs the survey stores and
Google libraries) so the kabupaten page shows IKM without importing them.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.fmt import angka
from dashboard.i18n import t

__all__ = ["IKM_COLUMN", "ikm_column"]


def IKM_COLUMN() -> str:  # noqa: N802 - a column title, translated per run
    return t("IKM penanganan pengaduan", "Complaint-handling IKM")


def ikm_column(table: pd.DataFrame, key: str) -> pd.Series:
    """A display column for a per-group IKM table (``metrics.ikm.ikm_by_group``): ``81,25 (B) · n 12``."""

    def one(row: pd.Series) -> str:
        if row["responden"] == 0 or math.isnan(row["ikm"]):
            return "–"
        text = f"{angka(row['ikm'], 2)} ({row['mutu']}) · n {int(row['responden'])}"
        return text if row["cukup"] else text + t(" · belum cukup", " · not enough")

    return table.set_index(key).apply(one, axis=1) if not table.empty else pd.Series(dtype="object")
