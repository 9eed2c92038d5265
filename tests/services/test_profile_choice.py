"""services.profile_choice: the pages' SOP profile follows the viewer's desas."""

from __future__ import annotations

from data_sources.snapshot_store import DesaStatus
from services.access import Viewer
from services.profile_choice import profile_choice


def status(desa: str, profile: str, kecamatan: str = "K1") -> DesaStatus:
    return DesaStatus(
        f"{kecamatan}/{desa}",
        "Kab",
        kecamatan,
        desa,
        f"s-{desa}",
        "",
        profile,
        False,
        0,
        "",
        1.0,
        "",
        None,
        0,
        0.0,
    )


STORE = [status("A", "umum"), status("B", "cipari"), status("C", "cipari"), status("D", "babakan", "K2")]


def test_a_petugas_sees_their_desas_profile_without_a_choice() -> None:
    choice = profile_choice(STORE, Viewer("P", "petugas", ("b",)), "umum")
    assert choice is not None and choice.chosen == "cipari" and not choice.ask
    assert choice.options == (("cipari", 1),)


def test_a_viewer_over_several_profiles_gets_the_app_profile_first_then_by_size() -> None:
    camat = Viewer("C", "kecamatan")
    choice = profile_choice(STORE, camat, "umum")
    assert choice is not None and choice.ask
    assert choice.options == (("umum", 1), ("cipari", 2), ("babakan", 1))
    assert choice.chosen == "umum"
    assert profile_choice(STORE, camat, "umum", wanted="babakan").chosen == "babakan"  # type: ignore[union-attr]
    assert profile_choice(STORE, camat, "umum", wanted="nope").chosen == "umum"  # type: ignore[union-attr]
    # the app's profile has no desa in the store: the profile with most desas first
    assert profile_choice(STORE, camat, "jagabaya").chosen == "cipari"  # type: ignore[union-attr]


def test_a_viewer_covering_no_desa_of_the_store_keeps_the_app_profile() -> None:
    assert profile_choice(STORE, Viewer("P", "petugas", ("Z",)), "umum") is None
