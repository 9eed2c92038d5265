"""Lacak Pengaduan: what a complainant may learn from their Nomor and the last 4 digits of the
phone number they gave — the stage, the date of each stage done and the published answer.

Nothing personal is returned (no name, address, phone, nor the complaint text, which often
names people: the category is shown instead). A wrong pair and an unknown Nomor give the same
answer (``None``), so the lookup reveals nothing about which Nomors exist. Complaints without a
usable phone number (anonymous ones) can never be looked up.

``ThrottleState`` / ``after_failure`` / ``wait_seconds`` slow repeated wrong tries (pure: the
caller keeps the state and passes the clock).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from metrics.columns import column_key
from metrics.profiles import Profile
from metrics.record_status import DUPLIKAT, record_mark
from metrics.stages import NAT, pause_spans, stage_model

_LATEST = pd.Timestamp("2200-01-01")  # "now" when the caller gives none: every recorded pause has begun

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D+")
MIN_PHONE_DIGITS = 8


def normalise_nomor(text: object) -> str:
    """``" cbd / 2026/01/0007 "`` -> ``"CBD/2026/01/0007"`` (case and spaces ignored)."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return ""
    return _SPACES.sub("", str(text)).upper()


def phone_digits(text: object) -> str:
    """Digits of a phone number, ``+62``/``62`` written as ``0``; ``""`` when missing."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return ""
    digits = _NON_DIGITS.sub("", str(text))
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def valid_last4(text: object) -> str | None:
    """The 4 digits the complainant typed (spaces ignored), or ``None`` when not exactly 4 digits."""
    cleaned = _SPACES.sub("", str(text or ""))
    return cleaned if len(cleaned) == 4 and cleaned.isascii() and cleaned.isdigit() else None


@dataclass(frozen=True)
class StageStep:
    key: str
    label: str
    done_at: pd.Timestamp | None
    skipped: bool = False  # no date, but a later step has one: the office went past it


@dataclass(frozen=True)
class LookupResult:
    """What the public lookup shows. Deliberately without any personal data."""

    nomor: str
    desa: str
    kategori: str
    stage_key: str
    stage_label: str
    steps: tuple[StageStep, ...]
    answer: str | None  # hasil tindak lanjut, only once the answer stage is done
    answered_at: pd.Timestamp | None
    settled: bool
    # Menunggu kelengkapan: since when the office waits for the complainant's documents (None
    # when it does not: no pause, the file is complete, or the complaint is settled)
    waiting_since: pd.Timestamp | None = None
    # a pause that has ended (the file became complete): from when until when the office waited
    # (None when there was none, or it is still open: ``waiting_since``)
    waited_from: pd.Timestamp | None = None
    waited_until: pd.Timestamp | None = None


def _text(value: object) -> str:
    return (
        "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)
    )


def _timestamp(value: object) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def lookup_complaint(
    complaints: pd.DataFrame,
    profile: Profile,
    nomor: str,
    last4: str,
    now: Any = None,
    desa: str | None = None,
) -> LookupResult | None:
    """The complaint with this Nomor whose phone ends in ``last4``; ``None`` for an unknown
    Nomor, a wrong pair, a complaint without a usable phone number or malformed input alike.
    ``now`` (naive local time) decides whether a pause is still open (None: any recorded pause
    without a resume is). ``desa``: only that desa's complaints (on a synced kabupaten each desa
    numbers its own register, so a Nomor + last-4 pair may match in several: see
    :func:`matching_desas`)."""
    match = _matching_row(complaints, nomor, last4, desa)
    return None if match is None else _result(match, profile, _LATEST if now is None else pd.Timestamp(now))


def matching_desas(complaints: pd.DataFrame | None, nomor: str, last4: str) -> list[str]:
    """The desas (sorted, once each) whose complaints match this Nomor + last-4 pair: more than
    one means the complainant must say which desa is theirs before anything is shown."""
    rows = _matching_rows(complaints, nomor, last4, None)
    return sorted({_text(row.get("desa")).strip() for row in rows})


def _matching_row(
    complaints: pd.DataFrame | None, nomor: str, last4: str, desa: str | None = None
) -> pd.Series | None:
    rows = _matching_rows(complaints, nomor, last4, desa)
    return rows[0] if rows else None


def _matching_rows(
    complaints: pd.DataFrame | None, nomor: str, last4: str, desa: str | None
) -> list[pd.Series]:
    wanted = normalise_nomor(nomor)
    digits = valid_last4(last4)
    if not wanted or digits is None or complaints is None or complaints.empty or "nomor" not in complaints:
        return []
    candidates = complaints[complaints["nomor"].map(normalise_nomor) == wanted]
    if desa is not None and "desa" in candidates:
        candidates = candidates[candidates["desa"].map(_text).map(column_key) == column_key(desa)]
    matches = []
    for _, row in candidates.iterrows():
        phone = phone_digits(row.get("no_hp"))
        # Compare every candidate (no early exit) in constant time per comparison.
        ok = len(phone) >= MIN_PHONE_DIGITS and hmac.compare_digest(phone[-4:], digits)
        if ok:
            matches.append(row)
    return matches


@dataclass(frozen=True)
class VoidedLookup:
    """A record marked Duplikat (``original``: the Nomor it repeats) or Batal — no reason, no
    personal data (a reason may name people)."""

    nomor: str
    mark: str
    original: str


def lookup_voided(
    voided: pd.DataFrame | None, nomor: str, last4: str, desa: str | None = None
) -> VoidedLookup | None:
    """The same Nomor + last-4 check over the records marked Duplikat/Batal (``Register.voided``)."""
    match = _matching_row(voided, nomor, last4, desa)
    if match is None:
        return None
    mark = record_mark(match.get("status_catatan")) or ""
    original = _text(match.get("keterangan_status")).strip() if mark == DUPLIKAT else ""
    return VoidedLookup(_text(match.get("nomor")), mark, original)


def _result(row: pd.Series, profile: Profile, now: pd.Timestamp) -> LookupResult:
    frame = row.to_frame().T
    model = stage_model(frame, profile)  # the one stage model, on a one-row frame
    dates = [
        _timestamp(row.get(stage.column_key)) if model.filled[i][0] else None
        for i, stage in enumerate(profile.stages)
    ]
    steps = tuple(
        StageStep(stage.key, stage.label, when, skipped=bool(model.skipped[i][0]))
        for i, (stage, when) in enumerate(zip(profile.stages, dates, strict=True))
    )
    reached = max(int(model.furthest[0]), 0)
    tahap = _text(row.get("tahap"))
    if tahap in profile.stage_keys:
        reached = max(reached, profile.stage_index(tahap))
    current = profile.stages[reached]
    answer_stage = profile.milestone_stage("jawaban")
    settle_stage = profile.milestone_stage("selesai")
    answered_at = _timestamp(row.get(answer_stage.column_key)) if answer_stage else None
    settled_at = _timestamp(row.get(settle_stage.column_key)) if settle_stage else None
    published = answered_at is not None or settled_at is not None
    answer = _text(row.get("hasil_tindak_lanjut")).strip() if published else ""
    pause = pause_spans(frame, model.done[0] if profile.stages else np.array([NAT]), now)
    waiting = bool(pause.open[0]) and settled_at is None
    ended = bool(pause.counts[0]) and not bool(pause.open[0])
    categories = {term.key: term.label for term in profile.categories}
    kategori = _text(row.get("kategori"))
    return LookupResult(
        nomor=_text(row.get("nomor")),
        desa=_text(row.get("desa")),
        kategori=categories.get(kategori, kategori),
        stage_key=current.key,
        stage_label=current.label,
        steps=steps,
        answer=answer or None,
        answered_at=answered_at or settled_at,
        settled=settled_at is not None,
        waiting_since=pd.Timestamp(int(pause.start[0])) if waiting else None,
        waited_from=pd.Timestamp(int(pause.start[0])) if ended else None,
        waited_until=pd.Timestamp(int(pause.end[0])) if ended else None,
    )


# ------------------------------------------------------------------------------------------
# Slowing repeated wrong tries


@dataclass(frozen=True)
class ThrottlePolicy:
    free_tries: int = 3  # wrong tries allowed without waiting
    base_seconds: float = 10.0  # wait after the first wrong try beyond the free ones
    max_seconds: float = 600.0  # the wait doubles per further wrong try up to this


@dataclass(frozen=True)
class ThrottleState:
    failures: int = 0
    locked_until: float = 0.0


def wait_seconds(state: ThrottleState, now: float) -> float:
    """How long the caller must wait before the next try (0 = may try now)."""
    return max(0.0, state.locked_until - now)


def after_failure(
    state: ThrottleState, now: float, policy: ThrottlePolicy = ThrottlePolicy()
) -> ThrottleState:
    """The state after one more wrong try: beyond ``free_tries`` each one locks for a doubling
    time (``base_seconds``, 2×, 4×, … capped at ``max_seconds``)."""
    failures = state.failures + 1
    extra = failures - policy.free_tries
    if extra <= 0:
        return replace(state, failures=failures)
    lock = min(policy.max_seconds, policy.base_seconds * 2 ** (extra - 1))
    return ThrottleState(failures=failures, locked_until=max(state.locked_until, now + lock))
