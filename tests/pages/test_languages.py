"""Both languages: every page, as every role, speaks only the chosen language.

English mode must show no Indonesian UI words; Indonesian mode no English UI words. Register data
(desa names, Nomor, what petugas typed) and the SOP profile's own terms are data, not UI: the word
lists hold words that only the app itself would write.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from data_sources.demo import ANSWERS, TOPICS
from metrics.profiles import load_profile
from tests.app_helpers import APP_PATH, run_page
from tests.pages.test_access_matrix import SECRETS, _app
from tests.pages.test_complaint_forms import CATAT, PERBARUI, PETUGAS, fill_new_complaint, record_one, widget
from tests.pages.test_lacak_survey import register
from tests.pages.test_perbarui_pause import pause_key

# Indonesian words the app writes (never a desa name or a demo value).
INDONESIAN = (
    "Pengaduan",
    "pengaduan",
    "belum",
    "tidak",
    "Tidak",
    "Tanggal",
    "tanggal",
    "terlambat",
    "Terlambat",
    "Unduh",
    "Pilih",
    "Semua",
    "dengan",
    "untuk",
    "Tahap",
    "Temuan",
    "temuan",
    "Bulan",
    "Periode",
    "bulan",
    "hari kerja",
    "Januari",
    "Februari",
    "Agustus",
    "Oktober",
    "Desember",
    "Nilai",
    "Tulis",
    "Periksa",
    "angka",
    "Angka",
    "desa kosong",
    "nomor ",
    "Simpan",
    "Lihat",
)
# English words the app writes in English mode only.
ENGLISH = (
    "Choose an option",
    "No results",
    "View more",
    "Download",
    "complaint",
    "Complaint",
    "Overdue",
    "finding",
    "Select",
    "the ",
    " and ",
    "Month",
    "Village",
    "Settings",
)
# Labels that name the other language on purpose (the switch itself).
ALLOWED = ("Bahasa / Language", "Bahasa Indonesia", "English")
# Fields of element protos that hold text a user reads.
TEXT_FIELDS = {
    "body",
    "label",
    "value",
    "placeholder",
    "help",
    "caption",
    "default_value",
    "options",
    "text",
    "title",
    "description",
    "page_name",
    "string_value",
    "string_values",
}


# Table columns holding register data or SOP vocabulary (Indonesian by nature), by English or
# Indonesian header.
DATA_COLUMNS = {
    *("Nomor", "Number", "Desa", "Village", "Content", "Isi", "Value as written", "Nilai tertulis"),
    *("Value", "Nilai", "Field", "Kolom", "Column", "Stage", "Tahap", "Stage / deadline"),
    *("Tahap / batas waktu", "Last stage", "Tahap terakhir", "Missed limit", "Batas yang dilewati"),
    *("Official", "Pejabat", "Category", "Kategori", "Urgency", "Urgensi", "Reporter", "Pelapor"),
    *("Sheet", "Code", "Kode", "Channel", "Saluran", "Address", "Alamat", "Result", "Outcome"),
    *("Overdue list", "Daftar terlambat", "Slowest stage", "Tahap paling lambat", "Subject", "Pokok"),
}


def _profile_terms() -> list[str]:
    """The SOP profile's own names (stages, deadlines, documents, vocabularies): data, not UI."""
    profile = load_profile("umum")
    terms = [profile.name, profile.unit_name, *profile.officials]
    terms += [s.label for s in profile.stages] + [d.label for d in profile.deadlines]
    terms += [d.label for d in profile.documents]
    terms += [a.label for a in profile.answer_templates]  # the office's canned answers (Indonesian letters)
    for vocabulary in (profile.channels, profile.categories, profile.urgencies, profile.outcomes):
        terms += [term.label for term in vocabulary]
    # cell values the fix texts quote, and the default title of the report's preparer
    terms += ["'Ya'", "'Tidak'", "Petugas Pengelola Pengaduan"]
    return sorted({term for term in terms if term}, key=len, reverse=True)


PROFILE_TERMS = _profile_terms()
# What the demo's petugas typed (complaint texts, answers): register data shown as written.
DEMO_TYPED = re.compile(
    "|".join(
        re.escape(text).replace(r"\{rt\}", ".*").replace(r"\{dusun\}", ".*")
        for text in (*[x for texts in TOPICS.values() for x in texts], *ANSWERS)
    )
)


def _words(at) -> list[str]:
    """Every text a user reads: labels, help, options, messages, captions, table headers."""
    found: list[str] = []

    def proto_text(message) -> None:
        for field, value in message.ListFields():
            if field.type == field.TYPE_MESSAGE:
                for item in [value] if hasattr(value, "ListFields") else value:
                    proto_text(item)
            elif field.type == field.TYPE_STRING and field.name in TEXT_FIELDS:
                found.extend([value] if isinstance(value, str) else value)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if type(node).__name__ == "Dataframe":
            frame = node.value
            found.extend(str(c) for c in frame.columns)
            for column in frame.columns:
                if str(column) not in DATA_COLUMNS:
                    found.extend(str(v) for v in frame[column].dropna().unique()[:50])
        elif proto is not None and hasattr(proto, "ListFields"):
            proto_text(proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    texts = []
    for text in found:
        text = text.replace("\\", "")  # Markdown escapes
        typed = DEMO_TYPED.search(text)  # before the terms are cut out ("Dana Desa" holds "Desa")
        for term in PROFILE_TERMS:
            text = text.replace(term, "…")
        if text and text not in ALLOWED and not typed:
            texts.append(text)
    return texts


def _offending(texts: list[str], words: tuple[str, ...]) -> list[str]:
    pattern = re.compile("|".join(re.escape(w) for w in words))
    return sorted({text[:160] for text in texts if pattern.search(text)})


def _streamlit_defaults(at) -> list[str]:
    """Streamlit's own English texts that can be set: every selectbox/multiselect names its
    placeholder (else "Choose an option"), every date_input shows DD/MM/YYYY."""
    problems = [
        f"{kind} {w.label!r} shows Streamlit's placeholder"
        for kind, widgets in (("selectbox", at.selectbox), ("multiselect", at.multiselect))
        for w in widgets
        if not w.proto.placeholder
    ]
    problems += [
        f"date_input {d.label!r} format {d.proto.format}"
        for d in at.date_input
        if d.proto.format != "DD/MM/YYYY"
    ]
    return problems


ROLES = ("public", "admin", "kecamatan", "kepala_desa", "petugas", "kabupaten")


@pytest.mark.parametrize("role", ROLES)
def test_english_mode_shows_no_indonesian(role, demo_register_path, register_env):
    register_env(demo_register_path)
    problems: list[str] = []
    for spec in PAGES:
        if role not in spec.roles:
            continue
        at = _app(role, SECRETS)
        at.session_state["bahasa"] = "en"
        at.run()
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.url, at.exception)
        for text in _offending(_words(at), INDONESIAN):
            problems.append(f"{spec.url}: {text!r}")
        problems += [f"{spec.url}: {p}" for p in _streamlit_defaults(at)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_indonesian_mode_shows_no_english(role, demo_register_path, register_env):
    register_env(demo_register_path)
    problems: list[str] = []
    for spec in PAGES:
        if role not in spec.roles:
            continue
        at = _app(role, SECRETS)
        at.run()
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.url, at.exception)
        for text in _offending(_words(at), ENGLISH):
            problems.append(f"{spec.url}: {text!r}")
    assert not problems, "\n".join(problems)


def test_form_errors_in_english(tmp_path, demo_register_path, register_env):
    """Validation built in metrics/ reaches an English petugas in English, field by field."""
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    at = run_page(CATAT, session={"viewer": PETUGAS, "bahasa": "en"})
    fill_new_complaint(at, hp="12345", isi="rusak", alamat="", save="Save complaint")
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    joined = " ".join(errors)
    assert "Phone number '12345' is not valid" in joined
    assert "The complaint text is not clear yet" in joined
    assert "Address is required" in joined
    assert not _offending(errors, INDONESIAN), errors


def test_a_picked_complaint_on_perbarui_reads_english(demo_register_path, register_env):
    """The complaint's details (labels, Rahasia yes/no) on Perbarui after a pick, in English."""
    register_env(demo_register_path)
    at = _app("petugas", SECRETS)
    at.session_state["bahasa"] = "en"
    at.run()
    at.switch_page("app_pages/perbarui_pengaduan.py").run()
    picker = at.selectbox(key="perbarui_pilih")
    picker.set_value(picker.options[0]).run()
    assert not at.exception, at.exception
    assert not _offending(_words(at), INDONESIAN), _offending(_words(at), INDONESIAN)
    assert any(x.value.startswith(("Confidential: ", "Secret: ")) for x in at.text), [
        x.value for x in at.text
    ]


def test_quality_banner_counts_in_english_with_plurals(demo_register_path, register_env):
    """Issue 13.13: "1 data quality findings" -> "1 row …; 12 other findings" (singular for one)."""
    register_env(demo_register_path)
    at = _app("admin", SECRETS)
    at.session_state["bahasa"] = "en"
    at.run()
    banner = [c.value for c in at.caption if "left out of monthly figures" in c.value]
    assert banner and banner[0].startswith("1 row left out"), [c.value for c in at.caption]
    others = re.search(r"(\d+) other (findings?)\.", banner[0])
    assert others and (others.group(2) == "finding") == (others.group(1) == "1"), banner[0]


def test_sampaikan_pengaduan_reads_english(tmp_path, demo_register_path, register_env):
    """The public complaint form, its refusal and its field problems, in an English session."""
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    at = AppTest.from_file(APP_PATH, default_timeout=90)
    at.secrets = {"pantau": {"public_intake": True}}
    at.session_state["bahasa"] = "en"
    at.run()
    at.switch_page("app_pages/sampaikan_pengaduan.py").run()
    assert not at.exception, at.exception
    assert not _offending(_words(at), INDONESIAN), _offending(_words(at), INDONESIAN)
    assert not _streamlit_defaults(at), _streamlit_defaults(at)
    at.selectbox(key="sampaikan_f_desa").set_value("Cibodas")
    at.text_input(key="sampaikan_f_no_hp").input("12345")
    at.text_area(key="sampaikan_f_isi_pengaduan").input("rusak")
    next(b for b in at.button if b.label == "Send complaint").click().run()  # no consent
    assert not at.exception, at.exception
    assert any("Not sent" in e.value for e in at.error), [e.value for e in at.error]
    at.checkbox(key="sampaikan_f_setuju").check()
    next(b for b in at.button if b.label == "Send complaint").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("Phone number '12345' is not valid" in e for e in errors), errors
    assert not _offending(_words(at), INDONESIAN), _offending(_words(at), INDONESIAN)


def test_lacak_survey_question_reads_english(tmp_path, register_env):
    """Lacak Pengaduan: a settled complaint found, with the survey question below it."""
    register(tmp_path, register_env)
    at = run_page("app_pages/lacak_pengaduan.py", session={"bahasa": "en"})
    at.text_input(key="lacak_nomor").input("CBD/2026/11/0001")
    at.text_input(key="lacak_hp").input("7890")
    next(b for b in at.button if b.label == "Track").click().run()
    assert not at.exception, at.exception
    assert [r for r in at.radio if r.key == "survei_nilai"], "the survey question is shown"
    assert not _offending(_words(at), INDONESIAN), _offending(_words(at), INDONESIAN)


def test_perbarui_pause_and_answer_template_blocks_read_english(tmp_path, demo_register_path, register_env):
    """Perbarui with a complaint open: the pause block (started, then a refused resume) and the
    answer-template picker, in English; the refusal built in metrics/ reads English too."""
    path = tmp_path / "register.xlsx"
    shutil.copy(demo_register_path, path)
    register_env(path)
    nomor = record_one(path)

    def opened():
        at = run_page(PERBARUI, session={"viewer": PETUGAS, "bahasa": "en"})
        at.text_input(key="perbarui_nomor").input(nomor).run()
        assert not at.exception, at.exception
        return at

    def save(at):
        next(b for b in at.button if b.label == "Save changes").click().run()
        assert not at.exception, at.exception

    at = opened()
    at.checkbox(key=pause_key(nomor, "jeda")).check().run()
    assert [s for s in at.selectbox if s.key == widget(nomor, "templat")], "the template picker is shown"
    assert not _offending(_words(at), INDONESIAN), _offending(_words(at), INDONESIAN)
    assert not _streamlit_defaults(at), _streamlit_defaults(at)
    start_day = at.date_input(key=pause_key(nomor, "jeda_tanggal")).value
    save(at)
    at = opened()  # waiting now: the resume block
    assert not _offending(_words(at), INDONESIAN), _offending(_words(at), INDONESIAN)
    at.checkbox(key=pause_key(nomor, "lengkap")).check().run()
    at.date_input(key=pause_key(nomor, "jeda_tanggal")).set_value(start_day - dt.timedelta(days=1)).run()
    save(at)
    errors = " ".join(e.value for e in at.error)
    assert "may not be before the waiting started" in errors, errors
    assert not _offending(_words(at), INDONESIAN), _offending(_words(at), INDONESIAN)
