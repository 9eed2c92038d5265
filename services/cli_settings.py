"""Settings for the CLI commands (``./run sync``, ...): ``.streamlit/secrets.toml`` or ``--secrets PATH``.

Kept tiny on purpose (CONTRACTS.md point 5): a plain dict read with tomllib; ``PANTAU_REGISTER``
and ``PANTAU_SOP`` win over ``[pantau] register`` / ``sop`` like in the app.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from metrics.errors import PantauError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRETS = REPO_ROOT / ".streamlit" / "secrets.toml"


def load_settings(secrets_path: str | None, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The secrets file as a dict (empty when the default file does not exist)."""
    env = os.environ if env is None else env
    path = Path(secrets_path) if secrets_path else DEFAULT_SECRETS
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise PantauError(f"{path}: penulisan TOML salah: {error}") from error
        except OSError as error:
            raise PantauError(f"Berkas pengaturan {path} tidak dapat dibuka: {error.strerror}.") from error
    elif secrets_path:
        raise PantauError(f"Berkas pengaturan --secrets {path} tidak ada.")
    pantau = dict(data.get("pantau") or {})
    if env.get("PANTAU_REGISTER"):
        pantau["register"] = env["PANTAU_REGISTER"]
    if env.get("PANTAU_SOP"):
        pantau["sop"] = env["PANTAU_SOP"]
    data["pantau"] = pantau
    return data
