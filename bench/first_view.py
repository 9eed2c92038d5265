"""One new server process's first view of Perbandingan Kecamatan (a kabupaten user lands on it).

    .venv/bin/python bench/first_view.py --store-dir DIR --mode cold|warm

Run by ``bench/bench_kabupaten.py`` in a fresh process per mode, on the store it synced into DIR
(``desa.toml`` + ``snapshot.sqlite``):

- ``cold``: what ``streamlit run streamlit_app.py`` gives the first visitor: the script's first run
  imports the app's modules, then loads the store and renders;
- ``warm``: what ``./run app`` gives (``dashboard.server_start.warm_up``): the app's modules are
  imported (and the bundled profiles read, the modules' files mapped) before the server takes a
  session (timed apart as the server start's warm-up), then the first run.

In both, Streamlit's component scan, which a real server does once at its start, is done before the
timed run (AppTest would do it inside an instance's first run) and reported apart.

Only the standard library is imported at the top: Streamlit (which the server has imported before any
session) and ``AppTest`` are imported untimed; the app's own modules are not imported before the
timed part. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "s" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store-dir", type=Path, required=True)
    parser.add_argument("--mode", choices=("cold", "warm"), required=True)
    args = parser.parse_args()

    import streamlit  # noqa: F401  (the server process has it before any session)
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.testing.v1 import AppTest

    app_modules_before = sorted(
        m for m in sys.modules if m.split(".")[0] in ("dashboard", "services", "metrics")
    )
    server_imports = 0.0
    if args.mode == "warm":
        from dashboard.server_start import warm_up

        server_imports = warm_up()

    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    # Streamlit's scan of the installed packages for components (1-2 s here) is done once when a
    # real server starts (streamlit/runtime/runtime.py); AppTest does it on an instance's first run.
    # Done before the timer, as the server does, and timed as part of the server start.
    started = time.perf_counter()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    component_scan = time.perf_counter() - started
    at._bidi_component_manager = components  # noqa: SLF001 - the manager a server has from its start
    at.secrets = {
        "auth": AUTH,
        "roles": {"kab@contoh.go.id": {"role": "kabupaten"}},
        "sync": {
            "registry": str(args.store_dir / "desa.toml"),
            "store": str(args.store_dir / "snapshot.sqlite"),
        },
    }
    at.user = {"is_logged_in": True, "email": "kab@contoh.go.id", "name": "Kabupaten"}
    started = time.perf_counter()
    at.run()  # a kabupaten user lands on Perbandingan Kecamatan
    first = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    if not any("Median sampai selesai" in d.value.columns for d in at.dataframe):
        raise RuntimeError(f"the page did not render the comparison: {[e.value for e in at.error]}")
    heavy = [name for name in ("fpdf", "docx", "gspread", "openpyxl") if name in sys.modules]
    print(
        json.dumps(
            {
                "mode": args.mode,
                "server_start_warm_up_seconds": round(server_imports, 2),
                "component_scan_seconds": round(component_scan, 2),
                "first_view_seconds": round(first, 2),
                "app_modules_before": len(app_modules_before),
                "heavy_modules_loaded": heavy,
            }
        )
    )


if __name__ == "__main__":
    main()
