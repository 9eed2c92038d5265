"""Builds the messy-register corpus: ``cases/<name>.csv|.xlsx`` + ``cases/<name>.expected.toml``.

Run ``.venv/bin/python -m tests.corpus.build_corpus`` after changing a case; commit the output.

Each case is a small register as petugas really keep them, and the findings it must give,
written by hand (never copied from the checker's output): ``(kode, baris, kolom)`` with the
sheet row number and the column header as written; ``sheet`` when the workbook has several.
xlsx is used where a CSV cannot show the problem (merged cells, numbers stored as numbers,
real date cells, real formulas, several worksheets).

Likely duplicates (``KEMUNGKINAN_DUPLIKAT``, issue 13.1): most cases clone one base complaint
(same phone, same text), which is exactly a likely duplicate. Those findings were appended to the
sidecars when the check came (each one checked to be a clone of an earlier row of its case); the
case definitions here do not list them yet, so a rebuild drops them — list them per case (or give
the base rows distinct phones) before rebuilding.

A sidecar may also be written by hand for a real (anonymised) register dropped into
``cases/``: the test reads only the data file and its sidecar.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import openpyxl.styles

from metrics.columns import TEMPLATE_HEADER, column_key

CASES_DIR = Path(__file__).resolve().parent / "cases"
HEADER = list(TEMPLATE_HEADER)
KEYS = [column_key(h) for h in HEADER]


def settled(n: int, **cells: object) -> list[object]:
    """A complete, settled complaint of January 2025 (no finding), with ``cells`` overriding keys."""
    base = {
        "nomor": f"ADU/2025/01/{n:04d}",
        "desa": "Cibodas",
        "tanggal_diterima": "06/01/2025 09:00",
        "saluran": "WhatsApp",
        "nama_pelapor": "Siti Rahayu",
        "alamat": "RT 01/RW 02, Dusun Kaler",
        "no_hp": "081234567890",
        "rahasia": "Tidak",
        "isi_pengaduan": "Jalan desa di RT 01 berlubang",
        "kategori": "Infrastruktur",
        "urgensi": "Sedang",
        "tahap": "Selesai",
        "disposisi_kepada": "Kepala Desa",
        "tanggal_verifikasi": "07/01/2025 10:00",
        "tanggal_disposisi": "07/01/2025 13:00",
        "tanggal_tindak_lanjut": "10/01/2025 09:00",
        "tanggal_jawaban": "13/01/2025 10:00",
        "tanggal_selesai": "15/01/2025 11:00",
        "jenis_penyelesaian": "Tindakan korektif",
        "hasil_tindak_lanjut": "Sudah ditambal bersama warga",
        "no_berita_acara": "",
        "diperbarui_oleh": "",
        "diperbarui_pada": "",
    }
    return _row(base, cells)


def opened(n: int, **cells: object) -> list[object]:
    """A complaint received and not yet handled (no stage dates), with ``cells`` overriding keys."""
    base = {
        "nomor": f"ADU/2025/06/{n:04d}",
        "desa": "Mekarsari",
        "tanggal_diterima": "20/06/2025 08:30",
        "saluran": "Tatap muka",
        "nama_pelapor": "Budi Santoso",
        "alamat": "RT 03/RW 01, Dusun Kidul",
        "no_hp": "085712345678",
        "rahasia": "Tidak",
        "isi_pengaduan": "Lampu jalan mati sejak seminggu",
        "kategori": "Infrastruktur",
        "urgensi": "Rendah",
        "tahap": "Diterima",
    }
    return _row(base, cells)


def _row(base: dict[str, object], cells: dict[str, object]) -> list[object]:
    unknown = set(cells) - set(KEYS)
    assert not unknown, unknown
    values = {**base, **cells}
    return [values.get(key, "") for key in KEYS]


def _csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return buffer.getvalue()


def header_with(renames: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> list[str]:
    """The template header with some headers renamed (key -> text) and some columns dropped."""
    renames = renames or {}
    return [renames.get(k, h) for k, h in zip(KEYS, HEADER, strict=True) if k not in drop]


def without(row: list[object], drop: tuple[str, ...]) -> list[object]:
    return [v for k, v in zip(KEYS, row, strict=True) if k not in drop]


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    merges: list[str] = field(default_factory=list)
    text_cells: list[str] = field(default_factory=list)  # cells holding '=…' as text, not a formula
    hidden: bool = False  # a hidden worksheet
    styled_cells: list[str] = field(default_factory=list)  # cells with formatting only (no value)


@dataclass
class Case:
    name: str
    description: str
    sheets: list[Sheet]
    expected: list[tuple] = field(default_factory=list)  # (kode, baris, kolom) or (kode, baris, kolom, sheet)
    fmt: str = "csv"  # csv | xlsx
    profile: str = "umum"
    delimiter: str = ","
    raw_bytes: bytes | None = None  # a CSV written byte for byte
    # cell reference -> raw XML of that cell in the first sheet (what openpyxl cannot write: a
    # formula WITH its cached value); "{s}" stands for the cell's own style attribute
    raw_cells: dict[str, str] = field(default_factory=dict)


def one(name, description, rows, expected=(), header=None, **kwargs) -> Case:
    return Case(name, description, [Sheet("Register", [header or HEADER, *rows])], list(expected), **kwargs)


LONG = "Uraian sangat panjang. " * 2700  # 62,100 characters
DESA = "Desa"
NOW = dt.datetime(2025, 6, 30, 12, 0)

CASES: list[Case] = [
    one("bersih", "Register rapi: tidak ada temuan.", [settled(1), settled(2, desa="Sukamaju"), opened(1)]),
    one(
        "ejaan_tanggal_petugas",
        "Tanggal seperti diketik petugas: semua terbaca.",
        [
            opened(1, tanggal_diterima="6/1/2025"),
            opened(2, tanggal_diterima="06-01-2025 09.00"),
            opened(3, tanggal_diterima="6 Januari 2025"),
            opened(4, tanggal_diterima="Senin, 6 Januari 2025 pukul 09.00 WIB"),
            opened(5, tanggal_diterima="2025-01-06"),
            opened(6, tanggal_diterima="6 Jan 25"),
            opened(7, tanggal_diterima="6.1.2025"),
            opened(8, tanggal_diterima="45663"),
            opened(9, tanggal_diterima="6 Pebruari 2025 14.30"),
            opened(10, tanggal_diterima="06/01/2025 9:05 WITA"),
            opened(11, tanggal_diterima="17 AGUSTUS 2024"),
            opened(12, tanggal_diterima="2025-01-06T09:00"),
        ],
    ),
    one(
        "tanggal_tak_terbaca",
        "Tanggal yang tidak ada atau bukan tanggal: dilaporkan, tidak ditebak.",
        [
            opened(1, tanggal_diterima="31/02/2025"),
            opened(2, tanggal_diterima="kemarin"),
            opened(3, tanggal_diterima="Juni 2025"),
            opened(4, tanggal_diterima="13/13/2025"),
            opened(5, tanggal_diterima="??"),
            settled(6, tanggal_jawaban="kemarin sore"),
        ],
        [
            ("TANGGAL_TIDAK_TERBACA", 2, "Tanggal Diterima"),
            ("TANGGAL_TIDAK_TERBACA", 3, "Tanggal Diterima"),
            ("TANGGAL_TIDAK_TERBACA", 4, "Tanggal Diterima"),
            ("TANGGAL_TIDAK_TERBACA", 5, "Tanggal Diterima"),
            ("TANGGAL_TIDAK_TERBACA", 6, "Tanggal Diterima"),
            ("TANGGAL_TIDAK_TERBACA", 7, "Tanggal Jawaban"),
        ],
    ),
    one(
        "tanggal_masa_depan",
        "Tanggal sesudah hari ini (30/06/2025 12:00); toleransi 2 jam pada hari yang sama.",
        [
            opened(1, tanggal_diterima="01/07/2026"),
            opened(2, tanggal_diterima="30/06/2025 18:00"),
            opened(3, tanggal_diterima="30/06/2025 13:00"),
            opened(4, tanggal_diterima="30/06/2025"),
            opened(5, tanggal_diterima="01/07/2025"),
        ],
        [
            ("TANGGAL_MASA_DEPAN", 2, "Tanggal Diterima"),
            ("TANGGAL_MASA_DEPAN", 3, "Tanggal Diterima"),
            ("TANGGAL_MASA_DEPAN", 6, "Tanggal Diterima"),
        ],
    ),
    one(
        "urutan_tanggal",
        "Jawaban sebelum tindak lanjut, selesai sebelum jawaban; tanggal tanpa jam di hari yang sama bukan salah.",
        [
            settled(1, tanggal_jawaban="05/01/2025 10:00"),
            settled(2, tanggal_selesai="12/01/2025 08:00"),
            settled(3, tanggal_verifikasi="06/01/2025"),
            settled(4, tanggal_jawaban="13/01/2024 10:00"),
        ],
        [
            ("URUTAN_TANGGAL", 2, "Tanggal Jawaban"),
            ("URUTAN_TANGGAL", 3, "Tanggal Selesai"),
            ("URUTAN_TANGGAL", 5, "Tanggal Jawaban"),
        ],
    ),
    one(
        "jawaban_sebelum_diterima",
        "Semua tahap bertanggal sebelum tanggal diterima (tahun diterima salah ketik).",
        [settled(1, tanggal_diterima="06/01/2026 09:00")],
        [
            ("TANGGAL_MASA_DEPAN", 2, "Tanggal Diterima"),
            ("URUTAN_TANGGAL", 2, "Tanggal Verifikasi"),
            ("URUTAN_TANGGAL", 2, "Tanggal Disposisi"),
            ("URUTAN_TANGGAL", 2, "Tanggal Tindak Lanjut"),
            ("URUTAN_TANGGAL", 2, "Tanggal Jawaban"),
            ("URUTAN_TANGGAL", 2, "Tanggal Selesai"),
        ],
    ),
    one(
        "tahap_terlewat",
        "Tanggal tahap sesudahnya terisi padahal tanggal tahap sebelumnya kosong.",
        [
            settled(1, tanggal_verifikasi="", tanggal_disposisi=""),
            settled(2, tanggal_tindak_lanjut="", tanggal_jawaban="", tanggal_selesai="", tahap="Verifikasi"),
            settled(3, tanggal_jawaban="-"),
        ],
        [
            ("TAHAP_TERLEWAT", 2, "Tanggal Verifikasi"),
            ("TAHAP_TERLEWAT", 2, "Tanggal Disposisi"),
            ("TAHAP_TIDAK_SESUAI", 3, "Tahap"),
            ("TANGGAL_TIDAK_TERBACA", 4, "Tanggal Jawaban"),
        ],
    ),
    one(
        "tahap_selesai_tanpa_tanggal",
        "Tahap 'Selesai' tetapi Tanggal Selesai kosong.",
        [
            settled(1, tanggal_selesai="", jenis_penyelesaian=""),
            settled(2, tahap="dijawab", tanggal_jawaban="", tanggal_selesai=""),
        ],
        [("TAHAP_TIDAK_SESUAI", 2, "Tahap"), ("TAHAP_TIDAK_SESUAI", 3, "Tahap")],
    ),
    one(
        "tahap_tertinggal",
        "Tanggal menunjukkan sudah dijawab tetapi Tahap masih 'diterima'.",
        [settled(1, tahap="diterima", tanggal_selesai="", jenis_penyelesaian=""), settled(2, tahap="Proses")],
        [("TAHAP_TIDAK_SESUAI", 2, "Tahap"), ("TAHAP_TIDAK_SESUAI", 3, "Tahap")],
    ),
    one(
        "nilai_tidak_dikenal",
        "Saluran, kategori, urgensi, tahap, jenis penyelesaian di luar profil SOP.",
        [
            settled(1, saluran="Telegram"),
            settled(2, kategori="Infrastuktur"),
            settled(3, urgensi="Sangat Amat"),
            opened(4, tahap="Menunggu Pak Kades"),
            settled(5, jenis_penyelesaian="Beres"),
        ],
        [
            ("NILAI_TIDAK_DIKENAL", 2, "Saluran"),
            ("NILAI_TIDAK_DIKENAL", 3, "Kategori"),
            ("NILAI_TIDAK_DIKENAL", 4, "Urgensi"),
            ("NILAI_TIDAK_DIKENAL", 5, "Tahap"),
            ("NILAI_TIDAK_DIKENAL", 6, "Jenis Penyelesaian"),
        ],
    ),
    one(
        "nilai_salah_ketik_ringan",
        "Alias dan ejaan yang dikenali profil: WA, datang langsung, BLT, mendesak, tuntas.",
        [
            settled(1, saluran="WA", kategori="BLT", urgensi="mendesak", tahap="tuntas"),
            opened(2, saluran="datang langsung", kategori="KTP", urgensi="biasa", tahap="baru"),
        ],
    ),
    one(
        "desa_tidak_dikenal",
        "Desa salah ketik dan desa dari kecamatan lain; awalan 'Desa'/'Kel.' dan huruf besar tetap dikenali.",
        [
            settled(1, desa="Margamulia"),
            settled(2, desa="Sukamulya Jaya"),
            settled(3, desa="Desa Cibodas"),
            settled(4, desa="KEL. MEKARSARI"),
            settled(5, desa="cibodas"),
        ],
        [("DESA_TIDAK_DIKENAL", 2, "Desa"), ("DESA_TIDAK_DIKENAL", 3, "Desa")],
    ),
    Case(
        "desa_sel_digabung",
        "Sel Desa digabung (merge) untuk tiga baris: baris di bawahnya kosong. Tidak diisi diam-diam: temuan "
        "DESA_KOSONG menyebut desa di baris atasnya.",
        [
            Sheet(
                "Register",
                [
                    HEADER,
                    settled(1),
                    settled(2, desa=None),
                    settled(3, desa=None),
                    settled(4, desa="Sukamaju"),
                ],
                merges=["B2:B4"],
            )
        ],
        [("DESA_KOSONG", 3, "Desa"), ("DESA_KOSONG", 4, "Desa")],
        fmt="xlsx",
    ),
    Case(
        "judul_digabung",
        "Judul register digabung (merge) di atas baris judul kolom; nomor baris tetap nomor baris sheet.",
        [
            Sheet(
                "Register",
                [
                    ["BUKU REGISTER PENGADUAN MASYARAKAT DESA CIBODAS"],
                    ["Tahun 2025"],
                    HEADER,
                    settled(1),
                    settled(2, no_hp="0812-12"),
                ],
                merges=["A1:W1", "A2:W2"],
            )
        ],
        [("HP_TIDAK_VALID", 5, "No. HP")],
        fmt="xlsx",
    ),
    Case(
        "judul_kolom_di_baris_6",
        "Empat baris kop dan satu baris kosong sebelum judul kolom (CSV).",
        [
            Sheet(
                "Register",
                [
                    ["PEMERINTAH DESA CIBODAS"],
                    ["KECAMATAN SUKAMAJU"],
                    ["BUKU REGISTER PENGADUAN"],
                    ["Tahun: 2025"],
                    [],
                    HEADER,
                    settled(1),
                    settled(2, rahasia="mungkin"),
                ],
            )
        ],
        [("RAHASIA_TIDAK_TERBACA", 8, "Rahasia")],
    ),
    one(
        "kolom_ganda",
        "Dua kolom berarti Nomor ('Nomor' dan 'No. Register'): hanya yang pertama dibaca.",
        [[*settled(1), "R-1"], [*settled(2), "R-2"]],
        [("KOLOM_GANDA", 1, "No. Register")],
        header=[*HEADER, "No. Register"],
    ),
    one(
        "kolom_ganda_sama_persis",
        "Judul 'Tanggal Jawaban' tertulis dua kali.",
        [[*settled(1), ""]],
        [("KOLOM_GANDA", 1, "Tanggal Jawaban")],
        header=[*HEADER, "Tanggal Jawaban"],
    ),
    one(
        "judul_kolom_berganti_nama",
        "Judul kolom versi petugas (No, Tgl Terima, Nama Pengadu, Telepon, Uraian, Status, Media, Hasil); temuan "
        "memakai judul seperti tertulis.",
        [settled(1), settled(2, no_hp="12345")],
        [("HP_TIDAK_VALID", 3, "Telepon")],
        header=header_with(
            {
                "nomor": "No",
                "tanggal_diterima": "Tgl Terima",
                "nama_pelapor": "Nama Pengadu",
                "no_hp": "Telepon",
                "isi_pengaduan": "Uraian",
                "tahap": "Status",
                "saluran": "Media",
                "jenis_penyelesaian": "Hasil",
                "hasil_tindak_lanjut": "Keterangan",
            }
        ),
    ),
    one(
        "spasi_di_ujung",
        "Spasi di ujung judul dan isian; 'ADU/1 ' dan 'ADU/1' adalah nomor yang sama.",
        [settled(1, nomor="ADU/1 ", desa="Cibodas ", saluran=" WhatsApp "), settled(2, nomor="ADU/1")],
        [("NOMOR_GANDA", 2, "Nomor"), ("NOMOR_GANDA", 3, "Nomor")],
        header=[h + "  " if h in ("Nomor", "Desa", "Saluran") else h for h in HEADER],
    ),
    one(
        "spasi_tak_putus",
        "Spasi tak putus (NBSP, dari salinan web/WhatsApp) di judul dan isian: tidak ada temuan.",
        [settled(1, tanggal_diterima="06/01/2025\u00a009:00", desa="Cibodas\u00a0", urgensi="\u00a0Sedang")],
        header=[h.replace(" ", "\u00a0") for h in HEADER],
    ),
    one(
        "huruf_besar_kecil",
        "Huruf besar/kecil campur: WHATSAPP, infrastruktur, SELESAI DAN DIARSIPKAN, cibodas.",
        [
            settled(
                1,
                saluran="WHATSAPP",
                kategori="infrastruktur",
                tahap="SELESAI DAN DIARSIPKAN",
                desa="cibodas",
                urgensi="tInGgI",
                rahasia="TIDAK",
            )
        ],
        header=[h.upper() for h in HEADER],
    ),
    Case(
        "angka_disimpan_sebagai_angka",
        "xlsx: Nomor, tanggal (nomor seri) dan HP disimpan sebagai angka.",
        [
            Sheet(
                "Register",
                [
                    HEADER,
                    settled(1, nomor=1, tanggal_diterima=45663.375, no_hp=81234567890),
                    settled(2, nomor=2, no_hp=6285712345678),
                ],
            )
        ],
        fmt="xlsx",
    ),
    Case(
        "angka_disimpan_sebagai_teks",
        "xlsx: angka disimpan sebagai teks ('001', '0812…', '45663').",
        [
            Sheet(
                "Register",
                [
                    HEADER,
                    settled(1, nomor="001", no_hp="081234567890"),
                    settled(2, nomor="002", tanggal_diterima="45663"),
                ],
            )
        ],
        fmt="xlsx",
    ),
    one(
        "hp_kehilangan_nol",
        "HP yang kehilangan 0 di depan karena format angka (812…, 812….0, 62812…) tetap terbaca; notasi "
        "ilmiah 8,12346E+10 sudah kehilangan angka: dilaporkan.",
        [
            settled(1, no_hp="81234567890"),
            settled(2, no_hp="81234567890.0"),
            settled(3, no_hp="6281234567890"),
            settled(4, no_hp="8.12346E+10"),
        ],
        [("HP_TIDAK_VALID", 5, "No. HP")],
    ),
    one(
        "hp_tidak_valid",
        "Nomor HP terlalu pendek, terlalu panjang, berisi huruf, atau '-'.",
        [
            settled(1, no_hp="0812-12"),
            settled(2, no_hp="0812345678901234"),
            settled(3, no_hp="nomor menyusul"),
            settled(4, no_hp="-"),
            settled(5, no_hp="+62 812-3456-7890"),
            settled(6, no_hp="(0265) 331234"),
        ],
        [
            ("HP_TIDAK_VALID", 2, "No. HP"),
            ("HP_TIDAK_VALID", 3, "No. HP"),
            ("HP_TIDAK_VALID", 4, "No. HP"),
            ("HP_TIDAK_VALID", 5, "No. HP"),
        ],
    ),
    one(
        "emoji",
        "Emoji di isi, nama, tahap dan desa: tidak ada temuan.",
        [
            settled(
                1,
                isi_pengaduan="Jalan rusak parah \U0001f621\U0001f64f",
                nama_pelapor="Siti \U0001f338",
                tahap="Selesai \u2705",
                desa="Cibodas \U0001f3e1",
                rahasia="\u2714",
            )
        ],
    ),
    one(
        "teks_sangat_panjang",
        "Isi pengaduan 62.100 karakter (lebih dari batas sel Google Sheets 50.000); 50.000 pas masih boleh.",
        [settled(1, isi_pengaduan=LONG), settled(2, isi_pengaduan="x" * 50_000)],
        [("TEKS_TERLALU_PANJANG", 2, "Isi Pengaduan")],
    ),
    Case(
        "spreadsheet_tak_terkait",
        "Spreadsheet lain sama sekali (daftar belanja): satu temuan yang jelas.",
        [
            Sheet(
                "Belanja", [["Barang", "Jumlah", "Harga"], ["Semen", "10", "60000"], ["Pasir", "2", "350000"]]
            )
        ],
        [("HEADER_TIDAK_DITEMUKAN", None, "", "Belanja")],
        fmt="xlsx",
    ),
    one(
        "csv_titik_koma",
        "CSV dari Excel berbahasa Indonesia: pemisah titik koma, koma di dalam teks.",
        [settled(1, isi_pengaduan="Jalan rusak, berlubang, dan tergenang"), settled(2, urgensi="Sangat")],
        [("NILAI_TIDAK_DIKENAL", 3, "Urgensi")],
        delimiter=";",
    ),
    one("hanya_judul", "Hanya baris judul, belum ada pengaduan.", []),
    Case("berkas_kosong", "CSV kosong (0 byte).", [], raw_bytes=b""),
    one(
        "nomor_kosong",
        "Nomor kosong atau hanya '-'.",
        [settled(1, nomor=""), settled(2, nomor="-"), settled(3)],
        [("NOMOR_KOSONG", 2, "Nomor"), ("NOMOR_KOSONG", 3, "Nomor")],
    ),
    one(
        "nomor_ganda",
        "Nomor yang sama di tiga baris (satu huruf kecil): ketiganya disebut.",
        [settled(1), settled(2), settled(1), opened(1, nomor="adu/2025/01/0001")],
        [("NOMOR_GANDA", 2, "Nomor"), ("NOMOR_GANDA", 4, "Nomor"), ("NOMOR_GANDA", 5, "Nomor")],
    ),
    one(
        "unsur_pengaduan_kosong",
        "Unsur pengaduan (SOP Cipari B): nama, alamat, HP, isi. Rahasia atau 'Anonim' membebaskan identitas, "
        "bukan isi.",
        [
            settled(1, nama_pelapor=""),
            settled(2, alamat="-"),
            settled(3, nama_pelapor="", alamat="", no_hp="", rahasia="Ya"),
            settled(4, nama_pelapor="Anonim", alamat="", no_hp=""),
            settled(5, rahasia="Ya", nama_pelapor="", isi_pengaduan=""),
            settled(6, no_hp=""),
        ],
        [
            ("ELEMEN_KOSONG", 2, "Nama Pelapor"),
            ("ELEMEN_KOSONG", 3, "Alamat"),
            ("ELEMEN_KOSONG", 6, "Isi Pengaduan"),
            ("ELEMEN_KOSONG", 7, "No. HP"),
        ],
    ),
    one(
        "rahasia_tak_terbaca",
        "Isian Rahasia: 'mungkin' tidak dikenali; Ya/✓/Tidak/- dikenali.",
        [
            settled(1, rahasia="mungkin"),
            settled(2, rahasia="\u2713"),
            settled(3, rahasia="-"),
            settled(4, rahasia=""),
        ],
        [("RAHASIA_TIDAK_TERBACA", 2, "Rahasia")],
    ),
    one(
        "selesai_tanpa_jenis",
        "Tanggal Selesai terisi tetapi Jenis Penyelesaian kosong.",
        [settled(1, jenis_penyelesaian=""), settled(2)],
        [("SELESAI_TANPA_JENIS", 2, "Jenis Penyelesaian")],
    ),
    one(
        "sel_seperti_rumus",
        "Teks diawali = + - @ (bahaya saat diekspor); angka bertanda dan '-' saja bukan rumus.",
        [
            settled(1, isi_pengaduan='=HYPERLINK("http://contoh.invalid","klik")'),
            settled(2, nama_pelapor="+Budi"),
            settled(3, alamat="@rumah"),
            settled(4, hasil_tindak_lanjut="-cmd|' /C calc'!A0"),
            settled(5, isi_pengaduan="- jalan rusak\n- lampu mati"),
            settled(6, no_berita_acara="-5"),
            settled(7, no_hp="+62 812-3456-7890"),
        ],
        [
            ("SEL_RUMUS", 2, "Isi Pengaduan"),
            ("SEL_RUMUS", 3, "Nama Pelapor"),
            ("SEL_RUMUS", 4, "Alamat"),
            ("SEL_RUMUS", 5, "Hasil Tindak Lanjut"),
            ("SEL_RUMUS", 6, "Isi Pengaduan"),
        ],
    ),
    Case(
        "rumus_asli_xlsx",
        "xlsx dengan rumus sungguhan tanpa nilai terhitung: Nomor '=ROW()-1' (ditulis program yang tidak "
        "menghitung: selnya kosong dan ditandai, bukan disuruh diawali petik) dan teks '=…' yang disimpan "
        "sebagai teks.",
        [
            Sheet(
                "Register",
                [
                    HEADER,
                    settled(1, nomor="=ROW()-1"),
                    settled(2, nomor="=ROW()-1", isi_pengaduan="=jalan rusak"),
                ],
                text_cells=["I3"],
            )
        ],
        [
            ("RUMUS_TANPA_NILAI", 2, "Nomor"),
            ("NOMOR_KOSONG", 2, "Nomor"),
            ("RUMUS_TANPA_NILAI", 3, "Nomor"),
            ("NOMOR_KOSONG", 3, "Nomor"),
            ("SEL_RUMUS", 3, "Isi Pengaduan"),
        ],
        fmt="xlsx",
    ),
    one(
        "kolom_nomor_tidak_ada",
        "Register tanpa kolom Nomor: satu temuan untuk sheet, bukan satu per baris.",
        [without(settled(1), ("nomor",)), without(settled(2), ("nomor",))],
        [("KOLOM_WAJIB_TIDAK_ADA", 1, "")],
        header=header_with(drop=("nomor",)),
    ),
    one(
        "kolom_tanggal_diterima_tidak_ada",
        "Register tanpa kolom Tanggal Diterima: semua baris disisihkan dari angka periode.",
        [without(settled(1), ("tanggal_diterima",)), without(settled(2), ("tanggal_diterima",))],
        [("KOLOM_WAJIB_TIDAK_ADA", 1, "")],
        header=header_with(drop=("tanggal_diterima",)),
    ),
    one(
        "register_sederhana",
        "Register sederhana tanpa Alamat, No. HP dan tanggal tahap antara: kolom yang hilang disebut sekali.",
        [without(settled(1), ("alamat", "no_hp", "tanggal_verifikasi", "tanggal_disposisi"))],
        [("KOLOM_TIDAK_ADA", 1, ""), ("KOLOM_TIDAK_ADA", 1, "")],
        header=header_with(drop=("alamat", "no_hp", "tanggal_verifikasi", "tanggal_disposisi")),
    ),
    Case(
        "satu_sheet_per_desa",
        "Satu worksheet per desa tanpa kolom Desa; sheet 'Sheet1' bukan nama desa: satu temuan untuk sheet itu.",
        [
            Sheet("Cibodas", [header_with(drop=("desa",)), without(settled(1), ("desa",))]),
            Sheet("Mekarsari", [header_with(drop=("desa",)), without(settled(2), ("desa",))]),
            Sheet(
                "Sheet1",
                [header_with(drop=("desa",)), without(settled(3), ("desa",)), without(settled(4), ("desa",))],
            ),
        ],
        [("DESA_TIDAK_DIKENAL", None, "", "Sheet1")],
        fmt="xlsx",
    ),
    Case(
        "sheet_catatan_ikut",
        "Workbook dengan sheet register dan sheet catatan bebas.",
        [
            Sheet("Register", [HEADER, settled(1)]),
            Sheet("Catatan", [["Rapat evaluasi tiap Jumat"], ["Hubungi Pak RT"]]),
        ],
        [("HEADER_TIDAK_DITEMUKAN", None, "", "Catatan")],
        fmt="xlsx",
    ),
    one(
        "baris_kosong_di_tengah",
        "Baris kosong di tengah register: nomor baris sheet tetap benar.",
        [settled(1), [], [""] * 5, settled(2, kategori="Jalan Desa Rusak Berat")],
        [("NILAI_TIDAK_DIKENAL", 5, "Kategori")],
    ),
    Case(
        "profil_cipari",
        "Profil SOP Cipari: kolom 'Tanggal Distribusi' menggantikan verifikasi/disposisi.",
        [
            Sheet(
                "Register",
                [
                    [
                        "Nomor",
                        "Desa",
                        "Tanggal Diterima",
                        "Saluran",
                        "Nama Pelapor",
                        "Alamat",
                        "No. HP",
                        "Rahasia",
                        "Isi Pengaduan",
                        "Kategori",
                        "Urgensi",
                        "Tahap",
                        "Disposisi Kepada",
                        "Tanggal Distribusi",
                        "Tanggal Tindak Lanjut",
                        "Tanggal Jawaban",
                        "Tanggal Selesai",
                        "Jenis Penyelesaian",
                    ],
                    [
                        "CPR/2025/01/0001",
                        "Cibodas",
                        "06/01/2025 09:00",
                        "Tatap muka",
                        "Siti",
                        "RT 01",
                        "081234567890",
                        "Tidak",
                        "Jalan rusak",
                        "Infrastruktur",
                        "Sedang",
                        "Selesai",
                        "Kepala Seksi",
                        "05/01/2025 10:00",
                        "10/01/2025 09:00",
                        "13/01/2025",
                        "15/01/2025",
                        "Tindakan korektif",
                    ],
                    [
                        "CPR/2025/01/0002",
                        "Cibodas",
                        "06/01/2025 09:00",
                        "WA",
                        "Budi",
                        "RT 02",
                        "081234567891",
                        "Tidak",
                        "Lampu mati",
                        "Infrastruktur",
                        "Sedang",
                        "didistribusikan",
                        "Kepala Seksi",
                        "",
                        "10/01/2025 09:00",
                        "",
                        "",
                        "",
                    ],
                ],
            )
        ],
        [
            ("URUTAN_TANGGAL", 2, "Tanggal Distribusi"),
            ("TAHAP_TERLEWAT", 3, "Tanggal Distribusi"),
            ("TAHAP_TIDAK_SESUAI", 3, "Tahap"),
        ],
        profile="cipari",
    ),
    Case(
        "tanggal_sel_tanggal_xlsx",
        "xlsx dengan sel tanggal sungguhan (datetime) dan sel tanggal berupa teks: semua terbaca.",
        [
            Sheet(
                "Register",
                [
                    HEADER,
                    settled(
                        1,
                        tanggal_diterima=dt.datetime(2025, 1, 6, 9, 0),
                        tanggal_jawaban=dt.datetime(2025, 1, 13),
                        tanggal_selesai=dt.date(2025, 1, 15),
                    ),
                    settled(2, tanggal_diterima="06/01/2025 09:00"),
                ],
            )
        ],
        fmt="xlsx",
    ),
    one(
        "karakter_kontrol",
        "Karakter kontrol (tab, vertical tab, escape, bell) di dalam teks: tidak ada temuan, tidak ada galat.",
        [
            settled(1, isi_pengaduan="Jalan\trusak\x0b\x1b[31m merah\x07"),
            settled(2, nama_pelapor="Siti\x0bRahayu"),
        ],
    ),
    one(
        "kolom_tambahan",
        "Kolom tambahan petugas (Catatan, Foto) dibiarkan.",
        [[*settled(1), "lihat arsip", "foto1.jpg"]],
        header=[*HEADER, "Catatan Petugas", "Foto"],
    ),
    one(
        "hp_format_beragam",
        "HP dalam berbagai format yang sah.",
        [
            settled(1, no_hp="+62 812-3456-7890"),
            settled(2, no_hp="62812 3456 7890"),
            settled(3, no_hp="0812 3456 7890"),
            settled(4, no_hp="(0265) 3312345"),
            settled(5, no_hp="0812.3456.7890"),
        ],
    ),
    one(
        "tahap_alias",
        "Tahap ditulis dengan sebutan petugas (verif, proses, dijawab, tuntas) sesuai tanggalnya.",
        [
            settled(
                1,
                tahap="verif",
                tanggal_disposisi="",
                tanggal_tindak_lanjut="",
                tanggal_jawaban="",
                tanggal_selesai="",
                jenis_penyelesaian="",
            ),
            settled(2, tahap="proses", tanggal_jawaban="", tanggal_selesai="", jenis_penyelesaian=""),
            settled(3, tahap="dijawab", tanggal_selesai="", jenis_penyelesaian=""),
            settled(4, tahap="tuntas"),
        ],
    ),
    one(
        "tanggal_diterima_kosong",
        "Tanggal Diterima kosong: disisihkan dari angka periode, tetap dihitung di tempat lain.",
        [opened(1, tanggal_diterima=""), settled(2, tanggal_diterima="")],
        [
            ("TANGGAL_DITERIMA_KOSONG", 2, "Tanggal Diterima"),
            ("TANGGAL_DITERIMA_KOSONG", 3, "Tanggal Diterima"),
        ],
    ),
    one(
        "baris_demo_berantakan",
        "Campuran kesalahan seperti baris berantakan register demo, semua di satu baris.",
        [
            settled(
                1,
                saluran="Telegram",
                no_hp="0812-12",
                urgensi="Sangat Amat",
                rahasia="mungkin",
                isi_pengaduan='=HYPERLINK("http://contoh.invalid","klik")',
                tanggal_jawaban="kemarin sore",
            )
        ],
        [
            ("NILAI_TIDAK_DIKENAL", 2, "Saluran"),
            ("HP_TIDAK_VALID", 2, "No. HP"),
            ("RAHASIA_TIDAK_TERBACA", 2, "Rahasia"),
            ("SEL_RUMUS", 2, "Isi Pengaduan"),
            ("NILAI_TIDAK_DIKENAL", 2, "Urgensi"),
            ("TANGGAL_TIDAK_TERBACA", 2, "Tanggal Jawaban"),
        ],
    ),
    Case(
        "csv_cp1252",
        "CSV dari Excel Windows lama (cp1252) dengan tanda kutip miring dan 'é'.",
        [],
        raw_bytes=_csv_text([HEADER, settled(1, isi_pengaduan="Caf\xe9 \u201cWarung\u201d berisik")]).encode(
            "cp1252"
        ),
    ),
    # ---- files as desas really have them (issue 12): the source must read every one of these
    one(
        "csv_kutip_dan_koma",
        "CSV dengan tanda kutip dan koma di dalam satu sel (Sniffer dulu memecahnya jadi dua sel).",
        [settled(1, isi_pengaduan='Lampu "jalan" di RT 01 mati, sejak kemarin malam'), settled(2)],
    ),
    one(
        "csv_baris_baru_dalam_sel",
        "CSV dengan baris baru di dalam sel bertanda kutip: tetap satu pengaduan.",
        [settled(1, isi_pengaduan="Jalan desa rusak parah.\nMohon segera diperbaiki."), settled(2)],
    ),
    Case(
        "csv_titik_koma_cp1252",
        "CSV Excel Indonesia: pemisah titik koma, pengodean Windows-1252 ('José').",
        [],
        raw_bytes=_csv_text([HEADER, settled(1, nama_pelapor="José Rahmat"), settled(2)], ";").encode(
            "cp1252"
        ),
    ),
    Case(
        "csv_bom_utf8",
        "CSV UTF-8 dengan BOM (pilihan 'CSV UTF-8' di Excel).",
        [],
        raw_bytes=codecs.BOM_UTF8 + _csv_text([HEADER, settled(1), settled(2)]).encode("utf-8"),
    ),
    Case(
        "csv_utf16",
        "CSV 'Unicode Text' UTF-16 dengan BOM dan pemisah tab.",
        [],
        raw_bytes=codecs.BOM_UTF16_LE + _csv_text([HEADER, settled(1), settled(2)], "\t").encode("utf-16-le"),
    ),
    Case(
        "csv_byte_tak_terdefinisi",
        "CSV Windows-1252 dengan byte 0x81 yang tidak terdefinisi di sel Isi Pengaduan baris 3.",
        [],
        raw_bytes=_csv_text([HEADER, settled(1), settled(2, isi_pengaduan="Jalan rusak XYZ di RT 02")])
        .encode("cp1252")
        .replace(b"XYZ", b"\x81"),
        expected=[("KARAKTER_TIDAK_TERBACA", 3, "Isi Pengaduan")],
    ),
    one(
        "csv_sel_sangat_panjang",
        "CSV dengan satu sel 200.000 karakter (batas modul csv 131.072): terbaca, ditandai terlalu panjang.",
        [settled(1, isi_pengaduan="Jalan rusak. " * 15_385), settled(2)],
        [("TEKS_TERLALU_PANJANG", 2, "Isi Pengaduan")],
    ),
    Case(
        "csv_akhir_baris_cr",
        "CSV dengan akhir baris CR saja (Excel Mac lama).",
        [],
        raw_bytes=_csv_text([HEADER, settled(1), settled(2)]).replace("\r\n", "\r").encode("utf-8"),
    ),
    Case(
        "xlsx_sheet_tersembunyi",
        "Workbook dengan sheet tersembunyi berisi 2 pengaduan (dulu diabaikan diam-diam) dan sheet daftar "
        "pilihan tersembunyi (bukan register: tidak ada temuan).",
        [
            Sheet("Register", [HEADER, settled(1)]),
            Sheet("Arsip", [HEADER, settled(2), settled(3)], hidden=True),
            Sheet("Daftar", [["Diterima"], ["Selesai"]], hidden=True),
        ],
        [("SHEET_TERSEMBUNYI", None, "", "Arsip")],
        fmt="xlsx",
    ),
    Case(
        "xlsx_sel_berformat_jauh",
        "Register 2 baris dengan satu sel berformat (tanpa isi) di XFD3000: biaya baca sebatas data.",
        [Sheet("Register", [HEADER, settled(1), settled(2)], styled_cells=["XFD3000"])],
        fmt="xlsx",
    ),
    Case(
        "xlsx_rumus_dengan_nilai",
        "xlsx yang Nomornya ='ADU/2025/01/'&TEXT(1,\"0000\") dan Tanggal Diterima =DATE(...)+TIME(...) dengan "
        "nilai terhitung tersimpan: dibaca nilai yang tampil, tanpa temuan.",
        [Sheet("Register", [HEADER, settled(1, tanggal_diterima=dt.datetime(2025, 1, 6, 9, 0)), settled(2)])],
        fmt="xlsx",
        raw_cells={
            "A2": '<c r="A2"{s} t="str"><f>"ADU/2025/01/"&amp;TEXT(1,"0000")</f><v>ADU/2025/01/0001</v></c>',
            "C2": '<c r="C2"{s}><f>DATE(2025,1,6)+TIME(9,0,0)</f><v>45663.375</v></c>',
        },
    ),
    one(
        "nomor_spasi_lebar_nol",
        "Nomor dengan spasi lebar-nol dan spasi tak-putus tempelan dari WhatsApp: tetap satu nomor, dapat "
        "dicari dan diperbarui.",
        [settled(1, nomor="ADU/2025/01/\u200b0001"), settled(2, nomor="ADU/2025/01/0002\xa0")],
    ),
    one(
        "kolom_tanpa_judul",
        "Catatan diketik di kolom X yang tidak berjudul: isinya tidak dibaca, jadi satu temuan untuk kolom itu.",
        [[*settled(1), "warga minta dikabari lewat RT"], [*settled(2), ""], [*settled(3), "sudah ditelepon"]],
        [("DATA_TANPA_JUDUL", 1, "X")],
        header=[*HEADER, ""],
    ),
    one(
        "tahun_1900_dan_2206",
        "Tahun 1900 (sel tanggal kosong dari Excel) dan 2206 (salah ketik 2026) ditandai.",
        [
            settled(1, tanggal_diterima="00/01/1900"),
            settled(2, tanggal_selesai="15/01/2206 11:00"),
            settled(3),
        ],
        [
            ("TANGGAL_TIDAK_TERBACA", 2, "Tanggal Diterima"),
            ("TANGGAL_MASA_DEPAN", 3, "Tanggal Selesai"),
        ],
    ),
    Case(
        "xlsx_tahun_1900",
        "Sel tanggal Excel bernilai 1 (1 Januari 1900) di Tanggal Diterima.",
        [Sheet("Register", [HEADER, settled(1, tanggal_diterima=dt.datetime(1900, 1, 1, 9, 0)), settled(2)])],
        [("TANGGAL_TERLALU_LAMA", 2, "Tanggal Diterima")],
        fmt="xlsx",
    ),
    one(
        "no_urut_dan_no_register",
        "Tata letak 'No | No. Register | ...': nomor urut di kolom No, Nomor pengaduan di No. Register.",
        [["1", *settled(1)], ["2", *settled(2)]],
        header=["No", "No. Register", *HEADER[1:]],
    ),
]


def _write_csv(case: Case, path: Path) -> None:
    if case.raw_bytes is not None:
        path.write_bytes(case.raw_bytes)
        return
    path.write_bytes(_csv_text(case.sheets[0].rows, case.delimiter).encode("utf-8"))


def _write_xlsx(case: Case, path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in case.sheets:
        worksheet = workbook.create_sheet(sheet.name)
        for row in sheet.rows:
            worksheet.append([None if v in ("", None) else v for v in row] or [None])
        for cell in sheet.text_cells:
            worksheet[cell].data_type = "s"
        for merged in sheet.merges:
            worksheet.merge_cells(merged)
        for reference in sheet.styled_cells:
            worksheet[reference].font = openpyxl.styles.Font(bold=True)
        if sheet.hidden:
            worksheet.sheet_state = "hidden"
    workbook.properties.created = workbook.properties.modified = dt.datetime(2025, 1, 1)
    workbook.save(path)
    if case.raw_cells:
        _patch_cells(path, case.raw_cells)


def _patch_cells(path: Path, raw_cells: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode("utf-8")
                for reference, cell in raw_cells.items():
                    match = re.search(rf'<c r="{reference}"([^>]*?)(/>|>.*?</c>)', xml)
                    assert match, reference
                    style = re.search(r'\ss="\d+"', match.group(1))
                    xml = (
                        xml[: match.start()]
                        + cell.replace("{s}", style.group(0) if style else "")
                        + xml[match.end() :]
                    )
                data = xml.encode("utf-8")
            archive.writestr(info, data)


def _toml_text(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _write_expected(case: Case, path: Path) -> None:
    lines = [
        f"# {case.name}: expected findings (kode, baris = sheet row, kolom = header as written).",
        f"description = {_toml_text(case.description)}",
        f"profile = {_toml_text(case.profile)}",
        f"now = {_toml_text(NOW.isoformat(sep=' ', timespec='minutes'))}",
        "",
    ]
    for item in case.expected:
        kode, row, column, *sheet = item
        lines.append("[[finding]]")
        lines.append(f"kode = {_toml_text(kode)}")
        if row is not None:
            lines.append(f"baris = {row}")
        lines.append(f"kolom = {_toml_text(column)}")
        if sheet:
            lines.append(f"sheet = {_toml_text(sheet[0])}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def build(directory: Path = CASES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        data = directory / f"{case.name}.{case.fmt}"
        (_write_xlsx if case.fmt == "xlsx" else _write_csv)(case, data)
        _write_expected(case, directory / f"{case.name}.expected.toml")
        written.append(data)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(CASES_DIR.parent.parent.parent))
