"""Kop surat and signatories of a unit (desa, kecamatan, dinas), from the profile and settings.

- desa: ``PEMERINTAH DESA <desa>`` / ``KECAMATAN <kecamatan>`` / ``KABUPATEN <kabupaten>`` (the
  complaint's desa: one register may serve several desas of a kecamatan);
- kecamatan: ``PEMERINTAH KABUPATEN <kabupaten>`` / ``KANTOR CAMAT <unit>`` (Selemadeg Timur's SOP);
- dinas: ``PEMERINTAH KABUPATEN <kabupaten>`` / ``<DINAS …>`` (Kutai Kartanegara's SOP) — never
  the complaint's desa.

The profile's kabupaten wins over the settings' (the SOP names its own); the settings' is used
when the profile leaves it empty (``umum``). Names and NIPs of signatories come from
``[laporan.penandatangan.<desa or unit>]`` (the setting the monthly report already uses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from metrics.profiles import Profile


@dataclass(frozen=True)
class Signatory:
    place: str  # "<place>, <date>" above the signature
    jabatan: str  # "Kepala Desa Cibodas", "Camat Selemadeg Timur", "Kepala Dinas …"
    nama: str  # blank: signed by hand
    nip: str
    # a civil servant's NIP line (dotted when not set); kepala desa and perangkat desa are not
    # civil servants (PNS) and have no NIP: their line is printed only when a NIP is set
    nip_applies: bool = True

    @property
    def nip_line(self) -> str:
        """``NIP. …`` as printed under the name; "" for a desa signer without a NIP."""
        if self.nip:
            return f"NIP. {self.nip}"
        return "NIP. ...................................." if self.nip_applies else ""


def _kabupaten_line(kabupaten: str) -> str:
    kab = " ".join(kabupaten.split()).upper()
    if not kab:
        return ""
    return kab if kab.startswith(("KABUPATEN", "KOTA")) else f"KABUPATEN {kab}"


def kabupaten_of(profile: Profile, kabupaten: str = "") -> str:
    return (profile.kabupaten or kabupaten or "").strip()


def unit_display_name(profile: Profile, desa: str = "") -> str:
    """The office's name as in a sentence: ``Desa Cipari``, ``Kecamatan Selemadeg Timur``, ``Dinas …``."""
    if profile.unit == "desa":
        return f"Desa {(desa or profile.unit_name).strip()}"
    if profile.unit == "kecamatan":
        return f"Kecamatan {profile.unit_name}"
    return profile.unit_name


def letterhead_lines(profile: Profile, desa: str = "", kecamatan: str = "", kabupaten: str = "") -> list[str]:
    """The kop surat's heading lines (upper case) for the profile's unit kind."""
    kab = _kabupaten_line(kabupaten_of(profile, kabupaten))
    if profile.unit == "desa":
        name = " ".join((desa or profile.unit_name).split())
        lines = [f"PEMERINTAH DESA {name}".upper()]
        if kecamatan.strip():
            lines.append(f"KECAMATAN {kecamatan.strip()}".upper())
        return [*lines, kab] if kab else lines
    office = f"KANTOR CAMAT {profile.unit_name}" if profile.unit == "kecamatan" else profile.unit_name
    head = [f"PEMERINTAH {kab}"] if kab else []
    return [*head, office.upper()]


def head_title(profile: Profile, desa: str = "") -> str:
    """The unit's head, who signs letters: ``Kepala Desa X``, ``Camat X``, ``Kepala Dinas …``."""
    if profile.unit == "desa":
        return f"Kepala Desa {(desa or profile.unit_name).strip()}"
    if profile.unit == "kecamatan":
        return f"Camat {profile.unit_name}"
    name = profile.unit_name
    return f"Kepala {name}" if not name.lower().startswith("kepala") else name


def signatory_key(profile: Profile, desa: str = "") -> str:
    """Which ``[laporan.penandatangan.<key>]`` entry names the head: the desa, or the profile's unit."""
    return (desa or profile.unit_name) if profile.unit == "desa" else profile.unit_name


def head_signatory(
    secrets: Mapping[str, Any], profile: Profile, desa: str = "", place: str = ""
) -> Signatory:
    """The head of the unit as a signatory, name and NIP from the settings (blank to sign by hand)."""
    laporan = secrets.get("laporan", {}) if hasattr(secrets, "get") else {}
    people = laporan.get("penandatangan", {}) if hasattr(laporan, "get") else {}
    person = people.get(signatory_key(profile, desa), {}) if hasattr(people, "get") else {}
    if not hasattr(person, "get"):
        person = {}
    default_place = (desa or profile.unit_name) if profile.unit == "desa" else kabupaten_of(profile)
    return Signatory(
        place=place or default_place or profile.unit_name,
        jabatan=str(person.get("jabatan") or head_title(profile, desa)),
        nama=str(person.get("nama") or ""),
        nip=str(person.get("nip") or ""),
        nip_applies=profile.unit != "desa",
    )
