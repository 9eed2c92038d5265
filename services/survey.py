"""The satisfaction survey after settlement (SKM element U9, Permenpan RB 14/2017): a resident
who found a *settled* complaint on Lacak Pengaduan (Nomor + the last 4 phone digits) rates its
handling once, 1–4, with an optional comment.

What it reveals: nothing more than Lacak. A rating for an unknown Nomor, a wrong pair or a
complaint not settled yet is refused with ``SurveyNotFound`` — one answer for all three, counted
as a wrong try by the same throttle as Lacak (``services.throttle``), so the survey is no second
door for guessing phone digits. Storage: ``data_sources.survey_store`` (one answer per Nomor,
replays recognised by the submission id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from data_sources.survey_store import (
    AlreadyRated,
    SurveyAnswer,
    SurveyResult,
    SurveyStore,
    survey_store_for,
)
from metrics.errors import PantauError
from metrics.ikm import SCALE, survey_frame
from metrics.lookup import lookup_complaint, normalise_nomor
from metrics.profiles import Profile
from metrics.text import Text
from services.survey_config import DEFAULT_MINIMUM_RESPONSES, SETTINGS
from services.throttle import Throttle

__all__ = [
    "DEFAULT_MINIMUM_RESPONSES",
    "MAX_COMMENT",
    "SETTINGS",
    "AlreadyRated",
    "SurveyNotFound",
    "SurveyWait",
    "rated_answer",
    "read_survey",
    "submit_rating",
    "survey_store_for",
]

# Long enough for a few sentences; a longer text is refused (said how long), never cut silently.
MAX_COMMENT = 1000


class SurveyNotFound(PantauError):
    """Unknown Nomor, wrong phone digits or not settled: the same answer for all."""


class SurveyWait(PantauError):
    def __init__(self, seconds: float) -> None:
        wait = int(seconds + 0.999)
        super().__init__(
            Text(
                f"Terlalu banyak percobaan yang tidak cocok. Tunggu {wait} detik.",
                f"Too many attempts that did not match. Wait {wait} seconds.",
            )
        )
        self.seconds = seconds


@dataclass(frozen=True)
class Attempt:
    """Who is trying, for the throttle: the visitor key and the throttle clock (seconds)."""

    throttle: Throttle
    visitor: str
    clock: float


def read_survey(store: SurveyStore | None) -> pd.DataFrame:
    """The stored answers as ``metrics.ikm.survey_frame`` (empty without a store)."""
    return survey_frame(store.read() if store is not None else [])


def rated_answer(survey: pd.DataFrame, nomor: str) -> int | None:
    """The score already given for ``nomor`` (``None`` when not rated yet)."""
    if survey.empty:
        return None
    found = survey[survey["nomor"].map(normalise_nomor) == normalise_nomor(nomor)]
    return None if found.empty else int(found["nilai"].iloc[0])


def _validated(nilai: object, komentar: object) -> tuple[int, str]:
    score = nilai if isinstance(nilai, int) and not isinstance(nilai, bool) else None
    if score not in SCALE:
        raise PantauError(
            Text(
                "Penilaian: pilih salah satu nilai 1–4 (Tidak baik … Sangat baik).",
                "Rating: choose one of the values 1–4 (Poor … Very good).",
            )
        )
    text = str(komentar or "").strip()
    if len(text) > MAX_COMMENT:
        length, limit = f"{len(text):,}".replace(",", "."), f"{MAX_COMMENT:,}".replace(",", ".")
        raise PantauError(
            Text(
                f"Komentar terlalu panjang: {length} karakter, paling banyak {limit}. "
                "Persingkat lalu kirim lagi; penilaian belum disimpan.",
                f"The comment is too long: {len(text):,} characters, at most {MAX_COMMENT:,}. "
                "Shorten it and send again; the rating is not stored yet.",
            )
        )
    return int(score), text


# the store itself, or where the answer of a complaint of a desa is kept (a synced kabupaten: each
# desa's own spreadsheet, ``services.store_source.desa_survey_store``)
StorePlace = SurveyStore | Callable[[str], SurveyStore | None] | None


def submit_rating(
    store: StorePlace,
    complaints: pd.DataFrame,
    profile: Profile,
    attempt: Attempt,
    nomor: str,
    last4: str,
    nilai: object,
    komentar: object,
    now: pd.Timestamp,
    *,
    submission_id: str,
    desa: str | None = None,
) -> SurveyResult:
    """Store the rating of a settled complaint found by Nomor + last 4 phone digits (of ``desa``
    when given: on a synced kabupaten desas may share a Nomor, and the rating goes to the desa of
    the complaint the complainant was shown).

    Raises ``SurveyWait`` (throttled), ``PantauError`` (score not 1–4, comment too long: named),
    ``SurveyNotFound`` (unknown, wrong pair or not settled: one answer), ``AlreadyRated``."""
    key = normalise_nomor(nomor)
    wait = attempt.throttle.wait(key, attempt.visitor, attempt.clock)
    if wait > 0:
        raise SurveyWait(wait)
    score, text = _validated(nilai, komentar)
    found = lookup_complaint(complaints, profile, nomor, last4, desa=desa)
    if found is None or not found.settled:
        attempt.throttle.failure(key, attempt.visitor, attempt.clock)
        raise SurveyNotFound(
            Text(
                "Pengaduan tidak ditemukan untuk pasangan Nomor dan 4 angka HP ini.",
                "No complaint found for this pair of Nomor and last 4 phone digits.",
            )
        )
    if callable(store):
        store = store(found.desa)
    if store is None:
        raise PantauError(
            Text(
                "Penilaian tidak dapat disimpan: register ini tidak punya tempat untuk survei.",
                "The rating cannot be stored: this register has no place for the survey.",
            )
        )
    answer = SurveyAnswer(
        nomor=found.nomor,
        desa=found.desa,
        nilai=score,
        komentar=text,
        waktu=f"{pd.Timestamp(now):%Y-%m-%d %H:%M}",
        submission_id=submission_id,
    )
    return store.record(answer)
