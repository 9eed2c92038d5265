"""The sync worker seen from the app: the admin page *Sinkronisasi Desa* and, on every normal
page of an app reading the store, "data per" per desa with failing / stale desas flagged.

Streamlit glue only: figures from ``services.sync.progress`` and ``services.store_source``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components import plain
from dashboard.fmt import angka, tanggal_jam
from dashboard.i18n import t
from dashboard.kabupaten_views import wall_time
from data_sources.snapshot_store import open_store
from metrics.errors import PantauError
from services.kabupaten import desa_health
from services.settings import Settings
from services.store_source import store_statuses, sync_settings_of
from services.sync.config import SyncSettings
from services.sync.progress import sync_progress

__all__ = ["render_sync_progress", "show_store_health"]


@st.cache_resource(show_spinner=False, max_entries=2)
def _store(url: str):
    return open_store(url)


def _local(epoch: float | None) -> str:
    if epoch is None or pd.isna(epoch):
        return t("belum pernah", "never")
    return tanggal_jam(wall_time(float(epoch)))


def _when(value: Any) -> str:
    return _local(pd.Timestamp(value).timestamp()) if pd.notna(value) else t("belum pernah", "never")


def _health_table(health: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("Kecamatan", "Sub-district"): health["kecamatan"].astype(str),
            t("Desa", "Village"): health["desa"].astype(str),
            t("Profil SOP", "SOP profile"): health["profil"].astype(str),
            t("Data per", "Data as of"): health["data_per"].map(_when),
            t("Kesalahan terakhir", "Last error"): health["gagal"].astype(str),
            t("Usang", "Stale"): health["usang"].map(lambda v: t("ya", "yes") if v else ""),
            t("Menunggu dibaca", "Waiting to be read"): health["menunggu"].map(
                lambda v: t("ya", "yes") if v else ""
            ),
        }
    )


def show_store_health(settings: Settings, now: float | None = None) -> None:
    """Sidebar "data per" of the store's desas and, above the page, the desas whose sync failed
    or is stale (nothing when the app does not read a sync store)."""
    try:
        statuses = store_statuses(settings)
        sync = sync_settings_of(settings)
    except PantauError as error:
        st.error(error.message)
        return
    if statuses is None or sync is None:
        return
    epoch = time.time() if now is None else now
    health = desa_health(statuses, epoch, sync.stale_after_minutes * 60)
    synced = health["data_per"].dropna()
    with st.sidebar:
        if not synced.empty:
            st.caption(
                t(
                    "Penyimpanan sinkronisasi: data desa per {a} – {b}",
                    "Sync store: village data as of {a} – {b}",
                ).format(a=_when(synced.min()), b=_when(synced.max()))
            )
    bad = health[(health["gagal"] != "") | health["usang"]]
    if bad.empty:
        return
    st.warning(
        t(
            "{n} desa gagal disinkronkan atau datanya usang (lebih dari {m} menit): {names}. Angkanya memakai "
            "data terakhir yang baik.",
            "{n} villages failed to sync or are stale (older than {m} minutes): {names}. Their figures use the "
            "last good data.",
        ).format(
            n=angka(len(bad)),
            m=angka(sync.stale_after_minutes),
            names=plain(", ".join(bad["desa"].astype(str).head(10)) + (" …" if len(bad) > 10 else "")),
        ),
        icon=":material/sync_problem:",
    )
    with st.expander(t("Data per desa", "Data per village")):
        st.dataframe(_health_table(health), hide_index=True, width="stretch")


def render_sync_progress(secrets: Mapping[str, Any], now: float | None = None) -> None:
    """The admin page body: progress, last pass, per desa last good time, error and stale flag."""
    try:
        settings = SyncSettings.from_secrets(secrets)
    except PantauError as error:
        st.error(error.message)
        return
    if not settings.registry:
        st.info(
            t(
                "Sinkronisasi kabupaten belum diatur: isi [sync] registry dan jalankan ./run sync (lihat README).",
                "Kabupaten sync is not configured: set [sync] registry and run ./run sync (see README).",
            ),
            icon=":material/info:",
        )
        return
    epoch = time.time() if now is None else now
    progress = sync_progress(
        _store(settings.store),
        now=epoch,
        stale_after_seconds=settings.stale_after_minutes * 60,
        per_minute=settings.requests_per_minute,
    )
    if progress.total == 0:
        st.info(
            t("Worker sinkronisasi belum pernah berjalan.", "The sync worker has not run yet."),
            icon=":material/inbox:",
        )
        return
    headline = t(
        "{d}/{n} desa, perkiraan selesai {m} menit", "{d}/{n} villages, about {m} minutes left"
    ).format(d=angka(progress.done), n=angka(progress.total), m=angka(progress.minutes_left or 0))
    st.subheader(headline)
    st.progress(progress.done / progress.total)
    if progress.done < progress.total and not progress.running:
        st.caption(
            t(
                "Worker tidak sedang berjalan; perkiraan dari batas {r} permintaan per menit.",
                "The worker is not running; estimate from the budget of {r} requests per minute.",
            ).format(r=angka(progress.per_minute))
        )
    last = progress.last_pass
    if last:
        st.caption(
            t(
                "Putaran terakhir selesai {w}: {r} desa dibaca, {f} gagal, {q} permintaan Google.",
                "Last pass finished {w}: {r} villages read, {f} failed, {q} Google requests.",
            ).format(
                w=_local(last.get("finished")),
                r=angka(int(last.get("read", 0))),
                f=angka(int(last.get("failed", 0))),
                q=angka(int(last.get("requests", 0))),
            )
        )
    else:
        st.caption(t("Belum ada putaran yang selesai.", "No pass has finished yet."))
    columns = st.columns(3)
    columns[0].metric(t("Desa", "Villages"), angka(progress.total))
    columns[1].metric(t("Gagal", "Failing"), angka(progress.failing))
    columns[2].metric(t("Usang", "Stale"), angka(progress.stale))
    st.dataframe(_health_table(progress.health), hide_index=True, width="stretch")
