"""Google Form intake under injected faults on the Sheets API fake: N responses merged by repeated
``./run intake``-style runs (lost answers after apply, 429/500/503, dropped connections) and by
two intakes at once; prints runs, requests, faults and the duplicates (must be 0).

    .venv/bin/python bench/bench_intake.py [--responses 60] [--rate 0.25] [--seed 16]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.data_sources.test_form_responses import (  # noqa: E402
    merge_once,
    merge_until_done,
    outcome,
    spreadsheet,
)
from tests.fakes.sheets_api import FakeSheetsServer  # noqa: E402


def faults_run(n: int, rate: float, seed: int) -> dict[str, int | float]:
    with FakeSheetsServer() as server:
        key = spreadsheet(server, n)
        server.chaos(rate, seed=seed, faults=(429, 500, 503, "drop", "drop_after_apply"))
        started = time.perf_counter()
        figures = merge_until_done(server, key, n, max_runs=200)
        server.clear_faults()
        log = server.request_log
        final = merge_once(server, key)
        return {
            **figures,
            "requests": len(log),
            "faults": sum(1 for r in log if r.fault),
            "lost_answers_applied": sum(1 for r in log if r.fault == "drop_after_apply"),
            "new_in_check_run": len(final.merged),
            "seconds": round(time.perf_counter() - started, 1),
        }


def concurrent_run(n: int, intakes: int = 2) -> dict[str, int]:
    with FakeSheetsServer() as server:
        key = spreadsheet(server, n)
        failures: list[str] = []

        def one() -> None:
            try:
                merge_once(server, key)
            except Exception as error:  # noqa: BLE001 - counted and printed
                failures.append(type(error).__name__)

        threads = [threading.Thread(target=one) for _ in range(intakes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        merge_once(server, key)
        return {"intakes": intakes, "failed_intakes": len(failures), **outcome(server, key, n)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=60)
    parser.add_argument("--rate", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    faults = faults_run(args.responses, args.rate, args.seed)
    print("faults:", " ".join(f"{k}={v}" for k, v in faults.items()))
    both = concurrent_run(args.responses)
    print("two intakes at once:", " ".join(f"{k}={v}" for k, v in both.items()))
    return 0 if faults["duplicates"] == 0 and both["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
