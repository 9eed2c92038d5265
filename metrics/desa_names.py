"""Desa names as written in a register: near-miss spellings of a desa and rare names.

Pure pandas, no I/O, inputs never modified.

Rules (shown in the Kualitas Data help and the README)
-----------------------------------------------------
Near-miss (``desa_variants``)
    Two names are compared as ``column_key`` (case, spaces and punctuation ignored) with
    ``difflib``'s similarity ratio; at ``NEAR_MISS`` (0.85) or more they are the same desa spelt
    twice (``Margamulia`` / ``Margamulya`` = 0.9; ``Sukamaju`` / ``Sukamulya`` = 0.71 stay two
    desas). The desa it most likely is: a configured desa (``[wilayah] desa``) when there is one,
    else the more frequent name in the register. A configured name is never a variant.
Rare (``rare_desa``)
    A name on fewer than ``RARE_SHARE`` (1 %) of the register's rows, not configured.
Size
    With more than ``MAX_NAMES`` (200) distinct names the column is not a kecamatan's desa list:
    no near-miss search (its cost grows with the square of the names). Results are cached per
    set of names and counts.
What follows
    A variant is not offered as a separate desa in filters and is a data-quality finding
    (``DESA_TIDAK_DIKENAL``, naming the desa it most likely is); a rare name is a finding too.
    Figures count a variant under the desa it most likely is only when ``[wilayah]
    gabung_ejaan_desa = true`` (``merge_desa_variants``: the written name stays in
    ``desa_tertulis``); by default it stays apart, counted in "all desas" only.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence

import pandas as pd

from metrics.columns import column_key

__all__ = ["NEAR_MISS", "RARE_SHARE", "desa_variants", "merge_desa_variants", "rare_desa", "written_desa"]

NEAR_MISS = 0.85
RARE_SHARE = 0.01
# More distinct names than this is not a kecamatan's list of desas (e.g. a city-wide register):
# no near-miss search (it grows with the square of the names); rare names are still found.
MAX_NAMES = 200


def _counts(desa: pd.Series) -> pd.Series:
    text = desa.dropna().astype("string").str.strip()
    return text[text != ""].value_counts(sort=False)


def desa_variants(desa: pd.Series, known: Sequence[str] = ()) -> dict[str, str]:
    """Written name -> the desa it most likely is, for every near-miss spelling (module docstring)."""
    counts = _counts(desa)
    pairs = tuple(sorted((str(name), int(n)) for name, n in counts.items()))
    return dict(_variants(pairs, tuple(str(k) for k in known)))


@functools.lru_cache(maxsize=32)
def _variants(pairs: tuple[tuple[str, int], ...], known: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    counts = dict(pairs)
    if len(counts) > MAX_NAMES:
        return ()
    known_keys = {column_key(k): k for k in known}
    keys = {name: column_key(name) for name in counts}
    out: dict[str, str] = {}
    # most frequent first, so a rare spelling maps onto the common one
    names = sorted(counts, key=lambda n: (-counts[n], n))
    for name in names:
        if keys[name] in known_keys or not keys[name]:
            continue
        targets = [(key, target) for key, target in known_keys.items()] + [
            (keys[other], other)
            for other in names
            if counts[other] > counts[name] and keys[other] not in known_keys and other not in out
        ]
        matcher = difflib.SequenceMatcher(None, b=keys[name])
        best, best_score = None, NEAR_MISS
        for key, target in targets:
            matcher.set_seq1(key)
            # cheap upper bounds first (as difflib.get_close_matches does)
            if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
                continue
            score = matcher.ratio()
            if score >= best_score and (best is None or score > best_score):
                best, best_score = target, score
        if best is not None:
            out[name] = best
    return tuple(sorted(out.items()))


def rare_desa(desa: pd.Series, known: Sequence[str] = ()) -> list[str]:
    """Names on fewer than ``RARE_SHARE`` of the rows (configured names excepted), sorted."""
    counts = _counts(desa)
    total = int(counts.sum())
    known_keys = {column_key(k) for k in known}
    return sorted(
        str(name)
        for name, n in counts.items()
        if int(n) < RARE_SHARE * total and column_key(name) not in known_keys
    )


def merge_desa_variants(complaints: pd.DataFrame, variants: dict[str, str]) -> pd.DataFrame:
    """A copy with each variant's ``desa`` replaced by the desa it most likely is and the written
    name kept in ``desa_tertulis``; ``complaints`` itself when there is nothing to merge."""
    if not variants or "desa" not in complaints.columns:
        return complaints
    out = complaints.copy()
    written = complaints["desa"].astype("string")
    out["desa_tertulis"] = written
    out["desa"] = written.str.strip().replace(variants).astype("string")
    return out


def written_desa(complaints: pd.DataFrame) -> pd.Series:
    """The desa as written (before any merge of spellings)."""
    column = "desa_tertulis" if "desa_tertulis" in complaints.columns else "desa"
    return complaints[column]
