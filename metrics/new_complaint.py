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
    MIN_ISI_CHARS,
    cell_timestamp,
    clean_input,
    find_term,
    normalise_phone,
    sheet_datetime,
)
from metrics.profiles import Profile, Term

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
        add("desa", "Desa wajib dipilih.")
    for key in ("nama_pelapor", "alamat", "no_hp", "isi_pengaduan"):
        text = clean_input(fields.get(key))
        label = FIELD_LABELS[key]
        if not text:
            if key in required:
                hint = " (boleh kosong bila pengaduan dirahasiakan/anonim)" if key != "isi_pengaduan" else ""
                add(key, f"{label} wajib diisi{hint}.")
            continue
        if len(text) > MAX_LENGTHS[key]:
            add(
                key,
                f"{label} terlalu panjang ({len(text):,} karakter; paling banyak {MAX_LENGTHS[key]:,}).".replace(
                    ",", "."
                ),
            )
    phone = clean_input(fields.get("no_hp"))
    if phone and normalise_phone(phone) is None:
        add(
            "no_hp",
            f"No. HP '{phone[:40]}' tidak valid: tulis nomor Indonesia seperti 081234567890 atau +62 812-3456-7890.",
        )
    isi = clean_input(fields.get("isi_pengaduan"))
    if isi and (len(isi) < MIN_ISI_CHARS or len(isi.split()) < 3):
        add(
            "isi_pengaduan",
            f"Isi pengaduan belum jelas: tuliskan objek pengaduan (apa, di mana, sejak kapan), minimal {MIN_ISI_CHARS} huruf dan 3 kata.",
        )
    for key, terms, required_term in (
        ("saluran", profile.channels, True),
        ("kategori", profile.categories, False),
        ("urgensi", profile.urgencies, False),
    ):
        value = clean_input(fields.get(key))
        label = FIELD_LABELS[key]
        if not value:
            if required_term:
                add(key, f"{label} wajib dipilih.")
        elif find_term(terms, value) is None:
            add(
                key,
                f"{label} '{value[:60]}' tidak ada di profil SOP. Pilihan: {', '.join(t.label for t in terms)}.",
            )
    received = cell_timestamp(fields.get("tanggal_diterima"))
    if received is None:
        add("tanggal_diterima", "Tanggal diterima wajib diisi.")
    elif received > pd.Timestamp(now):
        if received.date() == pd.Timestamp(now).date():
            add(
                "tanggal_diterima",
                f"Waktu diterima {received:%H.%M} tidak boleh di masa depan (sekarang {pd.Timestamp(now):%H.%M}).",
            )
        else:
            add("tanggal_diterima", "Tanggal diterima tidak boleh di masa depan.")
    elif received < pd.Timestamp(EARLIEST):
        add("tanggal_diterima", f"Tanggal diterima {received:%d/%m/%Y} terlalu lama; periksa tahunnya.")
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
