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
    return parse_registry(rows, str(data.get("kabupaten", "")), profile_ids, path.name)


def _csv_rows(raw: bytes, name: str) -> list[dict[str, Any]]:
    text = raw.decode("utf-8-sig", errors="replace")
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
