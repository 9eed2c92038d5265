"""Register columns: canonical names, keys and the header spellings petugas actually use."""

from __future__ import annotations

import re
import unicodedata

# DESIGN §2: the default register template (profile ``umum``), in order.
TEMPLATE_HEADER: tuple[str, ...] = (
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
    "Tanggal Verifikasi",
    "Tanggal Disposisi",
    "Tanggal Tindak Lanjut",
    "Tanggal Jawaban",
    "Tanggal Selesai",
    "Jenis Penyelesaian",
    "Hasil Tindak Lanjut",
    "No. Berita Acara",
    "Diperbarui Oleh",
    "Diperbarui Pada",
)

# Columns before and after the block of stage-date columns in a profile's header.
HEADER_BEFORE_STAGES: tuple[str, ...] = TEMPLATE_HEADER[:13]
HEADER_AFTER_STAGES: tuple[str, ...] = TEMPLATE_HEADER[18:]

AUDIT_SHEET = "Riwayat"
# "ID Kiriman": the submission id shared by every audit row of one form submission (replays are
# recognised by it). Riwayat sheets written before it existed have 7 columns and are still read.
AUDIT_HEADER: tuple[str, ...] = (
    "Waktu",
    "Nomor",
    "Kolom",
    "Nilai Lama",
    "Nilai Baru",
    "Oleh",
    "Peran",
    "ID Kiriman",
)

# Columns whose values are matched against a profile vocabulary.
VOCABULARY_COLUMNS: dict[str, str] = {
    "saluran": "channels",
    "kategori": "categories",
    "urgensi": "urgencies",
    "tahap": "stages",
    "jenis_penyelesaian": "outcomes",
}
TEXT_COLUMNS = (
    "nomor",
    "desa",
    "nama_pelapor",
    "alamat",
    "isi_pengaduan",
    "disposisi_kepada",
    "hasil_tindak_lanjut",
    "no_berita_acara",
    "diperbarui_oleh",
)


def column_key(header: object) -> str:
    """The canonical key of a header: case, accents, punctuation and spacing ignored.

    ``"No. HP"`` -> ``"no_hp"``, ``" Tanggal  Diterima "`` -> ``"tanggal_diterima"``.
    """
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^0-9a-zA-Z]+", " ", text).strip().lower()
    return "_".join(text.split())


# Header spellings seen in hand-kept registers -> canonical key. Keys on the left are
# already passed through ``column_key`` so lookups ignore case and punctuation.
_ALIASES: dict[str, tuple[str, ...]] = {
    "nomor": (
        "no",
        "nomor",
        "no register",
        "nomor register",
        "no reg",
        "no registrasi",
        "nomor pengaduan",
        "no pengaduan",
        "no aduan",
        "nomor aduan",
        "no agenda",
        "nomor agenda",
        "id",
        "id pengaduan",
        "no tiket",
    ),
    "desa": ("desa", "desa kelurahan", "kelurahan", "nama desa", "desa kel", "lokasi desa"),
    "tanggal_diterima": (
        "tanggal diterima",
        "tgl terima",
        "tgl diterima",
        "tanggal terima",
        "tanggal masuk",
        "tgl masuk",
        "tanggal pengaduan",
        "tgl pengaduan",
        "tanggal",
        "tgl",
        "waktu diterima",
        "diterima",
        "tanggal lapor",
    ),
    "saluran": ("saluran", "media", "media pengaduan", "sarana", "sarana pengaduan", "via", "kanal", "cara"),
    "nama_pelapor": (
        "nama pelapor",
        "nama pengadu",
        "pelapor",
        "pengadu",
        "nama",
        "nama warga",
        "nama pemohon",
        "pemohon",
    ),
    "alamat": ("alamat", "alamat pelapor", "alamat pengadu", "alamat lengkap", "domisili"),
    "no_hp": (
        "no hp",
        "nomor hp",
        "hp",
        "no telp",
        "no telepon",
        "telepon",
        "telp",
        "no wa",
        "nomor wa",
        "wa",
        "no handphone",
        "handphone",
        "kontak",
        "nomor telepon",
        "no hp wa",
    ),
    "rahasia": ("rahasia", "dirahasiakan", "anonim", "identitas dirahasiakan", "kerahasiaan"),
    "isi_pengaduan": (
        "isi pengaduan",
        "uraian",
        "uraian pengaduan",
        "isi aduan",
        "pengaduan",
        "aduan",
        "perihal",
        "pokok pengaduan",
        "keluhan",
        "objek pengaduan",
        "isi",
        "permasalahan",
    ),
    "kategori": ("kategori", "jenis pengaduan", "klasifikasi", "jenis aduan", "bidang", "jenis"),
    "urgensi": ("urgensi", "tingkat urgensi", "prioritas", "tingkat kepentingan", "sifat"),
    "tahap": ("tahap", "status", "tahapan", "status pengaduan", "posisi", "progres", "progress"),
    "disposisi_kepada": (
        "disposisi kepada",
        "disposisi",
        "diteruskan kepada",
        "diteruskan ke",
        "pejabat",
        "penanggung jawab",
        "petugas penghubung",
        "pic",
    ),
    "tanggal_verifikasi": ("tanggal verifikasi", "tgl verifikasi", "diverifikasi"),
    "tanggal_disposisi": ("tanggal disposisi", "tgl disposisi"),
    "tanggal_tindak_lanjut": ("tanggal tindak lanjut", "tgl tindak lanjut", "tgl tl", "tanggal tl"),
    "tanggal_jawaban": (
        "tanggal jawaban",
        "tgl jawaban",
        "tanggal dijawab",
        "tgl jawab",
        "tanggal balasan",
        "tanggal penyampaian jawaban",
    ),
    "tanggal_selesai": ("tanggal selesai", "tgl selesai", "selesai", "tanggal arsip", "tanggal penyelesaian"),
    "jenis_penyelesaian": ("jenis penyelesaian", "output", "bentuk penyelesaian", "hasil", "jenis hasil"),
    "hasil_tindak_lanjut": (
        "hasil tindak lanjut",
        "tindak lanjut",
        "jawaban",
        "keterangan",
        "ket",
        "hasil penanganan",
        "tanggapan",
    ),
    "no_berita_acara": ("no berita acara", "nomor berita acara", "berita acara", "no ba", "nomor ba"),
    "diperbarui_oleh": ("diperbarui oleh", "diubah oleh", "updated by"),
    "diperbarui_pada": ("diperbarui pada", "diubah pada", "updated at", "terakhir diperbarui"),
}

HEADER_ALIASES: dict[str, str] = {
    column_key(alias): canonical for canonical, aliases in _ALIASES.items() for alias in aliases
}
for _header in TEMPLATE_HEADER:
    HEADER_ALIASES[column_key(_header)] = column_key(_header)


def canonical_column(header: object, extra: dict[str, str] | None = None) -> str | None:
    """The canonical key a header means, or None when it is not a register column.

    ``extra`` maps further header keys (e.g. a profile's stage columns) to canonical keys.
    """
    key = column_key(header)
    if not key:
        return None
    if extra and key in extra:
        return extra[key]
    return HEADER_ALIASES.get(key)
