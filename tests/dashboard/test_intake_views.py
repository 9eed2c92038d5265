"""dashboard.intake_views: the Google Form merge on a petugas's page load never crashes the page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard import intake_views
from data_sources.base import SourceError


def _settings():
    return SimpleNamespace(secrets={"intake": {}}, desa_names=("Cibodas",))


@pytest.mark.parametrize(
    ("where", "error", "said"),
    [
        ("make_source", SourceError("Register sedang dikunci proses lain."), "sedang dikunci"),
        ("merge_responses", RuntimeError("boom"), "RuntimeError"),
    ],
)
def test_a_failing_merge_becomes_a_report_error_not_a_crash(monkeypatch, where, error, said):
    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(intake_views, "make_source", lambda _s: object())
    monkeypatch.setattr(intake_views, "response_sheet_for", lambda *_a: object())
    monkeypatch.setattr(intake_views, where, fail)
    loaded = SimpleNamespace(register=None, profile=SimpleNamespace(timezone="Asia/Jakarta"))
    report = intake_views._merge(loaded, _settings())
    assert report is not None and len(report.errors) == 1
    assert said in report.errors[0] and "dicoba lagi" in report.errors[0]
