"""``./run dokumen --nomor NOMOR --jenis JENIS|semua --out DIR [--secrets PATH]``: a complaint's
documents as DOCX and PDF files, with the same settings as the app (``.streamlit/secrets.toml``
or ``--secrets``, ``PANTAU_REGISTER``, ``PANTAU_SOP``).

``--jenis semua`` makes every document the complaint's SOP declares. ``--peran`` says whose
eyes the files are for (privacy as in the app): ``admin`` (default; a Rahasia complaint's
reporter stays hidden), ``petugas`` (full identity), ``kecamatan``/``kepala_desa`` (masked).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import zoneinfo
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from data_sources.base import RegisterSource
from metrics.complaint_updates import RowSnapshot, clean_input, nomor_locations, row_snapshot
from metrics.errors import PantauError
from metrics.profiles import DOCUMENT_KINDS, Profile, load_profile
from services.cli_settings import REPO_ROOT, load_settings
from services.documents import DocumentSettings, make_document

DEMO_REGISTER = REPO_ROOT / ".pantau" / "demo_register.xlsx"
ROLES = ("admin", "petugas", "kecamatan", "kepala_desa")


def _section(secrets: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = secrets.get(name)
    return value if isinstance(value, Mapping) else {}


def make_source(secrets: Mapping[str, Any], env: Mapping[str, str]) -> RegisterSource:
    """The register the app would open: PANTAU_REGISTER / [pantau] register, else [gsheets], else the demo."""
    register = env.get("PANTAU_REGISTER") or _section(secrets, "pantau").get("register") or ""
    if register:
        from data_sources.local_file import LocalFileSource

        path = Path(str(register)).expanduser()
        if not path.is_file():
            raise PantauError(f"Register '{path}' (PANTAU_REGISTER / [pantau] register) tidak ditemukan.")
        return LocalFileSource(path)
    if _section(secrets, "gsheets"):
        from data_sources.gsheets import GoogleSheetsSource

        return GoogleSheetsSource.from_config(_section(secrets, "gsheets"))
    from data_sources.demo import write_demo_register
    from data_sources.local_file import LocalFileSource

    if not DEMO_REGISTER.exists():
        write_demo_register(DEMO_REGISTER)
    return LocalFileSource(DEMO_REGISTER)


def find_row(source: RegisterSource, nomor: str, profile: Profile) -> tuple[RowSnapshot, list]:
    grids = source.read()
    places = [(grid, place) for grid in grids for place in nomor_locations(grid, nomor, profile)]
    if len(places) > 1:
        raise PantauError(f"Nomor '{nomor}' tercatat ganda di register ({'; '.join(p for _, p in places)}).")
    snapshot = row_snapshot(places[0][0], nomor, profile) if places else None
    if snapshot is None:
        raise PantauError(f"Pengaduan dengan Nomor '{nomor}' tidak ditemukan di register.")
    return snapshot, grids


def handled_for(role: str, complaint: Mapping[str, Any]) -> bool:
    value = complaint.get("rahasia")
    secret = value is True or str(value).strip().lower() in ("true", "ya", "1")
    if role == "petugas":
        return True
    if role == "admin":
        return not secret
    return False


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./run dokumen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--nomor", required=True, help="Nomor pengaduan")
    parser.add_argument("--jenis", required=True, help=f"{', '.join(DOCUMENT_KINDS)} atau semua")
    parser.add_argument("--out", required=True, help="folder tujuan berkas DOCX dan PDF")
    parser.add_argument("--secrets", default=None, help="berkas pengaturan (bawaan .streamlit/secrets.toml)")
    parser.add_argument(
        "--peran", default="admin", choices=ROLES, help="untuk siapa dokumen dibuat (privasi)"
    )
    parser.add_argument("--petugas", default="", help="nama petugas yang mencetak")
    parser.add_argument("--tanggal", default="", help="tanggal surat TTTT-BB-HH (bawaan: hari ini)")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env
    try:
        secrets = load_settings(args.secrets)
        sop = env.get("PANTAU_SOP") or _section(secrets, "pantau").get("sop") or "umum"
        profile = load_profile(str(sop))
        jenis = clean_input(args.jenis).lower()
        if jenis != "semua" and jenis not in DOCUMENT_KINDS:
            raise PantauError(
                f"Jenis dokumen '{jenis}' tidak dikenal. Pilihan: {', '.join(DOCUMENT_KINDS)}, semua."
            )
        try:
            today = (
                dt.date.fromisoformat(args.tanggal)
                if args.tanggal
                else dt.datetime.now(zoneinfo.ZoneInfo(profile.timezone)).date()
            )
        except ValueError:
            raise PantauError(f"--tanggal '{args.tanggal}' tidak dapat dibaca: tulis TTTT-BB-HH.") from None
        snapshot, _grids = find_row(make_source(secrets, env), args.nomor, profile)
        kinds = [d.kind for d in profile.documents] if jenis == "semua" else [jenis]
        settings = DocumentSettings.from_secrets(secrets)
        out = Path(args.out).expanduser()
        out.mkdir(parents=True, exist_ok=True)
        public_url = str(_section(secrets, "pantau").get("public_url") or "")
        for kind in kinds:
            document = make_document(
                kind,
                snapshot.complaint,
                profile,
                settings,
                today=today,
                petugas=args.petugas,
                handled=handled_for(args.peran, snapshot.complaint),
                raw=snapshot.raw,
                public_url=public_url,
            )
            for suffix, data in (("docx", document.docx), ("pdf", document.pdf)):
                path = out / f"{document.file_stem}.{suffix}"
                path.write_bytes(data)
                print(path)
    except PantauError as error:
        print(error.message, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Berkas tidak dapat ditulis: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
