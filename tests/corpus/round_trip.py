"""One corpus case through what the app does with a register: load it with the local-file source,
normalise it, run every quality check, and save one change. Used by
``tests/data_sources/test_local_file_corpus.py`` and ``bench/bench_local_file.py``.

``round_trip(case, workdir)`` raises AssertionError naming what went wrong, else returns a short
word: ``"saved"`` or ``"nothing to save"`` (no complaint with a unique Nomor).
"""

from __future__ import annotations

import shutil
import tomllib
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd

from data_sources.demo import DEMO_DESAS
from data_sources.local_file import LocalFileSource, read_csv_file
from metrics.complaint_updates import nomor_key
from metrics.profiles import load_profile
from metrics.quality import quality_findings
from metrics.register import normalise_register

DESA_NAMES = [d.name for d in DEMO_DESAS]
NEW_VALUE = "Diverifikasi (uji korpus)"


def _grids(source: LocalFileSource) -> dict[str, list[list[str]]]:
    return {g.name: [list(r) for r in g.values] for g in source.read()}


def round_trip(case: Path, workdir: Path) -> str:
    spec = tomllib.loads(case.with_name(case.stem + ".expected.toml").read_text(encoding="utf-8"))
    profile = load_profile(spec.get("profile", "umum"))
    path = workdir / case.name
    shutil.copyfile(case, path)
    source = LocalFileSource(path)
    sheets = source.read()
    register = normalise_register(sheets, profile, desa_names=DESA_NAMES)
    findings = quality_findings(register, profile, pd.Timestamp(spec["now"]), DESA_NAMES)

    # every complaint in = every complaint counted or named in a finding
    for grid in sheets:
        named_sheet = bool((findings["sheet"] == grid.name).any())
        named_rows = set(findings.loc[findings["sheet"] == grid.name, "baris"].dropna().astype(int))
        header_row = register.header_rows.get(grid.name)
        filled = [n for n, row in enumerate(grid.values, start=1) if any(str(c).strip() for c in row)]
        if header_row is None:
            assert grid.hidden or not filled or named_sheet, f"{grid.name}: data without header, no finding"
            continue
        counted = set(register.complaints.loc[register.complaints["_sheet"] == grid.name, "_row"].astype(int))
        lost = [n for n in filled if n > header_row and n not in counted and n not in named_rows]
        assert not lost, f"{grid.name}: rows {lost} neither counted nor named in a finding"

    # one save: the Tahap of a complaint with a unique Nomor
    complaints = register.complaints
    keys = Counter(complaints["nomor"].map(nomor_key))
    candidates = complaints[complaints["nomor"].map(lambda n: bool(nomor_key(n)) and keys[nomor_key(n)] == 1)]
    if candidates.empty:
        return "nothing to save"
    row = candidates.iloc[0]
    sheet, number = str(row["_sheet"]), int(row["_row"])
    headers = register.headers[sheet]
    grid = next(g for g in sheets if g.name == sheet)
    header_cells = [str(c).strip() for c in grid.values[register.header_rows[sheet] - 1]]
    nomor_header = headers["nomor"]
    tahap_header = headers.get("tahap") or "Tahap"
    raw_row = list(grid.values[number - 1])
    position = header_cells.index(tahap_header) if tahap_header in header_cells else None
    loaded = raw_row[position] if position is not None and position < len(raw_row) else ""
    nomor = raw_row[header_cells.index(nomor_header)]
    before_grids = _grids(source)
    before_bytes = path.read_bytes()
    result = source.update_row(
        sheet,
        nomor_header,
        nomor,
        {tahap_header: (loaded, NEW_VALUE)},
        [["2025-06-30T12:00:00", nomor, tahap_header, loaded, NEW_VALUE, "uji", "petugas"]],
        submission_id=f"korpus-{case.stem}",
    )
    assert result.row == number, (result.row, number)
    after_grids = _grids(source)
    changed = [
        (name, r, c)
        for name, rows in after_grids.items()
        for r in range(max(len(rows), len(before_grids.get(name, []))))
        for c in range(
            max(
                len(rows[r]) if r < len(rows) else 0,
                len(before_grids.get(name, [])[r]) if r < len(before_grids.get(name, [])) else 0,
            )
        )
        if _cell(before_grids.get(name, []), r, c) != _cell(rows, r, c)
    ]
    column = header_cells.index(tahap_header) if tahap_header in header_cells else len(header_cells)
    expected = [(sheet, number - 1, column)]
    if tahap_header not in header_cells:
        expected.insert(0, (sheet, register.header_rows[sheet] - 1, column))
    assert changed == expected, f"cells changed: {changed}, expected {expected}"
    if path.suffix == ".csv":
        old, new = _csv_records(before_bytes, path, workdir), read_csv_file(path).raws
        differing = [i for i in range(max(len(old), len(new))) if _at(old, i) != _at(new, i)]
        assert set(differing) <= {number - 1, register.header_rows[sheet] - 1}, differing
    else:
        with zipfile.ZipFile(path) as archive:
            after_parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
        with zipfile.ZipFile(case) as archive:
            before_parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
        untouched = {n for n in before_parts if before_parts[n] == after_parts.get(n)}
        allowed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
        assert set(before_parts) - untouched - allowed <= {n for n in before_parts if "worksheets/" in n}
    replay = source.update_row(
        sheet,
        nomor_header,
        nomor,
        {tahap_header: (loaded, NEW_VALUE)},
        [["2025-06-30T12:00:00", nomor, tahap_header, loaded, NEW_VALUE, "uji", "petugas"]],
        submission_id=f"korpus-{case.stem}",
    )
    assert replay.replayed and _grids(source) == after_grids
    return "saved"


def _cell(rows: list[list[str]], r: int, c: int) -> str:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""


def _at(items: list[str], index: int) -> str | None:
    return items[index] if index < len(items) else None


def _csv_records(data: bytes, path: Path, workdir: Path) -> list[str]:
    copy = workdir / ("before-" + path.name)
    copy.write_bytes(data)
    return read_csv_file(copy).raws
