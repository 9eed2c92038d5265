"""CSV downloads that open correctly in a spreadsheet on an Indonesian desk.

Indonesian-locale Excel reads ``;`` as the list separator and ``,`` as the decimal mark, so a
plain ``6.9`` would turn into a date or text there; Google Sheets detects ``;`` on import. Text
that starts like a formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe so no spreadsheet
ever runs it (register cells come from many hands). Yes/no columns read ``Ya``/``Tidak``; dates
are day-first.
"""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t

FORMULA_START = r"^[=+\-@]"


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV (with BOM, so Excel detects the encoding), ``;``-separated,
    decimal comma, day-first dates, ``Ya``/``Tidak`` flags and formula-looking text defused."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == bool:
            out[column] = values.map({True: t("Ya", "Yes"), False: t("Tidak", "No")})
        elif values.dtype == "string" or values.dtype == object:
            text = values.astype("string")
            out[column] = text.where(~text.str.match(FORMULA_START, na=False), "'" + text)
    return out.to_csv(index=False, sep=";", decimal=",", date_format="%d/%m/%Y %H:%M").encode("utf-8-sig")
