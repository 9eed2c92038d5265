"""The sync worker against the Google API fake (real HTTP, enforced per-user quota, simulated clock)."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_sources.gdrive import GoogleReader
from data_sources.gsheets import ApiBaseSession
from data_sources.snapshot_store import WorkerBusy, open_store
from metrics.profiles import profile_ids
from services.sync.registry import Registry, load_registry
from services.sync.worker import SURVEY_RECHECK_SECONDS, RequestBudget, SyncSettings, SyncWorker
from tests.fakes.kabupaten import FakeClock, FakeDesa, seed_kabupaten, write_registry
from tests.fakes.sheets_api import FakeSheetsServer

GOOGLE_QUOTA = 60  # requests per minute per user


class Killed(BaseException):
    """The worker process dying (SIGKILL) — not an error any code catches."""


def make_worker(
    server: FakeSheetsServer,
    registry: Registry,
    store_path: Path,
    clock: FakeClock,
    logs: list[str] | None = None,
) -> SyncWorker:
    reader = GoogleReader(ApiBaseSession(server.base_url))
    log = logs.append if logs is not None else (lambda _line: None)
    return SyncWorker(
        registry, open_store(store_path), reader, SyncSettings(), clock=clock, sleep=clock.sleep, log=log
    )


def rows_of(worker: SyncWorker, desa: FakeDesa) -> list[list[str]]:
    entry = next(e for e in worker.registry.entries if e.spreadsheet_id == desa.spreadsheet_id)
    return [list(r) for r in worker.store.grids([entry.desa_key])[entry.desa_key].values]


@pytest.fixture
def kabupaten(tmp_path: Path):
    """A fake with the quota enforced on a simulated clock, and a function seeding N desas (each
    with a Survei sheet unless ``survey_every`` says otherwise: one request per desa read)."""
    clock = FakeClock()
    with FakeSheetsServer() as server:
        server.set_clock(clock)
        server.set_quota(GOOGLE_QUOTA, "sheets")
        server.set_quota(GOOGLE_QUOTA, "drive")

        def seed(n_desa: int, complaints: int = 20, survey_every: int = 1) -> tuple[list[FakeDesa], Registry]:
            desas = seed_kabupaten(server, n_desa, complaints, survey_every=survey_every)
            registry = load_registry(write_registry(desas, tmp_path / "desa.toml"), profile_ids())
            return desas, registry

        yield server, clock, seed


def test_the_fake_enforces_the_per_user_quota(kabupaten) -> None:
    server, clock, seed = kabupaten
    desas, _registry = seed(1, 1)
    reader = GoogleReader(ApiBaseSession(server.base_url))
    for _ in range(GOOGLE_QUOTA):
        reader.read_register(desas[0].spreadsheet_id, "", "x")
    with pytest.raises(Exception, match="429"):
        reader.read_register(desas[0].spreadsheet_id, "", "x")
    other_user = GoogleReader(ApiBaseSession(server.base_url, token="another-user"))
    other_user.read_register(desas[0].spreadsheet_id, "", "x")  # quota is per user
    clock.sleep(60)
    reader.read_register(desas[0].spreadsheet_id, "", "x")  # next minute
    assert server.quota_rejections == 1


def test_300_desas_cold_sync_then_no_change_then_one_edit(kabupaten, tmp_path: Path) -> None:
    server, clock, seed = kabupaten
    desas, registry = seed(300, 100, survey_every=2)  # half the desas keep a Survei sheet
    logs: list[str] = []
    worker = make_worker(server, registry, tmp_path / "s.sqlite", clock, logs)

    cold = worker.run_once()
    assert server.quota_rejections == 0
    assert len(cold.read) == 300 and not cold.failed and cold.remaining == 0
    # one batchGet per desa (register + Survei); a desa without a Survei sheet: one more, once
    without_survey = sum(1 for d in desas if "Survei" not in server.sheet_titles(d.spreadsheet_id))
    assert without_survey == 150
    assert (cold.drive_requests, cold.sheets_requests) == (1, 300 + without_survey)
    assert max(server.requests_per_minute().values()) <= worker.settings.requests_per_minute < GOOGLE_QUOTA
    assert worker.budget.max_in_any_minute() <= worker.settings.requests_per_minute
    assert cold.minutes >= 300 / worker.settings.requests_per_minute - 1  # spread over the minutes needed
    assert any("/300 desa, perkiraan selesai" in line for line in logs[:3])
    assert "300/300 desa, perkiraan selesai 0 menit" in logs
    assert rows_of(worker, desas[123]) == server.values(desas[123].spreadsheet_id, "Register")
    assert sum(s.rows for s in worker.store.statuses()) == 300 * 101
    # the kabupaten figures were derived by the worker: the app only reads them
    derived = worker.store.derived()
    assert len(derived) == 300 and sum(len(d.columns["nomor"]) for d in derived.values()) == 300 * 100
    key_42 = next(s.desa_key for s in worker.store.statuses() if s.spreadsheet_id == desas[42].spreadsheet_id)

    server.reset_counts()
    quiet = worker.run_once()
    assert quiet.requests <= 1 and server.count() <= 1 and not quiet.read

    server.set_values(desas[42].spreadsheet_id, "Register", [["diedit petugas"]], start="C5")
    server.reset_counts()
    one = worker.run_once()
    assert (one.drive_requests, one.sheets_requests) == (1, 1)
    assert server.count("drive.changes.list") == 1 and server.count("values.batchGet") == 1
    assert rows_of(worker, desas[42])[4][2] == "diedit petugas"
    # derived again from the edited grid: C5 is the 4th complaint's receipt date, now unreadable
    assert derived[key_42].columns["diterima"][3] is not None
    assert worker.store.derived()[key_42].columns["diterima"][3] is None
    assert worker.store.surveys()[key_42] == server.values(desas[42].spreadsheet_id, "Survei")

    # a desa known to have no Survei sheet: one request again, and after the recheck time two
    server.set_values(desas[43].spreadsheet_id, "Register", [["diedit"]], start="C5")
    server.reset_counts()
    known_absent = worker.run_once()
    assert (known_absent.drive_requests, known_absent.sheets_requests) == (1, 1)
    clock.sleep(SURVEY_RECHECK_SECONDS)
    server.set_values(desas[43].spreadsheet_id, "Register", [["lagi"]], start="C5")
    server.reset_counts()
    again = worker.run_once()
    assert (again.drive_requests, again.sheets_requests) == (1, 2) and again.read
    assert server.quota_rejections == 0


def key_of(worker: SyncWorker, desa: FakeDesa) -> str:
    return next(e.desa_key for e in worker.registry.entries if e.spreadsheet_id == desa.spreadsheet_id)


def test_survei_sheets_present_absent_malformed_and_added_later(kabupaten, tmp_path: Path) -> None:
    server, clock, seed = kabupaten
    desas, registry = seed(4, 10, survey_every=2)  # desas 0 and 2 keep a Survei sheet; 1 and 3 none
    server.set_values(
        desas[2].spreadsheet_id, "Survei", [["No", "Desa", "Skor"]], start="A1"
    )  # header broken
    logs: list[str] = []
    worker = make_worker(server, registry, tmp_path / "s.sqlite", clock, logs)
    keys = [key_of(worker, d) for d in desas]

    cold = worker.run_once()
    assert sorted(cold.read) == sorted(keys) and not cold.failed
    assert cold.sheets_requests == 4 + 2  # desas 1 and 3: the probe refused (400), then the register
    state = {s.desa_key: s for s in worker.store.statuses()}
    assert [state[k].survey_state for k in keys] == ["ada", "tidak_ada", "ada", "tidak_ada"]
    assert sorted(worker.store.surveys()) == sorted([keys[0], keys[2]])
    assert worker.store.surveys()[keys[0]] == server.values(desas[0].spreadsheet_id, "Survei")
    # the malformed one is named, and its register synced all the same
    problem = state[keys[2]].survey_error
    assert "Desa 003" in problem and "Survei" in problem and "Nomor dan Nilai" in problem
    assert cold.survey_problems == {keys[2]: problem} and problem in logs
    assert rows_of(worker, desas[2]) == server.values(desas[2].spreadsheet_id, "Register")
    assert state[keys[0]].survey_error == ""

    # a score that is not 1-4: the rows are named, the register and the other answers stay
    server.set_values(desas[0].spreadsheet_id, "Survei", [["5"]], start="C2")
    worker.run_once()
    state = {s.desa_key: s for s in worker.store.statuses()}
    assert "1 baris dengan Nilai bukan 1–4" in state[keys[0]].survey_error
    assert "baris 2" in state[keys[0]].survey_error

    # desa 1 starts its survey: found once the recheck time has passed (then one request again)
    sheet = server.client().open_by_key(desas[1].spreadsheet_id).add_worksheet("Survei", 10, 6)
    sheet.update([["Nomor", "Desa", "Nilai"], ["X-1", "Desa 002", "4"]], "A1")
    worker.run_once()
    assert keys[1] not in worker.store.surveys()  # checked less than SURVEY_RECHECK_SECONDS ago
    clock.sleep(SURVEY_RECHECK_SECONDS)
    server.set_values(desas[1].spreadsheet_id, "Register", [["diedit"]], start="C3")
    server.reset_counts()
    found = worker.run_once()
    assert (found.drive_requests, found.sheets_requests) == (1, 1)
    assert worker.store.surveys()[keys[1]] == server.values(desas[1].spreadsheet_id, "Survei")
    assert {s.desa_key: s.survey_state for s in worker.store.statuses()}[keys[1]] == "ada"


def test_faults_stay_with_the_desa_they_belong_to(kabupaten, tmp_path: Path) -> None:
    server, clock, seed = kabupaten
    desas, registry = seed(8)
    logs: list[str] = []
    worker = make_worker(server, registry, tmp_path / "s.sqlite", clock, logs)
    worker.run_once()
    good_time = clock()
    clock.sleep(120)

    deleted, unshared, renamed_file, broken, edited = desas[0], desas[1], desas[2], desas[3], desas[4]
    server.delete_spreadsheet(deleted.spreadsheet_id)
    server.set_shared(unshared.spreadsheet_id, False)
    server.rename_spreadsheet(renamed_file.spreadsheet_id, "Register lama (arsip)")
    server.delete_rows(broken.spreadsheet_id, "Register", 1, 1)  # someone deleted the header row
    server.set_values(edited.spreadsheet_id, "Register", [["baru"]], start="C3")
    logs.clear()
    report = worker.run_once()

    keys = {d.spreadsheet_id: e.desa_key for d, e in zip(desas, registry.entries, strict=True)}
    assert set(report.failed) == {
        keys[deleted.spreadsheet_id],
        keys[unshared.spreadsheet_id],
        keys[broken.spreadsheet_id],
    }
    assert set(report.read) == {keys[renamed_file.spreadsheet_id], keys[edited.spreadsheet_id]}
    assert rows_of(worker, edited)[2][2] == "baru"
    status = {s.desa_key: s for s in worker.store.statuses()}
    for desa, word in ((deleted, "tidak ditemukan"), (unshared, "dibagikan"), (broken, "baris judul")):
        s = status[keys[desa.spreadsheet_id]]
        assert word in s.last_error and s.last_good_at == pytest.approx(good_time, abs=60)
        assert s.rows == 21  # the last good snapshot is kept
        assert any(
            line.startswith(f"GAGAL desa {desa.desa}") and "data terakhir yang baik" in line for line in logs
        )

    # failing for an hour: still named, retried with a growing pause, not every pass
    server.reset_counts()
    for _ in range(6):
        clock.sleep(10 * 60)
        worker.run_once()
    retries = server.count("values.batchGet")
    assert 3 <= retries <= 3 * 3  # 5, 10, 20, 40 minute pauses: at most 3 tries each within the hour
    s = worker.store.statuses()
    assert all(x.stale(clock(), 3600) for x in s if x.last_error)

    # sharing it again is a Drive change: read at once, error cleared
    server.set_shared(unshared.spreadsheet_id, True)
    again = worker.run_once()
    assert keys[unshared.spreadsheet_id] in again.read
    assert not {x.desa_key: x for x in worker.store.statuses()}[keys[unshared.spreadsheet_id]].last_error


def test_renamed_worksheet_is_named(kabupaten, tmp_path: Path) -> None:
    server, clock, seed = kabupaten
    desas, registry = seed(2)
    text = (
        (tmp_path / "desa.toml")
        .read_text(encoding="utf-8")
        .replace('profile = "umum"', 'profile = "umum"\nworksheet = "Register"')
    )
    (tmp_path / "desa.toml").write_text(text, encoding="utf-8")
    registry = load_registry(tmp_path / "desa.toml", profile_ids())
    worker = make_worker(server, registry, tmp_path / "s.sqlite", clock)
    worker.run_once()
    server.rename_sheet(desas[0].spreadsheet_id, "Register", "Register 2026")
    report = worker.run_once()
    assert set(report.failed) == {registry.entries[0].desa_key}
    assert "sheet 'Register'" in report.failed[registry.entries[0].desa_key]
    assert "diganti nama" in report.failed[registry.entries[0].desa_key]


def test_a_worker_killed_mid_sync_resumes_without_rereading(kabupaten, tmp_path: Path) -> None:
    server, clock, seed = kabupaten
    desas, registry = seed(30)
    first = make_worker(server, registry, tmp_path / "s.sqlite", clock)
    budget_acquire = first.budget.acquire
    sent = {"n": 0}

    def dying(kind: str = "") -> None:
        sent["n"] += 1
        if sent["n"] == 13:  # the Drive request and 11 reads went through
            raise Killed
        budget_acquire(kind)

    first.reader.before_request = dying
    with pytest.raises(Killed):
        first.run_once()
    first.store.close()
    assert server.count("values.batchGet") == 11

    server.reset_counts()
    second = make_worker(server, registry, tmp_path / "s.sqlite", clock)  # lock freed by the dead one
    report = second.run_once()
    assert server.count("values.batchGet") == 30 - 11 and len(report.read) == 19
    assert not any(s.dirty for s in second.store.statuses())
    assert all(rows_of(second, d) == server.values(d.spreadsheet_id, "Register") for d in desas)


def test_two_workers_started_at_once_one_runs(kabupaten, tmp_path: Path) -> None:
    server, clock, seed = kabupaten
    _desas, registry = seed(3)
    running = make_worker(server, registry, tmp_path / "s.sqlite", clock)
    other = make_worker(server, registry, tmp_path / "s.sqlite", clock)
    with running.store.worker_lock():
        with pytest.raises(WorkerBusy, match="sedang berjalan"):
            other.run_once()
        assert server.count("values.batchGet") == 0
    assert len(other.run_once().read) == 3


def test_budget_never_exceeds_its_rate() -> None:
    clock = FakeClock()
    budget = RequestBudget(7, clock, clock.sleep)
    for i in range(50):
        budget.acquire()
        clock.sleep(0.5 if i % 3 else 3)
    assert budget.max_in_any_minute() == 7
    assert clock.slept > 60 * 5


def test_worker_on_postgresql_one_worker_many_readers(kabupaten, postgres_url: str) -> None:
    import uuid

    import psycopg

    server, clock, seed = kabupaten
    desas, registry = seed(20)
    name = "w_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = postgres_url.rsplit("/", 1)[0] + "/" + name

    def worker() -> SyncWorker:
        reader = GoogleReader(ApiBaseSession(server.base_url))
        return SyncWorker(
            registry,
            open_store(url),
            reader,
            SyncSettings(),
            clock=clock,
            sleep=clock.sleep,
            log=lambda _l: None,
        )

    first, second = worker(), worker()
    cold = first.run_once()
    assert len(cold.read) == 20 and server.quota_rejections == 0
    server.set_values(desas[3].spreadsheet_id, "Register", [["ubah"]], start="D4")
    with first.store.worker_lock(), pytest.raises(WorkerBusy, match="PostgreSQL"):
        second.run_once()
    one = second.run_once()
    assert (one.drive_requests, one.sheets_requests) == (1, 1)
    reader = open_store(url)  # an app server
    assert rows_of(first, desas[3])[3][3] == "ubah"
    assert {s.desa_key for s in reader.statuses() if s.last_good_at} == {e.desa_key for e in registry.entries}
    for s in (first.store, second.store, reader):
        s.close()


def test_watch_runs_a_pass_every_interval_until_stopped(kabupaten, tmp_path: Path) -> None:
    server, clock, seed = kabupaten
    desas, registry = seed(3)
    worker = make_worker(server, registry, tmp_path / "s.sqlite", clock)
    passes: list[float] = []
    real_pass = worker.run_pass

    def counted():
        passes.append(clock())
        if len(passes) == 2:
            server.set_values(desas[0].spreadsheet_id, "Register", [["x"]], start="B2")
        return real_pass()

    worker.run_pass = counted  # type: ignore[method-assign]
    worker.watch(stop=lambda: len(passes) >= 4)
    assert len(passes) == 4
    assert [round(b - a) for a, b in zip(passes, passes[1:], strict=False)] == [60, 60, 60]
    assert server.count("values.batchGet") == 3 + 1  # cold, then only the edited desa
    assert rows_of(worker, desas[0])[1][1] == "x"


def test_a_renamed_essential_column_is_a_named_failure_not_a_silent_drop(kabupaten, tmp_path: Path) -> None:
    """'Tanggal Diterima' retitled 'Kapan': the header is still found (Nomor, Desa …), but the desa's
    complaints would leave every figure; the desa is failing with its last good data kept and named
    (the browser reviewer saw it vanish from the kecamatan comparison without a word)."""
    server, clock, seed = kabupaten
    desas, registry = seed(3)
    logs: list[str] = []
    worker = make_worker(server, registry, tmp_path / "s.sqlite", clock, logs)
    worker.run_once()
    clock.sleep(120)
    retitled = desas[1]
    header = server.values(retitled.spreadsheet_id, "Register")[0]
    column = header.index("Tanggal Diterima")
    server.set_values(retitled.spreadsheet_id, "Register", [["Kapan"]], start=f"{chr(ord('A') + column)}1")
    logs.clear()
    report = worker.run_once()
    key = registry.entries[1].desa_key
    assert set(report.failed) == {key} and not report.read
    status = {s.desa_key: s for s in worker.store.statuses()}[key]
    assert "kolom wajib Tanggal Diterima tidak ada" in status.last_error and status.rows == 21
    assert any(line.startswith(f"GAGAL desa {retitled.desa}") for line in logs)
