"""Every corpus register (tests/corpus/cases) through the local-file source: loads, every complaint
counted or named in a finding, one save changes exactly one cell (CSV: one line), a replay nothing."""

from __future__ import annotations

import pytest

from tests.corpus.round_trip import round_trip
from tests.metrics.test_quality_corpus import corpus_cases


@pytest.mark.parametrize("path", corpus_cases(), ids=lambda p: p.stem)
def test_corpus_case_loads_counts_and_saves_one_cell(path, tmp_path):
    outcome = round_trip(path, tmp_path)
    assert outcome in ("saved", "nothing to save")
