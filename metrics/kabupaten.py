"""Comparing kecamatan and their desas across a kabupaten, each desa on its own SOP.

Pure pandas: no streamlit, no I/O, inputs never modified.

Desas of one kabupaten follow different SOP profiles (different stages, columns and standards).
Cross-desa and cross-kecamatan figures therefore use only what every profile has:

* the milestones ``diterima`` (received), ``jawaban`` (answered) and ``selesai`` (settled) —
  days to answer / to settle are calendar days between those dates, whatever the columns are
  called in the desa's register;
* whether the complaint met its deadlines, judged by the desa's OWN profile (its overall
  deadlines and stage standards on its office calendar): ``tepat`` (settled on time),
  ``terlambat_terbuka`` (open and already late). The on-time rate is settled on time / (settled
  + open and late), as everywhere in the app (DESIGN §3).

:func:`milestone_frame` turns one profile's complaints and flags into these common columns;
frames of several profiles are concatenated and compared with :func:`kecamatan_comparison`
(one row per kecamatan) and :func:`desa_drilldown` (the desas of one kecamatan).

The complaint-handling IKM per kecamatan and per desa is ``metrics.ikm`` on
:func:`survey_answers`: each desa's survey answers joined to that desa's own complaints received
in the period (a Nomor of another desa never counts), the same rule as Perbandingan Desa.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.ikm import ikm_by_group, joined_survey, survey_frame
from metrics.lookup import normalise_nomor
from metrics.monthly import days_between, milestone_key, month_bounds

if TYPE_CHECKING:
    from metrics.profiles import Profile

__all__ = [
    "COMMON_MILESTONES",
    "FRAME_COLUMNS",
    "desa_drilldown",
    "desa_ikm",
    "kecamatan_ikm",
    "survey_answers",
    "answers_in_period",
    "kecamatan_comparison",
    "kabupaten_month",
    "kabupaten_month_ikm",
    "milestone_frame",
    "as_of",
]

COMMON_MILESTONES = ("diterima", "jawaban", "selesai")
FRAME_COLUMNS = (
    "kecamatan",
    "desa",
    "profil",
    "nomor",
    "diterima",
    "hari_jawaban",
    "hari_selesai",
    "selesai",
    "tepat",
    "terlambat_terbuka",
    "jatuh_tempo",
)
COMPARISON_COLUMNS = (
    "desa_count",
    "pengaduan",
    "selesai",
    "median_jawaban",
    "p90_jawaban",
    "median_selesai",
    "p90_selesai",
    "tepat_waktu",
    "terlambat_terbuka",
)


def milestone_frame(
    complaints: pd.DataFrame,
    flags: pd.DataFrame,
    profile: Profile,
    places: Mapping[str, tuple[str, str]],
) -> pd.DataFrame:
    """The common columns (``FRAME_COLUMNS``) of complaints normalised with ``profile``.

    ``places`` maps a complaint's ``_sheet`` (the grid name the store gave the desa) to
    ``(kecamatan, desa)``; complaints of other sheets are left out.
    """
    sheet = complaints["_sheet"].astype("string")
    kecamatan = sheet.map({k: v[0] for k, v in places.items()})
    desa = sheet.map({k: v[1] for k, v in places.items()})
    received = complaints[milestone_key(profile, "diterima") or "tanggal_diterima"]
    out = pd.DataFrame(
        {
            "kecamatan": kecamatan.astype("string"),
            "desa": desa.astype("string"),
            "profil": pd.Series(profile.id, index=complaints.index, dtype="string"),
            "nomor": complaints["nomor"].astype("string") if "nomor" in complaints else pd.NA,
            "diterima": received,
            "hari_jawaban": _days(complaints, profile, received, "jawaban"),
            "hari_selesai": _days(complaints, profile, received, "selesai"),
            "selesai": flags["selesai"].astype(bool),
            "tepat": flags["selesai_tepat_waktu"].astype(bool),
            "terlambat_terbuka": flags["terlambat_terbuka"].astype(bool),
            "jatuh_tempo": flags["jatuh_tempo_berikut"],
        },
        index=complaints.index,
    )
    return out[out["kecamatan"].notna()].reset_index(drop=True)


def as_of(frame: pd.DataFrame, now: object) -> pd.DataFrame:
    """The frame judged at a later ``now`` than it was built: an open complaint becomes overdue once
    the earliest due time of its open stages and deadlines (``jatuh_tempo``) has passed. Due times
    do not move with the clock, so this equals building the frame again at ``now`` — at the cost of
    one comparison instead of the SLA engine."""
    due = frame["jatuh_tempo"]
    newly = ~frame["selesai"] & due.notna() & (due < pd.Timestamp(now))
    return frame.assign(terlambat_terbuka=frame["terlambat_terbuka"] | newly)


def _days(complaints: pd.DataFrame, profile: Profile, received: pd.Series, milestone: str) -> pd.Series:
    key = milestone_key(profile, milestone)
    if key is None or key not in complaints:
        return pd.Series(np.nan, index=complaints.index)
    return days_between(received, complaints[key])


def _period(frame: pd.DataFrame, start: object | None, end: object | None) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= frame["diterima"] >= pd.Timestamp(start)
    if end is not None:
        mask &= frame["diterima"] < pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
    return frame[mask.fillna(False).astype(bool)]


def _aggregate(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "desa_count": grouped["desa"].nunique(),
            "pengaduan": grouped.size(),
            "selesai": grouped["selesai"].sum(),
            "median_jawaban": grouped["hari_jawaban"].median(),
            "p90_jawaban": grouped["hari_jawaban"].quantile(0.9),
            "median_selesai": grouped["hari_selesai"].median(),
            "p90_selesai": grouped["hari_selesai"].quantile(0.9),
            "tepat": grouped["tepat"].sum(),
            "terlambat_terbuka": grouped["terlambat_terbuka"].sum(),
        }
    )
    for column in ("desa_count", "pengaduan", "selesai", "tepat", "terlambat_terbuka"):
        out[column] = out[column].astype("int64")
    denominator = out["selesai"] + out["terlambat_terbuka"]
    out["tepat_waktu"] = (out["tepat"] / denominator.where(denominator > 0)).astype("float64")
    return out.drop(columns="tepat").reset_index()


def kecamatan_comparison(
    frame: pd.DataFrame,
    start: object | None = None,
    end: object | None = None,
    *,
    kecamatan: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One row per kecamatan: complaints received in ``[start, end]`` (end a whole day), median and
    p90 days to answer and to settle, on-time rate and open overdue; slowest (median days to
    settle) first. ``kecamatan`` lists every kecamatan so one without complaints still shows."""
    out = _aggregate(_period(frame, start, end), ["kecamatan"])
    if kecamatan:
        missing = sorted(set(kecamatan) - set(out["kecamatan"].astype(str)))
        if missing:
            empty = pd.DataFrame({"kecamatan": missing})
            out = pd.concat([out, empty], ignore_index=True)
            for column in ("desa_count", "pengaduan", "selesai", "terlambat_terbuka"):
                out[column] = out[column].fillna(0).astype("int64")
    out["kecamatan"] = out["kecamatan"].astype("string")
    out = out.sort_values(
        ["median_selesai", "kecamatan"], ascending=[False, True], na_position="last", kind="stable"
    )
    return out[["kecamatan", *COMPARISON_COLUMNS]].reset_index(drop=True)


def desa_drilldown(
    frame: pd.DataFrame, kecamatan: str, start: object | None = None, end: object | None = None
) -> pd.DataFrame:
    """The desas of one kecamatan, same figures plus each desa's profile; slowest first."""
    rows = _period(frame[frame["kecamatan"] == kecamatan], start, end)
    out = _aggregate(rows, ["desa", "profil"])
    out["desa"] = out["desa"].astype("string")
    out = out.sort_values(
        ["median_selesai", "desa"], ascending=[False, True], na_position="last", kind="stable"
    )
    return out[["desa", "profil", *COMPARISON_COLUMNS[1:]]].reset_index(drop=True)


def overdue_of_desa(frame: pd.DataFrame, kecamatan: str, desa: str) -> pd.DataFrame:
    """One desa's open overdue complaints (Nomor, received, days open so far), oldest first."""
    rows = frame[(frame["kecamatan"] == kecamatan) & (frame["desa"] == desa) & frame["terlambat_terbuka"]]
    return rows[["nomor", "diterima", "profil"]].sort_values("diterima", kind="stable").reset_index(drop=True)


TOTAL_ROW = "Jumlah kabupaten"


def kabupaten_month(
    frame: pd.DataFrame, month: object, now: object, *, kecamatan: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """The kabupaten monthly report's figures: complaints received in ``month`` up to its
    cut-off (``metrics.monthly.month_bounds``: the month's end, or ``now`` for the running month),
    per kecamatan (:func:`kecamatan_comparison`, slowest first) with a last row ``TOTAL_ROW``
    for the whole kabupaten, per desa (kecamatan, desa, profile, same figures), and the cut-off.
    Open and overdue are judged at the frame's ``now`` (``as_of``)."""
    start, _end, cutoff = month_bounds(pd.Period(month, freq="M"), pd.Timestamp(now))
    received = frame["diterima"]
    rows = frame[((received >= start) & (received < cutoff)).fillna(False).astype(bool)]
    table = kecamatan_comparison(rows, kecamatan=kecamatan)
    total = _aggregate(rows.assign(_all=TOTAL_ROW), ["_all"]).rename(columns={"_all": "kecamatan"})
    if total.empty:
        total = pd.DataFrame({"kecamatan": [TOTAL_ROW], "desa_count": [0], "pengaduan": [0]})
    table = pd.concat(
        [table, total[["kecamatan", *[c for c in COMPARISON_COLUMNS if c in total]]]], ignore_index=True
    )
    for column in ("desa_count", "pengaduan", "selesai", "terlambat_terbuka"):
        table[column] = table[column].fillna(0).astype("int64")
    desas = _aggregate(rows, ["kecamatan", "desa", "profil"])
    desas = desas.astype({"kecamatan": "string", "desa": "string", "profil": "string"}).sort_values(
        ["kecamatan", "desa"], kind="stable"
    )
    return (
        table,
        desas[["kecamatan", "desa", "profil", *COMPARISON_COLUMNS[1:]]].reset_index(drop=True),
        cutoff,
    )


def survey_answers(
    frame: pd.DataFrame,
    surveys: Mapping[tuple[str, str], pd.DataFrame],
    start: object | None = None,
    end: object | None = None,
) -> pd.DataFrame:
    """``metrics.ikm.joined_survey`` rows of the whole kabupaten, plus ``diterima`` (the complaint's
    receipt): each desa's answers (``surveys``: (kecamatan, desa) -> ``metrics.ikm.survey_frame`` of
    its Survei sheet) joined to that desa's OWN complaints received in ``[start, end]`` (end a whole
    day) — the period rule of :func:`kecamatan_comparison` and of Perbandingan Desa; answers of a
    Nomor not in the period (or not in the desa's register) do not count. One join for all desas
    (the Nomor prefixed with the desa's place number), so the app can join once per store state
    and narrow to a period with :func:`answers_in_period` on each render."""
    rows = _period(frame, start, end)
    places = sorted(surveys)
    parts = [surveys[p] for p in places if not surveys[p].empty]
    if not parts or rows.empty:
        return _no_answers(frame)
    number = {place: i for i, place in enumerate(places)}
    spots = pd.DataFrame(
        {
            "kecamatan": [p[0] for p in places],
            "desa": [p[1] for p in places],
            "_place": range(len(places)),
        }
    ).astype({"kecamatan": "string", "desa": "string"})
    # only complaints whose Nomor may have an answer (a loose key, vectorised: equal Nomor under
    # metrics.lookup.normalise_nomor have equal loose keys) go through the exact, per-row join
    wanted = set(_loose(pd.concat([part["nomor"] for part in parts], ignore_index=True)))
    rows = rows[_loose(rows["nomor"]).isin(wanted).to_numpy(dtype=bool)]
    complaints = rows[["kecamatan", "desa", "nomor", "diterima"]].astype(
        {"kecamatan": "string", "desa": "string"}
    )
    complaints = complaints.merge(spots, on=["kecamatan", "desa"], how="inner")
    if complaints.empty:
        return _no_answers(frame)
    complaints["nomor"] = (
        complaints["_place"].astype(str) + "#" + complaints["nomor"].astype("string").fillna("")
    )
    answers = pd.concat([surveys[p] for p in places], ignore_index=True)
    owner = np.repeat([number[p] for p in places], [len(surveys[p]) for p in places]).astype(str)
    answers["nomor"] = (owner.astype(object) + "#") + answers["nomor"].astype(str).to_numpy(dtype=object)
    joined = joined_survey(answers, complaints)
    keys = complaints["nomor"].map(normalise_nomor)
    first = ~keys.duplicated()  # joined_survey's rule: a Nomor's first complaint
    received = pd.Series(complaints.loc[first, "diterima"].to_numpy(), index=keys[first].to_numpy())
    joined["diterima"] = joined["nomor"].map(normalise_nomor).map(received).to_numpy()
    joined["nomor"] = joined["nomor"].str.split("#", n=1).str[1]
    return joined


def _loose(nomor: pd.Series) -> pd.Series:
    """Upper-case letters and digits of each Nomor (missing: ""): a coarser key than
    ``normalise_nomor`` (which only drops spaces and case), used to skip complaints cheaply."""
    text = nomor.astype("string").fillna("").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    return text.astype(object)


def _no_answers(frame: pd.DataFrame) -> pd.DataFrame:
    out = joined_survey(survey_frame([]), frame.iloc[0:0])
    out["diterima"] = pd.Series(dtype="datetime64[ns]")
    return out


def answers_in_period(answers: pd.DataFrame, start: object | None, end: object | None) -> pd.DataFrame:
    """:func:`survey_answers` rows (of all periods) narrowed to complaints received in ``[start, end]``."""
    return _period(answers, start, end)


def kecamatan_ikm(answers: pd.DataFrame, minimum: int, kecamatan: tuple[str, ...] = ()) -> pd.DataFrame:
    """IKM per kecamatan (``metrics.ikm.ikm_by_group``) of :func:`survey_answers` rows; every
    kecamatan in ``kecamatan`` has a row (``responden`` 0, IKM NaN when it has no answers)."""
    return ikm_by_group(answers, "kecamatan", minimum, groups=kecamatan)


def desa_ikm(
    answers: pd.DataFrame, kecamatan: str, minimum: int, desas: tuple[str, ...] = ()
) -> pd.DataFrame:
    """IKM per desa of one kecamatan (``metrics.ikm.ikm_by_group``) of :func:`survey_answers` rows."""
    inside = answers[answers["kecamatan"].astype("string") == kecamatan] if not answers.empty else answers
    return ikm_by_group(inside, "desa", minimum, groups=desas)


def kabupaten_month_ikm(
    answers: pd.DataFrame, month: object, now: object, minimum: int, *, kecamatan: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The monthly report's IKM, the rule of :func:`kabupaten_month`: answers of complaints received
    in ``month`` up to its cut-off (:func:`survey_answers` rows). Per kecamatan (every one in
    ``kecamatan``, then ``TOTAL_ROW`` for the kabupaten) and per desa (kecamatan, desa, then
    ``metrics.ikm.ikm_by_group``'s columns)."""
    start, _end, cutoff = month_bounds(pd.Period(month, freq="M"), pd.Timestamp(now))
    received = answers["diterima"]
    rows = answers[((received >= start) & (received < cutoff)).fillna(False).astype(bool)]
    per_kecamatan = pd.concat(
        [
            ikm_by_group(rows, "kecamatan", minimum, groups=kecamatan),
            ikm_by_group(rows.assign(kecamatan=TOTAL_ROW), "kecamatan", minimum, groups=(TOTAL_ROW,)),
        ],
        ignore_index=True,
    )
    parts = [
        ikm_by_group(part, "desa", minimum).assign(kecamatan=str(name))
        for name, part in rows.groupby(rows["kecamatan"].astype("string"), sort=True)
    ]
    per_desa = pd.concat(parts, ignore_index=True) if parts else ikm_by_group(rows, "desa", minimum)
    if "kecamatan" not in per_desa:
        per_desa["kecamatan"] = pd.Series(dtype="object")
    return per_kecamatan, per_desa[["kecamatan", *[c for c in per_desa.columns if c != "kecamatan"]]]
