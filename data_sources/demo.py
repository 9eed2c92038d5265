"""The embedded demo register: a made-up kecamatan with two years of realistic complaints.

Deterministic for a given end month (fixed seed), so every fresh clone sees the same
figures in the same month. Desas differ in speed on purpose, about one complaint in ten
breaks a time standard, about one in twenty is still open, and a handful of rows carry
the mistakes hand-kept sheets really have (see ``MESSY_ROWS``).
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.cell import WriteOnlyCell

from data_sources.demo_desas import DEMO_DESAS
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET, SURVEY_SHEET
from metrics.nomor import berita_acara_number
from metrics.profiles import load_profile, register_header

DEMO_SEED = 20261124
REGISTER_SHEET = "Register"


FIRST_NAMES = (
    "Siti",
    "Ahmad",
    "Dewi",
    "Budi",
    "Sri",
    "Agus",
    "Nur",
    "Eko",
    "Rina",
    "Dedi",
    "Yuli",
    "Asep",
    "Wati",
    "Hendra",
    "Lilis",
    "Ujang",
    "Euis",
    "Dadang",
    "Nining",
    "Iwan",
    "Tuti",
    "Cecep",
    "Ai",
    "Rohman",
    "Imas",
    "Yayan",
    "Neneng",
    "Slamet",
    "Sumarni",
    "Joko",
)
LAST_NAMES = (
    "Rahayu",
    "Hidayat",
    "Lestari",
    "Santoso",
    "Wahyuni",
    "Saputra",
    "Kurniawan",
    "Nurhayati",
    "Setiawan",
    "Permana",
    "Suryani",
    "Gunawan",
    "Rohmat",
    "Maryam",
    "Sopandi",
    "Sukmana",
)
DUSUN = ("Kaler", "Kidul", "Wetan", "Kulon", "Tengah", "Pasir", "Cikadu", "Babakan")

TOPICS: dict[str, tuple[str, ...]] = {
    "infra": (
        "Jalan desa di RT {rt} berlubang dan tergenang saat hujan",
        "Lampu penerangan jalan di dusun {dusun} mati sejak seminggu",
        "Saluran air (gorong-gorong) di dusun {dusun} tersumbat",
        "Jembatan kecil menuju sawah di RT {rt} rusak",
    ),
    "adminduk": (
        "Pengurusan surat pengantar KTP lambat, sudah tiga kali datang",
        "Surat keterangan domisili belum selesai padahal dijanjikan sehari",
        "Data KK salah tulis nama anak, minta dibantu perbaikan",
    ),
    "bansos": (
        "Nama keluarga kami tidak masuk daftar penerima BLT Dana Desa",
        "Penerima bantuan beras di RT {rt} dinilai tidak tepat sasaran",
        "Bantuan PKH belum cair bulan ini, mohon penjelasan",
    ),
    "pelayanan": (
        "Kantor desa tutup pada jam pelayanan hari Jumat",
        "Petugas pelayanan tidak ada di tempat saat jam kerja",
        "Antrean pelayanan surat terlalu lama",
    ),
    "lingkungan": (
        "Sampah menumpuk di pinggir jalan dusun {dusun}",
        "Bau dari kandang ternak warga RT {rt} mengganggu",
        "Pohon tumbang menghalangi jalan di dusun {dusun}",
    ),
    "keamanan": (
        "Sering ada balap liar malam hari di jalan RT {rt}",
        "Pos ronda dusun {dusun} tidak aktif lagi",
    ),
    "keuangan": (
        "Minta penjelasan penggunaan Dana Desa untuk pembangunan jalan tahun ini",
        "Papan informasi APBDes tidak dipasang",
    ),
    "aparat": (
        "Perangkat desa meminta biaya untuk surat pengantar",
        "Sikap petugas pelayanan kurang ramah",
    ),
}
# The profile category each topic belongs to (umum's keys; another profile falls back to its
# categories in order).
TOPIC_CATEGORY = {
    "infra": "infrastruktur",
    "adminduk": "administrasi_kependudukan",
    "bansos": "bantuan_sosial",
    "pelayanan": "pelayanan_umum",
    "lingkungan": "lingkungan",
    "keamanan": "keamanan_ketertiban",
    "keuangan": "keuangan_dana_desa",
    "aparat": "perilaku_aparat",
}
ANSWERS = (
    "Sudah ditinjau ke lokasi dan diperbaiki bersama warga.",
    "Pelapor telah diberi penjelasan dan dokumen sudah selesai.",
    "Diusulkan dalam musyawarah desa untuk anggaran tahun berikutnya.",
    "Petugas yang bersangkutan telah diberi pembinaan oleh Sekretaris Desa.",
    "Data sudah diperbaiki dan disampaikan kepada pelapor.",
    "Bukan kewenangan desa; diteruskan ke dinas terkait di kabupaten.",
)

# Deliberately messy rows written over ordinary ones: (what is wrong, column, value).
MESSY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("tanggal tidak ada", "Tanggal Diterima", "31/02/2025"),
    ("tanggal berupa kata", "Tanggal Jawaban", "kemarin sore"),
    ("saluran tidak dikenal", "Saluran", "Telegram"),
    ("kategori salah ketik", "Kategori", "Infrastuktur"),
    ("nomor HP terlalu pendek", "No. HP", "0812-12"),
    ("urgensi tidak dikenal", "Urgensi", "Sangat Amat"),
    ("desa salah ketik", "Desa", "Margamulia"),
    ("isian rahasia aneh", "Rahasia", "mungkin"),
    ("sel berisi rumus", "Isi Pengaduan", '=HYPERLINK("http://contoh.invalid","klik")'),
    ("tahap tidak dikenal", "Tahap", "Menunggu Pak Kades"),
    ("nomor kosong", "Nomor", ""),
    ("nomor ganda", "Nomor", "__DUPLICATE__"),
)


def _holidays(years: range) -> np.ndarray:
    import holidays

    days = holidays.country_holidays("ID", years=list(years), categories=("public", "government"))
    return np.array(sorted(days), dtype="datetime64[D]")


def demo_rows(
    now: dt.datetime, header: list[str], labels: Mapping[str, Any], seed: int = DEMO_SEED
) -> list[list[str]]:
    """Rows of the demo register (strings as a petugas types them), covering the 24 months up to
    ``now``'s month and stopping at ``now`` (nothing is received or done after it). ``labels``
    holds the profile's display labels for ``channels``, ``categories``, ``urgencies``, ``stages``
    (in order) and ``outcomes``; optionally (see :func:`profile_labels`) ``stage_columns`` (the
    date column of each stage after receipt, in SOP order), ``stage_minutes`` (a stage's standard
    in office minutes when it is shorter than a day, else None), ``nomor_format``, and the
    columns of the ``jawaban`` / ``selesai`` milestones. Without them: the umum template.
    ``now`` is naive local wall time."""
    rng = np.random.default_rng(seed)
    end_month = now.date()
    start = (end_month.replace(day=1) - dt.timedelta(days=700)).replace(day=1)
    last_day = _month_end(end_month)
    holidays = _holidays(range(start.year, last_day.year + 2))
    weekmask = "1111100"
    stages = labels["stages"]
    stage_columns = list(labels.get("stage_columns") or UMUM_STAGE_COLUMNS)
    stage_minutes = list(labels.get("stage_minutes") or [None] * len(stage_columns))
    nomor_format = str(labels.get("nomor_format") or UMUM_NOMOR_FORMAT)
    per_desa_numbers = "{kode_desa" in nomor_format or "{desa" in nomor_format
    answered_at = stage_columns.index(str(labels.get("jawaban_column") or "Tanggal Jawaban")) + 1
    settled_at = stage_columns.index(str(labels.get("selesai_column") or "Tanggal Selesai")) + 1
    profile = labels.get("profile") or load_profile("umum")  # its berita_acara_format
    meeting_column = str(labels.get("meeting_column") or "Tanggal Tindak Lanjut")
    meeting_at = stage_columns.index(meeting_column) + 1 if meeting_column in stage_columns else 0
    ba_numbers: dict[int, dict[str, str]] = {}  # by year: each desa's latest berita acara number
    order: dict[int, tuple[int, int, int, str]] = {}
    column = {h: i for i, h in enumerate(header)}
    rows: list[list[str]] = []
    counters: dict[tuple[str, int, int], int] = {}
    weights = np.array([d.weight for d in DEMO_DESAS]) / sum(d.weight for d in DEMO_DESAS)
    total_days = (last_day - start).days + 1
    per_day = 5.6
    category_keys = list(TOPICS)
    generated_at = now.replace(second=0, microsecond=0)
    for offset in range(total_days):
        day = start + dt.timedelta(days=offset)
        weekend = day.weekday() >= 5
        count = rng.poisson(per_day * (0.25 if weekend else 1.0) * (1.15 if day.month in (1, 2, 12) else 1.0))
        for _ in range(count):
            desa = DEMO_DESAS[rng.choice(len(DEMO_DESAS), p=weights)]
            row = [""] * len(header)
            channel = labels["channels"][rng.integers(len(labels["channels"]))]
            if weekend or rng.random() < 0.1:
                minute = int(rng.integers(6 * 60, 22 * 60))
            else:
                minute = int(rng.integers(7 * 60 + 30, 15 * 60 + 30))
            received = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
            if received > generated_at:
                continue  # not received yet: the register ends now, not at the month's end
            topic = category_keys[int(rng.integers(len(category_keys)))]
            profile_keys = labels.get("category_keys", [])
            if TOPIC_CATEGORY[topic] in profile_keys:  # the complaint text matches its category
                cat_index = profile_keys.index(TOPIC_CATEGORY[topic])
            else:
                cat_index = category_keys.index(topic) % len(labels["categories"])
            template = TOPICS[topic][int(rng.integers(len(TOPICS[topic])))]
            key = (desa.code if per_desa_numbers else "", day.year, day.month)
            counters[key] = counters.get(key, 0) + 1
            nomor = nomor_format.format(
                kode_desa=desa.code, desa=desa.code, tahun=day.year, bulan=day.month, urut=counters[key]
            )
            anonymous = rng.random() < 0.06
            row[column["Nomor"]] = nomor
            row[column["Desa"]] = desa.name
            row[column["Tanggal Diterima"]] = _typed_date(received, rng)
            row[column["Saluran"]] = channel
            row[column["Nama Pelapor"]] = (
                "" if anonymous else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            )
            row[column["Alamat"]] = (
                ""
                if anonymous
                else f"RT {int(rng.integers(1, 9)):02d}/RW {int(rng.integers(1, 6)):02d}, Dusun {rng.choice(DUSUN)}"
            )
            row[column["No. HP"]] = _phone(rng)
            row[column["Rahasia"]] = "Ya" if anonymous else "Tidak"
            row[column["Isi Pengaduan"]] = template.format(
                rt=f"{int(rng.integers(1, 9)):02d}", dusun=rng.choice(DUSUN)
            )
            row[column["Kategori"]] = labels["categories"][cat_index]
            row[column["Urgensi"]] = labels["urgencies"][
                int(rng.choice(len(labels["urgencies"]), p=_urgency_p(len(labels["urgencies"]))))
            ]
            stuck = rng.random() < desa.late_rate
            times = _stage_times(received, desa.speed, stuck, rng, holidays, weekmask, stage_minutes)
            reached = 0
            for index, when in enumerate(times, start=1):
                if when is None or when.date() > last_day or when > generated_at:
                    break
                row[column[stage_columns[index - 1]]] = _typed_date(when, rng)
                reached = index
            row[column["Tahap"]] = stages[reached]
            if reached >= 2:
                row[column["Disposisi Kepada"]] = labels["officials"][
                    int(rng.integers(len(labels["officials"])))
                ]
            if reached >= min(answered_at, settled_at):
                outcome_index = int(
                    rng.choice(len(labels["outcomes"]), p=_outcome_p(len(labels["outcomes"])))
                )
                row[column["Hasil Tindak Lanjut"]] = ANSWERS[int(rng.integers(len(ANSWERS)))]
                if reached >= settled_at:
                    row[column["Jenis Penyelesaian"]] = labels["outcomes"][outcome_index]
                if rng.random() < 0.3:
                    row[column["No. Berita Acara"]] = _ba_number(
                        ba_numbers, profile, times[:reached], meeting_at, desa.name, nomor
                    )
            _demo_pause(row, column, received, times, reached, len(stages), counters[key], generated_at)
            order[id(row)] = (day.year, day.month, counters[key], nomor)
            rows.append(row)
    rows.sort(key=lambda r: order[id(r)])  # by period and sequence (umum: as the Nomor reads)
    _make_messy(rows, column, rng, stage_columns[answered_at - 1])
    return rows


def _ba_number(
    given: dict[int, dict[str, str]],
    profile: Any,
    reached_times: list[dt.datetime | None],
    meeting_at: int,
    desa: str,
    nomor: str,
) -> str:
    """The berita acara number of a complaint whose meeting was held (the meeting stage's time,
    else the latest stage reached): numbered as the Dokumen feature numbers it
    (``berita_acara_number``), after the numbers ``given`` so far in that year (each desa's latest
    stands for all its earlier ones: numbers grow, and a sequence is per year and per desa code
    or shared by all desas)."""
    reached = len(reached_times)
    when = reached_times[(meeting_at if 1 <= meeting_at <= reached else reached) - 1]
    assert when is not None  # every stage reached has its time
    latest = given.setdefault(when.year, {})
    number = berita_acara_number(latest.values(), profile, when, desa, [nomor])
    latest[desa] = number
    return number


def _demo_pause(
    row: list[str],
    column: dict[str, int],
    received: dt.datetime,
    times: list[dt.datetime | None],
    reached: int,
    n_stages: int,
    sequence: int,
    now: dt.datetime,
) -> None:
    """A few complaints wait for a complete file (Menunggu kelengkapan), chosen by rule (no random
    draw, so every other demo cell stays as it was): open complaints received within the last
    four weeks whose monthly sequence leaves 1 after division by 4 started waiting two hours after
    their last recorded stage (in office hours) and still wait; settled August complaints number 5 of Cibodas,
    Karangsari and Sukamaju whose verification came more than a day after receipt waited between."""
    start_header, end_header = "Mulai Menunggu Kelengkapan", "Berkas Lengkap Pada"
    if start_header not in column or end_header not in column or not times or times[0] is None:
        return
    verified = times[0]
    if 1 <= reached < n_stages - 1 and sequence % 4 == 1 and now - received < dt.timedelta(days=28):
        last = times[reached - 1]
        begin = None if last is None else last + dt.timedelta(hours=2)
        if begin is not None and not dt.time(7, 30) <= begin.time() <= dt.time(15, 30):
            # noticed at the office: the next morning (or this morning, before opening)
            begin = (begin + dt.timedelta(days=1 if begin.hour >= 12 else 0)).replace(hour=8, minute=0)
        if begin is not None and begin <= now:
            row[column[start_header]] = begin.strftime("%d/%m/%Y %H:%M")
    elif (
        reached == n_stages - 1
        and sequence == 5
        and received.month == 8
        and row[column["Desa"]] in ("Cibodas", "Karangsari", "Sukamaju")
        and verified - received > dt.timedelta(days=1)
    ):
        row[column[start_header]] = (received + dt.timedelta(minutes=45)).strftime("%d/%m/%Y %H:%M")
        row[column[end_header]] = (verified - dt.timedelta(minutes=30)).strftime("%d/%m/%Y %H:%M")


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


UMUM_STAGE_COLUMNS = (
    "Tanggal Verifikasi",
    "Tanggal Disposisi",
    "Tanggal Tindak Lanjut",
    "Tanggal Jawaban",
    "Tanggal Selesai",
)
UMUM_NOMOR_FORMAT = "{kode_desa}/{tahun}/{bulan:02d}/{urut:04d}"
_MINUTES = {"menit": 1, "jam": 60}


def profile_labels(profile: Any) -> dict[str, Any]:
    """What :func:`demo_rows` needs of an SOP profile (``metrics.profiles.Profile``): its
    vocabularies, stages (labels, date columns, sub-day standards), officials and Nomor format."""
    receipt = profile.stages[0]
    after = [s for s in profile.stages if s.column_key != receipt.column_key]
    milestone = {s.milestone: s.column for s in profile.stages if s.milestone}
    return {
        "channels": [t.label for t in profile.channels],
        "categories": [t.label for t in profile.categories],
        "category_keys": [t.key for t in profile.categories],
        "urgencies": [t.label for t in profile.urgencies],
        "stages": [s.label for s in profile.stages],
        "outcomes": [t.label for t in profile.outcomes],
        "officials": list(profile.officials),
        "stage_columns": [s.column for s in after],
        "stage_minutes": [
            s.standard.amount * _MINUTES[s.standard.unit]
            if s.standard is not None and s.standard.unit in _MINUTES
            else None
            for s in after
        ],
        "nomor_format": profile.nomor_format,
        "profile": profile,
        "meeting_column": profile.stage(profile.meeting_stage).column if profile.meeting_stage else "",
        "jawaban_column": milestone.get("jawaban", "Tanggal Jawaban"),
        "selesai_column": milestone.get("selesai", "Tanggal Selesai"),
    }


def _urgency_p(n: int) -> np.ndarray:
    base = np.array([0.45, 0.4, 0.15][:n] + [0.05] * max(0, n - 3))
    return base / base.sum()


def _outcome_p(n: int) -> np.ndarray:
    base = np.array([0.55, 0.2, 0.1, 0.1, 0.05][:n] + [0.05] * max(0, n - 5))
    return base / base.sum()


def _phone(rng: np.random.Generator) -> str:
    digits = f"08{int(rng.choice([11, 12, 13, 21, 22, 23, 52, 53, 56, 57, 77, 78, 95, 96]))}{int(rng.integers(10**7, 10**8))}"
    style = rng.random()
    if style < 0.6:
        return digits
    if style < 0.8:
        return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"
    return "+62 " + digits[1:4] + "-" + digits[4:8] + "-" + digits[8:]


def _typed_date(when: dt.datetime, rng: np.random.Generator) -> str:
    """Dates the way different petugas type them."""
    style = rng.random()
    if style < 0.7:
        return when.strftime("%d/%m/%Y %H:%M")
    if style < 0.85:
        return when.strftime("%d-%m-%Y %H.%M")
    from metrics.cells import MONTH_NAMES_ID

    return f"{when.day} {MONTH_NAMES_ID[when.month - 1]} {when.year} {when:%H.%M}"


def _office_time(day: np.datetime64, rng: np.random.Generator) -> dt.datetime:
    date = day.astype(dt.date)
    close = 11 * 60 if date.weekday() == 4 else 15 * 60 + 30
    minute = int(rng.integers(7 * 60 + 40, close))
    return dt.datetime.combine(date, dt.time(minute // 60, minute % 60))


def _stage_times(
    received, speed, stuck, rng, holidays, weekmask, minutes: list[int | None]
) -> list[dt.datetime | None]:
    """Done times of the stages after receipt (umum: verifikasi, disposisi, tindak lanjut, jawaban,
    selesai). A stage with a standard shorter than a day (``minutes``) is done within it; an SOP
    with more stages than umum gets short working-day steps for the rest."""
    day = np.datetime64(received.date(), "D")
    delays = [
        rng.gamma(1.5, 0.6 * speed),  # verification, working days (standard 3)
        rng.gamma(1.0, 0.5 * speed),  # disposition
        rng.gamma(2.0, 1.1 * speed),  # follow-up (standard 5 working days)
        rng.gamma(1.2, 1.0 * speed),  # answer
        rng.gamma(1.5, 2.0),  # archive / settle
    ]
    if stuck:
        slow = int(rng.integers(1, 4))
        delays[slow] += rng.uniform(4, 14) * speed
    if len(minutes) > len(delays):
        delays += [rng.gamma(1.0, 0.3 * speed) for _ in range(len(minutes) - len(delays))]
    times: list[dt.datetime | None] = []
    previous = received
    for delay, limit in zip(delays[: len(minutes)], minutes, strict=True):
        if limit is not None:  # within an office-hours standard of minutes or hours
            when = previous + dt.timedelta(minutes=max(1, int(limit * rng.uniform(0.1, 0.6))))
            times.append(when)
            previous = when
            day = np.datetime64(when.date(), "D")
            continue
        whole = int(np.floor(delay))
        moved = np.busday_offset(day, whole, roll="forward", weekmask=weekmask, holidays=holidays)
        when = _office_time(moved, rng)
        if when <= previous:
            when = previous + dt.timedelta(minutes=int(rng.integers(20, 240)))
        times.append(when)
        previous = when
        day = np.datetime64(when.date(), "D")
    if rng.random() < 0.032:  # a few complaints simply stall half-way (open and overdue)
        cut = int(rng.integers(1, len(times)))
        times[cut:] = [None] * (len(times) - cut)
    return times


def _make_messy(
    rows: list[list[str]], column: dict[str, int], rng: np.random.Generator, answer_column: str
) -> None:
    """Overwrite a handful of old settled rows with typical hand-typing mistakes (the answer-date
    mistake goes into the profile's answer column)."""
    candidates = rng.choice(np.arange(50, len(rows) // 2), size=len(MESSY_ROWS), replace=False)
    for (_, header, value), index in zip(MESSY_ROWS, sorted(candidates), strict=True):
        if value == "__DUPLICATE__":
            value = _earlier_nomor_of_same_desa(rows, int(index), column)
        if header == "Tanggal Jawaban":
            header = answer_column
        rows[int(index)][column[header]] = value


def _earlier_nomor_of_same_desa(rows: list[list[str]], index: int, column: dict[str, int]) -> str:
    """The Nomor of the nearest earlier row of the same desa: the planted duplicate must stay
    inside one desa (a Nomor's prefix names its desa; a copy from another desa would put one
    desa's complaint number into another's rows, which no petugas does)."""
    desa = rows[index][column["Desa"]]
    for earlier in range(index - 1, -1, -1):
        if rows[earlier][column["Desa"]] == desa and rows[earlier][column["Nomor"]]:
            return rows[earlier][column["Nomor"]]
    return rows[index][column["Nomor"]]


def _text_cell(sheet, value: str):
    """A cell holding ``value`` as text: write-only openpyxl would store '=…' as a formula."""
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_demo_register(path: Path, now: dt.datetime | dt.date | None = None, profile: Any = None) -> Path:
    """Generate the demo register workbook (sheet ``Register`` + empty ``Riwayat``) at ``path``,
    as it would stand at ``now`` (naive local wall time; default: the profile's wall clock), in
    the shape of ``profile`` (a ``metrics.profiles.Profile``; default umum): its template header,
    stages, vocabularies, officials and Nomor format. A date means the end of that day."""
    if profile is None:
        profile = load_profile("umum")
    header = register_header(profile)
    labels = profile_labels(profile)
    if now is None:  # the profile's wall clock, as the app's "now" (sheet times are local time)
        now = dt.datetime.now(zoneinfo.ZoneInfo(profile.timezone)).replace(tzinfo=None)
    elif not isinstance(now, dt.datetime):
        now = dt.datetime.combine(now, dt.time(23, 59))
    rows = demo_rows(now, header, labels)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(REGISTER_SHEET)
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    audit = workbook.create_sheet(AUDIT_SHEET)
    audit.append(list(AUDIT_HEADER))
    survey = workbook.create_sheet(SURVEY_SHEET)
    survey.append(list(SURVEY_HEADER))
    settled_column = str(labels.get("selesai_column") or "Tanggal Selesai")
    for answer in demo_survey_rows(rows, header, now, settled_column):
        survey.append([_text_cell(survey, value) for value in answer])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(path)
    return path


# ---------------------------------------------------------------------------- survey answers
# The Survei sheet's columns (data_sources.survey_store.HEADER, metrics.ikm.SURVEY_HEADER).
SURVEY_HEADER = ("Nomor", "Desa", "Nilai", "Komentar", "Waktu", "ID Kiriman")
SURVEY_SEED = DEMO_SEED + 16  # its own stream: the register rows stay as they were
SURVEY_SHARE = 0.45  # settled complaints whose resident rated the handling
SURVEY_COMMENTS = (
    "",
    "",
    "",
    "Terima kasih, cepat ditanggapi.",
    "Petugas ramah dan jelas.",
    "Agak lama menunggu jawabannya.",
    "Mohon kabar perkembangannya lebih sering.",
)


def _typed_moment(text: str) -> dt.datetime | None:
    """The moment a demo date cell was typed as (the three styles of ``_typed_date``)."""
    from metrics.cells import MONTH_NAMES_ID

    for style in ("%d/%m/%Y %H:%M", "%d-%m-%Y %H.%M"):
        try:
            return dt.datetime.strptime(text.strip(), style)
        except ValueError:
            pass
    parts = text.split()
    if len(parts) == 4 and parts[1] in MONTH_NAMES_ID:
        try:
            hour, minute = (int(p) for p in parts[3].split("."))
            return dt.datetime(int(parts[2]), MONTH_NAMES_ID.index(parts[1]) + 1, int(parts[0]), hour, minute)
        except ValueError:
            return None
    return None


def demo_survey_rows(
    rows: list[list[str]], header: list[str], now: dt.datetime, settled_column: str = "Tanggal Selesai"
) -> list[list[str]]:
    """Survey answers for about ``SURVEY_SHARE`` of the settled complaints with a phone number and a
    Nomor of their own,
    rated 2 hours to 10 days after settlement and never after ``now``; faster desas are rated
    better (``settled_column``: the profile's settlement date column). Deterministic for the same
    rows and ``now``."""
    rng = np.random.default_rng(SURVEY_SEED)
    column = {h: i for i, h in enumerate(header)}
    speed = {d.name: d.speed for d in DEMO_DESAS}
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[column["Nomor"]]] = counts.get(row[column["Nomor"]], 0) + 1
    out: list[list[str]] = []
    for row in rows:
        settled = _typed_moment(row[column[settled_column]])
        draw, delay = rng.random(), float(rng.uniform(2, 240))
        slow = speed.get(row[column["Desa"]], 1.0)
        probabilities = (
            np.array([0.04, 0.12, 0.44, 0.40]) if slow <= 0.95 else np.array([0.10, 0.25, 0.45, 0.20])
        )
        score = int(rng.choice(4, p=probabilities)) + 1
        comment = SURVEY_COMMENTS[int(rng.integers(len(SURVEY_COMMENTS)))]
        unique = counts[row[column["Nomor"]]] == 1  # the planted duplicate Nomor is not rated
        if settled is None or not unique or not row[column["No. HP"]] or draw >= SURVEY_SHARE:
            continue
        when = settled + dt.timedelta(hours=delay)
        if when > now:
            continue
        nomor = row[column["Nomor"]]
        out.append(
            [nomor, row[column["Desa"]], str(score), comment, f"{when:%Y-%m-%d %H:%M}", f"demo-{nomor}"]
        )
    return out
