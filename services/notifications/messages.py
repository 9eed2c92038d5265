"""The text of each notification: short, Bahasa Indonesia (English when the recipient's
``language = "en"``), with the Nomor, the stage, the due time and a link to the app when
``[pantau] public_url`` is set.

Privacy: personal data (reporter's name, phone, address) goes through
``metrics.privacy.mask_personal_data`` like every page: in full only to the petugas of the
complaint's desa (and admin), masked for every other role. A ``Rahasia`` complaint never names its
reporter in a message, whoever receives it. The complaint text is only sent to those who may see
personal data in full (it often names people). User-written text is sent as plain text
(Telegram without ``parse_mode``; e-mail HTML escaped).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.cells import MONTH_NAMES_ID
from metrics.columns import column_key
from metrics.privacy import HIDDEN, mask_personal_data
from services.notifications.config import Recipient
from services.notifications.events import Delivery, Event

MAX_LIST = 60  # items per list in a digest; the rest is counted
MAX_TEXT = 4000  # Telegram accepts 4096 characters
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PAGES = {
    "baru": "register",
    "disposisi": "register",
    "hampir_jatuh_tempo": "pemantauan-sla",
    "terlambat": "pemantauan-sla",
    "ringkasan_harian": "pemantauan-sla",
    "ringkasan_mingguan": "perbandingan-desa",
}


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def _t(recipient: Recipient, indonesian: str, english: str) -> str:
    return english if recipient.language == "en" else indonesian


def when(value: Any, language: str = "id") -> str:
    """``30 Nov 2026 14.30`` (Indonesian time with a dot), ``–`` when missing."""
    if value is None or pd.isna(value):
        return "–"
    ts = pd.Timestamp(value)
    month = _MONTHS_EN[ts.month - 1] if language == "en" else MONTH_NAMES_ID[ts.month - 1][:3]
    separator = ":" if language == "en" else "."
    return f"{ts.day} {month} {ts.year} {ts.hour:02d}{separator}{ts.minute:02d}"


def _day(value: Any, language: str) -> str:
    ts = pd.Timestamp(value)
    month = _MONTHS_EN[ts.month - 1] if language == "en" else MONTH_NAMES_ID[ts.month - 1]
    return f"{ts.day} {month} {ts.year}"


def sees_personal_data(recipient: Recipient, complaints: pd.DataFrame) -> pd.Series:
    """Complaints whose personal data this recipient may see in full: petugas of the desa and admin
    (as on the pages), never a ``Rahasia`` complaint in a message."""
    secret = (
        complaints["rahasia"].fillna(False).astype(bool)
        if "rahasia" in complaints
        else pd.Series(False, index=complaints.index)
    )
    if recipient.role == "admin":
        handled = pd.Series(True, index=complaints.index)
    elif recipient.role == "petugas":
        desa = complaints["desa"].astype("string").fillna("").map(column_key)
        keys = {column_key(d) for d in recipient.desa}
        handled = desa.isin(keys) if keys else pd.Series(True, index=complaints.index)
    else:
        handled = pd.Series(False, index=complaints.index)
    return handled.astype(bool) & ~secret


def _value(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _reporter(row: Mapping[str, Any], recipient: Recipient) -> str:
    name = _value(row, "nama_pelapor") or _t(recipient, "(tanpa nama)", "(no name)")
    if name == HIDDEN:
        return HIDDEN
    phone = _value(row, "no_hp")
    return f"{name} ({phone})" if phone else name


def _link(public_url: str, kind: str) -> str:
    return f"{public_url}/{_PAGES[kind]}" if public_url else ""


def render(
    delivery: Delivery,
    complaints: pd.DataFrame,
    *,
    public_url: str = "",
    labels: Mapping[str, str] | None = None,
) -> Message:
    """The message of one delivery. ``complaints`` is the register's complaints (unmasked: the
    masking for this recipient happens here); ``labels`` maps vocabulary keys to their labels."""
    event, recipient = delivery.event, delivery.recipient
    labels = labels or {}
    rows = complaints.loc[list(event.rows)] if event.rows else complaints.iloc[0:0]
    masked = mask_personal_data(rows, sees_personal_data(recipient, rows))
    full = sees_personal_data(recipient, rows)
    lines, subject = _BODY[event.kind](event, recipient, masked, full, labels)
    link = _link(public_url, event.kind)
    if link:
        lines.append(_t(recipient, "Buka: ", "Open: ") + link)
    text = "\n".join(lines)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    body = html.escape(text).replace("\n", "<br>\n")
    if link:
        body = body.replace(html.escape(link), f'<a href="{html.escape(link)}">{html.escape(link)}</a>')
    page = f'<html><body style="font-family:sans-serif;font-size:14px">{body}</body></html>'
    return Message(subject=subject, text=text, html=page)


def _label(labels: Mapping[str, str], key: str) -> str:
    return labels.get(key, key)


def _new(
    event: Event, recipient: Recipient, masked: pd.DataFrame, full: pd.Series, labels: Mapping[str, str]
):
    row = masked.iloc[0].to_dict() if len(masked) else {}
    lang = recipient.language
    lines = [
        _t(recipient, "Pengaduan baru {n} — Desa {d}", "New complaint {n} — {d}").format(
            n=event.nomor, d=event.desa
        ),
        _t(recipient, "Diterima: ", "Received: ") + when(row.get("tanggal_diterima"), lang),
        _t(recipient, "Kategori: ", "Category: ")
        + _label(labels, _value(row, "kategori"))
        + " · "
        + _t(recipient, "Urgensi: ", "Urgency: ")
        + _label(labels, _value(row, "urgensi")),
        _t(recipient, "Pelapor: ", "Reporter: ") + _reporter(row, recipient),
    ]
    if len(full) and bool(full.iloc[0]) and _value(row, "isi_pengaduan"):
        lines.append(_t(recipient, "Isi: ", "Text: ") + _value(row, "isi_pengaduan")[:200])
    return lines, _t(recipient, "Pengaduan baru {n}", "New complaint {n}").format(n=event.nomor)


def _disposition(
    event: Event, recipient: Recipient, masked: pd.DataFrame, full: pd.Series, labels: Mapping[str, str]
):
    row = masked.iloc[0].to_dict() if len(masked) else {}
    lines = [
        _t(
            recipient,
            "Disposisi pengaduan {n} (Desa {d}) kepada {p}.",
            "Complaint {n} ({d}) assigned to {p}.",
        ).format(n=event.nomor, d=event.desa, p=event.data.get("pejabat", "")),
        _t(recipient, "Kategori: ", "Category: ") + _label(labels, _value(row, "kategori")),
        _t(recipient, "Mohon ditindaklanjuti sesuai SOP.", "Please follow up as the SOP requires."),
    ]
    return lines, _t(recipient, "Disposisi {n}", "Assigned: {n}").format(n=event.nomor)


def _at_risk(
    event: Event, recipient: Recipient, masked: pd.DataFrame, full: pd.Series, labels: Mapping[str, str]
):
    lines = [
        _t(
            recipient, "Pengingat: {n} (Desa {d}) hampir jatuh tempo.", "Reminder: {n} ({d}) is due soon."
        ).format(n=event.nomor, d=event.desa),
        _t(recipient, "Tahap: ", "Stage: ") + str(event.data.get("tahap", "")),
        _t(recipient, "Jatuh tempo: ", "Due: ") + when(event.data.get("jatuh_tempo"), recipient.language),
    ]
    return lines, _t(recipient, "Hampir jatuh tempo: {n}", "Due soon: {n}").format(n=event.nomor)


def _overdue(
    event: Event, recipient: Recipient, masked: pd.DataFrame, full: pd.Series, labels: Mapping[str, str]
):
    days = float(event.data.get("hari_kerja_lewat", 0.0))
    head = {
        0: _t(recipient, "Terlambat: {n} (Desa {d}).", "Overdue: {n} ({d})."),
        1: _t(
            recipient,
            "Eskalasi ke Kepala Desa — terlambat: {n} (Desa {d}).",
            "Escalated to the village head — overdue: {n} ({d}).",
        ),
        2: _t(
            recipient,
            "Eskalasi ke Kecamatan — terlambat: {n} (Desa {d}).",
            "Escalated to the sub-district — overdue: {n} ({d}).",
        ),
    }[event.level]
    lines = [
        head.format(n=event.nomor, d=event.desa),
        _t(recipient, "Tahap: ", "Stage: ") + str(event.data.get("tahap", "")),
        _t(recipient, "Jatuh tempo: ", "Was due: ")
        + when(event.data.get("jatuh_tempo"), recipient.language)
        + _t(recipient, " (lewat {x} hari kerja)", " ({x} working days ago)").format(
            x=f"{days:.1f}".replace(".", ",") if recipient.language != "en" else f"{days:.1f}"
        ),
    ]
    if event.data.get("pejabat"):
        lines.append(_t(recipient, "Penanggung jawab: ", "Responsible: ") + str(event.data["pejabat"]))
    return lines, _t(recipient, "Terlambat: {n}", "Overdue: {n}").format(n=event.nomor)


def _items(recipient: Recipient, items: list[dict[str, Any]], with_due: bool) -> list[str]:
    out = []
    for item in items[:MAX_LIST]:
        text = "• " + item["nomor"]
        if with_due:
            text += f" — {item['tahap']} ({when(item['jatuh_tempo'], recipient.language)})"
        out.append(text)
    if len(items) > MAX_LIST:
        out.append(_t(recipient, "• … dan {k} lainnya", "• … and {k} more").format(k=len(items) - MAX_LIST))
    return out


def _digest(
    event: Event, recipient: Recipient, masked: pd.DataFrame, full: pd.Series, labels: Mapping[str, str]
):
    data = event.data
    lang = recipient.language
    late_complaints = list(dict.fromkeys(item["nomor"] for item in data["terlambat"]))
    lines = [
        _t(recipient, "Ringkasan harian Desa {d} — {t}", "Daily digest {d} — {t}").format(
            d=event.desa, t=_day(event.key.rsplit(":", 1)[1], lang)
        )
    ]
    lines.append(
        _t(recipient, "Jatuh tempo hari ini: {k}", "Due today: {k}").format(
            k=len(data["jatuh_tempo_hari_ini"])
        )
    )
    lines += _items(recipient, data["jatuh_tempo_hari_ini"], True)
    lines.append(
        _t(recipient, "Terlambat: {k} pengaduan", "Overdue: {k} complaints").format(k=len(late_complaints))
    )
    first_late: dict[str, dict[str, Any]] = {}
    for item in data["terlambat"]:
        first_late.setdefault(item["nomor"], item)
    lines += _items(recipient, list(first_late.values()), True)
    lines.append(
        _t(recipient, "Baru sejak kemarin: {k}", "New since yesterday: {k}").format(k=len(data["baru"]))
    )
    lines += _items(recipient, data["baru"], False)
    return lines, _t(recipient, "Ringkasan harian Desa {d}", "Daily digest {d}").format(d=event.desa)


def _weekly(
    event: Event, recipient: Recipient, masked: pd.DataFrame, full: pd.Series, labels: Mapping[str, str]
):
    summary: pd.DataFrame = event.data["per_desa"]
    if recipient.desa:
        keys = {column_key(d) for d in recipient.desa}
        summary = summary[[column_key(d) in keys for d in summary.index]]
    week = event.key.split(":", 1)[1]
    lines = [
        _t(recipient, "Ringkasan mingguan kecamatan — {w}", "Weekly sub-district summary — {w}").format(
            w=week
        )
    ]
    lines.append(
        _t(
            recipient,
            "Desa: diterima / selesai / tepat waktu / terlambat terbuka",
            "Village: received / settled / on time / open overdue",
        )
    )
    for row in summary.itertuples():
        rate = "–" if pd.isna(row.tepat_waktu) else f"{row.tepat_waktu * 100:.0f}%"
        lines.append(f"• {row.Index}: {row.diterima} / {row.selesai} / {rate} / {row.terlambat_terbuka}")
    return lines, _t(recipient, "Ringkasan mingguan {w}", "Weekly summary {w}").format(w=week)


_BODY = {
    "baru": _new,
    "disposisi": _disposition,
    "hampir_jatuh_tempo": _at_risk,
    "terlambat": _overdue,
    "ringkasan_harian": _digest,
    "ringkasan_mingguan": _weekly,
}


def test_message(recipient: Recipient, now: Any) -> Message:
    """The *Kirim uji* message."""
    text = _t(
        recipient,
        "Pesan uji Pantau Aduan untuk {n} ({r}), {t}. Jika pesan ini sampai, saluran ini siap.",
        "Pantau Aduan test message for {n} ({r}), {t}. If you read this, this channel works.",
    ).format(n=recipient.name, r=recipient.role, t=when(now, recipient.language))
    return Message(
        subject=_t(recipient, "Pesan uji Pantau Aduan", "Pantau Aduan test message"),
        text=text,
        html=f"<html><body>{html.escape(text)}</body></html>",
    )
