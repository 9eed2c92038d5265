"""The satisfaction survey (SKM element U9) on Lacak Pengaduan and the IKM on the report pages.

Lacak: once a resident found a *settled* complaint (Nomor + 4 phone digits), the pair is kept in
the session and the question is asked below the result — once; after the rating (or when the
Nomor was rated before) only the thanks show. The rating goes through ``services.survey`` (same
throttle as Lacak; an unknown/unsettled Nomor gets Lacak's own "not found" answer).
"""

from __future__ import annotations

import uuid

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.data import (
    LoadedRegister,
    load_ikm_answers,
    load_survey,
    local_now,
    make_source,
    reload_survey,
)
from dashboard.fmt import angka, bulan_tahun
from dashboard.i18n import language, t, tr
from dashboard.ikm_display import ikm_column
from dashboard.lookup_views import (
    SURVEY_PAIR,
    Found,
    chosen_desa,
    find,
    show_not_found,
    show_result,
    wait_message,
)
from dashboard.settings import current_settings
from metrics.errors import PantauError
from metrics.ikm import ELEMENT, SCALE, IkmSummary, ikm_by_group, ikm_summary, joined_survey
from metrics.lookup import LookupResult, normalise_nomor
from metrics.monthly import milestone_key
from services import survey
from services.store_source import desa_survey_store

_PAIR = SURVEY_PAIR  # (nomor, last4, desa picked or None) of the settled complaint found in this session
_SUBMISSION = "survei_submission_ids"  # Nomor key -> one submission id until it was stored
_RATED = "survei_rated"  # Nomor keys rated in this session

SCALE_EN = {1: "Poor", 2: "Fair", 3: "Good", 4: "Very good"}
GRADE_EN = {"A": "Very good", "B": "Good", "C": "Fair", "D": "Poor"}


def grade_text(summary: IkmSummary) -> str:
    return f"{summary.grade} ({t(summary.grade_label or '', GRADE_EN.get(summary.grade or '', ''))})"


def prefilled_nomor() -> str:
    """The Nomor from the link in the WhatsApp answer (``?nomor=…``), as the input's start value."""
    return str(st.query_params.get("nomor", ""))[:60]


def scale_label(score: int) -> str:
    return f"{score} – " + t(SCALE[score], SCALE_EN[score])


def survey_section(
    found: LookupResult | None, nomor: str, last4: str, submitted: bool, desa: str | None = None
) -> None:
    """Below the Lacak result: the survey question for a settled complaint (asked once). ``found``
    is what ``lookup_views.track`` found through the throttle: only that pair (and the desa, when
    the complainant had to pick it) is remembered, so the rating goes to that desa's survey."""
    if submitted:
        st.session_state.pop(_PAIR, None)
        if found is not None and found.settled:
            st.session_state[_PAIR] = (nomor, last4, chosen_desa(nomor, last4, desa))
    pair = st.session_state.get(_PAIR)
    if pair is None:
        return
    try:
        # the register (on a synced kabupaten: the profile) holding the complaint
        where = find(*pair)
        if where is None or where.result is None:
            return
        if not submitted:  # a rerun of the survey form: the complaint stays on screen above the question
            show_result(where.result)
        _ask(where, pair[0], pair[1])
    except PantauError:
        st.error(
            t(
                "Data pengaduan sedang tidak dapat dibaca. Coba lagi nanti.",
                "Complaint data cannot be read right now. Try again later.",
            )
        )


def _thanks(score: int | None) -> None:
    st.success(
        t(
            "Terima kasih, penilaian Anda untuk pengaduan ini sudah kami terima",
            "Thank you, your rating of this complaint has been received",
        )
        + (f" ({scale_label(score)})." if score else "."),
        icon=":material/volunteer_activism:",
    )


def _ask(where: Found, nomor: str, last4: str) -> None:
    assert where.result is not None and where.loaded is not None
    key = f"{where.result.desa}|{normalise_nomor(nomor)}"  # desas may share a Nomor (synced kabupaten)
    rated = st.session_state.setdefault(_RATED, {})
    stored = survey.rated_answer(load_survey(where.loaded, desa=where.result.desa), nomor)
    st.divider()
    st.subheader(t("Penilaian layanan pengaduan", "Rate the complaint handling"), anchor=False)
    if key in rated or stored is not None:
        _thanks(rated.get(key, stored))
        return
    with st.form("survei"):
        score = st.radio(
            t(
                "Bagaimana pendapat Anda tentang penanganan pengaduan Anda ini?",
                "What do you think of how your complaint was handled?",
            ),
            list(SCALE),
            index=None,
            format_func=scale_label,
            key="survei_nilai",
            help=t(
                f"Unsur {ELEMENT[0]} Survei Kepuasan Masyarakat: {ELEMENT[1]}", f"Survey element {ELEMENT[0]}"
            ),
        )
        comment = st.text_area(
            t("Komentar atau saran (boleh dikosongkan)", "Comment or suggestion (optional)"),
            key="survei_komentar",
            max_chars=survey.MAX_COMMENT,
        )
        sent = st.form_submit_button(t("Kirim penilaian", "Send rating"), icon=":material/send:")
    st.caption(
        t(
            "Penilaian hanya sekali per pengaduan dan tidak menampilkan identitas Anda.",
            "One rating per complaint; it never shows who you are.",
        )
    )
    if sent:
        _submit(where.loaded, nomor, last4, score, comment, where.result.desa)


def _submit(loaded: LoadedRegister, nomor: str, last4: str, score: object, comment: str, desa: str) -> None:
    source = _source()
    ids = st.session_state.setdefault(_SUBMISSION, {})
    key = f"{desa}|{normalise_nomor(nomor)}"  # desas may share a Nomor (synced kabupaten)
    submission_id = ids.setdefault(key, uuid.uuid4().hex)
    attempt = survey.Attempt(auth.lookup_throttle(), auth.visitor_key(), auth.clock())
    try:
        result = survey.submit_rating(
            lambda desa: desa_survey_store(source, desa),  # that desa's own Survei sheet
            loaded.complaints,
            loaded.profile,
            attempt,
            nomor,
            last4,
            score,
            comment,
            local_now(loaded.profile),
            submission_id=submission_id,
            desa=desa,  # the complaint shown (not another desa's with the same Nomor and digits)
        )
    except survey.SurveyWait as wait:
        st.warning(wait_message(wait.seconds), icon=":material/hourglass_top:")
        return
    except survey.SurveyNotFound:
        show_not_found()
        return
    except survey.AlreadyRated:
        ids.pop(key, None)
        reload_survey()
        st.info(t("Pengaduan ini sudah dinilai sebelumnya.", "This complaint was rated before."))
        return
    except PantauError as error:
        st.error(tr(error), icon=":material/error:")
        return
    ids.pop(key, None)
    st.session_state[_RATED][key] = result.answer.nilai
    reload_survey()
    st.rerun()


def _source() -> object:
    """The register source of the current settings (the survey store sits beside it)."""
    return make_source(current_settings())


# ---------------------------------------------------------------------------- IKM block
def ikm_for(
    loaded: LoadedRegister, desa: tuple[str, ...], month: str, minimum: int
) -> tuple[IkmSummary, IkmSummary]:
    """(rated in ``month``, rated in the 12 months up to it) for the desas in scope (all when empty)."""
    answers = load_ikm_answers(loaded)
    if desa:
        answers = answers[answers["desa"].isin(list(desa))]
    return ikm_summary(answers, minimum, month), ikm_summary(answers, minimum, month, months=12)


def show_ikm_block(
    loaded: LoadedRegister, desa: tuple[str, ...], month: str, minimum: int
) -> tuple[IkmSummary, IkmSummary]:
    """Statistik Bulanan: the complaint-handling IKM rated in the month and in the 12 months up to
    it (``ikm_for``), shown; returned for the monthly report."""
    month_summary, overall = ikm_for(loaded, desa, month, minimum)
    month_label = bulan_tahun(pd.Period(month, freq="M"), language())
    st.subheader(t("Kepuasan penanganan pengaduan (IKM)", "Complaint-handling satisfaction (IKM)"))
    cols = st.columns(2)
    labels = (
        t("Dinilai bulan {b}", "Rated in {b}").format(b=month_label),
        t("Dinilai 12 bulan s.d. {b}", "Rated in the 12 months to {b}").format(b=month_label),
    )
    for col, summary, label in zip(cols, (month_summary, overall), labels, strict=True):
        col.metric(
            label,
            "–" if summary.ikm is None else angka(summary.ikm, 2),
            help=t(
                "IKM = rata-rata nilai (1–4) × 25, Permenpan RB 14/2017, unsur U9.",
                "IKM = mean score (1–4) × 25, Permenpan RB 14/2017, element U9.",
            ),
        )
        col.caption(
            (f"{t('Mutu', 'Grade')} {grade_text(summary)} · " if summary.grade else "")
            + t("{n} penilaian", "{n} ratings").format(n=angka(summary.responses))
            + ("" if summary.enough else " · " + not_enough(summary.minimum))
        )
    return month_summary, overall


def not_enough(minimum: int) -> str:
    return t("belum cukup (min. {m})", "not enough (min. {m})").format(m=minimum)


def desa_ikm(
    loaded: LoadedRegister, start: object, end: object, category: str | None, minimum: int
) -> pd.Series:
    """Perbandingan Desa: desa -> IKM text of the complaints *received* in ``[start, end]`` (the
    page's rule: every figure is about the complaints received in the period), in the category."""
    complaints = loaded.complaints
    received = complaints[milestone_key(loaded.profile, "diterima") or "tanggal_diterima"]
    inside = (
        received.notna()
        & (received >= pd.Timestamp(str(start)))
        & (received < pd.Timestamp(str(end)) + pd.Timedelta(days=1))
    )
    if category is not None and "kategori" in complaints:
        inside &= complaints["kategori"] == category
    answers = joined_survey(load_survey(loaded), complaints[inside.to_numpy(dtype=bool)])
    return ikm_column(ikm_by_group(answers, "desa", minimum), "desa")
