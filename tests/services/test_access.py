"""services.access: who may see and change what."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.privacy import HIDDEN
from services.access import (
    NotAllowed,
    Viewer,
    aggregate_only,
    ensure_can_write,
    for_viewer,
    visible_mask,
)

COMPLAINTS = pd.DataFrame(
    {
        "desa": ["Sukamaju", "sukamaju ", "Mekarsari"],
        "nama_pelapor": ["Siti Rahayu", "Budi", "Ani Lestari"],
        "no_hp": ["081234567890", None, "081311112222"],
        "isi_pengaduan": ["a", "b", "c"],
        "rahasia": [False, True, False],
    }
)
ADMIN, CAMAT = Viewer("Admin", "admin"), Viewer("Camat", "kecamatan")
PETUGAS = Viewer("P", "petugas", ("Sukamaju",))
KADES = Viewer("K", "kepala_desa", ("Sukamaju",))
PUBLIC = Viewer("", "public")


def test_who_may_write():
    assert ADMIN.can_write("Mana saja")
    assert PETUGAS.can_write("SUKAMAJU") and not PETUGAS.can_write("Mekarsari")
    for viewer in (CAMAT, KADES, PUBLIC):
        assert not viewer.can_write("Sukamaju")
        with pytest.raises(NotAllowed, match="Sukamaju"):
            ensure_can_write(viewer, " Sukamaju ")
    ensure_can_write(PETUGAS, "Sukamaju")


def test_who_sees_which_complaints_and_whose_data():
    assert visible_mask(COMPLAINTS, KADES).tolist() == [True, True, False]
    assert not visible_mask(COMPLAINTS, PUBLIC).any()
    assert ADMIN.handles(COMPLAINTS).tolist() == [True, False, True]  # not a Rahasia reporter
    assert PETUGAS.handles(COMPLAINTS).tolist() == [True, True, False]
    assert not CAMAT.handles(COMPLAINTS).any()
    assert PETUGAS.handles_one({"desa": "Sukamaju", "rahasia": True})
    assert not ADMIN.handles_one({"desa": "Sukamaju", "rahasia": True})


def test_for_viewer_masks_and_aggregate_only_hides_every_text():
    seen = for_viewer(COMPLAINTS, KADES)
    assert seen["nama_pelapor"].tolist() == ["S. R.", HIDDEN]
    assert for_viewer(COMPLAINTS, PETUGAS)["nama_pelapor"].tolist() == ["Siti Rahayu", "Budi"]
    public = aggregate_only(COMPLAINTS)
    assert set(public["isi_pengaduan"]) == {HIDDEN} and "Siti Rahayu" not in public.to_string()
    assert COMPLAINTS.loc[0, "nama_pelapor"] == "Siti Rahayu", "inputs are not mutated"


def test_one_complaint_is_masked_like_the_tables():
    from services.access import complaint_for_viewer

    one = {
        "desa": "Sukamaju",
        "nama_pelapor": "Siti Rahayu",
        "no_hp": "081234567890",
        "rahasia": False,
        "x": 1,
    }
    assert complaint_for_viewer(one, PETUGAS) == one
    seen = complaint_for_viewer(one, CAMAT)
    assert (seen["nama_pelapor"], seen["no_hp"], seen["x"]) == ("S. R.", "0812****7890", 1)
    secret = complaint_for_viewer({**one, "rahasia": True}, ADMIN)
    assert secret["nama_pelapor"] == HIDDEN
