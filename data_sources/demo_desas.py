"""The demo register's desas, kecamatan and kabupaten names (``data_sources.demo`` writes the
register): the settings default to them, and every page imports the settings, so this module must
not import the workbook writer (openpyxl, numpy)."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_KECAMATAN = "Sukamaju"
DEMO_KABUPATEN = "Kabupaten Contoh"


@dataclass(frozen=True)
class DemoDesa:
    name: str
    code: str
    weight: float  # share of complaints
    speed: float  # multiplier on handling times (1 = typical, >1 slower)
    late_rate: float  # chance a complaint gets stuck past its standards


DEMO_DESAS: tuple[DemoDesa, ...] = (
    # Tuned with metrics.sla (stage standards and overall deadlines both count): about 10% of the
    # complaints late, 5% open, the slow desas (Tegalwangi, Margamulya) around 20% late.
    DemoDesa("Sukamaju", "SKM", 1.4, 0.7, 0.015),
    DemoDesa("Mekarsari", "MKS", 1.1, 0.8, 0.025),
    DemoDesa("Cibodas", "CBD", 0.9, 0.9, 0.035),
    DemoDesa("Karangsari", "KRS", 1.0, 1.0, 0.04),
    DemoDesa("Tegalwangi", "TGW", 0.8, 1.15, 0.07),
    DemoDesa("Sindangsari", "SDS", 0.7, 0.95, 0.04),
    DemoDesa("Margamulya", "MGM", 0.6, 1.3, 0.09),
)
