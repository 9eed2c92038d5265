"""metrics.privacy: one masking rule, driven by the column registry, for complaint rows, audit
history and quality findings — including registers written with alias headers (issue 12 #13)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics import columns
from metrics.columns import AUDIT_HEADER, COLUMN_BY_KEY, COLUMNS, personal_columns
from metrics.privacy import (
    HIDDEN,
    MASKERS,
    hide_for_aggregate,
    is_secret,
    mask_audit_history,
    mask_complaint,
    mask_findings,
    mask_for_document,
    mask_name,
    mask_personal_data,
    mask_phone,
)
from metrics.profiles import load_profile
from metrics.quality import quality_findings
from metrics.register import SheetGrid, normalise_register

UMUM = load_profile("umum")
# Documented alias headers (README): the register as some desas write it.
ALIAS_HEADER = [
    "No. Register",
    "Desa",
    "Tgl Terima",
    "Saluran",
    "Nama Pengadu",
    "Alamat Pelapor",
    "Telepon",
    "Rahasia",
    "Isi Pengaduan",
    "Kategori",
    "Urgensi",
    "Tahap",
]
PLAIN = [
    "A/1",
    "Cibodas",
    "06/01/2025 09:00",
    "WA",
    "Siti Rahayu",
    "Jl. Melati 5 RT 01",
    "0812 abc 999",
    "Tidak",
]
SECRET = ["A/2", "Cibodas", "06/01/2025 09:00", "WA", "Budi Santoso", "Jl. Mawar 7 RT 02", "08xx99", "Ya"]
REST = ["Jalan rusak di RT 01 sejak lama", "Infrastruktur", "Sedang", "Diterima"]


def alias_register():
    grid = SheetGrid("Register", [ALIAS_HEADER, PLAIN + REST, SECRET + REST])
    return normalise_register([grid], UMUM)


def test_registry_declares_the_personal_columns_and_their_masks() -> None:
    assert personal_columns() == ("nama_pelapor", "alamat", "no_hp")
    assert {COLUMN_BY_KEY[k].mask for k in personal_columns()} == {"initials", "hidden", "phone"}
    # the template is the registry's headers in order, the stage block found by flag, not position
    assert tuple(c.header for c in COLUMNS) == columns.TEMPLATE_HEADER
    assert columns.HEADER_BEFORE_STAGES[-1] == "Disposisi Kepada"
    assert columns.HEADER_AFTER_STAGES[0] == "Jenis Penyelesaian"


def test_complaint_rows_masked_unless_handled_and_hidden_when_secret() -> None:
    complaints = alias_register().complaints
    handled = pd.Series([True, False], index=complaints.index)
    out = mask_personal_data(complaints, handled)
    assert out.loc[complaints.index[0], "nama_pelapor"] == "Siti Rahayu"  # handled: in full
    second = out.loc[complaints.index[1]]
    assert (second["nama_pelapor"], second["alamat"], second["no_hp"]) == (HIDDEN, HIDDEN, HIDDEN)
    nobody = mask_personal_data(complaints, pd.Series(False, index=complaints.index))
    first = nobody.loc[complaints.index[0]]
    assert (first["nama_pelapor"], first["alamat"], first["no_hp"]) == ("S. R.", "****", "0812**** 999")
    assert complaints.loc[complaints.index[1], "nama_pelapor"] == "Budi Santoso"  # input not modified


def test_audit_history_with_alias_headers_is_masked_on_canonical_columns() -> None:
    history = pd.DataFrame(
        [
            ["2026-11-24T10:00", "A/1", "Nama Pengadu", "", "Siti Rahayu", "x", "petugas"],
            ["2026-11-24T10:00", "A/1", "Alamat Pelapor", "Jl. Lama 1", "Jl. Melati 5 RT 01", "x", "petugas"],
            ["2026-11-24T10:00", "A/1", "Telepon", "081111111111", "081234567890", "x", "petugas"],
            ["2026-11-24T10:00", "A/1", "Tahap", "Diterima", "Verifikasi", "x", "petugas"],
        ],
        columns=list(AUDIT_HEADER[:7]),
    )
    masked = mask_audit_history(history, handled=False, secret=False)
    assert masked["Nilai Baru"].tolist() == ["S. R.", "****", "0812****7890", "Verifikasi"]
    assert masked["Nilai Lama"].tolist() == ["", "****", "0811****1111", "Diterima"]  # empty stays empty
    secret = mask_audit_history(history, handled=False, secret=True)
    assert secret["Nilai Baru"].tolist() == [HIDDEN, HIDDEN, HIDDEN, "Verifikasi"]
    assert mask_audit_history(history, handled=True, secret=True).equals(history)
    text = " ".join(secret.astype(str).to_numpy().ravel())
    for value in ("Siti", "Melati", "Jl. Lama", "1234567890", "1111111111"):
        assert value not in text


def test_findings_with_alias_headers_are_masked() -> None:
    register = alias_register()
    findings = quality_findings(register, UMUM, pd.Timestamp("2025-06-30 12:00"))
    rows = register.complaints.set_index("_row")
    of_row = findings["baris"].astype("Int64")
    handled = pd.Series(False, index=findings.index)
    secret = of_row.map(rows["rahasia"]).astype(object)
    phones = findings[findings["kunci"] == "no_hp"]
    assert set(phones["nilai"]) == {"0812 abc 999", "08xx99"}  # the check under test did fire
    masked = mask_findings(findings, handled, secret)
    shown = masked.loc[phones.index].set_index(of_row.loc[phones.index])
    assert shown.loc[3, "nilai"] == HIDDEN  # Rahasia: hidden entirely
    assert shown.loc[2, "nilai"] == "0812**** 999"
    for value in ("0812 abc 999", "08xx99"):
        assert not masked["pesan"].str.contains(value, regex=False).any()
        assert not (masked["nilai"] == value).any()
    # a handler sees the value as written
    assert mask_findings(findings, pd.Series(True, index=findings.index), secret).equals(findings)


def test_aggregate_and_one_complaint() -> None:
    complaints = alias_register().complaints
    hidden = hide_for_aggregate(complaints)
    for key in (*personal_columns(), "isi_pengaduan"):
        assert (hidden[key] == HIDDEN).all()
    one = complaints.iloc[0].to_dict()
    assert mask_complaint(one)["nama_pelapor"] == "S. R."
    assert mask_complaint(complaints.iloc[1].to_dict())["no_hp"] == HIDDEN
    assert is_secret(complaints.iloc[[1]]) and not is_secret(complaints.iloc[[0]])
    assert is_secret({"rahasia": True}) and not is_secret({"rahasia": float("nan")})


def test_a_new_personal_column_is_one_registry_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Marking a column personal in the registry masks it everywhere (rows, history, findings)."""
    patched = tuple(
        dataclasses.replace(c, mask="initials") if c.key == "disposisi_kepada" else c for c in COLUMNS
    )
    monkeypatch.setattr(columns, "COLUMNS", patched)
    monkeypatch.setattr(columns, "COLUMN_BY_KEY", {c.key: c for c in patched})
    assert "disposisi_kepada" in personal_columns()
    frame = pd.DataFrame({"disposisi_kepada": ["Kasi Pemerintahan"], "rahasia": [False]})
    assert mask_personal_data(frame, pd.Series([False]))["disposisi_kepada"].iloc[0] == "K. P."
    history = pd.DataFrame(
        [["t", "A/1", "Disposisi", "", "Kasi Pemerintahan", "x", "petugas"]], columns=list(AUDIT_HEADER[:7])
    )
    assert mask_audit_history(history, handled=False, secret=False)["Nilai Baru"].iloc[0] == "K. P."


def test_mask_for_document_by_audience():
    frame = pd.DataFrame(
        [
            {"nama_pelapor": "Siti Rahayu", "alamat": "RT 02", "no_hp": "081234567890", "rahasia": False},
            {"nama_pelapor": "Budi", "alamat": "RT 03", "no_hp": None, "rahasia": True},
        ]
    )
    handled = pd.Series([True, True])
    internal = mask_for_document(frame, handled, "internal")
    assert internal.loc[0, "no_hp"] == "081234567890" and internal.loc[1, "nama_pelapor"] == "Budi"
    outside = mask_for_document(frame, pd.Series([False, False]), "internal")
    assert outside.loc[0, "no_hp"] == "0812****7890" and outside.loc[1, "nama_pelapor"] == HIDDEN
    complainant = mask_for_document(frame, handled, "complainant")
    assert complainant.loc[0, "no_hp"] == "****7890" and complainant.loc[0, "nama_pelapor"] == "Siti Rahayu"
    assert complainant.loc[1, "nama_pelapor"] == HIDDEN and pd.isna(complainant.loc[1, "no_hp"])
    public = mask_for_document(frame, handled, "public")
    assert public.loc[0, "nama_pelapor"] == "S. R." and public.loc[1, "alamat"] == HIDDEN
    assert frame.loc[0, "no_hp"] == "081234567890"  # input untouched


def test_mask_for_document_masks_hand_typed_mentions_of_the_complainant():
    frame = pd.DataFrame(
        [
            {"nama_pelapor": "Siti Rahayu", "rahasia": True, "peserta": "siti  RAHAYU (Pelapor)", "isi": "x"},
            {
                "nama_pelapor": "Siti Rahayu",
                "rahasia": True,
                "peserta": "Kepala Desa",
                "isi": "Bu Siti Rahayu.",
            },
            {"nama_pelapor": "Siti Rahayu", "rahasia": True, "peserta": "Sitinah", "isi": "Siti Rahayuni"},
            {
                "nama_pelapor": "Budi Santoso",
                "rahasia": False,
                "peserta": "Budi Santoso",
                "isi": "Budi Santoso",
            },
        ]
    )
    handled = pd.Series([True] * 4)
    for audience in ("public", "complainant"):
        shown = mask_for_document(frame, handled, audience, entries=("peserta",), texts=("isi",))
        assert list(shown.loc[:2, "peserta"]) == [HIDDEN, "Kepala Desa", "Sitinah"]  # whole words only
        assert list(shown.loc[:2, "isi"]) == ["x", f"Bu {HIDDEN}.", "Siti Rahayuni"]
        assert "Siti Rahayu" not in " ".join(shown.loc[:1, ["peserta", "isi"]].stack().astype(str))
    public = mask_for_document(frame, handled, "public", entries=("peserta",), texts=("isi",))
    assert public.loc[3, "peserta"] == "B. S." and public.loc[3, "isi"] == "B. S."  # as the name is shown
    # shown in full where the document shows the name in full
    complainant = mask_for_document(frame, handled, "complainant", entries=("peserta",), texts=("isi",))
    assert complainant.loc[3, "peserta"] == "Budi Santoso"
    internal = mask_for_document(frame, handled, "internal", entries=("peserta",), texts=("isi",))
    assert internal.loc[0, "peserta"] == "siti  RAHAYU (Pelapor)"
    assert frame.loc[0, "peserta"] == "siti  RAHAYU (Pelapor)"  # input untouched


# The per-row implementations before the register page's speed-up (issue 11): the oracle of the
# vectorised ones (initials once per distinct name; masks computed only for the masked rows).
def _old_mask_name(names: pd.Series) -> pd.Series:
    text = names.astype("string")
    initials = text.str.split().map(
        lambda words: " ".join(w[0].upper() + "." for w in words if w) if isinstance(words, list) else pd.NA
    )
    return initials.astype("string").where(text.notna(), pd.NA)


def _old_mask_personal_data(complaints: pd.DataFrame, handled: pd.Series) -> pd.DataFrame:
    out = complaints.copy()
    not_handled = ~handled.reindex(out.index, fill_value=False).astype(bool)
    secret = (
        out["rahasia"].fillna(False).astype(bool) if "rahasia" in out else pd.Series(False, index=out.index)
    )
    for column in personal_columns():
        if column not in out:
            continue
        values = out[column].astype("string")
        masked = MASKERS[COLUMN_BY_KEY[column].mask](values).where(~(secret & not_handled), HIDDEN)
        out[column] = values.where(~not_handled, masked)
    return out


HOSTILE_NAMES = [
    "Siti Rahayu",
    "siti  rahayu ",
    "",
    "   ",
    None,
    float("nan"),
    "ßtraße ǆemal",
    "\u00a0Ahmad\u200bHidayat",
    "A\tB\nC",
    "Siti Rahayu",
    "𝔸li",
    "=HYPERLINK(1)",
]


def test_mask_name_equals_the_per_row_initials_on_hostile_and_missing_names() -> None:
    names = pd.Series(HOSTILE_NAMES, index=[10 * i for i in range(len(HOSTILE_NAMES))], dtype=object)
    pd.testing.assert_series_equal(mask_name(names), _old_mask_name(names))
    assert mask_name(names).iloc[0] == "S. R."
    assert mask_name(names).isna().tolist() == [False] * 4 + [True, True] + [False] * 6


@given(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=30))
def test_mask_name_equals_the_per_row_initials_on_any_text(names: list[str | None]) -> None:
    series = pd.Series(names, dtype=object)
    pd.testing.assert_series_equal(mask_name(series), _old_mask_name(series))


def test_mask_personal_data_masks_only_unhandled_rows_as_before() -> None:
    n = len(HOSTILE_NAMES)
    frame = pd.DataFrame(
        {
            "nomor": [f"A/{i}" for i in range(n)],
            "nama_pelapor": HOSTILE_NAMES,
            "alamat": ["Jl. Melati", None, "", "RT 01", "x"] * 2 + ["y", None],
            "no_hp": ["081234567890", "0812", None, "", "+62 812-3456", "08xx99"] * 2,
            "rahasia": pd.array([True, False, None, False] * 3, dtype="boolean"),
        },
        index=[7 * i + 3 for i in range(n)],
    )
    for handled in (
        pd.Series([i % 3 == 0 for i in range(n)], index=frame.index),
        pd.Series(True, index=frame.index),
        pd.Series(False, index=frame.index),
        pd.Series([True, False], index=frame.index[[1, 4]]),  # partial: the others are not handled
    ):
        masked = mask_personal_data(frame, handled)
        pd.testing.assert_frame_equal(masked, _old_mask_personal_data(frame, handled))
    masked = mask_personal_data(frame, pd.Series(False, index=frame.index))
    assert masked["nama_pelapor"].iloc[0] == HIDDEN and masked["nama_pelapor"].iloc[1] == "S. R."
    assert masked["no_hp"].iloc[1] == mask_phone(pd.Series(["0812"])).iloc[0]
    assert frame["nama_pelapor"].iloc[1] == "siti  rahayu "  # the input is never changed
