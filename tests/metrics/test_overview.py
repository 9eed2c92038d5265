"""metrics.overview: the period filter and the overview figures."""

from __future__ import annotations

import pandas as pd

from metrics.overview import select_complaints


def test_unreadable_receipt_date_stays_in_a_period():
    complaints = pd.DataFrame(
        {
            "desa": ["A", "A", "B", "A"],
            "tanggal_diterima": pd.to_datetime(
                ["2026-01-05 09:00", None, "2026-01-06 00:00", "2025-05-01 00:00"]
            ),
        }
    )
    mask = select_complaints(complaints, None, pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-31"))
    assert mask.tolist() == [True, True, True, False]  # the undated one is a complaint: counted
    assert select_complaints(complaints, ["B"], pd.Timestamp("2026-01-01"), None).tolist() == [
        False,
        False,
        True,
        False,
    ]
