"""The ``[intake]`` settings (Google Form responses merged into the register), declared once here
and folded into ``services.settings.SETTINGS``; parsed from the raw section kept in
``Settings.secrets["intake"]``. No import of ``services.settings`` (it imports this module)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from metrics.form_responses import DEFAULT_MAPPING, DEFAULT_MARK_COLUMN, DEFAULT_WORKSHEET, mapping_problems

# (section, key, type, default, help) — folded into the app's settings declaration.
SETTINGS: tuple[tuple[str, str, type, Any, str], ...] = (
    (
        "intake",
        "worksheet",
        str,
        DEFAULT_WORKSHEET,
        "Nama sheet respons Google Form yang digabungkan ke register (bawaan 'Respons Formulir 1').",
    ),
    (
        "intake",
        "spreadsheet",
        str,
        "",
        "Google Sheet respons formulir bila bukan spreadsheet register itu sendiri (URL atau kunci).",
    ),
    (
        "intake",
        "kolom",
        dict,
        {},
        "Judul pertanyaan formulir = kolom register (desa, nama_pelapor, alamat, no_hp, isi_pengaduan, "
        "kategori, rahasia); bawaan: pemetaan Indonesia di README.",
    ),
    (
        "intake",
        "kolom_nomor",
        str,
        DEFAULT_MARK_COLUMN,
        "Kolom di sheet respons tempat Nomor pengaduan ditulis setelah digabung (bawaan 'Nomor Pantau').",
    ),
    (
        "intake",
        "desa",
        str,
        "",
        "Desa untuk semua respons bila formulir tidak menanyakan desa (formulir satu desa).",
    ),
    (
        "intake",
        "saluran",
        str,
        "website",
        "Saluran pengaduan dari formulir, dari daftar saluran profil SOP (bawaan website).",
    ),
    (
        "intake",
        "tanggal_hari_dulu",
        bool,
        True,
        "Waktu respons ditulis hari dulu (1/12/2026 = 1 Desember; lokal Indonesia). false untuk lokal AS.",
    ),
    (
        "intake",
        "saat_muat_ulang",
        bool,
        True,
        "Gabungkan respons baru setiap kali petugas/admin memuat register (selain ./run intake).",
    ),
)


@dataclass(frozen=True)
class IntakeConfig:
    worksheet: str = DEFAULT_WORKSHEET
    spreadsheet: str = ""
    mapping: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_MAPPING))
    mark_column: str = DEFAULT_MARK_COLUMN
    desa: str = ""
    channel: str = "website"
    dayfirst: bool = True
    on_refresh: bool = True
    problems: tuple[str, ...] = ()


def intake_config(section: Mapping[str, Any] | None) -> IntakeConfig:
    """``[intake]`` as an IntakeConfig; a wrong mapping entry is listed in ``problems`` by name
    (the rest of the mapping is used)."""
    section = section or {}

    def text(key: str, default: str) -> str:
        value = section.get(key, default)
        return str(value).strip() if isinstance(value, str) and str(value).strip() else default

    raw = section.get("kolom")
    mapping = (
        {str(q): str(t) for q, t in raw.items()}
        if isinstance(raw, Mapping) and raw
        else dict(DEFAULT_MAPPING)
    )
    problems = tuple(mapping_problems(mapping))
    if problems:
        mapping = {q: t for q, t in mapping.items() if not mapping_problems({q: t})}
    return IntakeConfig(
        worksheet=text("worksheet", DEFAULT_WORKSHEET),
        spreadsheet=text("spreadsheet", ""),
        mapping=mapping,
        mark_column=text("kolom_nomor", DEFAULT_MARK_COLUMN),
        desa=text("desa", ""),
        channel=text("saluran", "website"),
        dayfirst=bool(section.get("tanggal_hari_dulu", True)),
        on_refresh=bool(section.get("saat_muat_ulang", True)),
        problems=problems,
    )
