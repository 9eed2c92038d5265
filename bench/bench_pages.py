"""Render time of every page (``dashboard.navigation.PAGES``) with a large register cached.

    .venv/bin/python bench/bench_pages.py            # 10k and 100k complaints
    .venv/bin/python bench/bench_pages.py 10000      # chosen sizes
    .venv/bin/python bench/bench_pages.py 100000 --only statistik-bulanan,register   # some pages

For each size a synthetic register CSV (umum template, several desas, two years, realistic stage
dates, some open and late) is written to a temporary folder and the app is pointed at it with
``PANTAU_REGISTER``. Each page is run once in AppTest as an admin viewer to fill the caches (the
first page also reads and normalises the register), then run again in a fresh session and timed:
the figure printed is that second run (the page script only, after ``switch_page``), i.e. a page
render with the register cached. Target (issue 6): ≤ 1.5 s at 100k. Prints, asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DESAS = ("Sukamaju", "Mekarsari", "Cibodas", "Karangsari", "Tegalwangi", "Sindangsari", "Margamulya")
SPEED = np.array([0.7, 0.9, 1.0, 1.2, 1.5, 1.1, 1.9])


def synthetic_register(path: Path, n: int, seed: int = 7, end: pd.Timestamp | None = None) -> Path:
    """Write ``n`` complaints over the two years up to ``end`` (now) as a CSV register."""
    from metrics.profiles import load_profile, register_header

    profile = load_profile("umum")
    header = register_header(profile)
    rng = np.random.default_rng(seed)
    end = (end or pd.Timestamp.now()).floor("min")
    start = end - pd.Timedelta(days=730)
    span = int((end - start) / pd.Timedelta(minutes=1))
    received = start + pd.to_timedelta(np.sort(rng.integers(0, span, n)), unit="min")
    desa = rng.integers(0, len(DESAS), n)
    speed = SPEED[desa]
    # days after the previous stage: verifikasi, disposisi, tindak lanjut, jawaban, selesai
    delays = (
        np.stack(
            [
                rng.gamma(1.5, 0.6, n),
                rng.gamma(1.0, 0.5, n),
                rng.gamma(2.0, 1.1, n),
                rng.gamma(1.2, 1.0, n),
                rng.gamma(1.5, 2.0, n),
            ],
            axis=1,
        )
        * speed[:, None]
    )
    stuck = rng.random(n) < 0.08
    delays[stuck, rng.integers(1, 4, stuck.sum())] += rng.uniform(4, 20, stuck.sum())
    at = received.to_numpy()[:, None] + np.cumsum(delays, axis=1) * np.timedelta64(86_400, "s")
    stall = rng.random(n) < 0.03
    cut = rng.integers(1, 5, n)
    reached = np.full(n, 5)
    reached[stall] = cut[stall]
    reached = np.minimum(reached, (at <= end.to_datetime64()).sum(axis=1))
    columns: dict[str, object] = {h: [""] * n for h in header}
    labels = {
        "saluran": [t.label for t in profile.channels],
        "kategori": [t.label for t in profile.categories],
        "urgensi": [t.label for t in profile.urgencies],
        "tahap": [s.label for s in profile.stages],
    }
    counter = (
        pd.Series(np.ones(n, dtype=int)).groupby([desa, received.year, received.month]).cumsum().to_numpy()
    )
    codes = np.array([d[:3].upper() for d in DESAS])
    columns["Nomor"] = [
        f"{c}/{y}/{m:02d}/{k:05d}"
        for c, y, m, k in zip(codes[desa], received.year, received.month, counter, strict=True)
    ]
    columns["Desa"] = np.array(DESAS)[desa]
    columns["Tanggal Diterima"] = received.strftime("%d/%m/%Y %H:%M")
    columns["Saluran"] = np.array(labels["saluran"])[rng.integers(0, len(labels["saluran"]), n)]
    columns["Nama Pelapor"] = np.array(["Siti Rahayu", "Ahmad Hidayat", "Dewi Lestari", "Budi Santoso"])[
        rng.integers(0, 4, n)
    ]
    columns["Alamat"] = "RT 01/RW 02, Dusun Kaler"
    columns["No. HP"] = [f"0812{x:08d}" for x in rng.integers(0, 10**8, n)]
    columns["Rahasia"] = np.where(rng.random(n) < 0.05, "Ya", "Tidak")
    columns["Isi Pengaduan"] = np.array(
        [
            "Jalan desa berlubang di RT 03",
            "Lampu jalan mati sejak seminggu",
            "Nama tidak masuk daftar BLT",
            "Surat pengantar KTP lambat",
            "Sampah menumpuk di pinggir jalan",
        ]
    )[rng.integers(0, 5, n)]
    columns["Kategori"] = np.array(labels["kategori"])[rng.integers(0, len(labels["kategori"]), n)]
    columns["Urgensi"] = np.array(labels["urgensi"])[rng.choice(3, n, p=[0.45, 0.4, 0.15])]
    columns["Tahap"] = np.array(labels["tahap"])[reached]
    stage_columns = [s.column for s in profile.stages[1:]]
    for i, column in enumerate(stage_columns):
        text = pd.DatetimeIndex(at[:, i]).strftime("%d/%m/%Y %H:%M").to_numpy(dtype=object)
        text[reached <= i] = ""
        columns[column] = text
    pd.DataFrame(columns, columns=header).to_csv(path, index=False)
    return path


def time_pages(register: Path, pages) -> list[tuple[str, float, float, str]]:
    """(page, first run s, cached run s, problem) per page, as an admin viewer."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.access import Viewer

    os.environ["PANTAU_REGISTER"] = str(register)
    os.environ["PANTAU_SOP"] = "umum"
    st.cache_resource.clear()
    st.cache_data.clear()
    results = []
    for spec in pages:
        times = []
        problem = ""
        for _ in range(2):
            at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=600)
            at.session_state["viewer"] = Viewer("admin", "admin")
            if not results and not times:  # the very first run reads and normalises the register
                start, cpu = time.perf_counter(), time.process_time()
                at.run()
                print(
                    f"register load + default page: {time.perf_counter() - start:.2f} s "
                    f"(CPU {time.process_time() - cpu:.2f} s)",
                    flush=True,
                )
            else:
                at.run()
            at.switch_page(spec.path)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            if at.exception:
                problem = str(at.exception[0].value)[:80]
        results.append((spec.url, times[0], times[1], problem))
    return results


def main(sizes: list[int], only: list[str] | None = None) -> None:
    from dashboard.navigation import PAGES

    pages = [p for p in PAGES if not only or p.url in only]

    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = Path(folder) / f"register_{n}.csv"
            start = time.perf_counter()
            synthetic_register(path, n)
            print(
                f"\n{n:,} complaints: register written in {time.perf_counter() - start:.1f} s "
                f"({path.stat().st_size / 1e6:.1f} MB)"
            )
            print(f"{'page':<22}{'first run (s)':>15}{'cached (s)':>12}  {'':<6}problem")
            for url, first, cached, problem in time_pages(path, pages):
                verdict = "ok" if cached <= 1.5 else "SLOW"
                print(f"{url:<22}{first:>15.2f}{cached:>12.2f}  {verdict:<6}{problem}", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--only", default="", help="comma-separated page urls (default: every page)")
    arguments = parser.parse_args()
    main(arguments.sizes, [u for u in arguments.only.split(",") if u] or None)
