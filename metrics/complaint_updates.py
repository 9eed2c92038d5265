"""Recording and advancing complaints: numbers, validation, cell changes, audit rows, messages.

Pure functions (no streamlit, no I/O). The pages in ``dashboard/complaint_forms.py`` collect what
the petugas typed, call these, and hand the resulting cell texts to the register source.

Rules chosen here (documented for petugas in the forms):

- **Nomor**: the profile's ``nomor_format`` (fields ``tahun``, ``bulan``, ``urut`` and optionally
  ``desa``/``kode_desa``). ``urut`` is 1 + the highest sequence already used in the same period
  (year/month present in the format, same desa code) among existing numbers of the same pattern;
  numbers of another pattern and junk cells are ignored. The period is the moment of recording
  (the register book's order), not the receipt date.
- **New complaint** (Cipari SOP, B. Unsur pengaduan): nama, alamat, no. HP (a valid Indonesian
  number) and a clear object (``isi``, at least ``MIN_ISI_CHARS`` characters and 3 words) are
  required — except that a ``Rahasia``/anonymous complaint may leave nama, alamat and no. HP
  empty (a number given must still be valid). The channel is required; category and urgency may
  wait for the verification step, but when given they must be the profile's terms. The receipt
  time may not lie in the future.
- **Stages**: a complaint moves forward only. The SOP's next step is offered first; skipping to
  any later step is allowed (petugas often record a step late or two at once), and the skipped
  steps — whose dates stay empty — are returned by ``skipped_stages`` so the form can warn.
  Staying at the current step updates the other fields (answer text, berita acara) only.
- **Dates**: a stage date is never in the future and never before the latest date already
  recorded for an earlier step (including the receipt).
- **Answer**: moving to (or past) the ``jawaban`` milestone needs the answer text (hasil tindak
  lanjut); moving to (or past) ``selesai`` also needs the outcome kind. A disposition official
  must come from ``profile.officials``; the outcome from ``profile.outcomes``; the berita acara
  number is free text.
- Text typed by people is stored as plain text exactly as typed, minus control characters
  (which spreadsheets refuse); formulas such as ``=HYPERLINK(...)`` are never evaluated because
  the sources write them as text.

The code is split by job: ``metrics.form_input``, ``metrics.nomor``, ``metrics.new_complaint``,
``metrics.stage_update``, ``metrics.row_snapshot``, ``metrics.audit``, ``metrics.messages``; this
module re-exports their public names.
"""

from __future__ import annotations

from metrics.audit import audit_rows
from metrics.columns import MAX_LENGTHS
from metrics.form_input import (
    BOOKKEEPING_COLUMNS,
    EARLIEST,
    FIELD_LABELS,
    MIN_ISI_CHARS,
    SHEET_DATETIME,
    cell_timestamp,
    cell_value,
    clean_input,
    find_stage,
    find_term,
    normalise_phone,
    sheet_datetime,
)
from metrics.messages import answer_message, tracking_text, whatsapp_link
from metrics.new_complaint import new_complaint_cells, new_complaint_problems, validate_new_complaint
from metrics.nomor import desa_code, next_nomor, nomor_pattern
from metrics.row_snapshot import RowSnapshot, nomor_key, nomor_locations, row_snapshot
from metrics.stage_update import (
    StageUpdate,
    allowed_next_stages,
    current_stage,
    latest_earlier_date,
    skipped_stages,
    update_cells,
    update_problems,
    validate_update,
)

__all__ = [
    "BOOKKEEPING_COLUMNS",
    "EARLIEST",
    "FIELD_LABELS",
    "MAX_LENGTHS",
    "MIN_ISI_CHARS",
    "RowSnapshot",
    "SHEET_DATETIME",
    "StageUpdate",
    "allowed_next_stages",
    "answer_message",
    "audit_rows",
    "cell_timestamp",
    "cell_value",
    "clean_input",
    "current_stage",
    "desa_code",
    "find_stage",
    "find_term",
    "latest_earlier_date",
    "new_complaint_cells",
    "new_complaint_problems",
    "next_nomor",
    "nomor_key",
    "nomor_locations",
    "nomor_pattern",
    "normalise_phone",
    "row_snapshot",
    "sheet_datetime",
    "skipped_stages",
    "tracking_text",
    "update_cells",
    "update_problems",
    "validate_new_complaint",
    "validate_update",
    "whatsapp_link",
]
