"""Recording a new complaint: its problems (Cipari SOP, B. Unsur pengaduan) and its cells
(rules in ``metrics.complaint_updates``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from metrics.columns import MAX_LENGTHS, personal_columns
from metrics.form_input import (
    EARLIEST,
    FIELD_LABELS,
    FIELD_LABELS_EN,
    MIN_ISI_CHARS,
    cell_timestamp,
    clean_input,
    find_term,
    normalise_phone,
    sheet_datetime,
)
from metrics.profiles import Profile, Term
from metrics.text import Text

# --------------------------------------------------------------------------------------------
# New complaint


def new_complaint_problems(
    fields: Mapping[str, Any], profile: Profile, now: dt.datetime
) -> dict[str, list[str]]:
    """Every problem of a new complaint, by field key (see ``FIELD_LABELS``)."""
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    rahasia = bool(fields.get("rahasia"))
    required = set(profile.required_elements) | {"isi_pengaduan"}
    if rahasia:
        required -= set(personal_columns())
    if not clean_input(fields.get("desa")):
        add("desa", Text("Desa wajib dipilih.", "Choose the village."))
    for key in ("nama_pelapor", "alamat", "no_hp", "isi_pengaduan"):
        text = clean_input(fields.get(key))
        label, label_en = FIELD_LABELS[key], FIELD_LABELS_EN[key]
        if not text:
            if key in required:
                anonymous = key != "isi_pengaduan"
                hint = " (boleh kosong bila pengaduan dirahasiakan/anonim)" if anonymous else ""
                hint_en = (
                    " (may stay empty when the complaint is confidential/anonymous)" if anonymous else ""
                )
                add(key, Text(f"{label} wajib diisi{hint}.", f"{label_en} is required{hint_en}."))
            continue
        if len(text) > MAX_LENGTHS[key]:
            add(
                key,
                Text(
                    f"{label} terlalu panjang ({len(text):,} karakter; paling banyak {MAX_LENGTHS[key]:,}).".replace(
                        ",", "."
                    ),
                    f"{label_en} is too long ({len(text):,} characters; at most {MAX_LENGTHS[key]:,}).",
                ),
            )
    phone = clean_input(fields.get("no_hp"))
    if phone and normalise_phone(phone) is None:
        add(
            "no_hp",
            Text(
                f"No. HP '{phone[:40]}' tidak valid: tulis nomor Indonesia seperti 081234567890 atau +62 812-3456-7890.",
                f"Phone number '{phone[:40]}' is not valid: write an Indonesian number such as 081234567890 "
                "or +62 812-3456-7890.",
            ),
        )
    isi = clean_input(fields.get("isi_pengaduan"))
    if isi and (len(isi) < MIN_ISI_CHARS or len(isi.split()) < 3):
        add(
            "isi_pengaduan",
            Text(
                f"Isi pengaduan belum jelas: tuliskan objek pengaduan (apa, di mana, sejak kapan), minimal {MIN_ISI_CHARS} huruf dan 3 kata.",
                "The complaint text is not clear yet: say what it is about (what, where, since when), at least "
                f"{MIN_ISI_CHARS} letters and 3 words.",
            ),
        )
    for key, terms, required_term in (
        ("saluran", profile.channels, True),
        ("kategori", profile.categories, False),
        ("urgensi", profile.urgencies, False),
    ):
        value = clean_input(fields.get(key))
        label, label_en = FIELD_LABELS[key], FIELD_LABELS_EN[key]
        if not value:
            if required_term:
                add(key, Text(f"{label} wajib dipilih.", f"Choose the {label_en.lower()}."))
        elif find_term(terms, value) is None:
            choices = ", ".join(t.label for t in terms)
            add(
                key,
                Text(
                    f"{label} '{value[:60]}' tidak ada di profil SOP. Pilihan: {choices}.",
                    f"{label_en} '{value[:60]}' is not in the SOP profile. Choices: {choices}.",
                ),
            )
    received = cell_timestamp(fields.get("tanggal_diterima"))
    if received is None:
        add("tanggal_diterima", Text("Tanggal diterima wajib diisi.", "The date received is required."))
    elif received > pd.Timestamp(now):
        if received.date() == pd.Timestamp(now).date():
            add(
                "tanggal_diterima",
                Text(
                    f"Waktu diterima {received:%H.%M} tidak boleh di masa depan (sekarang {pd.Timestamp(now):%H.%M}).",
                    f"The time received {received:%H:%M} cannot be in the future (now {pd.Timestamp(now):%H:%M}).",
                ),
            )
        else:
            add(
                "tanggal_diterima",
                Text(
                    "Tanggal diterima tidak boleh di masa depan.",
                    "The date received cannot be in the future.",
                ),
            )
    elif received < pd.Timestamp(EARLIEST):
        add(
            "tanggal_diterima",
            Text(
                f"Tanggal diterima {received:%d/%m/%Y} terlalu lama; periksa tahunnya.",
                f"The date received {received:%d/%m/%Y} is too long ago; check the year.",
            ),
        )
    return problems


def validate_new_complaint(fields: Mapping[str, Any], profile: Profile, now: dt.datetime) -> list[str]:
    """Problems of a new complaint as messages naming the field; empty when it can be saved.

    ``fields``: canonical keys ``desa, nama_pelapor, alamat, no_hp, isi_pengaduan, saluran,
    kategori, urgensi, rahasia, tanggal_diterima`` (terms as key or label)."""
    return [
        message for messages in new_complaint_problems(fields, profile, now).values() for message in messages
    ]


def new_complaint_cells(
    fields: Mapping[str, Any], profile: Profile, actor: str, now: dt.datetime
) -> dict[str, str]:
    """Canonical key -> cell text of a valid new complaint (without its Nomor)."""

    def label(terms: Sequence[Term], key: str) -> str:
        term = find_term(terms, fields.get(key))
        return term.label if term else ""

    phone = clean_input(fields.get("no_hp"))
    return {
        "desa": clean_input(fields.get("desa")),
        "tanggal_diterima": sheet_datetime(fields["tanggal_diterima"]),
        "saluran": label(profile.channels, "saluran"),
        "nama_pelapor": clean_input(fields.get("nama_pelapor")),
        "alamat": clean_input(fields.get("alamat")),
        "no_hp": normalise_phone(phone) or phone,
        "rahasia": "Ya" if fields.get("rahasia") else "Tidak",
        "isi_pengaduan": clean_input(fields.get("isi_pengaduan")),
        "kategori": label(profile.categories, "kategori"),
        "urgensi": label(profile.urgencies, "urgensi"),
        "tahap": profile.stages[0].label,
        "diperbarui_oleh": clean_input(actor),
        "diperbarui_pada": sheet_datetime(now),
    }
