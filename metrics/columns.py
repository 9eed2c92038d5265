"""Register columns: canonical names, keys and the header spellings petugas actually use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Kinds of register column: how a cell is read and checked.
KINDS = ("text", "date", "vocabulary", "phone", "flag")
# How a personal column is masked for viewers who do not handle the complaint (metrics.privacy).
MASKS = ("initials", "hidden", "phone")


@dataclass(frozen=True)
class Column:
    """One register column of the template (DESIGN §2): everything the app knows about it.

    ``key`` is the canonical key (``column_key(header)``); ``aliases`` the other header spellings
    petugas use; ``kind`` one of ``KINDS``; ``vocabulary`` the profile list a ``vocabulary``
    column is matched against; ``mask`` how a personal column is masked (``MASKS``; None = not
    personal); ``content`` marks the complaint's own texts (hidden, with personal data, from
    public aggregate views); ``max_length`` the longest text a form accepts; ``stage_date`` marks
    the block of stage-date columns a profile replaces with its own stage columns.
    """

    key: str
    header: str
    kind: str
    label_id: str
    label_en: str
    aliases: tuple[str, ...] = ()
    vocabulary: str | None = None
    mask: str | None = None
    content: bool = False
    max_length: int | None = None
    stage_date: bool = False

    @property
    def personal(self) -> bool:
        return self.mask is not None


# DESIGN §2: the default register template (profile ``umum``), in order. A new column — or a new
# personal column — is one entry here.
COLUMNS: tuple[Column, ...] = (
    Column(
        "nomor",
        "Nomor",
        "text",
        "Nomor",
        "Number",
        aliases=(
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
    ),
    Column(
        "desa",
        "Desa",
        "text",
        "Desa",
        "Village",
        aliases=("desa", "desa kelurahan", "kelurahan", "nama desa", "desa kel", "lokasi desa"),
    ),
    Column(
        "tanggal_diterima",
        "Tanggal Diterima",
        "date",
        "Tanggal diterima",
        "Date received",
        aliases=(
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
    ),
    Column(
        "saluran",
        "Saluran",
        "vocabulary",
        "Saluran",
        "Channel",
        aliases=("saluran", "media", "media pengaduan", "sarana", "sarana pengaduan", "via", "kanal", "cara"),
        vocabulary="channels",
    ),
    Column(
        "nama_pelapor",
        "Nama Pelapor",
        "text",
        "Nama pelapor",
        "Reporter name",
        aliases=(
            "nama pelapor",
            "nama pengadu",
            "pelapor",
            "pengadu",
            "nama",
            "nama warga",
            "nama pemohon",
            "pemohon",
        ),
        mask="initials",
        max_length=200,
    ),
    Column(
        "alamat",
        "Alamat",
        "text",
        "Alamat",
        "Address",
        aliases=("alamat", "alamat pelapor", "alamat pengadu", "alamat lengkap", "domisili"),
        mask="hidden",
        max_length=500,
    ),
    Column(
        "no_hp",
        "No. HP",
        "phone",
        "No. HP",
        "Phone",
        aliases=(
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
        mask="phone",
        max_length=40,
    ),
    Column(
        "rahasia",
        "Rahasia",
        "flag",
        "Rahasia",
        "Confidential",
        aliases=("rahasia", "dirahasiakan", "anonim", "identitas dirahasiakan", "kerahasiaan"),
    ),
    Column(
        "isi_pengaduan",
        "Isi Pengaduan",
        "text",
        "Isi pengaduan",
        "Complaint",
        aliases=(
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
        content=True,
        max_length=30_000,  # a spreadsheet cell holds 32,767 (Excel) / 50,000 (Sheets)
    ),
    Column(
        "kategori",
        "Kategori",
        "vocabulary",
        "Kategori",
        "Category",
        aliases=("kategori", "jenis pengaduan", "klasifikasi", "jenis aduan", "bidang", "jenis"),
        vocabulary="categories",
    ),
    Column(
        "urgensi",
        "Urgensi",
        "vocabulary",
        "Urgensi",
        "Urgency",
        aliases=("urgensi", "tingkat urgensi", "prioritas", "tingkat kepentingan", "sifat"),
        vocabulary="urgencies",
    ),
    Column(
        "tahap",
        "Tahap",
        "vocabulary",
        "Tahap",
        "Stage",
        aliases=("tahap", "status", "tahapan", "status pengaduan", "posisi", "progres", "progress"),
        vocabulary="stages",
    ),
    Column(
        "disposisi_kepada",
        "Disposisi Kepada",
        "text",
        "Disposisi kepada",
        "Assigned to",
        aliases=(
            "disposisi kepada",
            "disposisi",
            "diteruskan kepada",
            "diteruskan ke",
            "pejabat",
            "penanggung jawab",
            "petugas penghubung",
            "pic",
        ),
        max_length=200,
    ),
    Column(
        "tanggal_verifikasi",
        "Tanggal Verifikasi",
        "date",
        "Tanggal verifikasi",
        "Verification date",
        aliases=("tanggal verifikasi", "tgl verifikasi", "diverifikasi"),
        stage_date=True,
    ),
    Column(
        "tanggal_disposisi",
        "Tanggal Disposisi",
        "date",
        "Tanggal disposisi",
        "Disposition date",
        aliases=("tanggal disposisi", "tgl disposisi"),
        stage_date=True,
    ),
    Column(
        "tanggal_tindak_lanjut",
        "Tanggal Tindak Lanjut",
        "date",
        "Tanggal tindak lanjut",
        "Follow-up date",
        aliases=("tanggal tindak lanjut", "tgl tindak lanjut", "tgl tl", "tanggal tl"),
        stage_date=True,
    ),
    Column(
        "tanggal_jawaban",
        "Tanggal Jawaban",
        "date",
        "Tanggal jawaban",
        "Answer date",
        aliases=(
            "tanggal jawaban",
            "tgl jawaban",
            "tanggal dijawab",
            "tgl jawab",
            "tanggal balasan",
            "tanggal penyampaian jawaban",
        ),
        stage_date=True,
    ),
    Column(
        "tanggal_selesai",
        "Tanggal Selesai",
        "date",
        "Tanggal selesai",
        "Settled date",
        aliases=("tanggal selesai", "tgl selesai", "selesai", "tanggal arsip", "tanggal penyelesaian"),
        stage_date=True,
    ),
    Column(
        "jenis_penyelesaian",
        "Jenis Penyelesaian",
        "vocabulary",
        "Jenis penyelesaian",
        "Outcome",
        aliases=("jenis penyelesaian", "output", "bentuk penyelesaian", "hasil", "jenis hasil"),
        vocabulary="outcomes",
    ),
    Column(
        "hasil_tindak_lanjut",
        "Hasil Tindak Lanjut",
        "text",
        "Hasil tindak lanjut",
        "Follow-up result",
        aliases=(
            "hasil tindak lanjut",
            "tindak lanjut",
            "jawaban",
            "keterangan",
            "ket",
            "hasil penanganan",
            "tanggapan",
        ),
        content=True,
        max_length=30_000,
    ),
    Column(
        "no_berita_acara",
        "No. Berita Acara",
        "text",
        "No. berita acara",
        "Minutes number",
        aliases=("no berita acara", "nomor berita acara", "berita acara", "no ba", "nomor ba"),
        max_length=200,
    ),
    Column(
        "diperbarui_oleh",
        "Diperbarui Oleh",
        "text",
        "Diperbarui oleh",
        "Updated by",
        aliases=("diperbarui oleh", "diubah oleh", "updated by"),
    ),
    Column(
        "diperbarui_pada",
        "Diperbarui Pada",
        "date",
        "Diperbarui pada",
        "Updated at",
        aliases=("diperbarui pada", "diubah pada", "updated at", "terakhir diperbarui"),
    ),
    # --- Menunggu kelengkapan (issue 16.5): the SLA clock waits while the file is incomplete
    # (Perpres 76/2013 counts from a complete file). One pause per complaint; rules in metrics.sla.
    Column(
        "mulai_menunggu_kelengkapan",
        "Mulai Menunggu Kelengkapan",
        "date",
        "Mulai menunggu kelengkapan",
        "Waiting for documents since",
        aliases=(
            "mulai menunggu kelengkapan",
            "menunggu kelengkapan",
            "menunggu kelengkapan sejak",
            "mulai jeda",
            "berkas belum lengkap sejak",
        ),
    ),
    Column(
        "berkas_lengkap_pada",
        "Berkas Lengkap Pada",
        "date",
        "Berkas lengkap pada",
        "File complete at",
        aliases=("berkas lengkap pada", "berkas lengkap", "tanggal berkas lengkap", "selesai jeda"),
    ),
    # Record status (issue 13.1, metrics.record_status): "Duplikat" (Keterangan Status = the
    # original's Nomor) or "Batal" (Keterangan Status = the reason); empty = counted. A marked
    # record leaves every figure and queue (metrics.register splits it off).
    Column(
        "status_catatan",
        "Status Catatan",
        "text",
        "Status catatan",
        "Record status",
        aliases=("status catatan", "status data", "status record", "tanda catatan"),
        max_length=20,
    ),
    Column(
        "keterangan_status",
        "Keterangan Status",
        "text",
        "Keterangan status",
        "Status note",
        aliases=("keterangan status", "duplikat dari", "alasan batal", "keterangan batal"),
        content=True,
        max_length=500,
    ),
)
# The pause columns (start, resume) read by the stage model (metrics.stages.pause_spans).
PAUSE_START = "mulai_menunggu_kelengkapan"
PAUSE_END = "berkas_lengkap_pada"
COLUMN_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

TEMPLATE_HEADER: tuple[str, ...] = tuple(c.header for c in COLUMNS)

# Columns before and after the block of stage-date columns in a profile's header.
_STAGE_BLOCK = [i for i, c in enumerate(COLUMNS) if c.stage_date]
HEADER_BEFORE_STAGES: tuple[str, ...] = tuple(c.header for c in COLUMNS[: _STAGE_BLOCK[0]])
HEADER_AFTER_STAGES: tuple[str, ...] = tuple(c.header for c in COLUMNS[_STAGE_BLOCK[-1] + 1 :])

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
VOCABULARY_COLUMNS: dict[str, str] = {c.key: c.vocabulary for c in COLUMNS if c.vocabulary}
TEXT_COLUMNS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.kind == "text")
# Longest text a form accepts, per column key.
MAX_LENGTHS: dict[str, int] = {c.key: c.max_length for c in COLUMNS if c.max_length is not None}


def personal_columns() -> tuple[str, ...]:
    """Keys of the columns holding personal data (UU 27/2022 PDP), masked by ``metrics.privacy``."""
    return tuple(c.key for c in COLUMNS if c.personal)


def column_mask(key: str) -> str | None:
    """How a column is masked (one of ``MASKS``), None when it is not personal or not known."""
    column = COLUMN_BY_KEY.get(key)
    return None if column is None else column.mask


def content_columns() -> tuple[str, ...]:
    """Keys of the complaint's own texts (hidden with personal data in public aggregate views)."""
    return tuple(c.key for c in COLUMNS if c.content)


def column_label(key: str, language: str = "id") -> str:
    """The label of a column key (``language`` ``"id"`` or ``"en"``); the key itself when unknown."""
    column = COLUMN_BY_KEY.get(key)
    if column is None:
        return key
    return column.label_en if language == "en" else column.label_id


def column_key(header: object) -> str:
    """The canonical key of a header: case, accents, punctuation and spacing ignored.

    ``"No. HP"`` -> ``"no_hp"``, ``" Tanggal  Diterima "`` -> ``"tanggal_diterima"``.
    """
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^0-9a-zA-Z]+", " ", text).strip().lower()
    return "_".join(text.split())


# Header spellings seen in hand-kept registers -> canonical key, passed through ``column_key`` so
# lookups ignore case and punctuation.
HEADER_ALIASES: dict[str, str] = {
    column_key(alias): column.key for column in COLUMNS for alias in column.aliases
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


# The satisfaction survey after settlement (data_sources.survey_store, metrics.ikm): a sheet beside
# the register that is never read as register rows.
SURVEY_SHEET = "Survei"

# The notification ledger (services.notifications.ledger): a sheet beside the register, never register rows.
NOTIFICATION_SHEET = "Notifikasi"
