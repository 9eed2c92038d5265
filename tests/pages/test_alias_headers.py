"""Issue 12.13: with the documented alias headers (``Nama Pengadu``, ``Alamat Pelapor``, ``Telepon``)
every page a masked role opens shows no reporter name, address or phone number, the Register's
*Riwayat perubahan* included (it used to compare the raw header, not the canonical column)."""

from __future__ import annotations

import re

import openpyxl
import pytest

from dashboard.navigation import PAGES
from metrics.columns import AUDIT_SHEET
from tests.pages.test_access_matrix import NAME, PHONE, _app, _denied, rendered_text

ADDRESS = re.compile(r"RT \d{2}/RW \d{2}")  # how the demo writes a reporter's address
ALIASES = {"Nama Pelapor": "Nama Pengadu", "Alamat": "Alamat Pelapor", "No. HP": "Telepon"}


@pytest.fixture(scope="module")
def alias_register(demo_register_path, tmp_path_factory):
    """The demo register with the alias headers, in the sheet and in Riwayat's column names."""
    workbook = openpyxl.load_workbook(demo_register_path)
    sheet = workbook["Register"]
    for cell in sheet[1]:
        cell.value = ALIASES.get(cell.value, cell.value)
    if AUDIT_SHEET in workbook.sheetnames:
        for row in workbook[AUDIT_SHEET].iter_rows(min_row=2):
            if len(row) > 2 and row[2].value in ALIASES:
                row[2].value = ALIASES[row[2].value]
    path = tmp_path_factory.mktemp("alias") / "register_alias.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("role", ["kecamatan", "kepala_desa"])
def test_masked_roles_see_no_personal_data_on_any_page_with_alias_headers(role, alias_register, register_env):
    register_env(alias_register)
    problems: list[str] = []
    for spec in PAGES:
        if role not in spec.roles:
            continue
        at = _app(role)
        at.run()
        at.switch_page(spec.path).run()
        if at.exception:
            problems.append(f"{spec.url}: exception {at.exception[0].message}")
            continue
        if _denied(at):
            problems.append(f"{spec.url}: refused a role it is listed for")
        text = rendered_text(at)
        if found := PHONE.search(text):
            problems.append(f"{spec.url}: phone number {found.group()!r} shown to {role}")
        if found := NAME.search(text):
            problems.append(f"{spec.url}: reporter name {found.group()!r} shown to {role}")
        if found := ADDRESS.search(text):
            problems.append(f"{spec.url}: address {found.group()!r} shown to {role}")
    assert not problems, "\n".join(problems)
