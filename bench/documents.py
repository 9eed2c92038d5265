"""How long one document takes to make (DOCX via docxtpl + PDF via fpdf2), per kind, and — when
LibreOffice is installed — how long ``soffice --headless --convert-to pdf`` takes for the same DOCX
(the alternative PDF route, see README "Dokumen"). Prints figures; asserts nothing.

    .venv/bin/python -m bench.documents
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from metrics.profiles import load_profile  # noqa: E402
from services.documents import DocumentSettings, make_document  # noqa: E402
from services.documents.context import build_context  # noqa: E402
from services.documents.pdf import render_pdf  # noqa: E402
from services.documents.render import render_docx  # noqa: E402
from tests.services.documents.conftest import TODAY, demo_complaint, demo_meeting  # noqa: E402

RUNS = 5


def main() -> None:
    profile = load_profile("kutai_kartanegara")
    complaint, meeting = demo_complaint(profile), demo_meeting(profile)
    settings = DocumentSettings()
    print(f"{'jenis':<22}{'docx ms':>10}{'pdf ms':>10}")
    docx_files = {}
    for spec in profile.documents:
        context = build_context(
            spec, complaint, profile, settings, today=TODAY, petugas="Ani", handled=True, meeting=meeting
        )
        times = {"docx": [], "pdf": []}
        for _ in range(RUNS):
            started = time.perf_counter()
            docx_files[spec.kind] = render_docx(spec.kind, context)
            times["docx"].append(time.perf_counter() - started)
            started = time.perf_counter()
            render_pdf(spec.kind, context)
            times["pdf"].append(time.perf_counter() - started)
        print(
            f"{spec.kind:<22}{statistics.median(times['docx']) * 1000:>10.0f}"
            f"{statistics.median(times['pdf']) * 1000:>10.0f}"
        )
    started = time.perf_counter()
    for spec in profile.documents:
        make_document(
            spec.kind, complaint, profile, settings, today=TODAY, petugas="Ani", handled=True, meeting=meeting
        )
    print(f"all {len(profile.documents)} documents (DOCX+PDF): {time.perf_counter() - started:.2f} s")
    soffice = shutil.which("soffice")
    if not soffice:
        print("LibreOffice (soffice) not installed: conversion not measured")
        return
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("berita_acara", "surat_jawaban"):
            source = Path(folder) / f"{kind}.docx"
            source.write_bytes(docx_files[kind])
            started = time.perf_counter()
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            print(
                f"soffice --convert-to pdf {kind}: {time.perf_counter() - started:.2f} s (one process per call)"
            )


if __name__ == "__main__":
    main()
