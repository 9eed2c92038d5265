"""Kabupaten scale: Google requests of the sync worker vs today's refresh, and the comparison's speed.

    .venv/bin/python bench/bench_kabupaten.py                 # 300 desa x 100 complaints, 1M comparison
    .venv/bin/python bench/bench_kabupaten.py --desa 100 --complaints 50 --big 200000

On the local fake of the Google APIs (real HTTP, the per-user quota of 60 requests/minute enforced
on a simulated clock, so minutes are simulated, not waited):

- cold sync / no-change pass / one-change pass of ``services.sync`` (one Drive ``changes.list``,
  one ``values.batchGet`` per changed desa — register and Survei sheet together — within the
  worker's budget of 40 requests/minute). ``--survey-every 2``: every other desa keeps a Survei
  sheet; a desa without one costs one more request on its first read (Google refuses a batchGet
  naming a missing sheet), then the worker remembers it;
- today's refresh of every spreadsheet (``naive``: one ``values.batchGet`` per desa spreadsheet, as
  ``GoogleSheetsSource`` with ``per_desa_spreadsheet`` does on every refresh), sent at once: how many
  Google refuses with 429, and how long it would take at exactly the quota.

Then the kabupaten comparison: loading the synced store into the common milestone frame — the
worker derives each desa's rows (its own profile) when it syncs it, so the app only decodes them;
also timed on a copy of the store without derived rows (a store synced by an older version: the
app derives them once and saves them back) — and the comparison itself
(kecamatan table + one kecamatan's desas + one desa's overdue list + IKM per kecamatan and per desa
— what the page computes on each render) at the synced size (~30k complaints) and at ``--big`` complaints (the 30k frame repeated
with distinct desa names: province scale). Prints figures, asserts nothing. The last line is one
JSON object (for scripts).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from data_sources.gdrive import FetchError, GoogleReader  # noqa: E402
from data_sources.gsheets import ApiBaseSession  # noqa: E402
from data_sources.snapshot_store import open_store  # noqa: E402
from metrics.kabupaten import (  # noqa: E402
    answers_in_period,
    desa_drilldown,
    desa_ikm,
    kecamatan_comparison,
    kecamatan_ikm,
    overdue_of_desa,
    survey_answers,
)
from metrics.profiles import profile_ids  # noqa: E402
from services.kabupaten import load_kabupaten, load_surveys  # noqa: E402
from services.sync.registry import load_registry  # noqa: E402
from services.sync.worker import SyncSettings, SyncWorker  # noqa: E402
from tests.fakes.kabupaten import FakeClock, seed_kabupaten, write_registry  # noqa: E402
from tests.fakes.sheets_api import FakeSheetsServer  # noqa: E402

QUOTA = 60


def best_of(fn, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def comparison_render(frame: pd.DataFrame, all_answers: pd.DataFrame) -> None:
    """What the kabupaten page computes per render on the cached frame and the cached survey answers
    (joined once per store state: ``survey_answers``)."""
    table = kecamatan_comparison(frame)
    answers = answers_in_period(all_answers, None, None)
    kecamatan_ikm(answers, 10, tuple(table["kecamatan"]))
    if not table.empty:
        first = str(table["kecamatan"].iloc[0])
        desa_ikm(answers, first, 10)
        desas = desa_drilldown(frame, first)
        if not desas.empty:
            overdue_of_desa(frame, first, str(desas["desa"].iloc[0]))


def page_render(tmp: Path) -> tuple[float, float, float, list[float]]:
    """Server time of the page in AppTest as a kabupaten user, who lands on it (one script run timed,
    in this process): the first session after the start loads the store (the app's modules are
    imported by it too), a second session finds it cached, a third comes after one desa was synced
    again without derived rows (the app derives that desa and saves it back)."""
    from streamlit.testing.v1 import AppTest

    import dashboard.kabupaten_views as views

    body: list[float] = []  # the page body alone (store load + figures + tables), per run
    render = views.render_kabupaten_page

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return render(*args, **kwargs)
        finally:
            body.append(time.perf_counter() - started)

    views.render_kabupaten_page = timed  # the page file imports it at each run

    auth = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "s" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
    }
    secrets = {
        "auth": auth,
        "roles": {"kab@contoh.go.id": {"role": "kabupaten"}},
        "sync": {"registry": str(tmp / "desa.toml"), "store": str(tmp / "snapshot.sqlite")},
    }
    times = []
    for session in range(3):
        if session == 2:
            # one desa saved again without derived rows: the app derives only that one
            store = open_store(tmp / "snapshot.sqlite")
            first = store.statuses()[0]
            store.save_grid(first.desa_key, store.grids([first.desa_key])[first.desa_key], at=time.time())
            store.close()
        at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
        at.secrets = secrets
        at.user = {"is_logged_in": True, "email": "kab@contoh.go.id", "name": "Kabupaten"}
        started = time.perf_counter()
        at.run()  # a kabupaten user lands on this page
        times.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(at.exception[0].message)
        if not any("Median sampai selesai" in d.value.columns for d in at.dataframe):
            raise RuntimeError(f"the page did not render the comparison: {[e.value for e in at.error]}")
    views.render_kabupaten_page = render
    return times[0], times[1], times[2], body


def new_process_first_view(tmp: Path, mode: str) -> dict:
    """``bench/first_view.py`` in a fresh process: the first view of a new server (``cold``: the
    script's first run imports the app's modules; ``warm``: imported at server start)."""
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "first_view.py"), "--store-dir", str(tmp), "--mode", mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"first_view.py --mode {mode} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_start_seconds(command: list[str]) -> float:
    """Seconds from starting ``command`` (a Streamlit server) until it answers its health check."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--server.port", str(port), "--server.headless", "true"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < 300:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{command} did not answer within 300 s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--desa", type=int, default=300)
    parser.add_argument("--complaints", type=int, default=100)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--survey-every", type=int, default=2, help="every n-th desa keeps a Survei sheet")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-kabupaten-"))
    clock = FakeClock()
    settings = SyncSettings()
    with FakeSheetsServer() as server:
        server.set_clock(clock)
        desas = seed_kabupaten(server, args.desa, args.complaints, survey_every=args.survey_every)
        with_survey = sum(1 for d in desas if "Survei" in server.sheet_titles(d.spreadsheet_id))
        registry = load_registry(write_registry(desas, tmp / "desa.toml"), profile_ids())
        server.set_quota(QUOTA, "sheets")
        server.set_quota(QUOTA, "drive")

        # today's design: every refresh reads every desa spreadsheet
        naive = GoogleReader(ApiBaseSession(server.base_url, token="app-server"))
        refused = 0
        server.reset_counts()
        for d in desas:
            try:
                naive.read_register(d.spreadsheet_id, "", d.desa)
            except FetchError as error:
                refused += error.kind == "quota"
        naive_requests = server.count()
        naive_minutes = math.ceil(naive_requests / QUOTA)
        clock.sleep(120)

        store = open_store(tmp / "snapshot.sqlite")
        worker = SyncWorker(
            registry,
            store,
            GoogleReader(ApiBaseSession(server.base_url, token="sync-worker")),
            settings,
            clock=clock,
            sleep=clock.sleep,
            log=lambda _line: None,
        )
        rejected_before = server.quota_rejections
        cold = worker.run_once()
        cold_429 = server.quota_rejections - rejected_before
        clock.sleep(60)
        quiet = worker.run_once()
        clock.sleep(60)
        server.set_values(desas[len(desas) // 2].spreadsheet_id, "Register", [["diedit"]], start="C3")
        one = worker.run_once()
        clock.sleep(60)  # a desa without a Survei sheet (known since the cold sync) edited
        server.set_values(desas[len(desas) // 2 + 1].spreadsheet_id, "Register", [["diedit"]], start="C3")
        one_without = worker.run_once()
        max_minute = worker.budget.max_in_any_minute()

    rows = [
        ("today: refresh all (naive)", naive_requests, f"{naive_requests} batchGet", naive_minutes, refused),
        (
            "sync: cold",
            cold.requests,
            f"{cold.drive_requests} Drive + {cold.sheets_requests} Sheets",
            cold.minutes,
            cold_429,
        ),
        (
            "sync: nothing changed",
            quiet.requests,
            f"{quiet.drive_requests} Drive + {quiet.sheets_requests} Sheets",
            quiet.minutes,
            0,
        ),
        (
            "sync: one desa edited",
            one.requests,
            f"{one.drive_requests} Drive + {one.sheets_requests} Sheets",
            one.minutes,
            0,
        ),
        (
            "sync: one edited, no Survei",
            one_without.requests,
            f"{one_without.drive_requests} Drive + {one_without.sheets_requests} Sheets",
            one_without.minutes,
            0,
        ),
    ]
    print(
        f"Google requests, {args.desa} desa spreadsheets x {args.complaints} complaints "
        f"(fake Google APIs, quota {QUOTA}/min/user enforced, worker budget {settings.requests_per_minute}/min); "
        f"{with_survey} of them keep a Survei sheet"
    )
    print(f"{'operation':<28} {'requests':>8}  {'by kind':<24} {'sim. minutes':>12}  {'429':>4}")
    print(f"{'-' * 28} {'-' * 8}  {'-' * 24} {'-' * 12}  {'-' * 4}")
    for name, requests_, kinds, minutes, refused_ in rows:
        print(f"{name:<28} {requests_:>8}  {kinds:<24} {minutes:>12.1f}  {refused_:>4}")
    print(
        f"naive minutes = at exactly the quota (sent at once, Google refused {refused} of {naive_requests}); "
        f"max requests of the worker in any 60 s: {max_minute}"
    )
    print()

    now = pd.Timestamp("2025-12-31 12:00")
    underived = tmp / "underived.sqlite"
    shutil.copy(tmp / "snapshot.sqlite", underived)
    old = open_store(underived)
    with old._transaction() as cur:  # noqa: SLF001 - the bench empties the derived rows of its copy
        cur.execute("DELETE FROM derived")
    started = time.perf_counter()
    load_kabupaten(old, now=now)
    underived_seconds = time.perf_counter() - started
    old.close()
    started = time.perf_counter()
    store = open_store(tmp / "snapshot.sqlite")
    data = load_kabupaten(store, now=now)
    load_seconds = time.perf_counter() - started
    frame = data.frame
    surveys, _problems = load_surveys(store)
    started = time.perf_counter()
    all_answers = survey_answers(frame, surveys)
    join_small = time.perf_counter() - started
    small = best_of(lambda: comparison_render(frame, all_answers))
    copies = max(1, math.ceil(args.big / len(frame)))
    parts = [frame.assign(desa=frame["desa"].astype(str) + f" /{i}") for i in range(copies)]
    big = pd.concat(parts, ignore_index=True).iloc[: args.big]
    big = big.astype({"kecamatan": "category", "desa": "category", "profil": "category"})
    big_surveys = {
        (kec, f"{desa} /{i}"): answers for (kec, desa), answers in surveys.items() for i in range(copies)
    }
    started = time.perf_counter()
    big_answers = survey_answers(big, big_surveys)
    join_big = time.perf_counter() - started
    big_seconds = best_of(lambda: comparison_render(big, big_answers))
    print(
        "Kabupaten comparison (kecamatan table + one kecamatan's desas + one desa's overdue list + IKM per "
        f"kecamatan and desa from {sum(len(a) for a in surveys.values()):,} survey answers at the small size)"
    )
    print(f"{'complaints':>10}  {'desas':>6}  {'compute s':>9}")
    print(f"{len(frame):>10,}  {frame['desa'].nunique():>6}  {small:>9.3f}")
    print(f"{len(big):>10,}  {big['desa'].nunique():>6}  {big_seconds:>9.3f}")
    print(
        f"joining the survey answers to their desas' complaints (once per store state, cached): "
        f"{join_small:.2f} s for {len(all_answers):,} answers at {len(frame):,} complaints, "
        f"{join_big:.2f} s for {len(big_answers):,} answers at {len(big):,}"
    )
    print(
        f"loading the synced store into the frame (rows derived by the worker, each desa on its own profile): "
        f"{load_seconds:.2f} s for {len(frame):,} complaints; a store without derived rows: "
        f"{underived_seconds:.2f} s once (derived and saved back)"
    )
    first_page, cached_page, one_changed_page, body = page_render(tmp)
    print(
        f"page Perbandingan Kecamatan (AppTest server time of one run, kabupaten role, {len(frame):,} complaints), "
        f"in this bench process: first view {first_page:.2f} s (loads the store), next view {cached_page:.2f} s (cached), "
        f"after one desa re-synced {one_changed_page:.2f} s"
    )
    print(
        "  of which the page body (store read + figures + tables, without the app's module imports of a new "
        f"server process): first {body[0]:.2f} s, cached {body[1]:.2f} s, after one re-synced desa {body[2]:.2f} s"
    )
    cold_view = new_process_first_view(tmp, "cold")
    warm_view = new_process_first_view(tmp, "warm")
    plain_start = server_start_seconds([sys.executable, "-m", "streamlit", "run", "streamlit_app.py"])
    warm_start = server_start_seconds([sys.executable, "-m", "dashboard.server_start"])
    print(
        "first view of a NEW server process (fresh process each, AppTest server time of the first script run): "
        f"without warm start (`streamlit run streamlit_app.py`: the run imports the app's modules) "
        f"{cold_view['first_view_seconds']:.2f} s; warm start (`./run app`: modules imported, profiles read at server start, "
        f"{warm_view['server_start_warm_up_seconds']:.2f} s) {warm_view['first_view_seconds']:.2f} s"
    )
    print(
        f"  server start until it answers: `streamlit run streamlit_app.py` {plain_start:.1f} s, "
        f"`./run app` (python -m dashboard.server_start) {warm_start:.1f} s"
    )
    result = {
        "spreadsheets": args.desa,
        "complaints_per_spreadsheet": args.complaints,
        "cold_sync_requests": cold.requests,
        "cold_sync_minutes": round(cold.minutes, 2),
        "cold_sync_429": cold_429,
        "no_change_requests": quiet.requests,
        "one_change_requests": one.requests,
        "one_change_without_survey_sheet_requests": one_without.requests,
        "desas_with_survey_sheet": with_survey,
        "cold_sync_survey_probe_requests": args.desa - with_survey,
        "max_requests_in_any_minute": max_minute,
        "naive_refresh_requests": naive_requests,
        "naive_refresh_429": refused,
        "naive_refresh_minutes_at_quota": naive_minutes,
        "store_load_seconds": round(load_seconds, 2),
        "store_load_underived_seconds": round(underived_seconds, 2),
        "page_first_view_seconds": round(first_page, 2),
        "page_cached_view_seconds": round(cached_page, 2),
        "page_after_one_change_seconds": round(one_changed_page, 2),
        "page_body_first_view_seconds": round(body[0], 2),
        "new_server_first_view_cold_seconds": cold_view["first_view_seconds"],
        "new_server_first_view_warm_seconds": warm_view["first_view_seconds"],
        "server_start_warm_up_seconds": warm_view["server_start_warm_up_seconds"],
        "server_start_plain_seconds": round(plain_start, 1),
        "server_start_warm_seconds": round(warm_start, 1),
        "page_body_cached_view_seconds": round(body[1], 2),
        "comparison_seconds_30k": round(small, 4),
        "survey_join_seconds_30k": round(join_small, 3),
        "survey_join_seconds_big": round(join_big, 3),
        "comparison_complaints_small": len(frame),
        "comparison_seconds_big": round(big_seconds, 4),
        "comparison_complaints_big": len(big),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
