"""The Nomor of a new complaint: the profile's ``nomor_format``, the next sequence, desa codes
(rules in ``metrics.complaint_updates``)."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from metrics.errors import PantauError
from metrics.form_input import clean_input
from metrics.profiles import Profile

# --------------------------------------------------------------------------------------------
# Nomor


def _format_fields(fmt: str) -> list[tuple[str, str | None, str]]:
    """``(literal, field, spec)`` parts of a format string; raises PantauError when unreadable."""
    try:
        return [(lit, name, spec or "") for lit, name, spec, _conv in string.Formatter().parse(fmt)]
    except ValueError as error:
        raise PantauError(f"Format nomor '{fmt}' tidak dapat dibaca: {error}") from error


def _field_values(profile: Profile, when: dt.datetime, desa_code: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {"tahun": when.year, "bulan": when.month}
    code = clean_input(desa_code).upper()
    if code:
        values["desa"] = values["kode_desa"] = code
    return values


def nomor_pattern(profile: Profile, when: dt.datetime, desa_code: str | None = None) -> re.Pattern[str]:
    """A regex matching the numbers of ``when``'s period, the sequence as group ``urut``.

    Numbers typed by hand are matched leniently: case, outer blanks and leading zeros ignored.
    """
    fields = _field_values(profile, when, desa_code)
    parts: list[str] = []
    has_urut = False
    for literal, name, _spec in _format_fields(profile.nomor_format):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name == "urut":
            if has_urut:
                parts.append(r"0*(?P=urut)")
            else:
                parts.append(r"(?P<urut>\d{1,12})")
            has_urut = True
        elif name in ("tahun", "bulan"):
            parts.append(rf"0*{int(fields[name])}")
        elif name in ("desa", "kode_desa"):
            if name not in fields:
                raise PantauError(
                    f"Format nomor '{profile.nomor_format}' memerlukan kode desa, tetapi kode desa tidak diketahui."
                )
            parts.append(re.escape(fields[name]))
        else:
            raise PantauError(
                f"Format nomor '{profile.nomor_format}' memakai kolom '{{{name}}}' yang tidak dikenal: "
                "gunakan {tahun}, {bulan}, {urut}, {desa} atau {kode_desa}."
            )
    if not has_urut:
        raise PantauError(
            f"Format nomor '{profile.nomor_format}' tidak memuat {{urut}}, sehingga nomor baru tidak bisa dibuat unik."
        )
    return re.compile(r"\s*" + "".join(parts) + r"\s*", re.IGNORECASE)


def next_nomor(
    existing_keys: Iterable[object], profile: Profile, when: dt.datetime, desa_code: str | None = None
) -> str:
    """The next free Nomor of ``when``'s period (see module doc); ``existing_keys`` may hold junk."""
    pattern = nomor_pattern(profile, when, desa_code)
    used = 0
    taken: set[str] = set()
    for key in existing_keys:
        text = clean_input(key) if isinstance(key, str) else ""
        if not text:
            continue
        taken.add(text.upper())
        match = pattern.fullmatch(text)
        if match:
            used = max(used, int(match.group("urut")))
    values = _field_values(profile, when, desa_code)
    sequence = used + 1
    while True:  # only loops if a number of this period was typed in an unexpected spelling
        nomor = profile.nomor_format.format(urut=sequence, **values)
        if nomor.upper() not in taken:
            return nomor
        sequence += 1


def desa_code(desa: str, nomors_of_desa: Iterable[object] = ()) -> str:
    """The short code of a desa for ``{kode_desa}``: the letter prefix its numbers already use
    (``SKM/2024/03/0001`` -> ``SKM``), else the first letter and the next consonants of its name
    (``Sukamaju`` -> ``SKM``)."""
    prefixes = Counter(
        m.group(1).upper()
        for n in nomors_of_desa
        if isinstance(n, str) and (m := re.match(r"\s*([A-Za-z]{2,6})[/\-.]", n))
    )
    if prefixes:
        return prefixes.most_common(1)[0][0]
    letters = re.sub(r"[^A-Za-z]", "", desa).upper()
    if not letters:
        return "DS"
    consonants = [c for c in letters[1:] if c not in "AEIOU"]
    return (letters[0] + "".join(consonants))[:3].ljust(3, "X")


def berita_acara_number(
    existing: Iterable[object],
    profile: Profile,
    when: dt.datetime,
    desa: str = "",
    nomors_of_desa: Iterable[object] = (),
) -> str:
    """The next free berita acara number of ``when``'s year: the profile's ``berita_acara_format``
    (fields as ``nomor_format``), the next free sequence among ``existing`` numbers of that year
    (and the desa's code when the format has one, see :func:`desa_code`) — unique per year and
    unit. The Dokumen feature (services.documents.meeting) and the demo register number with it."""
    fmt = profile.berita_acara_format
    if not fmt:
        raise PantauError(f"Profil '{profile.id}' tidak punya berita_acara_format (penomoran berita acara).")
    code = desa_code(desa, list(nomors_of_desa)) if ("{desa" in fmt or "{kode_desa" in fmt) else None
    # the same numbering rules as the complaint Nomor, with the berita acara's own format
    return next_nomor(existing, replace(profile, nomor_format=fmt), when, code)
