"""The [survei] settings of the satisfaction survey (``services.survey``), apart from the survey
store: ``services.settings`` folds them in, and every page imports the settings, so this module
must not import the survey store (gspread, openpyxl)."""

from __future__ import annotations

# [survei] settings: (section, key, type, default, help), folded into services.settings.SETTINGS.
DEFAULT_MINIMUM_RESPONSES = 10
SETTINGS: tuple[tuple[str, str, type, object, str], ...] = (
    (
        "survei",
        "minimum_responden",
        int,
        DEFAULT_MINIMUM_RESPONSES,
        "Jumlah penilaian paling sedikit agar IKM penanganan pengaduan dianggap cukup (bawaan 10); "
        "di bawahnya IKM tetap tampil dengan tanda 'belum cukup'.",
    ),
)
