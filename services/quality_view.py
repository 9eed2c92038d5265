"""The data-quality findings as a given viewer may see them (Kualitas Data, the banner on every page).

A finding's written value and message carry what a petugas typed: personal values are masked
as for the register, and findings of complaints the viewer may not see are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.privacy import mask_findings
from metrics.quality import is_set_aside_reason, set_aside_summary
from services.access import STAFF_ROLES, Viewer, visible_mask


@dataclass(frozen=True)
class ViewerQuality:
    """What one kind of viewer (role and desas) sees of the register's findings; shared, read-only."""

    findings: pd.DataFrame  # visible_findings
    visible: pd.DataFrame  # the complaints the viewer may see
    set_aside: int  # complaints left out of period figures (the banner)
    others: int  # findings that are not a reason to leave the period figures


def viewer_quality_of(all_findings: pd.DataFrame, complaints: pd.DataFrame, viewer: Viewer) -> ViewerQuality:
    """What ``viewer`` sees of ``all_findings`` (the register's findings) and the two counts of
    the "see Kualitas Data" banner."""
    findings = visible_findings(all_findings, complaints, viewer)
    mask = visible_mask(complaints, viewer)
    visible = complaints if bool(mask.all()) else complaints[mask]
    if findings.empty:
        return ViewerQuality(findings, visible, 0, 0)
    summary = set_aside_summary(findings, visible)
    set_aside = int(summary.loc[summary["angka"] == "periode", "jumlah"].sum())
    others = int((~is_set_aside_reason(findings)).sum())
    return ViewerQuality(findings, visible, set_aside, others)


def visible_findings(findings: pd.DataFrame, complaints: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """The findings of complaints the viewer may see, personal data masked as for the register.

    A finding about a whole sheet (its header, a missing column) is shown to viewers of every
    desa, and to a desa viewer when the sheet holds complaints they may see.
    """
    if viewer.role not in STAFF_ROLES or findings.empty:
        return findings.iloc[0:0]
    rows = pd.DataFrame(
        {
            "sheet": complaints["_sheet"].astype("string"),
            "baris": complaints["_row"].astype("Int64"),
            "_terlihat": visible_mask(complaints, viewer).to_numpy(),
            "_ditangani": viewer.handles(complaints).to_numpy(),
            "_rahasia": complaints["rahasia"].fillna(False).astype(bool).to_numpy()
            if "rahasia" in complaints
            else False,
        }
    )
    merged = findings.merge(rows, on=["sheet", "baris"], how="left")
    merged.index = findings.index
    of_complaint = merged["_terlihat"].notna()
    seen_sheets = set(rows.loc[rows["_terlihat"], "sheet"])
    sheet_ok = (not viewer.desa) | merged["sheet"].isin(seen_sheets)
    keep = (of_complaint & merged["_terlihat"].fillna(False).astype(bool)) | (~of_complaint & sheet_ok)
    out = merged[keep].copy()
    out = mask_findings(out, out["_ditangani"], out["_rahasia"])
    return out[list(findings.columns)]
