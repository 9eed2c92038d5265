"""Answer templates (issue 16.4): canned answers to a complainant with placeholders, declared per
profile (``[[answer_templates]]`` in ``profiles/*.toml``) and per category.

``{nomor}``-style placeholders (the names in ``PLACEHOLDERS``) are replaced in ONE pass by
``fill``: a value — typed by someone, e.g. a ``{tanggal}`` in a complainant's text — is inserted
as it is and never read again as template syntax. ``{{`` and ``}}`` write a literal brace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Placeholder -> what it is filled with (shown in the profile loader's messages and the README).
PLACEHOLDERS: dict[str, str] = {
    "nomor": "Nomor pengaduan",
    "tanggal_diterima": "tanggal pengaduan diterima (26 Juli 2023)",
    "tanggal": "tanggal hari ini",
    "desa": "desa pengaduan",
    "unit": "nama unit (desa, kecamatan atau dinas)",
    "kategori": "kategori pengaduan",
    "saluran": "saluran pengaduan",
    "pejabat": "pejabat yang menangani (Disposisi kepada)",
    "kepala": "jabatan penanda tangan (Kepala Desa, Camat, Kepala Dinas)",
    "jenis_penyelesaian": "jenis penyelesaian (output)",
    "uraian_penyelesaian": "uraian jenis penyelesaian dari profil",
    "petugas": "nama petugas yang menjawab",
}

# What ``services.answers`` writes for a value the record lacks (no outcome chosen yet, ...):
# a blank the petugas replaces by hand like the templates' own, so a save still holding one is
# refused too (the complainant must never read "[jenis penyelesaian belum ditetapkan]").
VALUE_NOTES: dict[str, str] = {
    "nomor": "[Nomor]",
    "tanggal_diterima": "[tanggal diterima]",
    "desa": "[desa]",
    "kategori": "[kategori]",
    "saluran": "[saluran]",
    "pejabat": "[pejabat yang menangani]",
    "jenis_penyelesaian": "[jenis penyelesaian belum ditetapkan]",
    "uraian_penyelesaian": "[uraian penyelesaian]",
    "petugas": "[petugas]",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
# A blank the petugas must replace by hand: ``[tanggal]``, ``[instansi yang berwenang]``.
_BLANK = re.compile(r"\[[^\[\]\n]{1,80}\]")


@dataclass(frozen=True)
class AnswerTemplate:
    """One canned answer: ``categories`` are category keys (empty = every category)."""

    key: str
    label: str
    text: str
    categories: tuple[str, ...] = ()

    def fits(self, category_key: str | None) -> bool:
        return not self.categories or category_key in self.categories


def template_problems(text: str) -> list[str]:
    """What is wrong with a template's text: unknown placeholders (by name) and stray braces."""
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            problems.append(
                f"kurung kurawal '{token}' tanpa pasangan (tulis {{{{ atau }}}} untuk kurung kurawal biasa)"
            )
        elif name not in PLACEHOLDERS:
            problems.append(
                f"isian {{{name}}} tidak dikenal (yang tersedia: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})"
            )
    return problems


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by ``values[name]`` in one pass (values are never
    scanned again); ``{{``/``}}`` -> a brace. A name without a value stays as written."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name is not None and name in values:
            return values[name]
        return token

    return _TOKEN.sub(replace, text)


def placeholders(text: str) -> list[str]:
    """The known placeholders ``text`` uses (``{jenis_penyelesaian}`` -> ``jenis_penyelesaian``),
    each once, in order."""
    names = (m.group(1) for m in _TOKEN.finditer(text) if m.group(1) in PLACEHOLDERS)
    return list(dict.fromkeys(name for name in names if name))


def template_blanks(templates: Iterable[AnswerTemplate]) -> frozenset[str]:
    """The bracketed blanks (``[tanggal]``, ``[pelaksana]``) the templates' texts leave for the
    petugas to fill in by hand, and the notes (``VALUE_NOTES``) their placeholders get for a value
    the record lacks."""
    found = [
        blank
        for template in templates
        for blank in (
            *_BLANK.findall(template.text),
            *(VALUE_NOTES[name] for name in placeholders(template.text) if name in VALUE_NOTES),
        )
    ]
    return frozenset(found)


def follow_choices(current: str, last_fill: str, new_fill: str) -> tuple[str, bool]:
    """The answer field once the form's choices (Jenis penyelesaian, Disposisi kepada) changed a
    picked template's filled text from ``last_fill`` to ``new_fill``: the new fill when the field
    still holds ``last_fill`` (not edited by hand), else ``current`` kept and ``True`` (the petugas
    edited it: tell them the template's values changed instead of overwriting their text)."""
    if current == last_fill or not current.strip():
        return new_fill, False
    return current, True


def unfilled_blanks(answer: str, templates: Iterable[AnswerTemplate]) -> list[str]:
    """The templates' blanks still in ``answer``, each once, in the answer's order. Only the blanks
    of the templates count: other brackets a petugas types (``[foto terlampir]``) are not blanks."""
    blanks = template_blanks(templates)
    found = [blank for blank in _BLANK.findall(answer) if blank in blanks]
    return list(dict.fromkeys(found))
