"""The registry of desas: kabupaten -> kecamatan -> desa, each with its spreadsheet and SOP profile.

Kept in a TOML or CSV file whose path is ``[sync] registry``::

    # desa.toml
    kabupaten = "Kutai Kartanegara"

    [[desa]]
    kecamatan = "Tenggarong"
    desa = "Bukit Biru"
    spreadsheet = "https://docs.google.com/spreadsheets/d/1AbC.../edit"   # or the key
    profile = "kutai_kartanegara"
    worksheet = "Register"          # optional: default the first sheet of the spreadsheet

or ``desa.csv`` with the header ``kecamatan,desa,spreadsheet,profile`` (optional columns
``worksheet`` and ``kabupaten``). Every problem is reported at once, each naming its entry
(file, entry number or CSV line, kecamatan and desa): a missing field, an unknown profile, a
desa listed twice, a spreadsheet used by two desas, and — with :func:`sharing_problems` and the
list of spreadsheets the service account can see — a spreadsheet not shared with it. Two desas
of the same name in different kecamatan are refused too (the app routes a desa's writes and names
its register by the desa's name): the second is told to write a distinguishing name.
"""

from __future__ import annotations

import csv
import io
import tomllib
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data_sources.gsheets import spreadsheet_key
from data_sources.snapshot_store import DesaEntry
from metrics.columns import column_key
from metrics.errors import PantauError

__all__ = ["Registry", "RegistryEntry", "load_registry", "parse_registry", "sharing_problems"]

_FIELDS = ("kecamatan", "desa", "spreadsheet", "profile")
_OPTIONAL = ("worksheet", "kabupaten")


@dataclass(frozen=True)
class RegistryEntry:
    kabupaten: str
    kecamatan: str
    desa: str
    spreadsheet_id: str
    profile: str
    worksheet: str = ""
    where: str = ""  # "desa.toml, entri [[desa]] ke-3" / "desa.csv, baris 4"

    @property
    def desa_key(self) -> str:
        return f"{column_key(self.kecamatan)}/{column_key(self.desa)}"

    def label(self) -> str:
        return f"{self.where} (Kecamatan {self.kecamatan or '?'}, desa {self.desa or '?'})"

    def as_store_entry(self) -> DesaEntry:
        return DesaEntry(
            self.desa_key,
            self.kabupaten,
            self.kecamatan,
            self.desa,
            self.spreadsheet_id,
            self.profile,
            self.worksheet,
        )


@dataclass(frozen=True)
class Registry:
    kabupaten: str
    entries: tuple[RegistryEntry, ...]

    def kecamatan(self) -> list[str]:
        return sorted({e.kecamatan for e in self.entries})

    def by_spreadsheet(self) -> dict[str, RegistryEntry]:
        return {e.spreadsheet_id: e for e in self.entries}


def load_registry(path: Path | str, profile_ids: Collection[str]) -> Registry:
    """Read and validate the registry file (TOML or CSV); PantauError lists every bad entry."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PantauError(f"Daftar desa [sync] registry = '{path}' tidak dapat dibaca: {error}.") from error
    if path.suffix.lower() == ".csv":
        return parse_registry(_csv_rows(raw, path.name), "", profile_ids, path.name, csv_lines=True)
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PantauError(f"Daftar desa {path.name}: penulisan TOML salah: {error}") from error
    rows = data.get("desa", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise PantauError(f"Daftar desa {path.name}: tulis setiap desa sebagai tabel [[desa]].")
    kabupaten = data.get("kabupaten", "")
    bad = _bad_values({"kabupaten": kabupaten})
    if bad:
        raise PantauError(f"Daftar desa {path.name}: {'; '.join(bad)}.")
    return parse_registry(rows, str(kabupaten), profile_ids, path.name)


def _csv_rows(raw: bytes, name: str) -> list[dict[str, Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:  # a replaced character would change a desa's name silently
        line = raw[: error.start].count(b"\n") + 1
        raise PantauError(
            f"Daftar desa {name}: baris {line} bukan teks UTF-8 (byte {error.start + 1}). "
            "Simpan berkas sebagai CSV UTF-8."
        ) from error
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [column_key(h or "") for h in (reader.fieldnames or [])]
    missing = [f for f in _FIELDS if f not in header]
    if missing:
        raise PantauError(
            f"Daftar desa {name}: kolom {', '.join(missing)} tidak ada di baris judul "
            f"(harus ada: {', '.join(_FIELDS)}; boleh: {', '.join(_OPTIONAL)})."
        )
    return [{column_key(k or ""): v for k, v in row.items()} for row in reader]


# The longest name the registry accepts (a desa or kecamatan name; Google's sheet-name limit is 100).
MAX_NAME = 100


def _bad_values(row: Mapping[str, Any]) -> list[str]:
    """A field that is not one line of text (a list, a table, a control character such as a line
    break or NUL, an overlong name): names end up in sheet names, page headings and PDF reports,
    so they are refused here, naming the field, rather than garbled later."""
    out = []
    for key in (*_FIELDS, *_OPTIONAL):
        value = row.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            out.append(f"{key} harus berupa teks, bukan {type(value).__name__}")
            continue
        if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in value.strip()):
            out.append(f"{key} berisi karakter kendali (baris baru, tab, NUL atau tanda arah teks)")
        elif key in ("kabupaten", "kecamatan", "desa", "worksheet") and len(value.strip()) > MAX_NAME:
            out.append(f"{key} lebih dari {MAX_NAME} karakter")
    return out


def parse_registry(
    rows: Iterable[Mapping[str, Any]],
    kabupaten: str,
    profile_ids: Collection[str],
    source: str,
    *,
    csv_lines: bool = False,
) -> Registry:
    entries: list[RegistryEntry] = []
    problems: list[str] = []
    seen_desa: dict[str, RegistryEntry] = {}
    seen_sheet: dict[str, RegistryEntry] = {}
    seen_name: dict[str, RegistryEntry] = {}  # the app names a desa's register after the desa
    for index, row in enumerate(rows, start=1):
        where = f"{source}, baris {index + 1}" if csv_lines else f"{source}, entri [[desa]] ke-{index}"
        bad = _bad_values(row)
        if bad:
            problems.append(f"{where}: {'; '.join(bad)}")
            continue
        values = {k: str(row.get(k) or "").strip() for k in (*_FIELDS, *_OPTIONAL)}
        try:
            key = spreadsheet_key(values["spreadsheet"]) if values["spreadsheet"] else ""
        except PantauError as error:
            key = ""
            problems.append(f"{where}: {error.message}")
        entry = RegistryEntry(
            values["kabupaten"] or kabupaten,
            values["kecamatan"],
            values["desa"],
            key,
            values["profile"],
            values["worksheet"],
            where,
        )
        empty = [f for f in _FIELDS if not values[f]]
        if empty:
            problems.append(f"{entry.label()}: {', '.join(empty)} belum diisi.")
            continue
        if entry.profile not in profile_ids:
            problems.append(
                f"{entry.label()}: profil SOP '{entry.profile}' tidak dikenal "
                f"(tersedia: {', '.join(sorted(profile_ids))}; profil baru = berkas <id>.toml di folder profil)."
            )
        if entry.desa_key in seen_desa:
            problems.append(
                f"{entry.label()}: desa ini sudah tercantum di {seen_desa[entry.desa_key].where}."
            )
            continue
        same_name = seen_name.get(column_key(entry.desa))
        if same_name is not None:
            problems.append(
                f"{entry.label()}: nama desa '{entry.desa}' sudah dipakai di Kecamatan {same_name.kecamatan} "
                f"({same_name.where}); aplikasi mengenali register desa dari namanya, jadi tulis nama yang "
                f"membedakan, mis. '{entry.desa} ({entry.kecamatan})'."
            )
            continue
        if key and key in seen_sheet:
            problems.append(
                f"{entry.label()}: spreadsheet yang sama sudah dipakai desa {seen_sheet[key].desa} "
                f"({seen_sheet[key].where}); setiap desa punya spreadsheet sendiri."
            )
            continue
        seen_desa[entry.desa_key] = entry
        seen_name[column_key(entry.desa)] = entry
        if key:
            seen_sheet[key] = entry
        entries.append(entry)
    if not entries and not problems:
        problems.append(f"{source}: belum ada desa (tulis satu [[desa]] atau satu baris CSV per desa).")
    if problems:
        raise PantauError(f"Daftar desa {source} belum benar:", problems=problems)
    return Registry(kabupaten, tuple(entries))


def sharing_problems(registry: Registry, visible: Mapping[str, str], client_email: str = "") -> list[str]:
    """Entries whose spreadsheet the service account cannot see (not shared, or deleted)."""
    who = client_email or "e-mail service account"
    return [
        f"{e.label()}: spreadsheet {e.spreadsheet_id} tidak dibagikan ke {who} (atau sudah dihapus). "
        "Buka spreadsheet itu -> Bagikan -> tambahkan e-mail tersebut sebagai Editor."
        for e in registry.entries
        if e.spreadsheet_id not in visible
    ]
