"""The snapshot store between Google Sheets and the app: every desa's raw register cells.

One sync worker writes, any number of app servers read. Two backends with the same schema:

* **SQLite** (default, a file such as ``.pantau/snapshot.sqlite``): in the standard library, one
  file, WAL journal so readers in other processes never block on the writer and always see the
  last committed snapshot. Chosen over DuckDB because DuckDB lets only ONE process open a
  database file for writing, and while it does no other process may open it even read-only — the
  worker and the Streamlit servers would lock each other out. The data is small (30,000
  complaints a year ≈ a few MB of cells); what matters is a transactional replace per desa and
  concurrent readers, which SQLite does, not columnar scans (pandas does those after loading).
* **PostgreSQL** by URL (``postgresql://user@host/db``, psycopg 3): for several app servers on
  different machines.

Guarantees
    A desa's rows are replaced in ONE transaction (delete + insert + status), so a reader or a
    worker killed halfway sees either the old snapshot or the new one, never a mix. Per desa the
    store keeps the last good sync time, the last error (with the time it started failing), its
    SOP profile and whether it still has to be read (``dirty``: survives a killed worker, so the
    next run reads only what is left). A desa's satisfaction survey cells (its ``Survei`` sheet,
    read in the same request as the register) are replaced in the same transaction as its grid;
    per desa the store remembers whether its spreadsheet has a ``Survei`` sheet (and when that was
    last checked) and the problem of a malformed one. The worker holds a lock for its whole run — SQLite: a lock
    file next to the database (``fcntl`` via filelock, released by the OS when the process dies);
    PostgreSQL: ``pg_try_advisory_lock`` on its own connection — so two workers never run at once.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data_sources.base import SheetGrid, SourceError

__all__ = [
    "SCHEMA_VERSION",
    "SURVEY_ABSENT",
    "SURVEY_PRESENT",
    "DesaEntry",
    "DesaStatus",
    "Derived",
    "SnapshotStore",
    "SurveySnapshot",
    "WorkerBusy",
    "open_store",
]

_ADVISORY_KEY = 7_204_017  # pg_try_advisory_lock key of the sync worker ("pantau sync")

# Version of the store's schema (``sync_state`` row ``schema_version``); an older store file is
# migrated in place when opened (columns added, nothing dropped). 2: survey cells per desa.
SCHEMA_VERSION = 2
SCHEMA_STATE = "schema_version"
SURVEY_PRESENT = "ada"  # the desa's spreadsheet has a Survei sheet
SURVEY_ABSENT = "tidak_ada"  # it has none (checked at ``survey_checked_at``)

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS desa (
        desa_key TEXT PRIMARY KEY,
        kabupaten TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        desa TEXT NOT NULL,
        spreadsheet_id TEXT NOT NULL,
        worksheet TEXT NOT NULL,
        profile TEXT NOT NULL,
        dirty INTEGER NOT NULL DEFAULT 1,
        rows INTEGER NOT NULL DEFAULT 0,
        sheet_url TEXT NOT NULL DEFAULT '',
        last_good_at DOUBLE PRECISION,
        last_error TEXT NOT NULL DEFAULT '',
        failing_since DOUBLE PRECISION,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at DOUBLE PRECISION NOT NULL DEFAULT 0,
        survey_state TEXT NOT NULL DEFAULT '',
        survey_checked_at DOUBLE PRECISION,
        survey_error TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS grid_row (
        desa_key TEXT NOT NULL,
        row_no INTEGER NOT NULL,
        cells TEXT NOT NULL,
        PRIMARY KEY (desa_key, row_no)
    )""",
    "CREATE TABLE IF NOT EXISTS sync_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # figures derived from a desa's current grid, written with the grid in the same transaction:
    # ``version`` names the derivation (and the profile it used); ``cells`` all rows as one JSON
    # list (one decode per desa, not per complaint: the app reads 300 desas in a few milliseconds)
    """CREATE TABLE IF NOT EXISTS derived (
        desa_key TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        built_at DOUBLE PRECISION NOT NULL,
        cells TEXT NOT NULL
    )""",
    # the desa's Survei sheet cells (header first) as one JSON list, replaced with its grid
    """CREATE TABLE IF NOT EXISTS survey (
        desa_key TEXT PRIMARY KEY,
        cells TEXT NOT NULL
    )""",
)
# Columns added to ``desa`` after version 1 (an older store gets them with these definitions).
_ADDED_DESA_COLUMNS = (
    ("survey_state", "TEXT NOT NULL DEFAULT ''"),
    ("survey_checked_at", "DOUBLE PRECISION"),
    ("survey_error", "TEXT NOT NULL DEFAULT ''"),
)


class WorkerBusy(SourceError):
    """Another sync worker holds the lock."""


class StoreUnavailable(SourceError):
    """The store cannot be read or written now (file damaged, locked, deleted; database down).
    The message names the store; the next use opens it again."""


def _unavailable(where: str, error: object) -> StoreUnavailable:
    return StoreUnavailable(
        f"Penyimpanan sinkronisasi ({where}) tidak dapat dipakai saat ini: {error}. "
        "Periksa berkas atau server penyimpanan ([sync] store); halaman akan mencoba lagi."
    )


@dataclass(frozen=True)
class Derived:
    """Figures derived from a desa's grid (e.g. the kabupaten milestone rows), stored with it:
    ``version`` says which derivation (and profile) made them, ``built_at`` the clock it judged at,
    ``columns`` maps a column name to its values (JSON-able; columnar, so decoding is cheap)."""

    version: str
    built_at: float
    columns: dict[str, list[Any]]


@dataclass(frozen=True)
class SurveySnapshot:
    """What one read learned about a desa's ``Survei`` sheet, saved with its grid.

    ``state``: :data:`SURVEY_PRESENT` (``cells`` are the sheet's cells, header first; ``error``
    names a malformed sheet) or :data:`SURVEY_ABSENT` (the spreadsheet has no such sheet)."""

    state: str
    cells: list[list[str]]
    error: str = ""


@dataclass(frozen=True)
class DesaEntry:
    """One desa of the registry, as the store keeps it."""

    desa_key: str
    kabupaten: str
    kecamatan: str
    desa: str
    spreadsheet_id: str
    profile: str
    worksheet: str = ""


@dataclass(frozen=True)
class DesaStatus:
    """A desa's sync state (times are epoch seconds of the worker's clock)."""

    desa_key: str
    kabupaten: str
    kecamatan: str
    desa: str
    spreadsheet_id: str
    worksheet: str
    profile: str
    dirty: bool
    rows: int
    sheet_url: str
    last_good_at: float | None
    last_error: str
    failing_since: float | None
    failures: int
    next_attempt_at: float
    survey_state: str = ""  # "" not checked yet, SURVEY_PRESENT or SURVEY_ABSENT
    survey_checked_at: float | None = None
    survey_error: str = ""  # a malformed Survei sheet, named

    def stale(self, now: float, stale_after_seconds: float) -> bool:
        """Never synced, or the last good sync is older than ``stale_after_seconds``."""
        return self.last_good_at is None or now - self.last_good_at > stale_after_seconds


_STATUS_COLUMNS = (
    "desa_key, kabupaten, kecamatan, desa, spreadsheet_id, worksheet, profile, dirty, rows, sheet_url, "
    "last_good_at, last_error, failing_since, failures, next_attempt_at, survey_state, survey_checked_at, "
    "survey_error"
)


def _status(row: Sequence[Any]) -> DesaStatus:
    values = list(row)
    values[7] = bool(values[7])
    return DesaStatus(*values)


class SnapshotStore:
    """Shared logic; subclasses give the connection, the placeholder style and the lock."""

    placeholder = "?"
    url: str = ""

    # ---------------------------------------------------------------- backend hooks
    def _connect(self) -> Any:
        raise NotImplementedError

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[Any]:
        raise NotImplementedError
        yield

    def worker_lock(self) -> contextlib.AbstractContextManager[None]:
        """Held for a whole worker run; raises WorkerBusy when another worker holds it."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # ---------------------------------------------------------------- helpers
    def _sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", "%s")

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._transaction(write=False) as cur:
            cur.execute(self._sql(sql), tuple(params))
            return list(cur.fetchall())

    def _desa_columns(self, cur: Any) -> set[str]:
        """The columns the ``desa`` table has now (backend-specific)."""
        raise NotImplementedError

    def create_schema(self) -> None:
        """Create the tables, or bring an older store up to :data:`SCHEMA_VERSION` in place."""
        with self._transaction() as cur:
            for statement in _SCHEMA:
                cur.execute(statement)
            have = self._desa_columns(cur)
            for name, definition in _ADDED_DESA_COLUMNS:
                if name not in have:
                    cur.execute(f"ALTER TABLE desa ADD COLUMN {name} {definition}")
            self.set_state(SCHEMA_STATE, str(SCHEMA_VERSION), cur)

    def schema_version(self) -> int:
        return int(self.get_state(SCHEMA_STATE) or 1)

    # ---------------------------------------------------------------- state
    def get_state(self, name: str) -> str | None:
        rows = self._rows("SELECT value FROM sync_state WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else None

    def set_state(self, name: str, value: str, cur: Any = None) -> None:
        sql = self._sql(
            "INSERT INTO sync_state (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        )
        if cur is not None:
            cur.execute(sql, (name, value))
            return
        with self._transaction() as own:
            own.execute(sql, (name, value))

    # ---------------------------------------------------------------- registry
    def sync_registry(self, entries: Iterable[DesaEntry]) -> tuple[int, int]:
        """Make the store's desa list the registry's: new desas (or a new spreadsheet/worksheet/
        profile) are marked to be read; desas no longer listed are removed with their rows.
        Returns (added or changed, removed)."""
        wanted = {e.desa_key: e for e in entries}
        changed = removed = 0
        with self._transaction() as cur:
            cur.execute(
                "SELECT desa_key, spreadsheet_id, worksheet, profile, kabupaten, kecamatan, desa FROM desa"
            )
            have = {row[0]: tuple(row[1:]) for row in cur.fetchall()}
            for key in set(have) - set(wanted):
                cur.execute(self._sql("DELETE FROM grid_row WHERE desa_key = ?"), (key,))
                cur.execute(self._sql("DELETE FROM survey WHERE desa_key = ?"), (key,))
                self._replace_derived(cur, key, None)
                cur.execute(self._sql("DELETE FROM desa WHERE desa_key = ?"), (key,))
                removed += 1
            for key, e in wanted.items():
                spec = (e.spreadsheet_id, e.worksheet, e.profile, e.kabupaten, e.kecamatan, e.desa)
                if have.get(key) == spec:
                    continue
                changed += 1
                cur.execute(
                    self._sql(
                        "INSERT INTO desa (desa_key, kabupaten, kecamatan, desa, spreadsheet_id, worksheet, "
                        "profile, dirty, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0) "
                        "ON CONFLICT (desa_key) DO UPDATE SET kabupaten = excluded.kabupaten, "
                        "kecamatan = excluded.kecamatan, desa = excluded.desa, "
                        "spreadsheet_id = excluded.spreadsheet_id, worksheet = excluded.worksheet, "
                        "profile = excluded.profile, dirty = 1, next_attempt_at = 0, survey_state = ''"
                    ),
                    (key, e.kabupaten, e.kecamatan, e.desa, e.spreadsheet_id, e.worksheet, e.profile),
                )
        return changed, removed

    def mark_changed(self, spreadsheet_ids: Iterable[str], token_name: str, new_token: str) -> int:
        """Mark the desas of these spreadsheets to be read (now, whatever their error backoff)
        and save the Drive page token — in one transaction, so no change is ever lost between
        them. Returns how many desas were marked."""
        ids = sorted(set(spreadsheet_ids))
        marked = 0
        with self._transaction() as cur:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                cur.execute(
                    self._sql(
                        f"UPDATE desa SET dirty = 1, next_attempt_at = 0 WHERE spreadsheet_id IN ({marks})"
                    ),
                    tuple(chunk),
                )
                marked += max(cur.rowcount, 0)
            self.set_state(token_name, new_token, cur)
        return marked

    def mark_dirty(self, desa_keys: Iterable[str]) -> None:
        """Mark these desas to be read at the worker's next pass (e.g. an app write whose
        refresh of the store failed)."""
        with self._transaction() as cur:
            for key in desa_keys:
                cur.execute(
                    self._sql("UPDATE desa SET dirty = 1, next_attempt_at = 0 WHERE desa_key = ?"), (key,)
                )

    def mark_all_dirty(self) -> None:
        with self._transaction() as cur:
            cur.execute("UPDATE desa SET dirty = 1, next_attempt_at = 0")

    def due(self, now: float) -> list[DesaStatus]:
        """Desas still to be read whose error backoff (if any) has passed, in registry order."""
        rows = self._rows(
            f"SELECT {_STATUS_COLUMNS} FROM desa WHERE dirty = 1 AND next_attempt_at <= ? "
            "ORDER BY kecamatan, desa",
            (now,),
        )
        return [_status(r) for r in rows]

    def statuses(self) -> list[DesaStatus]:
        return [
            _status(r) for r in self._rows(f"SELECT {_STATUS_COLUMNS} FROM desa ORDER BY kecamatan, desa")
        ]

    # ---------------------------------------------------------------- writing one desa
    def save_grid(
        self,
        desa_key: str,
        grid: SheetGrid,
        at: float,
        *,
        derived: Derived | None = None,
        survey: SurveySnapshot | None = None,
        _between: Any = None,
    ) -> None:
        """Replace the desa's rows with ``grid`` (and its derived figures, or none) and mark it
        synced, in ONE transaction: derived rows never outlive the grid they were made from.
        ``survey``: what this read saw of the desa's Survei sheet, saved in the same transaction
        (``None``: not read this time — the stored survey cells stay as they are)."""
        rows = [(desa_key, i, json.dumps(list(row), ensure_ascii=False)) for i, row in enumerate(grid.values)]
        with self._transaction() as cur:
            cur.execute(self._sql("DELETE FROM grid_row WHERE desa_key = ?"), (desa_key,))
            if _between is not None:
                _between()  # tests: a worker killed between the delete and the insert
            if rows:
                cur.executemany(
                    self._sql("INSERT INTO grid_row (desa_key, row_no, cells) VALUES (?, ?, ?)"), rows
                )
            self._replace_derived(cur, desa_key, derived)
            if survey is not None:
                self._replace_survey(cur, desa_key, survey, at)
            cur.execute(
                self._sql(
                    "UPDATE desa SET dirty = 0, rows = ?, sheet_url = ?, last_good_at = ?, last_error = '', "
                    "failing_since = NULL, failures = 0, next_attempt_at = 0 WHERE desa_key = ?"
                ),
                (len(rows), grid.url or "", at, desa_key),
            )

    def _replace_survey(self, cur: Any, desa_key: str, survey: SurveySnapshot, at: float) -> None:
        cur.execute(self._sql("DELETE FROM survey WHERE desa_key = ?"), (desa_key,))
        if survey.state == SURVEY_PRESENT:
            cur.execute(
                self._sql("INSERT INTO survey (desa_key, cells) VALUES (?, ?)"),
                (desa_key, json.dumps([list(r) for r in survey.cells], ensure_ascii=False)),
            )
        cur.execute(
            self._sql(
                "UPDATE desa SET survey_state = ?, survey_checked_at = ?, survey_error = ? WHERE desa_key = ?"
            ),
            (survey.state, at, survey.error, desa_key),
        )

    def surveys(self) -> dict[str, list[list[str]]]:
        """desa_key -> the cells of its Survei sheet saved with its current grid (header first);
        desas without a Survei sheet (or not read since the store learned them): absent."""
        return {
            str(key): [[str(c) for c in row] for row in json.loads(text)]
            for key, text in self._rows("SELECT desa_key, cells FROM survey")
        }

    def _replace_derived(self, cur: Any, desa_key: str, derived: Derived | None) -> None:
        cur.execute(self._sql("DELETE FROM derived WHERE desa_key = ?"), (desa_key,))
        if derived is None:
            return
        cur.execute(
            self._sql("INSERT INTO derived (desa_key, version, built_at, cells) VALUES (?, ?, ?, ?)"),
            (
                desa_key,
                derived.version,
                derived.built_at,
                json.dumps(derived.columns, ensure_ascii=False),
            ),
        )

    def save_derived(self, desa_key: str, derived: Derived, *, grid_at: float) -> bool:
        """Store derived figures of the desa's grid saved at ``grid_at``; False (nothing written)
        when the grid was replaced meanwhile — figures of an older grid never land on a newer one."""
        with self._transaction() as cur:
            cur.execute(self._sql("SELECT last_good_at FROM desa WHERE desa_key = ?"), (desa_key,))
            found = cur.fetchone()
            if not found or found[0] is None or float(found[0]) != float(grid_at):
                return False
            self._replace_derived(cur, desa_key, derived)
        return True

    def derived(self) -> dict[str, Derived]:
        """desa_key -> the derived figures stored with its current grid (desas without: absent)."""
        return {
            str(key): Derived(str(version), float(built_at), json.loads(text))
            for key, version, built_at, text in self._rows(
                "SELECT desa_key, version, built_at, cells FROM derived"
            )
        }

    def save_error(self, desa_key: str, message: str, at: float, retry_at: float) -> None:
        """Record a failed read; the desa's rows (its last good snapshot) stay as they were."""
        with self._transaction() as cur:
            cur.execute(
                self._sql(
                    "UPDATE desa SET last_error = ?, failing_since = COALESCE(failing_since, ?), "
                    "failures = failures + 1, next_attempt_at = ? WHERE desa_key = ?"
                ),
                (message, at, retry_at, desa_key),
            )

    # ---------------------------------------------------------------- reading for the app
    def grids(self, desa_keys: Iterable[str] | None = None) -> dict[str, SheetGrid]:
        """desa_key -> its last good register grid (a SheetGrid named after the desa)."""
        statuses = {s.desa_key: s for s in self.statuses()}
        wanted = set(statuses) if desa_keys is None else set(desa_keys) & set(statuses)
        cells: dict[str, list[list[str]]] = {key: [] for key in wanted}
        if desa_keys is None:
            found = self._rows("SELECT desa_key, row_no, cells FROM grid_row ORDER BY desa_key, row_no")
        else:
            keys = sorted(wanted)
            found = []
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                found += self._rows(
                    f"SELECT desa_key, row_no, cells FROM grid_row WHERE desa_key IN ({marks}) "
                    "ORDER BY desa_key, row_no",
                    chunk,
                )
        for key, _row_no, text in found:
            if key in cells:
                cells[key].append(json.loads(text))
        return {
            key: SheetGrid(statuses[key].desa, cells[key], statuses[key].sheet_url or None)
            for key in sorted(wanted, key=lambda k: (statuses[k].kecamatan, statuses[k].desa))
        }


class SqliteStore(SnapshotStore):
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._thread_lock = threading.RLock()
        self._open()
        if self._stored_schema() != SCHEMA_VERSION:  # a reader of a current store needs no write lock
            self.create_schema()

    def _open(self) -> None:
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._inode = self.path.stat().st_ino
        except (sqlite3.Error, OSError) as error:
            raise _unavailable(self.path.name, error) from error

    def _stored_schema(self) -> int:
        try:
            return self.schema_version()
        except StoreUnavailable:
            return 0  # no tables yet (a new file) or unreadable: create_schema says which

    def _current_connection(self) -> None:
        """Open the file again when it was replaced or deleted since (a connection would go on
        reading the deleted file, and never see the worker's new one)."""
        try:
            inode = self.path.stat().st_ino
        except OSError as error:
            raise _unavailable(self.path.name, "berkas tidak ada") from error
        if inode != self._inode:
            self._conn.close()
            self._open()
            if self._stored_schema() != SCHEMA_VERSION:
                self.create_schema()

    def _desa_columns(self, cur: Any) -> set[str]:
        cur.execute("PRAGMA table_info(desa)")
        return {str(row[1]) for row in cur.fetchall()}

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[Any]:
        with self._thread_lock:  # one connection shared by an app server's sessions
            self._current_connection()
            try:
                cur = self._conn.cursor()
                cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as error:
                raise _unavailable(self.path.name, error) from error
            try:
                yield cur
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    cur.execute("ROLLBACK")
                raise _unavailable(self.path.name, error) from error
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    cur.execute("ROLLBACK")
                raise
            try:
                cur.execute("COMMIT")
            except sqlite3.Error as error:
                raise _unavailable(self.path.name, error) from error

    @contextlib.contextmanager
    def worker_lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.path) + ".lock", is_singleton=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise WorkerBusy(
                f"Worker sinkronisasi lain sedang berjalan (kunci {self.path}.lock dipegang proses lain)."
            ) from None
        try:
            yield
        finally:
            lock.release()

    def close(self) -> None:
        self._conn.close()


class PostgresStore(SnapshotStore):
    placeholder = "%s"

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as error:
            raise SourceError(f"Tidak dapat tersambung ke PostgreSQL [sync] store ({error}).") from error
        self._thread_lock = threading.RLock()
        self.create_schema()

    def _desa_columns(self, cur: Any) -> set[str]:
        cur.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'desa'"
        )
        return {str(row[0]) for row in cur.fetchall()}

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[Any]:
        with self._thread_lock:
            if self._conn.closed or self._conn.broken:  # a server restart: connect again
                try:
                    self._conn = self._psycopg.connect(self.url, autocommit=True)
                except self._psycopg.Error as error:
                    raise _unavailable("PostgreSQL", error) from error
            try:
                with self._conn.transaction(), self._conn.cursor() as cur:
                    yield cur
            except self._psycopg.Error as error:
                raise _unavailable("PostgreSQL", error) from error

    @contextlib.contextmanager
    def worker_lock(self) -> Iterator[None]:
        conn = self._psycopg.connect(self.url, autocommit=True)
        try:
            got = conn.execute("SELECT pg_try_advisory_lock(%s)", (_ADVISORY_KEY,)).fetchone()
            if not got or not got[0]:
                raise WorkerBusy(
                    "Worker sinkronisasi lain sedang berjalan (kunci PostgreSQL dipegang sesi lain)."
                )
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_ADVISORY_KEY,))
        finally:
            conn.close()

    def close(self) -> None:
        self._conn.close()


def open_store(target: str | Path) -> SnapshotStore:
    """A PostgreSQL store for ``postgresql://``/``postgres://`` URLs, else a SQLite file."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresStore(text)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return SqliteStore(text)
