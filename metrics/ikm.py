"""The complaint-handling satisfaction index (IKM) from the survey after settlement.

Permenpan RB No. 14 Tahun 2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat): each element
(unsur) is scored 1–4; the element's *nilai rata-rata* (NRR) is the sum of its scores over the
number of answers; the index is the weighted NRR of the elements × 25 (the conversion to the
25–100 scale). This survey asks one element — U9 *Penanganan pengaduan, saran dan masukan* — so
IKM = NRR(U9) × 25. The service quality grade (mutu pelayanan) by the converted value:

* A *Sangat Baik* 88,31 – 100,00 (NRR 3,5324 – 4,00)
* B *Baik*        76,61 – 88,30  (NRR 3,0644 – 3,532)
* C *Kurang Baik* 65,00 – 76,60  (NRR 2,60 – 3,064)
* D *Tidak Baik*  25,00 – 64,99  (NRR 1,00 – 2,5996)

The grade is read off the IKM rounded to two decimals, as the table is written.

A figure from a handful of answers says little: under ``minimum`` responses a summary is marked
not enough (``enough=False``, shown as "belum cukup") — the IKM is still computed and shown
beside that mark so nothing is hidden.

Pure pandas: no I/O, inputs never modified. The survey frame (``survey_frame``) has one row per
Nomor: ``nomor``, ``nilai`` (1–4), ``komentar``, ``waktu`` (Timestamp or NaT), ``id_kiriman``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.cells import parse_dates
from metrics.lookup import normalise_nomor

__all__ = [
    "ELEMENT",
    "GRADES",
    "SCALE",
    "SURVEY_HEADER",
    "IkmSummary",
    "grade_for",
    "ikm_by_group",
    "ikm_summary",
    "joined_survey",
    "summarise",
    "summary_text",
    "survey_frame",
]

# The element this survey asks (Permenpan RB 14/2017, unsur U9).
ELEMENT = ("U9", "Penanganan pengaduan, saran dan masukan")
# Perception scale 1–4 and its labels.
SCALE: dict[int, str] = {1: "Tidak baik", 2: "Kurang baik", 3: "Baik", 4: "Sangat baik"}
# (lowest IKM of the grade, grade, mutu pelayanan), best first.
GRADES: tuple[tuple[float, str, str], ...] = (
    (88.31, "A", "Sangat Baik"),
    (76.61, "B", "Baik"),
    (65.00, "C", "Kurang Baik"),
    (25.00, "D", "Tidak Baik"),
)
# Columns of the Survei sheet, in order (the storage writes them; survey_frame reads them).
SURVEY_HEADER: tuple[str, ...] = ("Nomor", "Desa", "Nilai", "Komentar", "Waktu", "ID Kiriman")
_FRAME_COLUMNS = ("nomor", "desa", "nilai", "komentar", "waktu", "id_kiriman")
GROUP_COLUMNS = ("responden", "nrr", "ikm", "mutu", "mutu_label", "cukup")


@dataclass(frozen=True)
class IkmSummary:
    responses: int
    nrr: float | None  # mean score 1–4 (None without answers)
    ikm: float | None  # nrr × 25, 25–100
    grade: str | None  # A–D
    grade_label: str | None  # Sangat Baik … Tidak Baik
    minimum: int
    enough: bool  # responses >= minimum

    @property
    def has_data(self) -> bool:
        return self.responses > 0


def grade_for(ikm: float) -> tuple[str, str]:
    """``(grade, label)`` of a converted IKM value (25–100)."""
    value = round(float(ikm), 2)
    for lowest, grade, label in GRADES:
        if value >= lowest:
            return grade, label
    return GRADES[-1][1], GRADES[-1][2]


def _score(text: object) -> int | None:
    cleaned = str(text if text is not None else "").strip()
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    return int(cleaned) if cleaned in ("1", "2", "3", "4") else None


def survey_frame(values: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """The Survei sheet's cells (header first) as one row per Nomor: the first row of a Nomor
    counts (a later row for the same Nomor is a copy that lost a race); rows without a Nomor or
    with a score that is not 1–4 are left out (they are no answer)."""
    rows = [list(r) for r in values]
    if not rows:
        return _empty()
    header = [str(c).strip().lower() for c in rows[0]]
    where = {
        name: header.index(title.lower())
        for name, title in zip(_FRAME_COLUMNS, SURVEY_HEADER, strict=True)
        if title.lower() in header
    }
    if "nomor" not in where or "nilai" not in where:
        return _empty()

    def cell(row: list[Any], name: str) -> str:
        position = where.get(name)
        return "" if position is None or position >= len(row) else str(row[position])

    out, seen = [], set()
    for row in rows[1:]:
        nomor = cell(row, "nomor").strip()
        key = normalise_nomor(nomor)
        score = _score(cell(row, "nilai"))
        if not key or score is None or key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "nomor": nomor,
                "desa": cell(row, "desa").strip(),
                "nilai": score,
                "komentar": cell(row, "komentar"),
                "waktu": cell(row, "waktu").strip(),
                "id_kiriman": cell(row, "id_kiriman").strip(),
            }
        )
    if not out:
        return _empty()
    frame = pd.DataFrame(out, columns=list(_FRAME_COLUMNS)).astype({"nilai": "int64"})
    # the register's date reader: the app writes ISO, a person may type 30/11/2026 17.02 (day first)
    frame["waktu"] = parse_dates(frame["waktu"])[0]
    return frame


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in _FRAME_COLUMNS})
    return frame.astype({"nilai": "int64", "waktu": "datetime64[ns]"})


def joined_survey(survey: pd.DataFrame, complaints: pd.DataFrame) -> pd.DataFrame:
    """Survey answers of complaints that are in the register, with the complaint's ``desa`` (and
    ``kecamatan`` when the register has it) and ``bulan`` (the month of the rating). Answers for a
    Nomor no longer in the register (deleted, voided) do not count."""
    columns = ["nomor", "nilai", "komentar", "waktu", "bulan", "desa", "kecamatan"]
    if survey.empty or complaints.empty or "nomor" not in complaints:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).astype({"nilai": "int64"})
    keys = complaints["nomor"].map(normalise_nomor)
    first = ~keys.duplicated()
    places = pd.DataFrame(
        {
            "_key": keys[first].to_numpy(),
            "desa": complaints.loc[first, "desa"].astype("string").to_numpy()
            if "desa" in complaints
            else pd.NA,
            "kecamatan": complaints.loc[first, "kecamatan"].astype("string").to_numpy()
            if "kecamatan" in complaints
            else pd.NA,
        }
    )
    answers = survey[["nomor", "nilai", "komentar", "waktu"]].assign(
        _key=survey["nomor"].map(normalise_nomor)
    )
    out = answers.merge(places, on="_key", how="inner").drop(columns="_key")
    waktu = pd.to_datetime(out["waktu"], errors="coerce")
    out["bulan"] = waktu.dt.to_period("M")
    return out[columns].reset_index(drop=True)


def _in_month(joined: pd.DataFrame, month: object | None, months: int = 1) -> pd.DataFrame:
    """Rows rated in ``month`` (or the ``months`` months ending with it)."""
    if month is None or joined.empty:
        return joined
    last = pd.Period(str(month), freq="M")
    first = last - (max(1, months) - 1)
    rated = joined["bulan"]
    inside = rated.map(lambda p: not pd.isna(p) and first <= p <= last).astype(bool)
    return joined[inside]


def summarise(scores: pd.Series, minimum: int) -> IkmSummary:
    """The summary of a series of scores 1–4."""
    valid = pd.to_numeric(scores, errors="coerce")
    valid = valid[valid.between(1, 4)]
    n = int(valid.size)
    if n == 0:
        return IkmSummary(0, None, None, None, None, minimum, False)
    nrr = float(valid.mean())
    ikm = nrr * 25
    grade, label = grade_for(ikm)
    return IkmSummary(n, nrr, ikm, grade, label, minimum, n >= minimum)


def ikm_summary(
    joined: pd.DataFrame, minimum: int, month: object | None = None, months: int = 1
) -> IkmSummary:
    """Overall summary of ``joined_survey`` rows (rated in ``month``, or in the ``months`` months
    ending with it, when ``month`` is given)."""
    return summarise(_in_month(joined, month, months)["nilai"], minimum)


def summary_text(summary: IkmSummary) -> str:
    """``"81,25 (mutu B, Baik) dari 12 penilaian"`` in Indonesian figures; "belum cukup" below the
    minimum; ``"belum ada penilaian"`` without answers (reports)."""
    if summary.ikm is None:
        return "belum ada penilaian"
    value = f"{summary.ikm:.2f}".replace(".", ",")
    text = f"{value} (mutu {summary.grade}, {summary.grade_label}) dari {summary.responses} penilaian"
    return text if summary.enough else f"{text} — belum cukup (minimal {summary.minimum})"


def ikm_by_group(
    joined: pd.DataFrame,
    group: str,
    minimum: int,
    month: object | None = None,
    groups: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per ``group`` value (``desa`` or ``kecamatan``): ``responden``, ``nrr``, ``ikm``,
    ``mutu``, ``mutu_label``, ``cukup``. ``groups`` lists values to show even without answers."""
    rows = _in_month(joined, month)
    found: dict[str, IkmSummary] = {}
    if not rows.empty and group in rows:
        for name, part in rows.groupby(rows[group].astype("string").fillna(""), sort=True):
            found[str(name)] = summarise(part["nilai"], minimum)
    for name in groups:
        found.setdefault(str(name), summarise(pd.Series(dtype="float64"), minimum))
    records = [
        {
            group: name,
            "responden": s.responses,
            "nrr": math.nan if s.nrr is None else s.nrr,
            "ikm": math.nan if s.ikm is None else s.ikm,
            "mutu": s.grade or "",
            "mutu_label": s.grade_label or "",
            "cukup": s.enough,
        }
        for name, s in sorted(found.items())
    ]
    return pd.DataFrame(records, columns=[group, *GROUP_COLUMNS]).astype(
        {"responden": "int64", "nrr": "float64", "ikm": "float64", "cukup": "bool"}
    )
