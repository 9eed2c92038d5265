"""Numbers, validation, stage rules, audit rows and WhatsApp links of recorded complaints."""

from __future__ import annotations

import dataclasses
import datetime as dt
import urllib.parse

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics.columns import AUDIT_HEADER
from metrics.complaint_updates import (
    StageUpdate,
    allowed_next_stages,
    answer_message,
    audit_rows,
    clean_input,
    current_stage,
    desa_code,
    new_complaint_cells,
    next_nomor,
    nomor_locations,
    row_snapshot,
    skipped_stages,
    update_cells,
    validate_new_complaint,
    validate_update,
    whatsapp_link,
)
from metrics.errors import PantauError
from metrics.profiles import load_profile, register_header
from metrics.register import SheetGrid

UMUM = load_profile("umum")
CIPARI = load_profile("cipari")
MAY = dt.datetime(2026, 5, 14, 10, 30)
NOW = dt.datetime(2026, 5, 20, 9, 0)


def with_format(profile, fmt):
    return dataclasses.replace(profile, nomor_format=fmt)


# A fixed-prefix format (as the single-desa seed profiles use) keeps these cases readable.
ADU = with_format(UMUM, "ADU/{tahun}/{bulan:02d}/{urut:04d}")


# ------------------------------------------------------------------------------------ Nomor


@pytest.mark.parametrize(
    ("existing", "when", "expected"),
    [
        ([], MAY, "ADU/2026/05/0001"),
        (["ADU/2026/05/0001", "ADU/2026/05/0002"], MAY, "ADU/2026/05/0003"),
        (["ADU/2026/05/0002", "ADU/2026/05/0017", "ADU/2026/05/0009"], MAY, "ADU/2026/05/0018"),
        # month rollover: April's numbers do not count in May
        (["ADU/2026/04/0099"], MAY, "ADU/2026/05/0001"),
        (["ADU/2026/04/0099", "ADU/2026/05/0004"], dt.datetime(2026, 6, 1, 0, 5), "ADU/2026/06/0001"),
        # year rollover: December 2025's sequence does not leak into January 2026
        (["ADU/2025/12/0042", "ADU/2025/01/0007"], dt.datetime(2026, 1, 1, 8), "ADU/2026/01/0001"),
        (["ADU/2025/12/0042"], dt.datetime(2025, 12, 31, 23, 59), "ADU/2025/12/0043"),
        # hand-typed spellings of the same pattern still count
        (["adu/2026/5/12", "  ADU/2026/05/0003  "], MAY, "ADU/2026/05/0013"),
        # junk: other patterns, empty cells, numbers, None, NaN, text around a number
        (
            [
                "SKM/2026/05/0044",
                "",
                None,
                3.0,
                float("nan"),
                "junk",
                "ADU/2026/05/abc",
                "xADU/2026/05/0050",
                "ADU/2026/05/0050 (batal)",
                "ADU/2026/05/",
                7,
            ],
            MAY,
            "ADU/2026/05/0001",
        ),
        # a 5-digit sequence overflows the 4-digit padding instead of wrapping
        (["ADU/2026/05/9999"], MAY, "ADU/2026/05/10000"),
    ],
)
def test_next_nomor(existing, when, expected):
    assert next_nomor(existing, ADU, when) == expected


def test_next_nomor_uses_profile_format():
    assert next_nomor(["CPR/2026/05/0041"], CIPARI, MAY) == "CPR/2026/05/0042"


def test_umum_numbers_start_with_the_desa_code_of_the_demo():
    assert next_nomor(["SKM/2026/05/0007", "MKS/2026/05/0030"], UMUM, MAY, "SKM") == "SKM/2026/05/0008"


@pytest.mark.parametrize(
    ("fmt", "existing", "code", "expected"),
    [
        (
            "{kode_desa}/{tahun}/{bulan:02d}/{urut:04d}",
            ["SKM/2026/05/0007", "MKS/2026/05/0030"],
            "SKM",
            "SKM/2026/05/0008",
        ),
        (
            "{kode_desa}/{tahun}/{bulan:02d}/{urut:04d}",
            ["SKM/2026/05/0007", "MKS/2026/05/0030"],
            "mks",
            "MKS/2026/05/0031",
        ),
        ("{desa}-{urut:03d}/{tahun}", ["CBD-009/2026", "CBD-010/2025"], "CBD", "CBD-010/2026"),
        ("REG.{tahun}.{urut}", ["REG.2026.9", "REG.2026.10", "REG.2025.99"], None, "REG.2026.11"),
        ("{urut:05d}", ["00041", "7"], None, "00042"),
    ],
)
def test_next_nomor_other_formats(fmt, existing, code, expected):
    assert next_nomor(existing, with_format(UMUM, fmt), MAY, code) == expected


@pytest.mark.parametrize(
    ("fmt", "code", "fragment"),
    [
        ("ADU/{tahun}/{bulan:02d}", None, "urut"),
        ("{kode_desa}/{urut}", None, "kode desa"),
        ("ADU/{rt}/{urut}", None, "rt"),
    ],
)
def test_next_nomor_unusable_format(fmt, code, fragment):
    with pytest.raises(PantauError, match=fragment):
        next_nomor([], with_format(UMUM, fmt), MAY, code)


@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.none(),
            st.integers(),
            st.from_regex(r"ADU/2026/05/\d{1,6}", fullmatch=True),
        )
    )
)
def test_next_nomor_is_new_and_of_the_period(existing):
    nomor = next_nomor(existing, ADU, MAY)
    assert nomor.startswith("ADU/2026/05/")
    assert nomor not in {clean_input(k) for k in existing if isinstance(k, str)}


@pytest.mark.parametrize(
    ("desa", "nomors", "expected"),
    [
        ("Sukamaju", [], "SKM"),
        ("Mekarsari", ["MKS/2024/01/0001", "MKS/2024/01/0002", "junk"], "MKS"),
        ("Ai", [], "AXX"),
    ],
)
def test_desa_code(desa, nomors, expected):
    assert desa_code(desa, nomors) == expected


# ---------------------------------------------------------------------------- new complaint

VALID = {
    "desa": "Sukamaju",
    "nama_pelapor": "Siti Rahayu",
    "alamat": "RT 02/RW 01, Dusun Kaler",
    "no_hp": "0812-3456-7890",
    "rahasia": False,
    "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang saat hujan",
    "saluran": "whatsapp",
    "kategori": "infrastruktur",
    "urgensi": "sedang",
    "tanggal_diterima": dt.datetime(2026, 5, 20, 8, 15),
}


def test_valid_new_complaint_has_no_problems():
    assert validate_new_complaint(VALID, UMUM, NOW) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"nama_pelapor": ""}, ["Nama pelapor wajib diisi"]),
        ({"alamat": "  "}, ["Alamat wajib diisi"]),
        ({"no_hp": ""}, ["No. HP wajib diisi"]),
        ({"no_hp": "12345"}, ["No. HP '12345' tidak valid"]),
        ({"no_hp": "+1 415 555 0100"}, ["tidak valid"]),
        ({"isi_pengaduan": ""}, ["Isi pengaduan wajib diisi"]),
        ({"isi_pengaduan": "jalan rusak"}, ["Isi pengaduan belum jelas"]),
        ({"isi_pengaduan": "kata " * 6_001}, ["Isi pengaduan terlalu panjang"]),
        ({"nama_pelapor": "N" * 201}, ["Nama pelapor terlalu panjang"]),
        ({"saluran": ""}, ["Saluran wajib dipilih"]),
        ({"saluran": "merpati pos"}, ["Saluran 'merpati pos' tidak ada di profil SOP"]),
        ({"kategori": "cuaca"}, ["Kategori 'cuaca' tidak ada"]),
        ({"urgensi": "sangat amat"}, ["Urgensi 'sangat amat' tidak ada"]),
        (
            {"tanggal_diterima": dt.datetime(2026, 5, 20, 9, 1)},
            ["Waktu diterima 09.01 tidak boleh di masa depan"],
        ),
        (
            {"tanggal_diterima": dt.datetime(2026, 5, 21, 8, 0)},
            ["Tanggal diterima tidak boleh di masa depan"],
        ),
        ({"tanggal_diterima": None}, ["Tanggal diterima wajib diisi"]),
        ({"tanggal_diterima": dt.datetime(1999, 1, 1)}, ["terlalu lama"]),
        ({"desa": ""}, ["Desa wajib dipilih"]),
        (
            {"nama_pelapor": "", "alamat": "", "no_hp": ""},
            ["Nama pelapor wajib", "Alamat wajib", "No. HP wajib"],
        ),
        # Rahasia/anonymous: identity may be empty, but a number given must be valid
        ({"rahasia": True, "nama_pelapor": "", "alamat": "", "no_hp": ""}, []),
        ({"rahasia": True, "nama_pelapor": "", "alamat": "", "no_hp": "999"}, ["No. HP '999' tidak valid"]),
        ({"rahasia": True, "isi_pengaduan": ""}, ["Isi pengaduan wajib diisi"]),
        # category and urgency may wait for verification; labels and aliases are accepted
        ({"kategori": "", "urgensi": ""}, []),
        ({"saluran": "WA", "kategori": "Jalan rusak", "urgensi": "Mendesak"}, []),
        ({"no_hp": "+62 812-3456-7890"}, []),
        ({"no_hp": "(022) 7654321"}, []),
        ({"tanggal_diterima": NOW}, []),
    ],
)
def test_new_complaint_problems(changes, expected):
    problems = validate_new_complaint({**VALID, **changes}, UMUM, NOW)
    assert len(problems) == len(expected), problems
    for message, fragment in zip(problems, expected, strict=True):
        assert fragment in message


def test_new_complaint_cells_are_labels_as_petugas_write_them():
    cells = new_complaint_cells(
        {
            **VALID,
            "saluran": "wa",
            "nama_pelapor": " Siti\x00 Rahayu\x07 ",
            "isi_pengaduan": '=HYPERLINK("http://x")',
        },
        UMUM,
        "Petugas Uji",
        NOW,
    )
    assert cells["saluran"] == "WhatsApp"
    assert cells["kategori"] == "Infrastruktur"
    assert cells["tanggal_diterima"] == "20/05/2026 08:15"
    assert cells["no_hp"] == "081234567890"
    assert cells["rahasia"] == "Tidak"
    assert cells["tahap"] == UMUM.stages[0].label
    assert cells["nama_pelapor"] == "Siti Rahayu"
    assert cells["isi_pengaduan"] == '=HYPERLINK("http://x")'
    assert cells["diperbarui_oleh"] == "Petugas Uji"
    assert cells["diperbarui_pada"] == "20/05/2026 09:00"


# ----------------------------------------------------------------------------------- stages


def test_allowed_next_stages_follow_the_sop():
    keys = [s.key for s in allowed_next_stages("diterima", UMUM)]
    assert keys == ["verifikasi", "disposisi", "tindak_lanjut", "jawaban", "selesai"]
    assert [s.key for s in allowed_next_stages("jawaban", UMUM)] == ["selesai"]
    assert allowed_next_stages("selesai", UMUM) == []
    assert allowed_next_stages(None, UMUM)[0].key == "verifikasi"
    assert allowed_next_stages("tidak_ada", UMUM)[0].key == "verifikasi"
    assert [s.key for s in allowed_next_stages("diterima", CIPARI)][:1] == ["dicatat_didistribusikan"]


def complaint(**values):
    base = {
        "nomor": "ADU/2026/05/0001",
        "desa": "Sukamaju",
        "tahap": "diterima",
        "nama_pelapor": "Siti Rahayu",
        "no_hp": "081234567890",
        "rahasia": False,
        "tanggal_diterima": pd.Timestamp("2026-05-10 08:00"),
        "tanggal_verifikasi": pd.NaT,
        "tanggal_disposisi": pd.NaT,
        "tanggal_tindak_lanjut": pd.NaT,
        "tanggal_jawaban": pd.NaT,
        "tanggal_selesai": pd.NaT,
        "disposisi_kepada": pd.NA,
        "jenis_penyelesaian": pd.NA,
        "hasil_tindak_lanjut": pd.NA,
        "no_berita_acara": pd.NA,
    }
    return {**base, **values}


def test_current_stage_from_tahap_or_latest_date():
    assert current_stage(complaint(), UMUM).key == "diterima"
    assert current_stage(complaint(tahap="disposisi"), UMUM).key == "disposisi"
    assert current_stage(complaint(tahap="Didisposisi"), UMUM).key == "disposisi"
    # the Tahap cell lags behind a recorded date: the date wins
    assert (
        current_stage(
            complaint(tahap="verifikasi", tanggal_tindak_lanjut=pd.Timestamp("2026-05-12")), UMUM
        ).key
        == "tindak_lanjut"
    )
    assert current_stage(complaint(tahap=pd.NA), UMUM).key == "diterima"


def test_skipped_stages_are_the_empty_ones_before_the_target():
    row = complaint(tahap="verifikasi", tanggal_verifikasi=pd.Timestamp("2026-05-11 09:00"))
    assert [s.key for s in skipped_stages(row, "tindak_lanjut", UMUM)] == ["disposisi"]
    assert skipped_stages(row, "disposisi", UMUM) == []


VERIFIED = complaint(tahap="verifikasi", tanggal_verifikasi=pd.Timestamp("2026-05-11 09:00"))
AT_FOLLOW_UP = complaint(
    tahap="tindak_lanjut",
    tanggal_verifikasi=pd.Timestamp("2026-05-11 09:00"),
    tanggal_disposisi=pd.Timestamp("2026-05-12 09:00"),
    tanggal_tindak_lanjut=pd.Timestamp("2026-05-15 09:00"),
    disposisi_kepada="Kasi Pemerintahan",
)


@pytest.mark.parametrize(
    ("row", "update", "expected"),
    [
        (VERIFIED, StageUpdate("disposisi", NOW, disposisi_kepada="Sekretaris Desa"), []),
        (VERIFIED, StageUpdate("disposisi", NOW), ["Disposisi kepada wajib dipilih"]),
        (
            VERIFIED,
            StageUpdate("disposisi", NOW, disposisi_kepada="Pak Lurah"),
            ["'Pak Lurah' bukan pejabat"],
        ),
        (
            VERIFIED,
            StageUpdate("disposisi", NOW + dt.timedelta(minutes=1), disposisi_kepada="Kepala Desa"),
            ["tidak boleh di masa depan"],
        ),
        (
            VERIFIED,
            StageUpdate("disposisi", dt.datetime(2026, 5, 11, 8, 59), disposisi_kepada="Kepala Desa"),
            ["tidak boleh sebelum tanggal tahap sebelumnya (11/05/2026 09:00)"],
        ),
        (
            VERIFIED,
            StageUpdate("disposisi", dt.datetime(2026, 5, 11, 9, 0), disposisi_kepada="Kepala Desa"),
            [],
        ),
        (VERIFIED, StageUpdate("disposisi", None, disposisi_kepada="Kepala Desa"), ["wajib diisi"]),
        # backwards or unknown stages are refused
        (VERIFIED, StageUpdate("diterima", NOW), ["tidak boleh dipilih"]),
        (AT_FOLLOW_UP, StageUpdate("disposisi", NOW), ["tidak boleh dipilih"]),
        (VERIFIED, StageUpdate("terbang", NOW), ["tidak boleh dipilih"]),
        # skipping forward is allowed (the official was set before; skipped dates stay empty)
        (VERIFIED, StageUpdate("tindak_lanjut", NOW), []),
        # the answer stage needs the answer text; settling needs the outcome kind
        (
            AT_FOLLOW_UP,
            StageUpdate("jawaban", NOW),
            ["Hasil tindak lanjut (jawaban kepada pelapor) wajib diisi"],
        ),
        (AT_FOLLOW_UP, StageUpdate("jawaban", NOW, hasil_tindak_lanjut="Jalan diperbaiki 18 Mei."), []),
        (
            AT_FOLLOW_UP,
            StageUpdate("selesai", NOW, hasil_tindak_lanjut="Sudah."),
            ["Jenis penyelesaian wajib dipilih"],
        ),
        (
            AT_FOLLOW_UP,
            StageUpdate("selesai", NOW, hasil_tindak_lanjut="Sudah.", jenis_penyelesaian="korektif"),
            [],
        ),
        (
            AT_FOLLOW_UP,
            StageUpdate("jawaban", NOW, hasil_tindak_lanjut="ok", jenis_penyelesaian="sulap"),
            ["Jenis penyelesaian 'sulap' tidak ada"],
        ),
        # a date before the latest earlier date (even of a skipped-over stage) is refused
        (
            AT_FOLLOW_UP,
            StageUpdate("jawaban", dt.datetime(2026, 5, 14), hasil_tindak_lanjut="ok"),
            ["tidak boleh sebelum tanggal tahap sebelumnya (15/05/2026 09:00)"],
        ),
        # staying at the stage: only the fields are checked, no date needed; berita acara is free text
        (AT_FOLLOW_UP, StageUpdate("tindak_lanjut", None, no_berita_acara="BA-7/rapat desa (2026)"), []),
        (AT_FOLLOW_UP, StageUpdate("tindak_lanjut", None, no_berita_acara="B" * 201), ["terlalu panjang"]),
    ],
)
def test_validate_update(row, update, expected):
    problems = validate_update(row, update, UMUM, NOW)
    assert len(problems) == len(expected), problems
    for message, fragment in zip(problems, expected, strict=True):
        assert fragment in message


def test_update_cells_write_stage_label_date_and_bookkeeping():
    cells = update_cells(
        AT_FOLLOW_UP,
        StageUpdate(
            "jawaban",
            dt.datetime(2026, 5, 19, 14, 5),
            hasil_tindak_lanjut=" Jalan diperbaiki. ",
            jenis_penyelesaian="tindakan_korektif",
            disposisi_kepada="Kasi Pemerintahan",
        ),
        UMUM,
        "Budi",
        NOW,
    )
    assert cells == {
        "tahap": "Jawaban disampaikan kepada pelapor",
        "tanggal_jawaban": "19/05/2026 14:05",
        "jenis_penyelesaian": "Tindakan korektif",
        "hasil_tindak_lanjut": "Jalan diperbaiki.",
        "diperbarui_oleh": "Budi",
        "diperbarui_pada": "20/05/2026 09:00",
    }
    staying = update_cells(
        AT_FOLLOW_UP, StageUpdate("tindak_lanjut", None, no_berita_acara="BA/1"), UMUM, "Budi", NOW
    )
    assert set(staying) == {"no_berita_acara", "diperbarui_oleh", "diperbarui_pada"}


def test_row_snapshot_reads_raw_cells_and_types_them():
    header = register_header(UMUM)
    row = [""] * len(header)
    values = {
        "Nomor": "ADU/2026/05/0001",
        "Desa": "Sukamaju",
        "Tanggal Diterima": "10-05-2026 08.00",
        "Tahap": "Verifikasi",
        "Tanggal Verifikasi": "11 Mei 2026 09.00",
        "No. HP": "+62 812-3456-7890",
    }
    for name, value in values.items():
        row[header.index(name)] = value
    other = list(row)
    other[0] = "ADU/2026/05/0002"
    grid = SheetGrid("Register", [["BUKU REGISTER"], header, other, row])
    snapshot = row_snapshot(grid, " ADU/2026/05/0001 ", UMUM)
    assert snapshot is not None
    assert snapshot.raw["Tanggal Verifikasi"] == "11 Mei 2026 09.00"
    assert snapshot.complaint["tanggal_verifikasi"] == pd.Timestamp("2026-05-11 09:00")
    assert snapshot.complaint["no_hp"] == "081234567890"
    assert current_stage(snapshot.complaint, UMUM).key == "verifikasi"
    changes = snapshot.changes(
        {"tahap": "X", "no_berita_acara": "BA"}, {"no_berita_acara": "No. Berita Acara"}
    )
    assert changes == {"Tahap": ("Verifikasi", "X"), "No. Berita Acara": ("", "BA")}
    assert row_snapshot(grid, "ADU/2026/05/0099", UMUM) is None
    duplicated = SheetGrid("Register", [header, row, row])
    assert row_snapshot(duplicated, "ADU/2026/05/0001", UMUM) is None
    assert nomor_locations(duplicated, "adu/2026/05/0001", UMUM) == ["Register baris 2", "Register baris 3"]
    assert nomor_locations(grid, "ADU/2026/05/0099", UMUM) == []


def test_row_snapshot_ignores_case_and_spaces_and_keeps_the_written_nomor():
    header = register_header(UMUM)
    row = [""] * len(header)
    row[header.index("Nomor")] = "CBD/2026/11/0014"
    row[header.index("Desa")] = "Cibodas"
    row[header.index("Tanggal Diterima")] = "10-11-2026 08.00"
    grid = SheetGrid("Register", [header, row])
    snapshot = row_snapshot(grid, " cbd / 2026/11/0014 ", UMUM)
    assert snapshot is not None
    assert snapshot.nomor == "CBD/2026/11/0014"


# ------------------------------------------------------------------------------------ audit


def test_audit_rows_one_per_changed_column():
    when = dt.datetime(2026, 5, 20, 9, 0, 7, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    rows = audit_rows(
        "ADU/2026/05/0001",
        {
            "Tahap": ("Verifikasi", "Disposisi ke pejabat berwenang"),
            "Tanggal Disposisi": ("", "20/05/2026 09:00"),
            "Disposisi Kepada": ("Kepala Desa", "Kepala Desa"),  # unchanged: no row
            "Diperbarui Oleh": ("Ani", "Budi"),  # bookkeeping: no row
            "Diperbarui Pada": ("19/05/2026 08:00", "20/05/2026 09:00"),
            "Catatan Lain": ("", '=HYPERLINK("http://x")'),
        },
        "Budi",
        "petugas",
        when,
    )
    assert rows == [
        [
            "2026-05-20T09:00:07+07:00",
            "ADU/2026/05/0001",
            "Tahap",
            "Verifikasi",
            "Disposisi ke pejabat berwenang",
            "Budi",
            "petugas",
            "",
        ],
        [
            "2026-05-20T09:00:07+07:00",
            "ADU/2026/05/0001",
            "Tanggal Disposisi",
            "",
            "20/05/2026 09:00",
            "Budi",
            "petugas",
            "",
        ],
        [
            "2026-05-20T09:00:07+07:00",
            "ADU/2026/05/0001",
            "Catatan Lain",
            "",
            '=HYPERLINK("http://x")',
            "Budi",
            "petugas",
            "",
        ],
    ]
    assert all(len(r) == len(AUDIT_HEADER) for r in rows)
    assert audit_rows("X", {}, "a", "b", when) == []
    naive = audit_rows("X", {"Tahap": ("a", "b")}, "a", "b", dt.datetime(2026, 1, 2, 3, 4, 5, 999))
    assert naive[0][0] == "2026-01-02T03:04:05"


# ------------------------------------------------------------------------------- WhatsApp


@pytest.mark.parametrize(
    ("phone", "number"),
    [
        ("081234567890", "6281234567890"),
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("81234567890", "6281234567890"),
    ],
)
def test_whatsapp_link_normalises_the_number(phone, number):
    link = whatsapp_link(phone, "Halo")
    assert link == f"https://wa.me/{number}?text=Halo"


def test_whatsapp_link_encodes_the_message():
    message = 'Nomor ADU/2026/05/0001 & hasil: 100% selesai?\nBaris 2 #ok 😀 =HYPERLINK("x")'
    link = whatsapp_link("081234567890", message)
    query = link.split("?text=", 1)[1]
    assert all(c not in query for c in " \n&#?/")
    assert urllib.parse.unquote(query) == message


@pytest.mark.parametrize("phone", ["", None, "12345", "(022) 7654321", "+1 415 555 0100"])
def test_whatsapp_link_refuses_non_mobile_numbers(phone):
    with pytest.raises(PantauError, match="WhatsApp"):
        whatsapp_link(phone, "Halo")


def test_answer_message_has_number_result_and_contact():
    row = complaint(
        tahap="jawaban",
        tanggal_jawaban=pd.Timestamp("2026-05-19 14:05"),
        jenis_penyelesaian="tindakan_korektif",
        hasil_tindak_lanjut="Jalan di RT 02 sudah ditambal pada 18 Mei 2026.",
    )
    text = answer_message(row, UMUM, "Sukamaju")
    assert "ADU/2026/05/0001" in text
    assert "Siti Rahayu" in text
    assert "10/05/2026" in text
    assert "Tindakan korektif" in text
    assert "Jalan di RT 02 sudah ditambal" in text
    assert "Desa Sukamaju" in text
    assert "4 angka terakhir" in text
    secret = answer_message({**row, "rahasia": True}, UMUM, "Sukamaju", contact="0822-2038-3528")
    assert "Siti" not in secret
    assert "0822-2038-3528" in secret
    long = answer_message({**row, "hasil_tindak_lanjut": "a" * 5000}, UMUM, "Sukamaju")
    assert len(long) < 2000
    linked = answer_message(row, UMUM, "Sukamaju", public_url="https://aduan.contoh.desa.id/")
    assert "Lacak di https://aduan.contoh.desa.id/lacak dengan Nomor" in linked
