import csv
import io

import pandas as pd

from dashboard.csv_export import spreadsheet_csv


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_indonesian_separators_flags_and_dates():
    frame = pd.DataFrame(
        {
            "Desa": pd.Series(["Cibodas", "Sukamaju"], dtype="string"),
            "Median hari": [6.9, 12.25],
            "Rahasia": [True, False],
            "Diterima": pd.to_datetime(["2026-11-03 09:05", "2026-01-31 14:30"]),
        }
    )
    rows = read_back(spreadsheet_csv(frame))
    assert rows[0] == ["Desa", "Median hari", "Rahasia", "Diterima"]
    assert rows[1] == ["Cibodas", "6,9", "Ya", "03/11/2026 09:05"]
    assert rows[2] == ["Sukamaju", "12,25", "Tidak", "31/01/2026 14:30"]


def test_formula_looking_text_is_defused_and_kept():
    hostile = ['=HYPERLINK("http://x","klik")', "+cmd", "-1+1", "@SUM(A1)", "biasa; dengan titik koma", None]
    frame = pd.DataFrame(
        {"Isi": pd.Series(hostile, dtype="string"), "Lain": pd.Series(hostile, dtype=object)}
    )
    rows = read_back(spreadsheet_csv(frame))
    cells = [row[0] for row in rows[1:]]
    assert cells == ["'" + hostile[0], "'+cmd", "'-1+1", "'@SUM(A1)", "biasa; dengan titik koma", ""]
    assert [row[1] for row in rows[1:]] == cells
