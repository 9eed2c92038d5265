"""Telling the complainant: WhatsApp links, the tracking text and the answer message."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from metrics.errors import PantauError
from metrics.form_input import cell_timestamp, cell_value, clean_input, find_term, normalise_phone
from metrics.profiles import Profile
from metrics.stage_update import current_stage
from metrics.text import Text

# --------------------------------------------------------------------------------------------
# Telling the complainant


def whatsapp_link(phone: object, message: str) -> str:
    """``https://wa.me/62812…?text=…`` (click-to-chat, no API); PantauError for a number that
    is not an Indonesian mobile number."""
    normalised = normalise_phone(phone)
    if normalised is None or not normalised.startswith("08"):
        raise PantauError(
            Text(
                "No. HP pelapor bukan nomor ponsel Indonesia yang valid; pesan WhatsApp tidak dapat dibuat.",
                "The complainant's phone is not a valid Indonesian mobile number; no WhatsApp message can be made.",
            )
        )
    return f"https://wa.me/62{normalised[1:]}?text={urllib.parse.quote(message, safe='')}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tracking_text(public_url: str = "", has_phone: bool = True) -> str:
    """How the complainant follows the complaint: the app's address when configured
    (``[pantau] public_url``); a complaint without a phone number cannot be looked up online."""
    if not has_phone:
        return (
            "Pengaduan tanpa nomor HP tidak dapat dilacak daring: tanyakan perkembangannya ke kantor desa "
            "dengan menyebut Nomor pengaduan ini."
        )
    where = f"di {public_url.rstrip('/')}/lacak" if public_url else "di menu Lacak Pengaduan"
    return f"Lacak {where} dengan Nomor pengaduan dan 4 angka terakhir no. HP Anda."


def answer_message(
    complaint: Mapping[str, Any], profile: Profile, desa: str, contact: str = "", public_url: str = ""
) -> str:
    """The message telling the complainant the result (Bahasa Indonesia, plain text)."""
    nomor = clean_input(cell_value(complaint, "nomor"))
    name = (
        "" if bool(cell_value(complaint, "rahasia")) else clean_input(cell_value(complaint, "nama_pelapor"))
    )
    received = cell_timestamp(cell_value(complaint, "tanggal_diterima"))
    outcome = find_term(profile.outcomes, cell_value(complaint, "jenis_penyelesaian"))
    result = clean_input(cell_value(complaint, "hasil_tindak_lanjut"))
    stage = current_stage(complaint, profile)
    desa_name = clean_input(desa)
    lines = [f"Yth. Bapak/Ibu {name}".rstrip() + ",", ""]
    received_text = f" yang kami terima pada {received:%d/%m/%Y}" if received is not None else ""
    lines.append(f"Pengaduan Anda dengan Nomor {nomor}{received_text} telah kami tindak lanjuti.")
    lines.append(f"Status: {stage.label}.")
    if outcome is not None:
        lines.append(f"Jenis penyelesaian: {outcome.label}.")
    if result:
        lines += ["", "Hasil tindak lanjut:", _short(result, 1200)]
    lines += [
        "",
        tracking_text(public_url),
        survey_text(nomor, public_url),
    ]
    contact_text = clean_input(contact)
    where = f"Desa {desa_name}" if desa_name else profile.unit_name
    lines.append(
        f"Bila ada pertanyaan, hubungi petugas pengaduan {where}"
        + (f" di {contact_text}" if contact_text else " dengan membalas pesan ini atau datang ke kantor desa")
        + "."
    )
    lines += ["", "Terima kasih.", f"Petugas Pengelola Pengaduan {where}"]
    return "\n".join(lines)


def lacak_link(public_url: str, nomor: str) -> str:
    """``https://…/lacak?nomor=CBD%2F2026%2F01%2F0007``: the Lacak page with the Nomor filled in."""
    return f"{public_url.rstrip('/')}/lacak?nomor={urllib.parse.quote(str(nomor), safe='')}"


def survey_text(nomor: str, public_url: str = "") -> str:
    """The invitation to the satisfaction survey on Lacak (``services.survey``): the Lacak link
    with the Nomor filled in when the app's address is configured (``[pantau] public_url``)."""
    where = f"di {lacak_link(public_url, nomor)}" if public_url else "di menu Lacak Pengaduan"
    return (
        "Setelah pengaduan selesai, mohon nilai penanganannya (sekali saja, 1–4) "
        f"{where} dengan 4 angka terakhir no. HP Anda."
    )
