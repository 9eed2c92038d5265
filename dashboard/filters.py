"""Sidebar filters shared by the pages: desa and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.data import LOADED_HASH, LoadedRegister, local_now
from dashboard.i18n import DATE_FORMAT, t
from dashboard.settings import current_settings
from metrics.columns import column_key
from metrics.desa_names import desa_variants
from metrics.overview import select_complaints


def offered_desa(desa: pd.Series, known: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The desas a filter offers: every name in the register but near-miss spellings of another
    desa (``metrics.desa_names``), sorted."""
    variants = desa_variants(desa, known)
    return sorted(str(d) for d in desa.dropna().unique() if str(d).strip() not in variants)


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=LOADED_HASH)
def _register_desa(loaded: LoadedRegister, known: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(offered_desa(loaded.complaints["desa"], known))


def register_desa(loaded: LoadedRegister) -> list[str]:
    """``offered_desa`` of the loaded register and the configured desa list, computed once per
    register load (not on every render of every page)."""
    return list(_register_desa(loaded, tuple(current_settings().desa_names)))


@dataclass(frozen=True)
class Filters:
    desa: tuple[str, ...]  # empty = all desas the user may see
    start: dt.date | None
    end: dt.date | None

    def mask(self, complaints: pd.DataFrame) -> pd.Series:
        return select_complaints(
            complaints,
            list(self.desa) or None,
            pd.Timestamp(self.start) if self.start else None,
            pd.Timestamp(self.end) if self.end else None,
        )


def linked_desa(options: list[str]) -> list[str]:
    """Desas named in the page's link (``?desa=Cibodas``, e.g. from Perbandingan Desa) that are
    among ``options``: the desa filter's starting value."""
    return [d for d in st.query_params.get_all("desa") if d in options]


def show_filters(
    loaded: LoadedRegister, allowed_desa: list[str] | None = None, key: str = "filter"
) -> Filters:
    """Desa and period pickers in the sidebar; the period defaults to the whole register."""
    complaints = loaded.complaints
    desa_options = register_desa(loaded)
    if allowed_desa is not None:
        # Desa names from config compared ignoring case/spacing; never widen to "all desas".
        allowed_keys = {column_key(d) for d in allowed_desa}
        desa_options = [d for d in desa_options if column_key(d) in allowed_keys]
        allowed_desa = desa_options or list(allowed_desa)
    chosen = st.sidebar.multiselect(
        t("Desa", "Village"),
        desa_options,
        default=linked_desa(desa_options),
        key=f"{key}_desa",
        placeholder=t("Semua desa", "All villages"),
    )
    received = complaints["tanggal_diterima"].dropna()
    if received.empty:
        return Filters(tuple(chosen or (allowed_desa or [])), None, None)
    # today in the register's own time zone (the server clock may be UTC: 04.30 WIB is still yesterday there)
    first, last = received.min().date(), max(received.max().date(), local_now(loaded.profile).date())
    period = st.sidebar.date_input(
        t("Periode diterima", "Received between"),
        value=(first, last),
        min_value=first,
        max_value=last,
        format=DATE_FORMAT,
        key=f"{key}_periode",
    )
    start, end = period if isinstance(period, tuple) and len(period) == 2 else (first, last)
    desa = tuple(chosen) if chosen else tuple(allowed_desa or ())
    return Filters(desa, start, end)
