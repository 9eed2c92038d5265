"""Survey answers on the Sheets API fake under races and injected faults: several residents' tabs
rate the same Nomor at the same moment while requests fail (500/503, dropped connections before and
after Google applied them); each tab retries its own submission until it gets an answer.

    .venv/bin/python bench/bench_survey.py [--rounds 60] [--tabs 3] [--rate 0.15] [--seed 16]

Prints: rounds, answers stored per Nomor (must be 1), rows left per Nomor, tabs told "stored" per
Nomor (must be 1), refusals, surfaced errors (retried). No timing assertions.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_sources.base import SourceError  # noqa: E402
from data_sources.survey_store import AlreadyRated, SheetsSurveyStore, SurveyAnswer  # noqa: E402
from metrics.ikm import survey_frame  # noqa: E402
from tests.fakes.sheets_api import FakeSheetsServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--tabs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    with FakeSheetsServer() as server:
        key = server.add_spreadsheet("R", {"Sukamaju": [["Nomor", "Desa"]]})
        SheetsSurveyStore(server.client(), key).record(SurveyAnswer("SEED/1", "", 3, "", "", "seed"))
        server.chaos(args.rate, args.seed, faults=(500, 503, "drop", "drop_after_apply"))
        told_stored: Counter[str] = Counter()
        refused = errors = 0
        lock = threading.Lock()
        for round_number in range(args.rounds):
            nomor = f"CBD/2026/01/{round_number:04d}"
            barrier = threading.Barrier(args.tabs, timeout=30)

            def tab(index: int, nomor: str = nomor, barrier: threading.Barrier = barrier) -> None:
                nonlocal refused, errors
                store = SheetsSurveyStore(server.client(), key)
                answer = SurveyAnswer(nomor, "Cibodas", 1 + index % 4, f"tab {index}", "", f"{nomor}#{index}")
                barrier.wait()
                for _ in range(20):  # the resident clicks again after an error
                    try:
                        store.record(answer)
                        with lock:
                            told_stored[nomor] += 1
                        return
                    except AlreadyRated:
                        with lock:
                            refused += 1
                        return
                    except (SourceError, OSError, Exception):  # noqa: BLE001 - any surfaced failure
                        with lock:
                            errors += 1

            threads = [threading.Thread(target=tab, args=(i,)) for i in range(args.tabs)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        server.chaos(0, args.seed)
        rows = SheetsSurveyStore(server.client(), key).read()
    body = [r for r in rows[1:] if r and r[0].startswith("CBD/")]
    per_nomor = Counter(r[0] for r in body)
    answers = survey_frame(rows)
    answers = answers[answers["nomor"].str.startswith("CBD/")]
    winners_match = sum(
        1
        for nomor, sid in zip(answers["nomor"], answers["id_kiriman"], strict=True)
        if sid.startswith(nomor + "#")
    )
    print(f"rounds {args.rounds}, tabs per Nomor {args.tabs}, fault rate {args.rate}, seed {args.seed}")
    print(f"Nomors with an answer           {len(answers)} / {args.rounds}")
    print(
        f"answers counted per Nomor       max {answers['nomor'].value_counts().max() if len(answers) else 0}"
    )
    print(
        f"rows left per Nomor             max {max(per_nomor.values(), default=0)}; Nomors with >1 row {sum(1 for n in per_nomor.values() if n > 1)}"
    )
    print(f"tabs told 'stored' per Nomor    {dict(Counter(told_stored.values()))}")
    print(f"refused (already rated)         {refused}")
    print(f"errors surfaced then retried    {errors}")
    print(f"stored answer from a tab of it  {winners_match} / {len(answers)}")


if __name__ == "__main__":
    main()
