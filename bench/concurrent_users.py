"""20 people using one Pantau Aduan server at once: page-ready times (p50/p95) and errors.

    .venv/bin/python bench/concurrent_users.py [--sessions 20] [--timeout 300]

Starts one ``streamlit run streamlit_app.py`` on loopback on a fresh copy of the demo register
(the demo accounts configured, the overview public as on the demo), then opens ``--sessions``
browser contexts (one Debian Chromium, one context = one Streamlit session) all at once. Each
session loads the overview and one other page:

- even sessions are the public: the overview, then *Lacak Pengaduan*;
- odd sessions log in as a demo user (petugas / kepala desa / camat, in turn) first, then open the
  overview and one page of their role (Register, Statistik Bulanan, Perbandingan Desa, Pemantauan
  SLA, in turn).

"Page ready" = from the click or URL load until the script has finished, every element's code is
loaded, nothing is stale and the page's heading is shown. An error is a page that shows an
exception, a timeout, or a crashed page. No host name but localhost resolves in the browser. The whole
run stops by itself after ``--timeout`` seconds. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser.server import (  # noqa: E402
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    StreamlitServer,
    chromium_path,
    write_secrets,
)

APP = "[data-testid='stApp']"
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost"
USERS = (("petugas.cibodas", "petugas-demo"), ("kades.cibodas", "kades-demo"), ("camat", "camat-demo"))
# (menu title, heading shown on the page)
STAFF_PAGES = (
    ("Register", "Register Pengaduan"),
    ("Statistik Bulanan", "Statistik Bulanan"),
    ("Perbandingan Desa", "Perbandingan Desa"),
    ("Pemantauan SLA", "Pemantauan SLA"),
)
OVERVIEW = ("Ringkasan", "Ringkasan Pengaduan")
LOOKUP = ("Lacak Pengaduan", "Lacak Pengaduan")


@dataclass
class Session:
    index: int
    timings: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def wait_ready(page, pending: set, timeout: float) -> None:
    """Script finished, no element code loading, nothing stale — three polls in a row."""
    deadline = time.monotonic() + timeout
    await page.wait_for_selector(
        f"{APP}[data-test-connection-state='CONNECTED']", state="attached", timeout=timeout * 1000
    )
    calm = 0
    while time.monotonic() < deadline:
        state = await page.locator(APP).get_attribute("data-test-script-state")
        stale = await page.locator("[data-stale='true']").count()
        busy = state != "notRunning" or bool(pending) or stale > 0
        calm = 0 if busy else calm + 1
        if calm >= 3:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"page not ready after {timeout:.0f} s")


async def timed(
    session: Session, label: str, page, pending: set, action, heading: str | None, timeout: float
) -> None:
    started = time.monotonic()
    try:
        await action()
        await wait_ready(page, pending, timeout)
        main = page.locator("[data-testid='stMain']")
        if heading:
            await main.get_by_role("heading", name=heading).first.wait_for(timeout=timeout * 1000)
        if await page.locator("[data-testid='stException']").count():
            session.errors.append(f"{label}: the page shows an exception")
            return
        session.timings.append((label, time.monotonic() - started))
    except Exception as error:  # timeouts, crashed pages: counted, the run goes on
        session.errors.append(f"{label}: {type(error).__name__}: {str(error).splitlines()[0][:120]}")


async def nav_click(page, title: str) -> None:
    await (
        page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).first.click()
    )


async def run_session(browser, base_url: str, index: int, start: asyncio.Event, timeout: float) -> Session:
    session = Session(index)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(timeout * 1000)
    context.set_default_navigation_timeout(timeout * 1000)
    page = await context.new_page()
    pending: set = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    await start.wait()
    try:
        if index % 2 == 0:
            await timed(
                session,
                "overview",
                page,
                pending,
                lambda: page.goto(base_url, wait_until="commit"),
                OVERVIEW[1],
                timeout,
            )
            await timed(
                session, LOOKUP[0], page, pending, lambda: nav_click(page, LOOKUP[0]), LOOKUP[1], timeout
            )
        else:
            username, password = USERS[(index // 2) % len(USERS)]
            await page.goto(f"{base_url}/masuk", wait_until="commit")
            await wait_ready(page, pending, timeout)
            form = page.locator("[data-testid='stMain'] [data-testid='stForm']")
            await form.get_by_label("Nama pengguna", exact=True).fill(username)
            await form.get_by_label("Kata sandi", exact=True).fill(password)

            async def submit() -> None:
                await form.get_by_role("button", name="Masuk").click()
                await (
                    page.locator("[data-testid='stSidebar']")
                    .get_by_text("Masuk sebagai")
                    .wait_for(timeout=timeout * 1000)
                )

            await timed(session, "log in", page, pending, submit, None, timeout)
            await timed(
                session, "overview", page, pending, lambda: nav_click(page, OVERVIEW[0]), OVERVIEW[1], timeout
            )
            title, heading = STAFF_PAGES[(index // 2) % len(STAFF_PAGES)]
            await timed(session, title, page, pending, lambda: nav_click(page, title), heading, timeout)
    except Exception as error:
        session.errors.append(f"session: {type(error).__name__}: {str(error).splitlines()[0][:120]}")
    finally:
        await context.close()
    return session


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = q / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def report(sessions: list[Session], wall: float, n: int) -> None:
    timings = [(label, seconds) for s in sessions for label, seconds in s.timings]
    pages = [seconds for label, seconds in timings if label != "log in"]
    errors = [f"session {s.index}: {e}" for s in sessions for e in s.errors]
    print(
        f"{n} concurrent sessions, one server, one Chromium — {len(pages)} page loads in {wall:.1f} s "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    header = f"{'page':<22}{'loads':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}"
    print(header)
    print("-" * len(header))
    labels = ["overview", *sorted({label for label, _ in timings} - {"overview"})]
    for label in labels:
        values = [seconds for name, seconds in timings if name == label]
        if values:
            print(
                f"{label:<22}{len(values):>6}{percentile(values, 50):>8.2f}{percentile(values, 95):>8.2f}{max(values):>8.2f}"
            )
    if pages:
        print(
            f"{'all pages (no login)':<22}{len(pages):>6}{percentile(pages, 50):>8.2f}"
            f"{percentile(pages, 95):>8.2f}{max(pages):>8.2f}"
        )
    print(f"errors: {len(errors)}")
    for line in errors[:20]:
        print("  " + line)


async def main_async(args, base_url: str) -> tuple[list[Session], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        # Loopback only: every host name but localhost fails to resolve inside the browser.
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=[*CHROMIUM_ARGS, LOOPBACK_ONLY]
        )
        try:
            start = asyncio.Event()
            tasks = [
                asyncio.create_task(run_session(browser, base_url, i, start, args.page_timeout))
                for i in range(args.sessions)
            ]
            await asyncio.sleep(0.5)  # contexts created; now everybody clicks at once
            began = time.monotonic()
            start.set()
            sessions = await asyncio.gather(*tasks)
            return list(sessions), time.monotonic() - began
        finally:
            await browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument(
        "--timeout", type=float, default=300, help="the whole run stops after this many seconds"
    )
    parser.add_argument("--page-timeout", type=float, default=120, help="one page may take this long")
    parser.add_argument(
        "--cache-ttl",
        type=int,
        default=60,
        help="[pantau] cache_ttl_seconds of the server (default 60, as in secrets.example.toml); "
        "when a period ends, the next request reads and normalises the register again",
    )
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print(CHROMIUM_MISSING)
        return 2
    # Hard stop: whatever hangs, the process ends (the server is in its own process group and
    # is stopped by the finally below or, at worst, by this watchdog).
    watchdog = threading.Timer(args.timeout + 60, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()

    import bcrypt

    from data_sources.demo import write_demo_register

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        register = write_demo_register(folder / "register.xlsx")
        users = {
            name: {
                "password_hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode(),
                "role": role,
                "desa": desa,
                "name": name,
            }
            for name, password, role, desa in (
                ("petugas.cibodas", "petugas-demo", "petugas", ["Cibodas"]),
                ("kades.cibodas", "kades-demo", "kepala_desa", ["Cibodas"]),
                ("camat", "camat-demo", "kecamatan", []),
            )
        }
        secrets = write_secrets(
            folder / "secrets.toml",
            {"pantau": {"public_overview": True, "cache_ttl_seconds": args.cache_ttl}, "users": users},
        )
        server = StreamlitServer(register=register, secrets=secrets, log_path=folder / "streamlit.log")
        started = time.monotonic()
        server.start()
        print(
            f"server healthy after {time.monotonic() - started:.1f} s on {server.url} (loopback), "
            f"register cache {args.cache_ttl} s"
        )
        try:
            # one visit at the root first, as in real life (see tests/browser/test_deep_link.py)
            warm = asyncio.run(
                asyncio.wait_for(
                    main_async(argparse.Namespace(sessions=1, page_timeout=args.page_timeout), server.url),
                    args.timeout,
                )
            )
            print(f"first visit (register read + normalised): {warm[1]:.1f} s")
            sessions, wall = asyncio.run(asyncio.wait_for(main_async(args, server.url), args.timeout))
        except TimeoutError:
            print(f"stopped: the run exceeded {args.timeout:.0f} s")
            return 1
        finally:
            server.stop()
    report(sessions, wall, args.sessions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
