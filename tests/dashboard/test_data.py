"""dashboard.data: the loaded register merges near-miss desa spellings only when the setting says so."""

from __future__ import annotations

from dashboard.data import _merged_spellings
from dashboard.settings import settings_from
from metrics.columns import TEMPLATE_HEADER, column_key
from metrics.profiles import load_profile
from metrics.register import SheetGrid, normalise_register

KEYS = [column_key(h) for h in TEMPLATE_HEADER]


def _register():
    rows = [
        [{"nomor": f"A/{i}", "desa": desa, "tanggal_diterima": "06/01/2025 09:00"}.get(k, "") for k in KEYS]
        for i, desa in enumerate(["Margamulya"] * 5 + ["Margamulia"] + ["Cibodas"] * 5)
    ]
    return normalise_register([SheetGrid("R", [list(TEMPLATE_HEADER), *rows])], load_profile("umum"))


def test_spellings_stay_apart_by_default_and_merge_with_the_setting():
    register = _register()
    assert _merged_spellings(register, settings_from({}, {})) is register
    merged = _merged_spellings(register, settings_from({"wilayah": {"gabung_ejaan_desa": True}}, {}))
    assert merged.complaints["desa"].value_counts().to_dict() == {"Margamulya": 6, "Cibodas": 5}
    assert (merged.complaints["desa_tertulis"] == "Margamulia").sum() == 1
    assert (register.complaints["desa"] == "Margamulia").sum() == 1  # the loaded input is not modified
