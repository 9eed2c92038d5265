"""A demo complaint for every profile, at its SOP's last stage, with a review meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from metrics.profiles import Profile
from services.documents.context import Meeting, Participant

TODAY = dt.date(2026, 5, 12)
DESA = {"desa": "Cibodas", "kecamatan": "Loa Ipuh", "dinas": "Loa Ipuh"}
REPORTER = "Siti Rahayu"


def demo_complaint(profile: Profile, **changes: Any) -> dict[str, Any]:
    """A typed register row (as metrics.register gives it) that went through every stage."""
    desa = profile.unit_name if profile.unit == "desa" and profile.id != "umum" else DESA[profile.unit]
    received = pd.Timestamp("2026-05-04 09:15")
    row: dict[str, Any] = {
        "nomor": profile.nomor_format.format(tahun=2026, bulan=5, urut=7, desa="CBD", kode_desa="CBD"),
        "desa": desa,
        "tanggal_diterima": received,
        "saluran": profile.channels[0].label,
        "kategori": "Infrastruktur",
        "urgensi": "Tinggi",
        "nama_pelapor": REPORTER,
        "alamat": "RT 02/RW 01, Dusun Kaler",
        "no_hp": "081234567890",
        "rahasia": False,
        "isi_pengaduan": "Jalan desa di RT 02 berlubang dan tergenang saat hujan sejak Maret.",
        "disposisi_kepada": profile.officials[0] if profile.officials else "",
        "hasil_tindak_lanjut": "Jalan telah ditambal oleh tim pemeliharaan pada 9 Mei 2026.",
        "jenis_penyelesaian": profile.outcomes[1].label,
        "no_berita_acara": (profile.berita_acara_format or "BA/{urut:03d}/{tahun}").format(
            tahun=2026, bulan=5, urut=3, desa="CBD", kode_desa="CBD"
        ),
    }
    for hours, stage in enumerate(profile.stages):
        row[stage.column_key] = received + pd.Timedelta(hours=hours)
    row["tahap"] = profile.stages[-1].label
    row.update(changes)
    return row


def demo_meeting(profile: Profile, **changes: Any) -> Meeting:
    officials = tuple(Participant("", o) for o in profile.officials[:2])
    values: dict[str, Any] = {
        "waktu": dt.datetime(2026, 5, 6, 10, 0),
        "tempat": "Ruang rapat kantor",
        "peserta": (*officials, Participant("Budi Santoso", "Ketua RT 02")),
        "ringkasan": "Tim meninjau lokasi; kerusakan 40 meter.",
        "keputusan": "Jalan ditambal paling lambat 10 Mei 2026.",
    }
    values.update(changes)
    return Meeting(**values)
