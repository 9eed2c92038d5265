"""dashboard.filters: which desas the filters offer, and the setting that merges spellings."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import offered_desa
from dashboard.settings import settings_from


def test_a_near_miss_spelling_is_not_offered_as_a_separate_desa():
    desa = pd.Series(["Margamulya"] * 40 + ["Margamulia"] * 2 + ["Cibodas"] * 30, dtype="string")
    assert offered_desa(desa) == ["Cibodas", "Margamulya"]
    assert offered_desa(desa, ("Margamulya", "Cibodas")) == ["Cibodas", "Margamulya"]


def test_merging_spellings_into_figures_is_off_unless_the_setting_says_so():
    assert not settings_from({}, {}).merge_desa_spellings
    assert settings_from({"wilayah": {"gabung_ejaan_desa": True}}, {}).merge_desa_spellings
    # declared once: a wrong type is named and the default (off) is used
    wrong = settings_from({"wilayah": {"gabung_ejaan_desa": "ya"}}, {})
    assert not wrong.merge_desa_spellings
    assert any("gabung_ejaan_desa" in problem for problem in wrong.problems)
