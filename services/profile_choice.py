"""Which SOP profile the pages judge a synced kabupaten by, for one viewer (issue 17 item 3).

On a synced store the desas keep different SOP profiles; the pages (Ringkasan, SLA, Statistik,
Register, Catat, Perbarui …) judge one register by one profile, so they show the desas of one
profile at a time. Which one follows the viewer: the profile(s) of the desas the viewer covers
(a petugas or kepala desa: their desa's), and among several the viewer's choice, by default
``[pantau] sop`` when some of the viewer's desas are on it, else the profile with most desas.
Without sync configured nothing of this applies (the app's own profile).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from data_sources.snapshot_store import DesaStatus
from services.access import Viewer

__all__ = ["ProfileChoice", "profile_choice"]


@dataclass(frozen=True)
class ProfileChoice:
    options: tuple[tuple[str, int], ...]  # (profile id, how many of the viewer's desas), in order
    chosen: str

    @property
    def ask(self) -> bool:
        """Whether the viewer has a choice to make (desas on more than one profile)."""
        return len(self.options) > 1


def profile_choice(
    statuses: Iterable[DesaStatus], viewer: Viewer, app_profile: str, wanted: str | None = None
) -> ProfileChoice | None:
    """The profiles of the store's desas this viewer covers, and the one to show; None when the
    viewer covers none of them, or is the public (the pages stay on ``app_profile``)."""
    counts = Counter(s.profile for s in statuses if viewer.covers(s.desa))
    if not counts:
        return None
    ordered = sorted(counts.items(), key=lambda item: (item[0] != app_profile, -item[1], item[0]))
    ids = [profile for profile, _n in ordered]
    chosen = wanted if wanted in ids else ids[0]
    return ProfileChoice(tuple(ordered), str(chosen))
