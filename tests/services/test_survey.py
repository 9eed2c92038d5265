"""services.survey: rating a settled complaint once; unknown, unsettled or wrong pairs reveal nothing."""

import pandas as pd
import pytest

from data_sources.survey_store import AlreadyRated, LocalSurveyStore
from metrics.errors import PantauError
from metrics.profiles import load_profile
from services import survey
from services.throttle import LOOKUP, Throttle
from tests.metrics.test_lookup import COMPLAINTS

PROFILE = load_profile("umum")
NOW = pd.Timestamp("2026-02-01 09:30")
SETTLED, SETTLED_DIGITS = "CBD/2026/01/0002", "2222"
OPEN, OPEN_DIGITS = "CBD/2026/01/0001", "1111"


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("Nomor;Desa\r\n")
    return LocalSurveyStore(path)


def rate(store, nomor=SETTLED, digits=SETTLED_DIGITS, nilai=4, komentar="", sid="s1", attempt=None):
    attempt = attempt or survey.Attempt(Throttle(LOOKUP), "1.2.3.4", 1000.0)
    return survey.submit_rating(
        store, COMPLAINTS, PROFILE, attempt, nomor, digits, nilai, komentar, NOW, submission_id=sid
    )


def test_settled_complaint_rated_once_replay_recognised(store):
    first = rate(store, nilai=3, komentar="  Cepat ditangani  ")
    assert (first.answer.nilai, first.answer.komentar, first.answer.waktu) == (
        3,
        "Cepat ditangani",
        "2026-02-01 09:30",
    )
    assert first.answer.desa == "Cibodas" and not first.replayed
    assert rate(store, nilai=3, komentar="Cepat ditangani").replayed
    with pytest.raises(AlreadyRated):
        rate(store, nilai=1, sid="s2")
    frame = survey.read_survey(store)
    assert list(frame["nilai"]) == [3]
    assert survey.rated_answer(frame, " cbd/2026/01/0002") == 3
    assert survey.rated_answer(frame, OPEN) is None


@pytest.mark.parametrize(
    ("nomor", "digits"),
    [(OPEN, OPEN_DIGITS), ("CBD/2099/01/0001", "2222"), (SETTLED, "9999"), ("CBD/2026/01/0003", "0000")],
    ids=["unsettled", "unknown", "wrong-digits", "no-phone"],
)
def test_unknown_unsettled_or_wrong_pair_reveal_nothing(store, nomor, digits):
    with pytest.raises(survey.SurveyNotFound) as caught:
        rate(store, nomor, digits)
    assert str(caught.value) == "Pengaduan tidak ditemukan untuk pasangan Nomor dan 4 angka HP ini."
    assert survey.read_survey(store).empty


def test_wrong_tries_are_throttled_like_lacak(store):
    attempt = survey.Attempt(Throttle(LOOKUP), "5.6.7.8", 1000.0)
    refused = 0
    for _ in range(LOOKUP.client.free_tries + 1):
        try:
            rate(store, SETTLED, "9999", attempt=attempt)
        except survey.SurveyNotFound:
            refused += 1
    assert refused == LOOKUP.client.free_tries + 1
    with pytest.raises(survey.SurveyWait):
        rate(store, attempt=attempt)  # even the right pair waits now
    assert survey.read_survey(store).empty


@pytest.mark.parametrize("nilai", [0, 5, "4", None, True])
def test_score_must_be_1_to_4(store, nilai):
    with pytest.raises(PantauError, match="Penilaian: pilih"):
        rate(store, nilai=nilai)


def test_long_comment_refused_with_its_length_hostile_text_kept(store):
    with pytest.raises(
        PantauError, match=r"Komentar terlalu panjang: 100\.000 karakter, paling banyak 1\.000"
    ):
        rate(store, komentar="x" * 100_000)
    hostile = '=HYPERLINK("http://x","klik") <script>alert(1)</script> **tebal** سلام 👍'
    assert rate(store, komentar=hostile).answer.komentar == hostile
    assert survey.read_survey(store)["komentar"].tolist() == [hostile]


def test_rating_goes_to_the_desa_of_the_complaint_shown(tmp_path):
    """Two desas' settled complaints share Nomor and last 4 digits: with ``desa`` the rating is
    the shown complaint's and lands in that desa's own store."""
    twin = COMPLAINTS.iloc[[1]].assign(desa="Sukamulya")
    complaints = pd.concat([COMPLAINTS, twin], ignore_index=True)
    stores = {}
    for desa in ("Cibodas", "Sukamulya"):
        (tmp_path / desa).mkdir()
        (tmp_path / desa / "register.csv").write_text("Nomor;Desa\r\n")
        stores[desa] = LocalSurveyStore(tmp_path / desa / "register.csv")
    attempt = survey.Attempt(Throttle(LOOKUP), "1.2.3.4", 1000.0)
    result = survey.submit_rating(
        stores.get,
        complaints,
        PROFILE,
        attempt,
        SETTLED,
        SETTLED_DIGITS,
        2,
        "",
        NOW,
        submission_id="s",
        desa="Sukamulya",
    )
    assert result.answer.desa == "Sukamulya"
    assert [r[:3] for r in stores["Sukamulya"].read()[1:]] == [[SETTLED, "Sukamulya", "2"]]
    assert stores["Cibodas"].read()[1:] == []
