"""The source contracts' errors speak both languages (metrics.text)."""

from __future__ import annotations

from data_sources.base import ConcurrentChange
from metrics.text import english


def test_concurrent_change_names_each_field_in_both_languages():
    error = ConcurrentChange.of("CBD/2026/11/0016", {"Tahap": "Selesai"})
    assert str(error).startswith("Pengaduan CBD/2026/11/0016 sudah diubah orang lain")
    assert "Tahap: sekarang 'Selesai'" in str(error)
    assert english(error.text).startswith("Complaint CBD/2026/11/0016 was changed by someone else")
    assert "Tahap: now 'Selesai'" in english(error.text)
    assert error.current == {"Tahap": "Selesai"}
