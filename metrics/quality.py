"""Data quality of a hand-kept register: every problem named by sheet row and column.

``quality_findings`` = the normaliser's findings (unreadable dates, unknown values, invalid
phone numbers, duplicate headers, ...) plus the checks that need several cells of a row or
several rows: missing or duplicate Nomor, dates in the future or out of stage order, a stage
skipped, a Tahap that contradicts the dates, missing complaint elements (Cipari's *unsur
pengaduan*), settled without an outcome, over-long text and cells that look like formulas.

Each finding carries a stable ``kode`` (see ``QUALITY_CHECKS``), a severity (``galat`` /
``peringatan`` / ``info``), the sheet, the sheet row number, the column header as written, the
value as written and an Indonesian message with the fix. Pure pandas, vectorised: inputs are
never modified.

Graceful degradation: a finding never removes a complaint from the register. A complaint with
an unreadable answer date still counts in the monthly totals by its receipt date; a complaint
without a readable receipt date still counts in Total and Open (Ringkasan, Perbandingan Desa) but
cannot be placed in a month (``set_aside_summary`` says how many and why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.cells import clean_text
from metrics.columns import (
    PAUSE_END,
    PAUSE_START,
    TEXT_COLUMNS,
    VOCABULARY_COLUMNS,
    canonical_column,
    column_key,
)
from metrics.desa_names import RARE_SHARE, desa_variants, rare_desa, written_desa
from metrics.record_status import DEFAULT_DAYS, duplicate_pairs
from metrics.register import FINDING_COLUMNS, Register, _closest, stage_column_aliases
from metrics.stages import PAUSE_PROBLEMS, StageModel, pause_spans, stage_model_of_dates
from metrics.text import Text

if TYPE_CHECKING:
    from metrics.profiles import Profile

SEVERITIES = ("galat", "peringatan", "info")
QUALITY_COLUMNS = (*FINDING_COLUMNS, "kunci", "sel", "nomor", "desa")

# Google Sheets holds at most 50,000 characters in one cell.
SHEETS_CELL_LIMIT = 50_000
OLDEST_PLAUSIBLE = pd.Timestamp("1990-01-01")  # older dates in a complaint register are mistakes
# A finding quotes at most this much of a cell (the full text stays in the sheet).
QUOTE_LIMIT = 1_000
# Dates later than now by more than this (or on a later day) are in the future.
FUTURE_TOLERANCE = pd.Timedelta(hours=2)

IDENTITY_ELEMENTS = ("nama_pelapor", "alamat", "no_hp")
# What petugas write in Nama when the reporter stays anonymous (as column_key).
ANONYMOUS_NAMES = frozenset(
    column_key(v)
    for v in (
        "anonim",
        "anonymous",
        "tanpa nama",
        "hamba allah",
        "nn",
        "n.n.",
        "no name",
        "tidak disebutkan",
        "dirahasiakan",
        "rahasia",
        "tidak mau disebut",
    )
)
# A cell holding only dashes, dots or question marks is a placeholder for "nothing".
_PLACEHOLDER_CHARS = "-\u2013\u2014.? \t\r\n"
# Text that a spreadsheet may take for a formula (OWASP CSV injection), but not a plain
# signed number such as -5 or +62 812 3456 7890.
_FORMULA_START = r"[=+\-@]"
_SIGNED_NUMBER = r"[+\-]?\d[\d.,\s]*"
_FORMULA_COLUMNS = (*TEXT_COLUMNS, *VOCABULARY_COLUMNS)


@dataclass(frozen=True)
class QualityCheck:
    kode: str
    tingkat: str
    judul_id: str
    judul_en: str
    saran: str  # how to fix it, in Indonesian
    saran_en: str = ""  # how to fix it, in English (the catalogue behind English findings)


_CHECKS: tuple[QualityCheck, ...] = (
    QualityCheck(
        "HEADER_TIDAK_DITEMUKAN",
        "galat",
        "Judul kolom tidak ditemukan",
        "Header row not found",
        "Tambahkan baris judul kolom sesuai templat register (Nomor, Desa, Tanggal Diterima, ...).",
        "Add the header row of the register template (Nomor, Desa, Tanggal Diterima, ...).",
    ),
    QualityCheck(
        "KOLOM_GANDA",
        "peringatan",
        "Kolom ganda",
        "Duplicated column",
        "Ganti nama atau hapus salah satu kolom; hanya kolom pertama yang dibaca.",
        "Rename or delete one of the two columns; only the first one is read.",
    ),
    QualityCheck(
        "KOLOM_WAJIB_TIDAK_ADA",
        "galat",
        "Kolom wajib tidak ada",
        "Required column missing",
        "Tambahkan kolom Nomor dan Tanggal Diterima pada baris judul.",
        "Add the columns Nomor and Tanggal Diterima to the header row.",
    ),
    QualityCheck(
        "KOLOM_TIDAK_ADA",
        "peringatan",
        "Kolom tidak ada",
        "Column missing",
        "Tambahkan kolom ini pada baris judul agar isiannya dapat diperiksa.",
        "Add this column to the header row so its cells can be checked.",
    ),
    QualityCheck(
        "NOMOR_KOSONG",
        "galat",
        "Nomor kosong",
        "Missing number",
        "Beri nomor register; tanpa nomor pengaduan tidak dapat dicari atau diperbarui.",
        "Give the complaint a register number; without one it cannot be looked up or updated.",
    ),
    QualityCheck(
        "NOMOR_GANDA",
        "galat",
        "Nomor ganda",
        "Duplicate number",
        "Beri nomor unik pada setiap pengaduan atau hapus baris rangkap.",
        "Give every complaint its own number, or delete the repeated row.",
    ),
    QualityCheck(
        "TANGGAL_DITERIMA_KOSONG",
        "galat",
        "Tanggal diterima kosong",
        "Missing receipt date",
        "Isi Tanggal Diterima; tanpa itu pengaduan tidak masuk angka per periode.",
        "Fill in Tanggal Diterima; without it the complaint is left out of the figures per period.",
    ),
    QualityCheck(
        "TANGGAL_TIDAK_TERBACA",
        "galat",
        "Tanggal tidak terbaca",
        "Unreadable date",
        "Tulis tanggal hari-bulan-tahun, mis. 26/07/2023 atau 26/07/2023 14:30.",
        "Write the date day-month-year, e.g. 26/07/2023 or 26/07/2023 14:30.",
    ),
    QualityCheck(
        "TANGGAL_MASA_DEPAN",
        "galat",
        "Tanggal di masa depan",
        "Date in the future",
        "Periksa tahun, bulan dan hari; tanggal tidak boleh melewati hari ini.",
        "Check the year, month and day; a date cannot be later than today.",
    ),
    QualityCheck(
        "URUTAN_TANGGAL",
        "galat",
        "Urutan tanggal tahap salah",
        "Stage dates out of order",
        "Tanggal tiap tahap tidak boleh lebih awal dari tahap sebelumnya; perbaiki yang salah ketik.",
        "A stage's date cannot be earlier than the previous stage's; correct the mistyped one.",
    ),
    QualityCheck(
        "TAHAP_TERLEWAT",
        "peringatan",
        "Tanggal tahap terlewat",
        "Stage date skipped",
        "Isi tanggal tahap yang terlewat (tahap sesudahnya sudah bertanggal).",
        "Fill in the skipped stage's date (a later stage already has a date).",
    ),
    QualityCheck(
        "TAHAP_TIDAK_SESUAI",
        "peringatan",
        "Tahap tidak sesuai tanggal",
        "Stage contradicts dates",
        "Samakan isian Tahap dengan tanggal tahap terakhir yang sudah diisi.",
        "Make Tahap match the last stage that has a date.",
    ),
    QualityCheck(
        "NILAI_TIDAK_DIKENAL",
        "peringatan",
        "Nilai tidak dikenal",
        "Unknown value",
        "Pilih salah satu nilai dari profil SOP (lihat saran pada pesan).",
        "Choose one of the values of the SOP profile.",
    ),
    QualityCheck(
        "DESA_TIDAK_DIKENAL",
        "peringatan",
        "Desa tidak dikenal",
        "Unknown village",
        "Tulis nama desa seperti pada daftar desa kecamatan.",
        "Write the village name as in the sub-district's list of villages.",
    ),
    QualityCheck(
        "DESA_KOSONG",
        "galat",
        "Desa kosong",
        "Missing village",
        "Tulis nama desa di setiap baris; sel Desa yang digabung (merge) harus dipisah.",
        "Write the village name on every row; merged Desa cells must be unmerged.",
    ),
    QualityCheck(
        "ELEMEN_KOSONG",
        "peringatan",
        "Unsur pengaduan tidak lengkap",
        "Complaint element missing",
        "Lengkapi nama, alamat, nomor HP dan isi pengaduan, atau tandai Rahasia bila pelapor anonim.",
        "Complete name, address, phone number and complaint text, or mark Rahasia when the complainant stays anonymous.",
    ),
    QualityCheck(
        "HP_TIDAK_VALID",
        "peringatan",
        "Nomor HP tidak valid",
        "Invalid phone number",
        "Tulis seperti 081234567890; format sel sebagai teks agar angka 0 di depan tidak hilang.",
        "Write it like 081234567890; format the cell as text so the leading 0 is not lost.",
    ),
    QualityCheck(
        "RAHASIA_TIDAK_TERBACA",
        "peringatan",
        "Isian Rahasia tidak dikenali",
        "Unreadable Rahasia",
        "Isi 'Ya' atau 'Tidak'.",
        "Write 'Ya' (yes) or 'Tidak' (no).",
    ),
    QualityCheck(
        "SELESAI_TANPA_JENIS",
        "peringatan",
        "Selesai tanpa jenis penyelesaian",
        "Settled without outcome",
        "Isi Jenis Penyelesaian untuk pengaduan yang sudah selesai.",
        "Fill in Jenis Penyelesaian (outcome) for a settled complaint.",
    ),
    QualityCheck(
        "TEKS_TERLALU_PANJANG",
        "galat",
        "Teks terlalu panjang",
        "Text too long",
        "Sel Google Sheets memuat paling banyak 50.000 karakter; pindahkan uraian ke dokumen lampiran.",
        "A Google Sheets cell holds at most 50,000 characters; move the long text to an attached document.",
    ),
    QualityCheck(
        "SEL_RUMUS",
        "peringatan",
        "Sel tampak seperti rumus",
        "Cell looks like a formula",
        "Teks yang diawali = + - @ dapat terbaca sebagai rumus saat diekspor; awali dengan tanda petik (').",
        "Text starting with = + - @ may be read as a formula when exported; start it with an apostrophe (').",
    ),
    # what the register source saw in the file itself (metrics.register.SourceNote)
    QualityCheck(
        "RUMUS_TANPA_NILAI",
        "peringatan",
        "Rumus tanpa nilai terhitung",
        "Formula without a computed value",
        "Buka berkas di Excel/LibreOffice dan simpan ulang agar nilai rumus ikut tersimpan, atau ketik nilainya.",
        "Open the file in Excel/LibreOffice and save it again so formula values are stored, or type the value.",
    ),
    QualityCheck(
        "KARAKTER_TIDAK_TERBACA",
        "peringatan",
        "Karakter tidak terbaca",
        "Unreadable character",
        "Ketik ulang karakter yang tampil sebagai kotak/tanda tanya, atau simpan berkas sebagai CSV UTF-8.",
        "Retype the characters shown as boxes/question marks, or save the file as CSV UTF-8.",
    ),
    QualityCheck(
        "DATA_TANPA_JUDUL",
        "peringatan",
        "Data di kolom tanpa judul",
        "Data under an unnamed column",
        "Beri judul kolom itu sesuai templat, atau pindahkan isinya ke kolom yang benar.",
        "Give that column a header as in the template, or move its cells to the right column.",
    ),
    QualityCheck(
        "TANGGAL_TERLALU_LAMA",
        "peringatan",
        "Tanggal terlalu lama",
        "Implausibly old date",
        "Periksa tahunnya: tanggal sebelum 1990 biasanya salah ketik atau sel kosong yang terbaca sebagai 1900.",
        "Check the year: a date before 1990 is usually a typo or an empty cell read as 1900.",
    ),
    QualityCheck(
        "SHEET_TERSEMBUNYI",
        "peringatan",
        "Sheet tersembunyi berisi pengaduan",
        "Hidden sheet holds complaints",
        "Tampilkan sheet itu (klik kanan nama sheet > Unhide); pengaduannya sudah ikut dihitung.",
        "Unhide that sheet (right-click the sheet name > Unhide); its complaints are already counted.",
    ),
    # Menunggu kelengkapan (the pause of the stage model, metrics.stages.pause_spans)
    QualityCheck(
        "JEDA_TANPA_MULAI",
        "peringatan",
        "Berkas lengkap tanpa mulai menunggu",
        "File complete without a waiting start",
        "Isi Mulai Menunggu Kelengkapan, atau kosongkan Berkas Lengkap Pada; jeda ini tidak dihitung.",
        "Fill in Mulai Menunggu Kelengkapan, or empty Berkas Lengkap Pada; this pause is not counted.",
    ),
    QualityCheck(
        "JEDA_SEBELUM_DITERIMA",
        "galat",
        "Menunggu kelengkapan sebelum diterima",
        "Waiting for documents before receipt",
        "Periksa Mulai Menunggu Kelengkapan: jeda tidak bisa mulai sebelum pengaduan diterima; jeda ini tidak dihitung.",
        "Check Mulai Menunggu Kelengkapan: a pause cannot start before the complaint was received; this pause is "
        "not counted.",
    ),
    QualityCheck(
        "JEDA_SELESAI_SEBELUM_MULAI",
        "galat",
        "Berkas lengkap sebelum mulai menunggu",
        "File complete before the waiting started",
        "Periksa kedua tanggal jeda: Berkas Lengkap Pada harus sesudah Mulai Menunggu Kelengkapan; jeda ini tidak dihitung.",
        "Check both pause dates: Berkas Lengkap Pada must come after Mulai Menunggu Kelengkapan; this pause is not "
        "counted.",
    ),
    QualityCheck(
        "JEDA_MULAI_MASA_DEPAN",
        "galat",
        "Menunggu kelengkapan mulai di masa depan",
        "Waiting starts in the future",
        "Periksa Mulai Menunggu Kelengkapan; jeda yang belum mulai tidak dihitung.",
        "Check Mulai Menunggu Kelengkapan; a pause that has not started yet is not counted.",
    ),
    QualityCheck(
        "JEDA_SELESAI_MASA_DEPAN",
        "galat",
        "Berkas lengkap di masa depan",
        "File complete in the future",
        "Periksa Berkas Lengkap Pada; sampai tanggal itu pengaduan dianggap masih menunggu kelengkapan.",
        "Check Berkas Lengkap Pada; until that date the complaint counts as still waiting for documents.",
    ),
    # Record status (issue 13.1, metrics.record_status)
    QualityCheck(
        "KEMUNGKINAN_DUPLIKAT",
        "peringatan",
        "Kemungkinan pengaduan ganda",
        "Likely duplicate complaint",
        "Bila memang pengaduan yang sama, buka Perbarui Pengaduan dan tandai yang belakangan sebagai "
        "Duplikat dari Nomor aslinya; tanda itu mengeluarkannya dari semua angka dan antrean.",
        "If it is the same complaint, open Update a complaint and mark the later one as a Duplicate of the "
        "original Nomor; the mark takes it out of every figure and queue.",
    ),
    QualityCheck(
        "STATUS_CATATAN_TIDAK_DIKENAL",
        "peringatan",
        "Status catatan tidak dikenal",
        "Unknown record status",
        "Isi kolom Status Catatan dengan 'Duplikat' atau 'Batal', atau kosongkan; pengaduan tetap dihitung.",
        "Write 'Duplikat' or 'Batal' in the Status Catatan column, or leave it empty; the complaint is still "
        "counted.",
    ),
)
QUALITY_CHECKS: dict[str, QualityCheck] = {check.kode: check for check in _CHECKS}


# --------------------------------------------------------------------------------------------
# Helpers


def _column_letters(position: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _quote(values: pd.Series) -> pd.Series:
    """Values as written, cut to QUOTE_LIMIT characters with the full length noted."""
    text = values.astype("string").fillna("")
    length = text.str.len()
    long = length > QUOTE_LIMIT
    if not long.any():
        return text
    cut = text.str.slice(0, QUOTE_LIMIT) + "… (" + length.astype("string") + " karakter)"
    return text.where(~long, cut)


def _placeholder(text: pd.Series) -> pd.Series:
    """Cleaned cells with nothing in them, or only a placeholder such as '-' or '?'."""
    return (text.str.strip(_PLACEHOLDER_CHARS) == "").fillna(True).astype(bool)


def _stamp_text(stamps: pd.Series) -> pd.Series:
    return stamps.dt.strftime("%d/%m/%Y %H:%M").astype("string").str.replace(" 00:00", "", regex=False)


class _Context:
    """What the checks share: the complaints, the cells as written and the header of each column."""

    def __init__(self, register: Register, profile: Profile) -> None:
        self.register = register
        self.profile = profile
        self.complaints = register.complaints
        raw = register.raw
        if raw is None or not raw.index.equals(self.complaints.index):
            raw = self.complaints.astype("string").fillna("")
        self.raw = raw
        self.sheet = self.complaints["_sheet"].astype("string")
        self.parts: list[pd.DataFrame] = []
        self._cache: dict[tuple[str, str], pd.Series] = {}

    def _memo(self, kind: str, key: str, make) -> pd.Series:
        if (kind, key) not in self._cache:
            self._cache[kind, key] = make()
        return self._cache[kind, key]

    def header(self, key: str) -> pd.Series:
        """Per complaint: the header of ``key`` as written in its sheet ("" when it has none)."""
        by_sheet = {sheet: headers.get(key, "") for sheet, headers in self.register.headers.items()}
        return self._memo("header", key, lambda: self.sheet.map(by_sheet).fillna("").astype("string"))

    def has_column(self, key: str) -> pd.Series:
        return self._memo("has", key, lambda: (self.header(key) != "") & (key in self.complaints.columns))

    def text(self, key: str) -> pd.Series:
        if key in self.raw.columns:
            return self._memo("text", key, lambda: self.raw[key].astype("string").fillna(""))
        return pd.Series("", index=self.complaints.index, dtype="string")

    def clean(self, key: str) -> pd.Series:
        """The cell as text without outer blanks (the complaints already hold it for text columns)."""
        if key in TEXT_COLUMNS and key in self.complaints.columns and self.register.raw is not None:
            return self._memo("clean", key, lambda: self.complaints[key].astype("string").fillna(""))
        return self._memo("clean", key, lambda: clean_text(self.text(key)))

    def blank(self, key: str) -> pd.Series:
        """Nothing written at all (a date cell holding '-' is an unreadable date, not a blank)."""
        return self._memo("blank", key, lambda: self.clean(key) == "")

    def empty(self, key: str) -> pd.Series:
        return self._memo("empty", key, lambda: _placeholder(self.clean(key)))

    def add(self, kode: str, mask: pd.Series, key: str, value, message) -> None:
        """One finding per masked complaint, at column ``key`` of its row.

        ``value`` and ``message`` are text, a Series, or a function of the selected index
        (so messages are only built for the rows that have the finding).
        """
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        index = mask[mask].index
        value = self._at(value, index)
        message = self._at(message, index)
        self.parts.append(
            pd.DataFrame(
                {
                    "kode": kode,
                    "tingkat": QUALITY_CHECKS[kode].tingkat,
                    "sheet": self.sheet.loc[index].to_numpy(),
                    "baris": self.complaints.loc[index, "_row"].to_numpy(),
                    "kolom": self.header(key).loc[index].to_numpy(),
                    "nilai": _quote(value).to_numpy(),
                    "pesan": message.astype("string").to_numpy(),
                    "kunci": key,
                }
            )
        )

    def _at(self, what, index: pd.Index) -> pd.Series:
        if callable(what):
            what = what(index)
        if isinstance(what, pd.Series):
            return what.loc[index]
        return pd.Series(what, index=index, dtype="string")

    def add_sheet(
        self, kode: str, sheet: str, row: int | None, value: str, message: str, key: str = ""
    ) -> None:
        self.parts.append(
            pd.DataFrame(
                [
                    {
                        "kode": kode,
                        "tingkat": QUALITY_CHECKS[kode].tingkat,
                        "sheet": sheet,
                        "baris": row,
                        "kolom": "",
                        "nilai": value,
                        "pesan": message,
                        "kunci": key,
                    }
                ]
            )
        )


# --------------------------------------------------------------------------------------------
# The checks


def _missing_columns(ctx: _Context, desa_names: Sequence[str] | None = None) -> None:
    profile = ctx.profile
    known_desa = {column_key(d) for d in desa_names or ()}
    wanted = [
        *[(key, "KOLOM_WAJIB_TIDAK_ADA") for key in ("nomor", "tanggal_diterima")],
        *[(key, "KOLOM_TIDAK_ADA") for key in ("desa", *profile.required_elements, "jenis_penyelesaian")],
    ]
    names = {column_key(h): h for h in _profile_header(profile)}
    for sheet, headers in ctx.register.headers.items():
        for key, kode in dict(wanted).items():
            if headers.get(key):
                continue
            if key == "desa" and known_desa:
                continue  # desa names configured: the normaliser already names a sheet that is no desa
            name = names.get(key, key)
            why = {
                "nomor": "tanpa kolom ini pengaduan tidak dapat dicari, diperbarui lewat aplikasi, atau dilacak pelapor",
                "tanggal_diterima": "tanpa kolom ini pengaduan tidak dapat dihitung per periode maupun tenggatnya",
                "desa": f"nama sheet '{sheet}' dipakai sebagai nama desa untuk semua barisnya",
            }.get(key, "isiannya tidak dapat diperiksa")
            ctx.add_sheet(
                kode,
                sheet,
                ctx.register.header_rows.get(sheet),
                "",
                f"Sheet '{sheet}' tidak punya kolom '{name}'; {why}. Tambahkan kolom '{name}' pada baris judul.",
                key,
            )


def _example_nomor(profile) -> str:
    """A register number in the profile's format, as a person would write it (no template fields)."""
    try:
        return profile.nomor_format.format(tahun=2026, bulan=1, urut=1, kode_desa="KODE", desa="Desa")
    except (KeyError, IndexError, ValueError):
        return "nomor urut yang belum dipakai"


def _nomor(ctx: _Context) -> None:
    has = ctx.has_column("nomor")
    empty = has & ctx.empty("nomor")
    ctx.add(
        "NOMOR_KOSONG",
        empty,
        "nomor",
        ctx.text("nomor"),
        "Nomor kosong. Beri nomor register (mis. "
        + _example_nomor(ctx.profile)
        + "); tanpa nomor pengaduan tidak dapat dicari atau diperbarui lewat aplikasi.",
    )
    candidate = has & ~empty
    identity = ctx.clean("nomor").where(candidate).str.casefold()
    duplicated = candidate & identity.duplicated(keep=False) & identity.notna()
    if not duplicated.any():
        return
    dup_identity = identity[duplicated].str.replace(r"\s+", " ", regex=True)
    place = ctx.sheet[duplicated] + " baris " + ctx.complaints.loc[duplicated, "_row"].astype("string")
    groups = place.groupby(dup_identity, sort=False)
    listed = groups.agg(lambda p: ", ".join(p.iloc[:10]) + (f", … ({len(p)} baris)" if len(p) > 10 else ""))
    counts = groups.size().astype("string")

    def message(ix: pd.Index) -> pd.Series:
        who = dup_identity.loc[ix]
        return (
            "Nomor '"
            + ctx.clean("nomor").loc[ix]
            + "' dipakai "
            + who.map(counts).astype("string")
            + " baris: "
            + who.map(listed).astype("string")
            + ". Nomor adalah identitas pengaduan: beri nomor baru yang unik pada pengaduan yang berbeda, "
            "atau hapus baris rangkap."
        )

    ctx.add("NOMOR_GANDA", duplicated, "nomor", ctx.text("nomor"), message)


def _date_keys(ctx: _Context) -> list[str]:
    keys = ["tanggal_diterima", *[s.column_key for s in ctx.profile.stages], "diperbarui_pada"]
    return [k for k in dict.fromkeys(keys) if k in ctx.complaints.columns]


def _dates(ctx: _Context, now: pd.Timestamp) -> None:
    receipt = ctx.has_column("tanggal_diterima") & ctx.blank("tanggal_diterima")
    ctx.add(
        "TANGGAL_DITERIMA_KOSONG",
        receipt,
        "tanggal_diterima",
        ctx.text("tanggal_diterima"),
        "Tanggal Diterima kosong: pengaduan ini disisihkan dari angka per periode (bulanan, ringkasan). "
        "Isi tanggal pengaduan diterima, mis. 26/07/2023 14:30.",
    )
    today = now.normalize()
    for key in _date_keys(ctx):
        stamps = ctx.complaints[key]
        future = stamps.notna() & (
            (stamps > now + FUTURE_TOLERANCE) | (stamps >= today + pd.Timedelta(days=1))
        )
        future = future.fillna(False).astype(bool) & ctx.has_column(key)
        ctx.add(
            "TANGGAL_MASA_DEPAN",
            future,
            key,
            ctx.text(key),
            lambda ix, key=key, stamps=stamps: (
                "Tanggal '"
                + ctx.clean(key).loc[ix]
                + "' ("
                + _stamp_text(stamps.loc[ix])
                + ") ada di masa depan (hari ini "
                + today.strftime("%d/%m/%Y")
                + "). Periksa tahun, bulan dan hari; mungkin salah ketik atau hari dan bulan tertukar."
            ),
        )


def _old_dates(ctx: _Context) -> None:
    """A year like 1900 (an empty Excel date, a typo): counted in no period the user looks at."""
    for key in _date_keys(ctx):
        stamps = ctx.complaints[key]
        old = (stamps.notna() & (stamps < OLDEST_PLAUSIBLE)).fillna(False).astype(bool) & ctx.has_column(key)
        ctx.add(
            "TANGGAL_TERLALU_LAMA",
            old,
            key,
            ctx.text(key),
            lambda ix, key=key, stamps=stamps: (
                "Tanggal '"
                + ctx.clean(key).loc[ix]
                + "' ("
                + _stamp_text(stamps.loc[ix])
                + ") terlalu lama untuk register pengaduan. Periksa tahunnya; mungkin salah ketik atau sel "
                "kosong yang terbaca sebagai tahun 1900."
            ),
        )


def _stage_keys(ctx: _Context) -> list:
    return [s for s in ctx.profile.stages if s.column_key in ctx.complaints.columns]


def _stage_order(ctx: _Context) -> None:
    """Any stage date earlier than a previous stage's date (e.g. answered before received)."""
    stages = _stage_keys(ctx)
    index = ctx.complaints.index
    latest = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    latest_key = pd.Series(-1, index=index, dtype="int64")
    for position, stage in enumerate(stages):
        key = stage.column_key
        stamps = ctx.complaints[key].where(ctx.has_column(key))
        if position:
            early = stamps.notna() & latest.notna() & (stamps < latest)
            # a date written without a time (midnight) on the same day is not out of order
            day_only = (
                early & (stamps == stamps.dt.normalize()) & (stamps.dt.normalize() == latest.dt.normalize())
            )
            early &= ~day_only
            if early.any():
                before, before_key = latest.copy(), latest_key.copy()

                def message(
                    ix: pd.Index, key=key, stamps=stamps, before=before, before_key=before_key
                ) -> pd.Series:
                    earlier_header = pd.Series("", index=ix, dtype="string")
                    for i, other in enumerate(stages):
                        earlier_header = earlier_header.where(
                            before_key.loc[ix] != i, ctx.header(other.column_key).loc[ix]
                        )
                    return (
                        ctx.header(key).loc[ix]
                        + " ("
                        + _stamp_text(stamps.loc[ix])
                        + ") lebih awal dari "
                        + earlier_header
                        + " ("
                        + _stamp_text(before.loc[ix])
                        + "). Tanggal tahap harus urut sesuai SOP; periksa kedua tanggal itu."
                    )

                ctx.add("URUTAN_TANGGAL", early, key, ctx.text(key), message)
        later = stamps.notna() & (latest.isna() | (stamps > latest))
        latest = latest.where(~later, stamps)
        latest_key = latest_key.where(~later, position)


def _stage_model(ctx: _Context, stages: list) -> StageModel:
    """The stage model (``metrics.stages``) of the register's stage columns, a date counting only
    in the sheets that have its column."""
    dates = [
        ctx.complaints[s.column_key].where(ctx.has_column(s.column_key)).to_numpy(dtype="datetime64[ns]")
        for s in stages
    ]
    return stage_model_of_dates(dates, stages, ctx.complaints.index)


def _pauses(ctx: _Context, now: pd.Timestamp) -> None:
    """Impossible pauses (``metrics.stages.PAUSE_PROBLEMS``): named at the cell to fix."""
    if not ctx.profile.stages:
        return
    receipt = ctx.profile.stages[0].column_key
    received = ctx.complaints[receipt].where(ctx.has_column(receipt)).to_numpy(dtype="datetime64[ns]")
    problems = pause_spans(ctx.complaints, received.view(np.int64), now).problem
    messages = {
        "JEDA_TANPA_MULAI": (
            PAUSE_END,
            "Berkas Lengkap Pada terisi ({}) tetapi Mulai Menunggu Kelengkapan kosong.",
        ),
        "JEDA_SEBELUM_DITERIMA": (PAUSE_START, "Mulai Menunggu Kelengkapan ({}) sebelum pengaduan diterima."),
        "JEDA_SELESAI_SEBELUM_MULAI": (
            PAUSE_END,
            "Berkas Lengkap Pada ({}) sebelum Mulai Menunggu Kelengkapan.",
        ),
        "JEDA_MULAI_MASA_DEPAN": (PAUSE_START, "Mulai Menunggu Kelengkapan ({}) ada di masa depan."),
        "JEDA_SELESAI_MASA_DEPAN": (PAUSE_END, "Berkas Lengkap Pada ({}) ada di masa depan."),
    }
    for code, kode in enumerate(PAUSE_PROBLEMS):
        if not kode:
            continue
        key, text = messages[kode]
        mask = pd.Series(problems == code, index=ctx.complaints.index)
        stamps = ctx.complaints[key]
        ctx.add(
            kode,
            mask,
            key,
            ctx.text(key),
            lambda ix, text=text, stamps=stamps, kode=kode: _stamp_text(stamps.loc[ix]).map(
                lambda when, text=text, kode=kode: text.format(when) + " " + QUALITY_CHECKS[kode].saran
            ),
        )


def _skipped_stages(ctx: _Context) -> None:
    """A stage left empty while a later stage is dated (the receipt date has its own check)."""
    stages = _stage_keys(ctx)
    model = _stage_model(ctx, stages)
    index = ctx.complaints.index
    for position in range(len(stages) - 1, 0, -1):
        stage = stages[position]
        key = stage.column_key
        after = pd.Series(model.next_filled[position], index=index)
        skipped = ctx.has_column(key) & ctx.blank(key) & pd.Series(model.skipped[position], index=index)
        if skipped.any():

            def message(ix: pd.Index, key=key, stage=stage, after=after) -> pd.Series:
                later_header = pd.Series("", index=ix, dtype="string")
                for i, other in enumerate(stages):
                    later_header = later_header.where(
                        after.loc[ix] != i, ctx.header(other.column_key).loc[ix]
                    )
                return (
                    ctx.header(key).loc[ix] + " kosong padahal " + later_header + " sudah diisi. Isi tanggal "
                    "tahap '" + stage.label + "' (atau hapus tanggal tahap sesudahnya bila keliru)."
                )

            ctx.add("TAHAP_TERLEWAT", skipped, key, ctx.text(key), message)


def _stage_column(ctx: _Context) -> None:
    """Tahap that contradicts the dates: behind the furthest dated stage, or ahead of the dates."""
    stages = _stage_keys(ctx)
    if "tahap" not in ctx.complaints.columns or not stages:
        return
    keys = [s.column_key for s in stages]
    position = {s.key: i for i, s in enumerate(stages)}
    said = ctx.complaints["tahap"].map(position).astype("Float64")
    has_tahap = ctx.has_column("tahap") & said.notna()
    if not has_tahap.any():
        return
    furthest = pd.Series(_stage_model(ctx, stages).furthest.astype("int64"), index=ctx.complaints.index)

    def header_of(positions: pd.Series, ix: pd.Index) -> pd.Series:
        out = pd.Series("", index=ix, dtype="string")
        for i, key in enumerate(keys):
            out = out.where(positions.loc[ix] != i, ctx.header(key).loc[ix])
        return out

    labels = {i: s.label for i, s in enumerate(stages)}
    behind = has_tahap & (furthest > said.fillna(-1)).fillna(False).astype(bool)
    ctx.add(
        "TAHAP_TIDAK_SESUAI",
        behind,
        "tahap",
        ctx.text("tahap"),
        lambda ix: (
            "Tahap masih '"
            + ctx.clean("tahap").loc[ix]
            + "' padahal "
            + header_of(furthest, ix)
            + " sudah diisi. Ubah Tahap menjadi '"
            + furthest.loc[ix].map(labels).astype("string")
            + "'."
        ),
    )
    ahead = pd.Series(False, index=ctx.complaints.index)
    for i, key in enumerate(keys):
        if i == 0:
            continue  # an empty receipt date is its own finding
        ahead |= has_tahap & (said == i).fillna(False).astype(bool) & ctx.has_column(key) & ctx.blank(key)
    ahead &= ~behind
    ctx.add(
        "TAHAP_TIDAK_SESUAI",
        ahead,
        "tahap",
        ctx.text("tahap"),
        lambda ix: (
            "Tahap '"
            + ctx.clean("tahap").loc[ix]
            + "' tetapi "
            + header_of(said.astype("float64").fillna(-1), ix)
            + " kosong. Isi tanggalnya, atau kembalikan Tahap ke tahap terakhir yang sudah bertanggal."
        ),
    )


def _desa(ctx: _Context, desa_names: Sequence[str] | None) -> None:
    has = ctx.has_column("desa")
    empty = has & ctx.empty("desa")
    if empty.any():

        def message(ix: pd.Index) -> pd.Series:
            order = ctx.complaints.sort_values(["_sheet", "_row"]).index
            desa = ctx.clean("desa").where(~ctx.empty("desa"))
            above = (
                desa.loc[order].groupby(ctx.sheet.loc[order]).ffill().reindex(ctx.complaints.index).loc[ix]
            )
            hint = ("; baris di atasnya berisi '" + above + "'").fillna("")
            return (
                "Desa kosong" + hint + ". Jika sel Desa digabung (merge) dengan baris di atasnya, pisahkan "
                "gabungan sel lalu tulis nama desa di setiap baris. Sampai diisi, pengaduan ini tidak masuk "
                "angka per desa."
            )

        ctx.add("DESA_KOSONG", empty, "desa", ctx.text("desa"), message)
    if not desa_names:
        return
    known = {
        column_key(f"{prefix} {n}") for n in desa_names for prefix in ("", "desa", "ds", "kelurahan", "kel")
    }
    values = ctx.complaints["desa"].astype("string")
    keys = values.map({v: column_key(v) for v in values.dropna().unique()}).astype("string")
    unknown = has & ~empty & ~keys.isin(known).fillna(False).astype(bool)
    if unknown.any():
        suggestions = {v: _closest(str(v), list(desa_names)) for v in ctx.clean("desa")[unknown].unique()}

        def unknown_message(ix: pd.Index) -> pd.Series:
            written = ctx.clean("desa").loc[ix]
            hint = ("Mungkin maksudnya '" + written.map(suggestions).astype("string") + "'?").fillna("")
            return "Desa '" + written + "' bukan desa di kecamatan ini. " + hint

        ctx.add("DESA_TIDAK_DIKENAL", unknown, "desa", ctx.text("desa"), unknown_message)
    # a sheet without a Desa column takes the sheet's name (reported once for the sheet)
    for sheet, headers in ctx.register.headers.items():
        if headers.get("desa") or column_key(sheet) in known or not (ctx.sheet == sheet).any():
            continue
        hint = _closest(sheet, list(desa_names))
        ctx.add_sheet(
            "DESA_TIDAK_DIKENAL",
            sheet,
            None,
            sheet,
            f"Sheet '{sheet}' tidak punya kolom Desa, dan nama sheet bukan desa di kecamatan ini."
            + (f" Mungkin maksudnya '{hint}'?" if hint else "")
            + " Tambahkan kolom Desa atau ganti nama sheet menjadi nama desa.",
            "desa",
        )


def _desa_in_register(ctx: _Context, desa_names: Sequence[str] | None) -> None:
    """Without configured desa names (``[wilayah] desa``): a name that is a near-miss of another
    desa in the register, or on fewer than 1 % of the rows, is an unknown desa
    (``metrics.desa_names``). With them, ``_desa`` checks against the list."""
    if desa_names or not ctx.has_column("desa").any():
        return
    written = written_desa(ctx.complaints).astype("string").str.strip()
    variants = desa_variants(written)
    rare = set(rare_desa(written)) - set(variants)
    if variants:
        near = written.isin(list(variants)).fillna(False).astype(bool)

        def near_message(ix: pd.Index) -> pd.Series:
            name = written.loc[ix]
            return (
                "Desa '"
                + name
                + "' mirip nama desa lain di register: mungkin maksudnya '"
                + name.map(variants).astype("string")
                + "'? Perbaiki ejaannya; sampai diperbaiki desa ini tidak ditawarkan sebagai desa tersendiri."
            )

        ctx.add("DESA_TIDAK_DIKENAL", near, "desa", ctx.text("desa"), near_message)
    if rare:
        few = written.isin(sorted(rare)).fillna(False).astype(bool)
        share = f"{RARE_SHARE:.0%}".replace("%", " %")

        def rare_message(ix: pd.Index) -> pd.Series:
            return (
                "Desa '"
                + written.loc[ix]
                + f"' hanya muncul pada kurang dari {share} baris register. Periksa ejaannya, atau daftarkan "
                "desa-desa kecamatan di [wilayah] desa."
            )

        ctx.add("DESA_TIDAK_DIKENAL", few, "desa", ctx.text("desa"), rare_message)


def _elements(ctx: _Context, existing: pd.DataFrame) -> None:
    """Cipari's unsur pengaduan: identity (nama, alamat, no. HP) unless Rahasia/anonymous; isi always."""
    secret = (
        ctx.complaints["rahasia"].fillna(False).astype(bool)
        if "rahasia" in ctx.complaints
        else pd.Series(False, index=ctx.complaints.index)
    )
    names_written = ctx.clean("nama_pelapor")
    anonymous = secret | names_written.map({v: column_key(v) for v in names_written.unique()}).isin(
        ANONYMOUS_NAMES
    )
    names = {column_key(h): h for h in _profile_header(ctx.profile)}
    listed = ", ".join(names.get(k, k) for k in ctx.profile.required_elements)
    reported = existing.loc[existing["baris"].notna(), ["sheet", "baris", "kunci"]]
    for key in ctx.profile.required_elements:
        if key not in ctx.raw.columns:
            continue
        missing = ctx.has_column(key) & ctx.empty(key)
        if key in IDENTITY_ELEMENTS:
            missing &= ~anonymous
            advice = (
                "tanyakan kepada pelapor, atau tandai Rahasia bila pelapor minta identitasnya dirahasiakan."
            )
        else:
            advice = "objek pengaduan harus jelas; tulis pokok pengaduannya."
        here = reported[reported["kunci"] == key]
        if len(here) and missing.any():  # one finding per cell: e.g. a phone written as '-'
            cells = pd.MultiIndex.from_arrays([here["sheet"].astype(str), here["baris"].astype("int64")])
            rows = pd.MultiIndex.from_arrays([ctx.sheet.astype(str), ctx.complaints["_row"].astype("int64")])
            missing &= ~pd.Series(rows.isin(cells), index=ctx.complaints.index)
        ctx.add(
            "ELEMEN_KOSONG",
            missing,
            key,
            ctx.text(key),
            lambda ix, key=key, advice=advice: (
                ctx.header(key).loc[ix]
                + f" kosong. Unsur pengaduan menurut SOP ({listed}) wajib lengkap; "
                + advice
            ),
        )


def _outcome(ctx: _Context) -> None:
    settle_stage = ctx.profile.milestone_stage("selesai")
    settle = settle_stage.column_key if settle_stage is not None else ""
    if settle not in ctx.complaints.columns:
        return
    settled = ctx.complaints[settle].notna() & ctx.has_column(settle)
    missing = settled & ctx.has_column("jenis_penyelesaian") & ctx.empty("jenis_penyelesaian")
    labels = ", ".join(t.label for t in ctx.profile.outcomes)
    ctx.add(
        "SELESAI_TANPA_JENIS",
        missing,
        "jenis_penyelesaian",
        ctx.text("jenis_penyelesaian"),
        lambda ix: (
            ctx.header(settle).loc[ix]
            + " sudah diisi ("
            + _stamp_text(ctx.complaints.loc[ix, settle])
            + ") tetapi "
            + ctx.header("jenis_penyelesaian").loc[ix]
            + " kosong. Isi jenis penyelesaian: "
            + labels
            + "."
        ),
    )


def _cell_text(ctx: _Context) -> None:
    for key in [k for k in ctx.raw.columns if k not in ("_sheet", "_row")]:
        present = ctx.has_column(key)
        length = ctx.text(key).str.len()
        too_long = present & (length > SHEETS_CELL_LIMIT)
        ctx.add(
            "TEKS_TERLALU_PANJANG",
            too_long,
            key,
            ctx.text(key),
            lambda ix, length=length: (
                "Isi sel "
                + length.loc[ix].astype("string")
                + " karakter, melebihi batas 50.000 karakter per sel "
                "Google Sheets. Pindahkan uraian panjang ke dokumen lampiran dan tulis ringkasannya di register."
            ),
        )
        if key not in _FORMULA_COLUMNS:
            continue
        # text columns hold the cleaned text; vocabulary columns their key, or the text when unknown
        cleaned = ctx.complaints[key].astype("string").fillna("") if key in ctx.complaints else ctx.clean(key)
        formula = present & cleaned.str.contains(f"^{_FORMULA_START}", regex=True).fillna(False).astype(bool)
        if formula.any():
            candidates = cleaned[formula].astype(object)
            harmless = candidates.str.fullmatch(_SIGNED_NUMBER).astype(bool) | _placeholder(candidates)
            formula &= ~harmless.reindex(formula.index, fill_value=False)
        ctx.add(
            "SEL_RUMUS",
            formula,
            key,
            ctx.text(key),
            lambda ix, cleaned=cleaned: (
                "Isi sel diawali '"
                + cleaned.loc[ix].str.slice(0, 1)
                + "' sehingga dapat terbaca sebagai rumus saat "
                "register diekspor atau disalin (bahaya rumus tersembunyi). Awali dengan tanda petik (') atau ubah "
                "kalimatnya."
            ),
        )


def _likely_duplicates(ctx: _Context, days: int) -> None:
    """A complaint nearly repeating an earlier one of the same desa and phone (``duplicate_pairs``)."""
    pairs = duplicate_pairs(ctx.complaints, days)
    if pairs.empty:
        return
    pairs = pairs.drop_duplicates("indeks").set_index("indeks")
    mask = pd.Series(ctx.complaints.index.isin(pairs.index), index=ctx.complaints.index)

    def message(ix: pd.Index) -> pd.Series:
        found = pairs.loc[ix]
        return pd.Series(
            [
                f"Isi dan No. HP hampir sama dengan pengaduan {asli} ({hari} hari sebelumnya, "
                f"kemiripan {round(score * 100)}%). Bila pengaduan yang sama, tandai Duplikat dari {asli}."
                for asli, hari, score in zip(
                    found["asli"], found["selisih_hari"], found["kemiripan"], strict=True
                )
            ],
            index=ix,
            dtype="string",
        )

    ctx.add("KEMUNGKINAN_DUPLIKAT", mask, "isi_pengaduan", ctx.text("nomor"), message)


def _profile_header(profile: Profile) -> list[str]:
    from metrics.profiles import register_header

    return register_header(profile)


# --------------------------------------------------------------------------------------------
# Public functions


def quality_findings(
    register: Register,
    profile: Profile,
    now: pd.Timestamp,
    desa_names: Sequence[str] | None = None,
    *,
    duplicate_days: int = DEFAULT_DAYS,
) -> pd.DataFrame:
    """Every finding of the register: the normaliser's plus the cross-field checks.

    Columns ``QUALITY_COLUMNS``: ``kode, tingkat, sheet, baris, kolom, nilai, pesan`` (as in
    ``Register.findings``) plus ``kunci`` (canonical column key, "" for a whole sheet), ``sel``
    (A1 reference such as ``C12``, "" when there is no single cell), ``nomor`` and ``desa`` of the
    complaint. ``now`` is naive local wall time. Ordered by sheet, row and column.
    """
    now = pd.Timestamp(now)
    ctx = _Context(register, profile)
    base = register.findings.copy()
    extra = stage_column_aliases(profile)
    base["kunci"] = base["kolom"].map(lambda k: canonical_column(k, extra) or "").astype("string")
    base.loc[base["kode"] == "DESA_TIDAK_DIKENAL", "kunci"] = "desa"
    base["nilai"] = _quote(base["nilai"])
    if not ctx.complaints.empty:
        _nomor(ctx)
        _dates(ctx, now)
        _old_dates(ctx)
        _stage_order(ctx)
        _skipped_stages(ctx)
        _pauses(ctx, now)
        _stage_column(ctx)
        _desa(ctx, desa_names)
        _desa_in_register(ctx, desa_names)
        _elements(ctx, base)
        _outcome(ctx)
        _cell_text(ctx)
        _likely_duplicates(ctx, duplicate_days)
    _missing_columns(ctx, desa_names)
    frames = [f for f in (base, *ctx.parts) if len(f)]
    if not frames:
        return _empty_findings()
    found = pd.concat(frames, ignore_index=True)
    found["baris"] = pd.array(found["baris"], dtype="Int64")
    for column in ("kode", "tingkat", "sheet", "kolom", "nilai", "pesan", "kunci"):
        found[column] = found[column].astype("string").fillna("")
    # the normaliser may already have named an unknown desa: keep one finding per cell and code
    found = found.drop_duplicates(["kode", "sheet", "baris", "kunci"], keep="first")
    found = _with_cells(found, register, extra)
    found = _with_complaint(found, ctx.complaints)
    order = {sheet: i for i, sheet in enumerate(register.sheet_urls or register.headers)}
    found["_urut_sheet"] = found["sheet"].map(order).fillna(len(order)).astype("int64")
    found = found.sort_values(
        ["_urut_sheet", "baris", "_kolom_ke", "kode"], na_position="first", kind="stable"
    ).reset_index(drop=True)
    return found[list(QUALITY_COLUMNS)]


def _empty_findings() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in QUALITY_COLUMNS})
    frame["baris"] = pd.array([], dtype="Int64")
    return frame


def _with_cells(found: pd.DataFrame, register: Register, extra: dict[str, str]) -> pd.DataFrame:
    """Add ``_kolom_ke`` (0-based column of the cell, -1 if none) and ``sel`` (A1)."""
    rows = []
    for sheet, cells in register.header_cells.items():
        seen: set[str] = set()
        for position, cell in enumerate(cells):
            key = canonical_column(cell, extra)
            if key and key not in seen:
                seen.add(key)
                rows.append((sheet, key, position))
    positions = pd.DataFrame(rows, columns=["sheet", "kunci", "_kolom_ke"]).astype(
        {"sheet": "string", "kunci": "string"}
    )
    out = found.merge(positions, on=["sheet", "kunci"], how="left")
    out.index = found.index
    # a duplicated header: the later column of that name (the one that is not read)
    dup = out["kode"] == "KOLOM_GANDA"
    for index in out.index[dup]:
        cells = register.header_cells.get(out.at[index, "sheet"], ())
        matches = [i for i, c in enumerate(cells) if str(c).strip() == out.at[index, "kolom"]]
        out.at[index, "_kolom_ke"] = matches[-1] if matches else np.nan
    sheet_level = out["kolom"] == ""
    out["_kolom_ke"] = out["_kolom_ke"].where(~sheet_level)
    position = out["_kolom_ke"]
    has_cell = position.notna() & out["baris"].notna()
    names = {p: _column_letters(int(p)) for p in position.dropna().unique()}
    letters = position.map(names).astype("string").fillna("")
    out["sel"] = (letters.astype("string") + out["baris"].astype("string")).where(has_cell, "").fillna("")
    out["_kolom_ke"] = position.fillna(-1).astype("int64")
    return out


def _with_complaint(found: pd.DataFrame, complaints: pd.DataFrame) -> pd.DataFrame:
    if complaints.empty:
        found["nomor"] = pd.Series("", index=found.index, dtype="string")
        found["desa"] = pd.Series("", index=found.index, dtype="string")
        return found
    keys = complaints[["_sheet", "_row", "nomor", "desa"]].rename(
        columns={"_sheet": "sheet", "_row": "baris"}
    )
    keys = keys.astype({"sheet": "string", "baris": "Int64", "nomor": "string", "desa": "string"})
    out = found.merge(keys, on=["sheet", "baris"], how="left")
    out.index = found.index
    out["nomor"] = out["nomor"].fillna("")
    out["desa"] = out["desa"].fillna("")
    return out


def findings_over_time(findings: pd.DataFrame, complaints: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Per period of receipt: complaints received, complaints with findings, findings by severity.

    Columns ``bulan`` (Period), ``pengaduan``, ``pengaduan_bermasalah``, ``bagian_bermasalah``
    (share, NaN without complaints), ``temuan``, ``galat``, ``peringatan``, ``info``. Periods
    from the first to the last receipt, none skipped. Complaints without a readable receipt date
    (and findings about a whole sheet) are left out: they are counted by ``set_aside_summary``.
    """
    columns = ["bulan", "pengaduan", "pengaduan_bermasalah", "bagian_bermasalah", "temuan", *SEVERITIES]
    received = (
        complaints["tanggal_diterima"]
        if "tanggal_diterima" in complaints
        else pd.Series(dtype="datetime64[ns]")
    )
    dated = complaints[received.notna()] if len(complaints) else complaints
    if dated.empty:
        return pd.DataFrame(columns=columns)
    period = dated["tanggal_diterima"].dt.to_period(freq)
    where = pd.DataFrame(
        {"sheet": dated["_sheet"].astype("string"), "baris": dated["_row"].astype("Int64"), "bulan": period}
    )
    months = pd.period_range(period.min(), period.max(), freq=period.dt.freq)
    out = pd.DataFrame(index=months)
    out["pengaduan"] = period.value_counts().reindex(months, fill_value=0)
    linked = (
        findings[["sheet", "baris", "tingkat"]]
        .astype({"sheet": "string", "baris": "Int64"})
        .merge(where, on=["sheet", "baris"], how="inner")
    )
    out["pengaduan_bermasalah"] = (
        linked.drop_duplicates(["sheet", "baris"])["bulan"].value_counts().reindex(months, fill_value=0)
    )
    out["temuan"] = linked["bulan"].value_counts().reindex(months, fill_value=0)
    for level in SEVERITIES:
        out[level] = (
            linked.loc[linked["tingkat"] == level, "bulan"].value_counts().reindex(months, fill_value=0)
        )
    out = out.fillna(0).astype("int64")
    out["bagian_bermasalah"] = out["pengaduan_bermasalah"] / out["pengaduan"].where(out["pengaduan"] > 0)
    out.index.name = "bulan"
    return out.reset_index()[columns]


# Which figures a complaint is set aside from, by the finding that explains it.
SET_ASIDE_FIGURES: dict[str, Text] = {
    "periode": Text(
        "Angka per bulan (Statistik Bulanan, tren per bulan); tetap dihitung di Total dan Terbuka",
        "Monthly figures (Monthly statistics, monthly trend); still counted in Total and Open",
    ),
    "desa": Text("Angka per desa (perbandingan desa)", "Figures per village (village comparison)"),
    "tahap": Text(
        "Lama tahap dan tenggat tahap yang tanggalnya bermasalah",
        "Duration and deadline of the stages whose dates have problems",
    ),
    "nomor": Text(
        "Pencarian dan pembaruan pengaduan lewat aplikasi (menurut Nomor)",
        "Looking up and updating the complaint in the app (by number)",
    ),
}
_SET_ASIDE_REASONS: dict[str, Text] = {
    "TANGGAL_TIDAK_TERBACA": Text("tanggal diterima tidak terbaca", "unreadable date received"),
    "TANGGAL_DITERIMA_KOSONG": Text("tanggal diterima kosong", "date received empty"),
    "KOLOM_WAJIB_TIDAK_ADA": Text(
        "sheet tanpa kolom Tanggal Diterima", "sheet without a Tanggal Diterima column"
    ),
    "DESA_KOSONG": Text("desa kosong", "village empty"),
    "NOMOR_KOSONG": Text("nomor kosong", "number empty"),
    "NOMOR_GANDA": Text("nomor ganda", "duplicate number"),
}
# the reasons by ``alasan`` (a frame holds plain text: pandas keeps no ``Text`` in a column)
SET_ASIDE_REASONS: dict[str, Text] = {
    **_SET_ASIDE_REASONS,
    "TANGGAL_TAHAP": Text(
        "tanggal tahap tidak terbaca, di masa depan atau tidak urut",
        "stage date unreadable, in the future or out of order",
    ),
}


def set_aside_summary(findings: pd.DataFrame, complaints: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many complaints are set aside from which figures, and why.

    Rows ``angka`` (a key of ``SET_ASIDE_FIGURES``), ``alasan`` (finding code), ``keterangan``
    (Indonesian reason), ``jumlah`` (distinct complaints). Only a complaint without a readable
    receipt date leaves the period figures; one with a bad later date still counts there and
    only that stage's time is not measured. With ``complaints`` the rows of a sheet that has no
    Tanggal Diterima column at all are counted too.
    """
    rows: list[dict[str, object]] = []

    def count(mask: pd.Series) -> int:
        part = findings.loc[mask, ["sheet", "baris"]].dropna()
        return len(part.drop_duplicates())

    is_receipt = findings["kunci"] == "tanggal_diterima" if "kunci" in findings else findings["kode"] == ""
    for kode in ("TANGGAL_TIDAK_TERBACA", "TANGGAL_DITERIMA_KOSONG"):
        rows.append(
            {"angka": "periode", "alasan": kode, "jumlah": count((findings["kode"] == kode) & is_receipt)}
        )
    if complaints is not None and len(complaints):
        missing = findings.loc[(findings["kode"] == "KOLOM_WAJIB_TIDAK_ADA") & is_receipt, "sheet"]
        rows.append(
            {
                "angka": "periode",
                "alasan": "KOLOM_WAJIB_TIDAK_ADA",
                "jumlah": int(complaints["_sheet"].isin(set(missing)).sum()),
            }
        )
    rows.append(
        {"angka": "desa", "alasan": "DESA_KOSONG", "jumlah": count(findings["kode"] == "DESA_KOSONG")}
    )
    stage_dates = (
        findings["kode"].isin(["TANGGAL_TIDAK_TERBACA", "TANGGAL_MASA_DEPAN", "URUTAN_TANGGAL"]) & ~is_receipt
    )
    rows.append({"angka": "tahap", "alasan": "TANGGAL_TAHAP", "jumlah": count(stage_dates)})
    for kode in ("NOMOR_KOSONG", "NOMOR_GANDA"):
        rows.append({"angka": "nomor", "alasan": kode, "jumlah": count(findings["kode"] == kode)})
    out = pd.DataFrame(rows, columns=["angka", "alasan", "jumlah"])
    out = out[out["jumlah"] > 0].reset_index(drop=True)
    out["keterangan"] = out["alasan"].map({k: str(v) for k, v in SET_ASIDE_REASONS.items()})
    out["jumlah"] = out["jumlah"].astype("int64")
    return out[["angka", "alasan", "keterangan", "jumlah"]]


def is_set_aside_reason(findings: pd.DataFrame) -> pd.Series:
    """Findings that explain why a complaint left the period figures."""
    receipt = findings["kunci"] == "tanggal_diterima"
    return (
        findings["kode"].isin(["TANGGAL_TIDAK_TERBACA", "TANGGAL_DITERIMA_KOSONG", "KOLOM_WAJIB_TIDAK_ADA"])
        & receipt
    )
