"""Messages carry their English (metrics.text): one mechanism for metrics/ and services/."""

from __future__ import annotations

import copy
import pickle

from metrics.durations import parse_duration
from metrics.errors import PantauError
from metrics.quality import QUALITY_CHECKS, SET_ASIDE_FIGURES, SET_ASIDE_REASONS
from metrics.text import Text, count_text, english


def test_text_is_the_indonesian_string_and_carries_english():
    message = Text("Desa wajib dipilih.", "Choose the village.")
    assert message == "Desa wajib dipilih." and isinstance(message, str)
    assert english(message) == "Choose the village."
    assert english("teks biasa") == "teks biasa", "a plain str is shown as written"
    for kept in (pickle.loads(pickle.dumps(message)), copy.deepcopy(message)):
        assert kept.en == "Choose the village."
    assert english(message + " (1)") == "Choose the village. (1)"
    assert english("- " + message) == "- Choose the village."


def test_counts_have_english_plurals():
    assert english(
        count_text(1, "temuan kualitas data", "data-quality finding", "data-quality findings")
    ) == ("1 data-quality finding")
    assert english(count_text(3, "temuan", "finding", "findings")) == "3 findings"
    assert count_text(1200, "temuan", "finding", "findings") == "1.200 temuan"
    assert english(count_text(1200, "temuan", "finding", "findings")) == "1,200 findings"


def test_pantau_error_keeps_both_languages_with_its_problems():
    error = PantauError(Text("Gagal:", "Failed:"), problems=[Text("satu", "one"), "dua"])
    assert str(error) == "Gagal:\n- satu\n- dua"
    assert english(error.text) == "Failed:\n- one\n- dua", "a plain str problem stays as written"
    assert english(PantauError("hanya indonesia").text) == "hanya indonesia"


def test_durations_read_in_english():
    assert english(parse_duration("5 hari kerja").text) == "5 working days"
    assert english(parse_duration("1 hari kerja").text) == "1 working day"
    assert english(parse_duration("30 menit").text) == "30 minutes"
    assert parse_duration("14 hari").text == "14 hari"


def test_every_quality_check_has_an_english_fix_and_every_set_aside_text_english():
    assert [k for k, c in QUALITY_CHECKS.items() if not c.saran_en or c.saran_en == c.saran] == []
    for text in (*SET_ASIDE_FIGURES.values(), *SET_ASIDE_REASONS.values()):
        assert isinstance(text, Text) and text.en != str(text)
