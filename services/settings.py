"""Settings as data: one declaration per setting drives parsing, defaults, checks and help.

Modelled on datasette's ``Setting(name, default, help)``. Values come from
``.streamlit/secrets.toml`` (the app: ``st.secrets``; CLI commands: ``load_settings``) and the
environment (``PANTAU_REGISTER``, ``PANTAU_SOP`` win over the file). With nothing configured the
app opens the embedded demo register.

An unknown section or key, or a value of the wrong type, is never silently ignored: it is listed
in ``Settings.problems`` by name (the admin page shows them, the log records them) and the
setting's default is used. Every setting is documented in ``.streamlit/secrets.example.toml``
(a test checks it). No streamlit here: CLI commands parse settings too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_sources.demo_desas import DEMO_DESAS, DEMO_KABUPATEN, DEMO_KECAMATAN
from metrics.text import Text
from services.documents_config import SETTINGS as DOCUMENT_SETTINGS
from services.intake_config import SETTINGS as INTAKE_SETTINGS
from services.notifications.config import SETTINGS as NOTIFY_SETTINGS
from services.survey_config import DEFAULT_MINIMUM_RESPONSES
from services.survey_config import SETTINGS as SURVEY_SETTINGS
from services.sync.config import SETTINGS as SYNC_SETTINGS

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_REGISTER_PATH = REPO_ROOT / ".pantau" / "demo_register.xlsx"
SECRETS_PATH = REPO_ROOT / ".streamlit" / "secrets.toml"

# Kinds of value: what the TOML must hold.
KINDS = {
    "text": "teks",
    "int": "bilangan bulat",
    "number": "angka",
    "bool": "true/false",
    "list": "daftar teks [..]",
    "table": "tabel [..] / { .. }",
}
KINDS_EN = {
    "text": "text",
    "int": "a whole number",
    "number": "a number",
    "bool": "true/false",
    "list": "a list of texts [..]",
    "table": "a table [..] / { .. }",
}


@dataclass(frozen=True)
class Setting:
    """One setting: ``[section] key`` in secrets.toml (``key=""``: the whole section is one
    table whose inside is checked by its owner, e.g. ``[users]``)."""

    section: str
    key: str
    kind: str  # one of KINDS
    default: Any
    help: str
    env: str = ""  # environment variable that wins over the file

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}" if self.key else self.section


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "pantau",
        "sop",
        "text",
        "umum",
        "Profil SOP yang dipakai (umum, cipari, babakan, kutai_kartanegara, jagabaya, selemadeg_timur).",
        env="PANTAU_SOP",
    ),
    Setting(
        "pantau",
        "register",
        "text",
        "",
        "Berkas register lokal .xlsx/.csv (PANTAU_REGISTER menimpa nilai ini).",
        env="PANTAU_REGISTER",
    ),
    Setting(
        "pantau", "cache_ttl_seconds", "int", 60, "Berapa detik data register disimpan sebelum dibaca ulang."
    ),
    Setting(
        "pantau",
        "session_timeout_minutes",
        "int",
        60,
        "Menit tanpa aktivitas sebelum pengguna otomatis keluar (bawaan 60).",
    ),
    Setting(
        "pantau",
        "session_secret",
        "text",
        "",
        "Kunci penanda tangan cookie login kata sandi (muat ulang/F5 tidak mengeluarkan pengguna); "
        "bawaan: [auth] cookie_secret, atau kunci acak per proses server.",
    ),
    Setting(
        "pantau",
        "public_url",
        "text",
        "",
        "Alamat aplikasi untuk pelapor (mis. https://aduan.desa.id): dicetak di tanda terima dan pesan "
        "WhatsApp sebagai <alamat>/lacak.",
    ),
    Setting(
        "pantau",
        "public_overview",
        "bool",
        None,
        "Tampilkan Ringkasan (angka agregat, tanpa daftar/data pribadi) kepada publik tanpa login; "
        "bawaan: ya untuk register demo, tidak untuk register sungguhan.",
    ),
    Setting("wilayah", "kecamatan", "text", None, "Nama kecamatan (judul laporan dan perbandingan desa)."),
    Setting("wilayah", "kabupaten", "text", None, "Nama kabupaten."),
    Setting("wilayah", "desa", "list", (), "Daftar desa di kecamatan; nama desa lain di register ditandai."),
    Setting(
        "wilayah",
        "gabung_ejaan_desa",
        "bool",
        False,
        "true: angka menghitung ejaan desa yang mirip desa lain (mis. Margamulia) pada desa yang paling "
        "mungkin dimaksud (Margamulya). Bawaan false: tetap terpisah (hanya di 'semua desa'), ditandai di "
        "Kualitas Data dan tidak ditawarkan sebagai desa tersendiri di filter.",
    ),
    Setting(
        "laporan",
        "penandatangan",
        "table",
        {},
        "Penanda tangan Laporan Bulanan per desa: [laporan.penandatangan.<Desa>] nama, nip, jabatan "
        '(bawaan "Kepala Desa <Desa>", nama dan NIP dikosongkan untuk diisi tangan); '
        '[laporan.penandatangan.kecamatan] untuk laporan sekecamatan (bawaan "Camat <kecamatan>").',
    ),
    Setting(
        "laporan",
        "pembuat",
        "table",
        {},
        "Pembuat Laporan Bulanan di SOP tingkat desa (laporan disusun petugas kepada kepala desa): "
        '[laporan.pembuat.<Desa>] nama, nip, jabatan (bawaan "Petugas Pengelola Pengaduan Desa <Desa>", '
        "nama dan NIP dikosongkan untuk diisi tangan).",
    ),
    Setting(
        "auth",
        "",
        "table",
        {},
        "Login OIDC (mis. akun Google) untuk st.login: redirect_uri, cookie_secret, client_id, client_secret, "
        "server_metadata_url, atau penyedia bernama [auth.google].",
    ),
    Setting(
        "users",
        "",
        "table",
        {},
        "Akun login offline [users.<nama>]: password_hash (bcrypt: python -m dashboard.auth hash), role, "
        "desa = [...], name, email.",
    ),
    Setting(
        "roles",
        "",
        "table",
        {},
        'Peran per e-mail (OIDC) atau nama pengguna: "camat@contoh.desa.id" = { role = "kecamatan" }, '
        '{ role = "petugas", desa = ["Cibodas"] }.',
    ),
    Setting(
        "gsheets",
        "spreadsheet",
        "text",
        "",
        "URL (atau kunci) Google Sheet register; bagian [gsheets] mengganti register demo.",
    ),
    Setting(
        "gsheets",
        "layout",
        "text",
        "per_desa_worksheet",
        "Susunan register: per_desa_worksheet, per_desa_spreadsheet atau single_worksheet.",
    ),
    Setting(
        "gsheets",
        "worksheet",
        "text",
        "",
        "Nama sheet register untuk single_worksheet / per_desa_spreadsheet (bawaan: sheet pertama).",
    ),
    Setting(
        "gsheets",
        "worksheets",
        "list",
        (),
        "per_desa_worksheet: hanya sheet-sheet ini yang dibaca (bawaan: semua kecuali Riwayat).",
    ),
    Setting(
        "gsheets",
        "spreadsheets",
        "table",
        {},
        "per_desa_spreadsheet: [gsheets.spreadsheets] nama desa = URL/kunci spreadsheet desa itu.",
    ),
    Setting(
        "gsheets",
        "service_account",
        "table",
        {},
        "Isi berkas kunci JSON service account Google (type, project_id, private_key, client_email, "
        "token_uri, ...).",
    ),
    Setting(
        "gsheets",
        "timeout_seconds",
        "number",
        20,
        "Batas waktu satu permintaan ke Google (detik, bawaan 20).",
    ),
    Setting(
        "gsheets",
        "retry_attempts",
        "int",
        5,
        "Berapa kali permintaan yang gagal sementara (429/5xx/koneksi putus) dicoba (bawaan 5).",
    ),
    Setting(
        "gsheets",
        "retry_max_wait_seconds",
        "number",
        20,
        "Total waktu tunggu antar-percobaan paling lama (detik, bawaan 20).",
    ),
    Setting(
        "gsheets",
        "api_base_url",
        "text",
        "",
        "Khusus pengujian: alamat tiruan Sheets API lokal (tanpa kunci). Jangan diisi di produksi.",
    ),
)
# Features declare their own settings next to the code that reads them; they are folded in here,
# so there is still one declaration to check secrets.toml against and to document.
_KIND_OF_TYPE = {
    str: "text",
    int: "int",
    float: "number",
    bool: "bool",
    list: "list",
    tuple: "list",
    dict: "table",
}


def _feature_settings(entries: tuple[tuple[str, str, type, Any, str], ...]) -> tuple[Setting, ...]:
    return tuple(
        Setting(section, key, _KIND_OF_TYPE.get(kind, "table"), default, help_text)
        for section, key, kind, default, help_text in entries
    )


SETTINGS = (
    SETTINGS
    + (
        Setting(
            "pantau",
            "trust_forwarded_for",
            "bool",
            False,
            "Di belakang reverse proxy yang mengisi X-Forwarded-For: true agar percobaan salah (Lacak, "
            "login) dibatasi per alamat pengunjung dari header itu.",
        ),
    )
    + (
        Setting(
            "pantau",
            "register_encoding",
            "text",
            "",
            'Pengodean register CSV yang sejauh ini hanya berisi huruf ASCII: "cp1252" (CSV biasa dari '
            'Excel) atau "utf-8". Kosong: teks pertama dengan huruf non-ASCII ditolak dengan pesan.',
        ),
    )
    + _feature_settings(NOTIFY_SETTINGS)
    + _feature_settings(DOCUMENT_SETTINGS)
    + _feature_settings(SYNC_SETTINGS)
    # S1 (issue 16.1-2): the public complaint page and the Google Form intake
    + (
        Setting(
            "pantau",
            "public_intake",
            "bool",
            None,
            "Halaman Sampaikan Pengaduan untuk warga tanpa login (formulir pengaduan publik, saluran "
            "Website); bawaan: ya untuk register demo (seperti public_overview), tidak untuk register "
            "sungguhan.",
        ),
    )
    + _feature_settings(INTAKE_SETTINGS)
    + _feature_settings(SURVEY_SETTINGS)
    + (
        Setting(
            "pantau",
            "duplikat_hari",
            "int",
            14,
            "Catat Pengaduan memperingatkan bila No. HP dan isi hampir sama dengan pengaduan desa yang sama "
            "yang diterima dalam sekian hari terakhir; Kualitas Data memakai jendela yang sama (bawaan 14).",
        ),
    )
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
FEATURE_SECTIONS: tuple[str, ...] = ("notify", "dokumen", "sync", "laporan", "intake")
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SETTINGS))
# Sections whose inside belongs to its owner (accounts, OIDC): no key check here.
OPEN_SECTIONS: tuple[str, ...] = tuple(s.section for s in SETTINGS if not s.key)


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
    session_secret: str = ""  # [pantau] session_secret, else [auth] cookie_secret, else ""
    public_overview: bool = True
    public_url: str = ""
    trust_forwarded_for: bool = False
    # [wilayah] gabung_ejaan_desa: figures count a near-miss desa spelling under the desa it most likely is
    merge_desa_spellings: bool = False
    signatories: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # [laporan.pembuat]: per desa, the petugas who makes the monthly report (desa SOPs)
    preparers: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    gsheets: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # [auth], [users], [roles] as plain tables (read by dashboard.auth)
    secrets: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    problems: tuple[str, ...] = field(default=(), compare=False)
    # [pantau] public_intake: the public Sampaikan Pengaduan page (default: on for the demo only)
    public_intake: bool = False
    # [survei] minimum_responden: fewer ratings than this mark the IKM "belum cukup"
    survey_minimum_responses: int = DEFAULT_MINIMUM_RESPONSES
    # [pantau] register_encoding: what an all-ASCII CSV register really is ("" = unknown)
    register_encoding: str = ""
    # [pantau] profiles_dir: a profiles folder outside the repo (searched before the bundled one)
    profiles_dir: str = ""

    def profile_dirs(self) -> tuple[Path, ...]:
        return (Path(self.profiles_dir).expanduser(),) if self.profiles_dir else ()

    # [pantau] duplikat_hari: the window of the likely-duplicate warning and finding (issue 13.1)
    duplicate_days: int = 14

    @property
    def source_id(self) -> str:
        """Identifies the register for caching: changes when the configured source changes."""
        base = f"{self.register_path}|{self.profile_id}|{self.is_demo}"
        if self.register_path is None and self.gsheets:
            blob = json.dumps(self.gsheets, sort_keys=True, default=str).encode()
            base += "|gsheets:" + hashlib.sha256(blob).hexdigest()[:16]
        return base


def plain(value: Any) -> Any:
    """A secrets table (streamlit's AttrDict) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    return isinstance(value, Mapping)


def check_secrets(secrets: Mapping[str, Any]) -> list[str]:
    """Every unknown section or key and every value of the wrong type, each named."""
    problems: list[str] = []
    for section, table in secrets.items():
        if section not in SECTIONS:
            problems.append(
                Text(
                    f"Bagian [{section}] di secrets.toml tidak dikenal dan diabaikan.",
                    f"Section [{section}] in secrets.toml is unknown and ignored.",
                )
            )
            continue
        if not isinstance(table, Mapping):
            problems.append(
                Text(
                    f"[{section}] di secrets.toml harus berupa bagian (tabel); diabaikan.",
                    f"[{section}] in secrets.toml must be a section (table); ignored.",
                )
            )
            continue
        if section in OPEN_SECTIONS:
            continue
        for key, value in table.items():
            setting = BY_NAME.get(f"{section}.{key}")
            if setting is None:
                problems.append(
                    Text(
                        f"Pengaturan [{section}] {key} tidak dikenal dan diabaikan.",
                        f"Setting [{section}] {key} is unknown and ignored.",
                    )
                )
            elif not _is_kind(value, setting.kind):
                default = "(bawaan)" if setting.default in (None, "", (), {}) else repr(setting.default)
                default_en = "(default)" if setting.default in (None, "", (), {}) else repr(setting.default)
                problems.append(
                    Text(
                        f"Pengaturan [{section}] {key} harus {KINDS[setting.kind]}, tertulis {value!r}; "
                        f"dipakai nilai bawaan {default}.",
                        f"Setting [{section}] {key} must be {KINDS_EN[setting.kind]}, written {value!r}; "
                        f"the default {default_en} is used.",
                    )
                )
    return problems


def _value(secrets: Mapping[str, Any], name: str, env: Mapping[str, str]) -> Any:
    """The setting's value: environment, else secrets (when of the right type), else the default."""
    setting = BY_NAME[name]
    if setting.env and env.get(setting.env):
        return env[setting.env]
    table = secrets.get(setting.section)
    if not isinstance(table, Mapping):
        return setting.default
    value = table if not setting.key else table.get(setting.key, setting.default)
    return value if value is setting.default or _is_kind(value, setting.kind) else setting.default


def _public_url(value: Any) -> str:
    """The app's address for complainants (receipts, WhatsApp messages); only http(s) URLs."""
    text = str(value or "").strip().rstrip("/")
    return text if text.startswith(("https://", "http://")) else ""


def parse_settings(secrets: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """Settings from a secrets mapping and an environment (pure: no streamlit, no I/O)."""
    secrets = plain(secrets) if isinstance(secrets, Mapping) else {}

    def value(name: str) -> Any:
        return _value(secrets, name, env)

    register = value("pantau.register")
    is_demo = not register and not isinstance(secrets.get("gsheets"), Mapping)
    desa = tuple(value("wilayah.desa"))
    if is_demo and not desa:
        desa = tuple(d.name for d in DEMO_DESAS)
    kecamatan, kabupaten, overview = (
        value("wilayah.kecamatan"),
        value("wilayah.kabupaten"),
        value("pantau.public_overview"),
    )
    auth = value("auth")
    gsheets = secrets.get("gsheets")
    session_secret = (
        str(value("pantau.session_secret") or "").strip() or str(auth.get("cookie_secret") or "").strip()
    )
    return Settings(
        profile_id=str(value("pantau.sop")),
        register_path=Path(register).expanduser()
        if register
        else (demo_register_path(str(value("pantau.sop"))) if is_demo else None),
        is_demo=is_demo,
        cache_ttl_seconds=max(1, int(value("pantau.cache_ttl_seconds"))),
        kecamatan=kecamatan if kecamatan is not None else (DEMO_KECAMATAN if is_demo else ""),
        kabupaten=kabupaten if kabupaten is not None else (DEMO_KABUPATEN if is_demo else ""),
        desa_names=desa,
        session_timeout_minutes=max(1, int(value("pantau.session_timeout_minutes"))),
        session_secret=session_secret,
        public_overview=bool(is_demo if overview is None else overview),
        public_url=_public_url(value("pantau.public_url")),
        merge_desa_spellings=bool(value("wilayah.gabung_ejaan_desa")),
        signatories=value("laporan.penandatangan"),
        preparers=value("laporan.pembuat"),
        gsheets=gsheets if isinstance(gsheets, Mapping) else {},
        secrets={
            **{name: value(name) for name in ("auth", "users", "roles")},
            # the feature sections, read (and checked again) by their own parsers
            **{name: plain(secrets.get(name) or {}) for name in FEATURE_SECTIONS},
        },
        trust_forwarded_for=bool(value("pantau.trust_forwarded_for")),
        problems=tuple(check_secrets(secrets)),
        public_intake=bool(
            is_demo if value("pantau.public_intake") is None else value("pantau.public_intake")
        ),
        survey_minimum_responses=max(1, int(value("survei.minimum_responden"))),
        register_encoding=str(value("pantau.register_encoding") or "").strip(),
        profiles_dir=str(value("pantau.profiles_dir") or "").strip(),
        duplicate_days=max(0, int(value("pantau.duplikat_hari"))),
    )


def demo_register_path(profile_id: str) -> Path:
    """The demo register generated for a profile (each profile its own file: the demo follows the
    chosen SOP's stages, columns and vocabularies)."""
    if profile_id == "umum":
        return DEMO_REGISTER_PATH
    return DEMO_REGISTER_PATH.with_name(f"demo_register_{profile_id}.xlsx")


# The app's former name for parse_settings.
settings_from = parse_settings


def read_secrets_file(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The secrets TOML at ``path`` (default ``.streamlit/secrets.toml``; missing default = empty)."""
    target = Path(path) if path else SECRETS_PATH
    if not path and not target.exists():
        return {}
    try:
        with target.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise SettingsFileError(f"Berkas pengaturan {target} tidak ditemukan.") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsFileError(f"Berkas pengaturan {target} tidak dapat dibaca: {error}.") from error


class SettingsFileError(ValueError):
    """The secrets file named on the command line is missing or not valid TOML."""


def load_settings(secrets_path: str | None = None, env: Mapping[str, str] = os.environ) -> Settings:
    """Settings for CLI commands (``./run notify`` etc.): ``--secrets PATH`` or
    ``.streamlit/secrets.toml``, with ``PANTAU_REGISTER`` / ``PANTAU_SOP`` winning."""
    return parse_settings(read_secrets_file(secrets_path), env)


def add_secrets_argument(parser: argparse.ArgumentParser) -> None:
    """``--secrets PATH`` for a CLI command (default ``.streamlit/secrets.toml``)."""
    parser.add_argument(
        "--secrets",
        metavar="PATH",
        default=None,
        help="berkas pengaturan TOML (bawaan .streamlit/secrets.toml); PANTAU_REGISTER/PANTAU_SOP menang",
    )


def settings_help() -> list[tuple[str, str, str]]:
    """(``[section] key``, default, help) of every setting, for the admin page and docs."""
    out = []
    for setting in SETTINGS:
        default = "" if setting.default in (None, (), {}) else json.dumps(setting.default)
        out.append((f"[{setting.section}] {setting.key}".strip(), default, setting.help))
    return out
