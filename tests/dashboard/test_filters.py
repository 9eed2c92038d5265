"""dashboard.filters: which desas the filters offer, and the setting that merges spellings."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import merge_desa_spellings, offered_desa
from dashboard.settings import settings_from


def test_a_near_miss_spelling_is_not_offered_as_a_separate_desa():
    desa = pd.Series(["Margamulya"] * 40 + ["Margamulia"] * 2 + ["Cibodas"] * 30, dtype="string")
    assert offered_desa(desa) == ["Cibodas", "Margamulya"]
    assert offered_desa(desa, ("Margamulya", "Cibodas")) == ["Cibodas", "Margamulya"]


def test_merging_spellings_into_figures_is_off_unless_the_setting_says_so():
    assert not merge_desa_spellings(settings_from({}, {}))
    assert merge_desa_spellings(settings_from({"wilayah": {"gabung_ejaan_desa": True}}, {}))
