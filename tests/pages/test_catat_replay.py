"""Catat Pengaduan: a submission recorded before whose row was deleted by hand is not written again;
the petugas is told its Nomor, and saving once more (a conscious choice) records a new complaint."""

from __future__ import annotations

import shutil

import openpyxl
import streamlit as st

from dashboard.complaint_forms import CATAT_SUBMISSION
from tests.app_helpers import run_page
from tests.complaint_helpers import PETUGAS, rows_of
from tests.pages.test_complaint_forms import CATAT, button, fill_new_complaint, recorded_nomor


def test_replay_of_a_deleted_complaint_is_named_and_not_rewritten(tmp_path, demo_register_path, register_env):
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    at = run_page(CATAT, session={"viewer": PETUGAS, CATAT_SUBMISSION: "kirim-ulang-1"})
    nomor = recorded_nomor(fill_new_complaint(at))
    workbook = openpyxl.load_workbook(path)  # a petugas deletes the new row by hand
    sheet = workbook["Register"]
    row = next(cells[0].row for cells in sheet.iter_rows(min_row=2) if cells[0].value == nomor)
    sheet.delete_rows(row)
    workbook.save(path)
    # the petugas reloads (*Muat ulang* / the cache's TTL): the register without the deleted row;
    # with the cached one, Catat would first ask whether it duplicates the row still cached
    st.cache_resource.clear()
    st.cache_data.clear()

    again = run_page(CATAT, session={"viewer": PETUGAS, CATAT_SUBMISSION: "kirim-ulang-1"})
    fill_new_complaint(again)
    assert not again.exception, again.exception
    errors = " ".join(e.value for e in again.error)
    assert nomor in errors and "tidak ditulis ulang" in errors
    rows, _audit = rows_of(path)
    assert nomor not in rows
    assert CATAT_SUBMISSION not in again.session_state  # the next Simpan is a new submission
    button(again, "Simpan pengaduan").click()
    again.run()
    second = recorded_nomor(again)  # a new submission: recorded (the sequence may give the freed Nomor)
    rows, audit = rows_of(path)
    assert second in rows
    assert sum(1 for r in audit if r[-1] == "kirim-ulang-1") >= 1  # the first submission's trail stays
