"""Time standards as the SOPs write them: ``30 menit``, ``1 jam``, ``2 hari``, ``5 hari kerja``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from metrics.errors import PantauError
from metrics.text import Text

DurationUnit = Literal["menit", "jam", "hari_kerja", "hari"]

# Spellings seen in SOPs and typed by people, mapped to the unit they mean.
_UNIT_WORDS: dict[str, DurationUnit] = {
    "menit": "menit",
    "mnt": "menit",
    "minute": "menit",
    "minutes": "menit",
    "jam": "jam",
    "hour": "jam",
    "hours": "jam",
    "hari kerja": "hari_kerja",
    "hk": "hari_kerja",
    "working day": "hari_kerja",
    "working days": "hari_kerja",
    "hari": "hari",
    "hari kalender": "hari",
    "day": "hari",
    "days": "hari",
}

_DURATION_RE = re.compile(r"^\s*(\d+)\s*([a-zA-Z ]+?)\s*$")


@dataclass(frozen=True)
class Duration:
    """An amount of time in one of the units the SOPs use.

    ``menit`` and ``jam`` count office hours only; ``hari_kerja`` counts working
    days; ``hari`` counts calendar days.
    """

    amount: int
    unit: DurationUnit

    def __str__(self) -> str:
        word = "hari kerja" if self.unit == "hari_kerja" else self.unit
        return f"{self.amount} {word}"

    @property
    def text(self) -> Text:
        """``5 hari kerja`` with its English (``5 working days``)."""
        english = {"menit": "minute", "jam": "hour", "hari": "day", "hari_kerja": "working day"}[self.unit]
        return Text(str(self), f"{self.amount} {english}{'' if self.amount == 1 else 's'}")

    @property
    def is_office_time(self) -> bool:
        return self.unit in ("menit", "jam")

    @property
    def minutes(self) -> int:
        """Length in office minutes (menit/jam only)."""
        if self.unit == "menit":
            return self.amount
        if self.unit == "jam":
            return self.amount * 60
        raise ValueError(f"{self} is not counted in office minutes")


def parse_duration(text: str) -> Duration:
    """Parse ``"5 hari kerja"`` into ``Duration(5, "hari_kerja")``; raise PantauError naming the problem."""
    match = _DURATION_RE.match(str(text))
    if not match:
        raise PantauError(
            f"Standar waktu '{text}' tidak dapat dibaca: tulis angka lalu satuan, "
            "misalnya '30 menit', '1 jam', '2 hari' atau '5 hari kerja'."
        )
    amount = int(match.group(1))
    word = " ".join(match.group(2).lower().split())
    unit = _UNIT_WORDS.get(word)
    if unit is None:
        raise PantauError(
            f"Satuan waktu '{match.group(2).strip()}' pada '{text}' tidak dikenal: "
            "gunakan menit, jam, hari kerja atau hari."
        )
    if amount <= 0:
        raise PantauError(f"Standar waktu '{text}' harus lebih dari nol.")
    return Duration(amount, unit)
