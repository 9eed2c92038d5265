"""Benchmark of the SLA engine (metrics.sla) on synthetic normalised registers.

    .venv/bin/python bench/bench_sla.py                 # 10k, 100k, 1M x umum, selemadeg_timur, kutai_kartanegara
    .venv/bin/python bench/bench_sla.py --sizes 10000 100000 --profiles umum
    .venv/bin/python bench/bench_sla.py --sizes 100000 --pauses 0.05   # 5% of complaints paused

Every (profile, size) runs in its own subprocess so that its peak memory is its own. The child
builds a register of ``size`` complaints (vectorised: receipts over two years, mostly in office
hours, stage gaps from minutes to weeks, ~15% dates typed without a time, ~3% skipped stages, ~5%
still open, a few stages dated before their start) and then times the full SLA computation as the
app does it at load and on the Pemantauan SLA page:

    stage_table -> sla_status -> overdue_queue + at_risk_queue -> stage_funnel + deadline_summary

(best of 3 runs; the queues in full, as with the page's "show all"; wall time and the process's CPU
time, which is what to compare when other jobs load the machine), its peak memory (tracemalloc, a separate run) and the process's max RSS
(getrusage: register + computation + interpreter). The per-row reference
(``tests/metrics/sla_oracle.py``: plain Python per complaint with the day-by-day calendar oracle) is
timed on a random sample of the same register (``--sample`` rows) and extrapolated per row to
the full size; the speed-up is that estimate divided by the engine's time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_PROFILES = ("umum", "selemadeg_timur", "kutai_kartanegara")
NOW = pd.Timestamp("2026-11-24 10:00")
DESAS = np.array(
    ["Sukamaju", "Mekarsari", "Cibodas", "Karangsari", "Tegalwangi", "Sindangsari", "Margamulya"]
)
_NS_MIN = 60 * 10**9


def synthetic_register(profile, size: int, seed: int = 7, pauses: float = 0.0) -> pd.DataFrame:
    """A normalised register (canonical keys, datetime64[ns] stage dates) of ``size`` complaints;
    a share ``pauses`` of them waited for a complete file (Menunggu kelengkapan: from a few hours
    to two weeks after receipt, for hours to weeks; a third still waiting)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-11-25").value
    day = rng.integers(0, 730, size)
    minute = np.where(
        rng.random(size) < 0.9, rng.integers(7 * 60 + 30, 16 * 60, size), rng.integers(0, 24 * 60, size)
    )
    received = np.sort(start + day * 86_400 * 10**9 + minute * _NS_MIN)
    stages = profile.stages
    timed = [s.standard is not None and s.standard.unit in ("menit", "jam") for s in stages]
    # the last stage reached: most complaints finish; recent ones are often still open
    age_days = (NOW.value - received) / 86_400e9
    reached = np.where(
        rng.random(size) < np.clip(0.6 - age_days / 60, 0.04, 0.6),
        rng.integers(0, len(stages), size),
        len(stages) - 1,
    )
    data: dict[str, object] = {
        "nomor": pd.Series(np.arange(1, size + 1)).map("ADU/{:07d}".format).astype("string"),
        "desa": pd.Categorical(DESAS[rng.integers(0, len(DESAS), size)]),
        "disposisi_kepada": pd.Series(np.where(rng.random(size) < 0.5, "Kasi Pelayanan", ""), dtype="string"),
    }
    current = received.copy()
    for i, stage in enumerate(stages):
        if i == 0:
            values = received
        else:
            mean_minutes = 50 if timed[i] else 60 * 24 * 1.5
            gap = rng.gamma(1.2, mean_minutes, size) * np.where(rng.random(size) < 0.1, 6, 1)
            current = current + (gap * _NS_MIN).astype(np.int64)
            values = current.copy()
            values = np.where(
                rng.random(size) < 0.15, values - values % (86_400 * 10**9), values
            )  # date only
            values = np.where(
                rng.random(size) < 0.003, values - 3 * 86_400 * 10**9, values
            )  # before its start
            values = np.where(
                (rng.random(size) < 0.03) | (reached < i) | (values > NOW.value),
                np.iinfo(np.int64).min,
                values,
            )
        data[stage.column_key] = values.view("datetime64[ns]")
    data["tahap"] = pd.Categorical.from_codes(reached, categories=[s.key for s in stages])
    if pauses > 0:
        # drawn from their own generator: the register's other cells stay as without pauses
        prng = np.random.default_rng(seed + 1)
        chosen = prng.random(size) < pauses
        begin = received + (prng.gamma(1.2, 60 * 24 * 2, size) * _NS_MIN).astype(np.int64)
        end = begin + (prng.gamma(1.0, 60 * 24 * 4, size) * _NS_MIN).astype(np.int64)
        still = prng.random(size) < 1 / 3
        nat = np.iinfo(np.int64).min
        begin = np.where(chosen & (begin <= NOW.value), begin, nat)
        end = np.where((begin != nat) & ~still & (end <= NOW.value), end, nat)
        data["mulai_menunggu_kelengkapan"] = begin.view("datetime64[ns]")
        data["berkas_lengkap_pada"] = end.view("datetime64[ns]")
    return pd.DataFrame(data)


def full_computation(complaints: pd.DataFrame, profile, calendar) -> dict[str, float]:
    from metrics import sla

    timings: dict[str, float] = {}
    c0, t0 = time.process_time(), time.perf_counter()
    table = sla.stage_table(complaints, profile, calendar, NOW)
    t1 = time.perf_counter()
    sla.sla_status(table)
    t2 = time.perf_counter()
    sla.overdue_queue(table, complaints, calendar)
    sla.at_risk_queue(table, complaints, calendar)
    sla.stage_funnel(table)
    sla.deadline_summary(table)
    t3, c3 = time.perf_counter(), time.process_time()
    # cpu: process CPU time of all threads (wall time suffers most when other jobs load the machine)
    timings.update(table=t1 - t0, status=t2 - t1, views=t3 - t2, total=t3 - t0, cpu=c3 - c0)
    return timings


def child(profile_id: str, size: int, sample: int, pauses: float = 0.0) -> dict[str, object]:
    from metrics.profiles import load_profile
    from metrics.workcalendar import build_calendar
    from tests.metrics.sla_oracle import SlaOracle

    profile = load_profile(profile_id)
    calendar = build_calendar(
        office_hours=profile.calendar.office_hours,
        extra_holidays=profile.calendar.extra_holidays,
        timezone=profile.timezone,
        years=range(2015, 2029),
    )
    complaints = synthetic_register(profile, size, pauses=pauses)
    full_computation(complaints.head(1000), profile, calendar)  # warm-up: imports, calendar tables
    runs = [full_computation(complaints, profile, calendar) for _ in range(3)]
    best = min(runs, key=lambda r: r["total"])
    tracemalloc.start()
    full_computation(complaints, profile, calendar)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = np.random.default_rng(1).choice(size, size=min(sample, size), replace=False)
    subset = complaints.iloc[np.sort(rows)]
    oracle = SlaOracle(profile, calendar)
    t0 = time.perf_counter()
    oracle.register(subset, NOW)
    per_row = (time.perf_counter() - t0) / len(subset)
    return {
        "profile": profile_id,
        "stages": len(profile.stages),
        "size": size,
        **{k: round(v, 4) for k, v in best.items()},
        "trace_peak_mb": peak / 2**20,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ref_sample": len(subset),
        "ref_per_row_ms": per_row * 1000,
        "ref_estimate_s": per_row * size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--profiles", nargs="+", default=list(DEFAULT_PROFILES))
    parser.add_argument("--sample", type=int, default=2000, help="rows timed with the per-row reference")
    parser.add_argument(
        "--pauses", type=float, default=0.0, help="share of complaints with a Menunggu kelengkapan pause"
    )
    parser.add_argument("--child", nargs=2, metavar=("PROFILE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.sample, args.pauses)))
        return
    print(
        f"SLA engine benchmark — {os.cpu_count()} CPU(s), numpy {np.__version__}, pandas {pd.__version__}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        "full computation = stage_table + sla_status + overdue/at-risk queues + stage funnel + deadline summary"
    )
    print(
        f"(best of 3); reference = per-row oracle timed on {args.sample} sampled rows of the same register,"
    )
    print("extrapolated per row to the full size (estimate, not run in full).")
    print(f"complaints with a Menunggu kelengkapan pause: {args.pauses:.0%}\n")
    header = (
        f"{'profile':<18}{'stages':>6}{'complaints':>12}{'table s':>9}{'status s':>9}{'views s':>9}{'total s':>9}{'cpu s':>8}"
        f"{'peak MB':>9}{'maxrss MB':>10}{'ref ms/row':>11}{'ref est s':>11}{'speed-up':>10}"
    )
    print(header)
    print("-" * len(header))
    for profile_id in args.profiles:
        for size in args.sizes:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    *("--child", profile_id, str(size), "--sample", str(args.sample)),
                    *("--pauses", str(args.pauses)),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            if out.returncode != 0:
                print(f"{profile_id:<18}{size:>18,}  FAILED: {out.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['profile']:<18}{r['stages']:>6}{r['size']:>12,}{r['table']:>9.3f}{r['status']:>9.3f}"
                f"{r['views']:>9.3f}{r['total']:>9.3f}{r['cpu']:>8.3f}{r['trace_peak_mb']:>9.0f}{r['maxrss_mb']:>10.0f}"
                f"{r['ref_per_row_ms']:>11.3f}{r['ref_estimate_s']:>11.1f}{r['ref_estimate_s'] / r['total']:>9.0f}x",
                flush=True,
            )
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\nTargets: 1M complaints <= 2 s on 2 cores, >= 50x the per-row reference, <= 1.5 GB.")


if __name__ == "__main__":
    main()
