"""Google Sheets source diagnostics on the local Sheets API fake: requests per refresh, per update
and per new complaint, and a fault sweep (injected faults, retries, surfaced errors, final state).

    .venv/bin/python bench/bench_sheets.py [--faults 200] [--seed 20240501] [--desa 7]

Prints plain-text tables; no timing assertions (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_sources.gsheets import GoogleSheetsSource, GSheetsConfig, RetryPolicy  # noqa: E402
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET  # noqa: E402
from tests.data_sources.test_gsheets import audit, next_key, rows, run_fault_sweep  # noqa: E402
from tests.fakes.sheets_api import FakeSheetsServer  # noqa: E402


def table(title: str, header: tuple[str, ...], lines: list[tuple]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    print(title)
    print("  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  " + "  ".join("-" * w for w in widths))
    for line in lines:
        print("  " + "  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
    print()


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"


def request_counts(desa: int, per_desa: int) -> None:
    with FakeSheetsServer() as server:
        sheets = {f"Desa {i + 1}": rows(f"Desa {i + 1}", per_desa, prefix=f"D{i + 1}") for i in range(desa)}
        sheets[AUDIT_SHEET] = [list(AUDIT_HEADER)]
        key = server.add_spreadsheet("Register Kecamatan", sheets)
        source = GoogleSheetsSource(
            GSheetsConfig(spreadsheet=key, api_base_url="unused"),
            session=server.session(),
            policy=RetryPolicy.fast(),
        )
        lines = []

        def measure(label: str, action) -> None:
            server.reset_counts()
            started = time.perf_counter()
            action()
            elapsed = (time.perf_counter() - started) * 1000
            lines.append((label, server.count(), describe(server.counts()), f"{elapsed:.0f}"))

        measure("refresh (first: + sheet list)", source.read)
        measure("refresh (later)", source.read)
        measure(
            "update one complaint + audit",
            lambda: source.update_row(
                "Desa 3",
                "Nomor",
                "D3-007",
                {"Tahap": ("diterima", "verifikasi"), "Diperbarui Pada": ("", "2024-05-01 10:00:00")},
                [audit("D3-007", "Tahap", "diterima", "verifikasi")],
            ),
        )
        measure(
            "new complaint + audit",
            lambda: source.append_row(
                "Desa 3",
                "Nomor",
                {"Desa": "Desa 3", "Isi Pengaduan": "Lampu jalan mati"},
                next_key("D3"),
                lambda k: [audit(k, "(baru)", "", "Lampu jalan mati")],
            ),
        )
        measure("read Riwayat", source.read_audit)
        table(
            f"Requests ({desa} desa worksheets x {per_desa} complaints, one spreadsheet)",
            ("operation", "requests", "by kind", "ms"),
            lines,
        )


def fault_sweep(faults: int, seed: int) -> bool:
    with FakeSheetsServer() as server:
        started = time.perf_counter()
        figures = run_fault_sweep(server, seed=seed, min_faults=faults)
        elapsed = time.perf_counter() - started
    lines = [
        (
            "operations: reads / updates / new complaints",
            f"{figures.get('reads', 0)} / {figures.get('updates', 0)} / {figures.get('appends', 0)}",
        ),
        ("requests sent", figures["requests"]),
        ("faults injected (429, 500, 503, drop, drop after apply)", figures["faults"]),
        ("  of which on writes", figures["faults_on_writes"]),
        ("  of which answers lost after the request was applied", figures["lost_answers_applied"]),
        ("retries by the source", figures["retries"]),
        ("writes found already applied before a retry", figures["verified_applied"]),
        ("errors surfaced to the user (SourceError, user saved again)", figures.get("surfaced_errors", 0)),
        ("other exceptions", 0),
        (
            "final state: cells and Riwayat exactly as expected",
            "OK" if figures.get("final_state_ok") else "FAILED",
        ),
        ("duration", f"{elapsed:.1f} s"),
    ]
    table(f"Fault sweep (seed {seed}, chaos rate 0.25)", ("figure", "value"), lines)
    return bool(figures.get("final_state_ok"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--faults", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--desa", type=int, default=7)
    parser.add_argument("--per-desa", type=int, default=300)
    args = parser.parse_args()
    request_counts(args.desa, args.per_desa)
    try:
        ok = fault_sweep(args.faults, args.seed)
    except AssertionError as error:
        print(f"Fault sweep FAILED: {error}")
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
