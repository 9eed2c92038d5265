"""Settings for command-line tools (``./run notify`` and friends): ``.streamlit/secrets.toml`` or
``--secrets PATH`` read with tomllib, no Streamlit involved (CONTRACTS.md point 5)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from metrics.errors import PantauError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRETS = REPO_ROOT / ".streamlit" / "secrets.toml"


def load_settings(secrets_path: str | None) -> dict[str, Any]:
    """The secrets file as a dict. Without ``secrets_path`` the app's ``.streamlit/secrets.toml``
    is read when it exists (else ``{}``: the demo register); a given path must exist."""
    path = Path(secrets_path).expanduser() if secrets_path else DEFAULT_SECRETS
    if not path.exists():
        if secrets_path:
            raise PantauError(f"Berkas pengaturan {path} tidak ditemukan (--secrets).")
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise PantauError(f"Berkas pengaturan {path} tidak dapat dibaca: {error}.") from error
    except OSError as error:
        raise PantauError(f"Berkas pengaturan {path} tidak dapat dibuka: {error.strerror}.") from error
