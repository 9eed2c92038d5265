"""Perbarui Pengaduan: a petugas pauses a complaint while the file is incomplete (Menunggu
kelengkapan) and resumes it when the file is complete — audited like any update, refusals
named by field (dashboard/pause_views.py inside the Perbarui form)."""

from __future__ import annotations

import datetime as dt

from tests.pages.test_complaint_forms import (  # noqa: F401  (register_path is a fixture)
    button,
    open_in_perbarui,
    record_one,
    register_path,
    rows_of,
    widget,
)


def pause_key(nomor: str, name: str) -> str:
    return f"{widget(nomor, 'jeda')}|{name}"


def test_petugas_pauses_and_resumes_a_complaint(register_path):  # noqa: F811
    nomor = record_one(register_path)
    at = open_in_perbarui(nomor)
    at.checkbox(key=pause_key(nomor, "jeda")).check().run()
    assert not at.exception, at.exception
    start_day = at.date_input(key=pause_key(nomor, "jeda_tanggal")).value
    button(at, "Simpan perubahan").click().run()
    assert not at.exception, at.exception
    assert any(f"Pengaduan {nomor} diperbarui" in s.value for s in at.success), [e.value for e in at.error]
    rows, audit = rows_of(register_path)
    started = dt.datetime.strptime(rows[nomor]["Mulai Menunggu Kelengkapan"].value, "%d/%m/%Y %H:%M")
    assert started.date() == start_day
    assert [r[2] for r in audit if r[1] == nomor and r[2] == "Mulai Menunggu Kelengkapan"] == [
        "Mulai Menunggu Kelengkapan"
    ]

    # reopened: the form says since when it waits; a resume before the start is refused by name
    at = open_in_perbarui(nomor)
    assert any("Menunggu kelengkapan berkas sejak" in i.value for i in at.info)
    at.checkbox(key=pause_key(nomor, "lengkap")).check().run()
    at.date_input(key=pause_key(nomor, "jeda_tanggal")).set_value(started.date() - dt.timedelta(days=1)).run()
    button(at, "Simpan perubahan").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Berkas lengkap pada" in errors and "sebelum mulai menunggu" in errors
    assert not rows_of(register_path)[0][nomor]["Berkas Lengkap Pada"].value
    at.date_input(key=pause_key(nomor, "jeda_tanggal")).set_value(started.date()).run()
    at.time_input(key=pause_key(nomor, "jeda_jam")).set_value(started.time()).run()
    button(at, "Simpan perubahan").click().run()
    assert any(f"Pengaduan {nomor} diperbarui" in s.value for s in at.success), [e.value for e in at.error]
    assert rows_of(register_path)[0][nomor]["Berkas Lengkap Pada"].value == started.strftime("%d/%m/%Y %H:%M")

    # a third visit: one pause per complaint, nothing more to choose
    at = open_in_perbarui(nomor)
    assert any("satu pengaduan hanya dapat dijeda sekali" in c.value for c in at.caption)
    assert not [c for c in at.checkbox if c.key and c.key.startswith(widget(nomor, "jeda"))]
