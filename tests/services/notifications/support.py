"""A small held-out-style register (CSV) and settings for the notification tests, with a fixed now."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from metrics.columns import TEMPLATE_HEADER

NOW = pd.Timestamp("2026-11-30 08:00")  # a Monday (weekly summary day), after the digest time

# Nomor, Desa, received, name, address, phone, rahasia, disposisi kepada, verif, disposisi, tindak lanjut, jawaban, selesai
ROWS = [
    (
        "CBD/2026/11/0001",
        "Cibodas",
        "30/11/2026 07:40",
        "Siti Rahayu",
        "RT 01/RW 02, Dusun Kaler",
        "081234567890",
        "Tidak",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "CBD/2026/11/0002",
        "Cibodas",
        "20/11/2026 09:00",
        "Budi Santoso",
        "RT 03/RW 01, Dusun Kidul",
        "085711112222",
        "Ya",
        "Kasi Pelayanan",
        "20/11/2026 10:00",
        "20/11/2026 11:00",
        "",
        "",
        "",
    ),
    (
        "CBD/2026/11/0003",
        "Cibodas",
        "02/11/2026 08:00",
        "Dewi Lestari",
        "RT 04/RW 02, Dusun Wetan",
        "081398765432",
        "Tidak",
        "",
        "02/11/2026 09:00",
        "",
        "",
        "",
        "",
    ),
    (
        "MKS/2026/11/0001",
        "Mekarsari",
        "26/11/2026 07:45",
        "Agus Prasetyo",
        "RT 02/RW 05, Dusun Pasir",
        "082155556666",
        "Tidak",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "MKS/2026/11/0002",
        "Mekarsari",
        "24/11/2026 08:00",
        "Rina Wulandari",
        "RT 05/RW 01, Dusun Tengah",
        "081377778888",
        "Tidak",
        "Sekretaris Desa",
        "24/11/2026 09:00",
        "24/11/2026 10:00",
        "25/11/2026 10:00",
        "25/11/2026 14:00",
        "26/11/2026 09:00",
    ),
    (
        "MKS/2026/11/0003",
        "Mekarsari",
        "30/11/2026 07:00",
        "Joko Susilo",
        "RT 06/RW 03, Dusun Kulon",
        "087812341234",
        "Tidak",
        "Kasi Pelayanan",
        "30/11/2026 07:30",
        "30/11/2026 07:50",
        "",
        "",
        "",
    ),
    (
        "MKS/2026/10/0009",
        "Mekarsari",
        "01/10/2026 07:00",
        "Wati Kusuma",
        "RT 07/RW 04, Dusun Babakan",
        "081911223344",
        "Tidak",
        "Kaur Keuangan",
        "01/10/2026 09:00",
        "02/10/2026 09:00",
        "",
        "",
        "",
    ),
]
PERSONAL = [text for row in ROWS for text in (row[3], row[4], row[5])]


def write_register(path: Path) -> Path:
    header = list(TEMPLATE_HEADER)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for nomor, desa, received, name, address, phone, secret, official, *dates in ROWS:
            row = dict.fromkeys(header, "")
            row.update(
                {
                    "Nomor": nomor,
                    "Desa": desa,
                    "Tanggal Diterima": received,
                    "Saluran": "WhatsApp",
                    "Nama Pelapor": name,
                    "Alamat": address,
                    "No. HP": phone,
                    "Rahasia": secret,
                    "Isi Pengaduan": f"Keluhan dari {name} di {address}",
                    "Kategori": "Infrastruktur",
                    "Urgensi": "Sedang",
                    "Disposisi Kepada": official,
                }
            )
            for column, value in zip(
                (
                    "Tanggal Verifikasi",
                    "Tanggal Disposisi",
                    "Tanggal Tindak Lanjut",
                    "Tanggal Jawaban",
                    "Tanggal Selesai",
                ),
                dates,
                strict=True,
            ):
                row[column] = value
            writer.writerow([row[h] for h in header])
    return path


def secrets_text(telegram_url: str, smtp_port: int, *, token: str = "123:ABC", extra: str = "") -> str:
    return f"""
[pantau]
public_url = "https://aduan.contoh.desa.id"

[notify]
telegram_bot_token = "{token}"
telegram_api_base_url = "{telegram_url}"
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
smtp_user = "pantau"
smtp_password = "sandi-aplikasi"
smtp_sender = "pantau@contoh.desa.id"
smtp_security = "none"
timeout_seconds = 5
quiet_hours = "21:00-06:00"
catch_up_working_days = 60
retry_backoff_minutes = 1
retry_max_backoff_minutes = 4

[notify.recipients.petugas_cibodas]
role = "petugas"
desa = ["Cibodas"]
telegram_chat_id = "-1001"
email = "petugas@cibodas.desa.id"

[notify.recipients.petugas_mekarsari]
role = "petugas"
desa = ["Mekarsari"]
telegram_chat_id = "-1002"

[notify.recipients.kades_cibodas]
role = "kepala_desa"
desa = ["Cibodas"]
email = "kades@cibodas.desa.id"
events = ["baru", "terlambat", "ringkasan_harian"]

[notify.recipients.kasi_pelayanan_mekarsari]
role = "pejabat"
jabatan = "Kasi Pelayanan"
desa = ["Mekarsari"]
telegram_chat_id = "77"

[notify.recipients.camat]
role = "kecamatan"
email = "camat@sukamaju.go.id"
language = "en"
events = ["baru", "terlambat", "ringkasan_mingguan", "ringkasan_harian"]
{extra}
"""
