"""Register's complaint picker and the details under it always show the same complaint, also after
the search or filters change the list (browser review: the box kept an old Nomor that was no longer
among its options while the details showed another complaint)."""

from __future__ import annotations

import openpyxl

from dashboard.access import Viewer
from tests.app_helpers import run_page
from tests.complaint_helpers import PETUGAS

REGISTER = "app_pages/register.py"
ADMIN = Viewer("Admin", "admin", ())


def details_nomor(at) -> str:
    fields = at.dataframe[1].value
    return str(fields.set_index(fields.columns[0]).loc["Nomor"].iloc[0])


def displayed(at, before: str) -> str:
    """What the browser shows in the picker: the value the server sends, or (when it sends none)
    the label the browser already showed."""
    proto = at.selectbox(key="reg_pilih").proto
    return proto.raw_value if proto.set_value else before


def test_picker_and_details_agree_after_filtering(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page(REGISTER, session={"viewer": PETUGAS}, timeout=120)
    assert not at.exception, at.exception
    picker = at.selectbox(key="reg_pilih")
    shown = picker.options[picker.index]
    assert shown == details_nomor(at)
    at.text_input(key="reg_cari").input("jalan")
    at.checkbox(key="reg_terlambat").check().run()
    assert not at.exception, at.exception
    options = at.selectbox(key="reg_pilih").options
    assert shown not in options, "the scenario needs the old Nomor to drop out of the list"
    now_shown = displayed(at, shown)
    assert now_shown in options
    assert now_shown == details_nomor(at)


def test_a_table_row_click_moves_the_picker_and_the_details(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page(REGISTER, session={"viewer": PETUGAS}, timeout=120)
    third = str(at.dataframe[0].value.iloc[2, 0])
    at.session_state["reg_tabel"] = {"selection": {"rows": [2], "columns": []}}
    at.run()
    assert not at.exception, at.exception
    assert details_nomor(at) == third
    picker = at.selectbox(key="reg_pilih")
    assert displayed(at, picker.options[0]) == third
    # picking another complaint in the box afterwards wins over the (still selected) table row
    other = picker.options[5]
    picker.set_value(other).run()
    assert details_nomor(at) == other


def test_empty_vocabulary_cells_show_empty(demo_register_path, register_env, tmp_path):
    """A complaint saved with Urgensi (or Kategori) cleared shows an empty cell, not a grey "None"."""
    workbook = openpyxl.load_workbook(demo_register_path)
    sheet = workbook["Register"]
    header = [c.value for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2, max_row=60):
        cells[header.index("Urgensi")].value = None
        cells[header.index("Kategori")].value = None
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    register_env(path)
    at = run_page(REGISTER, session={"viewer": ADMIN}, timeout=120)
    assert not at.exception, at.exception
    at.text_input(key="reg_cari").input(str(sheet.cell(row=2, column=1).value)).run()
    table = at.dataframe[0].value
    assert len(table) >= 1
    for column in ("Urgensi", "Kategori", "Tahap", "Desa", "Pelapor", "Status"):
        cells = table[column].tolist()
        assert all(isinstance(v, str) for v in cells), (column, cells)
    assert "" in table["Urgensi"].tolist()
    fields = dict(at.dataframe[1].value.values.tolist())
    assert fields["Urgensi"] in ("", "–"), fields["Urgensi"]


def test_filters_offer_no_english_select_all(demo_register_path, register_env):
    """Streamlit's "Select all" has no label to translate; an empty filter already means all, so
    the Register filters do not offer it (it showed in English on the Indonesian page)."""
    register_env(demo_register_path)
    at = run_page(REGISTER, session={"viewer": ADMIN}, timeout=120)
    assert not at.exception, at.exception
    for key in ("reg_desa", "reg_tahap", "reg_status"):
        assert at.multiselect(key=key).proto.select_all == 0, key
