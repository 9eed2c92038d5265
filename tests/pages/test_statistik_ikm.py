"""The complaint-handling IKM on Statistik Bulanan (kepala desa) and Perbandingan Desa, on the demo."""

from __future__ import annotations

import pandas as pd

from dashboard.access import Viewer
from data_sources.local_file import LocalFileSource
from data_sources.survey_store import LocalSurveyStore
from metrics.ikm import ikm_summary, joined_survey, survey_frame
from metrics.profiles import load_profile
from metrics.register import normalise_register
from services.survey import DEFAULT_MINIMUM_RESPONSES
from tests.app_helpers import run_page

KADES = {"viewer": Viewer("kades", "kepala_desa", ("Cibodas",))}


def expected_year(path, desa: str, month: str):
    complaints = normalise_register(LocalFileSource(path).read(), load_profile("umum")).complaints
    answers = joined_survey(survey_frame(LocalSurveyStore(path).read()), complaints)
    answers = answers[answers["desa"] == desa]
    return ikm_summary(answers, DEFAULT_MINIMUM_RESPONSES, month, months=12)


def test_kepala_desa_sees_the_ikm_of_the_desa(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("app_pages/statistik_bulanan.py", session=KADES, timeout=120)
    assert not at.exception, at.exception
    month = str(at.selectbox(key="bulanan_bulan").value)
    year = expected_year(demo_register_path, "Cibodas", month)
    assert year.responses > 0
    (metric,) = [m for m in at.metric if m.label.startswith("Dinilai 12 bulan")]
    assert metric.value == f"{year.ikm:.2f}".replace(".", ",")
    captions = [c.value for c in at.caption]
    assert any(
        f"Mutu {year.grade} ({year.grade_label})" in c and f"{year.responses} penilaian" in c
        for c in captions
    )
    assert any("Kepuasan penanganan pengaduan" in h.value for h in at.subheader)


def test_statistik_says_belum_cukup_under_the_minimum(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("app_pages/statistik_bulanan.py", session=KADES, timeout=120)
    at.secrets["survei"] = {"minimum_responden": 100000}
    at.run()
    assert not at.exception, at.exception
    assert any("belum cukup (min. 100000)" in c.value for c in at.caption), [c.value for c in at.caption]


def test_perbandingan_desa_has_an_ikm_column(demo_register_path, register_env):
    register_env(demo_register_path)
    at = run_page("app_pages/perbandingan_desa.py", session={"viewer": Viewer("admin", "admin")}, timeout=120)
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    column = table["IKM penanganan pengaduan"]
    rated = [v for v in column if v != "–"]
    assert rated and all(" · n " in v for v in rated)
    assert pd.Series(rated).str.contains(r"^\d+,\d\d \([ABCD]\)").all()
