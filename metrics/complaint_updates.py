"""Recording and advancing complaints: numbers, validation, cell changes, audit rows, messages.

Pure functions (no streamlit, no I/O). The pages in ``dashboard/complaint_forms.py`` collect what
the petugas typed, call these, and hand the resulting cell texts to the register source.

Rules chosen here (documented for petugas in the forms):

- **Nomor**: the profile's ``nomor_format`` (fields ``tahun``, ``bulan``, ``urut`` and optionally
  ``desa``/``kode_desa``). ``urut`` is 1 + the highest sequence already used in the same period
  (year/month present in the format, same desa code) among existing numbers of the same pattern;
  numbers of another pattern and junk cells are ignored. The period is the moment of recording
  (the register book's order), not the receipt date.
- **New complaint** (Cipari SOP, B. Unsur pengaduan): nama, alamat, no. HP (a valid Indonesian
  number) and a clear object (``isi``, at least ``MIN_ISI_CHARS`` characters and 3 words) are
  required — except that a ``Rahasia``/anonymous complaint may leave nama, alamat and no. HP
  empty (a number given must still be valid). The channel is required; category and urgency may
  wait for the verification step, but when given they must be the profile's terms. The receipt
  time may not lie in the future.
- **Stages**: a complaint moves forward only. The SOP's next step is offered first; skipping to
  any later step is allowed (petugas often record a step late or two at once), and the skipped
  steps — whose dates stay empty — are returned by ``skipped_stages`` so the form can warn.
  Staying at the current step updates the other fields (answer text, berita acara) only.
- **Dates**: a stage date is never in the future and never before the latest date already
  recorded for an earlier step (including the receipt).
- **Answer**: moving to (or past) the ``jawaban`` milestone needs the answer text (hasil tindak
  lanjut); moving to (or past) ``selesai`` also needs the outcome kind. A disposition official
  must come from ``profile.officials``; the outcome from ``profile.outcomes``; the berita acara
  number is free text.
- Text typed by people is stored as plain text exactly as typed, minus control characters
  (which spreadsheets refuse); formulas such as ``=HYPERLINK(...)`` are never evaluated because
  the sources write them as text.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.cells import normalise_phones
from metrics.columns import AUDIT_HEADER, canonical_column, column_key
from metrics.errors import PantauError
from metrics.profiles import Profile, Stage, Term
from metrics.register import (
    SheetGrid,
    locate_header,
    normalise_register,
    running_number_column,
    stage_column_aliases,
)

SHEET_DATETIME = "%d/%m/%Y %H:%M"
MIN_ISI_CHARS = 15
MAX_LENGTHS = {
    "nama_pelapor": 200,
    "alamat": 500,
    "no_hp": 40,
    "isi_pengaduan": 30_000,  # a spreadsheet cell holds 32,767 (Excel) / 50,000 (Sheets)
    "hasil_tindak_lanjut": 30_000,
    "no_berita_acara": 200,
    "disposisi_kepada": 200,
}
FIELD_LABELS = {
    "desa": "Desa",
    "nama_pelapor": "Nama pelapor",
    "alamat": "Alamat",
    "no_hp": "No. HP",
    "isi_pengaduan": "Isi pengaduan",
    "saluran": "Saluran",
    "kategori": "Kategori",
    "urgensi": "Urgensi",
    "tanggal_diterima": "Tanggal diterima",
    "tahap": "Tahap",
    "tanggal": "Tanggal tahap",
    "disposisi_kepada": "Disposisi kepada",
    "jenis_penyelesaian": "Jenis penyelesaian",
    "hasil_tindak_lanjut": "Hasil tindak lanjut",
    "no_berita_acara": "No. berita acara",
}
# Earliest receipt date accepted (guards against a mistyped year).
EARLIEST = dt.datetime(2000, 1, 1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOOKKEEPING = ("diperbarui_oleh", "diperbarui_pada")


# --------------------------------------------------------------------------------------------
# Small helpers


def clean_input(value: object) -> str:
    """Text as typed, without control characters (spreadsheets refuse them) and outer blanks."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def sheet_datetime(value: dt.datetime | pd.Timestamp) -> str:
    """``dd/mm/yyyy HH:MM``: the way petugas type a date and time in the register."""
    return pd.Timestamp(value).strftime(SHEET_DATETIME)


def normalise_phone(value: object) -> str | None:
    """A valid Indonesian number as ``08…``/``0xx…`` digits; None when empty or invalid."""
    text = clean_input(value)
    if not text:
        return None
    normalised, invalid = normalise_phones(pd.Series([text], dtype="string"))
    return None if bool(invalid.iloc[0]) else str(normalised.iloc[0])


def find_term(terms: Iterable[Term], value: object) -> Term | None:
    """The profile term spelled ``value`` (key, label or alias; case/punctuation-insensitive)."""
    wanted = column_key(clean_input(value))
    if not wanted:
        return None
    for term in terms:
        if wanted in {column_key(s) for s in (term.key, term.label, *term.aliases)}:
            return term
    return None


def find_stage(profile: Profile, value: object) -> Stage | None:
    """The stage spelled ``value`` (key, label or alias)."""
    wanted = column_key(clean_input(value))
    if not wanted:
        return None
    for stage in profile.stages:
        if wanted in {column_key(s) for s in (stage.key, stage.label, *stage.aliases)}:
            return stage
    return None


def _value(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key) if hasattr(row, "get") else None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value


def _timestamp(value: Any) -> pd.Timestamp | None:
    value = _value({"v": value}, "v")
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    if stamp is pd.NaT:
        return None
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


# --------------------------------------------------------------------------------------------
# Nomor


def _format_fields(fmt: str) -> list[tuple[str, str | None, str]]:
    """``(literal, field, spec)`` parts of a format string; raises PantauError when unreadable."""
    try:
        return [(lit, name, spec or "") for lit, name, spec, _conv in string.Formatter().parse(fmt)]
    except ValueError as error:
        raise PantauError(f"Format nomor '{fmt}' tidak dapat dibaca: {error}") from error


def _field_values(profile: Profile, when: dt.datetime, desa_code: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {"tahun": when.year, "bulan": when.month}
    code = clean_input(desa_code).upper()
    if code:
        values["desa"] = values["kode_desa"] = code
    return values


def nomor_pattern(profile: Profile, when: dt.datetime, desa_code: str | None = None) -> re.Pattern[str]:
    """A regex matching the numbers of ``when``'s period, the sequence as group ``urut``.

    Numbers typed by hand are matched leniently: case, outer blanks and leading zeros ignored.
    """
    fields = _field_values(profile, when, desa_code)
    parts: list[str] = []
    has_urut = False
    for literal, name, _spec in _format_fields(profile.nomor_format):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name == "urut":
            if has_urut:
                parts.append(r"0*(?P=urut)")
            else:
                parts.append(r"(?P<urut>\d{1,12})")
            has_urut = True
        elif name in ("tahun", "bulan"):
            parts.append(rf"0*{int(fields[name])}")
        elif name in ("desa", "kode_desa"):
            if name not in fields:
                raise PantauError(
                    f"Format nomor '{profile.nomor_format}' memerlukan kode desa, tetapi kode desa tidak diketahui."
                )
            parts.append(re.escape(fields[name]))
        else:
            raise PantauError(
                f"Format nomor '{profile.nomor_format}' memakai kolom '{{{name}}}' yang tidak dikenal: "
                "gunakan {tahun}, {bulan}, {urut}, {desa} atau {kode_desa}."
            )
    if not has_urut:
        raise PantauError(
            f"Format nomor '{profile.nomor_format}' tidak memuat {{urut}}, sehingga nomor baru tidak bisa dibuat unik."
        )
    return re.compile(r"\s*" + "".join(parts) + r"\s*", re.IGNORECASE)


def next_nomor(
    existing_keys: Iterable[object], profile: Profile, when: dt.datetime, desa_code: str | None = None
) -> str:
    """The next free Nomor of ``when``'s period (see module doc); ``existing_keys`` may hold junk."""
    pattern = nomor_pattern(profile, when, desa_code)
    used = 0
    taken: set[str] = set()
    for key in existing_keys:
        text = clean_input(key) if isinstance(key, str) else ""
        if not text:
            continue
        taken.add(text.upper())
        match = pattern.fullmatch(text)
        if match:
            used = max(used, int(match.group("urut")))
    values = _field_values(profile, when, desa_code)
    sequence = used + 1
    while True:  # only loops if a number of this period was typed in an unexpected spelling
        nomor = profile.nomor_format.format(urut=sequence, **values)
        if nomor.upper() not in taken:
            return nomor
        sequence += 1


def desa_code(desa: str, nomors_of_desa: Iterable[object] = ()) -> str:
    """The short code of a desa for ``{kode_desa}``: the letter prefix its numbers already use
    (``SKM/2024/03/0001`` -> ``SKM``), else the first letter and the next consonants of its name
    (``Sukamaju`` -> ``SKM``)."""
    prefixes = Counter(
        m.group(1).upper()
        for n in nomors_of_desa
        if isinstance(n, str) and (m := re.match(r"\s*([A-Za-z]{2,6})[/\-.]", n))
    )
    if prefixes:
        return prefixes.most_common(1)[0][0]
    letters = re.sub(r"[^A-Za-z]", "", desa).upper()
    if not letters:
        return "DS"
    consonants = [c for c in letters[1:] if c not in "AEIOU"]
    return (letters[0] + "".join(consonants))[:3].ljust(3, "X")


# --------------------------------------------------------------------------------------------
# New complaint


def new_complaint_problems(
    fields: Mapping[str, Any], profile: Profile, now: dt.datetime
) -> dict[str, list[str]]:
    """Every problem of a new complaint, by field key (see ``FIELD_LABELS``)."""
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    rahasia = bool(fields.get("rahasia"))
    required = set(profile.required_elements) | {"isi_pengaduan"}
    if rahasia:
        required -= {"nama_pelapor", "alamat", "no_hp"}
    if not clean_input(fields.get("desa")):
        add("desa", "Desa wajib dipilih.")
    for key in ("nama_pelapor", "alamat", "no_hp", "isi_pengaduan"):
        text = clean_input(fields.get(key))
        label = FIELD_LABELS[key]
        if not text:
            if key in required:
                hint = " (boleh kosong bila pengaduan dirahasiakan/anonim)" if key != "isi_pengaduan" else ""
                add(key, f"{label} wajib diisi{hint}.")
            continue
        if len(text) > MAX_LENGTHS[key]:
            add(
                key,
                f"{label} terlalu panjang ({len(text):,} karakter; paling banyak {MAX_LENGTHS[key]:,}).".replace(
                    ",", "."
                ),
            )
    phone = clean_input(fields.get("no_hp"))
    if phone and normalise_phone(phone) is None:
        add(
            "no_hp",
            f"No. HP '{phone[:40]}' tidak valid: tulis nomor Indonesia seperti 081234567890 atau +62 812-3456-7890.",
        )
    isi = clean_input(fields.get("isi_pengaduan"))
    if isi and (len(isi) < MIN_ISI_CHARS or len(isi.split()) < 3):
        add(
            "isi_pengaduan",
            f"Isi pengaduan belum jelas: tuliskan objek pengaduan (apa, di mana, sejak kapan), minimal {MIN_ISI_CHARS} huruf dan 3 kata.",
        )
    for key, terms, required_term in (
        ("saluran", profile.channels, True),
        ("kategori", profile.categories, False),
        ("urgensi", profile.urgencies, False),
    ):
        value = clean_input(fields.get(key))
        label = FIELD_LABELS[key]
        if not value:
            if required_term:
                add(key, f"{label} wajib dipilih.")
        elif find_term(terms, value) is None:
            add(
                key,
                f"{label} '{value[:60]}' tidak ada di profil SOP. Pilihan: {', '.join(t.label for t in terms)}.",
            )
    received = _timestamp(fields.get("tanggal_diterima"))
    if received is None:
        add("tanggal_diterima", "Tanggal diterima wajib diisi.")
    elif received > pd.Timestamp(now):
        if received.date() == pd.Timestamp(now).date():
            add(
                "tanggal_diterima",
                f"Waktu diterima {received:%H.%M} tidak boleh di masa depan (sekarang {pd.Timestamp(now):%H.%M}).",
            )
        else:
            add("tanggal_diterima", "Tanggal diterima tidak boleh di masa depan.")
    elif received < pd.Timestamp(EARLIEST):
        add("tanggal_diterima", f"Tanggal diterima {received:%d/%m/%Y} terlalu lama; periksa tahunnya.")
    return problems


def validate_new_complaint(fields: Mapping[str, Any], profile: Profile, now: dt.datetime) -> list[str]:
    """Problems of a new complaint as messages naming the field; empty when it can be saved.

    ``fields``: canonical keys ``desa, nama_pelapor, alamat, no_hp, isi_pengaduan, saluran,
    kategori, urgensi, rahasia, tanggal_diterima`` (terms as key or label)."""
    return [
        message for messages in new_complaint_problems(fields, profile, now).values() for message in messages
    ]


def new_complaint_cells(
    fields: Mapping[str, Any], profile: Profile, actor: str, now: dt.datetime
) -> dict[str, str]:
    """Canonical key -> cell text of a valid new complaint (without its Nomor)."""

    def label(terms: Sequence[Term], key: str) -> str:
        term = find_term(terms, fields.get(key))
        return term.label if term else ""

    phone = clean_input(fields.get("no_hp"))
    return {
        "desa": clean_input(fields.get("desa")),
        "tanggal_diterima": sheet_datetime(fields["tanggal_diterima"]),
        "saluran": label(profile.channels, "saluran"),
        "nama_pelapor": clean_input(fields.get("nama_pelapor")),
        "alamat": clean_input(fields.get("alamat")),
        "no_hp": normalise_phone(phone) or phone,
        "rahasia": "Ya" if fields.get("rahasia") else "Tidak",
        "isi_pengaduan": clean_input(fields.get("isi_pengaduan")),
        "kategori": label(profile.categories, "kategori"),
        "urgensi": label(profile.urgencies, "urgensi"),
        "tahap": profile.stages[0].label,
        "diperbarui_oleh": clean_input(actor),
        "diperbarui_pada": sheet_datetime(now),
    }


# --------------------------------------------------------------------------------------------
# Stages


def current_stage(complaint: Mapping[str, Any], profile: Profile) -> Stage:
    """The furthest step a complaint has reached: by its Tahap cell or its latest stage date."""
    index = 0
    stage = find_stage(profile, _value(complaint, "tahap"))
    if stage is not None:
        index = profile.stage_index(stage.key)
    for position, candidate in enumerate(profile.stages):
        if _timestamp(_value(complaint, candidate.column_key)) is not None:
            index = max(index, position)
    return profile.stages[index]


def allowed_next_stages(current_stage_key: str | None, profile: Profile) -> list[Stage]:
    """The stages a complaint at ``current_stage_key`` may move to, the SOP's next step first.

    Any later step is allowed (see module doc); earlier steps never. Unknown or empty current
    stage = the first (receipt) stage."""
    keys = profile.stage_keys
    position = keys.index(current_stage_key) if current_stage_key in keys else 0
    return list(profile.stages[position + 1 :])


def skipped_stages(complaint: Mapping[str, Any], target_key: str, profile: Profile) -> list[Stage]:
    """Steps before ``target_key`` whose dates are empty (skipped): the form warns about them."""
    target = profile.stage_index(target_key)
    return [
        stage for stage in profile.stages[1:target] if _timestamp(_value(complaint, stage.column_key)) is None
    ]


def latest_earlier_date(
    complaint: Mapping[str, Any], target_key: str, profile: Profile
) -> pd.Timestamp | None:
    """The latest date recorded for a step before ``target_key`` (the receipt included)."""
    target = profile.stage_index(target_key)
    dates = [_timestamp(_value(complaint, s.column_key)) for s in profile.stages[:target]]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


@dataclass(frozen=True)
class StageUpdate:
    """What a petugas enters to advance a complaint (``stage`` = stage key; same as the current
    stage to update the other fields only). Empty texts mean 'leave as it is'."""

    stage: str
    when: dt.datetime | None = None
    disposisi_kepada: str = ""
    jenis_penyelesaian: str = ""  # outcome key or label
    hasil_tindak_lanjut: str = ""
    no_berita_acara: str = ""


def update_problems(
    complaint: Mapping[str, Any], update: StageUpdate, profile: Profile, now: dt.datetime
) -> dict[str, list[str]]:
    """Every problem of an update, by field key."""
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    current = current_stage(complaint, profile)
    staying = update.stage == current.key
    target = profile.stage(current.key) if staying else None
    if not staying:
        allowed = {s.key: s for s in allowed_next_stages(current.key, profile)}
        target = allowed.get(update.stage)
        if target is None:
            known = find_stage(profile, update.stage)
            name = known.label if known else update.stage
            add(
                "tahap",
                f"Tahap '{name}' tidak boleh dipilih: pengaduan sudah di tahap '{current.label}' "
                "dan hanya dapat maju ke tahap berikutnya menurut SOP.",
            )
            return problems
        when = _timestamp(update.when)
        if when is None:
            add("tanggal", f"Tanggal tahap '{target.label}' wajib diisi.")
        else:
            previous = latest_earlier_date(complaint, target.key, profile)
            if when > pd.Timestamp(now):
                add("tanggal", f"Tanggal tahap '{target.label}' tidak boleh di masa depan.")
            elif previous is not None and when < previous:
                add(
                    "tanggal",
                    f"Tanggal tahap '{target.label}' ({when:%d/%m/%Y %H:%M}) tidak boleh sebelum tanggal "
                    f"tahap sebelumnya ({previous:%d/%m/%Y %H:%M}).",
                )
    assert target is not None
    index = profile.stage_index(target.key)

    official = clean_input(update.disposisi_kepada)
    current_official = clean_input(_value(complaint, "disposisi_kepada"))
    if official and official != current_official and profile.officials and official not in profile.officials:
        add(
            "disposisi_kepada",
            f"Disposisi kepada '{official[:60]}' bukan pejabat di profil SOP. Pilihan: {', '.join(profile.officials)}.",
        )
    disposition = profile.milestone_stage("disposisi")
    if (
        not staying
        and disposition is not None
        and target.key == disposition.key
        and not (official or current_official)
        and profile.officials
    ):
        add("disposisi_kepada", "Disposisi kepada wajib dipilih untuk tahap disposisi.")

    outcome_text = clean_input(update.jenis_penyelesaian)
    if outcome_text and find_term(profile.outcomes, outcome_text) is None:
        add(
            "jenis_penyelesaian",
            f"Jenis penyelesaian '{outcome_text[:60]}' tidak ada di profil SOP. Pilihan: {', '.join(t.label for t in profile.outcomes)}.",
        )
    settle = profile.milestone_stage("selesai")
    if (
        settle is not None
        and index >= profile.stage_index(settle.key)
        and not staying
        and not (outcome_text or clean_input(_value(complaint, "jenis_penyelesaian")))
    ):
        add("jenis_penyelesaian", "Jenis penyelesaian wajib dipilih sebelum pengaduan dinyatakan selesai.")

    answer = clean_input(update.hasil_tindak_lanjut)
    answer_stage = profile.milestone_stage("jawaban")
    if (
        answer_stage is not None
        and index >= profile.stage_index(answer_stage.key)
        and not (answer or clean_input(_value(complaint, "hasil_tindak_lanjut")))
    ):
        add(
            "hasil_tindak_lanjut",
            "Hasil tindak lanjut (jawaban kepada pelapor) wajib diisi untuk tahap jawaban.",
        )
    for key, text in (
        ("hasil_tindak_lanjut", answer),
        ("no_berita_acara", clean_input(update.no_berita_acara)),
        ("disposisi_kepada", official),
    ):
        if len(text) > MAX_LENGTHS[key]:
            add(
                key,
                f"{FIELD_LABELS[key]} terlalu panjang ({len(text)} karakter; paling banyak {MAX_LENGTHS[key]}).",
            )
    return problems


def validate_update(
    complaint_row: Mapping[str, Any], changes: StageUpdate, profile: Profile, now: dt.datetime
) -> list[str]:
    """Problems of advancing ``complaint_row`` (a typed register row) as ``changes`` says."""
    return [
        message
        for messages in update_problems(complaint_row, changes, profile, now).values()
        for message in messages
    ]


def update_cells(
    complaint: Mapping[str, Any], update: StageUpdate, profile: Profile, actor: str, now: dt.datetime
) -> dict[str, str]:
    """Canonical key -> new cell text of a valid update (only the cells that change, plus the
    Diperbarui Oleh/Pada bookkeeping)."""
    cells: dict[str, str] = {}
    current = current_stage(complaint, profile)
    if update.stage != current.key:
        target = profile.stage(update.stage)
        cells["tahap"] = target.label
        cells[target.column_key] = sheet_datetime(update.when)  # type: ignore[arg-type]
    official = clean_input(update.disposisi_kepada)
    if official and official != clean_input(_value(complaint, "disposisi_kepada")):
        cells["disposisi_kepada"] = official
    outcome = find_term(profile.outcomes, update.jenis_penyelesaian)
    if outcome is not None and outcome.key != clean_input(_value(complaint, "jenis_penyelesaian")):
        cells["jenis_penyelesaian"] = outcome.label
    for key in ("hasil_tindak_lanjut", "no_berita_acara"):
        text = clean_input(getattr(update, key))
        if text and text != clean_input(_value(complaint, key)):
            cells[key] = text
    cells["diperbarui_oleh"] = clean_input(actor)
    cells["diperbarui_pada"] = sheet_datetime(now)
    return cells


# --------------------------------------------------------------------------------------------
# Cells of one row, as written in the sheet


@dataclass(frozen=True)
class RowSnapshot:
    """One complaint's row as read from the source: raw cell texts by header as written, the
    canonical key -> header map of its sheet, and the typed row (register model)."""

    sheet: str
    nomor: str
    raw: dict[str, str]
    headers: dict[str, str]
    complaint: dict[str, Any]

    def header(self, key: str, default: str) -> str:
        return self.headers.get(key) or default

    def changes(self, cells: Mapping[str, str], defaults: Mapping[str, str]) -> dict[str, tuple[str, str]]:
        """``{header as written: (loaded text, new text)}`` for canonical-key ``cells``;
        ``defaults`` names a column missing from the sheet (the source adds it)."""
        out: dict[str, tuple[str, str]] = {}
        for key, new in cells.items():
            header = self.header(key, defaults.get(key, key))
            out[header] = (self.raw.get(header, ""), new)
        return out


def nomor_key(text: object) -> str:
    """A Nomor as compared when searching: case and all spaces ignored (as Lacak does), including
    non-breaking and zero-width spaces pasted from WhatsApp or a web page."""
    return re.sub(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]+", "", clean_input(text)).upper()


def _nomor_rows(grid: SheetGrid, nomor: str, profile: Profile):
    """(header index, header cells, key -> header, [(row number in the sheet, row)]) of the rows
    whose Nomor matches ``nomor`` ignoring case and spaces; None without a usable header."""
    values = [[str(c) if c is not None else "" for c in row] for row in grid.values]
    extra = stage_column_aliases(profile)
    header_index = locate_header(values, extra)
    if header_index is None:
        return None
    header = [c.strip() for c in values[header_index]]
    headers: dict[str, str] = {}
    running = running_number_column(header, extra)  # 'No | No. Register': the register number
    for position, cell in enumerate(header):
        key = canonical_column(cell, extra)
        if key is not None and key not in headers and position != running:
            headers[key] = cell
    if "nomor" not in headers:
        return None
    position = header.index(headers["nomor"])
    wanted = nomor_key(nomor)
    hits = [
        (number, row)
        for number, row in enumerate(values[header_index + 1 :], start=header_index + 2)
        if wanted and position < len(row) and nomor_key(row[position]) == wanted
    ]
    return values[header_index], header, headers, position, hits


def nomor_locations(grid: SheetGrid, nomor: str, profile: Profile) -> list[str]:
    """Where ``nomor`` is written in ``grid`` (``"Sheet baris 12"``), case and spaces ignored."""
    found = _nomor_rows(grid, nomor, profile)
    if found is None:
        return []
    return [f"{grid.name} baris {number}" for number, _ in found[4]]


def row_snapshot(grid: SheetGrid, nomor: str, profile: Profile) -> RowSnapshot | None:
    """The row of ``grid`` whose Nomor cell is ``nomor`` (case and spaces ignored; None when
    absent or ambiguous). The snapshot's Nomor is the text as written in the sheet."""
    found = _nomor_rows(grid, nomor, profile)
    if found is None:
        return None
    header_row, header, headers, position, hits = found
    if len(hits) != 1:
        return None
    row = hits[0][1]
    raw = {cell: (row[i] if i < len(row) else "") for i, cell in enumerate(header) if cell}
    register = normalise_register([SheetGrid(grid.name, [header_row, row])], profile)
    if register.complaints.empty:
        return None
    typed = register.complaints.iloc[0].to_dict()
    return RowSnapshot(grid.name, clean_input(row[position]), raw, headers, typed)


# --------------------------------------------------------------------------------------------
# Audit trail


def audit_rows(
    nomor: str,
    changes: Mapping[str, tuple[str, str]],
    actor: str,
    role: str,
    when: dt.datetime,
    submission_id: str = "",
) -> list[list[str]]:
    """One audit row per changed column, in ``AUDIT_HEADER`` order (Waktu | Nomor | Kolom |
    Nilai Lama | Nilai Baru | Oleh | Peran | ID Kiriman). Waktu is an ISO timestamp with seconds
    (with its UTC offset when ``when`` has a time zone). Unchanged columns and the Diperbarui
    Oleh/Pada bookkeeping (already in Waktu and Oleh) are left out. The source writing the rows
    stamps ``ID Kiriman`` with the submission id it was given."""
    stamp = when.isoformat(timespec="seconds")
    rows = []
    for header, (old, new) in changes.items():
        if (old or "").strip() == (new or "").strip() or canonical_column(header) in _BOOKKEEPING:
            continue
        rows.append([stamp, nomor, header, old or "", new or "", actor, role, submission_id])
    assert all(len(r) == len(AUDIT_HEADER) for r in rows)
    return rows


# --------------------------------------------------------------------------------------------
# Telling the complainant


def whatsapp_link(phone: object, message: str) -> str:
    """``https://wa.me/62812…?text=…`` (click-to-chat, no API); PantauError for a number that
    is not an Indonesian mobile number."""
    normalised = normalise_phone(phone)
    if normalised is None or not normalised.startswith("08"):
        raise PantauError(
            "No. HP pelapor bukan nomor ponsel Indonesia yang valid; pesan WhatsApp tidak dapat dibuat."
        )
    return f"https://wa.me/62{normalised[1:]}?text={urllib.parse.quote(message, safe='')}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tracking_text(public_url: str = "", has_phone: bool = True) -> str:
    """How the complainant follows the complaint: the app's address when configured
    (``[pantau] public_url``); a complaint without a phone number cannot be looked up online."""
    if not has_phone:
        return (
            "Pengaduan tanpa nomor HP tidak dapat dilacak daring: tanyakan perkembangannya ke kantor desa "
            "dengan menyebut Nomor pengaduan ini."
        )
    where = f"di {public_url.rstrip('/')}/lacak" if public_url else "di menu Lacak Pengaduan"
    return f"Lacak {where} dengan Nomor pengaduan dan 4 angka terakhir no. HP Anda."


def answer_message(
    complaint: Mapping[str, Any], profile: Profile, desa: str, contact: str = "", public_url: str = ""
) -> str:
    """The message telling the complainant the result (Bahasa Indonesia, plain text)."""
    nomor = clean_input(_value(complaint, "nomor"))
    name = "" if bool(_value(complaint, "rahasia")) else clean_input(_value(complaint, "nama_pelapor"))
    received = _timestamp(_value(complaint, "tanggal_diterima"))
    outcome = find_term(profile.outcomes, _value(complaint, "jenis_penyelesaian"))
    result = clean_input(_value(complaint, "hasil_tindak_lanjut"))
    stage = current_stage(complaint, profile)
    desa_name = clean_input(desa)
    lines = [f"Yth. Bapak/Ibu {name}".rstrip() + ",", ""]
    received_text = f" yang kami terima pada {received:%d/%m/%Y}" if received is not None else ""
    lines.append(f"Pengaduan Anda dengan Nomor {nomor}{received_text} telah kami tindak lanjuti.")
    lines.append(f"Status: {stage.label}.")
    if outcome is not None:
        lines.append(f"Jenis penyelesaian: {outcome.label}.")
    if result:
        lines += ["", "Hasil tindak lanjut:", _short(result, 1200)]
    lines += [
        "",
        tracking_text(public_url),
    ]
    contact_text = clean_input(contact)
    where = f"Desa {desa_name}" if desa_name else profile.unit_name
    lines.append(
        f"Bila ada pertanyaan, hubungi petugas pengaduan {where}"
        + (f" di {contact_text}" if contact_text else " dengan membalas pesan ini atau datang ke kantor desa")
        + "."
    )
    lines += ["", "Terima kasih.", f"Petugas Pengelola Pengaduan {where}"]
    return "\n".join(lines)
