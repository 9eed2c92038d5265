"""Record status (issue 13.1): a complaint marked *Duplikat* (of another Nomor) or *Batal* leaves
every figure and queue, and likely duplicates are found before they are saved.

The mark lives in two register columns (``metrics.columns``): ``Status Catatan`` (``Duplikat`` /
``Batal``; empty = counted) and ``Keterangan Status`` (the original's Nomor for a duplicate, the
reason for a cancellation). ``metrics.register.normalise_register`` splits marked rows off
``Register.complaints`` into ``Register.voided`` with ``split_voided`` — the ONE place where the
exclusion happens, so every figure built on ``Register.complaints`` leaves them out.

Likely duplicates: same desa, same phone number (digits, ``+62`` = ``0``) and complaint texts
whose similarity (``difflib.SequenceMatcher`` ratio on lower-cased, space-collapsed text) is at
least ``SIMILARITY``, received within the last ``days`` days.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

DUPLIKAT = "Duplikat"
BATAL = "Batal"
MARKS: tuple[str, ...] = (DUPLIKAT, BATAL)
# spellings petugas write in the Status Catatan column -> the mark
_SPELLINGS = {
    "duplikat": DUPLIKAT,
    "duplikasi": DUPLIKAT,
    "ganda": DUPLIKAT,
    "dobel": DUPLIKAT,
    "double": DUPLIKAT,
    "duplicate": DUPLIKAT,
    "batal": BATAL,
    "dibatalkan": BATAL,
    "cancelled": BATAL,
    "canceled": BATAL,
}
# Spellings meaning "not marked" (an admin may write one back instead of emptying the cell).
_COUNTED = {"", "aktif", "active", "-", "–"}
SIMILARITY = 0.85  # difflib ratio from which two complaint texts are "nearly the same"
DEFAULT_DAYS = 14  # [pantau] duplikat_hari
# Kualitas Data compares a complaint with at most this many earlier ones of the same desa and phone
# (an office phone typed for every walk-in complaint must not make the check quadratic)
MAX_COMPARED = 50
MAX_REASON = 500

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D+")


def record_mark(value: object) -> str | None:
    """The mark a Status Catatan cell means (``DUPLIKAT``/``BATAL``), None when counted or unknown."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return _SPELLINGS.get(_SPACES.sub(" ", str(value)).strip().lower())


def unknown_mark(value: object) -> bool:
    """A Status Catatan cell that is neither a mark nor empty/"Aktif" (a finding; row counted)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return False
    text = _SPACES.sub(" ", str(value)).strip().lower()
    return text not in _COUNTED and text not in _SPELLINGS


def voided_mask(complaints: pd.DataFrame) -> pd.Series:
    """Per row: marked Duplikat or Batal (False when the register has no Status Catatan column)."""
    if "status_catatan" not in complaints.columns or complaints.empty:
        return pd.Series(False, index=complaints.index, dtype=bool)
    texts = complaints["status_catatan"].astype("string").fillna("")
    marks = {value: record_mark(value) is not None for value in texts.unique()}
    return texts.map(marks).astype(bool)


def split_voided(complaints: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(counted rows, marked rows, the mask) — both frames re-indexed from 0."""
    mask = voided_mask(complaints)
    if not mask.any():
        return complaints, complaints.iloc[0:0], mask
    return (
        complaints[~mask].reset_index(drop=True),
        complaints[mask].reset_index(drop=True),
        mask,
    )


def _norm_nomor(text: object) -> str:
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    return _SPACES.sub("", str(text)).upper()


def mark_problems(
    complaint: Mapping[str, Any],
    mark: str,
    note: str,
    counted: pd.DataFrame,
    voided: pd.DataFrame,
) -> list[str]:
    """Problems of marking ``complaint`` with ``mark`` (``DUPLIKAT``/``BATAL``) and ``note`` (the
    original's Nomor / the reason). ``counted``/``voided``: the register's rows (``Register``)."""
    nomor = _norm_nomor(complaint.get("nomor"))
    note = str(note or "").strip()
    if record_mark(complaint.get("status_catatan")) is not None:
        return [
            f"Pengaduan {complaint.get('nomor')} sudah bertanda {record_mark(complaint.get('status_catatan'))}."
        ]
    if mark == BATAL:
        if not note:
            return ["Alasan pembatalan wajib diisi."]
        if len(note) > MAX_REASON:
            return [f"Alasan pembatalan terlalu panjang ({len(note)} karakter; paling banyak {MAX_REASON})."]
        return []
    if mark != DUPLIKAT:
        return [f"Tanda '{mark}' tidak dikenal. Pilihan: {', '.join(MARKS)}."]
    original = _norm_nomor(note)
    if not original:
        return ["Nomor pengaduan asli wajib diisi untuk tanda Duplikat."]
    if original == nomor:
        return ["Pengaduan tidak dapat menjadi duplikat dirinya sendiri."]
    if not voided.empty and original in set(voided["nomor"].map(_norm_nomor)):
        return [
            f"Pengaduan {note} sendiri bertanda Duplikat/Batal; tunjuk pengaduan asli yang masih tercatat."
        ]
    if counted.empty or original not in set(counted["nomor"].map(_norm_nomor)):
        return [f"Pengaduan asli dengan Nomor '{note[:60]}' tidak ditemukan di register."]
    return []


def _text_key(text: object) -> str:
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    return _SPACES.sub(" ", str(text)).strip().lower()


def _phone_key(text: object) -> str:
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    digits = _NON_DIGITS.sub("", str(text))
    return "0" + digits[2:] if digits.startswith("62") else digits


def text_similarity(a: object, b: object) -> float:
    """How alike two complaint texts are (0..1; case and spacing ignored)."""
    left, right = _text_key(a), _text_key(b)
    if not left or not right:
        return 0.0
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    # the quick ratios are upper bounds of ratio(): below the threshold, no need for the slow one
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        value = bound()
        if value < SIMILARITY:
            return value
    return matcher.ratio()


def likely_duplicates(
    complaints: pd.DataFrame,
    desa: str,
    phone: object,
    text: object,
    now: dt.datetime | pd.Timestamp,
    days: int = DEFAULT_DAYS,
) -> pd.DataFrame:
    """Counted complaints of ``desa`` received in the last ``days`` days (up to ``now``) whose phone
    equals ``phone`` and whose text is nearly ``text``; most similar first.

    Columns: ``nomor``, ``tanggal_diterima``, ``hari_lalu`` (calendar days before ``now``'s day),
    ``kemiripan`` (0..1)."""
    columns = ["nomor", "tanggal_diterima", "hari_lalu", "kemiripan"]
    if complaints.empty or not _text_key(text):
        return pd.DataFrame(columns=columns)
    moment = pd.Timestamp(now).tz_localize(None) if pd.Timestamp(now).tzinfo else pd.Timestamp(now)
    received = complaints["tanggal_diterima"]
    recent = (received >= moment - pd.Timedelta(days=max(int(days), 0))) & (received <= moment)
    chosen = complaints[recent.fillna(False).to_numpy(dtype=bool)]  # a few rows: the rest per row
    same_desa = chosen["desa"].astype("string").fillna("").str.strip() == str(desa or "").strip()
    phones = chosen["no_hp"].map(_phone_key) if "no_hp" in chosen else pd.Series("", index=chosen.index)
    chosen = chosen[same_desa.fillna(False) & (phones == _phone_key(phone))]
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    scores = chosen["isi_pengaduan"].map(lambda other: text_similarity(text, other)).astype(float)
    found = chosen[scores >= SIMILARITY]
    out = pd.DataFrame(
        {
            "nomor": found["nomor"].astype("string"),
            "tanggal_diterima": found["tanggal_diterima"],
            "hari_lalu": (moment.normalize() - found["tanggal_diterima"].dt.normalize()).dt.days.astype(
                "int64"
            ),
            "kemiripan": scores[found.index],
        }
    )
    return out.sort_values(["kemiripan", "tanggal_diterima"], ascending=[False, False]).reset_index(drop=True)


def duplicate_pairs(complaints: pd.DataFrame, days: int = DEFAULT_DAYS) -> pd.DataFrame:
    """Likely duplicates among counted complaints: per later complaint, the earlier one it nearly
    repeats (same desa and phone, texts alike, received at most ``days`` days apart). Complaints
    without a phone are not compared (anonymous complaints alike in text are often different
    people). Columns: ``indeks`` (row of the later one), ``nomor``, ``asli`` (earlier Nomor),
    ``selisih_hari``, ``kemiripan``."""
    columns = ["indeks", "nomor", "asli", "selisih_hari", "kemiripan"]
    if complaints.empty or "no_hp" not in complaints:
        return pd.DataFrame(columns=columns)
    phones = complaints["no_hp"].map(_phone_key)
    usable = (phones != "") & complaints["tanggal_diterima"].notna()
    frame = pd.DataFrame(
        {
            "desa": complaints["desa"].astype("string").fillna("").str.strip(),
            "hp": phones,
            "t": complaints["tanggal_diterima"],
        }
    )[usable]
    grouped = frame[frame.duplicated(["desa", "hp"], keep=False)].sort_values("t", kind="stable")
    records: list[dict[str, Any]] = []
    if grouped.empty:
        return pd.DataFrame(columns=columns)
    day = 86_400 * 10**9
    window = max(int(days), 0) * day
    # plain lists once (no per-pair frame lookups, times as int nanoseconds); equal normalised
    # texts (a double click, a copy) skip the slower SequenceMatcher
    rows = grouped.index.to_numpy()
    nomor = complaints["nomor"].reindex(rows).tolist()
    keys = [_norm_nomor(n) for n in nomor]
    texts = [_text_key(x) for x in complaints["isi_pengaduan"].reindex(rows).tolist()]
    times = grouped["t"].to_numpy(dtype="datetime64[ns]").view("int64").tolist()
    for members in grouped.groupby(["desa", "hp"], sort=False).indices.values():
        for a in range(1, len(members)):
            j = int(members[a])
            for b in range(a - 1, max(a - MAX_COMPARED, 0) - 1, -1):
                i = int(members[b])
                if times[j] - times[i] > window:
                    break
                if keys[i] == keys[j]:
                    continue  # one Nomor twice: the duplicate-number finding already says so
                score = 1.0 if texts[i] and texts[i] == texts[j] else text_similarity(texts[i], texts[j])
                if score >= SIMILARITY:
                    records.append(
                        {
                            "indeks": rows[j],
                            "nomor": nomor[j],
                            "asli": nomor[i],
                            "selisih_hari": (times[j] - times[i]) // day,
                            "kemiripan": score,
                        }
                    )
                    break
    return pd.DataFrame(records, columns=columns)
