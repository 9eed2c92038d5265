"""Prepare a new Google Sheet for Pantau Aduan: register header, ``Riwayat``, frozen header row,
dropdowns for Saluran, Kategori, Tahap and Urgensi.

Idempotent and never destructive: a sheet that already has the right header is left as it is
(its data untouched), a missing sheet is added, an empty sheet gets the header, and a sheet
whose first filled row is a *different* header makes the whole run stop before any write,
saying which columns differ. Dropdowns are ONE_OF_LIST with ``strict = false``: an odd value
typed by hand is still accepted (and flagged by the data-quality page), never rejected.

Command line (credentials from ``.streamlit/secrets.toml`` ``[gsheets.service_account]`` or
``--credentials key.json``)::

    python -m data_sources.sheet_setup --sop umum --spreadsheet <url|key> \\
        [--layout per_desa_worksheet --desa Sukamaju --desa Mekarsari] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gspread.utils import absolute_range_name

from data_sources.base import SourceError
from data_sources.gsheets import (
    LAYOUTS,
    GoogleSheetsSource,
    GSheetsConfig,
    RetryPolicy,
    _clean_values,
    spreadsheet_key,
)
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from metrics.errors import PantauError
from metrics.profiles import Profile, load_profile, register_header

DEFAULT_WORKSHEET = "Register"
# header text -> the profile vocabulary offered as a dropdown
DROPDOWNS = {"Saluran": "channels", "Kategori": "categories", "Tahap": "stages", "Urgensi": "urgencies"}
_HEADER_ROWS_READ = 30


@dataclass
class SetupReport:
    spreadsheet: str  # title
    key: str
    actions: list[str] = field(default_factory=list)  # what was (or, dry run, would be) done
    unchanged: list[str] = field(default_factory=list)  # what already was right
    applied: bool = False

    @property
    def changes_data(self) -> bool:
        """True when sheets or header cells are (to be) added; dropdown refreshes do not count."""
        return any(not a.startswith("Dropdown") for a in self.actions)


def header_for(profile: Profile, layout: str) -> list[str]:
    """The register header of a profile; per-desa layouts need no ``Desa`` column."""
    header = register_header(profile)
    if layout in ("per_desa_worksheet", "per_desa_spreadsheet"):
        header = [h for h in header if h != "Desa"]
    return header


def _col(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_differences(found: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """Columns where an existing header row differs from the wanted one (extra columns at the end are fine)."""
    found = [str(c).strip() for c in found]
    differences = []
    for index, text in enumerate(wanted):
        have = found[index] if index < len(found) else ""
        if have != text:
            differences.append(f"kolom {_col(index)}: di sheet '{have}', seharusnya '{text}'")
    return differences


def prepare_spreadsheet(
    source: GoogleSheetsSource,
    spreadsheet: str,
    profile: Profile,
    *,
    layout: str = "per_desa_worksheet",
    desa: Sequence[str] = (),
    worksheet: str = "",
    apply: bool = True,
) -> SetupReport:
    """Prepare one spreadsheet (see module docstring); ``apply=False`` only reports the plan.

    Faults are retried by re-running the whole preparation, which is safe because it is idempotent.
    """
    if layout not in LAYOUTS:
        raise SourceError(f"Layout '{layout}' tidak dikenal; pilih salah satu: {', '.join(LAYOUTS)}.")
    key = spreadsheet_key(spreadsheet)
    if layout == "per_desa_worksheet":
        names = [d.strip() for d in desa if d.strip()]
        if not names:
            raise SourceError(
                "Untuk layout per_desa_worksheet sebutkan desanya (--desa Sukamaju --desa Mekarsari, "
                "atau [wilayah] desa di secrets): satu sheet per desa."
            )
    else:
        names = [worksheet.strip() or DEFAULT_WORKSHEET]
    if AUDIT_SHEET in names:
        raise SourceError(f"'{AUDIT_SHEET}' adalah nama sheet riwayat; pakai nama lain untuk sheet register.")
    header = header_for(profile, layout)
    return source._retry(
        lambda: _prepare_once(source, key, profile, names, header, apply), "Menyiapkan Google Sheet"
    )


def _prepare_once(
    source: GoogleSheetsSource, key: str, profile: Profile, names: list[str], header: list[str], apply: bool
) -> SetupReport:
    source._meta.pop(key, None)  # always fresh: another admin may have run it meanwhile
    meta = source._metadata(key)
    report = SetupReport(meta.title, key)
    wanted = {name: header for name in names}
    wanted[AUDIT_SHEET] = list(AUDIT_HEADER)

    existing = [name for name in wanted if name in meta.sheets]
    first_rows: dict[str, list[list[str]]] = {}
    if existing:
        data = source._call(
            key,
            source.http.values_batch_get,
            key,
            [absolute_range_name(name, f"1:{_HEADER_ROWS_READ}") for name in existing],
            params={"valueRenderOption": "FORMATTED_VALUE"},
        )
        for name, value_range in zip(existing, data.get("valueRanges", []), strict=False):
            first_rows[name] = _clean_values(value_range.get("values"))

    problems: list[str] = []
    write_header: list[str] = []
    header_row = {name: 0 for name in wanted}  # 0-based row of the header in each sheet
    for name in existing:
        rows = first_rows.get(name, [])
        filled = [i for i, row in enumerate(rows) if any(str(c).strip() for c in row)]
        if not filled:
            write_header.append(name)
            continue
        # the header may sit below title rows (BUKU REGISTER ...): that is fine
        matching = [i for i in filled if not header_differences(rows[i], wanted[name])]
        if matching:
            header_row[name] = matching[0]
            report.unchanged.append(
                f"Sheet '{name}' sudah berjudul kolom yang benar (baris {matching[0] + 1})."
            )
            continue
        differences = header_differences(rows[filled[0]], wanted[name])
        shown = differences[:6] + ([f"dan {len(differences) - 6} kolom lain"] if len(differences) > 6 else [])
        problems.append(f"Sheet '{name}' baris {filled[0] + 1}: " + "; ".join(shown) + ".")
    if problems:
        raise SourceError(
            f"Spreadsheet '{meta.title}' tidak diubah: ada baris judul yang berbeda dari templat profil "
            f"'{profile.id}'. Perbaiki (atau ganti nama sheet itu) lalu jalankan lagi:",
            problems,
        )

    missing = [name for name in wanted if name not in meta.sheets]
    for name in missing:
        report.actions.append(f"Tambah sheet '{name}' dengan baris judul ({len(wanted[name])} kolom).")
    for name in write_header:
        report.actions.append(f"Tulis baris judul di sheet kosong '{name}' ({len(wanted[name])} kolom).")
    for name in existing:
        if meta.sheets[name].get("gridProperties", {}).get("frozenRowCount", 0) != header_row[name] + 1:
            report.actions.append(f"Bekukan baris judul sheet '{name}'.")
        else:
            report.unchanged.append(f"Baris judul sheet '{name}' sudah dibekukan.")
    for name in names:
        present = [h for h in DROPDOWNS if h in wanted[name]]
        report.actions.append(
            f"Dropdown {', '.join(present)} di sheet '{name}' (nilai lain tetap diterima, ditandai)."
        )
    if not apply:
        return report

    if missing:
        requests_ = [
            {
                "addSheet": {
                    "properties": {
                        "title": name,
                        "gridProperties": {
                            "rowCount": 1000,
                            "columnCount": max(26, len(wanted[name])),
                            "frozenRowCount": 1,
                        },
                    }
                }
            }
            for name in missing
        ]
        source._call(key, source.http.batch_update, key, {"requests": requests_})
        source._meta.pop(key, None)
        meta = source._metadata(key)
    headers_to_write = [*missing, *write_header]
    # An existing sheet may have fewer columns than the header (a new Google Sheet has 26; the
    # umum header has more): widen it first, or Sheets refuses the header write.
    widen = [
        {
            "appendDimension": {
                "sheetId": meta.sheets[name]["sheetId"],
                "dimension": "COLUMNS",
                "length": len(wanted[name]) - columns,
            }
        }
        for name in headers_to_write
        if (columns := int(meta.sheets[name].get("gridProperties", {}).get("columnCount", 26)))
        < len(wanted[name])
    ]
    if widen:
        source._call(key, source.http.batch_update, key, {"requests": widen})
    if headers_to_write:
        body = {
            "valueInputOption": "RAW",
            "data": [
                {"range": absolute_range_name(name, "A1"), "values": [wanted[name]]}
                for name in headers_to_write
            ],
        }
        source._call(key, source.http.values_batch_update, key, body)
    sheet_requests: list[dict[str, Any]] = []
    for name in wanted:
        props = meta.sheets[name]
        frozen = header_row[name] + 1
        if props.get("gridProperties", {}).get("frozenRowCount", 0) != frozen:
            sheet_requests.append(
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": props["sheetId"],
                            "gridProperties": {"frozenRowCount": frozen},
                        },
                        "fields": "gridProperties.frozenRowCount",
                    }
                }
            )
    for name in names:
        sheet_requests.extend(
            _dropdowns(profile, int(meta.sheets[name]["sheetId"]), wanted[name], header_row[name])
        )
    if sheet_requests:
        source._call(key, source.http.batch_update, key, {"requests": sheet_requests})
    source.forget_metadata()
    report.applied = True
    return report


def _dropdowns(
    profile: Profile, sheet_id: int, header: Sequence[str], header_row: int = 0
) -> list[dict[str, Any]]:
    """setDataValidation requests: ONE_OF_LIST of the profile labels, strict=false, below the header."""
    out = []
    for text, vocabulary in DROPDOWNS.items():
        if text not in header:
            continue
        column = list(header).index(text)
        labels = list(dict.fromkeys(term.label for term in getattr(profile, vocabulary)))
        out.append(
            {
                "setDataValidation": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": header_row + 1,
                        "startColumnIndex": column,
                        "endColumnIndex": column + 1,
                    },
                    "rule": {
                        "condition": {
                            "type": "ONE_OF_LIST",
                            "values": [{"userEnteredValue": label} for label in labels],
                        },
                        "strict": False,
                        "showCustomUi": True,
                        "inputMessage": f"Pilih {text.lower()} dari daftar profil SOP '{profile.id}'.",
                    },
                }
            }
        )
    return out


def prepare_configured(
    gsheets: Mapping[str, Any],
    profile: Profile,
    *,
    desa: Sequence[str] = (),
    apply: bool = True,
    source: GoogleSheetsSource | None = None,
) -> list[SetupReport]:
    """Prepare every spreadsheet named in a ``[gsheets]`` section (the app's admin action)."""
    config = GSheetsConfig.from_mapping(gsheets)
    source = source or GoogleSheetsSource(config)
    if config.layout == "per_desa_spreadsheet":
        return [
            prepare_spreadsheet(
                source, ref, profile, layout=config.layout, worksheet=config.worksheet, apply=apply
            )
            for ref in config.spreadsheets.values()
        ]
    names = list(config.worksheets) or list(desa)
    return [
        prepare_spreadsheet(
            source,
            config.spreadsheet,
            profile,
            layout=config.layout,
            desa=names,
            worksheet=config.worksheet,
            apply=apply,
        )
    ]


# ------------------------------------------------------------------------------- command line
def _read_secrets(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open("rb") as stream:
        return tomllib.load(stream)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_sources.sheet_setup",
        description="Siapkan Google Sheet untuk Pantau Aduan (judul kolom, Riwayat, dropdown). Aman diulang.",
    )
    parser.add_argument("--sop", default=None, help="profil SOP (bawaan: [pantau] sop atau 'umum')")
    parser.add_argument(
        "--spreadsheet",
        action="append",
        default=[],
        help="URL atau kunci spreadsheet (boleh diulang; bawaan: [gsheets] di secrets)",
    )
    parser.add_argument("--layout", choices=LAYOUTS, default=None)
    parser.add_argument(
        "--desa", action="append", default=[], help="nama desa = nama sheet (per_desa_worksheet)"
    )
    parser.add_argument(
        "--worksheet", default=None, help="nama sheet register (single_worksheet/per_desa_spreadsheet)"
    )
    parser.add_argument("--credentials", type=Path, default=None, help="berkas kunci JSON service account")
    parser.add_argument("--secrets", type=Path, default=Path(".streamlit/secrets.toml"))
    parser.add_argument("--dry-run", action="store_true", help="hanya tampilkan rencana, tanpa menulis")
    parser.add_argument("--api-base-url", default=None, help=argparse.SUPPRESS)  # tests: the local fake
    args = parser.parse_args(argv)

    try:
        secrets = _read_secrets(args.secrets)
        section = dict(secrets.get("gsheets") or {})
        if args.credentials:
            try:
                section["service_account"] = json.loads(args.credentials.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise SourceError(
                    f"Berkas kunci '{args.credentials}' tidak dapat dibaca sebagai JSON: {error}"
                ) from error
        if args.api_base_url:
            section["api_base_url"] = args.api_base_url
        layout = args.layout or section.get("layout") or "per_desa_worksheet"
        section["layout"] = layout
        if args.worksheet:
            section["worksheet"] = args.worksheet
        refs = args.spreadsheet or (
            list(dict(section.get("spreadsheets") or {}).values())
            if layout == "per_desa_spreadsheet"
            else [section.get("spreadsheet")]
            if section.get("spreadsheet")
            else []
        )
        if not refs:
            raise SourceError(
                "Sebutkan spreadsheet-nya: --spreadsheet <URL atau kunci> (atau [gsheets] spreadsheet di secrets)."
            )
        section.setdefault("spreadsheet", refs[0])
        if layout == "per_desa_spreadsheet":
            section.setdefault("spreadsheets", {f"#{i}": ref for i, ref in enumerate(refs)})
        config = GSheetsConfig.from_mapping(section)
        profile = load_profile(args.sop or (secrets.get("pantau") or {}).get("sop") or "umum")
        desa = args.desa or list(config.worksheets) or list((secrets.get("wilayah") or {}).get("desa") or [])
        source = GoogleSheetsSource(config, policy=RetryPolicy(timeout=config.timeout_seconds))
        for ref in refs:
            report = prepare_spreadsheet(
                source,
                ref,
                profile,
                layout=layout,
                desa=desa,
                worksheet=config.worksheet,
                apply=not args.dry_run,
            )
            verb = "Rencana" if args.dry_run else "Dikerjakan"
            print(f"Spreadsheet '{report.spreadsheet}' ({report.key}):")
            for line in report.actions:
                print(f"  {verb}: {line}")
            for line in report.unchanged:
                print(f"  Sudah benar: {line}")
    except PantauError as error:
        print(f"GAGAL: {error.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
