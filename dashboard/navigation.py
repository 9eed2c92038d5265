"""The app's pages, in menu order. Pages are files in ``app_pages/``; each is listed once here."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import t


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under app_pages/
    url: str  # url path
    title_id: str
    title_en: str
    icon: str
    group_id: str = "Pemantauan"
    group_en: str = "Monitoring"
    # Roles that see this page in the menu (dashboard.access.ROLES). Pages re-check access
    # themselves: the menu only hides, it does not protect.
    roles: tuple[str, ...] = ("admin", "kecamatan", "kepala_desa", "petugas")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/ringkasan.py", "ringkasan", "Ringkasan", "Overview", ":material/dashboard:"),
    PageSpec(
        "app_pages/pemantauan_sla.py", "pemantauan-sla", "Pemantauan SLA", "SLA monitor", ":material/timer:"
    ),
    PageSpec(
        "app_pages/statistik_bulanan.py",
        "statistik-bulanan",
        "Statistik Bulanan",
        "Monthly statistics",
        ":material/calendar_month:",
        group_id="Laporan",
        group_en="Reports",
        roles=("admin", "kecamatan", "kepala_desa", "petugas"),
    ),
    PageSpec(
        "app_pages/perbandingan_desa.py",
        "perbandingan-desa",
        "Perbandingan Desa",
        "Village comparison",
        ":material/leaderboard:",
        group_id="Laporan",
        group_en="Reports",
        roles=("admin", "kecamatan"),  # a desa role sees one desa only: nothing to compare
    ),
    PageSpec(
        "app_pages/perbandingan_kecamatan.py",
        "perbandingan-kecamatan",
        "Perbandingan Kecamatan",
        "Sub-district comparison",
        ":material/account_tree:",
        group_id="Laporan",
        group_en="Reports",
        roles=("admin", "kabupaten"),
    ),
    PageSpec(
        "app_pages/kualitas_data.py",
        "kualitas-data",
        "Kualitas Data",
        "Data quality",
        ":material/fact_check:",
        group_id="Pengelolaan",
        group_en="Handling",
        roles=("admin", "kecamatan", "kepala_desa", "petugas"),
    ),
    PageSpec(
        "app_pages/register.py",
        "register",
        "Register",
        "Register",
        ":material/table_rows:",
        group_id="Pengelolaan",
        group_en="Handling",
        roles=("admin", "kecamatan", "kepala_desa", "petugas"),
    ),
    PageSpec(
        "app_pages/catat_pengaduan.py",
        "catat",
        "Catat Pengaduan Baru",
        "Record a new complaint",
        ":material/add_comment:",
        group_id="Pengelolaan",
        group_en="Handling",
        roles=("admin", "petugas"),
    ),
    PageSpec(
        "app_pages/perbarui_pengaduan.py",
        "perbarui",
        "Perbarui Pengaduan",
        "Update a complaint",
        ":material/edit_note:",
        group_id="Pengelolaan",
        group_en="Handling",
        roles=("admin", "petugas"),
    ),
    PageSpec(
        "app_pages/lacak_pengaduan.py",
        "lacak",
        "Lacak Pengaduan",
        "Track a complaint",
        ":material/search:",
        group_id="Publik",
        group_en="Public",
        roles=("public", "admin", "kabupaten", "kecamatan", "kepala_desa", "petugas"),
    ),
    PageSpec(
        "app_pages/masuk.py",
        "masuk",
        "Masuk / Akun",
        "Log in / Account",
        ":material/login:",
        group_id="Akun",
        group_en="Account",
        roles=("public", "admin", "kabupaten", "kecamatan", "kepala_desa", "petugas"),
    ),
    PageSpec(
        "app_pages/siapkan_sheet.py",
        "siapkan-sheet",
        "Siapkan Google Sheet",
        "Prepare the Google Sheet",
        ":material/table_chart:",
        group_id="Pengaturan",
        group_en="Settings",
        roles=("admin",),
    ),
    PageSpec(
        "app_pages/notifikasi.py",
        "notifikasi",
        "Notifikasi",
        "Notifications",
        ":material/notifications:",
        "Pengaturan",
        "Settings",
        ("admin",),
    ),
    # S1 (issue 16.1): the public complaint form; shown only with [pantau] public_intake
    PageSpec(
        "app_pages/sampaikan_pengaduan.py",
        "sampaikan",
        "Sampaikan Pengaduan",
        "File a complaint",
        ":material/campaign:",
        group_id="Publik",
        group_en="Public",
        roles=("public", "admin", "kabupaten", "kecamatan", "kepala_desa", "petugas"),
    ),
    PageSpec(
        "app_pages/laporan_kabupaten.py",
        "laporan-kabupaten",
        "Laporan Bulanan Kabupaten",
        "Kabupaten monthly report",
        ":material/summarize:",
        "Laporan",
        "Reports",
        ("admin", "kabupaten"),
    ),
    PageSpec(
        "app_pages/sinkronisasi.py",
        "sinkronisasi",
        "Sinkronisasi Desa",
        "Village sync",
        ":material/sync:",
        "Pengaturan",
        "Settings",
        ("admin",),
    ),
    PageSpec(
        "app_pages/antrean_saya.py",
        "antrean-saya",
        "Antrean Saya",
        "My queue",
        ":material/checklist:",
        group_id="Pengelolaan",
        group_en="Handling",
        roles=("admin", "petugas"),
    ),
)
# The page a role lands on (default: the first page it may see): the petugas's working day
# starts with their queue.
LANDING_PAGES: dict[str, str] = {"petugas": "antrean-saya"}

# Pages the public also sees when ``[pantau] public_overview`` is on (aggregate figures only;
# the page itself calls ``require(public_overview=True)``).
PUBLIC_OVERVIEW_PAGES = ("ringkasan",)
# Pages shown (to everyone) only when ``[pantau] public_intake`` is on.
PUBLIC_INTAKE_PAGES = ("sampaikan",)


def page_roles(url: str) -> tuple[str, ...]:
    """The roles a page admits: its ``PageSpec.roles`` (the menu and the page's own check read the
    same list, so a page reached by its URL refuses exactly the roles its menu leaves out)."""
    for spec in PAGES:
        if spec.url == url:
            return spec.roles
    raise KeyError(f"no page with url {url!r}")


def pages_for(
    role: str,
    public_overview: bool = False,
    pages: tuple[PageSpec, ...] | None = None,
    *,
    public_intake: bool = False,
) -> tuple[PageSpec, ...]:
    """The pages the menu shows to a role, its landing page (``LANDING_PAGES``) first."""
    shown = tuple(
        spec
        for spec in (PAGES if pages is None else pages)
        if (
            role in spec.roles or (role == "public" and public_overview and spec.url in PUBLIC_OVERVIEW_PAGES)
        )
        and (public_intake or spec.url not in PUBLIC_INTAKE_PAGES)
    )
    landing = LANDING_PAGES.get(role)
    return tuple(sorted(shown, key=lambda spec: spec.url != landing))


def build_navigation(allowed: tuple[PageSpec, ...] = PAGES) -> tuple[st.navigation, PageSpec]:
    """``st.navigation`` with the ``allowed`` pages in the menu, grouped, the first as default.
    Returns the page to run and its spec.

    Every other page is registered too, hidden from the menu: a link or bookmark to it then runs
    the page, whose own ``require()`` asks for a login (an unregistered URL would get Streamlit's
    English "Page not found" dialog and the start page instead)."""
    groups: dict[str, list] = {}
    specs: dict[int, PageSpec] = {}
    default = allowed[0] if allowed else PAGES[0]
    for spec in PAGES:
        visible = spec in allowed
        page = st.Page(
            spec.path,
            title=t(spec.title_id, spec.title_en),
            icon=spec.icon,
            url_path=spec.url,
            default=spec == default,
            visibility="visible" if visible else "hidden",
        )
        specs[id(page)] = spec
        groups.setdefault(t(spec.group_id, spec.group_en), []).append(page)
    chosen = st.navigation(groups, expanded=True)  # no "View N more" / "View less" (English-only)
    return chosen, specs.get(id(chosen), default)
