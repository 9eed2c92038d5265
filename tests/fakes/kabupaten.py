"""A made-up kabupaten on the fake Google APIs: N desa spreadsheets x M complaints, and its registry.

Used by the sync tests and bench/bench_kabupaten.py. Each desa keeps its register on the first
sheet of its own spreadsheet, in the header of its SOP profile; desas cycle through the profiles.
With ``survey_every=n`` every n-th desa (the 1st, the n+1-th, ...) also has a ``Survei`` sheet
(``metrics.ikm.SURVEY_HEADER``) with answers for about a third of its complaints.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from metrics.ikm import SURVEY_HEADER
from metrics.profiles import load_profile, register_header
from tests.fakes.sheets_api import FakeSheetsServer

PROFILE_CYCLE = ("umum", "kutai_kartanegara", "cipari", "babakan", "jagabaya", "selemadeg_timur")


class FakeClock:
    """Simulated epoch seconds: ``sleep`` advances it at once (tests and benchmarks)."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = float(start)
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, float(seconds))
        self.slept += max(0.0, float(seconds))


@dataclass(frozen=True)
class FakeDesa:
    kecamatan: str
    desa: str
    spreadsheet_id: str
    profile: str
    sheet: str = "Register"


def complaint_rows(
    header: list[str], desa: str, count: int, rng: random.Random, start: dt.date, profile_id: str = "umum"
) -> list[list[str]]:
    """``count`` complaint rows: received, most answered, many settled (the profile's milestone columns)."""
    profile = load_profile(profile_id)
    columns = {m: profile.milestone_stage(m).column for m in ("diterima", "jawaban", "selesai")}
    position = {h: i for i, h in enumerate(header)}
    rows = []
    for i in range(count):
        received = dt.datetime.combine(
            start + dt.timedelta(days=rng.randrange(0, 330)), dt.time(8 + i % 7, 15)
        )
        row = [""] * len(header)
        row[0] = f"{desa[:3].upper()}{desa[-3:]}-{i + 1:04d}"
        if "Desa" in position:
            row[position["Desa"]] = desa
        row[position[columns["diterima"]]] = received.strftime("%d/%m/%Y %H:%M")
        for h, i_h in position.items():
            if h.lower().startswith(("isi", "uraian")):
                row[i_h] = f"Keluhan nomor {i + 1} di {desa}"
        if rng.random() < 0.85:
            answered = received + dt.timedelta(days=rng.randrange(1, 20))
            row[position[columns["jawaban"]]] = answered.strftime("%d/%m/%Y")
            if rng.random() < 0.8:
                settled = answered + dt.timedelta(days=rng.randrange(0, 25))
                row[position[columns["selesai"]]] = settled.strftime("%d/%m/%Y")
        rows.append(row)
    return rows


def seed_kabupaten(
    server: FakeSheetsServer,
    n_desa: int = 300,
    complaints: int = 100,
    *,
    n_kecamatan: int = 18,
    seed: int = 17,
    start: dt.date = dt.date(2025, 1, 6),
    survey_every: int = 0,
) -> list[FakeDesa]:
    rng = random.Random(seed)
    headers = {p: register_header(load_profile(p)) for p in PROFILE_CYCLE}
    out = []
    for i in range(n_desa):
        kecamatan = f"Kecamatan {i % n_kecamatan + 1:02d}"
        desa = f"Desa {i + 1:03d}"
        profile = PROFILE_CYCLE[i % len(PROFILE_CYCLE)]
        header = headers[profile]
        rows = [header, *complaint_rows(header, desa, complaints, rng, start, profile)]
        sheets = {"Register": rows}
        if survey_every and i % survey_every == 0:
            sheets["Survei"] = survey_rows(rows[1:], desa, rng)
        key = server.add_spreadsheet(f"Register Pengaduan {desa}", sheets)
        out.append(FakeDesa(kecamatan, desa, key, profile))
    return out


def survey_rows(complaints: list[list[str]], desa: str, rng: random.Random) -> list[list[str]]:
    """A Survei sheet: answers (1–4) for about a third of ``complaints`` (Nomor in column A)."""
    rows = [list(SURVEY_HEADER)]
    for number, complaint in enumerate(complaints):
        if rng.random() < 0.33:
            day = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(0, 360))
            rows.append(
                [complaint[0], desa, str(rng.randint(1, 4)), "", f"{day} 10:00", f"s-{desa}-{number}"]
            )
    return rows


def write_registry(desas: list[FakeDesa], path: Path, kabupaten: str = "Kabupaten Contoh") -> Path:
    lines = [f'kabupaten = "{kabupaten}"', ""]
    for d in desas:
        lines += [
            "[[desa]]",
            f'kecamatan = "{d.kecamatan}"',
            f'desa = "{d.desa}"',
            f'spreadsheet = "https://docs.google.com/spreadsheets/d/{d.spreadsheet_id}/edit"',
            f'profile = "{d.profile}"',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


SETTLED_PHONE = "081234567890"


def settled_row(
    header: list[str], desa: str, nomor: str, when: dt.datetime, phone: str = SETTLED_PHONE
) -> list[str]:
    """One complaint with a phone number, every ``Tanggal …`` step done at ``when`` (settled)."""
    position = {h: i for i, h in enumerate(header)}
    row = [""] * len(header)
    row[0] = nomor
    for name, value in (
        ("Desa", desa),
        ("No. HP", phone),
        ("Isi Pengaduan", "Lampu jalan mati"),
        ("Hasil Tindak Lanjut", "Lampu sudah diganti."),
    ):
        row[position[name]] = value
    for name, i in position.items():
        if name.startswith("Tanggal"):
            row[i] = when.strftime("%d/%m/%Y %H:%M")
    return row


def seed_two_profiles(server: FakeSheetsServer, registry_path: Path, when: dt.datetime) -> list[FakeDesa]:
    """Desa 001 (umum, Nomor ``A-0001``) and Desa 002 (kutai_kartanegara, Nomor ``B-0001``), each
    its own spreadsheet with one settled complaint of phone ``SETTLED_PHONE``; the registry written."""
    desas = []
    for i, (profile, nomor) in enumerate((("umum", "A-0001"), ("kutai_kartanegara", "B-0001"))):
        desa = f"Desa {i + 1:03d}"
        header = register_header(load_profile(profile))
        rows = [header, settled_row(header, desa, nomor, when)]
        key = server.add_spreadsheet(f"Register Pengaduan {desa}", {"Register": rows})
        desas.append(FakeDesa("Kecamatan 01", desa, key, profile))
    write_registry(desas, registry_path)
    return desas
