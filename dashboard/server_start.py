"""Warm start of the app server: ``python -m dashboard.server_start [streamlit run options]``.

``./run app`` starts Streamlit through this launcher. Before the server takes a session it does
what the first visitor would otherwise wait for (``warm_up``):

- imports the app's modules (what ``streamlit_app.py`` and every page file import: pandas, the
  metrics, the views, fpdf, gspread …; seconds on a busy 2-core machine);
- reads the bundled SOP profiles (``metrics.profiles`` caches them per process; the kabupaten page
  reads every profile its desas use);
- maps every loaded module to its file once (``inspect.stack()``): Streamlit calls
  ``inspect.stack()`` on the first element a process draws (its "is this a REPL?" check), which
  walks every module in ``sys.modules`` the first time (about a second with the app's modules
  loaded); later calls reuse the standard library's cache.

then it starts the server with Streamlit's own command line (``streamlit run streamlit_app.py``
plus the given options). Streamlit runs the scripts in this process, so they find all of it done.
The register and the kabupaten store are still read by the first page that needs them, with the
settings of that session's secrets. ``streamlit run streamlit_app.py`` keeps working; it just
leaves these steps to the first visitor.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import time
from pathlib import Path

from streamlit.web import cli as streamlit_cli

from metrics.errors import PantauError
from metrics.profiles import load_profile, profile_ids

__all__ = ["APP_PACKAGES", "REPO", "app_modules", "import_app_modules", "main", "warm_up"]

REPO = Path(__file__).resolve().parent.parent
# Imports of these packages in the entry script and the page files are the app's own modules.
APP_PACKAGES = ("dashboard", "data_sources", "metrics", "services")


def app_modules(repo: Path = REPO) -> tuple[str, ...]:
    """The app's modules that ``streamlit_app.py`` and the page files (``app_pages/*.py``) import at
    their top level, in file order, each once (their own imports follow when they are imported)."""
    found: dict[str, None] = {}
    for path in (repo / "streamlit_app.py", *sorted((repo / "app_pages").glob("*.py"))):
        for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
                names = [name for name in names if (repo / (name.replace(".", "/") + ".py")).exists()] or [
                    node.module
                ]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] in APP_PACKAGES:
                    found.setdefault(name)
    return tuple(found)


def import_app_modules(modules: tuple[str, ...] | None = None) -> float:
    """Import ``modules`` (default: ``app_modules()``); the seconds it took."""
    started = time.perf_counter()
    for name in app_modules() if modules is None else modules:
        importlib.import_module(name)
    return time.perf_counter() - started


def warm_up() -> float:
    """The app's modules imported, the bundled profiles read and the loaded modules mapped to their
    files (see the module's doc); the seconds it took. A bundled profile that does not load is left
    to the page that needs it, which names the problem."""
    started = time.perf_counter()
    import_app_modules()
    for profile_id in profile_ids():
        try:
            load_profile(profile_id)
        except PantauError:
            continue
    inspect.stack()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    """``warm_up``, then ``streamlit run streamlit_app.py`` with ``argv`` (its options)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    seconds = warm_up()
    print(f"Pantau Aduan: aplikasi disiapkan dalam {seconds:.1f} s / app warmed up in {seconds:.1f} s")
    args = sys.argv[1:] if argv is None else argv
    streamlit_cli.main(["run", str(REPO / "streamlit_app.py"), *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
