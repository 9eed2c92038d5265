"""Recording the review meeting (rapat pembahasan) of a complaint.

The meeting is written like any update (``metrics.complaint_updates.update_cells`` /
``audit_rows`` and the source's ``update_row``): the profile's meeting stage gets the meeting's
date when the complaint has not reached it yet, the outcome kind and the berita acara number go to
the register's ``Jenis Penyelesaian`` and ``No. Berita Acara`` columns, and the meeting's own
columns (``context.MEETING_COLUMNS``: Waktu, Tempat, Peserta, Ringkasan, Keputusan Rapat) are
added to the sheet on first use. Every changed cell gets an audit row.

Berita acara number: ``metrics.nomor.berita_acara_number`` (the profile's ``berita_acara_format``,
the next free sequence among the numbers already in the register for the meeting's year and the
desa's code when the format has one; the demo register numbers with it too). A complaint that
already has a number keeps it (recording the meeting again corrects it, it does not renumber it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from data_sources.base import RegisterSource, UpdateResult
from metrics.columns import column_key
from metrics.complaint_updates import (
    MAX_LENGTHS,
    RowSnapshot,
    StageUpdate,
    audit_rows,
    clean_input,
    current_stage,
    find_term,
    latest_earlier_date,
    sheet_datetime,
    update_cells,
    update_problems,
)
from metrics.errors import PantauError
from metrics.nomor import berita_acara_number
from metrics.profiles import Profile, register_header
from metrics.text import Text
from services.documents.context import MEETING_COLUMNS, Participant, parse_participants, participants_text

MAX_TEXT = 30_000


class Writer(Protocol):
    """Who records the meeting (``Viewer`` of services.access / dashboard.access)."""

    name: str
    role: str

    def can_write(self, desa: str) -> bool: ...


@dataclass(frozen=True)
class MeetingInput:
    """What the petugas enters for the meeting."""

    waktu: dt.datetime | None
    tempat: str
    pejabat: tuple[str, ...] = ()  # chosen from profile.officials
    peserta_lain: tuple[str, ...] = ()  # free names, "Nama (Jabatan)" or "Nama"
    ringkasan: str = ""
    keputusan: str = ""
    jenis_penyelesaian: str = ""  # outcome key or label

    def participants(self, profile: Profile) -> tuple[Participant, ...]:
        officials = [Participant("", clean_input(o)) for o in self.pejabat if clean_input(o)]
        others = parse_participants(
            "; ".join(clean_input(p).replace(";", ",") for p in self.peserta_lain), profile
        )
        return tuple(dict.fromkeys([*officials, *others]))


def meeting_problems(
    complaint: Mapping[str, Any], meeting: MeetingInput, profile: Profile, now: dt.datetime
) -> dict[str, list[str]]:
    """Every problem of a meeting record, by field (waktu, tempat, peserta, ringkasan, keputusan,
    jenis_penyelesaian, tahap)."""
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str, english: str) -> None:
        problems.setdefault(key, []).append(Text(message, english))

    if not profile.meeting_stage:
        add(
            "tahap",
            f"SOP '{profile.name}' tidak memuat rapat pembahasan; rapat tidak dapat dicatat.",
            f"SOP '{profile.name}' has no discussion meeting; a meeting cannot be recorded.",
        )
        return problems
    if meeting.waktu is None:
        add("waktu", "Tanggal dan jam rapat wajib diisi.", "The meeting date and time are required.")
    elif pd.Timestamp(meeting.waktu) > pd.Timestamp(now):
        add(
            "waktu",
            "Tanggal rapat tidak boleh di masa depan: catat rapat setelah dilaksanakan.",
            "The meeting date may not be in the future: record a meeting after it took place.",
        )
    if not clean_input(meeting.tempat):
        add("tempat", "Tempat rapat wajib diisi.", "The meeting place is required.")
    unknown = [o for o in meeting.pejabat if clean_input(o) and clean_input(o) not in profile.officials]
    if unknown:
        add(
            "peserta",
            f"Pejabat '{unknown[0][:60]}' tidak ada di profil SOP. Pilihan: {', '.join(profile.officials)}.",
            f"Official '{unknown[0][:60]}' is not in the SOP profile. Choices: {', '.join(profile.officials)}.",
        )
    if not meeting.participants(profile):
        add(
            "peserta",
            "Peserta rapat wajib diisi (pilih pejabat dan/atau tulis nama peserta lain).",
            "Meeting participants are required (choose officials and/or write other participants' names).",
        )
    for key, label, label_en in (
        ("ringkasan", "Ringkasan pembahasan", "Summary of the discussion"),
        ("keputusan", "Keputusan rapat", "Meeting decision"),
    ):
        text = clean_input(getattr(meeting, key))
        if not text:
            add(key, f"{label} wajib diisi.", f"{label_en} is required.")
        elif len(text) > MAX_TEXT:
            add(
                key,
                f"{label} terlalu panjang ({len(text)} karakter; paling banyak {MAX_TEXT}).",
                f"{label_en} is too long ({len(text)} characters; at most {MAX_TEXT}).",
            )
    if len(participants_text(meeting.participants(profile))) > MAX_TEXT:
        add("peserta", "Daftar peserta terlalu panjang.", "The list of participants is too long.")
    outcome = clean_input(meeting.jenis_penyelesaian)
    if outcome and find_term(profile.outcomes, outcome) is None:
        add(
            "jenis_penyelesaian",
            f"Jenis penyelesaian '{outcome[:60]}' tidak ada di profil SOP. Pilihan: {', '.join(t.label for t in profile.outcomes)}.",
            f"Type of settlement '{outcome[:60]}' is not in the SOP profile. Choices: "
            f"{', '.join(t.label for t in profile.outcomes)}.",
        )
    return problems


def default_meeting_time(complaint: Mapping[str, Any], profile: Profile, now: dt.datetime) -> dt.datetime:
    """The meeting time the form proposes when none is recorded: ``now`` (the office's local
    time, to the minute), never before the receipt or the latest step before the meeting stage,
    so the proposal is one the form accepts."""
    proposal = pd.Timestamp(now).floor("min")
    if profile.meeting_stage:
        previous = latest_earlier_date(complaint, profile.meeting_stage, profile)
        if previous is not None and previous > proposal:
            proposal = previous
    return proposal.to_pydatetime()


def _stage_update(
    complaint: Mapping[str, Any], meeting: MeetingInput, profile: Profile, number: str
) -> StageUpdate:
    assert profile.meeting_stage
    current = current_stage(complaint, profile)
    before = profile.stage_index(current.key) < profile.stage_index(profile.meeting_stage)
    return StageUpdate(
        stage=profile.meeting_stage if before else current.key,
        when=meeting.waktu if before else None,
        jenis_penyelesaian=clean_input(meeting.jenis_penyelesaian),
        no_berita_acara=number,
    )


def record_meeting(
    source: RegisterSource,
    snapshot: RowSnapshot,
    meeting: MeetingInput,
    profile: Profile,
    writer: Writer,
    now: dt.datetime,
    register_complaints: pd.DataFrame,
    *,
    audit_now: dt.datetime | None = None,
    submission_id: str | None = None,
) -> tuple[UpdateResult, str]:
    """Write the meeting of ``snapshot``'s complaint; returns the source's result and the berita
    acara number. ``register_complaints``: the register (for the numbers already used).
    Raises PantauError naming every problem, or the source's errors (ConcurrentChange, ...)."""
    complaint = snapshot.complaint
    desa = clean_input(complaint.get("desa"))
    if not writer.can_write(desa):
        raise PantauError(
            f"{writer.name or 'Pengguna'} (peran {writer.role}) tidak berwenang mencatat rapat pengaduan "
            f"Desa {desa or '(tanpa desa)'}. Tidak ada yang disimpan."
        )
    problems = meeting_problems(complaint, meeting, profile, now)
    number = clean_input(complaint.get("no_berita_acara"))
    if not problems and not number:
        frame = register_complaints
        existing = frame["no_berita_acara"].dropna().tolist() if "no_berita_acara" in frame else []
        nomors = (
            frame.loc[frame["desa"].fillna("") == desa, "nomor"].dropna().tolist()
            if {"desa", "nomor"} <= set(frame.columns)
            else []
        )
        number = berita_acara_number(existing, profile, meeting.waktu or now, desa, nomors)
    if not problems:
        update = _stage_update(complaint, meeting, profile, number)
        for key, messages in update_problems(complaint, update, profile, now).items():
            problems.setdefault(key, []).extend(messages)
    if len(number) > MAX_LENGTHS["no_berita_acara"]:
        problems.setdefault("no_berita_acara", []).append("No. berita acara terlalu panjang.")
    waktu = meeting.waktu
    if problems or waktu is None:  # a missing waktu is one of meeting_problems
        raise PantauError("Rapat belum dapat dicatat:", problems=[m for ms in problems.values() for m in ms])
    actor = clean_input(writer.name) or writer.role
    cells = update_cells(complaint, update, profile, actor, now)
    own = {
        "waktu_rapat": sheet_datetime(waktu),
        "tempat_rapat": clean_input(meeting.tempat),
        "peserta_rapat": participants_text(meeting.participants(profile)),
        "ringkasan_rapat": clean_input(meeting.ringkasan),
        "keputusan_rapat": clean_input(meeting.keputusan),
    }
    raw_by_key = {column_key(h): v for h, v in snapshot.raw.items()}
    cells.update({k: v for k, v in own.items() if clean_input(raw_by_key.get(k, "")) != v})
    defaults = {**{column_key(h): h for h in register_header(profile)}, **MEETING_COLUMNS}
    headers = {**snapshot.headers, **{k: h for h in snapshot.raw if (k := column_key(h)) in MEETING_COLUMNS}}
    current = dataclasses.replace(snapshot, headers=headers)
    changes = current.changes(cells, defaults)
    tahap_header = current.header("tahap", defaults["tahap"])
    if tahap_header not in changes:  # refuse when someone moved the stage meanwhile
        loaded = snapshot.raw.get(tahap_header, "")
        changes[tahap_header] = (loaded, loaded)
    stamp = audit_now or now
    audit = audit_rows(snapshot.nomor, changes, actor, writer.role, stamp)
    # CONTRACTS §1: sources gain a keyword-only submission_id (replays recognised); passed where
    # the source already takes it
    accepted = inspect.signature(source.update_row).parameters
    extra: dict[str, Any] = (
        {"submission_id": submission_id} if submission_id and "submission_id" in accepted else {}
    )
    if snapshot.header_row and "loaded_header" in accepted:  # a header renamed since is named
        extra["loaded_header"] = snapshot.header_row
    result = source.update_row(
        snapshot.sheet, current.header("nomor", "Nomor"), snapshot.nomor, changes, audit, **extra
    )
    return result, number
