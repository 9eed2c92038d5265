"""Test doubles for external services (Google Sheets API v4)."""

from tests.fakes.sheets_api import (
    DROP,
    DROP_AFTER_APPLY,
    FakeSheetsServer,
    FakeSheetsSession,
    Fault,
    RequestRecord,
    http_error,
    slow,
)

__all__ = [
    "DROP",
    "DROP_AFTER_APPLY",
    "Fault",
    "FakeSheetsServer",
    "FakeSheetsSession",
    "RequestRecord",
    "http_error",
    "slow",
]
