"""The ``[notify]`` settings and ``[notify.recipients.<name>]`` of ``secrets.toml``, parsed and
checked. Every setting is declared once in ``SETTINGS`` (CONTRACTS.md point 5) and documented in
``.streamlit/secrets.example.toml``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from metrics.durations import Duration, parse_duration
from metrics.errors import PantauError

EVENT_KINDS = (
    "baru",
    "disposisi",
    "hampir_jatuh_tempo",
    "terlambat",
    "ringkasan_harian",
    "ringkasan_mingguan",
)
ROLES = ("petugas", "kepala_desa", "kecamatan", "admin", "pejabat")
SECURITY = ("starttls", "ssl", "none")
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")

# Events a recipient gets when ``events`` is not given.
DEFAULT_EVENTS: dict[str, tuple[str, ...]] = {
    "petugas": ("baru", "hampir_jatuh_tempo", "terlambat", "ringkasan_harian"),
    "kepala_desa": ("terlambat", "ringkasan_harian"),
    "kecamatan": ("terlambat", "ringkasan_mingguan"),
    "admin": (),
    "pejabat": ("disposisi",),
}

# (section, key, type, default, help) — folded into the app's settings declaration at merge.
SETTINGS: tuple[tuple[str, str, type, Any, str], ...] = (
    (
        "notify",
        "telegram_bot_token",
        str,
        "",
        "Token bot Telegram dari @BotFather (kosong: Telegram tidak dipakai).",
    ),
    (
        "notify",
        "telegram_api_base_url",
        str,
        "https://api.telegram.org",
        "Alamat Telegram Bot API; hanya diganti untuk pengujian (tiruan lokal).",
    ),
    ("notify", "smtp_host", str, "", "Server SMTP untuk e-mail (kosong: e-mail tidak dipakai)."),
    ("notify", "smtp_port", int, 587, "Port SMTP (587 untuk STARTTLS, 465 untuk SSL)."),
    ("notify", "smtp_user", str, "", "Nama pengguna SMTP (mis. alamat Gmail)."),
    ("notify", "smtp_password", str, "", "Kata sandi SMTP (sandi aplikasi, bukan sandi akun)."),
    ("notify", "smtp_sender", str, "", "Alamat pengirim e-mail (bawaan: smtp_user)."),
    (
        "notify",
        "smtp_security",
        str,
        "starttls",
        "Pengamanan SMTP: starttls, ssl atau none (hanya untuk uji lokal).",
    ),
    ("notify", "timeout_seconds", float, 15.0, "Batas waktu satu pengiriman (detik)."),
    (
        "notify",
        "quiet_hours",
        str,
        "21:00-06:00",
        'Jam tenang (waktu setempat) tanpa pesan, mis. "21:00-06:00"; "" = tidak ada.',
    ),
    (
        "notify",
        "at_risk_window",
        str,
        "",
        'Pengingat "hampir jatuh tempo": jendela waktu (bawaan: at_risk_window profil SOP).',
    ),
    (
        "notify",
        "escalation_steps",
        list,
        [2, 5],
        "Eskalasi keterlambatan: sesudah [N1, N2] hari kerja lewat jatuh tempo ke kepala desa, lalu ke kecamatan.",
    ),
    (
        "notify",
        "catch_up_working_days",
        int,
        5,
        "Pesan terlambat/eskalasi hanya untuk yang melewati batasnya dalam N hari kerja terakhir "
        "(yang lebih lama tercantum di ringkasan harian; mencegah banjir pesan saat pertama dipasang).",
    ),
    ("notify", "digest_time", str, "07:00", "Jam ringkasan harian per desa (waktu setempat, HH:MM)."),
    ("notify", "weekly_day", str, "senin", "Hari ringkasan mingguan untuk kecamatan (senin ... minggu)."),
    (
        "notify",
        "new_within_hours",
        int,
        24,
        "Pengaduan baru / disposisi diberitahukan bila tercatat dalam N jam terakhir.",
    ),
    (
        "notify",
        "retry_backoff_minutes",
        int,
        10,
        "Pengiriman gagal dicoba lagi pada run berikutnya sesudah N menit (berlipat dua).",
    ),
    ("notify", "retry_max_backoff_minutes", int, 360, "Jeda coba ulang paling lama (menit)."),
    (
        "notify",
        "ledger_path",
        str,
        "",
        "Berkas catatan notifikasi (SQLite) untuk register lokal; bawaan: di samping register.",
    ),
    (
        "notify",
        "recipients",
        dict,
        {},
        "[notify.recipients.<nama>]: role (petugas, kepala_desa, kecamatan, admin, pejabat), desa = [...], "
        "telegram_chat_id dan/atau email, language (id/en), events = [...], jabatan (untuk pejabat).",
    ),
)


@dataclass(frozen=True)
class Recipient:
    name: str
    role: str
    desa: tuple[str, ...] = ()  # empty = every desa (kecamatan, admin)
    telegram_chat_id: str = ""
    email: str = ""
    language: str = "id"
    events: tuple[str, ...] = ()
    jabatan: str = ""  # pejabat: the official's title as written in "Disposisi Kepada"

    @property
    def channels(self) -> tuple[str, ...]:
        out = []
        if self.telegram_chat_id:
            out.append("telegram")
        if self.email:
            out.append("email")
        return tuple(out)

    def address(self, channel: str) -> str:
        return self.telegram_chat_id if channel == "telegram" else self.email


@dataclass(frozen=True)
class NotifyConfig:
    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_sender: str = ""
    smtp_security: str = "starttls"
    timeout_seconds: float = 15.0
    quiet_hours: tuple[dt.time, dt.time] | None = (dt.time(21), dt.time(6))
    at_risk_window: Duration | None = None
    escalation_steps: tuple[int, int] = (2, 5)
    catch_up_working_days: int = 5
    digest_time: dt.time = dt.time(7)
    weekly_day: int = 0  # Monday
    new_within_hours: int = 24
    retry_backoff_minutes: int = 10
    retry_max_backoff_minutes: int = 360
    ledger_path: str = ""
    recipients: tuple[Recipient, ...] = ()

    def in_quiet_hours(self, now: dt.datetime) -> bool:
        if self.quiet_hours is None:
            return False
        start, end = self.quiet_hours
        moment = now.time()
        if start <= end:
            return start <= moment < end
        return moment >= start or moment < end


def _time(text: Any, where: str, problems: list[str]) -> dt.time:
    try:
        return dt.time.fromisoformat(str(text).strip())
    except ValueError:
        problems.append(f'{where}: "{text}" bukan jam (tulis HH:MM, mis. 07:00).')
        return dt.time(7)


def parse_notify(secrets: Mapping[str, Any]) -> NotifyConfig:
    """``[notify]`` as a NotifyConfig; raises PantauError listing every bad setting by name."""
    section = secrets.get("notify") or {}
    if not isinstance(section, Mapping):
        raise PantauError("[notify] harus berupa bagian (tabel) di secrets.toml.")
    problems: list[str] = []
    known = {key for _, key, *_ in SETTINGS}
    for key in section:
        if key not in known:
            problems.append(f"[notify] {key}: pengaturan tidak dikenal.")
    values: dict[str, Any] = {}
    for _, key, kind, default, _help in SETTINGS:
        if key == "recipients":
            continue
        value = section.get(key, default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.append(f"[notify] {key}: harus {kind.__name__}, tertulis {value!r}.")
            value = default
        values[key] = value
    security = str(values["smtp_security"]).lower()
    if security not in SECURITY:
        problems.append(f"[notify] smtp_security: {security!r} tidak dikenal (starttls, ssl atau none).")
    quiet: tuple[dt.time, dt.time] | None = None
    if str(values["quiet_hours"]).strip():
        parts = str(values["quiet_hours"]).split("-")
        if len(parts) != 2:
            problems.append(f'[notify] quiet_hours: "{values["quiet_hours"]}" ditulis seperti "21:00-06:00".')
        else:
            quiet = (
                _time(parts[0], "[notify] quiet_hours", problems),
                _time(parts[1], "[notify] quiet_hours", problems),
            )
    window = None
    if str(values["at_risk_window"]).strip():
        try:
            window = parse_duration(values["at_risk_window"])
        except PantauError as error:
            problems.append(f"[notify] at_risk_window: {error.message}")
    steps = values["escalation_steps"]
    if len(steps) != 2 or not all(isinstance(s, int) and s >= 0 for s in steps) or steps[0] > steps[1]:
        problems.append(
            f"[notify] escalation_steps: tulis dua angka hari kerja naik, mis. [2, 5] (tertulis {steps!r})."
        )
        steps = [2, 5]
    weekly = str(values["weekly_day"]).strip().lower()
    if weekly not in WEEKDAYS:
        problems.append(f'[notify] weekly_day: "{weekly}" bukan nama hari ({", ".join(WEEKDAYS)}).')
        weekly = "senin"
    recipients = _recipients(section.get("recipients", {}), problems)
    if problems:
        raise PantauError("Pengaturan notifikasi salah:\n- " + "\n- ".join(problems), problems=problems)
    return NotifyConfig(
        telegram_bot_token=str(values["telegram_bot_token"]).strip(),
        telegram_api_base_url=str(values["telegram_api_base_url"]).rstrip("/"),
        smtp_host=str(values["smtp_host"]).strip(),
        smtp_port=int(values["smtp_port"]),
        smtp_user=str(values["smtp_user"]),
        smtp_password=str(values["smtp_password"]),
        smtp_sender=str(values["smtp_sender"] or values["smtp_user"]),
        smtp_security=security,
        timeout_seconds=float(values["timeout_seconds"]),
        quiet_hours=quiet,
        at_risk_window=window,
        escalation_steps=(int(steps[0]), int(steps[1])),
        catch_up_working_days=max(1, int(values["catch_up_working_days"])),
        digest_time=_time(values["digest_time"], "[notify] digest_time", []),
        weekly_day=WEEKDAYS.index(weekly),
        new_within_hours=int(values["new_within_hours"]),
        retry_backoff_minutes=max(1, int(values["retry_backoff_minutes"])),
        retry_max_backoff_minutes=max(1, int(values["retry_max_backoff_minutes"])),
        ledger_path=str(values["ledger_path"]),
        recipients=recipients,
    )


def _recipients(section: Any, problems: list[str]) -> tuple[Recipient, ...]:
    if not isinstance(section, Mapping):
        problems.append("[notify.recipients] harus berisi bagian [notify.recipients.<nama>].")
        return ()
    out = []
    for name, item in section.items():
        where = f"[notify.recipients.{name}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: harus berupa bagian (tabel).")
            continue
        unknown = set(item) - {"role", "desa", "telegram_chat_id", "email", "language", "events", "jabatan"}
        for key in sorted(unknown):
            problems.append(f"{where} {key}: pengaturan tidak dikenal.")
        role = str(item.get("role", "")).strip()
        if role not in ROLES:
            problems.append(f'{where} role: "{role}" bukan salah satu dari {", ".join(ROLES)}.')
            continue
        desa = item.get("desa", [])
        desa = [desa] if isinstance(desa, str) else list(desa)
        if role in ("petugas", "kepala_desa", "pejabat") and not desa:
            problems.append(f"{where} desa: peran {role} wajib punya daftar desa.")
        events = item.get("events")
        events = list(DEFAULT_EVENTS[role]) if events is None else list(events)
        for event in events:
            if event not in EVENT_KINDS:
                problems.append(f'{where} events: "{event}" tidak dikenal ({", ".join(EVENT_KINDS)}).')
        language = str(item.get("language", "id")).strip().lower()
        if language not in ("id", "en"):
            problems.append(f'{where} language: "{language}" (tulis "id" atau "en").')
        jabatan = str(item.get("jabatan", "")).strip()
        if role == "pejabat" and not jabatan:
            problems.append(
                f"{where} jabatan: peran pejabat wajib menulis jabatannya (seperti di Disposisi Kepada)."
            )
        chat = item.get("telegram_chat_id", "")
        out.append(
            Recipient(
                name=str(name),
                role=role,
                desa=tuple(str(d) for d in desa),
                telegram_chat_id=str(chat).strip() if chat is not None else "",
                email=str(item.get("email", "")).strip(),
                language=language,
                events=tuple(events),
                jabatan=jabatan,
            )
        )
    return tuple(out)


def demo_recipients() -> tuple[Recipient, ...]:
    """Made-up recipients for ``--dry-run`` on the demo register when none are configured: per
    demo desa a petugas (Telegram group) and a kepala desa (e-mail), and the camat (e-mail)."""
    from data_sources.demo import DEMO_DESAS

    out: list[Recipient] = []
    for desa in DEMO_DESAS:
        code = desa.code.lower()
        out.append(
            Recipient(
                f"petugas_{code}",
                "petugas",
                (desa.name,),
                telegram_chat_id=f"-100{code}",
                events=DEFAULT_EVENTS["petugas"],
            )
        )
        out.append(
            Recipient(
                f"kades_{code}",
                "kepala_desa",
                (desa.name,),
                email=f"kades@{code}.desa.id",
                events=DEFAULT_EVENTS["kepala_desa"],
            )
        )
    out.append(
        Recipient("camat", "kecamatan", email="camat@sukamaju.go.id", events=DEFAULT_EVENTS["kecamatan"])
    )
    return tuple(out)
