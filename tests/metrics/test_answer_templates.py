"""Answer templates (issue 16.4): one-pass filling, named errors in the profile loader."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from metrics.answer_templates import (
    VALUE_NOTES,
    AnswerTemplate,
    fill,
    follow_choices,
    placeholders,
    template_problems,
    unfilled_blanks,
)
from metrics.complaint_updates import StageUpdate, current_stage, update_problems
from metrics.errors import PantauError
from metrics.profiles import PROFILES_DIR, available_profiles, load_profile


def test_fill_is_one_pass_and_never_reads_values_as_syntax() -> None:
    values = {"nomor": "{tanggal} {{x}} {% if %}", "tanggal": "1 Mei 2026"}
    assert fill("No {nomor} pada {tanggal}", values) == "No {tanggal} {{x}} {% if %} pada 1 Mei 2026"
    assert fill("{{literal}} {nomor}", {"nomor": "A"}) == "{literal} A"
    assert fill("{tidak_ada}", {}) == "{tidak_ada}"


def test_template_problems_name_the_placeholder() -> None:
    assert template_problems("Nomor {nomor} {{ok}}") == []
    problems = template_problems("Nomor {nomer} dan {")
    assert any("{nomer}" in p and "tidak dikenal" in p for p in problems)
    assert any("tanpa pasangan" in p for p in problems)


def test_template_fits_its_categories() -> None:
    assert AnswerTemplate("a", "A", "x").fits("apa_saja")
    assert AnswerTemplate("a", "A", "x", ("infrastruktur",)).fits("infrastruktur")
    assert not AnswerTemplate("a", "A", "x", ("infrastruktur",)).fits("lainnya")


@pytest.mark.parametrize("profile_id", available_profiles())
def test_every_profile_has_valid_answer_templates(profile_id: str) -> None:
    profile = load_profile(profile_id)
    assert profile.answer_templates, "the umum set is inherited"
    category_keys = {c.key for c in profile.categories}
    for template in profile.answer_templates:
        assert template_problems(template.text) == []
        assert set(template.categories) <= category_keys
    # every complaint gets at least the general templates; a category adds its own
    general = profile.answer_templates_for(None)
    assert general and all(not a.categories for a in general)
    assert len(profile.answer_templates_for("Infrastruktur")) > len(general)


def write_profile(folder: Path, body: str) -> None:
    shutil.copy(PROFILES_DIR / "umum.toml", folder / "umum.toml")
    (folder / "uji.toml").write_text(
        'id = "uji"\nextends = "umum"\nname = "Uji"\nunit_name = "Uji"\n' + body, encoding="utf-8"
    )


def test_loader_names_an_unknown_category(tmp_path: Path) -> None:
    write_profile(
        tmp_path,
        '[[answer_templates]]\nkey = "k"\nlabel = "L"\ncategories = ["jalan", "pertanian"]\ntext = "{nomor}"\n',
    )
    with pytest.raises(PantauError) as info:
        load_profile("uji", tmp_path)
    problems = " ".join(info.value.problems)
    assert "templat jawaban ke-1 'k': kategori 'pertanian' tidak ada" in problems
    assert "'jalan'" not in problems  # an alias of infrastruktur is a known category


def test_loader_names_an_unknown_placeholder_and_key(tmp_path: Path) -> None:
    write_profile(
        tmp_path,
        '[[answer_templates]]\nkey = "k"\nlabel = "L"\ntext = "Nomor {nomer}"\nwarna = "x"\n',
    )
    with pytest.raises(PantauError) as info:
        load_profile("uji", tmp_path)
    problems = " ".join(info.value.problems)
    assert "templat jawaban ke-1 'k': isian {nomer} tidak dikenal" in problems
    assert "kunci tidak dikenal warna" in problems


def test_a_derived_profile_declaring_its_own_templates_replaces_the_list(tmp_path: Path) -> None:
    write_profile(tmp_path, '[[answer_templates]]\nkey = "k"\nlabel = "L"\ntext = "Nomor {nomor}"\n')
    assert [a.key for a in load_profile("uji", tmp_path).answer_templates] == ["k"]


def test_unfilled_template_blanks_are_named_and_typed_brackets_are_not() -> None:
    templates = (AnswerTemplate("a", "A", "Dikerjakan pada [tanggal] oleh [pelaksana]. {nomor}"),)
    answer = "Dikerjakan pada [tanggal] oleh [pelaksana], lihat [foto terlampir]. [tanggal]"
    assert unfilled_blanks(answer, templates) == ["[tanggal]", "[pelaksana]"]
    assert unfilled_blanks("Dikerjakan 3 Mei oleh Pak Ujang [foto terlampir].", templates) == []


def test_saving_an_answer_with_a_bundled_templates_blank_is_refused_naming_the_field() -> None:
    profile = load_profile("umum")
    template = next(a for a in profile.answer_templates if "[tanggal]" in a.text and "[pelaksana]" in a.text)
    complaint = {"nomor": "A/1", "tanggal_diterima": pd.Timestamp("2026-07-02 09:00"), "tahap": "Diterima"}
    now = dt.datetime(2026, 7, 20, 10, 0)

    def problems(answer: str) -> dict[str, list[str]]:
        update = StageUpdate(stage=current_stage(complaint, profile).key, hasil_tindak_lanjut=answer)
        return update_problems(complaint, update, profile, now)

    found = problems(fill(template.text, {"nomor": "A/1", "kategori": "Infrastruktur"}))
    message = str(found["hasil_tindak_lanjut"][0])
    assert "Hasil" in message and "Lengkapi dulu: [tanggal], [pelaksana]" in message
    assert problems("Diperbaiki 3 Juli oleh Pak Ujang [foto terlampir di kantor desa].") == {}


def test_a_placeholders_missing_value_note_is_a_blank_too() -> None:
    """ "[jenis penyelesaian belum ditetapkan]" (no outcome chosen yet) must be replaced before a
    save, like the templates' own blanks; a template without that placeholder does not claim it."""
    with_outcome = (AnswerTemplate("a", "A", "Jenis penyelesaian: {jenis_penyelesaian}. {nomor}"),)
    answer = fill(
        with_outcome[0].text, {"jenis_penyelesaian": VALUE_NOTES["jenis_penyelesaian"], "nomor": "A/1"}
    )
    assert unfilled_blanks(answer, with_outcome) == ["[jenis penyelesaian belum ditetapkan]"]
    without = (AnswerTemplate("b", "B", "Nomor {nomor}."),)
    assert unfilled_blanks(answer, without) == []
    assert placeholders("{{x}} {nomor} {tidak_ada} {nomor} {petugas}") == ["nomor", "petugas"]


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("Jenis: [jenis penyelesaian belum ditetapkan].", ("Jenis: tindakan korektif.", False)),
        ("", ("Jenis: tindakan korektif.", False)),
        ("Jenis: [jenis penyelesaian belum ditetapkan]. Terima kasih.", None),
    ],
)
def test_the_filled_text_follows_a_later_choice_unless_edited(current: str, expected: tuple | None) -> None:
    last, new = "Jenis: [jenis penyelesaian belum ditetapkan].", "Jenis: tindakan korektif."
    assert follow_choices(current, last, new) == (expected or (current, True))
