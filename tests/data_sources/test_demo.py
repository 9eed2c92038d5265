"""The embedded demo register: what the foundation issue asks of it, checked on the real output."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from dashboard.data import local_now
from data_sources.demo import DEMO_DESAS, MESSY_ROWS, TOPICS, write_demo_register
from data_sources.local_file import LocalFileSource
from data_sources.survey_store import LocalSurveyStore
from metrics.ikm import ikm_by_group, joined_survey, survey_frame
from metrics.nomor import desa_code, nomor_pattern
from metrics.profiles import PROFILES_DIR, load_profile, profile_ids
from metrics.quality import quality_findings
from metrics.register import normalise_register
from metrics.sla import complaint_flags
from metrics.stages import pause_spans
from services.register_loading import calendar_for, load
from services.settings import demo_register_path, parse_settings

UMUM = load_profile("umum")


@pytest.fixture(scope="module")
def demo(demo_register_path):
    register = normalise_register(
        LocalFileSource(demo_register_path).read(), UMUM, desa_names=[d.name for d in DEMO_DESAS]
    )
    now = local_now(UMUM)
    flags = complaint_flags(register.complaints, UMUM, calendar_for(UMUM), now)
    return register.complaints, flags, now


def test_size_span_and_desas(demo):
    complaints, _, now = demo
    assert len(complaints) >= 3000
    known = complaints["desa"].isin([d.name for d in DEMO_DESAS])
    assert complaints.loc[known, "desa"].nunique() >= 6
    received = complaints["tanggal_diterima"].dropna()
    assert received.max() <= pd.Timestamp(now).tz_localize(None)  # nothing received in the future
    assert (received.max() - received.min()).days >= 700  # two years up to this month
    # up to now: the newest complaint is at most a long holiday weekend old, whatever the date
    assert pd.Timestamp(now) - received.max() <= pd.Timedelta(days=5)


def test_every_channel_category_stage_and_urgency_used(demo):
    complaints, _, _ = demo
    for column, terms in (
        ("saluran", UMUM.channels),
        ("urgensi", UMUM.urgencies),
        ("tahap", UMUM.stages[1:]),
    ):
        assert {t.key for t in terms} <= set(complaints[column].dropna()), column
    # the first stage ("diterima") only while some complaint still waits for verification: late in the
    # evening every complaint of the day may already be verified (CI failed at 21:23 WIB)
    used = set(complaints["kategori"].dropna())
    assert len(used) >= 8


def test_about_ten_percent_late_five_percent_open_and_slow_desas(demo):
    complaints, flags, _ = demo
    late, open_ = flags["terlambat"].mean(), (~flags["selesai"].astype(bool)).mean()
    assert 0.06 <= late <= 0.15
    assert 0.02 <= open_ <= 0.08
    per_desa = flags["terlambat"].groupby(complaints["desa"]).mean()
    assert per_desa["Margamulya"] > 1.5 * per_desa["Sukamaju"]  # some desas clearly slower


def test_complaint_text_matches_its_category(demo):
    complaints, _, _ = demo
    labels = {t.key: t.label for t in UMUM.categories}
    bridges = complaints[complaints["isi_pengaduan"].str.contains("Jembatan", na=False)]
    assert len(bridges) and (bridges["kategori"] == "infrastruktur").all(), labels
    pkh = complaints[complaints["isi_pengaduan"].str.contains("PKH", na=False)]
    assert len(pkh) and (pkh["kategori"] == "bantuan_sosial").all()
    assert len(TOPICS) == 8


def test_messy_rows_are_there_and_the_generator_is_deterministic(tmp_path, demo):
    complaints, _, _ = demo
    first = write_demo_register(tmp_path / "a.xlsx", dt.datetime(2026, 6, 1, 10, 0))
    second = write_demo_register(tmp_path / "b.xlsx", dt.datetime(2026, 6, 1, 10, 0))
    a, b = LocalFileSource(first).read(), LocalFileSource(second).read()
    assert [g.values for g in a] == [g.values for g in b]
    cells = {str(v) for grid in a for row in grid.values for v in row}
    missing = [what for what, _, value in MESSY_ROWS if value != "__DUPLICATE__" and value not in cells]
    assert not missing


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 11, 30, 13, 30),  # the day a cross-desa duplicate broke the access tests
        dt.datetime(2026, 12, 31, 23, 59),  # month and year end
        dt.datetime(2027, 1, 1, 0, 5),  # New Year's Day, nothing received yet this year
        dt.datetime(2026, 3, 23, 9, 0),  # inside the Idul Fitri cuti bersama (20-24 March 2026)
    ],
)
def test_any_now_planted_duplicate_stays_in_its_desa_and_nothing_is_after_now(tmp_path, now):
    path = write_demo_register(tmp_path / "demo.xlsx", now)
    register = normalise_register(LocalFileSource(path).read(), UMUM, desa_names=[d.name for d in DEMO_DESAS])
    complaints = register.complaints
    code_of = {d.code: d.name for d in DEMO_DESAS}
    counted = complaints["nomor"].value_counts()
    duplicated = complaints[complaints["nomor"].isin(counted[counted > 1].index)]
    assert len(duplicated) == 2
    # both rows of the planted duplicate belong to the desa its Nomor names
    assert set(duplicated["desa"]) == {code_of[duplicated["nomor"].iloc[0].split("/")[0]]}
    dates = complaints.filter(like="tanggal_").stack()
    assert dates.max() <= pd.Timestamp(now)
    assert complaints["tanggal_diterima"].max() >= pd.Timestamp(now) - pd.Timedelta(days=5)
    # Menunggu kelengkapan: a few open pauses and a few resumed ones, none impossible at that now
    received = complaints["tanggal_diterima"].to_numpy(dtype="datetime64[ns]").view("int64")
    pauses = pause_spans(complaints, received, now)
    assert 3 <= int(pauses.open.sum()) <= 20
    assert int((pauses.counts & ~pauses.open).sum()) >= 1
    assert not pauses.problem.any()
    assert complaints["mulai_menunggu_kelengkapan"].max() <= pd.Timestamp(now)


def test_demo_survey_rates_settled_complaints_after_settlement_and_never_after_now(tmp_path):
    now = dt.datetime(2026, 11, 30, 10, 0)
    path = write_demo_register(tmp_path / "demo.xlsx", now)
    rows = LocalSurveyStore(path).read()
    assert rows == LocalSurveyStore(write_demo_register(tmp_path / "again.xlsx", now)).read()
    answers = survey_frame(rows)
    complaints = normalise_register(LocalFileSource(path).read(), UMUM).complaints
    joined = joined_survey(answers, complaints)
    assert len(answers) > 500 and len(joined) == len(answers)
    settled = complaints.drop_duplicates("nomor", keep=False).set_index("nomor")["tanggal_selesai"]
    for nomor, when in zip(answers["nomor"], answers["waktu"], strict=True):
        assert pd.notna(settled.get(nomor)) and settled.get(nomor) <= when <= pd.Timestamp(now)
    assert set(answers["nilai"]) == {1, 2, 3, 4}
    month = ikm_by_group(joined, "desa", 10, month="2026-10")
    assert set(month["desa"]) == {d.name for d in DEMO_DESAS}
    assert month["cukup"].any() and not month["cukup"].all()


def _findings_of_demo(path, profile, now: dt.datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    names = [d.name for d in DEMO_DESAS]
    register = normalise_register(LocalFileSource(path).read(), profile, desa_names=names)
    return register.complaints, quality_findings(register, profile, pd.Timestamp(now), desa_names=names)


# every profile file found in the bundled folder: a new file is tested without touching this list
@pytest.mark.parametrize("profile_id", profile_ids())
def test_the_demo_follows_every_bundled_profile_with_only_the_planted_findings(tmp_path, profile_id):
    profile = load_profile(profile_id)
    now = dt.datetime(2026, 11, 30, 10, 0)
    path = write_demo_register(tmp_path / "demo.xlsx", now, profile)
    complaints, findings = _findings_of_demo(path, profile, now)
    # the planted messy rows only (one row may carry two findings; the duplicate Nomor is two rows)
    assert len(findings) <= len(MESSY_ROWS) + 3, findings["kode"].value_counts().to_dict()
    assert len(complaints) >= 3000
    # the profile's stages, vocabularies and Nomor format are the ones written
    stage_keys = {s.key for s in profile.stages}
    assert complaints["tahap"].isin(stage_keys).mean() > 0.99 and complaints["tahap"].nunique() >= 3
    assert {t.key for t in profile.channels} <= set(complaints["saluran"].dropna())
    prefix = profile.nomor_format.split("{")[0]
    assert complaints["nomor"].dropna().str.startswith(prefix).mean() > 0.99
    answered = profile.milestone_stage("jawaban")
    assert answered is not None and complaints[answered.column_key].notna().mean() > 0.5
    _assert_berita_acara_numbered_as_the_app_does(complaints, profile)


def _assert_berita_acara_numbered_as_the_app_does(complaints: pd.DataFrame, profile) -> None:
    """Every berita acara number reads in the profile's ``berita_acara_format`` for exactly one
    year (and the desa's code when the format has one); per year and unit the sequences run
    1, 2, 3, ... without a gap or a repeat, as ``berita_acara_number`` gives them out."""
    numbered = complaints.dropna(subset=["no_berita_acara"])
    assert len(numbered) > 100
    ba_profile = dataclasses.replace(profile, nomor_format=profile.berita_acara_format)
    years = range(complaints["tanggal_diterima"].min().year, complaints["tanggal_diterima"].max().year + 2)
    nomors = complaints.groupby("desa")["nomor"].agg(list)
    sequences: dict[tuple[int, str], list[int]] = {}
    for desa, number in zip(numbered["desa"], numbered["no_berita_acara"], strict=True):
        code = desa_code(desa, nomors[desa])
        read = [
            (year, int(match.group("urut")))
            for year in years
            if (match := nomor_pattern(ba_profile, dt.datetime(year, 1, 1), code).fullmatch(number))
        ]
        assert len(read) == 1, (desa, number, profile.berita_acara_format)
        (year, sequence), unit = read[0], code if "{kode_desa" in profile.berita_acara_format else ""
        sequences.setdefault((year, unit), []).append(sequence)
    assert numbered["no_berita_acara"].is_unique
    for unit, used in sequences.items():
        assert sorted(used) == list(range(1, len(used) + 1)), unit


def test_a_profile_in_a_folder_outside_the_repo_needs_no_code_change(tmp_path) -> None:
    """A seventh SOP: a profile file in [pantau] profiles_dir; the app's loader finds it and its
    demo is generated in its shape."""
    folder = tmp_path / "profil-kabupaten"
    folder.mkdir()
    text = (PROFILES_DIR / "cipari.toml").read_text(encoding="utf-8")
    text = text.replace('id = "cipari"', 'id = "desa_baru"').replace("CPR/{tahun}", "DBR/{tahun}")
    (folder / "desa_baru.toml").write_text(text, encoding="utf-8")
    assert "desa_baru" in profile_ids([folder]) and "desa_baru" not in profile_ids()

    settings = parse_settings({"pantau": {"sop": "desa_baru", "profiles_dir": str(folder)}}, {})
    assert settings.is_demo and settings.register_path == demo_register_path("desa_baru")
    assert demo_register_path("desa_baru") != demo_register_path("umum")
    now = dt.datetime(2026, 11, 30, 10, 0)
    settings = dataclasses.replace(settings, register_path=tmp_path / "demo_desa_baru.xlsx")
    loaded = load(settings, today=now)
    assert loaded.profile.id == "desa_baru"
    _, findings = _findings_of_demo(settings.register_path, loaded.profile, now)
    assert len(findings) <= len(MESSY_ROWS) + 3
    assert loaded.register.complaints["nomor"].dropna().str.startswith("DBR/").mean() > 0.99
