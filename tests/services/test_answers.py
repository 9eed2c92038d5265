"""Answer templates filled for one complaint: Nomor, dates, official and outcome put in; typed
text never read as template syntax; what the record lacks is a bracketed note."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.answer_templates import AnswerTemplate
from metrics.profiles import load_profile
from services.answers import answer_values, fill_answer

KUKAR = load_profile("kutai_kartanegara")
BABAKAN = load_profile("babakan")
TODAY = dt.date(2026, 5, 12)
COMPLAINT = {
    "nomor": "DPMD/2026/05/0007",
    "desa": "Loa Ipuh",
    "tanggal_diterima": pd.Timestamp("2026-05-04 09:15"),
    "kategori": "infrastruktur",
    "saluran": KUKAR.channels[0].key,
    "disposisi_kepada": "Sekretaris",
    "jenis_penyelesaian": KUKAR.outcomes[1].key,
}
ALL = AnswerTemplate(
    "t",
    "T",
    "{nomor}|{tanggal_diterima}|{tanggal}|{unit}|{pejabat}|{kepala}|{jenis_penyelesaian}|{petugas}",
)


def test_values_of_a_dinas_complaint() -> None:
    text = fill_answer(ALL, COMPLAINT, KUKAR, today=TODAY, petugas="Ani")
    parts = text.split("|")
    assert parts[:3] == ["DPMD/2026/05/0007", "4 Mei 2026", "12 Mei 2026"]
    assert parts[3] == "Dinas Pemberdayaan Masyarakat dan Desa" or "Dinas" in parts[3]
    assert parts[4] == "Sekretaris" and parts[5].startswith("Kepala") and parts[7] == "Ani"
    assert parts[6] == KUKAR.outcomes[1].label.lower()


def test_form_choices_win_over_the_saved_row() -> None:
    text = fill_answer(
        ALL,
        COMPLAINT,
        BABAKAN,
        today=TODAY,
        disposisi_kepada="Kepala Desa",
        jenis_penyelesaian="rekomendasi_kebijakan",
    )
    assert "|Kepala Desa|" in text and "rekomendasi kebijakan" in text


def test_missing_values_are_notes_to_replace() -> None:
    values = answer_values({"nomor": "X/1"}, BABAKAN, today=TODAY)
    assert values["jenis_penyelesaian"] == "[jenis penyelesaian belum ditetapkan]"
    assert values["pejabat"] == "[pejabat yang menangani]"
    assert values["tanggal_diterima"] == "[tanggal diterima]"


def test_hostile_record_values_stay_plain_text() -> None:
    hostile = {**COMPLAINT, "nomor": "{tanggal} {{ 7*7 }}", "disposisi_kepada": '=HYPERLINK("x") 😀'}
    text = fill_answer(ALL, hostile, KUKAR, today=TODAY)
    assert text.startswith("{tanggal} {{ 7*7 }}|")
    assert '|=HYPERLINK("x") 😀|' in text
