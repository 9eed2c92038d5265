"""Perbandingan Kecamatan in the real app: a synced store of desas, the kabupaten role, drill-down."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession
from data_sources.snapshot_store import open_store
from metrics.ikm import summarise
from metrics.profiles import profile_ids
from services.sync.registry import load_registry
from services.sync.worker import SyncSettings, SyncWorker
from tests.app_helpers import APP_PATH
from tests.fakes.kabupaten import FakeClock, seed_kabupaten, write_registry
from tests.fakes.sheets_api import FakeSheetsServer
from tests.pages.test_access_matrix import AUTH, rendered_text

PAGE = "app_pages/perbandingan_kecamatan.py"
ROLES = {
    "kab@kukar.go.id": {"role": "kabupaten"},
    "camat@sukamaju.desa.id": {"role": "kecamatan"},
    "admin@kukar.go.id": {"role": "admin"},
}


@pytest.fixture(scope="module")
def synced(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("kab")
    clock = FakeClock(start=time.time() - 600)  # synced ten minutes ago: only the broken desa is flagged
    with FakeSheetsServer() as server:
        server.set_clock(clock)
        desas = seed_kabupaten(
            server, 12, 15, n_kecamatan=3, start=dt.date.today() - dt.timedelta(days=335), survey_every=2
        )
        # every other desa keeps a Survei sheet (answers for its own complaints): scores per place
        scores: dict[str, list[int]] = {}
        for d in desas:
            if "Survei" in server.sheet_titles(d.spreadsheet_id):
                answers = [int(r[2]) for r in server.values(d.spreadsheet_id, "Survei")[1:]]
                scores.setdefault(d.kecamatan, []).extend(answers)
                scores[d.desa] = answers
        registry = load_registry(write_registry(desas, tmp / "desa.toml"), profile_ids())
        store = open_store(tmp / "s.sqlite")
        worker = SyncWorker(
            registry,
            store,
            GoogleReader(ApiBaseSession(server.base_url)),
            SyncSettings(),
            clock=clock,
            sleep=clock.sleep,
            log=lambda _l: None,
        )
        worker.run_once()
        server.delete_spreadsheet(desas[4].spreadsheet_id)
        worker.run_once()
        store.close()
    return {
        "registry": str(tmp / "desa.toml"),
        "store": str(tmp / "s.sqlite"),
        "broken": desas[4].desa,
        "scores": scores,
    }


def app(email: str, sync: dict | None, page: str = PAGE, extra: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=120)
    secrets = {"auth": AUTH, "roles": ROLES, **(extra or {})}
    if sync is not None:
        secrets["sync"] = {"registry": sync["registry"], "store": sync["store"]}
    at.secrets = secrets
    at.user = {"is_logged_in": True, "email": email, "name": "x"}
    at.run()
    at.switch_page(page)
    at.run()
    return at


def test_kabupaten_role_compares_kecamatan_and_drills_down(synced: dict) -> None:
    at = app("kab@kukar.go.id", synced)
    assert not at.exception
    assert at.title[0].value == "Perbandingan Kecamatan"
    kecamatan = table(at, "Kecamatan", "Median sampai selesai")
    assert sorted(kecamatan["Kecamatan"]) == ["Kecamatan 01", "Kecamatan 02", "Kecamatan 03"]
    assert kecamatan["Pengaduan"].map(int).sum() == 12 * 15
    assert any("1 desa gagal disinkronkan" in w.value for w in at.warning)
    problems = table(at, "Desa", "Masalah")
    assert list(problems["Desa"]) == [synced["broken"]] and "tidak ditemukan" in problems["Masalah"].iloc[0]
    at.selectbox(key="kab_kec").set_value("Kecamatan 02").run()
    desas = table(at, "Desa", "Profil SOP")
    assert sorted(desas["Desa"]) == ["Desa 002", "Desa 005", "Desa 008", "Desa 011"]  # every 3rd desa
    assert "0812" not in rendered_text(at)


def ikm_text(scores: list[int], minimum: int, english: bool = False) -> str:
    """What the IKM column shows, from metrics.ikm on the same answers."""
    summary = summarise(pd.Series(scores), minimum)
    text = f"{summary.ikm:.2f}".replace(".", ",") + f" ({summary.grade}) · n {summary.responses}"
    return text if summary.enough else text + (" · not enough" if english else " · belum cukup")


@pytest.mark.parametrize("english", [False, True])
def test_ikm_per_kecamatan_and_per_desa(synced: dict, english: bool) -> None:
    minimum = 3
    at = AppTest.from_file(APP_PATH, default_timeout=120)
    at.secrets = {
        "auth": AUTH,
        "roles": ROLES,
        "sync": {"registry": synced["registry"], "store": synced["store"]},
        "survei": {"minimum_responden": minimum},
    }
    at.user = {"is_logged_in": True, "email": "kab@kukar.go.id", "name": "x"}
    if english:
        at.session_state["bahasa"] = "en"
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    place, ikm = (
        ("Sub-district", "Complaint-handling IKM") if english else ("Kecamatan", "IKM penanganan pengaduan")
    )
    kecamatan = table(at, place, ikm).set_index(place)[ikm]
    scores = synced["scores"]
    for name in ("Kecamatan 01", "Kecamatan 02", "Kecamatan 03"):
        assert kecamatan[name] == ikm_text(scores[name], minimum, english)
    at.selectbox(key="kab_kec").set_value("Kecamatan 01").run()
    village = "Village" if english else "Desa"
    desas = table(at, village, ikm).set_index(village)[ikm]
    assert desas["Desa 001"] == ikm_text(scores["Desa 001"], minimum, english)
    assert desas["Desa 007"] == ikm_text(scores["Desa 007"], minimum, english)
    assert desas["Desa 004"] == desas["Desa 010"] == "–"  # no Survei sheet: empty, not 0


def table(at: AppTest, *columns: str):
    found = [d.value for d in at.dataframe if all(c in d.value.columns for c in columns)]
    assert found, f"no table with columns {columns}"
    return found[-1]


def test_other_roles_are_refused_and_no_sync_is_explained(synced: dict) -> None:
    at = app("camat@sukamaju.desa.id", synced)
    assert not at.dataframe and any("tidak berwenang" in e.value for e in at.error)
    assert "Kecamatan 01" not in rendered_text(at)
    empty = app("kab@kukar.go.id", None)
    assert any("[sync] registry" in i.value for i in empty.info)
    # the monthly report says what to do too, in both languages
    report = app("kab@kukar.go.id", None, "app_pages/laporan_kabupaten.py")
    assert any("isi [sync] registry dan jalankan ./run sync (lihat README)" in i.value for i in report.info)
    report.session_state["bahasa"] = "en"
    report.run()
    assert any("set [sync] registry and run ./run sync (see README)" in i.value for i in report.info)


def test_admin_sync_page_shows_progress_last_pass_and_the_failing_desa(synced: dict) -> None:
    at = app("admin@kukar.go.id", synced, "app_pages/sinkronisasi.py")
    assert not at.exception
    assert at.title[0].value == "Sinkronisasi Desa"
    # the broken desa is still to be read (retried after its pause): 11 of 12 done
    assert any("11/12 desa, perkiraan selesai 1 menit" in h.value for h in at.subheader), [
        h.value for h in at.subheader
    ]
    assert any("Putaran terakhir selesai" in c.value and "1 gagal" in c.value for c in at.caption)
    health = table(at, "Desa", "Kesalahan terakhir", "Usang")
    assert len(health) == 12
    broken = health.set_index("Desa").loc[synced["broken"]]
    assert "tidak ditemukan" in broken["Kesalahan terakhir"] and broken["Data per"] != "belum pernah"
    refused = app("kab@kukar.go.id", synced, "app_pages/sinkronisasi.py")
    assert not refused.dataframe and any("tidak berwenang" in e.value for e in refused.error)


def test_normal_pages_read_the_store_and_flag_the_failing_desa(synced: dict) -> None:
    """An app on the jagabaya SOP with sync configured: Register shows the store's jagabaya desas
    (the 5th and 11th desa; the 5th failed its last sync) with "data per" and the failing one named."""
    at = app(
        "admin@kukar.go.id",
        synced,
        "app_pages/register.py",
        {"pantau": {"sop": "jagabaya", "register": synced["registry"] + ".absent.xlsx"}},
    )
    assert not at.exception, at.exception
    assert any("Penyimpanan sinkronisasi: data desa per" in c.value for c in at.sidebar.caption)
    assert any(synced["broken"] in w.value and "gagal disinkronkan" in w.value for w in at.warning)
    # the store's rows, although the configured file does not exist
    shown = {str(v) for d in at.dataframe for column in d.value.columns for v in d.value[column]}
    assert {synced["broken"], "Desa 011"} <= shown and "Desa 001" not in shown  # only the jagabaya desas


def test_kabupaten_monthly_report_downloads_pdf_and_xlsx(synced: dict) -> None:
    at = app("kab@kukar.go.id", synced, "app_pages/laporan_kabupaten.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Laporan Bulanan Kabupaten"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Unduh PDF", "Unduh XLSX"]
    assert "0812" not in rendered_text(at)
    refused = app("camat@sukamaju.desa.id", synced, "app_pages/laporan_kabupaten.py")
    assert not refused.get("download_button") and any("tidak berwenang" in e.value for e in refused.error)


def test_sync_running_only_while_a_pass_runs(synced, tmp_path):
    """After a pass that ended with a desa still failing, the page does not say the sync is running
    (a browser reviewer saw '20/21 desa, perkiraan selesai 0 menit' for good); a pass reporting
    progress now does."""
    import json
    import shutil

    from services.sync.config import LAST_PASS_STATE, PROGRESS_STATE

    copy = dict(synced, store=str(tmp_path / "s.sqlite"))
    shutil.copy(synced["store"], copy["store"])
    at = app("kab@kukar.go.id", copy)
    at.run()
    assert not at.exception
    assert not any("Sinkronisasi berjalan" in i.value for i in at.info)

    store = open_store(copy["store"])
    finished = float(json.loads(store.get_state(LAST_PASS_STATE) or "{}").get("finished") or 0)
    store.mark_all_dirty()  # a new pass has everything left to read …
    store.set_state(
        PROGRESS_STATE,
        json.dumps({"done": 3, "total": 12, "minutes_left": 2, "at": max(finished, time.time())}),
    )  # … and reports its progress now
    store.close()
    at = app("kab@kukar.go.id", copy)
    at.run()
    assert not at.exception
    assert any("Sinkronisasi berjalan" in i.value and "perkiraan selesai 2 menit" in i.value for i in at.info)
