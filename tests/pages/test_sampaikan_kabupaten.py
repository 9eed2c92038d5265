"""Sampaikan Pengaduan on a synced kabupaten (AppTest over the Sheets fake, logged out): the desa
list covers every synced desa, and a complaint for a desa on another SOP profile than
``[pantau] sop`` is written once to that desa's own spreadsheet, numbered by its own register."""

from __future__ import annotations

from tests.fakes.kabupaten import SETTLED_PHONE
from tests.pages.test_lacak_kabupaten import kabupaten, lacak  # noqa: F401  (the fixture)
from tests.pages.test_sampaikan_pengaduan import PAGE, fill, nomor_of, send


def sampaikan(secrets: dict):
    at = lacak({**secrets, "pantau": {**secrets["pantau"], "public_intake": True}}, PAGE)
    return at


def test_the_public_files_a_complaint_for_a_desa_on_another_profile(kabupaten) -> None:  # noqa: F811
    server, (a, b), secrets = kabupaten
    at = sampaikan(secrets)
    assert at.selectbox(key="sampaikan_f_desa").options == ["Desa 001", "Desa 002"]
    a_before = server.values(a.spreadsheet_id, "Register")
    at = send(fill(at, desa="Desa 002"))
    nomor = nomor_of(at)
    rows = [[str(c) for c in r] for r in server.values(b.spreadsheet_id, "Register") if any(r)]
    assert len(rows) == 1 + 2 and rows[-1][0] == nomor and rows[-1][1] == "Desa 002"
    assert nomor != "B-0001"
    assert server.values(a.spreadsheet_id, "Register") == a_before  # the app's own spreadsheet untouched
    riwayat = [[str(c) for c in r] for r in server.values(b.spreadsheet_id, "Riwayat") if any(r)]
    assert any(r[1] == nomor for r in riwayat)
    # a double click (same content, same session) is recognised: still one row
    at = send(at)
    assert len([r for r in server.values(b.spreadsheet_id, "Register") if any(r)]) == 1 + 2
    # and the resident finds it on Lacak at once (the store was refreshed)
    found = lacak(secrets)
    found.text_input(key="lacak_nomor").input(nomor)
    found.text_input(key="lacak_hp").input(SETTLED_PHONE[-4:])
    next(x for x in found.button if x.label == "Lacak").click().run()
    assert f"Pengaduan {nomor}" in [s.value.replace("\\", "") for s in found.subheader]
