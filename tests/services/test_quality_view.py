"""services.quality_view: the data-quality findings a viewer may see (no pages)."""

from __future__ import annotations

import pandas as pd

from metrics.profiles import load_profile
from metrics.quality import quality_findings
from metrics.register import SheetGrid, normalise_register
from services.access import Viewer
from services.quality_view import viewer_quality_of, visible_findings

HEADER = ["Nomor", "Desa", "Tanggal Diterima", "Nama Pelapor", "No. HP", "Rahasia", "Isi Pengaduan"]


def findings_register(url: str | None = None):
    grid = SheetGrid(
        "Register",
        [
            HEADER,
            ["A/1", "Cibodas", "kemarin", "Siti Rahayu", "0812-3456", "Tidak", "=1+1"],
            ["A/2", "Mekarsari", "06/01/2025", "Budi", "0857-12", "Tidak", "Lampu mati"],
            ["A/3", "Mekarsari", "06/01/2025", "Ani", "0813-99", "Ya", "Pungli"],
        ],
        url,
    )
    profile = load_profile("umum")
    register = normalise_register([grid], profile)
    return register, quality_findings(register, profile, pd.Timestamp("2025-06-30 12:00"))


def test_desa_viewer_sees_only_their_desa_and_personal_data_is_masked():
    register, findings = findings_register()
    kades = Viewer("Kades", "kepala_desa", ("Mekarsari",))
    seen = visible_findings(findings, register.complaints, kades)
    assert set(seen["desa"]) == {"Mekarsari", ""}  # "": the sheet's missing columns (Alamat, ...)
    assert set(seen.loc[seen["desa"] == "", "kode"]) == {"KOLOM_TIDAK_ADA"}
    phones = seen[seen["kolom"] == "No. HP"].set_index("baris")
    assert phones.loc[3, "nilai"] == "****"  # masked for a reader
    assert phones.loc[4, "nilai"] == "(dirahasiakan)"  # Rahasia: hidden
    assert "0857-12" not in " ".join(seen["pesan"])
    petugas = Viewer("Petugas", "petugas", ("Mekarsari",))
    own = visible_findings(findings, register.complaints, petugas)
    assert "0857-12" in set(own["nilai"])  # the handler sees what to fix
    assert visible_findings(findings, register.complaints, Viewer("", "public")).empty


def test_counts_for_the_banner_follow_what_the_viewer_sees():
    register, findings = findings_register()
    admin = viewer_quality_of(findings, register.complaints, Viewer("Admin", "admin"))
    kades = viewer_quality_of(findings, register.complaints, Viewer("Kades", "kepala_desa", ("Mekarsari",)))
    assert len(kades.findings) < len(admin.findings)
    assert len(kades.visible) < len(admin.visible)
    assert set(kades.visible["desa"]) == {"Mekarsari"}
    assert admin.others + admin.set_aside >= kades.others + kades.set_aside
    public = viewer_quality_of(findings, register.complaints, Viewer("", "public"))
    assert public.findings.empty and public.visible.empty
