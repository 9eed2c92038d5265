"""The register as a given viewer may see it: search and filters, masking, labels, the CSV rows.

Everything here works on the loaded register's frames (complaints + SLA flags, aligned) and
never returns a complaint the viewer may not see or a personal value they may not read: the
rows pass through ``services.access.for_viewer`` (``metrics.privacy.mask_personal_data``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.columns import column_key
from metrics.profiles import Profile, Stage, Term, register_header
from services.access import Viewer, for_viewer, visible_mask

# Status filter: key -> (Indonesian, English) label.
STATUS = {
    "terbuka": ("Masih terbuka", "Open"),
    "selesai": ("Selesai", "Settled"),
    "terlambat": ("Terlambat (pernah lewat batas)", "Late (missed a limit)"),
    "hampir": ("Hampir jatuh tempo", "Due soon"),
    "menunggu": ("Menunggu kelengkapan", "Waiting for documents"),
}
# Vocabulary columns shown with the profile's labels.
VOCABULARY = ("kategori", "saluran", "urgensi", "tahap", "jenis_penyelesaian")


@dataclass(frozen=True)
class RegisterFilter:
    """What the Register page's search box and filters ask for (empty = no restriction)."""

    query: str = ""
    desa: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive
    late_only: bool = False


@dataclass(frozen=True)
class RegisterView:
    positions: np.ndarray  # row positions in the register matching the filter, newest first
    shown: pd.DataFrame  # the first ``limit`` of them: masked for the viewer, vocabulary labelled
    flags: pd.DataFrame  # SLA flags aligned with ``shown``

    @property
    def total(self) -> int:
        return len(self.positions)


def filtered_positions(
    complaints: pd.DataFrame, flags: pd.DataFrame, profile: Profile, wanted: RegisterFilter, viewer: Viewer
) -> np.ndarray:
    """Row positions of the complaints the viewer may see that match ``wanted``, newest receipt first."""
    c, f = complaints, flags
    mask = visible_mask(c, viewer)
    if wanted.desa:
        mask &= c["desa"].isin(list(wanted.desa))
    if wanted.stages:
        mask &= c["tahap"].isin(list(wanted.stages))
    received = c["tanggal_diterima"]
    if wanted.start is not None:
        mask &= received >= pd.Timestamp(wanted.start)
    if wanted.end is not None:
        mask &= received < pd.Timestamp(wanted.end) + pd.Timedelta(days=1)
    if wanted.status:
        matched = pd.Series(False, index=c.index)
        if "terbuka" in wanted.status:
            matched |= ~f["selesai"]
        if "selesai" in wanted.status:
            matched |= f["selesai"]
        if "terlambat" in wanted.status:
            matched |= f["terlambat"]
        if "hampir" in wanted.status and "hampir_jatuh_tempo" in f:
            matched |= f["hampir_jatuh_tempo"]
        if "menunggu" in wanted.status and "menunggu_kelengkapan" in f:
            matched |= f["menunggu_kelengkapan"]
        mask &= matched
    if wanted.late_only:
        mask &= f["terlambat"]
    text = wanted.query.strip()
    if text:
        keys = [term.key for term in profile.categories if text.lower() in term.label.lower()]
        found = (
            c["nomor"].str.contains(text, case=False, regex=False)
            | c["isi_pengaduan"].str.contains(text, case=False, regex=False)
            | c["kategori"].str.contains(text, case=False, regex=False)
            | c["kategori"].isin(keys)
        )
        mask &= found.fillna(False).astype(bool)
    mask = mask.fillna(False).astype(bool)
    positions = np.flatnonzero(mask.to_numpy())
    order = np.argsort(
        -received.iloc[positions].to_numpy(dtype="datetime64[ns]").view(np.int64), kind="stable"
    )
    return positions[order]


def labelled(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Vocabulary keys shown as the profile's labels (a copy)."""
    out = frame.copy()
    terms_of: dict[str, tuple[Term, ...] | tuple[Stage, ...]] = {
        "kategori": profile.categories,
        "saluran": profile.channels,
        "urgensi": profile.urgencies,
        "tahap": profile.stages,
        "jenis_penyelesaian": profile.outcomes,
    }
    for column in VOCABULARY:
        if column in out:
            labels = {term.key: term.label for term in terms_of[column]}
            out[column] = out[column].map(lambda v, labels=labels: labels.get(v, v), na_action="ignore")
    return out


def register_view(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    viewer: Viewer,
    positions: np.ndarray,
    limit: int,
) -> RegisterView:
    """The first ``limit`` matching complaints as the viewer may see them."""
    shown = labelled(for_viewer(complaints.iloc[positions[:limit]], viewer), profile)
    return RegisterView(positions, shown, flags.loc[shown.index])


def export_rows(
    complaints: pd.DataFrame, positions: np.ndarray, viewer: Viewer, profile: Profile
) -> pd.DataFrame:
    """The matching complaints for the CSV download: template headers, masked, labelled."""
    header = register_header(profile)
    rows = labelled(for_viewer(complaints.iloc[positions], viewer), profile)
    out = rows.reindex(columns=[column_key(h) for h in header])
    out.columns = header
    return out


def complaint_fields(one: pd.DataFrame, profile: Profile) -> list[tuple[str, object]]:
    """(template header, value) of one already masked complaint, in the template's order."""
    out = []
    for text in register_header(profile):
        key = column_key(text)
        out.append((text, one[key].iloc[0] if key in one else None))
    return out
