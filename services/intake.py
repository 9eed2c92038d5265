"""Google Form responses merged into the register: each new response becomes ONE complaint.

For every response row without a Nomor in the mark column (``Nomor Pantau``):

1. its answers become complaint fields (``metrics.form_responses``: mapping, response time as the
   receipt time, channel Website from the profile's vocabulary); a response missing a required
   element (or with an unknown desa, an unreadable time, an invalid phone...) goes to the
   *pending* list for the petugas, not into the register, and is looked at again next run;
2. ``services.complaints.record_complaint`` appends it with ``submission_id`` = the response's
   stable identity (its time and answers): a second run, a retry after a lost answer, a crash
   between the append and the mark, another app server or a second ``./run intake`` at the same
   time all send the same id, and the source recognises the replay (``ID Kiriman`` in Riwayat)
   and returns the same Nomor without writing;
3. the Nomor is written into the response row's mark column (after reading the sheet again, the
   row found by its identity, not its position), so later runs skip it without asking the source.

A response the source refuses as ``AlreadyRecorded`` (applied before, its register row deleted by
hand since) is final: it is marked with that Nomor like a replay, so it is neither written again
nor retried, and listed in ``IntakeReport.deleted`` with what the petugas should check.

The writer is the intake viewer (``services.access.INTAKE_ROLE``): it may append new complaints for
the register's desas and nothing else. ``python -m services.intake`` (``./run intake``) runs one merge
with the app's settings and prints what happened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from data_sources.base import AlreadyRecorded, RegisterSource
from data_sources.form_responses import ResponseSheet, response_sheet_for
from metrics.columns import column_key
from metrics.errors import PantauError
from metrics.form_input import clean_input, find_term
from metrics.form_responses import FIELDS, Response, check_header, response_identity, responses
from metrics.new_complaint import new_complaint_problems
from metrics.profiles import Profile, load_profile
from metrics.register import Register
from metrics.text import Text
from services.access import INTAKE_ROLE, Viewer
from services.cli_settings import load_settings
from services.complaints import record_complaint
from services.intake_config import IntakeConfig, intake_config
from services.register_loading import load, register_config
from services.settings import Settings, add_secrets_argument

__all__ = ["IntakeReport", "Pending", "intake_viewer", "main", "merge_responses", "required_fields"]


@dataclass(frozen=True)
class Pending:
    """A response that cannot go into the register yet (for the petugas to complete)."""

    row: int  # 1-based row of the response sheet
    desa: str
    received: str  # the response time as written
    problems: tuple[str, ...]


@dataclass
class IntakeReport:
    sheet: str
    found: bool = True  # the response sheet exists
    problems: list[str] = field(default_factory=list)  # header/configuration: nothing merged
    notes: list[str] = field(default_factory=list)  # merged, with something said about it
    merged: list[tuple[int, str]] = field(default_factory=list)  # (row, Nomor) appended this run
    replayed: list[tuple[int, str]] = field(default_factory=list)  # already in the register: marked
    # recorded before, its register row deleted by hand since: marked with that Nomor, not written
    deleted: list[tuple[int, str]] = field(default_factory=list)
    already: int = 0  # rows carrying a Nomor in the mark column
    pending: list[Pending] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a write failed: tried again next run
    marked: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.merged or self.marked)

    def lines(self) -> list[str]:
        """What happened, in Indonesian, one line each (the CLI prints these)."""
        if not self.found:
            return [f"Sheet respons '{self.sheet}' tidak ada: tidak ada yang digabung."]
        out = [*self.problems]
        out.append(
            f"Sheet respons '{self.sheet}': {len(self.merged)} respons baru masuk register, "
            f"{len(self.replayed)} sudah tercatat sebelumnya (ditandai), {self.already} sudah bertanda, "
            f"{len(self.pending)} menunggu dilengkapi, {len(self.errors)} gagal (dicoba lagi nanti)."
        )
        out += [f"  baris {row}: Nomor {nomor}" for row, nomor in self.merged]
        out += [
            f"  baris {row}: sudah pernah dicatat sebagai Nomor {nomor}, tetapi barisnya telah dihapus dari "
            "register. Tidak ditulis ulang (respons ditandai dengan Nomor itu); periksa Riwayat Nomor "
            "tersebut dan catat manual sebagai pengaduan baru bila penghapusan itu keliru."
            for row, nomor in self.deleted
        ]
        out += [f"  baris {p.row}: {'; '.join(p.problems)}" for p in self.pending]
        out += [f"  {n}" for n in [*self.notes, *self.errors]]
        return out


def intake_viewer(desas: Sequence[str], name: str = "Formulir Google") -> Viewer:
    """The writer of form responses: new complaints of ``desas`` only, sees nothing."""
    return Viewer(name, INTAKE_ROLE, desa=tuple(d for d in desas if clean_input(d)), method="intake")


def required_fields(profile: Profile, *, ask_desa: bool) -> list[str]:
    """Register fields a response must answer: the profile's required elements, the complaint
    text, and the desa when the form is for more than one desa."""
    wanted = [f for f in profile.required_elements if f in FIELDS]
    return list(dict.fromkeys([*(["desa"] if ask_desa else []), *wanted, "isi_pengaduan"]))


def register_desas(register: Register) -> list[str]:
    """The desas of the register's complaints (when ``[wilayah] desa`` names none)."""
    complaints = register.complaints
    if complaints.empty or "desa" not in complaints:
        return []
    return sorted({str(d) for d in complaints["desa"].dropna() if clean_input(d)})


def _fixed_desa(config: IntakeConfig, desas: Sequence[str]) -> str:
    return config.desa or (desas[0] if len(desas) == 1 else "")


def merge_responses(
    source: RegisterSource,
    sheet: ResponseSheet,
    register: Register,
    profile: Profile,
    config: IntakeConfig,
    *,
    desas: Sequence[str],
    now: dt.datetime,
) -> IntakeReport:
    """Merge the new responses of ``sheet`` into the register (see the module docstring)."""
    report = IntakeReport(config.worksheet, problems=list(config.problems))
    grid = sheet.read()
    if grid is None:
        report.found = False
        return report
    values = [list(row) for row in grid.values]
    if not values:
        return report
    fixed = _fixed_desa(config, desas)
    required = required_fields(profile, ask_desa=not fixed)
    check = check_header(
        values[0], config.mapping, required=required, mark_column=config.mark_column, sheet=config.worksheet
    )
    if check.unmapped:
        report.notes.append(
            "Pertanyaan yang tidak dipetakan ke kolom register (diabaikan): "
            + ", ".join(repr(q) for q in check.unmapped)
            + ". Tambahkan ke [intake] kolom bila perlu."
        )
    channel = find_term(profile.channels, config.channel) or find_term(profile.channels, "formulir")
    if channel is None:
        labels = ", ".join(t.label for t in profile.channels)
        report.problems.append(
            Text(
                f"[intake] saluran '{config.channel}' tidak ada di daftar saluran profil SOP ({labels}).",
                f"[intake] saluran '{config.channel}' is not in the SOP profile's list of channels ({labels}).",
            )
        )
    if not check.ok or channel is None:
        report.problems.extend(check.missing)
        return report
    rows = responses(
        config.worksheet,
        values,
        check,
        channel=channel.key,
        fixed_desa=fixed,
        desas=desas,
        required=[r for r in required if r != "desa"],
        now=now,
        dayfirst=config.dayfirst,
    )
    viewer = intake_viewer(desas)
    marks: dict[str, str] = {}
    for response in rows:
        if response.mark:
            report.already += 1
            continue
        fields = _with_known_category(response, profile, report)
        problems = list(response.problems)
        if not problems:
            problems = [m for ms in new_complaint_problems(fields, profile, now).values() for m in ms]
        if problems:
            report.pending.append(
                Pending(response.row, clean_input(fields.get("desa")), _time_text(fields), tuple(problems))
            )
            continue
        try:
            result, _cells = record_complaint(
                source, register, profile, viewer, fields, now, submission_id=response.identity
            )
        except AlreadyRecorded as error:  # final: marked, never retried nor written again
            marks[response.identity] = error.key
            report.deleted.append((response.row, error.key))
            continue
        except PantauError as error:
            report.errors.append(Text(f"baris {response.row}: ", f"row {response.row}: ") + error.text)
            continue
        marks[response.identity] = result.key
        (report.replayed if result.replayed else report.merged).append((response.row, result.key))
    if marks:
        report.marked = _write_marks(sheet, config, marks, report)
    return report


def _with_known_category(response: Response, profile: Profile, report: IntakeReport) -> dict[str, object]:
    """The response's fields; a category the profile does not know is left for the petugas to set
    (said in the report), so a form with its own category names still comes in."""
    fields = dict(response.fields)
    typed = clean_input(fields.get("kategori"))
    if typed and find_term(profile.categories, typed) is None:
        fields["kategori"] = ""
        report.notes.append(
            f"baris {response.row}: kategori '{typed[:60]}' tidak ada di profil SOP; dibiarkan kosong "
            "untuk diklasifikasi petugas."
        )
    return fields


def _time_text(fields: Mapping[str, object]) -> str:
    received = fields.get("tanggal_diterima")
    return received.strftime("%d/%m/%Y %H:%M") if isinstance(received, dt.datetime) else ""


def _write_marks(
    sheet: ResponseSheet, config: IntakeConfig, marks: Mapping[str, str], report: IntakeReport
) -> int:
    """Write each Nomor into the row holding that response now (read again: rows may have been
    sorted meanwhile); the mark column is added after the last question when it is not there."""
    grid = sheet.read()
    if grid is None or not grid.values:
        report.errors.append(
            Text(
                f"Sheet respons '{config.worksheet}' hilang sebelum ditandai; ditandai lagi nanti.",
                f"Response sheet '{config.worksheet}' disappeared before it was marked; marked again later.",
            )
        )
        return 0
    values = [list(row) for row in grid.values]
    header = values[0]
    check = check_header(header, config.mapping, required=(), mark_column=config.mark_column)
    cells: dict[tuple[int, int], str] = {}
    position = check.mark_column
    if position is None:
        position = max((i for i, c in enumerate(header) if clean_input(c)), default=-1) + 1
        cells[(1, position)] = config.mark_column
    for index, row in enumerate(values[1:], start=2):
        identity = response_identity(config.worksheet, row, check.time_column, check.mark_column)
        nomor = marks.get(identity)
        current = clean_input(row[position]) if position < len(row) else ""
        if nomor and column_key(current) != column_key(nomor):
            cells[(index, position)] = nomor
    if not cells:  # another run marked them meanwhile: nothing to write
        return 0
    try:
        sheet.write_cells(cells)
    except PantauError as error:
        report.errors.append(
            f"Menandai sheet respons gagal ({error.message}); ditandai lagi pada run berikut."
        )
        return 0
    return sum(1 for (row, _col) in cells if row > 1)


# ---------------------------------------------------------------------------- ./run intake


def run(settings: Settings, now: dt.datetime) -> IntakeReport:
    """One merge with the app's settings (the register as configured, ``[intake]``)."""
    loaded = load(settings, today=now)
    config = intake_config(settings.secrets.get("intake"))
    sheet = response_sheet_for(loaded.source, config.worksheet, config.spreadsheet)
    desas = list(settings.desa_names) or register_desas(loaded.register)
    return merge_responses(
        loaded.source, sheet, loaded.register, loaded.profile, config, desas=desas, now=now
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="./run intake", description="Gabungkan respons Google Form baru ke register (sekali jalan)."
    )
    add_secrets_argument(parser)
    parser.add_argument("--now", metavar="YYYY-MM-DDTHH:MM", help="waktu sekarang (uji); bawaan jam profil")
    args = parser.parse_args(argv)
    try:
        settings = register_config(load_settings(args.secrets), os.environ)
        zone = zoneinfo.ZoneInfo(_profile_timezone(settings))
        now = dt.datetime.fromisoformat(args.now) if args.now else dt.datetime.now(zone).replace(tzinfo=None)
        report = run(settings, now.replace(second=0, microsecond=0, tzinfo=None))
    except (PantauError, ValueError) as error:
        message = error.message if isinstance(error, PantauError) else str(error)
        print(f"Gagal: {message}", file=sys.stderr)
        for problem in getattr(error, "problems", []) or []:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    return 1 if report.problems or report.errors else 0


def _profile_timezone(settings: Settings) -> str:
    return load_profile(settings.profile_id).timezone


if __name__ == "__main__":
    sys.exit(main())
