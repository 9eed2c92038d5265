"""Lacak Pengaduan components: the throttle (per visitor address and per Nomor, services.throttle), the lookup and what the
complainant reads. Every text from the register (Nomor, stage, desa, the answer) is shown as
plain text: never Markdown, links or images (``dashboard.components.plain``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components import plain, plain_lines
from dashboard.data import LoadedRegister, load_register, local_now, public_settings
from dashboard.fmt import tanggal, tanggal_jam
from dashboard.i18n import language, t
from metrics.errors import PantauError
from metrics.lookup import (
    LookupResult,
    VoidedLookup,
    lookup_complaint,
    lookup_voided,
    matching_desas,
    normalise_nomor,
    valid_last4,
)
from metrics.record_status import DUPLIKAT


def _when(stamp: pd.Timestamp) -> str:
    """Date and time, or just the date when only a date was written (midnight)."""
    if stamp.hour == 0 and stamp.minute == 0:
        return tanggal(stamp, language())
    return tanggal_jam(stamp, language())


def wait_message(seconds: float) -> str:
    return t(
        "Terlalu banyak percobaan yang tidak cocok. Tunggu {s} detik lalu coba lagi.",
        "Too many attempts that did not match. Wait {s} seconds and try again.",
    ).format(s=int(seconds + 0.999))


SURVEY_PAIR = "survei_pair"  # the pair whose survey Lacak shows (dashboard.survey_views)
_CHOICES = "lacak_desa_pilihan"  # (Nomor key, last 4, desas) of a pair matched in several desas
DESA_KEY = "lacak_desa"


def desa_choice(nomor: str, last4: str) -> str | None:
    """Inside the Lacak form: the desa picker, only after this pair matched complaints in several
    desas (each desa numbers its own register on a synced kabupaten); the desa picked, if any."""
    kept = st.session_state.get(_CHOICES)
    if not kept or (kept[0], kept[1]) != (normalise_nomor(nomor), last4.strip()):
        return None
    st.info(
        t(
            "Nomor ini tercatat di beberapa desa. Pilih desa tempat Anda melapor, lalu tekan Lacak lagi.",
            "This number is recorded in several villages. Choose the village you reported to, then press Track again.",
        ),
        icon=":material/location_city:",
    )
    picked = st.selectbox(t("Desa Anda", "Your village"), list(kept[2]), index=None, key=DESA_KEY)
    return None if picked is None else str(picked)


def chosen_desa(nomor: str, last4: str, desa: str | None) -> str | None:
    """``desa`` when it was picked for this very pair; another pair forgets the choice."""
    kept = st.session_state.get(_CHOICES)
    if kept and (kept[0], kept[1]) == (normalise_nomor(nomor), last4.strip()) and desa in kept[2]:
        return desa
    return None


def track(nomor: str, last4: str, desa: str | None = None) -> LookupResult | None:
    """Check the throttles, look the complaint up and show it (or why not); the complaint found
    (``None`` when throttled, malformed, unreadable, not found or found in several desas: then
    the complainant picks their desa first, ``desa_choice``). A try counts once against the
    throttle however many desas it reaches."""
    desa = chosen_desa(nomor, last4, desa)
    if desa is None:
        st.session_state.pop(_CHOICES, None)
    now, throttle, visitor = auth.clock(), auth.lookup_throttle(), auth.visitor_key()
    key = normalise_nomor(nomor)
    wait = throttle.wait(key, visitor, now)  # per visitor address, per Nomor (services.throttle)
    if wait > 0:
        st.warning(wait_message(wait), icon=":material/hourglass_top:")
        return None
    if not key or valid_last4(last4) is None:
        st.error(
            t(
                "Isi Nomor pengaduan dan tepat 4 angka terakhir nomor HP.",
                "Fill in the complaint number and exactly 4 last digits of the phone number.",
            ),
            icon=":material/error:",
        )
        return None
    try:
        found = find(nomor, last4, desa)
    except PantauError:
        st.error(
            t(
                "Data pengaduan sedang tidak dapat dibaca. Coba lagi nanti.",
                "Complaint data cannot be read right now. Try again later.",
            )
        )
        return None
    if found is not None and found.choices:
        st.session_state[_CHOICES] = (normalise_nomor(nomor), last4.strip(), found.choices)
        st.session_state.pop(SURVEY_PAIR, None)  # no survey of an earlier pair under the picker
        st.rerun()  # the form shows the desa picker; nothing of any complaint is shown
    if found is not None and found.result is not None:
        show_result(found.result)
        return found.result
    if found is not None and found.voided is not None:
        show_voided(found.voided)
        return None
    wait = throttle.failure(key, visitor, now)
    show_not_found()
    if wait > 0:
        st.warning(wait_message(wait), icon=":material/hourglass_top:")
    return None


@dataclass(frozen=True)
class Found:
    """A complaint found by Nomor + 4 phone digits, with the register (and its profile) judging it."""

    loaded: LoadedRegister | None
    result: LookupResult | None
    voided: VoidedLookup | None = None
    choices: tuple[str, ...] = ()  # the pair matched in these desas: which one is not known yet


def find(nomor: str, last4: str, desa: str | None = None) -> Found | None:
    """The complaint of this pair in any register Lacak searches (on a synced kabupaten: every
    synced desa, each judged by its own profile); None when in none. When the pair matches in
    several desas and ``desa`` does not say which: only ``choices`` (nothing is shown or rated
    before the complainant picks). Raises ``PantauError`` when a register could not be read and
    the pair was found in no other."""
    error: PantauError | None = None
    found: Found | None = None
    desas: set[str] = set()
    for settings in public_settings():
        try:
            loaded = load_register(settings)
        except PantauError as failed:
            error = error or failed
            continue
        desas.update(matching_desas(loaded.complaints, nomor, last4))
        desas.update(matching_desas(loaded.register.voided, nomor, last4))
        if found is not None:
            continue
        now = local_now(loaded.profile)
        result = lookup_complaint(loaded.complaints, loaded.profile, nomor, last4, now, desa)
        voided = None if result is not None else lookup_voided(loaded.register.voided, nomor, last4, desa)
        if result is not None or voided is not None:
            found = Found(loaded, result, voided)
    if desa is None and len(desas) > 1:
        return Found(None, None, choices=tuple(sorted(desas)))
    if found is not None:
        return found
    if error is not None:
        raise error
    return None


def show_not_found() -> None:
    """The one answer for an unknown Nomor, a wrong pair (and, in the survey, an unsettled one)."""
    st.error(
        t(
            "Pengaduan tidak ditemukan untuk pasangan Nomor dan 4 angka HP ini. Periksa tanda "
            "terima Anda. Jika Anda melapor tanpa nomor HP (misalnya secara rahasia/anonim), "
            "status tidak dapat dilacak di sini: silakan hubungi kantor desa.",
            "No complaint found for this number and phone digits. Check your receipt. If you "
            "reported without a phone number (e.g. anonymously), the status cannot be tracked "
            "here: please contact the village office.",
        ),
        icon=":material/search_off:",
    )


def show_voided(result: VoidedLookup) -> None:
    """A Duplikat/Batal record: said plainly; a duplicate points to the original Nomor."""
    st.subheader(t("Pengaduan {n}", "Complaint {n}").format(n=plain(result.nomor)), anchor=False)
    if result.mark == DUPLIKAT:
        text = t(
            "Pengaduan ini tercatat ganda: isinya sama dengan pengaduan {o}, yang ditangani. "
            "Lacak pengaduan {o} untuk mengikuti penanganannya.",
            "This complaint was recorded twice: it is the same as complaint {o}, which is being "
            "handled. Track complaint {o} to follow it.",
        ).format(o=plain(result.original or "–"))
    else:
        text = t(
            "Pengaduan ini dibatalkan dan tidak diproses lebih lanjut. Hubungi kantor desa bila ada "
            "pertanyaan.",
            "This complaint was cancelled and is not handled further. Contact the village office "
            "with any question.",
        )
    st.info(text, icon=":material/do_not_disturb_on:")


def show_result(result: LookupResult) -> None:
    """The complaint's stage, steps and published answer, every register text as plain text."""
    st.subheader(t("Pengaduan {n}", "Complaint {n}").format(n=plain(result.nomor)), anchor=False)
    # The stage in full (st.metric cuts long labels off), as plain text: never markdown.
    st.caption(t("Tahap sekarang", "Current stage"))
    st.subheader(plain(result.stage_label), anchor=False)
    if result.waiting_since is not None:  # Menunggu kelengkapan: no personal data, only the date
        st.warning(
            t(
                "Menunggu kelengkapan berkas sejak {d}. Silakan lengkapi berkas di kantor desa; "
                "batas waktu penanganan dihitung lagi setelah berkas lengkap.",
                "Waiting for complete documents since {d}. Please complete them at the village office; "
                "the handling deadline runs again once the file is complete.",
            ).format(d=_when(result.waiting_since)),
            icon=":material/pause_circle:",
        )
    cols = st.columns(2)
    cols[0].caption(t("Desa", "Village"))
    cols[0].text(result.desa or "–")
    cols[1].caption(t("Kategori", "Category"))
    cols[1].text(result.kategori or "–")
    st.markdown("**" + t("Perjalanan pengaduan", "Progress") + "**")
    for index, step in enumerate(result.steps):
        if index == _pause_position(result):
            _show_ended_pause(result)
        if step.done_at is not None:
            st.markdown(f":material/check_circle: {plain(step.label)} — {_when(step.done_at)}")
        elif step.skipped:
            st.markdown(f":material/redo: {plain(step.label)} — " + t("dilewati", "skipped"))
        else:
            st.markdown(f":material/radio_button_unchecked: {plain(step.label)} — " + t("belum", "not yet"))
    if _pause_position(result) == len(result.steps):
        _show_ended_pause(result)
    if result.answer:
        st.markdown("**" + t("Jawaban", "Answer") + "**")
        st.info(plain_lines(result.answer), icon=":material/mark_chat_read:")
    elif result.answered_at is None:
        st.caption(
            t(
                "Jawaban akan tampil di sini setelah disampaikan.",
                "The answer will show here once it is given.",
            )
        )


def _pause_position(result: LookupResult) -> int | None:
    """Before which step an ended pause (Menunggu kelengkapan) stands in the timeline: after the
    last step done by the time the waiting began (``len(steps)``: at the end; None: no ended pause)."""
    if result.waited_from is None:
        return None
    done_before = [
        i for i, s in enumerate(result.steps) if s.done_at is not None and s.done_at <= result.waited_from
    ]
    return (done_before[-1] + 1) if done_before else 0


def _show_ended_pause(result: LookupResult) -> None:
    """The ended pause as a timeline line: only its dates (no personal data, no register text)."""
    if result.waited_from is None or result.waited_until is None:
        return
    st.markdown(
        ":material/pause_circle: "
        + t(
            "Menunggu kelengkapan berkas dari {a} sampai {b}",
            "Waiting for complete documents from {a} to {b}",
        ).format(a=_when(result.waited_from), b=_when(result.waited_until))
    )
