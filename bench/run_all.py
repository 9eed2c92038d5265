"""Every speed figure of Pantau Aduan in one run, as plain-text tables to paste into the README.

    .venv/bin/python bench/run_all.py                 # everything (several minutes)
    .venv/bin/python bench/run_all.py --only cold,sheets
    .venv/bin/python bench/run_all.py --pages-size 10000   # smaller page benchmark

Sections (each runs in its own fresh Python process, so one failing or missing benchmark does not
stop the others, and "cold" really is cold):

- ``sla``    metrics and SLA computation at 10k / 100k / 1M complaints: time, peak memory, ratio
             against the per-row reference (``bench/bench_sla.py``).
- ``pages``  each page's render time with 100k complaints cached (``bench/bench_pages.py``:
             AppTest, second run in a fresh session, admin viewer).
- ``sheets`` Google Sheets API requests per refresh, per update and per new complaint, and a sweep
             of 200+ injected faults, against the local fake of the Sheets API (``bench/bench_sheets.py``).
- ``cold``   loading the demo register cold: generate the workbook, read it, normalise it, compute
             the SLA stages and flags — what the app does on its first start — plus imports.

Prints figures, asserts nothing (see docs/ARCHITECTURE.md). Loopback only, no network.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
RESULT_PREFIX = "@@RESULT "
PAGE_PREFIX = "@@PAGE "
SECTIONS = ("sla", "pages", "sheets", "cold")
SECTION_TIMEOUT = {"sla": 1800, "pages": 1800, "sheets": 600, "cold": 600}


# ------------------------------------------------------------------------------ table printing


def table(title: str, header: tuple[str, ...], rows: list[tuple], note: str = "") -> str:
    cells = [tuple(str(x) for x in header)] + [tuple(str(x) for x in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            text.rjust(w) if i and _numeric(text) else text.ljust(w)
            for i, (text, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    out = [title, line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells[1:]]
    if note:
        out.append(note)
    return "\n".join(out) + "\n"


def _numeric(text: str) -> bool:
    return (
        bool(text)
        and text.replace(".", "")
        .replace(",", "")
        .replace(" ", "")
        .replace("×", "")
        .replace("%", "")[:1]
        .isdigit()
    )


# ------------------------------------------------------------------------------ sections (child)


def _import_bench(name: str):
    path = BENCH / f"{name}.py"
    if not path.exists():
        raise FileNotFoundError(f"bench/{name}.py does not exist (yet)")
    for entry in (str(REPO), str(BENCH)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    return __import__(name)


def section_cold() -> dict:
    """Demo register cold: imports, generate, read, normalise, SLA — in this fresh process."""
    steps: list[tuple[str, float, float]] = []
    started, started_cpu = time.perf_counter(), time.process_time()
    mark = [started, started_cpu]

    def step(name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        steps.append((name, now - mark[0], cpu - mark[1]))
        mark[:] = [now, cpu]

    from dashboard.data import local_now
    from data_sources.demo import write_demo_register
    from data_sources.local_file import LocalFileSource
    from metrics.profiles import load_profile
    from metrics.register import normalise_register
    from metrics.sla import sla_status, stage_table
    from services.register_loading import calendar_for

    step("import the app's modules")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo_register.xlsx"
        write_demo_register(path)
        step("generate the demo workbook (.xlsx)")
        profile = load_profile("umum")
        sheets = LocalFileSource(path).read()
        step("read it (openpyxl, all sheets)")
        register = normalise_register(sheets, profile)
        step("normalise (types, findings)")
        calendar = calendar_for(profile)
        stages = stage_table(register.complaints, profile, calendar, local_now(profile))
        sla_status(stages)
        step("work calendar + SLA stages and flags")
        complaints = len(register.complaints)
        size = path.stat().st_size
    steps.append(
        ("total, from a fresh process", time.perf_counter() - started, time.process_time() - started_cpu)
    )
    return {"steps": steps, "complaints": complaints, "bytes": size}


def section_pages(size: int, skip: tuple[str, ...] = ()) -> dict:
    """bench_pages' method (AppTest, admin viewer, each page run twice in fresh sessions; the second
    run is the cached figure), one page at a time so that a timeout still leaves the pages done."""
    bench_pages = _import_bench("bench_pages")
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.access import Viewer
    from dashboard.navigation import PAGES

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"register_{size}.csv"
        mark = time.perf_counter()
        bench_pages.synthetic_register(path, size)
        print(PAGE_PREFIX + json.dumps({"written": time.perf_counter() - mark, "size": size}), flush=True)
        os.environ["PANTAU_REGISTER"] = str(path)
        os.environ["PANTAU_SOP"] = "umum"
        st.cache_resource.clear()
        st.cache_data.clear()
        for spec in PAGES:
            if spec.url in skip or spec.title_id in skip:
                continue
            times, problem = [], ""
            for _ in range(2):
                at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=900)
                at.session_state["viewer"] = Viewer("admin", "admin")
                with contextlib.redirect_stderr(io.StringIO()):
                    at.run()
                    at.switch_page(spec.path)
                    begin = time.perf_counter()
                    at.run()
                times.append(time.perf_counter() - begin)
                if at.exception:
                    problem = str(at.exception[0].value)[:80]
            print(
                PAGE_PREFIX
                + json.dumps(
                    {"page": spec.title_id, "first": times[0], "cached": times[1], "problem": problem}
                ),
                flush=True,
            )
    return {"size": size}


def section_sheets() -> dict:
    bench_sheets = _import_bench("bench_sheets")
    captured: list[tuple[str, tuple, list]] = []
    bench_sheets.table = lambda title, header, lines: captured.append((title, tuple(header), list(lines)))
    bench_sheets.request_counts(7, 300)
    bench_sheets.fault_sweep(200, 20240501)  # >= 200 injected faults over reads and writes
    bench_sheets.window()  # check-to-write window of one update
    bench_sheets.races(100)  # two concurrent savers: threads and two OS processes, lost updates
    bench_sheets.replays(50)  # the same submission sent again after lost answers: duplicates
    return {"tables": captured}


def section_sla(sizes: list[int], profiles: list[str]) -> dict:
    """bench/bench_sla.py, one fresh process per (profile, size) so peak memory is its own."""
    script = BENCH / "bench_sla.py"
    if not script.exists():
        raise FileNotFoundError("bench/bench_sla.py does not exist (yet)")
    rows, failures = [], []
    for profile in profiles:
        for size in sizes:
            completed = subprocess.run(
                [sys.executable, str(script), "--child", profile, str(size), "--sample", "2000"],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=SECTION_TIMEOUT["sla"],
            )
            try:
                rows.append(json.loads(completed.stdout.strip().splitlines()[-1]))
            except (IndexError, json.JSONDecodeError):
                tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:]
                failures.append(f"{profile} {size:,}: {tail}")
    return {"rows": rows, "failures": failures}


def run_child(section: str, args: argparse.Namespace) -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    if section == "cold":
        result = section_cold()
    elif section == "pages":
        result = section_pages(args.pages_size, tuple(args.pages_skip))
    elif section == "sheets":
        result = section_sheets()
    else:
        result = section_sla(args.sla_sizes, args.sla_profiles)
    print(RESULT_PREFIX + json.dumps(result, default=str))


# ------------------------------------------------------------------------------ report (parent)


def render(section: str, result: dict) -> str:
    if section == "cold":
        rows = [(step, f"{seconds:.2f}", f"{cpu:.2f}") for step, seconds, cpu in result["steps"]]
        return table(
            f"Demo register, cold start ({result['complaints']:,} complaints, "
            f"{result['bytes'] / 1e6:.1f} MB .xlsx)",
            ("step", "wall s", "cpu s"),
            rows,
        )
    if section == "pages":
        rows = [
            (
                p["page"],
                f"{p['first']:.2f}",
                f"{p['cached']:.2f}",
                "ok" if p["cached"] <= 1.5 else "SLOW",
                p["problem"] or "",
            )
            for p in result["pages"]
        ]
        note = (
            "first run = the first page also reads and normalises the register; "
            "cached = a fresh session on the cached register"
        )
        if result.get("unfinished"):
            note += f"\nnot measured (time limit reached): {', '.join(result['unfinished'])}"
        return table(
            f"Page render time, {result['size']:,} complaints cached (AppTest, admin; target <= 1.5 s; "
            f"register written in {result.get('written', 0):.0f} s)",
            ("page", "first run s", "cached s", "", "problem"),
            rows,
            note,
        )
    if section == "sheets":
        out = []
        for title, header, lines in result["tables"]:
            keep = [i for i, h in enumerate(header) if h != "ms"]  # timings on a local fake mean little
            out.append(
                table(
                    "Google Sheets API — " + title,
                    tuple(header[i] for i in keep),
                    [tuple(line[i] for i in keep) for line in lines],
                    "on the local fake of the Sheets API v4 (real gspread over HTTP)",
                )
            )
        return "\n".join(out)
    rows = [
        (
            r["profile"],
            f"{r['size']:,}",
            f"{r['table']:.3f}",
            f"{r['status']:.3f}",
            f"{r['views']:.3f}",
            f"{r['total']:.3f}",
            f"{r['trace_peak_mb']:.0f}",
            f"{r['maxrss_mb']:.0f}",
            f"{r['ref_estimate_s']:.1f}",
            f"{r['ref_estimate_s'] / r['total']:.0f}×",
        )
        for r in result["rows"]
    ]
    note = (
        "total = stage_table + sla_status + overdue/at-risk queues + funnel + deadline summary (best of 3); "
        "peak = tracemalloc;\nRSS = whole process incl. the register; reference = per-row oracle on 2,000 "
        "sampled rows, extrapolated"
    )
    note += "".join(f"\nFAILED {line}" for line in result["failures"])
    return table(
        "Metrics and SLA computation (bench/bench_sla.py)",
        (
            "profile",
            "complaints",
            "table s",
            "status s",
            "views s",
            "total s",
            "peak MB",
            "RSS MB",
            "reference s",
            "speed-up",
        ),
        rows,
        note,
    )


def _pages_result(stdout: str) -> dict | None:
    items = [
        json.loads(line[len(PAGE_PREFIX) :]) for line in stdout.splitlines() if line.startswith(PAGE_PREFIX)
    ]
    if not items:
        return None
    result = {"pages": [i for i in items if "page" in i], **next((i for i in items if "size" in i), {})}
    from dashboard.navigation import PAGES

    done = {p["page"] for p in result["pages"]}
    skipped = set(sys.argv)
    result["unfinished"] = [
        spec.title_id
        for spec in PAGES
        if spec.title_id not in done and spec.url not in skipped and spec.title_id not in skipped
    ]
    return result


def run_section(section: str, args: argparse.Namespace) -> tuple[str, float]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--section",
        section,
        "--pages-size",
        str(args.pages_size),
        "--sla-sizes",
        *map(str, args.sla_sizes),
        "--sla-profiles",
        *args.sla_profiles,
        "--pages-skip",
        *args.pages_skip,
    ]
    started = time.perf_counter()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("PANTAU_REGISTER", None)
    limit = args.pages_timeout if section == "pages" else SECTION_TIMEOUT[section]
    try:
        completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env, timeout=limit)
        stdout, stderr, code = completed.stdout, completed.stderr, completed.returncode
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        stderr, code = f"did not finish within {limit} s", None
    elapsed = time.perf_counter() - started
    if section == "pages":
        partial = _pages_result(stdout)
        if partial and partial["pages"]:
            return render(section, partial), elapsed
    lines = [line for line in stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if code != 0 or not lines:
        reason = (stderr or stdout).strip().splitlines()
        return f"[{section}] not measured: {reason[-1] if reason else f'exit {code}'}\n", elapsed
    return render(section, json.loads(lines[-1][len(RESULT_PREFIX) :])), elapsed


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f", {kb / 1e6:.0f} GB RAM"
    load = ""
    with contextlib.suppress(OSError, AttributeError):
        load = f", load average {os.getloadavg()[0]:.1f}"
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs{memory}, {cpu or 'cpu ?'}, "
        f"Python {platform.python_version()}{load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help="comma-separated sections: " + ", ".join(SECTIONS)
    )
    parser.add_argument("--pages-size", type=int, default=100_000, help="complaints for the page benchmark")
    parser.add_argument(
        "--pages-timeout",
        type=int,
        default=SECTION_TIMEOUT["pages"],
        help="seconds for the page benchmark; pages not reached by then are listed as not measured",
    )
    parser.add_argument("--pages-skip", nargs="*", default=[], help="page urls or titles to leave out")
    parser.add_argument("--sla-sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--sla-profiles", nargs="+", default=["umum"], help="SOP profiles for the SLA benchmark"
    )
    parser.add_argument("--section", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    if args.section:
        run_child(args.section, args)
        return 0
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    print(f"Pantau Aduan benchmarks — {dt.datetime.now():%Y-%m-%d %H:%M} — {machine()}\n", flush=True)
    total = time.perf_counter()
    for section in chosen:
        text, elapsed = run_section(section, args)
        print(text, flush=True)
        print(f"({section}: {elapsed:.0f} s)\n", file=sys.stderr, flush=True)
    print(f"(all benchmarks: {time.perf_counter() - total:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
