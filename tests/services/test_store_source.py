"""services.store_source: an app on a synced kabupaten store reads the store and writes through to it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession, GoogleSheetsSource
from data_sources.local_file import LocalFileSource
from data_sources.snapshot_store import DesaEntry, open_store
from data_sources.survey_store import AlreadyRated
from metrics.complaint_updates import StageUpdate
from metrics.profiles import load_profile, profile_ids, register_header
from metrics.register import normalise_register
from services import register_loading, survey
from services.access import Viewer
from services.complaints import apply_update, read_snapshot, record_complaint
from services.kabupaten import load_kabupaten
from services.register_loading import Loaded
from services.settings import parse_settings
from services.store_source import (
    StoreBackedSource,
    desa_survey_store,
    public_desas,
    public_profiles,
    store_backed,
)
from services.sync.registry import load_registry
from services.sync.worker import SyncSettings, SyncWorker
from services.throttle import LOOKUP, Throttle
from tests.fakes.kabupaten import SETTLED_PHONE, FakeClock, seed_two_profiles
from tests.fakes.sheets_api import FakeSheetsServer

UMUM = load_profile("umum")
PETUGAS = Viewer("Petugas Sukamaju", "petugas", ("Sukamaju",))
NOW = dt.datetime(2026, 3, 4, 10, 0)
FIELDS = {
    "desa": "Sukamaju",
    "nama_pelapor": "Siti Rahayu",
    "alamat": "RT 02",
    "no_hp": "081234567890",
    "saluran": "whatsapp",
    "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang",
    "tanggal_diterima": dt.datetime(2026, 3, 4, 9, 0),
}


def desa_workbook(tmp_path):
    """One worksheet per desa (as a desa spreadsheet is read): Sukamaju with one complaint, Mekar empty."""
    header = [h for h in register_header(UMUM) if h != "Desa"]
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Sukamaju"
    first.append(header)
    row = [""] * len(header)
    row[header.index("Nomor")] = "SKM/2026/03/0001"
    row[header.index("Tanggal Diterima")] = "02/03/2026 08:00"
    row[header.index("Isi Pengaduan")] = "Lampu jalan mati"
    row[header.index("Tahap")] = "Diterima"
    first.append(row)
    workbook.create_sheet("Mekar").append(header)
    path = tmp_path / "desa.xlsx"
    workbook.save(path)
    return path


def synced(tmp_path):
    source = LocalFileSource(desa_workbook(tmp_path))
    store = open_store(tmp_path / "s.sqlite")
    store.sync_registry(
        [
            DesaEntry("k1/sukamaju", "Kab", "K1", "Sukamaju", "s1", "umum"),
            DesaEntry("k1/mekar", "Kab", "K1", "Mekar", "s2", "umum"),
            DesaEntry("k2/lain", "Kab", "K2", "Lain", "s3", "cipari"),
        ]
    )
    for grid in source.read():  # what the worker synced
        key = "k1/sukamaju" if grid.name == "Sukamaju" else "k1/mekar"
        store.save_grid(key, grid, at=1000.0)
    return source, store


def test_pages_read_the_store_and_a_write_reaches_it_at_once(tmp_path) -> None:
    inner, store = synced(tmp_path)
    ticks = iter([2000.0, 3000.0])
    source = StoreBackedSource(inner, store, "umum", parse_sync(), clock=lambda: next(ticks))
    grids = source.read()
    assert sorted(g.name for g in grids) == ["Mekar", "Sukamaju"]  # the store's desas of this profile
    register = normalise_register(grids, UMUM)
    assert list(register.complaints["nomor"]) == ["SKM/2026/03/0001"]

    result, _cells = record_complaint(source, register, UMUM, PETUGAS, FIELDS, NOW, submission_id="a1")
    # the store has the new row at once (no worker pass), with its kabupaten figures
    stored = normalise_register(store.grids(["k1/sukamaju"]).values(), UMUM).complaints
    assert result.key in set(stored["nomor"])
    status = {s.desa_key: s for s in store.statuses()}["k1/sukamaju"]
    assert status.last_good_at == 2000.0 and not status.dirty
    assert len(store.derived()["k1/sukamaju"].columns["nomor"]) == 2
    frame = load_kabupaten(store, now=pd.Timestamp(NOW)).frame
    assert result.key in set(frame["nomor"].astype(str))

    # an update likewise
    snapshot = read_snapshot(source, result.key, UMUM)
    apply_update(
        source,
        snapshot,
        StageUpdate(stage="verifikasi", when=NOW),
        UMUM,
        PETUGAS,
        NOW,
        submission_id="u1",
    )
    again = normalise_register(source.read(), UMUM).complaints.set_index("nomor")
    assert again.loc[result.key, "tahap"] == "verifikasi"
    assert {s.desa_key: s for s in store.statuses()}["k1/sukamaju"].last_good_at == 3000.0


def test_a_desa_the_store_cannot_refresh_is_left_to_the_worker(tmp_path) -> None:
    inner, store = synced(tmp_path)
    source = StoreBackedSource(inner, store, "umum", parse_sync())
    assert source.refresh("Tidak Ada") is False  # not in the store: nothing to do
    # the sheet cannot be read back (here: gone from the file): the write stands, the worker reads it
    broken = StoreBackedSource(inner, store, "umum", parse_sync(), clock=lambda: 5000.0)
    inner.read = lambda: []  # type: ignore[method-assign]
    assert broken.refresh("Sukamaju") is False
    statuses = {s.desa_key: s for s in store.statuses()}
    assert statuses["k1/sukamaju"].dirty and statuses["k1/sukamaju"].last_good_at == 1000.0


def test_store_backed_only_when_sync_is_configured(tmp_path) -> None:
    inner = LocalFileSource(desa_workbook(tmp_path))
    plain = parse_settings({}, {})
    assert store_backed(plain, inner) is inner
    configured = parse_settings(
        {"sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")}}, {}
    )
    wrapped = store_backed(configured, inner)
    assert isinstance(wrapped, StoreBackedSource) and wrapped.label.endswith("penyimpanan sinkronisasi")


def parse_sync() -> SyncSettings:
    return SyncSettings()


# ---------------------------------------------------------------------------- the public side
@pytest.fixture
def two_profiles(tmp_path):
    """Desa 001 (umum, the app's [pantau] sop and [gsheets] spreadsheet) and Desa 002
    (kutai_kartanegara, its own spreadsheet), each with one settled complaint, synced by the worker."""
    clock = FakeClock()
    with FakeSheetsServer() as server:
        desas = seed_two_profiles(server, tmp_path / "desa.toml", dt.datetime(2026, 3, 2, 9, 0))
        registry = load_registry(tmp_path / "desa.toml", profile_ids())
        store = open_store(tmp_path / "s.sqlite")
        reader = GoogleReader(ApiBaseSession(server.base_url))
        SyncWorker(
            registry, store, reader, SyncSettings(), clock=clock, sleep=clock.sleep, log=lambda _l: None
        ).run_once()
        store.close()
        secrets = {
            "pantau": {"sop": "umum"},
            "gsheets": {"spreadsheet": desas[0].spreadsheet_id, "api_base_url": server.base_url},
            "sync": {"registry": str(tmp_path / "desa.toml"), "store": str(tmp_path / "s.sqlite")},
        }
        yield server, desas, secrets


def on_profile(secrets: dict, profile: str) -> tuple[StoreBackedSource, Loaded]:
    settings = parse_settings({**secrets, "pantau": {"sop": profile}}, {})
    source = store_backed(settings, GoogleSheetsSource.from_config(settings.gsheets))
    assert isinstance(source, StoreBackedSource)
    return source, register_loading.load(settings, source=source)


def test_public_profiles_name_every_synced_profile_the_apps_first(two_profiles) -> None:
    _server, _desas, secrets = two_profiles
    assert public_profiles(parse_settings(secrets, {})) == ("umum", "kutai_kartanegara")
    assert public_profiles(parse_settings({**secrets, "pantau": {"sop": "kutai_kartanegara"}}, {})) == (
        "kutai_kartanegara",
        "umum",
    )
    assert public_profiles(parse_settings({"pantau": {"sop": "umum"}}, {})) == ("umum",)  # no sync
    assert public_desas(parse_settings(secrets, {})) == {"Desa 001": "umum", "Desa 002": "kutai_kartanegara"}
    assert public_desas(parse_settings({"pantau": {"sop": "umum"}}, {})) == {}


def test_a_survey_answer_lands_once_in_its_desas_own_spreadsheet(two_profiles) -> None:
    """Before: the survey store beside the app's (store-backed) source was None, so no rating
    could be stored on a synced kabupaten at all ("tidak punya tempat untuk survei")."""
    server, (a, b), secrets = two_profiles
    source, loaded = on_profile(secrets, b.profile)
    throttle = Throttle(LOOKUP)

    def rate(sid: str) -> survey.SurveyResult:
        return survey.submit_rating(
            lambda desa: desa_survey_store(source, desa),
            loaded.register.complaints,
            loaded.profile,
            survey.Attempt(throttle, "1.2.3.4", 1000.0),
            "B-0001",
            SETTLED_PHONE[-4:],
            4,
            "Cepat",
            pd.Timestamp("2026-03-05 10:00"),
            submission_id=sid,
        )

    first = rate("s1")
    assert (first.answer.desa, first.replayed) == ("Desa 002", False)
    survei = [[str(c) for c in r] for r in server.values(b.spreadsheet_id, "Survei") if any(r)]
    assert [r[:3] for r in survei[1:]] == [["B-0001", "Desa 002", "4"]]
    assert "Survei" not in server.sheet_titles(a.spreadsheet_id)  # the app's own spreadsheet untouched
    assert [s.dirty for s in source.store.statuses() if s.desa == "Desa 002"] == [True]  # for the worker
    assert rate("s1").replayed
    with pytest.raises(AlreadyRated):
        rate("s2")
    assert len([r for r in server.values(b.spreadsheet_id, "Survei") if any(r)]) == 2
