"""Perbandingan Kecamatan: the kabupaten comparison over the sync worker's snapshot store.

Streamlit glue only: the store is read by ``services.kabupaten`` (cached until the store
changes), the figures come from ``metrics.kabupaten``; the complaint-handling IKM per kecamatan and
desa from the desas' stored survey answers (``metrics.kabupaten.survey_answers`` + ``metrics.ikm``,
the Perbandingan Desa rule: answers of the complaints received in the period). Only Nomor and dates reach this page — no
personal data — so the ``kabupaten`` role (personal data masked) needs no further masking.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components import plain
from dashboard.fmt import angka, hari, persen, tanggal, tanggal_jam
from dashboard.i18n import DATE_FORMAT, choose, language, t, tr
from dashboard.ikm_display import IKM_COLUMN, ikm_column
from dashboard.settings import configured_settings, current_settings
from data_sources.snapshot_store import open_store
from metrics.errors import PantauError
from metrics.kabupaten import (
    answers_in_period,
    as_of,
    desa_drilldown,
    desa_ikm,
    kecamatan_comparison,
    kecamatan_ikm,
    overdue_of_desa,
    survey_answers,
)
from metrics.profiles import find_profile
from services.kabupaten import desa_health, load_kabupaten, load_surveys
from services.sync.config import SyncSettings
from services.sync.progress import sync_progress

__all__ = ["KabupatenView", "kabupaten_view", "render_kabupaten_page"]


def _zone() -> str:
    """The kabupaten's time zone: the configured SOP profile's (WIB, WITA, WIT). The server's own
    clock is often UTC; complaint times in the registers are local wall-clock time."""
    settings = configured_settings()
    try:
        return find_profile(settings.profile_id, settings.profile_dirs()).timezone
    except PantauError:
        return "Asia/Jakarta"


def wall_time(epoch: float, zone: str | None = None) -> pd.Timestamp:
    """An epoch as wall-clock time (naive) in the kabupaten's zone, like the registers' times."""
    return pd.Timestamp(epoch, unit="s", tz="UTC").tz_convert(zone or _zone()).tz_localize(None)


@st.cache_resource(show_spinner=False, max_entries=2)
def _store(url: str):
    return open_store(url)


# cache_resource (not cache_data): the frame is shared read-only (metrics never modify inputs), so a
# render costs no copy of 30k+ rows. Keyed on every desa's last good sync time: a re-synced desa (or
# an app write) makes a new key; the load itself only decodes the rows the worker derived.
@st.cache_resource(show_spinner=False, max_entries=4)
def _loaded(
    url: str, profiles_dir: str, synced: tuple[tuple[str, float], ...], zone: str
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Judged at the newest sync time (a function of the key, no hidden clock); ``as_of`` moves
    the overdue flags to the render's ``now``."""
    settings = SyncSettings(store=url, profiles_dir=profiles_dir)
    newest = max((at for _key, at in synced), default=0.0)
    built_at = wall_time(newest, zone).floor("min")
    data = load_kabupaten(_store(url), now=built_at, profile_dirs=settings.profile_dirs())
    return data.frame, data.problems


@st.cache_resource(show_spinner=False, max_entries=4)
def _answers(
    url: str, profiles_dir: str, synced: tuple[tuple[str, float], ...]
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Every desa's stored survey answers joined once to its own complaints (all periods; a render
    narrows them with ``answers_in_period``) and the malformed Survei sheets, keyed like ``_loaded``
    (the worker saves a desa's survey with its grid, so a new sync time is a new key)."""
    frame, _problems = _loaded(url, profiles_dir, synced, _zone())
    surveys, problems = load_surveys(_store(url))
    return survey_answers(frame, surveys), tuple(problems)


def _synced(statuses: list[Any]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((s.desa_key, float(s.last_good_at)) for s in statuses if s.last_good_at is not None))


def _with_ikm(shown: pd.DataFrame, keys: pd.Series, ikm: pd.DataFrame, key: str) -> pd.DataFrame:
    """The display table with the IKM column ("81,25 (B) · n 12", "–" without answers)."""
    texts = ikm_column(ikm, key)
    shown[IKM_COLUMN()] = keys.astype(str).map(texts).astype(object).fillna("–").to_numpy()
    return shown


def _frame(
    url: str, profiles_dir: str, statuses: list[Any], now: pd.Timestamp
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    frame, problems = _loaded(url, profiles_dir, _synced(statuses), _zone())
    return as_of(frame, now), problems


@dataclass(frozen=True)
class KabupatenView:
    frame: pd.DataFrame  # the milestone frame judged at ``now``
    statuses: list[Any]
    kecamatan: tuple[str, ...]
    now: pd.Timestamp
    answers: pd.DataFrame | None = None  # metrics.kabupaten.survey_answers of all periods (None: no survey)


def kabupaten_view(secrets: Mapping[str, Any], now: pd.Timestamp | None = None) -> KabupatenView | None:
    """The cached kabupaten frame for another page (the monthly report); None (said on the page)
    when sync is not configured or the store is empty."""
    try:
        settings = SyncSettings.from_secrets(secrets)
    except PantauError as error:
        st.error(str(error))
        return None
    if not settings.registry:
        st.info(
            t(
                "Sinkronisasi kabupaten belum diatur: isi [sync] registry dan jalankan ./run sync (lihat README).",
                "Kabupaten sync is not configured: set [sync] registry and run ./run sync (see README).",
            ),
            icon=":material/info:",
        )
        return None
    now = (now if now is not None else wall_time(time.time())).floor("min")
    statuses = _store(settings.store).statuses()
    frame, problems = _frame(settings.store, settings.profiles_dir, statuses, now)
    for problem in problems:
        st.error(problem)
    if frame.empty:
        st.info(
            t("Belum ada data desa di penyimpanan.", "No village data in the store yet."),
            icon=":material/inbox:",
        )
        return None
    answers, _survey_problems = _answers(settings.store, settings.profiles_dir, _synced(statuses))
    return KabupatenView(
        frame,
        statuses,
        tuple(sorted({s.kecamatan for s in statuses})),
        now,
        answers if not answers.empty else None,
    )


def _days_table(table: pd.DataFrame, first: str, first_label: str) -> pd.DataFrame:
    out = pd.DataFrame({first_label: table[first].astype(str)})
    if "desa_count" in table:
        out[t("Desa", "Villages")] = table["desa_count"].map(angka)
    if "profil" in table:
        out[t("Profil SOP", "SOP profile")] = table["profil"].astype(str)
    out[t("Pengaduan", "Complaints")] = table["pengaduan"].map(angka)
    out[t("Selesai", "Settled")] = table["selesai"].map(angka)
    out[t("Median sampai dijawab", "Median to answer")] = table["median_jawaban"].map(hari)
    out[t("p90 sampai dijawab", "p90 to answer")] = table["p90_jawaban"].map(hari)
    out[t("Median sampai selesai", "Median to settle")] = table["median_selesai"].map(hari)
    out[t("p90 sampai selesai", "p90 to settle")] = table["p90_selesai"].map(hari)
    out[t("Tepat waktu", "On time")] = table["tepat_waktu"].map(persen)
    out[t("Terbuka & terlambat", "Open & overdue")] = table["terlambat_terbuka"].map(angka)
    return out


def _health(store: Any, settings: SyncSettings, now: float) -> None:
    statuses = store.statuses()
    health = desa_health(statuses, now, settings.stale_after_minutes * 60)
    progress = sync_progress(
        store,
        now=now,
        stale_after_seconds=settings.stale_after_minutes * 60,
        per_minute=settings.requests_per_minute,
    )
    if progress.running:  # a pass in progress now (not one that ended with desas left failing)
        st.info(
            t(
                "Sinkronisasi berjalan: {d}/{n} desa, perkiraan selesai {m} menit.",
                "Sync running: {d}/{n} villages, about {m} minutes left.",
            ).format(d=angka(progress.done), n=angka(progress.total), m=angka(progress.minutes_left or 0)),
            icon=":material/sync:",
        )
    synced = health["data_per"].dropna()
    if not synced.empty:
        st.caption(
            t(
                "Data per desa: paling lama {a}, paling baru {b}.",
                "Data per village: oldest {a}, newest {b}.",
            ).format(
                a=tanggal_jam(_local(synced.min()), language()),
                b=tanggal_jam(_local(synced.max()), language()),
            )
        )
    bad = health[(health["gagal"] != "") | health["usang"]]
    if not bad.empty:
        st.warning(
            t(
                "{n} desa gagal disinkronkan atau datanya usang; angkanya memakai data terakhir yang baik.",
                "{n} villages failed to sync or are stale; their figures use the last good data.",
            ).format(n=angka(len(bad))),
            icon=":material/sync_problem:",
        )
        shown = pd.DataFrame(
            {
                t("Kecamatan", "Sub-district"): bad["kecamatan"],
                t("Desa", "Village"): bad["desa"],
                t("Data per", "Data as of"): bad["data_per"].map(
                    lambda v: (
                        tanggal_jam(_local(v), language()) if pd.notna(v) else t("belum pernah", "never")
                    )
                ),
                t("Masalah", "Problem"): bad["gagal"].where(bad["gagal"] != "", t("usang", "stale")),
            }
        )
        with st.expander(t("Desa bermasalah", "Villages with problems")):
            st.dataframe(shown, hide_index=True, width="stretch")


def _ikm_note(minimum: int, problems: tuple[str, ...]) -> None:
    st.caption(
        t(
            "IKM penanganan pengaduan (Permenpan RB 14/2017, unsur U9): rata-rata nilai 1–4 × 25 dari penilaian "
            "warga atas pengaduan yang diterima pada periode ini, dihitung per desa dari sheet Survei-nya; "
            "“belum cukup” di bawah {m} penilaian; “–” belum ada penilaian.",
            "Complaint-handling IKM (Permenpan RB 14/2017, element U9): mean score 1–4 × 25 of residents' ratings "
            "of complaints received in this period, from each village's Survei sheet; “not enough” under {m} "
            "ratings; “–” no ratings yet.",
        ).format(m=angka(minimum))
    )
    if problems:
        with st.expander(
            t("Sheet Survei bermasalah di {n} desa", "Survei sheet problems in {n} villages").format(
                n=angka(len(problems))
            ),
            icon=":material/warning:",
        ):
            for problem in problems:
                st.text(tr(problem))


def _local(value: pd.Timestamp) -> pd.Timestamp:
    """A UTC timestamp (epoch) as the kabupaten's wall-clock time."""
    return wall_time(pd.Timestamp(value).timestamp())


def render_kabupaten_page(secrets: Mapping[str, Any], now: pd.Timestamp | None = None) -> None:
    """The whole page body (the page file only checks the role and calls this)."""
    try:
        settings = SyncSettings.from_secrets(secrets)
    except PantauError as error:
        st.error(tr(error))
        return
    if not settings.registry:
        st.info(
            t(
                "Belum ada penyimpanan sinkronisasi kabupaten untuk perbandingan kecamatan: isi [sync] registry "
                "dan jalankan ./run sync (lihat README).",
                "No kabupaten sync store for the sub-district comparison yet: set [sync] registry and run "
                "./run sync (see README).",
            ),
            icon=":material/info:",
        )
        return
    epoch = time.time() if now is None else pd.Timestamp(now).timestamp()
    now = (now if now is not None else wall_time(time.time())).floor("min")
    store = _store(settings.store)
    statuses = store.statuses()
    _health(store, settings, epoch)
    frame, problems = _frame(settings.store, settings.profiles_dir, statuses, now)
    for problem in problems:
        st.error(problem)
    if frame.empty:
        st.info(
            t("Belum ada data desa di penyimpanan.", "No village data in the store yet."),
            icon=":material/inbox:",
        )
        return
    received = frame["diterima"].dropna()
    first, last = received.min().date(), max(received.max().date(), now.date())
    default_start = max(first, (now.normalize() - pd.DateOffset(months=12)).date().replace(day=1))
    with st.sidebar:
        period = st.date_input(
            t("Periode diterima", "Received between"),
            value=(default_start, last),
            min_value=first,
            max_value=last,
            format=DATE_FORMAT,
            key="kab_periode",
        )
    start, end = period if isinstance(period, tuple) and len(period) == 2 else (default_start, last)
    kecamatan = tuple(sorted({s.kecamatan for s in statuses}))
    table = kecamatan_comparison(frame, start, end, kecamatan=kecamatan)
    all_answers, survey_problems = _answers(settings.store, settings.profiles_dir, _synced(statuses))
    answers = answers_in_period(all_answers, start, end)
    minimum = current_settings().survey_minimum_responses
    st.caption(
        t(
            "Pengaduan diterima {a} – {b}. Setiap desa memakai profil SOP-nya sendiri; perbandingan antar-desa dan "
            "antar-kecamatan memakai tonggak yang dimiliki semua profil: diterima, dijawab, selesai. Tepat waktu dan "
            "terlambat dinilai menurut SOP desa masing-masing.",
            "Complaints received {a} – {b}. Each village uses its own SOP profile; comparisons between villages and "
            "sub-districts use the milestones every profile has: received, answered, settled. On time and overdue are "
            "judged by each village's own SOP.",
        ).format(a=tanggal(start, language()), b=tanggal(end, language()))
    )
    st.subheader(t("Per kecamatan (paling lambat di atas)", "Per sub-district (slowest first)"))
    st.dataframe(
        _with_ikm(
            _days_table(table, "kecamatan", t("Kecamatan", "Sub-district")),
            table["kecamatan"],
            kecamatan_ikm(answers, minimum, kecamatan),
            "kecamatan",
        ),
        hide_index=True,
        width="stretch",
    )
    _ikm_note(minimum, survey_problems)
    st.page_link(
        "app_pages/laporan_kabupaten.py",
        label=t("Laporan bulanan kabupaten (PDF, XLSX)", "Kabupaten monthly report (PDF, XLSX)"),
        icon=":material/summarize:",
    )
    chosen = st.selectbox(
        t("Rinci kecamatan", "Drill down to a sub-district"),
        list(table["kecamatan"]),
        key="kab_kec",
        placeholder=choose(),
    )
    if chosen is None:
        return
    desas = desa_drilldown(frame, chosen, start, end)
    st.subheader(t("Desa di Kecamatan {k}", "Villages of {k}").format(k=plain(chosen)))
    if desas.empty:
        st.info(
            t("Belum ada pengaduan pada periode ini.", "No complaints in this period."),
            icon=":material/inbox:",
        )
        return
    st.dataframe(
        _with_ikm(
            _days_table(desas, "desa", t("Desa", "Village")),
            desas["desa"],
            desa_ikm(answers, chosen, minimum),
            "desa",
        ),
        hide_index=True,
        width="stretch",
    )
    desa = st.selectbox(
        t("Pengaduan terlambat desa", "Overdue complaints of"),
        list(desas["desa"]),
        key="kab_desa",
        placeholder=choose(),
    )
    if desa is None:
        return
    overdue = overdue_of_desa(frame, chosen, desa)
    if overdue.empty:
        st.success(t("Tidak ada pengaduan terbuka yang terlambat.", "No open overdue complaints."))
        return
    st.caption(
        t(
            "Semua pengaduan desa ini yang masih terbuka dan sudah lewat tenggat, dari periode mana pun "
            "(tabel di atas hanya menghitung pengaduan yang diterima pada periode terpilih).",
            "Every open complaint of this village past its deadline, from any period (the table above "
            "counts only complaints received in the chosen period).",
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                t("Nomor", "Number"): overdue["nomor"].astype(str),
                t("Diterima", "Received"): overdue["diterima"].map(tanggal_jam),
                t("Hari sejak diterima", "Days since received"): ((now - overdue["diterima"]).dt.days).map(
                    angka
                ),
            }
        ),
        hide_index=True,
        width="stretch",
    )
