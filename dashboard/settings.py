"""Configuration as data: environment variables and ``.streamlit/secrets.toml``, with defaults.

``PANTAU_REGISTER`` (a local .xlsx/.csv) and ``PANTAU_SOP`` (a profile id) win over secrets.
With nothing configured the app opens the embedded demo register.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from data_sources.demo import DEMO_DESAS, DEMO_KABUPATEN, DEMO_KECAMATAN

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_REGISTER_PATH = REPO_ROOT / ".pantau" / "demo_register.xlsx"

# Every setting with its default and help text (documented in secrets.example.toml; a test
# checks that each one is).
SETTINGS_HELP: dict[str, str] = {
    "pantau.sop": "Profil SOP yang dipakai (umum, cipari, babakan, kutai_kartanegara, jagabaya, selemadeg_timur).",
    "pantau.register": "Berkas register lokal .xlsx/.csv (PANTAU_REGISTER menimpa nilai ini).",
    "pantau.cache_ttl_seconds": "Berapa detik data register disimpan sebelum dibaca ulang.",
    "wilayah.kecamatan": "Nama kecamatan (judul laporan dan perbandingan desa).",
    "wilayah.kabupaten": "Nama kabupaten.",
    "wilayah.desa": "Daftar desa di kecamatan; nama desa lain di register ditandai.",
    "laporan.penandatangan": 'Penanda tangan Laporan Bulanan per desa: [laporan.penandatangan.<Desa>] nama, nip, jabatan (bawaan "Kepala Desa <Desa>", nama dan NIP dikosongkan untuk diisi tangan); [laporan.penandatangan.kecamatan] untuk laporan sekecamatan (bawaan "Camat <kecamatan>").',
    "pantau.session_timeout_minutes": "Menit tanpa aktivitas sebelum pengguna otomatis keluar (bawaan 60).",
    "pantau.session_secret": "Kunci penanda tangan cookie login kata sandi (muat ulang/F5 tidak mengeluarkan pengguna); bawaan: [auth] cookie_secret, atau kunci acak per proses server.",
    "pantau.public_url": "Alamat aplikasi untuk pelapor (mis. https://aduan.desa.id): dicetak di tanda terima dan pesan WhatsApp sebagai <alamat>/lacak.",
    "pantau.public_overview": "Tampilkan Ringkasan (angka agregat, tanpa daftar/data pribadi) kepada publik tanpa login; bawaan: ya untuk register demo, tidak untuk register sungguhan.",
    "auth": "Login OIDC (mis. akun Google) untuk st.login: redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url, atau penyedia bernama [auth.google].",
    "users": "Akun login offline [users.<nama>]: password_hash (bcrypt: python -m dashboard.auth hash), role, desa = [...], name, email.",
    "gsheets.spreadsheet": "URL (atau kunci) Google Sheet register; bagian [gsheets] mengganti register demo.",
    "gsheets.layout": "Susunan register: per_desa_worksheet, per_desa_spreadsheet atau single_worksheet.",
    "gsheets.worksheet": "Nama sheet register untuk single_worksheet / per_desa_spreadsheet (bawaan: sheet pertama).",
    "gsheets.worksheets": "per_desa_worksheet: hanya sheet-sheet ini yang dibaca (bawaan: semua kecuali Riwayat).",
    "gsheets.spreadsheets": "per_desa_spreadsheet: [gsheets.spreadsheets] nama desa = URL/kunci spreadsheet desa itu.",
    "gsheets.service_account": "Isi berkas kunci JSON service account Google (type, project_id, private_key, client_email, token_uri, ...).",
    "gsheets.timeout_seconds": "Batas waktu satu permintaan ke Google (detik, bawaan 20).",
    "gsheets.retry_attempts": "Berapa kali permintaan yang gagal sementara (429/5xx/koneksi putus) dicoba (bawaan 5).",
    "gsheets.retry_max_wait_seconds": "Total waktu tunggu antar-percobaan paling lama (detik, bawaan 20).",
    "gsheets.api_base_url": "Khusus pengujian: alamat tiruan Sheets API lokal (tanpa kunci). Jangan diisi di produksi.",
    "roles": 'Peran per e-mail (OIDC) atau nama pengguna: "camat@contoh.desa.id" = { role = "kecamatan" }, { role = "petugas", desa = ["Cibodas"] }.',
}


@dataclass(frozen=True)
class Settings:
    profile_id: str = "umum"
    register_path: Path | None = None
    is_demo: bool = True
    cache_ttl_seconds: int = 60
    kecamatan: str = DEMO_KECAMATAN
    kabupaten: str = DEMO_KABUPATEN
    desa_names: tuple[str, ...] = ()
    session_timeout_minutes: int = 60
    public_overview: bool = True
    public_url: str = ""
    gsheets: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    secrets: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def source_id(self) -> str:
        """Identifies the register for caching: changes when the configured source changes."""
        base = f"{self.register_path}|{self.profile_id}|{self.is_demo}"
        if self.register_path is None and self.gsheets:
            import hashlib
            import json

            blob = json.dumps(self.gsheets, sort_keys=True, default=str).encode()
            base += "|gsheets:" + hashlib.sha256(blob).hexdigest()[:16]
        return base


def _section(secrets: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = secrets.get(name) if hasattr(secrets, "get") else None
    return value if isinstance(value, Mapping) else {}


def _plain(value: Any) -> Any:
    """A secrets section (streamlit AttrDict) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _public_url(value: Any) -> str:
    """The app's address for complainants (receipts, WhatsApp messages); only http(s) URLs."""
    text = str(value or "").strip().rstrip("/")
    return text if text.startswith(("https://", "http://")) else ""


def settings_from(secrets: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """Settings from a secrets mapping and an environment (pure: testable without streamlit)."""
    pantau = _section(secrets, "pantau")
    wilayah = _section(secrets, "wilayah")
    register = env.get("PANTAU_REGISTER") or pantau.get("register") or ""
    profile_id = env.get("PANTAU_SOP") or pantau.get("sop") or "umum"
    is_demo = not register and not _section(secrets, "gsheets")
    desa = tuple(str(d) for d in wilayah.get("desa", ()))
    if is_demo and not desa:
        desa = tuple(d.name for d in DEMO_DESAS)
    return Settings(
        profile_id=str(profile_id),
        register_path=Path(register).expanduser() if register else (DEMO_REGISTER_PATH if is_demo else None),
        is_demo=is_demo,
        cache_ttl_seconds=int(pantau.get("cache_ttl_seconds", 60)),
        kecamatan=str(wilayah.get("kecamatan", DEMO_KECAMATAN if is_demo else "")),
        kabupaten=str(wilayah.get("kabupaten", DEMO_KABUPATEN if is_demo else "")),
        desa_names=desa,
        session_timeout_minutes=max(1, int(pantau.get("session_timeout_minutes", 60))),
        public_overview=bool(pantau.get("public_overview", is_demo)),
        public_url=_public_url(pantau.get("public_url")),
        gsheets=_plain(_section(secrets, "gsheets")),
        secrets=secrets,
    )


def read_secrets() -> Mapping[str, Any]:
    """``st.secrets`` as a plain mapping; empty when no secrets file exists."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # no secrets.toml: streamlit raises on first access
        return {}


def current_settings() -> Settings:
    return settings_from(read_secrets(), os.environ)
