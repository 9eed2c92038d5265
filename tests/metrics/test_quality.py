"""Unit tests of metrics.quality: each check, the catalogue, over time, set aside, and never raising."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.columns import TEMPLATE_HEADER, column_key
from metrics.profiles import load_profile
from metrics.quality import (
    QUALITY_CHECKS,
    QUALITY_COLUMNS,
    SET_ASIDE_FIGURES,
    SEVERITIES,
    findings_over_time,
    quality_findings,
    set_aside_summary,
)
from metrics.register import SheetGrid, normalise_register

UMUM = load_profile("umum")
HEADER = list(TEMPLATE_HEADER)
KEYS = [column_key(h) for h in HEADER]
NOW = pd.Timestamp("2025-06-30 12:00")
DESA = ["Cibodas", "Mekarsari", "Margamulya"]


def row(**cells: str) -> list[str]:
    base = {
        "nomor": "A/1",
        "desa": "Cibodas",
        "tanggal_diterima": "06/01/2025 09:00",
        "saluran": "WA",
        "nama_pelapor": "Siti",
        "alamat": "RT 01",
        "no_hp": "081234567890",
        "rahasia": "Tidak",
        "isi_pengaduan": "Jalan rusak",
        "kategori": "Infrastruktur",
        "urgensi": "Sedang",
        "tahap": "Diterima",
    }
    values = {**base, **cells}
    return [values.get(k, "") for k in KEYS]


def findings_of(*rows: list[str], now=NOW, desa=None, header=HEADER) -> pd.DataFrame:
    register = normalise_register([SheetGrid("R", [header, *rows])], UMUM, desa_names=desa)
    return quality_findings(register, UMUM, now, desa)


def codes(findings: pd.DataFrame) -> list[tuple[str, int, str]]:
    return [(r.kode, int(r.baris), r.kolom) for r in findings.itertuples() if pd.notna(r.baris)]


def test_catalogue_is_complete_data():
    assert all(c.tingkat in SEVERITIES for c in QUALITY_CHECKS.values())
    assert all(c.judul_id and c.judul_en and c.saran for c in QUALITY_CHECKS.values())
    assert {
        "NOMOR_KOSONG",
        "NOMOR_GANDA",
        "TANGGAL_TIDAK_TERBACA",
        "TANGGAL_MASA_DEPAN",
        "URUTAN_TANGGAL",
        "TAHAP_TERLEWAT",
        "TAHAP_TIDAK_SESUAI",
        "NILAI_TIDAK_DIKENAL",
        "DESA_TIDAK_DIKENAL",
        "ELEMEN_KOSONG",
        "HP_TIDAK_VALID",
        "SELESAI_TANPA_JENIS",
        "TEKS_TERLALU_PANJANG",
        "SEL_RUMUS",
    } <= set(QUALITY_CHECKS)


def test_clean_row_has_no_findings_and_frame_has_the_columns():
    found = findings_of(row())
    assert found.empty and list(found.columns) == list(QUALITY_COLUMNS)


def test_finding_names_row_header_cell_raw_value_nomor_and_desa():
    found = findings_of(row(), row(nomor="A/2", tanggal_diterima="31/02/2025"))
    hit = found.iloc[0]
    assert (hit.kode, hit.baris, hit.kolom, hit.sel, hit.nilai) == (
        "TANGGAL_TIDAK_TERBACA",
        3,
        "Tanggal Diterima",
        "C3",
        "31/02/2025",
    )
    assert (hit.nomor, hit.desa, hit.tingkat) == ("A/2", "Cibodas", "galat")


def test_duplicate_nomor_names_all_rows():
    found = findings_of(row(), row(), row(nomor="a/1 "))
    assert codes(found) == [
        ("NOMOR_GANDA", 2, "Nomor"),
        ("NOMOR_GANDA", 3, "Nomor"),
        ("NOMOR_GANDA", 4, "Nomor"),
    ]
    assert "R baris 2, R baris 3, R baris 4" in found.iloc[0].pesan


@pytest.mark.parametrize(
    ("typed", "future"),
    [
        ("01/07/2025", True),
        ("30/06/2025 14:30", True),
        ("30/06/2025 13:59", False),
        ("30/06/2025", False),
        ("29/06/2025 23:00", False),
        ("01/01/2052", True),
    ],
)
def test_future_dates(typed, future):
    found = findings_of(row(tanggal_diterima=typed))
    assert ("TANGGAL_MASA_DEPAN" in set(found["kode"])) is future


def test_answer_before_receipt_names_both_columns():
    found = findings_of(row(tanggal_jawaban="05/01/2025 10:00", tahap="Jawaban"))
    order = found[found["kode"] == "URUTAN_TANGGAL"].iloc[0]
    assert order.kolom == "Tanggal Jawaban"
    assert "Tanggal Diterima" in order.pesan and "05/01/2025 10:00" in order.pesan


def test_unknown_values_suggest_the_closest_known_value():
    found = findings_of(
        row(nomor="1", kategori="Infrastuktur"),
        row(nomor="2", urgensi="mendsak"),
        row(nomor="3", saluran="Instagram DM"),
        row(nomor="4", desa="Margamulia"),
        desa=DESA,
    )
    messages = dict(zip(found["kolom"], found["pesan"], strict=True))
    assert "Mungkin maksudnya 'Infrastruktur'" in messages["Kategori"]
    assert "Mungkin maksudnya 'Tinggi'" in messages["Urgensi"]
    assert "Mungkin maksudnya 'Media sosial'" in messages["Saluran"]
    assert "Mungkin maksudnya 'Margamulya'" in messages["Desa"]


def test_no_suggestion_when_nothing_is_close():
    found = findings_of(row(saluran="Telegram"))
    assert "Mungkin" not in found.iloc[0].pesan


def test_rahasia_exempts_identity_but_not_the_complaint_text():
    found = findings_of(row(nama_pelapor="", alamat="", no_hp="", rahasia="Ya", isi_pengaduan=""))
    assert codes(found) == [("ELEMEN_KOSONG", 2, "Isi Pengaduan")]


def test_cipari_required_elements_apply_under_the_cipari_profile():
    cipari = load_profile("cipari")
    assert cipari.required_elements == ("nama_pelapor", "alamat", "no_hp", "isi_pengaduan")


def test_negative_numbers_and_phones_are_not_formulas():
    found = findings_of(row(no_berita_acara="-12", no_hp="+62 812-3456-7890", hasil_tindak_lanjut="+5"))
    assert found.empty


def test_long_text_is_quoted_short():
    found = findings_of(row(isi_pengaduan="a" * 60_000))
    hit = found.set_index("kode").loc["TEKS_TERLALU_PANJANG"]
    assert len(hit["nilai"]) < 1100 and "60000 karakter" in hit["nilai"]


def test_bad_answer_date_keeps_the_complaint_in_period_figures():
    rows = [
        row(nomor="1", tanggal_jawaban="kemarin", tahap="Jawaban"),
        row(nomor="2", tanggal_diterima="kemarin"),
    ]
    register = normalise_register([SheetGrid("R", [HEADER, *rows])], UMUM)
    found = quality_findings(register, UMUM, NOW)
    summary = set_aside_summary(found, register.complaints).set_index("angka")
    assert summary.loc["periode", "jumlah"] == 1  # only the unreadable receipt date
    assert summary.loc["tahap", "jumlah"] == 1  # the bad answer date: that stage only
    assert set(summary.index) <= set(SET_ASIDE_FIGURES)
    per_month = findings_over_time(found, register.complaints)
    assert per_month["pengaduan"].sum() == 1 and per_month["pengaduan_bermasalah"].sum() == 1


def test_findings_over_time_shows_the_register_getting_cleaner():
    rows = [row(nomor=f"J{i}", tanggal_diterima=f"0{i}/01/2025", saluran="??x") for i in range(1, 5)]
    rows += [
        row(nomor=f"F{i}", tanggal_diterima=f"0{i}/02/2025", no_hp=f"08123456789{i}") for i in range(1, 5)
    ]
    rows += [row(nomor="M1", tanggal_diterima="03/04/2025", saluran="??x")]
    register = normalise_register([SheetGrid("R", [HEADER, *rows])], UMUM)
    per_month = findings_over_time(quality_findings(register, UMUM, NOW), register.complaints)
    assert [str(p) for p in per_month["bulan"]] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert per_month["pengaduan"].tolist() == [4, 4, 0, 1]
    assert per_month["bagian_bermasalah"].iloc[:2].tolist() == [1.0, 0.0]
    assert pd.isna(per_month["bagian_bermasalah"].iloc[2])


def test_inputs_are_not_modified():
    register = normalise_register([SheetGrid("R", [HEADER, row(tanggal_jawaban="x"), row()])], UMUM)
    before = (register.complaints.copy(), register.findings.copy(), register.raw.copy())
    quality_findings(register, UMUM, NOW, DESA)
    pd.testing.assert_frame_equal(register.complaints, before[0])
    pd.testing.assert_frame_equal(register.findings, before[1])
    pd.testing.assert_frame_equal(register.raw, before[2])


def test_a_register_of_another_shape_without_raw_cells_still_works():
    register = normalise_register([SheetGrid("R", [HEADER, row(nomor="")])], UMUM)
    import dataclasses

    bare = dataclasses.replace(register, raw=None, header_cells={})
    found = quality_findings(bare, UMUM, NOW)
    assert "NOMOR_KOSONG" in set(found["kode"]) and set(found["sel"]) == {""}


# --------------------------------------------------------------------------------------------
# Never raises, whatever the cells hold

CELL = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "\u00a0",
            "-",
            "=1+1",
            "+62 812",
            "31/02/2025",
            "06/01/2025 09:00",
            "45663",
            "Selesai",
            "WA",
            "Ya",
            "\x00",
            "\x0b\x1b",
            "😡🙏",
            "Cibodas",
            "A/1",
        ]
    ),
    st.builds(lambda n: "x" * n, st.sampled_from([50_001, 70_000])),
)
HEADERS = st.lists(st.one_of(st.sampled_from(HEADER), st.text(max_size=10)), min_size=0, max_size=8)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(
    header=HEADERS,
    body=st.lists(st.lists(CELL, max_size=10), max_size=6),
    titles=st.lists(st.lists(CELL, max_size=3), max_size=2),
    now=st.datetimes(
        min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2060-01-01").to_pydatetime(),
    ),
)
def test_random_grids_never_raise(header, body, titles, now):
    grids = [
        SheetGrid("R", [*titles, ["Nomor", "Tanggal Diterima", *header], *body]),
        SheetGrid("Lain", body),
    ]
    register = normalise_register(grids, UMUM, desa_names=DESA)
    found = quality_findings(register, UMUM, pd.Timestamp(now), DESA)
    assert list(found.columns) == list(QUALITY_COLUMNS)
    assert set(found["kode"]) <= set(QUALITY_CHECKS)
    assert found["baris"].dropna().gt(0).all()
    findings_over_time(found, register.complaints)
    set_aside_summary(found, register.complaints)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=5))
def test_random_cells_under_the_full_template_never_raise(body):
    register = normalise_register([SheetGrid("R", [HEADER, *body])], UMUM, desa_names=DESA)
    found = quality_findings(register, UMUM, NOW, DESA)
    row_level = found.dropna(subset=["baris"])
    assert set(row_level["baris"]) <= set(register.complaints["_row"]) | {1}


def test_sheet_without_desa_or_nomor_columns_says_what_follows():
    register = normalise_register(
        [SheetGrid("Sheet1", [["Tanggal", "Nama", "Keluhan"], ["01/06/2025", "Budi", "Jalan rusak"]])], UMUM
    )
    found = quality_findings(register, UMUM, NOW)
    by_key = {k: m for k, m in zip(found["kunci"], found["pesan"], strict=True)}
    assert "nama sheet 'Sheet1' dipakai sebagai nama desa" in by_key["desa"]
    assert "tidak dapat dicari, diperbarui lewat aplikasi, atau dilacak" in by_key["nomor"]
    # with the kecamatan's desa names configured the normaliser names the sheet instead: once
    configured = normalise_register(
        [SheetGrid("Sheet1", [["Tanggal", "Nama", "Keluhan"], ["01/06/2025", "Budi", "x"]])],
        UMUM,
        desa_names=["Cibodas"],
    )
    again = quality_findings(configured, UMUM, NOW, desa_names=["Cibodas"])
    assert list(again["kunci"]).count("desa") == 1


def test_unknown_desa_is_a_finding_without_configured_desa_names():
    rows = [row(nomor=f"M/{i}", desa="Margamulya") for i in range(50)]
    rows += [row(nomor=f"C/{i}", desa="Cibodas") for i in range(60)]
    rows += [row(nomor=f"S/{i}", desa="Sukamaju") for i in range(50)]
    rows += [row(nomor="MX/1", desa="Margamulia"), row(nomor="MX/2", desa="Margamulia")]
    rows += [row(nomor="X/1", desa="Cikoneng")]  # 1 row of 163: under 1 %
    found = findings_of(*rows)
    unknown = found[found["kode"] == "DESA_TIDAK_DIKENAL"]
    assert sorted(unknown["nomor"]) == ["MX/1", "MX/2", "X/1"]
    assert unknown.set_index("nomor").loc["MX/1", "pesan"].count("Margamulya") == 1
    assert "1 %" in unknown.set_index("nomor").loc["X/1", "pesan"]


def test_settled_before_receipt_and_in_the_future_are_findings():
    found = findings_of(
        row(nomor="A/1", tanggal_selesai="01/01/2025 09:00"),
        row(nomor="A/2", tanggal_selesai="01/01/2026 09:00"),
    )
    assert ("URUTAN_TANGGAL", "A/1") in {(r.kode, r.nomor) for r in found.itertuples()}
    assert ("TANGGAL_MASA_DEPAN", "A/2") in {(r.kode, r.nomor) for r in found.itertuples()}


# ---- Menunggu kelengkapan: impossible pauses ---------------------------------------------------


def test_impossible_pauses_are_named_at_their_cell():
    found = findings_of(
        row(
            nomor="A/1", mulai_menunggu_kelengkapan="10/01/2025 09:00", berkas_lengkap_pada="15/01/2025 09:00"
        ),
        row(nomor="A/2", berkas_lengkap_pada="15/01/2025 09:00"),
        row(nomor="A/3", mulai_menunggu_kelengkapan="05/01/2025 09:00"),
        row(nomor="A/4", mulai_menunggu_kelengkapan="10/01/2025 09:00", berkas_lengkap_pada="09/01/2025"),
        row(nomor="A/5", mulai_menunggu_kelengkapan="01/07/2025 09:00"),
        row(nomor="A/6", mulai_menunggu_kelengkapan="10/01/2025 09:00", berkas_lengkap_pada="01/08/2025"),
        row(nomor="A/7", mulai_menunggu_kelengkapan="06/01/2025"),  # the receipt's day, no time: fine
    )
    pauses = [c for c in codes(found) if c[0].startswith("JEDA_")]
    assert pauses == [
        ("JEDA_TANPA_MULAI", 3, "Berkas Lengkap Pada"),
        ("JEDA_SEBELUM_DITERIMA", 4, "Mulai Menunggu Kelengkapan"),
        ("JEDA_SELESAI_SEBELUM_MULAI", 5, "Berkas Lengkap Pada"),
        ("JEDA_MULAI_MASA_DEPAN", 6, "Mulai Menunggu Kelengkapan"),
        ("JEDA_SELESAI_MASA_DEPAN", 7, "Berkas Lengkap Pada"),
    ]
    message = found.loc[found["kode"] == "JEDA_SELESAI_SEBELUM_MULAI", "pesan"].iloc[0]
    assert "09/01/2025" in message and "tidak dihitung" in message


def test_register_without_pause_columns_has_no_pause_findings():
    header = [h for h in HEADER if h not in ("Mulai Menunggu Kelengkapan", "Berkas Lengkap Pada")]
    keys = [column_key(h) for h in header]
    cells = dict(zip(KEYS, row(), strict=True))
    found = findings_of([cells[k] for k in keys], header=header)
    assert not found["kode"].str.startswith("JEDA_").any()
    assert not (found["kolom"].isin(["Mulai Menunggu Kelengkapan", "Berkas Lengkap Pada"])).any()


def test_likely_duplicates_are_listed_with_the_original():
    """Issue 13.1: same desa and phone, nearly the same text, within the window (a Duplikat mark
    takes the later one out of the list and out of the figures)."""
    text = "Jalan desa di RT 02 berlubang dan tergenang air"
    first = row(nomor="A/1", isi_pengaduan=text)
    again = row(nomor="A/2", isi_pengaduan=text + ".", tanggal_diterima="08/01/2025 10:00")
    other = row(
        nomor="A/3", isi_pengaduan="Lampu jalan di dusun tiga mati", tanggal_diterima="08/01/2025 11:00"
    )
    found = findings_of(first, again, other)
    dup = found[found["kode"] == "KEMUNGKINAN_DUPLIKAT"]
    assert dup["nomor"].tolist() == ["A/2"]
    assert "A/1" in dup["pesan"].iloc[0] and "2 hari" in dup["pesan"].iloc[0]
    marked = row(nomor="A/2", isi_pengaduan=text, status_catatan="Duplikat", keterangan_status="A/1")
    assert "KEMUNGKINAN_DUPLIKAT" not in set(findings_of(first, marked)["kode"])
    unknown = findings_of(row(status_catatan="Dobel?"))
    assert "STATUS_CATATAN_TIDAK_DIKENAL" in set(unknown["kode"])
