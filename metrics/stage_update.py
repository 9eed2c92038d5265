"""Advancing a complaint: where it stands, where it may move, and the problems and cells of an
update. The stage rules come from the one stage model (``metrics.stages``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.answer_templates import unfilled_blanks
from metrics.columns import MAX_LENGTHS
from metrics.form_input import (
    FIELD_LABELS,
    FIELD_LABELS_EN,
    cell_timestamp,
    cell_value,
    clean_input,
    find_stage,
    find_term,
    sheet_datetime,
)
from metrics.pause_update import pause_cells, pause_problems
from metrics.profiles import Profile, Stage
from metrics.stages import stage_model
from metrics.text import Text

# --------------------------------------------------------------------------------------------
# Stages


def _complaint_model(complaint: Mapping[str, Any], profile: Profile, *, filled_key: str | None = None):
    """The stage model (``metrics.stages``) of one complaint; ``filled_key``: as if that stage's
    date were filled too (what the complaint would look like after moving there)."""
    row = {
        stage.column_key: [cell_timestamp(cell_value(complaint, stage.column_key))]
        for stage in profile.stages
    }
    if filled_key is not None:
        target = profile.stages[profile.stage_index(filled_key)].column_key
        row[target] = [row[target][0] or pd.Timestamp.max.floor("D")]
    frame = pd.DataFrame(
        {key: pd.to_datetime(pd.Series(values, dtype=object)) for key, values in row.items()}
    )
    return stage_model(frame, profile)


def current_stage(complaint: Mapping[str, Any], profile: Profile) -> Stage:
    """The furthest step a complaint has reached: by its Tahap cell or its latest stage date."""
    index = max(int(_complaint_model(complaint, profile).furthest[0]), 0)
    stage = find_stage(profile, cell_value(complaint, "tahap"))
    if stage is not None:
        index = max(index, profile.stage_index(stage.key))
    return profile.stages[index]


def allowed_next_stages(current_stage_key: str | None, profile: Profile) -> list[Stage]:
    """The stages a complaint at ``current_stage_key`` may move to, the SOP's next step first.

    Any later step is allowed (see module doc); earlier steps never. Unknown or empty current
    stage = the first (receipt) stage."""
    keys = profile.stage_keys
    position = keys.index(current_stage_key) if current_stage_key in keys else 0
    return list(profile.stages[position + 1 :])


def skipped_stages(complaint: Mapping[str, Any], target_key: str, profile: Profile) -> list[Stage]:
    """Steps after the receipt that moving to ``target_key`` would leave skipped (their dates are
    empty): the form warns about them."""
    model = _complaint_model(complaint, profile, filled_key=target_key)
    target = profile.stage_index(target_key)
    return [stage for i, stage in enumerate(profile.stages[1:target], start=1) if model.skipped[i][0]]


def latest_earlier_date(
    complaint: Mapping[str, Any], target_key: str, profile: Profile
) -> pd.Timestamp | None:
    """The latest date recorded for a step before ``target_key`` (the receipt included)."""
    model = _complaint_model(complaint, profile)
    target = profile.stage_index(target_key)
    dates = [int(model.done[i][0]) for i in range(target) if model.filled[i][0]]
    return pd.Timestamp(max(dates)) if dates else None


@dataclass(frozen=True)
class StageUpdate:
    """What a petugas enters to advance a complaint (``stage`` = stage key; same as the current
    stage to update the other fields only). Empty texts mean 'leave as it is'."""

    stage: str
    when: dt.datetime | None = None
    disposisi_kepada: str = ""
    jenis_penyelesaian: str = ""  # outcome key or label
    hasil_tindak_lanjut: str = ""
    no_berita_acara: str = ""
    # Menunggu kelengkapan (metrics.pause_update): start / end the complaint's one pause; None = leave
    mulai_menunggu: dt.datetime | None = None
    berkas_lengkap: dt.datetime | None = None
    # Record status (metrics.record_status): None = leave as it is; "Duplikat"/"Batal" = mark
    # (``keterangan_status``: the original's Nomor / the reason); "" = remove the mark (admin).
    status_catatan: str | None = None
    keterangan_status: str = ""


def update_problems(
    complaint: Mapping[str, Any], update: StageUpdate, profile: Profile, now: dt.datetime
) -> dict[str, list[str]]:
    """Every problem of an update, by field key."""
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    current = current_stage(complaint, profile)
    staying = update.stage == current.key
    target = profile.stage(current.key) if staying else None
    if not staying:
        allowed = {s.key: s for s in allowed_next_stages(current.key, profile)}
        target = allowed.get(update.stage)
        if target is None:
            known = find_stage(profile, update.stage)
            name = known.label if known else update.stage
            add(
                "tahap",
                Text(
                    f"Tahap '{name}' tidak boleh dipilih: pengaduan sudah di tahap '{current.label}' "
                    "dan hanya dapat maju ke tahap berikutnya menurut SOP.",
                    f"Stage '{name}' cannot be chosen: the complaint is at stage '{current.label}' "
                    "and can only move on to the next stage of the SOP.",
                ),
            )
            return problems
        when = cell_timestamp(update.when)
        if when is None:
            add(
                "tanggal",
                Text(
                    f"Tanggal tahap '{target.label}' wajib diisi.",
                    f"The date of stage '{target.label}' is required.",
                ),
            )
        else:
            previous = latest_earlier_date(complaint, target.key, profile)
            if when > pd.Timestamp(now):
                add(
                    "tanggal",
                    Text(
                        f"Tanggal tahap '{target.label}' tidak boleh di masa depan.",
                        f"The date of stage '{target.label}' cannot be in the future.",
                    ),
                )
            elif previous is not None and when < previous:
                add(
                    "tanggal",
                    Text(
                        f"Tanggal tahap '{target.label}' ({when:%d/%m/%Y %H:%M}) tidak boleh sebelum tanggal "
                        f"tahap sebelumnya ({previous:%d/%m/%Y %H:%M}).",
                        f"The date of stage '{target.label}' ({when:%d/%m/%Y %H:%M}) cannot be before the date "
                        f"of the previous stage ({previous:%d/%m/%Y %H:%M}).",
                    ),
                )
    assert target is not None
    index = profile.stage_index(target.key)

    official = clean_input(update.disposisi_kepada)
    current_official = clean_input(cell_value(complaint, "disposisi_kepada"))
    if official and official != current_official and profile.officials and official not in profile.officials:
        add(
            "disposisi_kepada",
            Text(
                f"Disposisi kepada '{official[:60]}' bukan pejabat di profil SOP. Pilihan: {', '.join(profile.officials)}.",
                f"Assigned to '{official[:60]}' is not an official of the SOP profile. Choices: "
                f"{', '.join(profile.officials)}.",
            ),
        )
    disposition = profile.milestone_stage("disposisi")
    if (
        not staying
        and disposition is not None
        and target.key == disposition.key
        and not (official or current_official)
        and profile.officials
    ):
        add(
            "disposisi_kepada",
            Text(
                "Disposisi kepada wajib dipilih untuk tahap disposisi.",
                "Choose the official the complaint is assigned to (disposition stage).",
            ),
        )

    outcome_text = clean_input(update.jenis_penyelesaian)
    if outcome_text and find_term(profile.outcomes, outcome_text) is None:
        add(
            "jenis_penyelesaian",
            Text(
                f"Jenis penyelesaian '{outcome_text[:60]}' tidak ada di profil SOP. Pilihan: {', '.join(t.label for t in profile.outcomes)}.",
                f"Outcome '{outcome_text[:60]}' is not in the SOP profile. Choices: "
                f"{', '.join(t.label for t in profile.outcomes)}.",
            ),
        )
    settle = profile.milestone_stage("selesai")
    if (
        settle is not None
        and index >= profile.stage_index(settle.key)
        and not staying
        and not (outcome_text or clean_input(cell_value(complaint, "jenis_penyelesaian")))
    ):
        add(
            "jenis_penyelesaian",
            Text(
                "Jenis penyelesaian wajib dipilih sebelum pengaduan dinyatakan selesai.",
                "Choose the outcome before the complaint is marked settled.",
            ),
        )

    answer = clean_input(update.hasil_tindak_lanjut)
    answer_stage = profile.milestone_stage("jawaban")
    if (
        answer_stage is not None
        and index >= profile.stage_index(answer_stage.key)
        and not (answer or clean_input(cell_value(complaint, "hasil_tindak_lanjut")))
    ):
        add(
            "hasil_tindak_lanjut",
            Text(
                "Hasil tindak lanjut (jawaban kepada pelapor) wajib diisi untuk tahap jawaban.",
                "The result (the answer to the complainant) is required for the answer stage.",
            ),
        )
    blanks = unfilled_blanks(answer, profile.answer_templates)
    if blanks:
        add(
            "hasil_tindak_lanjut",
            Text(
                f"{FIELD_LABELS['hasil_tindak_lanjut']} masih berisi isian templat. Lengkapi dulu: {', '.join(blanks)}.",
                f"{FIELD_LABELS_EN['hasil_tindak_lanjut']} still holds template blanks. Fill them in first: "
                f"{', '.join(blanks)}.",
            ),
        )
    for key, text in (
        ("hasil_tindak_lanjut", answer),
        ("no_berita_acara", clean_input(update.no_berita_acara)),
        ("disposisi_kepada", official),
    ):
        if len(text) > MAX_LENGTHS[key]:
            add(
                key,
                Text(
                    f"{FIELD_LABELS[key]} terlalu panjang ({len(text)} karakter; paling banyak {MAX_LENGTHS[key]}).",
                    f"{FIELD_LABELS_EN[key]} is too long ({len(text)} characters; at most {MAX_LENGTHS[key]}).",
                ),
            )
    for key, messages in pause_problems(
        complaint, update.mulai_menunggu, update.berkas_lengkap, profile, now
    ).items():
        problems.setdefault(key, []).extend(messages)
    return problems


def validate_update(
    complaint_row: Mapping[str, Any], changes: StageUpdate, profile: Profile, now: dt.datetime
) -> list[str]:
    """Problems of advancing ``complaint_row`` (a typed register row) as ``changes`` says."""
    return [
        message
        for messages in update_problems(complaint_row, changes, profile, now).values()
        for message in messages
    ]


def update_cells(
    complaint: Mapping[str, Any], update: StageUpdate, profile: Profile, actor: str, now: dt.datetime
) -> dict[str, str]:
    """Canonical key -> new cell text of a valid update (only the cells that change, plus the
    Diperbarui Oleh/Pada bookkeeping)."""
    cells: dict[str, str] = {}
    current = current_stage(complaint, profile)
    if update.stage != current.key:
        target = profile.stage(update.stage)
        cells["tahap"] = target.label
        cells[target.column_key] = sheet_datetime(update.when)
    official = clean_input(update.disposisi_kepada)
    if official and official != clean_input(cell_value(complaint, "disposisi_kepada")):
        cells["disposisi_kepada"] = official
    outcome = find_term(profile.outcomes, update.jenis_penyelesaian)
    if outcome is not None and outcome.key != clean_input(cell_value(complaint, "jenis_penyelesaian")):
        cells["jenis_penyelesaian"] = outcome.label
    for key in ("hasil_tindak_lanjut", "no_berita_acara"):
        text = clean_input(getattr(update, key))
        if text and text != clean_input(cell_value(complaint, key)):
            cells[key] = text
    cells.update(pause_cells(update.mulai_menunggu, update.berkas_lengkap))
    if update.status_catatan is not None:
        for key, text in (
            ("status_catatan", clean_input(update.status_catatan)),
            ("keterangan_status", clean_input(update.keterangan_status) if update.status_catatan else ""),
        ):
            if text != clean_input(cell_value(complaint, key)):
                cells[key] = text
    cells["diperbarui_oleh"] = clean_input(actor)
    cells["diperbarui_pada"] = sheet_datetime(now)
    return cells
