"""services.register_view: the register as a given viewer may see it (filters + masking)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.privacy import HIDDEN
from metrics.profiles import load_profile
from services.access import Viewer
from services.register_view import (
    RegisterFilter,
    complaint_fields,
    export_rows,
    filtered_positions,
    labelled,
    register_view,
)

PROFILE = load_profile("umum")
COMPLAINTS = pd.DataFrame(
    {
        "nomor": ["SKM/1", "SKM/2", "MKS/1", "MKS/2"],
        "desa": ["Sukamaju", "Sukamaju", "Mekarsari", "Mekarsari"],
        "tanggal_diterima": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05", "2026-01-20"]),
        "kategori": ["infrastruktur", "sosial", "infrastruktur", None],
        "tahap": ["diterima", "selesai", "diterima", "verifikasi"],
        "isi_pengaduan": ["Jalan berlubang", "Bantuan sosial", "Lampu jalan mati", "Sampah"],
        "nama_pelapor": ["Siti Rahayu", "Budi Santoso", "Ani Lestari", "Dedi"],
        "alamat": ["RT 1", "RT 2", "RT 3", "RT 4"],
        "no_hp": ["081234567890", "081298765432", "081311112222", None],
        "rahasia": [False, False, True, False],
        "_sheet": ["Register"] * 4,
        "_row": [2, 3, 4, 5],
    },
    index=[10, 11, 12, 13],
)
FLAGS = pd.DataFrame(
    {"selesai": [False, True, False, False], "terlambat": [True, False, False, True]}, index=COMPLAINTS.index
)
ADMIN = Viewer("Admin", "admin")
CAMAT = Viewer("Camat", "kecamatan")


def nomors(positions) -> list[str]:
    return COMPLAINTS["nomor"].iloc[positions].tolist()


def positions(wanted: RegisterFilter, viewer: Viewer = ADMIN):
    return filtered_positions(COMPLAINTS, FLAGS, PROFILE, wanted, viewer)


def test_newest_first_and_each_filter():
    assert nomors(positions(RegisterFilter())) == ["MKS/1", "SKM/2", "MKS/2", "SKM/1"]
    assert nomors(positions(RegisterFilter(desa=("Sukamaju",)))) == ["SKM/2", "SKM/1"]
    assert nomors(positions(RegisterFilter(stages=("diterima",)))) == ["MKS/1", "SKM/1"]
    assert nomors(positions(RegisterFilter(status=("selesai",)))) == ["SKM/2"]
    assert nomors(positions(RegisterFilter(status=("terbuka",), late_only=True))) == ["MKS/2", "SKM/1"]
    period = RegisterFilter(start=dt.date(2026, 1, 20), end=dt.date(2026, 2, 5))
    assert nomors(positions(period)) == ["SKM/2", "MKS/2"]  # the end day is included


def test_search_matches_number_text_and_category_label():
    assert nomors(positions(RegisterFilter(query="lampu"))) == ["MKS/1"]
    assert nomors(positions(RegisterFilter(query="skm/2"))) == ["SKM/2"]
    label = next(term.label for term in PROFILE.categories if term.key == "infrastruktur")
    assert nomors(positions(RegisterFilter(query=label[:6]))) == ["MKS/1", "SKM/1"]


def test_a_desa_viewer_never_gets_another_desa_even_when_asking_for_it():
    kades = Viewer("Kades", "kepala_desa", ("Sukamaju",))
    assert nomors(positions(RegisterFilter(), kades)) == ["SKM/2", "SKM/1"]
    assert nomors(positions(RegisterFilter(desa=("Mekarsari",)), kades)) == []
    assert len(positions(RegisterFilter(), Viewer("", "public"))) == 0


def test_the_view_is_masked_for_the_viewer_and_labelled():
    found = positions(RegisterFilter())
    view = register_view(COMPLAINTS, FLAGS, PROFILE, CAMAT, found, limit=3)
    assert view.total == 4 and len(view.shown) == 3
    assert view.shown.loc[10 if 10 in view.shown.index else 11, "nama_pelapor"].endswith(".")
    assert view.shown.loc[12, "nama_pelapor"] == HIDDEN  # Rahasia
    assert "081234567890" not in view.shown.to_string()
    assert list(view.flags.index) == list(view.shown.index)
    labels = {term.key: term.label for term in PROFILE.stages}
    assert view.shown.loc[12, "tahap"] == labels["diterima"]
    handled = register_view(COMPLAINTS, FLAGS, PROFILE, Viewer("P", "petugas", ("Mekarsari",)), found, 4)
    assert list(handled.shown["nomor"]) == ["MKS/1", "MKS/2"]
    assert handled.shown.loc[12, "nama_pelapor"] == "Ani Lestari"  # the desa's petugas handles it


def test_export_rows_use_the_template_headers_and_masking():
    rows = export_rows(COMPLAINTS, positions(RegisterFilter()), CAMAT, PROFILE)
    assert list(rows.columns[:3]) == ["Nomor", "Desa", "Tanggal Diterima"]
    assert "Siti Rahayu" not in rows.to_string() and "S. R." in rows.to_string()


def test_complaint_fields_follow_the_template_and_inputs_are_not_mutated():
    before = COMPLAINTS.copy()
    fields = complaint_fields(labelled(COMPLAINTS.loc[[10]], PROFILE), PROFILE)
    assert fields[0] == ("Nomor", "SKM/1")
    assert dict(fields)["Isi Pengaduan"] == "Jalan berlubang"
    pd.testing.assert_frame_equal(COMPLAINTS, before)
