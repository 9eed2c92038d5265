"""The snapshot store on SQLite and on a real PostgreSQL server: replace per desa in one
transaction, status per desa, one worker at a time, readers in other connections."""

from __future__ import annotations

import threading
import uuid

import pytest

from data_sources.base import SheetGrid
from data_sources.snapshot_store import (
    SCHEMA_VERSION,
    SURVEY_ABSENT,
    SURVEY_PRESENT,
    Derived,
    DesaEntry,
    SnapshotStore,
    SurveySnapshot,
    WorkerBusy,
    open_store,
)

ENTRIES = [
    DesaEntry("k1/a", "Kab", "K1", "Alpha", "sheetA", "umum"),
    DesaEntry("k1/b", "Kab", "K1", "Beta", "sheetB", "cipari", "Register"),
    DesaEntry("k2/c", "Kab", "K2", "Gamma", "sheetC", "babakan"),
]


class Killed(BaseException):
    """A worker dying in the middle of a transaction."""


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "snapshot.sqlite")
    base = request.getfixturevalue("postgres_url")
    # a fresh database per test
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    s.sync_registry(ENTRIES)
    yield s
    s.close()


def grid(name: str, *rows: list[str]) -> SheetGrid:
    return SheetGrid(name, [["Nomor", "Tanggal Diterima"], *rows], f"https://example/{name}")


def test_new_desas_are_due_and_a_saved_grid_reads_back(store: SnapshotStore) -> None:
    assert [s.desa_key for s in store.due(now=0)] == ["k1/a", "k1/b", "k2/c"]
    store.save_grid("k1/b", grid("Beta", ["1", "01/02/2025"], ["2", "03/02/2025"]), at=100.0)
    assert [s.desa_key for s in store.due(now=0)] == ["k1/a", "k2/c"]
    read = store.grids(["k1/b"])["k1/b"]
    assert read.name == "Beta"
    assert [list(r) for r in read.values] == [
        ["Nomor", "Tanggal Diterima"],
        ["1", "01/02/2025"],
        ["2", "03/02/2025"],
    ]
    status = {s.desa_key: s for s in store.statuses()}["k1/b"]
    assert (status.last_good_at, status.rows, status.profile, status.worksheet) == (
        100.0,
        3,
        "cipari",
        "Register",
    )


def test_a_second_save_replaces_the_rows_and_an_error_keeps_the_last_good_snapshot(
    store: SnapshotStore,
) -> None:
    store.save_grid("k1/a", grid("Alpha", ["1", "x"], ["2", "y"], ["3", "z"]), at=10.0)
    store.save_grid("k1/a", grid("Alpha", ["9", "w"]), at=20.0)
    assert [list(r) for r in store.grids(["k1/a"])["k1/a"].values] == [
        ["Nomor", "Tanggal Diterima"],
        ["9", "w"],
    ]
    store.save_error("k1/a", "spreadsheet dihapus", at=30.0, retry_at=330.0)
    store.save_error("k1/a", "spreadsheet dihapus", at=40.0, retry_at=640.0)
    status = {s.desa_key: s for s in store.statuses()}["k1/a"]
    assert (status.last_good_at, status.failing_since, status.failures) == (20.0, 30.0, 2)
    assert status.last_error == "spreadsheet dihapus"
    assert len(store.grids(["k1/a"])["k1/a"].values) == 2  # the last good rows are still there


def test_a_worker_killed_inside_the_replace_leaves_the_old_snapshot(
    store: SnapshotStore, store_url: str
) -> None:
    store.save_grid("k2/c", grid("Gamma", ["1", "old"]), at=5.0)

    def die() -> None:
        raise Killed

    with pytest.raises(Killed):
        store.save_grid("k2/c", grid("Gamma", ["1", "new"], ["2", "new"]), at=6.0, _between=die)
    reader = open_store(store_url)  # another connection, like an app server
    try:
        assert [list(r) for r in reader.grids(["k2/c"])["k2/c"].values][1] == ["1", "old"]
        assert {s.desa_key: s for s in reader.statuses()}["k2/c"].last_good_at == 5.0
    finally:
        reader.close()


def test_changes_mark_desas_and_save_the_token_together(store: SnapshotStore) -> None:
    for e in ENTRIES:
        store.save_grid(e.desa_key, grid(e.desa), at=1.0)
    store.save_error("k2/c", "gagal", at=2.0, retry_at=10_000.0)
    marked = store.mark_changed({"sheetC", "not-a-desa"}, "token", "42")
    assert marked == 1
    assert store.get_state("token") == "42"
    # a reported change overrides the error backoff
    assert [s.desa_key for s in store.due(now=3.0)] == ["k2/c"]


def test_registry_changes_add_and_remove_desas(store: SnapshotStore) -> None:
    store.save_grid("k1/a", grid("Alpha", ["1", "x"]), at=1.0)
    changed, removed = store.sync_registry(
        [ENTRIES[0], DesaEntry("k3/d", "Kab", "K3", "Delta", "sheetD", "umum")]
    )
    assert (changed, removed) == (1, 2)
    assert [s.desa_key for s in store.statuses()] == ["k1/a", "k3/d"]
    assert not {s.desa_key: s for s in store.statuses()}["k1/a"].dirty  # unchanged entry keeps its snapshot


def test_two_workers_at_once_one_runs(store_url: str) -> None:
    first, second = open_store(store_url), open_store(store_url)
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def worker(name: str, s: SnapshotStore, hold: threading.Event) -> None:
        barrier.wait()
        try:
            with s.worker_lock():
                outcome[name] = "ran"
                hold.wait(5)
        except WorkerBusy:
            outcome[name] = "busy"

    release = threading.Event()
    threads = [
        threading.Thread(target=worker, args=(n, s, release)) for n, s in (("a", first), ("b", second))
    ]
    for t in threads:
        t.start()
    for _ in range(500):
        if len(outcome) == 2:
            break
        threading.Event().wait(0.01)
    release.set()
    for t in threads:
        t.join(10)
    assert sorted(outcome.values()) == ["busy", "ran"]
    # once released, the next worker gets the lock
    with first.worker_lock():
        pass
    first.close()
    second.close()


def test_derived_figures_live_and_die_with_their_grid(store: SnapshotStore) -> None:
    figures = Derived("v1:cipari", 100.0, {"nomor": ["1", None], "hari": [1.5, None]})
    store.save_grid("k1/b", grid("Beta", ["1", "01/02/2025"]), at=100.0, derived=figures)
    assert store.derived() == {"k1/b": figures}
    # a reader's figures made from the grid of 100.0 land; made from an older grid they do not
    later = Derived("v2:cipari", 150.0, {"nomor": ["1"]})
    assert store.save_derived("k1/b", later, grid_at=100.0) is True
    assert store.derived()["k1/b"] == later
    assert store.save_derived("k1/b", figures, grid_at=99.0) is False
    assert store.derived()["k1/b"] == later
    # the grid replaced without figures: the old figures are gone in the same transaction
    store.save_grid("k1/b", grid("Beta", ["2", "02/02/2025"]), at=200.0)
    assert store.derived() == {}
    # a desa removed from the registry takes its figures along
    store.save_grid("k1/a", grid("Alpha", ["1", "x"]), at=10.0, derived=figures)
    store.sync_registry([e for e in ENTRIES if e.desa_key != "k1/a"])
    assert "k1/a" not in store.derived()


def test_survey_cells_are_saved_with_the_grid_and_kept_when_not_read(store: SnapshotStore) -> None:
    survey = [["Nomor", "Desa", "Nilai"], ["A-1", "Alpha", "4"], ["A-2", "Alpha", "=1+1"]]
    store.save_grid(
        "k1/a", grid("Alpha", ["A-1", "01/02/2026"]), 10.0, survey=SurveySnapshot(SURVEY_PRESENT, survey)
    )
    store.save_grid("k1/b", grid("Beta"), 11.0, survey=SurveySnapshot(SURVEY_ABSENT, []))
    assert store.surveys() == {"k1/a": survey}
    status = {s.desa_key: s for s in store.statuses()}
    assert (status["k1/a"].survey_state, status["k1/a"].survey_checked_at) == (SURVEY_PRESENT, 10.0)
    assert (status["k1/b"].survey_state, status["k1/b"].survey_checked_at) == (SURVEY_ABSENT, 11.0)
    assert status["k2/c"].survey_state == "" and status["k2/c"].survey_checked_at is None
    # a read without the Survei sheet keeps what was stored; a malformed one is kept with its problem
    store.save_grid("k1/a", grid("Alpha"), 12.0)
    assert store.surveys() == {"k1/a": survey}
    store.save_grid("k1/a", grid("Alpha"), 13.0, survey=SurveySnapshot(SURVEY_PRESENT, [["x"]], "rusak"))
    assert store.surveys() == {"k1/a": [["x"]]}
    assert {s.desa_key: s.survey_error for s in store.statuses()}["k1/a"] == "rusak"
    # a torn write leaves the old grid AND the old survey
    with pytest.raises(Killed):
        store.save_grid(
            "k1/a",
            grid("Alpha", ["A-9", "02/02/2026"]),
            14.0,
            survey=SurveySnapshot(SURVEY_PRESENT, [["Nomor", "Nilai"]]),
            _between=lambda: (_ for _ in ()).throw(Killed()),
        )
    assert store.surveys() == {"k1/a": [["x"]]}
    # a desa removed from the registry takes its survey with it
    store.sync_registry(ENTRIES[1:])
    assert store.surveys() == {}


_V1_DESA = """CREATE TABLE desa (
    desa_key TEXT PRIMARY KEY, kabupaten TEXT NOT NULL, kecamatan TEXT NOT NULL, desa TEXT NOT NULL,
    spreadsheet_id TEXT NOT NULL, worksheet TEXT NOT NULL, profile TEXT NOT NULL,
    dirty INTEGER NOT NULL DEFAULT 1, rows INTEGER NOT NULL DEFAULT 0, sheet_url TEXT NOT NULL DEFAULT '',
    last_good_at DOUBLE PRECISION, last_error TEXT NOT NULL DEFAULT '', failing_since DOUBLE PRECISION,
    failures INTEGER NOT NULL DEFAULT 0, next_attempt_at DOUBLE PRECISION NOT NULL DEFAULT 0)"""
_V1_ROWS = (
    "CREATE TABLE grid_row (desa_key TEXT NOT NULL, row_no INTEGER NOT NULL, cells TEXT NOT NULL, "
    "PRIMARY KEY (desa_key, row_no))",
    "INSERT INTO desa (desa_key, kabupaten, kecamatan, desa, spreadsheet_id, worksheet, profile, dirty, rows, "
    "last_good_at) VALUES ('k1/a', 'Kab', 'K1', 'Alpha', 'sheetA', '', 'umum', 0, 2, 5.0)",
    "INSERT INTO grid_row VALUES ('k1/a', 0, '[\"Nomor\", \"Tanggal Diterima\"]')",
    "INSERT INTO grid_row VALUES ('k1/a', 1, '[\"A-1\", \"01/02/2026\"]')",
)


def test_a_version_1_store_is_migrated_in_place_without_losing_it(store_url: str) -> None:
    if store_url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(store_url, autocommit=True) as conn:
            for statement in (_V1_DESA, *_V1_ROWS):
                conn.execute(statement)
    else:
        import sqlite3

        conn = sqlite3.connect(store_url)
        for statement in (_V1_DESA, *_V1_ROWS):
            conn.execute(statement)
        conn.commit()
        conn.close()
    store = open_store(store_url)
    try:
        assert store.schema_version() == SCHEMA_VERSION == 2
        [status] = store.statuses()
        assert (status.desa, status.last_good_at, status.rows, status.dirty) == ("Alpha", 5.0, 2, False)
        assert (status.survey_state, status.survey_checked_at, status.survey_error) == ("", None, "")
        assert store.grids()["k1/a"].values == [["Nomor", "Tanggal Diterima"], ["A-1", "01/02/2026"]]
        store.save_grid(
            "k1/a", grid("Alpha"), 6.0, survey=SurveySnapshot(SURVEY_PRESENT, [["Nomor", "Nilai"]])
        )
        assert store.surveys() == {"k1/a": [["Nomor", "Nilai"]]}
    finally:
        store.close()
    reopened = open_store(store_url)  # opening a current store again changes nothing
    try:
        assert reopened.surveys() == {"k1/a": [["Nomor", "Nilai"]]} and len(reopened.statuses()) == 1
    finally:
        reopened.close()
