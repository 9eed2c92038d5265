"""Claims of different app servers are compared by their clocks: a server whose clock is off
Google's (the API's HTTP Date header) by more than LeasePolicy.max_clock_skew refuses to save,
naming the skew, before it writes anything."""

from __future__ import annotations

import re

import pytest

from data_sources.base import SourceError
from data_sources.gsheets import CONTROL_SHEET
from metrics.columns import AUDIT_HEADER, AUDIT_SHEET
from tests.data_sources.test_gsheets import audit, source_for, sukamaju
from tests.fakes.sheets_api import FakeSheetsServer


def _save(source):
    return source.update_row(
        "Sukamaju",
        "Nomor",
        "A-002",
        {"Tahap": ("diterima", "selesai")},
        [audit("A-002", "Tahap", "diterima", "selesai")],
        submission_id="s1",
    )


@pytest.mark.parametrize(("skew", "word"), [(-70.0, "lebih cepat"), (70.0, "lebih lambat")])
def test_a_server_clock_70_seconds_off_googles_is_refused_naming_the_skew(skew, word):
    with FakeSheetsServer() as server:
        key = sukamaju(server, 2, riwayat=True)
        source = source_for(server, key)
        source.read()
        server.date_skew = skew
        before = server.values(key, "Sukamaju")
        with pytest.raises(SourceError) as excinfo:
            _save(source)
        text = str(excinfo.value)
        # the Date header has whole seconds and the request takes time: 69, 70 or 71 s (CI saw 71)
        assert re.search(rf"{word} (69|70|71) detik dari jam Google", text) and "tidak disimpan" in text
        assert server.values(key, "Sukamaju") == before
        assert server.values(key, AUDIT_SHEET) == [list(AUDIT_HEADER)]
        claims = server.values(key, CONTROL_SHEET)[1:]
        assert claims and all(row[4] == "batal" for row in claims)  # a claim it made is released unused


def test_a_small_skew_within_the_tolerance_saves():
    with FakeSheetsServer() as server:
        key = sukamaju(server, 2, riwayat=True)
        server.date_skew = 5.0
        result = _save(source_for(server, key))
        assert result.written == {"Tahap": "selesai"}
