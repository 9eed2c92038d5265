"""The register model: raw sheet cells in, one typed row per complaint out.

Nothing a petugas typed is dropped: a cell that cannot be understood keeps its text
(or becomes NaT for a date) and is reported as a finding naming its sheet row and the
column header as written.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from data_sources.base import SheetGrid  # the raw-grid contract (types only: no cycle)
from metrics.cells import clean_text, normalise_phones, parse_dates, parse_flags
from metrics.columns import (
    PAUSE_END,
    PAUSE_START,
    TEXT_COLUMNS,
    VOCABULARY_COLUMNS,
    canonical_column,
    column_key,
)
from metrics.form_responses import DEFAULT_WORKSHEET, is_form_responses_sheet
from metrics.record_status import split_voided, unknown_mark

if TYPE_CHECKING:
    from metrics.profiles import Profile

FINDING_COLUMNS = ("kode", "tingkat", "sheet", "baris", "kolom", "nilai", "pesan")

# How many rows at the top of a sheet may hold titles before the header row.
_HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Register:
    """A normalised register: typed complaints, the findings, and where each column lives."""

    complaints: pd.DataFrame
    findings: pd.DataFrame
    # sheet name -> canonical key -> header text as written in that sheet
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    # sheet name -> 1-based row number of its header row
    header_rows: dict[str, int] = field(default_factory=dict)
    # sheet name -> link to the worksheet (Google Sheets), for cell links
    sheet_urls: dict[str, str | None] = field(default_factory=dict)
    # sheet name -> the header row's cells as written (to name a cell like ``C12``)
    header_cells: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the cells as written, aligned with ``complaints`` (canonical keys, ``_sheet``, ``_row``),
    # so findings can quote what the petugas typed
    raw: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    # rows marked Duplikat or Batal (metrics.record_status), same columns as ``complaints``: they
    # are not in ``complaints``, so they leave every figure and queue
    voided: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    @property
    def is_empty(self) -> bool:
        return self.complaints.empty

    def every_row(self) -> pd.DataFrame:
        """Counted and marked rows together (Nomor lookups, the Register page's marked list)."""
        if self.voided is None or self.voided.empty:
            return self.complaints
        return pd.concat([self.complaints, self.voided], ignore_index=True)


def finding(
    code: str, level: str, sheet: str, row: int | None, column: str, value: object, message: str
) -> dict[str, object]:
    """One finding as a record of FINDING_COLUMNS."""
    return {
        "kode": code,
        "tingkat": level,
        "sheet": sheet,
        "baris": row,
        "kolom": column,
        "nilai": "" if value is None else str(value),
        "pesan": message,
    }


def findings_frame(records: Iterable[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(records), columns=list(FINDING_COLUMNS))
    frame["baris"] = pd.array(frame["baris"], dtype="Int64")
    return frame


def stage_column_aliases(profile: Profile) -> dict[str, str]:
    """Header keys of the profile's stage-date columns (each maps to itself)."""
    return {stage.column_key: stage.column_key for stage in profile.stages}


def locate_header(values: Sequence[Sequence[Any]], extra: dict[str, str] | None = None) -> int | None:
    """Index (0-based) of the row that looks most like the register header, or None.

    Titles such as ``BUKU REGISTER PENGADUAN`` often sit above the header; the header is
    the row among the first rows that names the most known register columns (at least two).
    """
    best_index, best_score = None, 1
    for index, row in enumerate(values[:_HEADER_SEARCH_ROWS]):
        keys = {canonical_column(cell, extra) for cell in row if str(cell).strip()}
        keys.discard(None)
        if len(keys) > best_score:
            best_index, best_score = index, len(keys)
    return best_index


# What a column title never is: a date or time, a phone number, a register number.
_DATA_LOOKING = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}[:.]\d{2})?"  # 06/01/2025 09:00, 2025-01-06
    r"|\+?[\d ()-]{8,}"  # 081234567890, +62 812-3456-7890
    r"|[A-Za-z]{1,10}[-/.]\d{4}[-/.]\d{1,2}[-/.]\d+"  # ADU/2025/01/0001
)


def _data_looking_cell(row: Sequence[Any]) -> str | None:
    """The first cell of a would-be header row that looks like complaint data (None: none)."""
    for cell in row:
        text = str(cell).strip()
        if text and sum(ch.isdigit() for ch in text) >= 4 and _DATA_LOOKING.fullmatch(text):
            return text[:80]
    return None


def _vocabulary(terms: Iterable[Any]) -> dict[str, str]:
    """Lookup from any spelling (key, label, alias; case/punctuation-insensitive) to the term key."""
    lookup: dict[str, str] = {}
    for term in terms:
        for spelling in (term.key, term.label, *term.aliases):
            lookup.setdefault(column_key(spelling), term.key)
    return lookup


def _closest(value: str, choices: Iterable[str], spellings: dict[str, str] | None = None) -> str | None:
    """The known value a petugas most likely meant, or None when nothing is close.

    ``spellings`` maps further spellings (keys, aliases; as ``column_key``) to a choice, so
    ``mendsak`` finds ``Tinggi`` through its alias ``mendesak`` and ``Instagram DM`` finds
    ``Media sosial`` through ``instagram``.
    """
    choices = list(choices)
    known = {column_key(c): c for c in choices}
    for spelling, choice in (spellings or {}).items():
        known.setdefault(spelling, choice)
    known.pop("", None)
    typed = column_key(value)
    if not typed or not known:
        return None
    match = difflib.get_close_matches(typed, list(known), n=1, cutoff=0.75)
    if match:
        return known[match[0]]
    words = typed.split("_")
    for spelling, choice in known.items():  # a known word inside a longer entry
        if len(spelling) >= 3 and all(part in words for part in spelling.split("_")):
            return choice
    return None


def _spellings(terms: Iterable[Any]) -> dict[str, str]:
    """Every spelling of every term (as ``column_key``) -> the term's label, for suggestions."""
    out: dict[str, str] = {}
    for term in terms:
        for spelling in (term.key, term.label, *term.aliases):
            out.setdefault(column_key(spelling), term.label)
    return out


def profile_vocabularies(profile: Profile) -> dict[str, tuple[dict[str, str], list[str]]]:
    """For each vocabulary column: (spelling -> key, labels for suggestions).

    ``vocabulary_spellings`` gives the spelling -> label map used to suggest a label."""
    lists: dict[str, Sequence[Any]] = {
        "channels": profile.channels,
        "categories": profile.categories,
        "urgencies": profile.urgencies,
        "stages": profile.stages,
        "outcomes": profile.outcomes,
    }
    return {
        column: (_vocabulary(lists[name]), [t.label for t in lists[name]])
        for column, name in VOCABULARY_COLUMNS.items()
    }


def vocabulary_spellings(profile: Profile) -> dict[str, dict[str, str]]:
    """For each vocabulary column: every spelling (``column_key``) -> the label to suggest."""
    lists = {
        "channels": profile.channels,
        "categories": profile.categories,
        "urgencies": profile.urgencies,
        "stages": profile.stages,
        "outcomes": profile.outcomes,
    }
    return {column: _spellings(lists[name]) for column, name in VOCABULARY_COLUMNS.items()}


def _sheet_frame(grid: SheetGrid, extra: dict[str, str], records: list[dict[str, object]]):
    """Raw strings of one sheet under canonical keys, with sheet row numbers; None if no header."""
    values = grid.values
    header_index = locate_header(values, extra)
    if header_index is None:
        non_empty = any(str(c).strip() for row in values for c in row)
        if non_empty:
            records.append(
                finding(
                    "HEADER_TIDAK_DITEMUKAN",
                    "galat",
                    grid.name,
                    None,
                    "",
                    "",
                    f"Sheet '{grid.name}' tidak memiliki baris judul kolom register yang dikenali "
                    "(mis. Nomor, Tanggal Diterima, Isi Pengaduan). Tambahkan baris judul sesuai templat.",
                )
            )
        return None, {}, None, ()
    data_cell = _data_looking_cell(values[header_index])
    if data_cell is not None:
        # the header row is missing: the row that names the most columns is a complaint whose
        # texts happen to match column names (e.g. 'Telepon', 'Tindak lanjut'); reading the sheet
        # under those "headers" would shift every column, so the sheet is not read but named
        count = sum(1 for row in values[header_index:] if any(str(c).strip() for c in row))
        records.append(
            finding(
                "HEADER_TIDAK_DITEMUKAN",
                "galat",
                grid.name,
                header_index + 1,
                "",
                data_cell,
                f"Sheet '{grid.name}' tidak memiliki baris judul kolom: baris {header_index + 1} berisi data "
                f"pengaduan (mis. '{data_cell}'), bukan judul kolom, jadi {count} baris di sheet itu tidak dibaca. "
                "Sisipkan baris judul sesuai templat (Nomor, Desa, Tanggal Diterima, ...) di atas data.",
            )
        )
        return None, {}, None, ()
    header = [str(c) for c in values[header_index]]
    width = max((len(r) for r in values[header_index:]), default=len(header))
    header += [""] * (width - len(header))
    columns: dict[str, int] = {}
    header_text: dict[str, str] = {}
    running = running_number_column(header, extra)
    for position, cell in enumerate(header):
        key = canonical_column(cell, extra)
        if key is None or position == running:
            continue
        if key in columns:
            records.append(
                finding(
                    "KOLOM_GANDA",
                    "peringatan",
                    grid.name,
                    header_index + 1,
                    cell.strip(),
                    cell,
                    f"Kolom '{cell.strip()}' berarti sama dengan kolom '{header_text[key]}'; "
                    f"hanya kolom pertama yang dibaca. Ganti nama atau hapus salah satunya.",
                )
            )
            continue
        columns[key] = position
        header_text[key] = cell.strip()
    body = values[header_index + 1 :]
    # one column at a time (a transpose in C, then text per column): no frame of Python objects
    cells = list(itertools.zip_longest(*body, fillvalue=""))
    cells += [("",) * len(body)] * (width - len(cells))
    index = pd.RangeIndex(header_index + 2, header_index + 2 + len(body))
    text = [pd.Series(column, index=index, dtype=object).astype("string").fillna("") for column in cells]
    filled = np.zeros(len(body), dtype=bool)
    for column in text:
        filled |= (column.str.strip() != "").to_numpy(dtype=bool)
    frame = {position: column[filled] for position, column in enumerate(text)}
    picked = pd.DataFrame({key: frame[position] for key, position in columns.items()}, index=index[filled])
    return picked, header_text, header_index + 1, tuple(header)


def normalise_register(
    sheets: Sequence[SheetGrid],
    profile: Profile,
    *,
    desa_names: Sequence[str] | None = None,
    form_worksheet: str = DEFAULT_WORKSHEET,
    sheet_desas: Mapping[str, str] | None = None,
) -> Register:
    """Turn raw sheets into a typed register plus findings (see docs/ARCHITECTURE.md).

    ``form_worksheet``: the ``[intake] worksheet``; the Google Form's response sheet
    (:func:`metrics.form_responses.is_form_responses_sheet`) is never read as complaints.

    A sheet without a ``Desa`` column belongs to the desa named like the sheet (the
    "one worksheet per desa" layout). ``desa_names`` (the kecamatan's desas) enables the
    unknown-desa finding and maps spellings to the configured name. ``sheet_desas`` (a synced
    kabupaten: sheet -> the registry desa whose own register it is): every row of such a sheet
    is that desa's; a Desa cell naming another desa is a finding, not a move.
    """
    records: list[dict[str, object]] = []
    extra = stage_column_aliases(profile)
    wanted = [column_key(h) for h in _profile_header(profile)]
    parts, headers, header_rows, urls, header_cells = [], {}, {}, {}, {}
    for grid in sheets:
        if is_form_responses_sheet(grid.name, grid.values[0] if grid.values else (), form_worksheet):
            continue  # a Google Form's response sheet: merged by services.intake, not complaints
        sheet_records = [] if grid.hidden else records
        picked, header_text, header_row, cells = _sheet_frame(grid, extra, sheet_records)
        if grid.hidden:
            if picked is None or picked.empty:
                continue  # a hidden helper sheet (dropdown lists...): not part of the register
            records.extend(sheet_records)
            records.append(_hidden_sheet_finding(grid.name, len(picked)))
        _note_findings(grid, header_row, records)
        if header_row is not None:
            _unnamed_column_findings(grid, header_row, records)
        urls[grid.name] = grid.url
        if picked is None:
            continue
        headers[grid.name] = header_text
        header_rows[grid.name] = header_row
        header_cells[grid.name] = cells
        if "desa" not in picked.columns:
            picked["desa"] = grid.name
            header_text.setdefault("desa", "")
        for key in wanted:
            if key not in picked.columns:
                picked[key] = ""
        picked["_sheet"] = grid.name
        picked["_row"] = picked.index.astype("int64")
        parts.append(picked.reset_index(drop=True))
    raw = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*wanted, "_sheet", "_row"])
    raw = raw.astype({c: "string" for c in raw.columns if c != "_row"}).fillna("")
    complaints = _typed(raw, profile, headers, desa_names, extra, records)
    if sheet_desas:
        complaints = _own_desa(complaints, raw, headers, sheet_desas, records)
    _status_findings(raw, headers, records)
    # the ONE place where records marked Duplikat/Batal leave the figures (CONTRACTS.md 1)
    complaints, voided, mask = split_voided(complaints)
    if mask.any():
        raw = raw[~mask.to_numpy()].reset_index(drop=True)
    return Register(
        complaints, findings_frame(records), headers, header_rows, urls, header_cells, raw, voided
    )


def _own_desa(
    complaints: pd.DataFrame, raw: pd.DataFrame, headers, sheet_desas: Mapping[str, str], records
) -> pd.DataFrame:
    """Each row of a registry desa's own sheet is that desa's (a new frame; one finding per row
    whose Desa cell names another desa)."""
    owner = complaints["_sheet"].astype(object).map(dict(sheet_desas))
    written = complaints["desa"].astype(object)
    other = owner.notna() & written.notna() & (written.map(column_key) != owner.map(column_key))
    _report(
        records,
        raw,
        other.astype(bool),
        "desa",
        headers,
        "DESA_TIDAK_DIKENAL",
        "peringatan",
        lambda v: (
            f"Desa '{v.strip()}' tertulis di register milik desa lain (spreadsheet desa itu menurut "
            "daftar desa kabupaten): baris ini dihitung milik desa spreadsheet-nya. Perbaiki sel Desa."
        ),
    )
    out = complaints.copy()
    out["desa"] = owner.where(owner.notna(), written).astype("string")
    return out


def _status_findings(raw: pd.DataFrame, headers, records: list[dict[str, object]]) -> None:
    if "status_catatan" not in raw.columns:
        return
    unknown = raw["status_catatan"].map(unknown_mark).astype(bool)
    _report(
        records,
        raw,
        unknown,
        "status_catatan",
        headers,
        "STATUS_CATATAN_TIDAK_DIKENAL",
        "peringatan",
        lambda v: (
            f"Status catatan '{v.strip()}' tidak dikenal; pengaduan tetap dihitung. "
            "Isi 'Duplikat' atau 'Batal', atau kosongkan."
        ),
    )


def running_number_column(header: Sequence[object], extra: dict[str, str] | None = None) -> int | None:
    """Position of a bare ``No`` column (the running number 1, 2, 3...) when the sheet also has a
    register-number column (``No | No. Register | ...``): the register number is then the Nomor,
    and the running number is neither read as Nomor nor written by new complaints."""
    nomor = [p for p, cell in enumerate(header) if canonical_column(str(cell), extra) == "nomor"]
    if len(nomor) < 2:
        return None
    bare = [p for p in nomor if column_key(str(header[p])) == "no"]
    return bare[0] if len(bare) == 1 else None


def _unnamed_column_findings(grid: SheetGrid, header_row: int, records: list[dict[str, object]]) -> None:
    """One finding per column that holds data but has no header: its cells are not read."""
    header = [str(c).strip() for c in grid.values[header_row - 1]]
    filled: dict[int, int] = {}
    for row in grid.values[header_row:]:
        for position in range(len(header), len(row)) if len(row) > len(header) else ():
            if str(row[position]).strip():
                filled[position] = filled.get(position, 0) + 1
        for position, text in enumerate(header[: len(row)]):
            if not text and str(row[position]).strip():
                filled[position] = filled.get(position, 0) + 1
    for position in sorted(filled):
        letter = _column_letters(position)
        records.append(
            finding(
                "DATA_TANPA_JUDUL",
                "peringatan",
                grid.name,
                header_row,
                letter,
                "",
                f"Kolom {letter} berisi data di {filled[position]} baris tetapi tidak berjudul, jadi isinya tidak "
                "dibaca. Beri judul kolom yang sesuai templat (mis. Isi Pengaduan) atau pindahkan isinya.",
            )
        )


def _hidden_sheet_finding(sheet: str, count: int) -> dict[str, object]:
    return finding(
        "SHEET_TERSEMBUNYI",
        "peringatan",
        sheet,
        None,
        "",
        "",
        f"Sheet '{sheet}' disembunyikan di berkas tetapi berisi {count} baris pengaduan; pengaduan itu ikut "
        "dihitung. Tampilkan sheet itu (klik kanan nama sheet > Unhide) agar petugas melihatnya, atau pindahkan "
        "isinya bila memang bukan bagian register.",
    )


def _note_findings(grid: SheetGrid, header_row: int | None, records: list[dict[str, object]]) -> None:
    """Findings for what the source noted; the column is named by the sheet's header when known."""
    if not grid.notes:
        return
    header = [str(c).strip() for c in grid.values[header_row - 1]] if header_row else []
    for note in grid.notes:
        column = ""
        if note.column is not None:
            column = header[note.column] if note.column < len(header) and header[note.column] else ""
            if not column:
                column = _column_letters(note.column)
        records.append(finding(note.kode, note.tingkat, grid.name, note.row, column, note.nilai, note.pesan))


def _column_letters(position: int) -> str:
    letters = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _profile_header(profile: Profile) -> list[str]:
    from metrics.profiles import register_header

    return register_header(profile)


def _report(
    records, raw: pd.DataFrame, mask: pd.Series, key: str, headers, code: str, level: str, message
) -> None:
    """Append one finding per masked row; ``message`` is a function of the raw value."""
    if not mask.any():
        return
    for sheet, row, value in zip(
        raw.loc[mask, "_sheet"], raw.loc[mask, "_row"], raw.loc[mask, key], strict=True
    ):
        column = headers.get(sheet, {}).get(key, key)
        records.append(finding(code, level, sheet, int(row), column, value, message(value)))


def _match(text: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Canonical value of each cell via ``lookup`` (keyed by ``column_key``); NA when unknown.

    Matching is done once per distinct value: registers repeat a handful of values.
    """
    mapping = {value: lookup.get(column_key(value)) for value in text.dropna().unique()}
    return text.astype(object).map(mapping).astype("string")


def _typed(raw: pd.DataFrame, profile, headers, desa_names, extra, records) -> pd.DataFrame:
    out = pd.DataFrame(index=raw.index)
    date_keys = [
        "tanggal_diterima",
        *[s.column_key for s in profile.stages],
        "diperbarui_pada",
        PAUSE_START,
        PAUSE_END,
    ]
    text_keys = [k for k in raw.columns if k not in ("_sheet", "_row")]
    for key in text_keys:
        out[key] = clean_text(raw[key]).replace("", pd.NA)

    for key in dict.fromkeys(date_keys):
        stamps, unreadable = parse_dates(raw[key])
        out[key] = stamps
        _report(
            records,
            raw,
            unreadable,
            key,
            headers,
            "TANGGAL_TIDAK_TERBACA",
            "galat",
            lambda v: (
                f"Tanggal '{v}' tidak terbaca. Tulis hari-bulan-tahun, mis. 26/07/2023 atau 26/07/2023 14:30."
            ),
        )

    phones, invalid = normalise_phones(raw["no_hp"])
    out["no_hp"] = phones
    _report(
        records,
        raw,
        invalid,
        "no_hp",
        headers,
        "HP_TIDAK_VALID",
        "peringatan",
        lambda v: f"Nomor HP '{v}' tidak valid. Tulis seperti 081234567890 atau +62 812-3456-7890.",
    )

    flags, unreadable = parse_flags(raw["rahasia"])
    out["rahasia"] = flags
    _report(
        records,
        raw,
        unreadable,
        "rahasia",
        headers,
        "RAHASIA_TIDAK_TERBACA",
        "peringatan",
        lambda v: f"Isian Rahasia '{v}' tidak dikenali; dianggap 'Tidak'. Isi 'Ya' atau 'Tidak'.",
    )

    spellings = vocabulary_spellings(profile)
    for key, (lookup, labels) in profile_vocabularies(profile).items():
        text = out[key]
        matched = _match(text, lookup)
        unknown = text.notna() & matched.isna()
        out[key] = matched.where(matched.notna(), text).astype("string")
        header_label = key.replace("_", " ")
        _report(
            records,
            raw,
            unknown,
            key,
            headers,
            "NILAI_TIDAK_DIKENAL",
            "peringatan",
            lambda v, labels=labels, h=header_label, known=spellings[key]: (
                f"Nilai {h} '{v.strip()}' tidak dikenal di profil SOP."
                + (f" Mungkin maksudnya '{c}'?" if (c := _closest(v.strip(), labels, known)) else "")
                + f" Pilihan: {', '.join(labels)}."
            ),
        )

    if desa_names:
        lookup = {column_key(name): name for name in desa_names}
        for name in desa_names:  # "Desa Cibodas", "Kel. Cibodas" mean Cibodas
            for prefix in ("desa", "ds", "kelurahan", "kel"):
                lookup.setdefault(column_key(f"{prefix} {name}"), name)
        text = out["desa"]
        matched = _match(text, lookup)
        unknown = text.notna() & matched.isna()
        out["desa"] = matched.where(matched.notna(), text).astype("string")
        # A sheet without a Desa column takes the sheet's name: say so once for the sheet,
        # not once per row (the fix is one rename or one new column).
        no_column = raw["_sheet"].map(lambda sheet: not headers.get(sheet, {}).get("desa")).astype(bool)
        for sheet in dict.fromkeys(raw.loc[unknown & no_column, "_sheet"]):
            records.append(
                finding(
                    "DESA_TIDAK_DIKENAL",
                    "peringatan",
                    sheet,
                    None,
                    "",
                    sheet,
                    f"Sheet '{sheet}' tidak punya kolom Desa, dan nama sheet bukan desa di kecamatan ini."
                    + (f" Mungkin maksudnya '{c}'?" if (c := _closest(sheet, desa_names)) else "")
                    + " Tambahkan kolom Desa atau ganti nama sheet menjadi nama desa.",
                )
            )
        unknown = unknown & ~no_column
        _report(
            records,
            raw,
            unknown,
            "desa",
            headers,
            "DESA_TIDAK_DIKENAL",
            "peringatan",
            lambda v: (
                f"Desa '{v.strip()}' bukan desa di kecamatan ini."
                + (f" Mungkin maksudnya '{c}'?" if (c := _closest(v.strip(), desa_names)) else "")
            ),
        )

    for key in TEXT_COLUMNS:
        if key in out.columns:
            out[key] = out[key].astype("string")
    out["_sheet"] = raw["_sheet"].astype("string")
    out["_row"] = raw["_row"].astype("int64")
    return out
