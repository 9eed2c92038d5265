"""What is due to be notified now: pure, from the loaded register, the profile, the work calendar,
the ``[notify]`` settings and an injected ``now`` (naive local wall time, like the sheet).

Events and their stable keys (the ledger sends each key once per recipient and channel):

- ``baru:<Nomor>`` a complaint received within ``new_within_hours`` -> the desa's petugas;
- ``disposisi:<Nomor>:<jabatan>`` a complaint disposed (``Disposisi Kepada`` filled, disposition
  date within ``new_within_hours``) -> the ``pejabat`` recipient with that title in that desa;
- ``hampir:<Nomor>:<tahap|batas>-<key>:<due>`` an open stage / overall deadline due within the
  at-risk window -> petugas (a new due time is a new reminder);
- ``terlambat:<Nomor>:<tahap|batas>-<key>:<level>`` an open obligation past due: level 0 to the
  petugas at once, level 1 to the kepala desa after ``escalation_steps[0]`` working days past due,
  level 2 to the kecamatan after ``escalation_steps[1]`` (the escalation ladder). A step is
  announced while it is less than ``catch_up_working_days`` old (a run missed for a while still
  catches up); older overdue obligations are in the daily digest, not sent one by one;
- ``harian:<Desa>:<date>`` the daily digest per desa, from ``digest_time`` local time on;
- ``mingguan:<ISO year>-W<week>`` the weekly kecamatan summary on ``weekly_day`` from
  ``digest_time`` on.

Nothing here reads a clock, a file or the network; the complaints frame is never modified.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from metrics.columns import column_key
from metrics.profiles import Profile
from metrics.sla import StageTable, open_obligations, overdue_queue, settle_column, sla_status, stage_table
from metrics.workcalendar import WorkCalendar
from services.notifications.config import NotifyConfig, Recipient

# Who gets each escalation level of an overdue obligation.
LEVEL_ROLES: dict[int, tuple[str, ...]] = {0: ("petugas",), 1: ("kepala_desa",), 2: ("kecamatan", "admin")}


@dataclass(frozen=True)
class Event:
    key: str
    kind: str  # one of config.EVENT_KINDS
    desa: str = ""
    nomor: str = ""
    level: int = 0
    rows: tuple[Any, ...] = ()  # complaint index labels the message is about
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Delivery:
    """One message to send: an event to one recipient over one channel."""

    event: Event
    recipient: Recipient
    channel: str  # "telegram" or "email"

    @property
    def recipient_key(self) -> str:
        return f"{self.recipient.name}/{self.channel}"


def with_window(profile: Profile, config: NotifyConfig) -> Profile:
    """The profile with ``[notify] at_risk_window`` as its at-risk window when set."""
    if config.at_risk_window is None:
        return profile
    return dataclasses.replace(
        profile, calendar=dataclasses.replace(profile.calendar, at_risk_window=config.at_risk_window)
    )


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _ident(complaints: pd.DataFrame, label: Any) -> str:
    nomor = _text(complaints.at[label, "nomor"]) if "nomor" in complaints else ""
    if nomor:
        return nomor
    return f"{_text(complaints.at[label, '_sheet'])}!{_text(complaints.at[label, '_row'])}"


def compute_events(
    complaints: pd.DataFrame,
    profile: Profile,
    calendar: WorkCalendar,
    config: NotifyConfig,
    now: pd.Timestamp,
    *,
    table: StageTable | None = None,
) -> list[Event]:
    """Every event due at ``now`` (keys stable across runs; the ledger drops the ones sent)."""
    now = pd.Timestamp(now).as_unit("ns")
    profile = with_window(profile, config)
    if table is None:
        table = stage_table(complaints, profile, calendar, now)
    events: list[Event] = []
    events += _new_complaints(complaints, config, now)
    events += _dispositions(complaints, profile, config, now)
    events += _at_risk(table, complaints)
    events += _overdue(table, complaints, calendar, config, now)
    events += _digests(table, complaints, profile, config, now)
    events += _weekly(table, complaints, profile, config, now)
    return events


def _recent(values: pd.Series, now: pd.Timestamp, hours: int) -> pd.Series:
    return (values > now - pd.Timedelta(hours=hours)) & (values <= now)


def _new_complaints(complaints: pd.DataFrame, config: NotifyConfig, now: pd.Timestamp) -> list[Event]:
    if "tanggal_diterima" not in complaints:
        return []
    recent = complaints.index[
        _recent(complaints["tanggal_diterima"], now, config.new_within_hours).fillna(False)
    ]
    out = []
    for label in recent:
        nomor = _ident(complaints, label)
        out.append(Event(f"baru:{nomor}", "baru", _text(complaints.at[label, "desa"]), nomor, rows=(label,)))
    return out


def _dispositions(
    complaints: pd.DataFrame, profile: Profile, config: NotifyConfig, now: pd.Timestamp
) -> list[Event]:
    stage = profile.milestone_stage("disposisi")
    if stage is None or "disposisi_kepada" not in complaints or stage.column_key not in complaints:
        return []
    recent = _recent(complaints[stage.column_key], now, config.new_within_hours).fillna(False)
    assigned = complaints["disposisi_kepada"].astype("string").fillna("").str.strip() != ""
    out = []
    for label in complaints.index[recent & assigned]:
        nomor = _ident(complaints, label)
        official = _text(complaints.at[label, "disposisi_kepada"])
        out.append(
            Event(
                f"disposisi:{nomor}:{column_key(official)}",
                "disposisi",
                _text(complaints.at[label, "desa"]),
                nomor,
                rows=(label,),
                data={"pejabat": official},
            )
        )
    return out


def _obligation_data(row: Any) -> dict[str, Any]:
    return {
        "tahap": str(row.label),
        "jenis": str(row.jenis),
        "jatuh_tempo": pd.Timestamp(row.jatuh_tempo),
        "aktor": str(row.aktor),
    }


def _at_risk(table: StageTable, complaints: pd.DataFrame) -> list[Event]:
    queue = open_obligations(table, ("hampir_jatuh_tempo",))
    out = []
    for row in queue.itertuples(index=False):
        label = row.indeks
        nomor = _ident(complaints, label)
        due = pd.Timestamp(row.jatuh_tempo)
        key = f"hampir:{nomor}:{row.jenis}-{row.kunci}:{due:%Y-%m-%dT%H:%M}"
        out.append(
            Event(
                key,
                "hampir_jatuh_tempo",
                _text(complaints.at[label, "desa"]),
                nomor,
                rows=(label,),
                data=_obligation_data(row),
            )
        )
    return out


def _overdue(
    table: StageTable,
    complaints: pd.DataFrame,
    calendar: WorkCalendar,
    config: NotifyConfig,
    now: pd.Timestamp,
) -> list[Event]:
    queue = overdue_queue(table, complaints, calendar)
    if queue.empty:
        return []
    days = np.asarray(
        calendar.elapsed_working_days(
            queue["jatuh_tempo"].to_numpy(), np.full(len(queue), now.to_datetime64())
        )
    )
    thresholds = (0, *config.escalation_steps)
    out = []
    for row, late_days in zip(queue.itertuples(index=False), days, strict=True):
        nomor = _ident(complaints, row.indeks)
        for level, threshold in enumerate(thresholds):
            # an escalation step is announced when it is crossed (within the catch-up window);
            # older ones are listed by the daily digest instead of flooding on the first run
            if not threshold <= late_days < threshold + config.catch_up_working_days:
                continue
            data = _obligation_data(row) | {"hari_kerja_lewat": float(late_days), "pejabat": str(row.pejabat)}
            out.append(
                Event(
                    f"terlambat:{nomor}:{row.jenis}-{row.kunci}:{level}",
                    "terlambat",
                    str(row.desa),
                    nomor,
                    level=level,
                    rows=(row.indeks,),
                    data=data,
                )
            )
    return out


def _desa_of(complaints: pd.DataFrame) -> pd.Series:
    return complaints["desa"].astype("string").fillna("").str.strip()


def digest_rows(
    table: StageTable,
    complaints: pd.DataFrame,
    profile: Profile,
    desa: str,
    now: pd.Timestamp,
    digest_time: dt.time,
) -> dict[str, list[dict[str, Any]]]:
    """The daily digest of one desa: ``jatuh_tempo_hari_ini`` (open obligations due today),
    ``terlambat`` (open obligations past due: ``metrics.sla.overdue_queue``) and ``baru``
    (complaints received since the previous digest time)."""
    in_desa = _desa_of(complaints).map(column_key) == column_key(desa)
    obligations = open_obligations(table, ("berjalan", "hampir_jatuh_tempo", "terlambat"))
    obligations = obligations[in_desa.to_numpy()[obligations["posisi"].to_numpy()]]
    due_today = obligations[
        (obligations["jatuh_tempo"].dt.normalize() == now.normalize()) & (obligations["jatuh_tempo"] >= now)
    ]
    late = obligations[obligations["status"] == "terlambat"]
    since = pd.Timestamp(dt.datetime.combine(now.date(), digest_time)) - pd.Timedelta(days=1)
    received = complaints.get("tanggal_diterima", pd.Series(pd.NaT, index=complaints.index))
    new = complaints.index[(in_desa & (received >= since) & (received <= now)).fillna(False)]

    def items(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [
            {
                "nomor": _ident(complaints, r.indeks),
                "tahap": str(r.label),
                "jatuh_tempo": pd.Timestamp(r.jatuh_tempo),
                "row": r.indeks,
            }
            for r in frame.itertuples(index=False)
        ]

    return {
        "jatuh_tempo_hari_ini": items(due_today),
        "terlambat": items(late),
        "baru": [{"nomor": _ident(complaints, label), "row": label} for label in new],
    }


def _digests(
    table: StageTable, complaints: pd.DataFrame, profile: Profile, config: NotifyConfig, now: pd.Timestamp
) -> list[Event]:
    if now.time() < config.digest_time or "desa" not in complaints:
        return []
    wanted = [r for r in config.recipients if "ringkasan_harian" in r.events]
    if not wanted:
        return []
    desas = sorted({d for d in _desa_of(complaints).unique() if d})
    out = []
    for desa in desas:
        if not any(_covers(r, desa) for r in wanted):
            continue
        rows = digest_rows(table, complaints, profile, desa, now, config.digest_time)
        out.append(Event(f"harian:{desa}:{now.date().isoformat()}", "ringkasan_harian", desa, data=rows))
    return out


def weekly_summary(
    table: StageTable, complaints: pd.DataFrame, profile: Profile, now: pd.Timestamp
) -> pd.DataFrame:
    """Per desa over the 7 days up to ``now``: ``diterima``, ``selesai``, ``tepat_waktu`` (share of
    those settled on time, NaN when none) and ``terlambat_terbuka`` (open complaints with an
    obligation past due now)."""
    desa = _desa_of(complaints)
    start = now - pd.Timedelta(days=7)
    received = complaints.get("tanggal_diterima", pd.Series(pd.NaT, index=complaints.index))
    settled_at = complaints.get(settle_column(profile), pd.Series(pd.NaT, index=complaints.index))
    flags = sla_status(table)
    in_week = ((received > start) & (received <= now)).fillna(False)
    settled = ((settled_at > start) & (settled_at <= now)).fillna(False)
    late_now = pd.Series(False, index=complaints.index)
    overdue = open_obligations(table, ("terlambat",))
    late_now.iloc[np.unique(overdue["posisi"].to_numpy())] = True
    frame = pd.DataFrame(
        {
            "desa": desa,
            "diterima": in_week,
            "selesai": settled,
            "tepat": settled & flags["selesai_tepat_waktu"].to_numpy(),
            "terlambat_terbuka": late_now,
        }
    )
    frame = frame[frame["desa"] != ""]
    out = frame.groupby("desa", sort=True)[["diterima", "selesai", "tepat", "terlambat_terbuka"]].sum()
    out["tepat_waktu"] = (out["tepat"] / out["selesai"]).where(out["selesai"] > 0)
    return out.drop(columns="tepat").astype({"diterima": int, "selesai": int, "terlambat_terbuka": int})


def _weekly(
    table: StageTable, complaints: pd.DataFrame, profile: Profile, config: NotifyConfig, now: pd.Timestamp
) -> list[Event]:
    if now.weekday() != config.weekly_day or now.time() < config.digest_time or "desa" not in complaints:
        return []
    if not any("ringkasan_mingguan" in r.events for r in config.recipients):
        return []
    year, week, _ = now.isocalendar()
    summary = weekly_summary(table, complaints, profile, now)
    return [Event(f"mingguan:{year}-W{week:02d}", "ringkasan_mingguan", data={"per_desa": summary})]


def _covers(recipient: Recipient, desa: str) -> bool:
    return not recipient.desa or column_key(desa) in {column_key(d) for d in recipient.desa}


def recipients_for(event: Event, recipients: Sequence[Recipient]) -> list[Recipient]:
    """The recipients of one event (by role, desa, chosen events and, for a disposition, title)."""
    out = []
    for recipient in recipients:
        if event.kind not in recipient.events:
            continue
        if event.kind == "ringkasan_mingguan":
            out.append(recipient)
            continue
        if not _covers(recipient, event.desa):
            continue
        if event.kind == "disposisi":
            if recipient.role == "pejabat" and column_key(recipient.jabatan) == column_key(
                event.data["pejabat"]
            ):
                out.append(recipient)
            continue
        if event.kind == "terlambat" and recipient.role not in LEVEL_ROLES[event.level]:
            continue
        if event.kind in ("baru", "hampir_jatuh_tempo") and recipient.role == "pejabat":
            continue
        out.append(recipient)
    return out


def deliveries(
    events: Sequence[Event], recipients: Sequence[Recipient]
) -> tuple[list[Delivery], list[Recipient]]:
    """Every (event, recipient, channel) to send, and the recipients that would get a message but
    have no channel (no ``telegram_chat_id`` nor ``email``)."""
    out: list[Delivery] = []
    without: dict[str, Recipient] = {}
    for event in events:
        for recipient in recipients_for(event, recipients):
            if not recipient.channels:
                without[recipient.name] = recipient
            for channel in recipient.channels:
                out.append(Delivery(event, recipient, channel))
    return out, list(without.values())
