import pandas as pd
import pytest

from metrics.columns import TEMPLATE_HEADER, canonical_column, column_key
from metrics.profiles import load_profile
from metrics.register import SheetGrid, locate_header, normalise_register

UMUM = load_profile("umum")
HEADER = list(TEMPLATE_HEADER)


def row(**cells: str) -> list[str]:
    values = [""] * len(HEADER)
    for key, value in cells.items():
        values[[column_key(h) for h in HEADER].index(key)] = value
    return values


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Nomor", "nomor"),
        ("No.", "nomor"),
        ("No. Register", "nomor"),
        ("NO REG", "nomor"),
        ("Tgl Terima", "tanggal_diterima"),
        ("Tanggal  Diterima ", "tanggal_diterima"),
        ("Nama Pengadu", "nama_pelapor"),
        ("Telepon", "no_hp"),
        ("No. HP/WA", "no_hp"),
        ("Uraian", "isi_pengaduan"),
        ("Status", "tahap"),
        ("TAHAP", "tahap"),
        ("Desa/Kelurahan", "desa"),
        ("Diperbarui Pada", "diperbarui_pada"),
        ("Kolom Bebas", None),
    ],
)
def test_header_aliases(header, key):
    assert canonical_column(header) == key


@pytest.mark.parametrize(
    ("column", "typed", "expected"),
    [
        ("saluran", "WA", "whatsapp"),
        ("saluran", "whatsapp", "whatsapp"),
        ("saluran", "Kotak Saran", "kotak_saran"),
        ("saluran", "  KOTAK SARAN ", "kotak_saran"),
        ("saluran", "datang langsung", "tatap_muka"),
        ("saluran", "e-mail", "email"),
        ("urgensi", "TINGGI", "tinggi"),
        ("tahap", "selesai", "selesai"),
    ],
)
def test_vocabulary_values_matched_with_aliases(column, typed, expected):
    grid = SheetGrid(
        "Register", [HEADER, row(nomor="A/1", desa="Suka", tanggal_diterima="01/02/2024", **{column: typed})]
    )
    register = normalise_register([grid], UMUM)
    assert register.complaints.loc[0, column] == expected
    assert register.findings.empty


def test_unknown_value_kept_and_reported_with_row_and_header():
    grid = SheetGrid(
        "Desa A",
        [
            ["BUKU REGISTER PENGADUAN"],
            [],
            HEADER,
            row(nomor="A/1", saluran="Telegram", tanggal_diterima="kemarin"),
        ],
    )
    register = normalise_register([grid], UMUM)
    complaint = register.complaints.iloc[0]
    assert complaint["saluran"] == "Telegram"
    assert pd.isna(complaint["tanggal_diterima"])
    findings = register.findings.set_index("kode")
    assert findings.loc["NILAI_TIDAK_DIKENAL", "baris"] == 4
    assert findings.loc["NILAI_TIDAK_DIKENAL", "kolom"] == "Saluran"
    assert findings.loc["TANGGAL_TIDAK_TERBACA", "kolom"] == "Tanggal Diterima"
    assert findings.loc["TANGGAL_TIDAK_TERBACA", "nilai"] == "kemarin"


def test_blank_rows_ignored_and_row_numbers_kept():
    grid = SheetGrid("R", [HEADER, row(nomor="1"), [""] * 5, [], row(nomor="2")])
    complaints = normalise_register([grid], UMUM).complaints
    assert complaints["nomor"].tolist() == ["1", "2"]
    assert complaints["_row"].tolist() == [2, 5]


def test_header_found_below_titles_and_sheet_name_is_desa_without_desa_column():
    header = [h for h in HEADER if h != "Desa"]
    grid = SheetGrid(
        "Cibodas", [["Register Pengaduan Desa Cibodas"], ["Tahun 2024"], header, ["C/1", "02/01/2024"]]
    )
    assert locate_header(grid.values) == 2
    complaints = normalise_register([grid], UMUM).complaints
    assert complaints.loc[0, "desa"] == "Cibodas"
    assert complaints.loc[0, "tanggal_diterima"] == pd.Timestamp("2024-01-02")


def test_unrelated_sheet_gives_one_clear_finding():
    grid = SheetGrid("Belanja", [["Barang", "Harga"], ["Semen", "60000"]])
    register = normalise_register([grid], UMUM)
    assert register.is_empty
    assert register.findings["kode"].tolist() == ["HEADER_TIDAK_DITEMUKAN"]


def test_unknown_desa_suggests_closest():
    grid = SheetGrid("R", [HEADER, row(nomor="1", desa="Margamulia")])
    register = normalise_register([grid], UMUM, desa_names=["Margamulya", "Cibodas"])
    message = register.findings.set_index("kode").loc["DESA_TIDAK_DIKENAL", "pesan"]
    assert "Margamulya" in message


def test_running_number_column_is_not_the_nomor():
    """'No | No. Register | ...': the register number is the Nomor, the running number is ignored
    (no duplicate-column finding), so Lacak and Perbarui find the complaint by its register number."""
    from metrics.complaint_updates import nomor_locations, row_snapshot
    from metrics.profiles import load_profile

    grid = SheetGrid(
        "Register",
        [
            ["No", "No. Register", "Desa", "Tanggal Diterima", "Isi Pengaduan", "Tahap"],
            ["1", "CBD/2026/03/0007", "Cibodas", "04/03/2026 09:00", "Jalan berlubang di RT 02", "Diterima"],
            ["2", "CBD/2026/03/0008", "Cibodas", "05/03/2026 09:00", "Lampu jalan mati di RT 03", "Diterima"],
        ],
    )
    profile = load_profile("umum")
    register = normalise_register([grid], profile)
    assert list(register.complaints["nomor"]) == ["CBD/2026/03/0007", "CBD/2026/03/0008"]
    assert register.headers["Register"]["nomor"] == "No. Register"
    assert "KOLOM_GANDA" not in set(register.findings["kode"])
    assert nomor_locations(grid, "cbd/2026/03/0008", profile) == ["Register baris 3"]
    snapshot = row_snapshot(grid, "CBD/2026/03/0007", profile)
    assert snapshot is not None and snapshot.header("nomor", "Nomor") == "No. Register"


def test_a_sheet_without_its_header_row_is_named_not_read_under_a_data_row():
    """The first row is a complaint whose texts match two column names ('Telepon', 'Tindak lanjut'):
    it must not become the header (every column would shift); the sheet is named in a finding."""
    complaint = row(nomor="CBD/2025/01/0001", desa="Cibodas", tanggal_diterima="06/01/2025 09:00")
    complaint[HEADER.index("Saluran")] = "Telepon"
    complaint[HEADER.index("Hasil Tindak Lanjut")] = "Tindak lanjut"
    second = row(nomor="CBD/2025/01/0002", desa="Cibodas", tanggal_diterima="07/01/2025 09:00")
    assert locate_header([complaint, second]) == 0  # the row that names the most columns is data
    good = SheetGrid("Register", [HEADER, row(nomor="A/1", desa="Cibodas", tanggal_diterima="02/01/2024")])
    register = normalise_register([good, SheetGrid("Cibodas", [complaint, second])], UMUM)
    assert register.complaints["nomor"].tolist() == ["A/1"]
    finding = register.findings[register.findings["sheet"] == "Cibodas"]
    assert finding["kode"].tolist() == ["HEADER_TIDAK_DITEMUKAN"]
    message = finding["pesan"].iloc[0]
    assert "'Cibodas'" in message and "2 baris" in message and "baris 1" in message
