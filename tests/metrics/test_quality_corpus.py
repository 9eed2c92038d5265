"""Every messy-register case of ``tests/corpus/cases`` gives exactly its expected findings.

A case is a register file (read by the real local-file source) plus ``<name>.expected.toml``
listing each finding as ``kode``, ``baris`` (sheet row), ``kolom`` (header as written) and,
for workbooks of several sheets, ``sheet``. Findings are compared as a multiset.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from data_sources.demo import DEMO_DESAS
from data_sources.local_file import LocalFileSource
from metrics.profiles import load_profile
from metrics.quality import QUALITY_CHECKS, QUALITY_COLUMNS, quality_findings
from metrics.register import normalise_register

CASES_DIR = Path(__file__).resolve().parent.parent / "corpus" / "cases"
DESA_NAMES = [d.name for d in DEMO_DESAS]


def corpus_cases() -> list[Path]:
    return sorted(p for p in CASES_DIR.iterdir() if p.suffix in (".csv", ".xlsx"))


def load_case(path: Path):
    """(register, profile, now, expected) of one corpus case."""
    spec = tomllib.loads(path.with_name(path.stem + ".expected.toml").read_text(encoding="utf-8"))
    profile = load_profile(spec.get("profile", "umum"))
    sheets = LocalFileSource(path).read()
    register = normalise_register(sheets, profile, desa_names=DESA_NAMES)
    only_sheet = sheets[0].name if len(sheets) == 1 else None
    expected = Counter(
        (f["kode"], f.get("sheet", only_sheet), f.get("baris"), f["kolom"]) for f in spec.get("finding", [])
    )
    return register, profile, pd.Timestamp(spec["now"]), expected


def test_corpus_is_big_enough_and_every_case_has_its_sidecar():
    cases = corpus_cases()
    assert len(cases) >= 40
    for path in cases:
        assert path.with_name(path.stem + ".expected.toml").exists(), path.name


@pytest.mark.parametrize("path", corpus_cases(), ids=lambda p: p.stem)
def test_case_gives_exactly_its_expected_findings(path):
    register, profile, now, expected = load_case(path)
    findings = quality_findings(register, profile, now, DESA_NAMES)
    assert list(findings.columns) == list(QUALITY_COLUMNS)
    got = Counter(
        (r.kode, r.sheet, None if pd.isna(r.baris) else int(r.baris), r.kolom) for r in findings.itertuples()
    )
    assert got == expected, findings[["kode", "sheet", "baris", "kolom", "nilai", "pesan"]].to_string()
    assert set(findings["kode"]) <= set(QUALITY_CHECKS)
    for row in findings.itertuples():
        assert row.tingkat == QUALITY_CHECKS[row.kode].tingkat
        assert row.pesan.strip(), row
