"""The fields a document is filled with, from a complaint, its profile, the settings and the
review meeting — with personal data cut to what the document's audience may read.

Privacy (UU 27/2022 PDP), by the document's ``audience`` (profile ``[[documents]]``):

- ``public`` (e.g. an invitation to other parties): the complainant's identity always masked
  (initials, ``****``; ``(dirahasiakan)`` for a Rahasia complaint), whoever prints it;
- ``complainant`` (handed to the complainant): name and address in full when the person printing
  handles the complaint (hidden for a Rahasia complaint: the paper leaves the office), the phone
  only as its last 4 digits (the lookup key);
- ``internal`` (kept by the office): the full identity only for a viewer who handles the
  complaint (``handled``: petugas of its desa, admin except Rahasia — ``dashboard.access``).

The formulir pengaduan is ``internal``: the office keeps the signed form, so the handling petugas
sees the whole phone number on it. Masking goes through ``metrics.privacy.mask_for_document``
(never by hand).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from metrics.cells import MONTH_NAMES_ID
from metrics.columns import column_key
from metrics.complaint_updates import clean_input, current_stage, find_term, tracking_text
from metrics.privacy import mask_for_document
from metrics.profiles import DOCUMENT_KINDS, DocumentSpec, Profile
from metrics.text import Text
from services.documents.letterhead import (
    head_signatory,
    kabupaten_of,
    letterhead_lines,
    unit_display_name,
)

DAY_NAMES_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
SUMMARY_CHARS = 600
DOTS = "…………………"
EMPTY = "–"
# Outgoing letters (surat jawaban, undangan, laporan) take their number from the office's agenda
# of outgoing letters (buku agenda surat keluar, Tata Naskah Dinas): none of the seed SOPs gives
# a numbering for them (only the register Nomor and, in the profiles, the berita acara), so the
# field is left clearly blank for the office to write in.
NUMBER_BY_OFFICE = "____________________ (diisi dari agenda surat keluar)"
BA_NOT_YET = "(belum ada: nomor diberikan saat rapat pembahasan dicatat)"
# The SOP's outcome kind (Babakan bagian 5, Perpres 76/2013) is required on the answer letter.
OUTCOME_MISSING = "BELUM DITETAPKAN (isi Jenis Penyelesaian di Perbarui sebelum surat dikirim)"

# The meeting's own register columns (the stage date, outcome and berita acara number go to the
# profile's columns). Canonical key -> header written when the sheet lacks the column.
MEETING_COLUMNS: dict[str, str] = {
    "waktu_rapat": "Waktu Rapat",
    "tempat_rapat": "Tempat Rapat",
    "peserta_rapat": "Peserta Rapat",
    "ringkasan_rapat": "Ringkasan Rapat",
    "keputusan_rapat": "Keputusan Rapat",
}
PARTICIPANT_SEPARATOR = ";"


@dataclass(frozen=True)
class DocumentSettings:
    """``[dokumen]`` settings (see ``services.documents.SETTINGS``)."""

    templates: str = ""  # the office's own template folder (<jenis>.docx)
    logo: str = ""  # image file for the kop surat
    alamat: str = ""
    telepon: str = ""
    email: str = ""
    tempat: str = ""  # place written before the date ("Tenggarong, 5 Mei 2026")
    secrets: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    kecamatan: str = ""
    kabupaten: str = ""

    @classmethod
    def from_secrets(
        cls, secrets: Mapping[str, Any], kecamatan: str = "", kabupaten: str = ""
    ) -> DocumentSettings:
        section = secrets.get("dokumen", {}) if hasattr(secrets, "get") else {}
        section = section if hasattr(section, "get") else {}
        wilayah = secrets.get("wilayah", {}) if hasattr(secrets, "get") else {}
        wilayah = wilayah if hasattr(wilayah, "get") else {}

        def text(key: str) -> str:
            return str(section.get(key) or "").strip()

        return cls(
            templates=text("templates"),
            logo=text("logo"),
            alamat=text("alamat"),
            telepon=text("telepon"),
            email=text("email"),
            tempat=text("tempat"),
            secrets=secrets,
            kecamatan=kecamatan or str(wilayah.get("kecamatan") or ""),
            kabupaten=kabupaten or str(wilayah.get("kabupaten") or ""),
        )


@dataclass(frozen=True)
class Participant:
    nama: str
    jabatan: str = ""

    @property
    def label(self) -> str:
        if self.nama and self.jabatan:
            return f"{self.nama} ({self.jabatan})"
        return self.nama or self.jabatan


@dataclass(frozen=True)
class Meeting:
    """The review meeting (rapat pembahasan) of one complaint."""

    waktu: dt.datetime | None
    tempat: str = ""
    peserta: tuple[Participant, ...] = ()
    ringkasan: str = ""
    keputusan: str = ""


# --------------------------------------------------------------------------------------------
# Small helpers


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: object) -> str:
    return "" if _missing(value) else clean_input(value)


def _stamp(value: object) -> pd.Timestamp | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
            try:
                return pd.Timestamp(dt.datetime.strptime(text, fmt))
            except ValueError:
                pass
        try:
            stamp = pd.Timestamp(text)
        except (TypeError, ValueError):
            return None
    else:
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            return None
    if stamp is pd.NaT:
        return None
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def tanggal(value: object) -> str:
    """``26 Juli 2023``; ``–`` when missing."""
    stamp = _stamp(value)
    return f"{stamp.day} {MONTH_NAMES_ID[stamp.month - 1]} {stamp.year}" if stamp is not None else EMPTY


def hari_tanggal(value: object) -> str:
    """``Rabu, 26 Juli 2023``."""
    stamp = _stamp(value)
    return f"{DAY_NAMES_ID[stamp.weekday()]}, {tanggal(stamp)}" if stamp is not None else EMPTY


def jam(value: object) -> str:
    stamp = _stamp(value)
    return f"{stamp.hour:02d}.{stamp.minute:02d}" if stamp is not None else EMPTY


def tanggal_jam(value: object) -> str:
    stamp = _stamp(value)
    return f"{tanggal(stamp)} {jam(stamp)}" if stamp is not None else EMPTY


def _raw_value(raw: Mapping[str, str], key: str) -> str:
    for header, value in raw.items():
        if column_key(header) == key:
            return _text(value)
    return ""


def parse_participants(text: str, profile: Profile) -> tuple[Participant, ...]:
    """``"Kepala Dinas; Budi Santoso (Kepala Desa Loa Ipuh)"`` -> participants: an official of the
    profile becomes a title (name to fill by hand), ``Name (title)`` a named person (a space before
    the parenthesis, no parenthesis inside the title, nothing after it); any other item is a name
    kept whole as typed (``=HYPERLINK("a","b")`` is not split)."""
    people: list[Participant] = []
    for part in clean_input(text).split(PARTICIPANT_SEPARATOR):
        item = " ".join(part.split())
        if not item:
            continue
        if item in profile.officials:
            people.append(Participant("", item))
            continue
        match = re.fullmatch(r"([^()]+?)\s+\(([^()]+)\)", item)
        people.append(Participant(match.group(1), match.group(2)) if match else Participant(item))
    return tuple(people)


def participants_text(people: Sequence[Participant]) -> str:
    """The register cell of the participants (inverse of ``parse_participants``)."""
    return f"{PARTICIPANT_SEPARATOR} ".join(
        p.label.replace(PARTICIPANT_SEPARATOR, ",") for p in people if p.label
    )


def meeting_from_row(
    complaint: Mapping[str, Any], raw: Mapping[str, str], profile: Profile
) -> Meeting | None:
    """The meeting recorded in a complaint's row (its own columns), or None when none was recorded.

    Its day and time come from the ``Waktu Rapat`` cell only: the meeting stage's date column says
    when that step was marked in the register (the Perbarui page stamps it with the moment of the
    update), not when a meeting sat, so a document never presents it as the meeting's time; a
    missing time stays a blank to fill by hand."""
    when = _stamp(_raw_value(raw, "waktu_rapat"))
    values = {key: _raw_value(raw, key) for key in MEETING_COLUMNS}
    if when is None and not any(values.values()):
        return None
    return Meeting(
        waktu=when.to_pydatetime() if when is not None else None,
        tempat=values["tempat_rapat"],
        peserta=parse_participants(values["peserta_rapat"], profile),
        ringkasan=values["ringkasan_rapat"],
        keputusan=values["keputusan_rapat"],
    )


NBSP = "\u00a0"


def _option(official: str, chosen: bool) -> dict[str, str]:
    """One "Diteruskan kepada" choice: ``pilihan`` is the box and its label joined by no-break
    spaces, so a line never ends on a box whose label starts the next line."""
    box = "☒" if chosen else "☐"
    return {"jabatan": official, "kotak": box, "pilihan": NBSP.join((box, *official.split()))}


def _secret(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return _text(value).lower() in ("ya", "true", "1", "y", "rahasia")


def identity(complaint: Mapping[str, Any], audience: str, handled: bool) -> dict[str, str]:
    """Name, address and phone as the audience may read them (``metrics.privacy.mask_for_document``
    decides; see module doc)."""
    return for_audience(complaint, None, audience, handled)[0]


# Free texts of the complaint and the meeting that may mention the complainant by name.
_COMPLAINT_TEXTS = ("isi_pengaduan", "hasil_tindak_lanjut")
_MEETING_TEXTS = ("tempat", "ringkasan", "keputusan")


def for_audience(
    complaint: Mapping[str, Any], meeting: Meeting | None, audience: str, handled: bool
) -> tuple[dict[str, str], Meeting | None, dict[str, str]]:
    """The identity (as ``identity``), the meeting and the complaint's free texts
    (``_COMPLAINT_TEXTS``) as the audience may read them: a participant typed by hand who is the
    complainant ("Siti Rahayu (Pelapor)") and mentions of the name in free text are masked like
    the name itself (``metrics.privacy.mask_for_document`` decides)."""
    person = {
        "nama_pelapor": _text(complaint.get("nama_pelapor")) or None,
        "alamat": _text(complaint.get("alamat")) or None,
        "no_hp": _text(complaint.get("no_hp")) or None,
        "rahasia": _secret(complaint.get("rahasia")),
    }
    people = list(meeting.peserta) if meeting else []
    rows = [{**person, "peserta_nama": p.nama, "peserta_jabatan": p.jabatan} for p in people] or [
        dict(person)
    ]
    rows[0].update({key: _text(complaint.get(key)) for key in _COMPLAINT_TEXTS})
    if meeting:
        rows[0].update({key: getattr(meeting, key) for key in _MEETING_TEXTS})
    frame = pd.DataFrame(rows)
    shown = mask_for_document(
        frame,
        pd.Series(handled, index=frame.index),
        audience,
        entries=("peserta_nama", "peserta_jabatan"),
        texts=(*_COMPLAINT_TEXTS, *_MEETING_TEXTS),
    )
    first = shown.iloc[0]
    ident = {
        key: EMPTY if _missing(first[key]) else str(first[key]) for key in ("nama_pelapor", "alamat", "no_hp")
    }
    texts = {key: str(first[key]) for key in _COMPLAINT_TEXTS}
    if meeting:
        meeting = dataclasses.replace(
            meeting,
            peserta=tuple(
                Participant(str(row["peserta_nama"]), str(row["peserta_jabatan"]))
                for _index, row in shown.iterrows()
            )
            if people
            else meeting.peserta,
            tempat=str(first["tempat"]),
            ringkasan=str(first["ringkasan"]),
            keputusan=str(first["keputusan"]),
        )
    return ident, meeting, texts


def missing_fields(kind: str, context: Mapping[str, Any]) -> list[str]:
    """What the SOP requires on document ``kind`` that the record does not hold yet (named, for a
    warning next to the download)."""
    missing: list[str] = []
    if kind == "surat_jawaban" and context.get("jenis_penyelesaian") == OUTCOME_MISSING:
        missing.append(Text("Jenis penyelesaian", "Type of settlement"))
    if kind == "surat_jawaban" and context.get("hasil_tindak_lanjut") == DOTS:
        missing.append(Text("Hasil tindak lanjut", "Follow-up result"))
    if kind in ("berita_acara", "laporan_hasil_rapat") and context.get("no_berita_acara") == BA_NOT_YET:
        missing.append(Text("No. berita acara", "Minutes number"))
    return missing


def _short(text: str, limit: int = SUMMARY_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------
# The context


def build_context(
    spec: DocumentSpec,
    complaint: Mapping[str, Any],
    profile: Profile,
    settings: DocumentSettings,
    *,
    today: dt.date,
    petugas: str,
    handled: bool,
    meeting: Meeting | None = None,
    public_url: str = "",
) -> dict[str, Any]:
    """Every field of ``FIELDS`` for one document of one complaint (plain text and lists)."""
    desa = _text(complaint.get("desa"))
    kop = letterhead_lines(profile, desa, settings.kecamatan, settings.kabupaten)
    contact = " · ".join(
        x
        for x in (
            settings.alamat,
            f"Telp. {settings.telepon}" if settings.telepon else "",
            f"Email: {settings.email}" if settings.email else "",
        )
        if x
    )
    head = head_signatory(settings.secrets, profile, desa, settings.tempat)
    person, meeting, texts = for_audience(complaint, meeting, spec.audience, handled)

    def term(terms: Sequence[Any], key: str) -> str:
        found = find_term(terms, complaint.get(key))
        return found.label if found else (_text(complaint.get(key)) or EMPTY)

    outcome = find_term(profile.outcomes, complaint.get("jenis_penyelesaian"))
    disposition = profile.milestone_stage("disposisi")
    stage = current_stage(complaint, profile)
    isi = texts["isi_pengaduan"]
    officials_now = _text(complaint.get("disposisi_kepada"))
    people = list(meeting.peserta) if meeting else []
    rows = [
        {"no": i, "nama": p.nama, "jabatan": p.jabatan, "label": p.label} for i, p in enumerate(people, 1)
    ]
    meeting_when = meeting.waktu if meeting else None
    place = settings.tempat or head.place or unit_display_name(profile, desa)
    kab = kabupaten_of(profile, settings.kabupaten)
    # officials who initial a document before the head signs it (Kutai Kartanegara steps 13-14)
    after = profile.stages[profile.stage_index(spec.stage) + 1 :]
    paraf = [s.actor for s in after if "paraf" in f"{s.key} {s.label}".lower() and s.actor]
    ba_number = _text(complaint.get("no_berita_acara"))
    return {
        "jenis_dokumen": spec.label or DOCUMENT_KINDS[spec.kind][0],
        "kop": "\n".join(kop),
        "kop_kontak": contact,
        "logo": "",
        "unit": unit_display_name(profile, desa),
        "kabupaten": kab,
        "nama_sop": profile.name,
        "sumber_sop": profile.source,
        "nomor_pengaduan": _text(complaint.get("nomor")) or EMPTY,
        "nomor_surat": (ba_number or BA_NOT_YET) if spec.kind == "berita_acara" else NUMBER_BY_OFFICE,
        "tempat_surat": place,
        "tanggal_surat": tanggal(today),
        "desa": desa or EMPTY,
        "tanggal_diterima": tanggal_jam(complaint.get("tanggal_diterima")),
        "saluran": term(profile.channels, "saluran"),
        "kategori": term(profile.categories, "kategori"),
        "urgensi": term(profile.urgencies, "urgensi"),
        "tahap": stage.label,
        "nama_pelapor": person["nama_pelapor"],
        "alamat_pelapor": person["alamat"],
        "no_hp_pelapor": person["no_hp"],
        "rahasia": "Ya" if _secret(complaint.get("rahasia")) else "Tidak",
        "isi_pengaduan": isi or EMPTY,
        "isi_ringkas": _short(isi) or EMPTY,
        "disposisi_kepada": officials_now or DOTS,
        "tanggal_disposisi": tanggal_jam(complaint.get(disposition.column_key)) if disposition else EMPTY,
        "catatan_disposisi": DOTS,
        "pejabat": [_option(o, o == officials_now) for o in profile.officials],
        "hasil_tindak_lanjut": texts["hasil_tindak_lanjut"] or DOTS,
        "jenis_penyelesaian": outcome.label
        if outcome
        else (_text(complaint.get("jenis_penyelesaian")) or OUTCOME_MISSING),
        "uraian_penyelesaian": outcome.description if outcome and outcome.description else EMPTY,
        "no_berita_acara": ba_number or BA_NOT_YET,
        "rapat_tanggal": hari_tanggal(meeting_when) if meeting_when else DOTS,
        "rapat_jam": jam(meeting_when) if meeting_when else DOTS,
        "rapat_tempat": (meeting.tempat if meeting and meeting.tempat else DOTS),
        "rapat_peserta": rows,
        "rapat_peserta_teks": ", ".join(p.label for p in people) or DOTS,
        "rapat_ringkasan": (meeting.ringkasan if meeting and meeting.ringkasan else DOTS),
        "rapat_keputusan": (meeting.keputusan if meeting and meeting.keputusan else DOTS),
        "paraf": paraf,
        "kepala": {
            "jabatan": head.jabatan,
            "nama": head.nama or "(" + DOTS * 2 + ")",
            # a desa head has no NIP; a camat's or kepala dinas' NIP is written by hand when not set
            "nip": f"NIP. {head.nip}" if head.nip else ("" if profile.unit == "desa" else f"NIP. {DOTS}"),
        },
        "petugas": clean_input(petugas) or "(" + DOTS * 2 + ")",
        "cara_lacak": tracking_text(public_url, person["no_hp"] != EMPTY),
    }


FIELDS: tuple[str, ...] = (
    "jenis_dokumen",
    "kop",
    "kop_kontak",
    "logo",
    "unit",
    "kabupaten",
    "nama_sop",
    "sumber_sop",
    "nomor_pengaduan",
    "nomor_surat",
    "tempat_surat",
    "tanggal_surat",
    "desa",
    "tanggal_diterima",
    "saluran",
    "kategori",
    "urgensi",
    "tahap",
    "nama_pelapor",
    "alamat_pelapor",
    "no_hp_pelapor",
    "rahasia",
    "isi_pengaduan",
    "isi_ringkas",
    "disposisi_kepada",
    "tanggal_disposisi",
    "catatan_disposisi",
    "pejabat",
    "hasil_tindak_lanjut",
    "jenis_penyelesaian",
    "uraian_penyelesaian",
    "no_berita_acara",
    "rapat_tanggal",
    "rapat_jam",
    "rapat_tempat",
    "rapat_peserta",
    "rapat_peserta_teks",
    "rapat_ringkasan",
    "rapat_keputusan",
    "paraf",
    "kepala",
    "petugas",
    "cara_lacak",
)
