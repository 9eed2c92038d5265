"""One Google source per desa spreadsheet of a synced kabupaten: where a desa's writes go.

In a Dinas PMD deployment every desa of the ``[sync] registry`` keeps its register in its own
spreadsheet (the registry names it, and the worksheet), whatever the app's own ``[gsheets]``
spreadsheet is. :class:`DesaSources` gives the source of desa D: a
:class:`data_sources.gsheets.GoogleSheetsSource` in the ``per_desa_spreadsheet`` layout over D's
spreadsheet alone (its grid is named after D, as the store names it), with the app's
``[gsheets]`` credentials. Each is made once per process and kept (it caches its worksheet list),
so a write, its audit rows (that spreadsheet's Riwayat), its submission-id claim (replays are
recognised as for any Google source) and the next Nomor (the keys in use of that register and
its Riwayat) all belong to D's own spreadsheet.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

from data_sources.base import RegisterSource
from data_sources.gsheets import GoogleSheetsSource, GSheetsConfig
from data_sources.snapshot_store import DesaStatus

__all__ = ["DesaSources", "desa_sources_for"]

SourceFactory = Callable[[GSheetsConfig], RegisterSource]

_lock = threading.Lock()
_made: dict[str, DesaSources] = {}


class DesaSources:
    """desa (its store status) -> the source over that desa's own spreadsheet, made once."""

    def __init__(self, base: GSheetsConfig, factory: SourceFactory = GoogleSheetsSource) -> None:
        self.base = base
        self.factory = factory
        self._sources: dict[tuple[str, str, str], RegisterSource] = {}
        self._lock = threading.Lock()

    def config_for(self, status: DesaStatus) -> GSheetsConfig:
        """The ``[gsheets]`` of the app (credentials, timeouts) over the desa's spreadsheet only."""
        return dataclasses.replace(
            self.base,
            layout="per_desa_spreadsheet",
            spreadsheet="",
            spreadsheets={status.desa: status.spreadsheet_id},
            worksheet=status.worksheet,
            worksheets=(),
        )

    def source(self, status: DesaStatus) -> RegisterSource:
        key = (status.spreadsheet_id, status.worksheet, status.desa)
        with self._lock:
            if key not in self._sources:
                self._sources[key] = self.factory(self.config_for(status))
            return self._sources[key]


def desa_sources_for(gsheets: Mapping[str, Any]) -> DesaSources | None:
    """The per-desa sources with the credentials of this ``[gsheets]`` section (one object per
    process and section); None without a ``[gsheets]`` section (nothing to write to Google with)."""
    if not gsheets:
        return None
    identity = hashlib.sha256(json.dumps(gsheets, sort_keys=True, default=str).encode()).hexdigest()
    with _lock:
        if identity not in _made:
            # the desa spreadsheets replace [gsheets] spreadsheet: it may be left empty here
            _made[identity] = DesaSources(GSheetsConfig.from_mapping({"spreadsheet": "-", **dict(gsheets)}))
        return _made[identity]
