"""Settings for command-line tools: ``.streamlit/secrets.toml`` or ``--secrets PATH`` (CONTRACTS §5).

``PANTAU_REGISTER`` / ``PANTAU_SOP`` are honoured by the callers (they pass ``os.environ`` on).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from metrics.errors import PantauError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRETS = REPO_ROOT / ".streamlit" / "secrets.toml"


def load_settings(secrets_path: str | None) -> dict[str, Any]:
    """The secrets as a dict: ``secrets_path`` (must exist), else the default file if present, else {}."""
    path = Path(secrets_path).expanduser() if secrets_path else DEFAULT_SECRETS
    if not path.is_file():
        if secrets_path:
            raise PantauError(f"Berkas pengaturan '{path}' tidak ditemukan (--secrets).")
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise PantauError(f"Berkas pengaturan '{path}' tidak dapat dibaca: {error}") from None
