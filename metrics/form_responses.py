"""Google Form responses as complaints (pure: no I/O).

A Google Form writes one row per response into a worksheet (``Respons Formulir 1``): the first
column is the response time (``Stempel waktu`` / ``Timestamp``), then one column per question,
titled with the question. ``[intake] kolom`` maps question titles to register columns (an
Indonesian default below); this module checks the header against that mapping (every problem
named by question), turns a response row into the fields of ``services.complaints.
record_complaint``, gives each response a stable identity (its submission id) and reads the
response time written day-first (Indonesian spreadsheet locale).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from metrics.columns import MAX_LENGTHS, canonical_column, column_key, personal_columns
from metrics.form_input import FIELD_LABELS, FIELD_LABELS_EN, clean_input
from metrics.text import Text

# The worksheet a Google Form fills (Indonesian interface) and the column the app adds to it.
DEFAULT_WORKSHEET = "Respons Formulir 1"
DEFAULT_MARK_COLUMN = "Nomor Pantau"
# Headers a Google Form gives its time column, by interface language.
TIMESTAMP_HEADERS = ("Stempel waktu", "Cap waktu", "Timestamp", "Marca temporal", "Horodateur")
# Register fields a response may fill.
FIELDS = ("desa", "nama_pelapor", "alamat", "no_hp", "isi_pengaduan", "kategori", "rahasia")
# Question title -> register field: the questions of the Indonesian form the README describes.
DEFAULT_MAPPING: dict[str, str] = {
    "Desa": "desa",
    "Nama Pelapor": "nama_pelapor",
    "Nama lengkap": "nama_pelapor",
    "Alamat": "alamat",
    "Nomor HP": "no_hp",
    "Nomor HP/WhatsApp": "no_hp",
    "Isi Pengaduan": "isi_pengaduan",
    "Kategori": "kategori",
    "Rahasiakan identitas saya": "rahasia",
}
_YES = {"ya", "y", "yes", "true", "1", "rahasia", "ya, rahasiakan"}


class IntakeConfigError(ValueError):
    """``[intake] kolom`` maps a question to something that is not a register field."""


@dataclass(frozen=True)
class HeaderCheck:
    """What the response sheet's header holds against the mapping."""

    columns: dict[str, int]  # register field -> 0-based column
    time_column: int | None
    mark_column: int | None
    missing: tuple[str, ...]  # problems naming the question (required, not in the sheet)
    unmapped: tuple[str, ...]  # questions in the sheet the mapping does not know (ignored)

    @property
    def ok(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Response:
    """One response row turned into complaint fields."""

    row: int  # 1-based sheet row
    identity: str  # stable id: the submission id of its register row
    fields: dict[str, object]
    mark: str  # the Nomor already written in the mark column ("" = not merged yet)
    problems: tuple[str, ...] = field(default=())  # why it cannot go into the register


def mapping_problems(mapping: Mapping[str, str]) -> list[str]:
    """Every mapping entry whose target is not a field a response may fill, named."""
    return [
        Text(
            f"[intake] kolom: pertanyaan '{question}' dipetakan ke '{target}', bukan kolom yang dikenal "
            f"(pilihan: {', '.join(FIELDS)}).",
            f"[intake] kolom: question '{question}' is mapped to '{target}', which is not a known column "
            f"(choices: {', '.join(FIELDS)}).",
        )
        for question, target in mapping.items()
        if target not in FIELDS
    ]


def check_header(
    header: Sequence[object],
    mapping: Mapping[str, str],
    *,
    required: Sequence[str],
    mark_column: str = DEFAULT_MARK_COLUMN,
    sheet: str = DEFAULT_WORKSHEET,
) -> HeaderCheck:
    """Find the time column, the mark column and each mapped question (titles compared ignoring
    case, spacing and punctuation). ``required``: register fields the form must ask for; one
    missing is named by the question(s) the mapping expects for it."""
    keys = [column_key(clean_input(h)) for h in header]
    time_keys = {column_key(h) for h in TIMESTAMP_HEADERS}
    time_column = next((i for i, k in enumerate(keys) if k in time_keys), None)
    mark_key = column_key(mark_column)
    mark = next((i for i, k in enumerate(keys) if k == mark_key), None)
    by_question = {column_key(q): target for q, target in mapping.items()}
    columns: dict[str, int] = {}
    unmapped = []
    for position, key in enumerate(keys):
        if not key or position in (time_column, mark):
            continue
        target = by_question.get(key)
        if target is None:
            unmapped.append(clean_input(header[position]))
        elif target not in columns:
            columns[target] = position
    missing = []
    if time_column is None:
        missing.append(
            Text(
                f"Kolom waktu respons ('{TIMESTAMP_HEADERS[0]}' / 'Timestamp') tidak ada di sheet '{sheet}'.",
                f"The response time column ('{TIMESTAMP_HEADERS[0]}' / 'Timestamp') is not in sheet '{sheet}'.",
            )
        )
    for target in required:
        if target in columns:
            continue
        questions = [q for q, t in mapping.items() if t == target] or [target]
        asked = " / ".join(repr(q) for q in questions)
        missing.append(
            Text(
                f"Pertanyaan {asked} ({target}) tidak ada di sheet '{sheet}'"
                " (diganti namanya atau dihapus dari formulir?). Sesuaikan [intake] kolom.",
                f"Question {asked} ({target}) is not in sheet '{sheet}'"
                " (renamed or removed from the form?). Adjust [intake] kolom.",
            )
        )
    return HeaderCheck(columns, time_column, mark, tuple(missing), tuple(unmapped))


def response_time(text: object, *, dayfirst: bool = True) -> pd.Timestamp | None:
    """A response time as Google writes it (``1/12/2026 9:05:03`` day-first in the Indonesian
    locale; ``2026-12-01 09:05:03`` ISO); None when unreadable. Seconds are dropped (the register
    holds minutes)."""
    value = clean_input(text)
    if not value:
        return None
    iso = len(value) >= 10 and value[4] == "-"
    try:
        stamp = pd.to_datetime(value, dayfirst=dayfirst and not iso)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(stamp):
        return None
    return pd.Timestamp(stamp).tz_localize(None).floor("min") if stamp.tzinfo else stamp.floor("min")


def response_identity(sheet: str, row: Sequence[object], time_column: int | None, mark: int | None) -> str:
    """A stable id of one response: its time and answers (not its row position, which changes when
    rows are sorted). The same response read again gives the same id."""
    cells = [clean_input(c) for i, c in enumerate(row) if i != mark]
    while cells and not cells[-1]:
        cells.pop()  # Sheets leaves trailing empty cells out; a file may keep them
    blob = "\x1f".join([column_key(sheet), *cells]).encode("utf-8")
    return "form-" + hashlib.sha256(blob).hexdigest()[:32]


def _cell(row: Sequence[object], position: int | None) -> str:
    return clean_input(row[position]) if position is not None and position < len(row) else ""


def responses(
    sheet: str,
    values: Sequence[Sequence[object]],
    check: HeaderCheck,
    *,
    channel: str,
    fixed_desa: str = "",
    desas: Sequence[str] = (),
    required: Sequence[str] = (),
    now: dt.datetime,
    dayfirst: bool = True,
) -> list[Response]:
    """Every non-empty response row (row 1 is the header) as fields with its problems: a missing
    required answer, an unreadable or future time, a desa that is not one of ``desas``, a text
    longer than its register column holds. Validation of the rest is ``record_complaint``'s."""
    known = {column_key(d): d for d in desas}
    header = values[0] if values else []

    def question(target: str) -> Text:
        position = check.columns.get(target)
        asked = _cell(header, position)
        if asked:
            return Text(f"Pertanyaan '{asked}'", f"Question '{asked}'")
        return Text(FIELD_LABELS.get(target, target), FIELD_LABELS_EN.get(target, target))

    out: list[Response] = []
    for index, row in enumerate(values[1:], start=2):
        cells = [c for i, c in enumerate(row) if i != check.mark_column]
        if not any(clean_input(c) for c in cells):
            continue
        problems: list[str] = []
        fields: dict[str, object] = {"saluran": channel}
        for target, position in check.columns.items():
            fields[target] = _cell(row, position)
        rahasia = column_key(str(fields.get("rahasia") or "")).replace("_", " ") in _YES
        fields["rahasia"] = rahasia
        desa = clean_input(fields.get("desa")) or fixed_desa
        if desa and known:
            matched = known.get(column_key(desa))
            if matched is None:
                problems.append(
                    Text(
                        f"Desa '{desa[:60]}' bukan desa register ini (pilihan: {', '.join(desas)}).",
                        f"Village '{desa[:60]}' is not a village of this register (choices: {', '.join(desas)}).",
                    )
                )
            desa = matched or desa
        fields["desa"] = desa
        needed = set(required) - (set(personal_columns()) if rahasia else set())
        for target in ("desa", *required):
            if target in needed | {"desa"} and not clean_input(fields.get(target)):
                problems.append(question(target) + Text(" belum dijawab.", " is not answered."))
        for target in check.columns:
            text = clean_input(fields.get(target))
            limit = MAX_LENGTHS.get(target)
            if limit is not None and len(text) > limit:
                size, most = f"{len(text):,}", f"{limit:,}"
                problems.append(
                    question(target)
                    + Text(
                        f": jawaban terlalu panjang ({size} karakter; paling banyak {most}).".replace(
                            ",", "."
                        ),
                        f": the answer is too long ({size} characters; at most {most}).",
                    )
                )
        received = response_time(_cell(row, check.time_column), dayfirst=dayfirst)
        if received is None:
            written = _cell(row, check.time_column)[:40]
            problems.append(
                Text(
                    f"Waktu respons '{written}' tidak terbaca.", f"Response time '{written}' cannot be read."
                )
            )
        elif received > _naive(now):
            problems.append(
                Text(
                    f"Waktu respons {received:%d/%m/%Y %H.%M} ada di masa depan.",
                    f"Response time {received:%d/%m/%Y %H:%M} is in the future.",
                )
            )
        fields["tanggal_diterima"] = received.to_pydatetime() if received is not None else None
        identity = response_identity(sheet, row, check.time_column, check.mark_column)
        out.append(
            Response(index, identity, fields, _cell(row, check.mark_column), tuple(dict.fromkeys(problems)))
        )
    return out


def _naive(moment: dt.datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def looks_like_form_responses(header: Sequence[object]) -> bool:
    """A worksheet a Google Form fills: its first column is the form's time column and no column is
    a register Nomor (``metrics.register`` leaves such a sheet out of the register)."""
    if not header:
        return False
    first = column_key(clean_input(header[0]))
    if first not in {column_key(h) for h in TIMESTAMP_HEADERS}:
        return False
    return not any(canonical_column(clean_input(h)) == "nomor" for h in header)


def is_form_responses_sheet(name: str, header: Sequence[object], worksheet: str = DEFAULT_WORKSHEET) -> bool:
    """The one rule for "this worksheet is a Google Form's response sheet, never register rows":
    it is named as ``[intake] worksheet`` (default ``Respons Formulir 1``; case and surrounding
    spaces ignored), whatever its columns, or :func:`looks_like_form_responses` recognises it."""
    wanted = (worksheet or DEFAULT_WORKSHEET).strip().casefold()
    return str(name).strip().casefold() == wanted or looks_like_form_responses(header)
