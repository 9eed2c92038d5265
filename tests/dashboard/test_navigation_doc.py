"""docs/LOGIN.md's role table says what dashboard/navigation.py's ``PageSpec.roles`` does (a tester
read it as kepala desa getting Perbandingan Desa, which the app hides from a desa role)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.navigation import PAGES, pages_for

LOGIN = Path(__file__).resolve().parents[2] / "docs" / "LOGIN.md"


def role_table() -> tuple[list[str], dict[str, list[str]]]:
    """The roles (column heads) and, per page title (several in one row: "; "), its cells."""
    section = LOGIN.read_text(encoding="utf-8").split("## Peran / Roles", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|") and not line.startswith("| ---")
    ]
    head, *body = rows
    pages = {title.strip(): cells[1:] for cells in body for title in cells[0].split("; ")}
    return head[1:], pages


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url)
def test_the_role_table_matches_the_menu(spec) -> None:
    roles, pages = role_table()
    assert spec.title_id in pages, f"{spec.title_id} missing from the role table in docs/LOGIN.md"
    for role, cell in zip(roles, pages[spec.title_id], strict=True):
        # "only if public_overview / public_intake" cells: shown with the setting on
        shown = spec in pages_for(role, public_overview=True, public_intake=True)
        assert (not cell.startswith("–")) == shown, (spec.title_id, role, cell)


def test_kepala_desa_has_no_village_comparison() -> None:
    roles, pages = role_table()
    assert pages["Perbandingan Desa"][roles.index("kepala_desa")].startswith("–")
