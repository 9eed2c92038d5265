"""Who is looking: the viewer's role and desas, and what they may see or change.

Roles: ``admin``; ``kabupaten`` (every kecamatan, read-only, personal data masked); ``kecamatan`` (all desas, read-only, personal data masked); ``kepala_desa``
(own desa, read-only, personal data masked: reads but does not handle complaints); ``petugas``
(own desa, read and write, personal data in full); ``public`` (not logged in: complaint lookup
only, and the aggregate Ringkasan when ``[pantau] public_overview`` is on).

Personal data (name, address, phone) is shown in full only to those who handle the complaint:
petugas of its desa and admin. A ``Rahasia`` complaint hides its reporter from everyone but the
petugas of its desa — admin included (admin sees ``(dirahasiakan)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import pandas as pd

from metrics.columns import column_key
from metrics.complaint_updates import clean_input
from metrics.errors import PantauError
from metrics.privacy import hide_for_aggregate, mask_personal_data
from metrics.text import Text

ROLES = ("admin", "kabupaten", "kecamatan", "kepala_desa", "petugas", "public")
STAFF_ROLES = ("admin", "kabupaten", "kecamatan", "kepala_desa", "petugas")
WRITE_ROLES = ("admin", "petugas")
ROLE_LABELS = {
    "admin": ("Admin", "Admin"),
    "kabupaten": ("Kabupaten", "Regency"),
    "kecamatan": ("Kecamatan", "Sub-district"),
    "kepala_desa": ("Kepala Desa", "Village head"),
    "petugas": ("Petugas pengaduan", "Complaints officer"),
    "public": ("Publik", "Public"),
    "pelapor": ("Pelapor (daring)", "Complainant (online)"),  # INTAKE_ROLE below
}
# Roles that must be tied to at least one desa (an empty list would mean "every desa").
DESA_ROLES = ("kepala_desa", "petugas")
# Not a login role: the writer of a public or Google Form submission (services.public_intake,
# services.intake). It may append a NEW complaint for one of its desas and nothing else: it sees no
# complaint (not staff) and may not update one.
INTAKE_ROLE = "pelapor"


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str
    desa: tuple[str, ...] = ()  # empty = every desa of the kecamatan (admin, kecamatan)
    login: str = ""  # username or e-mail the viewer logged in with
    method: str = ""  # "password", "oidc" or "" (not logged in / test)

    def covers(self, desa: str) -> bool:
        """Whether complaints of ``desa`` are this viewer's (desa names compared ignoring case,
        spacing and punctuation)."""
        if self.role == "public":
            return False
        return not self.desa or column_key(desa) in {column_key(d) for d in self.desa}

    def can_write(self, desa: str) -> bool:
        return self.role == "admin" or (self.role == "petugas" and self.covers(desa))

    def can_file(self, desa: str) -> bool:
        """May append a new complaint of ``desa``: who may write it, and the intake writer for
        one of its own (non-empty) desas."""
        if self.role == INTAKE_ROLE:
            return bool(self.desa) and column_key(desa) in {column_key(d) for d in self.desa}
        return self.can_write(desa)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def allowed_desa(self) -> list[str] | None:
        """Desa filter options: ``None`` = every desa."""
        return list(self.desa) if self.desa else None

    def handles(self, complaints: pd.DataFrame) -> pd.Series:
        """Complaints whose personal data this viewer may see in full: petugas of the desa, and
        admin except for ``Rahasia`` complaints."""
        if self.role == "admin":
            return ~secret(complaints)
        if self.role == "petugas":
            return in_desa(complaints, self.desa) if self.desa else pd.Series(True, index=complaints.index)
        return pd.Series(False, index=complaints.index)

    def handles_one(self, complaint: Mapping[str, Any]) -> bool:
        """``handles`` for one complaint given as a mapping (desa, rahasia)."""
        frame = pd.DataFrame([{"desa": complaint.get("desa"), "rahasia": bool(complaint.get("rahasia"))}])
        return bool(self.handles(frame).iloc[0])


PUBLIC = Viewer("", "public")


class NotAllowed(PantauError):
    """The viewer may not write for this desa."""


def ensure_can_write(viewer: Viewer, desa: str, *, new_row: bool = False) -> None:
    """Refuse unless ``viewer`` may write complaints of ``desa`` (checked on every write);
    ``new_row``: appending a new complaint, which the intake writer may do too."""
    desa = clean_input(desa)
    if not (viewer.can_file(desa) if new_row else viewer.can_write(desa)):
        who = viewer.name or "pengguna tanpa login"
        raise NotAllowed(
            Text(
                f"{who} (peran {viewer.role}) tidak berwenang mencatat atau mengubah pengaduan Desa "
                f"{desa or '(tanpa desa)'}. Tidak ada yang disimpan.",
                f"{viewer.name or 'a user who is not logged in'} (role {viewer.role}) may not record or change "
                f"complaints of {desa or '(no village)'}. Nothing was saved.",
            )
        )


def in_desa(complaints: pd.DataFrame, desa: tuple[str, ...] | list[str]) -> pd.Series:
    """Complaints whose desa is one of ``desa`` (ignoring case, spacing and punctuation)."""
    keys = {column_key(d) for d in desa}
    return complaints["desa"].astype("string").fillna("").map(column_key).isin(keys).astype(bool)


def secret(complaints: pd.DataFrame) -> pd.Series:
    """Complaints marked ``Rahasia``."""
    if "rahasia" not in complaints:
        return pd.Series(False, index=complaints.index)
    return complaints["rahasia"].fillna(False).astype(bool)


def visible_mask(complaints: pd.DataFrame, viewer: Viewer) -> pd.Series:
    """Complaints of the desas the viewer may see."""
    if viewer.role not in STAFF_ROLES:
        return pd.Series(False, index=complaints.index)
    if not viewer.desa:
        return pd.Series(True, index=complaints.index)
    return in_desa(complaints, viewer.desa)


def for_viewer(complaints: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """The complaints the viewer may see, personal data masked as their role requires."""
    visible = complaints[visible_mask(complaints, viewer)]
    return mask_personal_data(visible, viewer.handles(visible))


def complaint_for_viewer(complaint: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    """One complaint (a mapping of canonical keys) with personal data masked as ``viewer`` may
    see it (``metrics.privacy.mask_personal_data``, like every table)."""
    frame = pd.DataFrame([dict(complaint)])
    masked = mask_personal_data(frame, viewer.handles(frame)).iloc[0]
    changed = {key: masked[key] for key in frame.columns if str(masked[key]) != str(frame.iloc[0][key])}
    return {**complaint, **changed}


def aggregate_only(complaints: pd.DataFrame) -> pd.DataFrame:
    """All complaints with personal data and the complaint text hidden (public overview: for
    counting only, never for listing)."""
    return hide_for_aggregate(complaints)


class HasComplaints(Protocol):
    """What ``scoped`` needs of a loaded register (``dashboard.data.LoadedRegister``)."""

    @property
    def complaints(self) -> pd.DataFrame: ...

    @property
    def flags(self) -> pd.DataFrame: ...


class Scoped(NamedTuple):
    complaints: pd.DataFrame  # visible complaints, personal data masked per role
    flags: pd.DataFrame  # loaded.flags aligned with ``complaints``


def scoped(loaded: HasComplaints, viewer: Viewer, *, aggregate: bool = False) -> Scoped:
    """What a page may work with: the viewer's complaints (masked per role) and their flags.

    ``aggregate=True`` (public overview pages only, after the page let the public in) gives the
    public every complaint with all personal data and texts hidden.
    """
    if aggregate and viewer.role == "public":
        complaints = aggregate_only(loaded.complaints)
    else:
        complaints = for_viewer(loaded.complaints, viewer)
    return Scoped(complaints, loaded.flags.loc[complaints.index])
