"""services.history: a complaint's Riwayat as a viewer may see it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.columns import AUDIT_HEADER
from metrics.privacy import HIDDEN
from services.access import Viewer
from services.history import audit_frame, column_of, complaint_history, history_for_viewer

ROWS = [
    list(AUDIT_HEADER),
    ["2026-11-24T10:00:00+07:00", "A/1", "Nama Pengadu", "", "Siti Rahayu", "Sari", "petugas"],
    ["2026-11-24T10:00:00+07:00", "A/1", "Telepon", "081234567890", "081298765432", "Sari", "petugas"],
    ["2026-11-24T10:00:00+07:00", "A/1", "Alamat Pelapor", "RT 1", "RT 2", "Sari", "petugas"],
    ["2026-11-24T10:00:00+07:00", "A/1", "Tahap", "Diterima", "Verifikasi", "Sari", "petugas"],
    ["2026-11-24T11:00:00+07:00", "B/1", "Tahap", "Diterima", "Selesai", "Sari"],  # old short row
]


def test_audit_frame_pads_short_rows():
    frame = audit_frame(ROWS)
    assert list(frame.columns) == list(AUDIT_HEADER)
    assert len(frame) == 5 and frame.iloc[4]["Peran"] == ""
    assert audit_frame([]).empty


def test_alias_headers_are_personal_by_their_canonical_column():
    """Issue 12.13: Nama Pengadu / Alamat Pelapor / Telepon are masked like the canonical columns."""
    assert column_of("Nama Pengadu") == "nama_pelapor"
    assert column_of("Telepon") == "no_hp"
    assert column_of("Alamat Pelapor") == "alamat"
    history = complaint_history(audit_frame(ROWS), "A/1", handled=False, secret=False)
    text = history.to_string()
    for value in ("Siti Rahayu", "081234567890", "081298765432", "RT 2"):
        assert value not in text, value
    assert "S. R." in set(history["Nilai Baru"])
    assert "0812****5432" in set(history["Nilai Baru"])
    assert history.iloc[0]["Nilai Lama"] == "", "an empty value stays empty"
    assert "Verifikasi" in set(history["Nilai Baru"]), "other columns are shown as written"


def test_a_secret_complaint_hides_its_reporter_entirely_and_a_handler_sees_all():
    history = complaint_history(audit_frame(ROWS), "A/1", handled=False, secret=True)
    personal = history[history["Kolom"] != "Tahap"]
    assert set(personal["Nilai Baru"]) == {HIDDEN}
    full = complaint_history(audit_frame(ROWS), "A/1", handled=True, secret=True)
    assert "Siti Rahayu" in set(full["Nilai Baru"])


def test_only_the_complaints_rows():
    assert set(complaint_history(audit_frame(ROWS), "B/1", handled=True, secret=False)["Nomor"]) == {"B/1"}
    assert complaint_history(audit_frame(ROWS), None, handled=True, secret=False).empty


def test_the_sheets_own_header_names_the_column():
    rows = [list(AUDIT_HEADER), ["t", "A/1", "Nama Warga", "", "Siti Rahayu", "Sari", "petugas"]]
    history = complaint_history(
        audit_frame(rows), "A/1", handled=False, secret=False, headers={"nama_pelapor": "Nama Warga"}
    )
    assert set(history["Nilai Baru"]) == {"S. R."}


def test_history_of_a_rahasia_complaint_is_hidden_whatever_type_the_flag_has():
    """The register's typed frame holds Rahasia as a numpy bool: the reporter's old and new
    values are hidden from a kecamatan viewer, not merely masked."""
    complaint = pd.DataFrame(
        {"nomor": ["A/1"], "desa": ["Cibodas"], "rahasia": pd.Series([np.bool_(True)], dtype=bool)}
    )
    history = history_for_viewer(audit_frame(ROWS), complaint, Viewer("Camat", "kecamatan"))
    personal = history[history["Kolom"].isin(["Nama Pengadu", "Telepon", "Alamat Pelapor"])]
    assert len(personal)
    for column in ("Nilai Lama", "Nilai Baru"):
        shown = personal[column].fillna("")
        assert ((shown == "") | (shown == "(dirahasiakan)")).all(), shown.tolist()
