"""Lacak Pengaduan (public, no login): Nomor + the last 4 digits of the phone -> stage, dates and
the published answer. No personal data; a wrong pair reveals nothing; wrong tries are slowed."""

import re
import threading

import streamlit as st

from dashboard import auth
from dashboard.access import require
from dashboard.data import load_register
from dashboard.fmt import tanggal, tanggal_jam
from dashboard.i18n import language, t
from metrics.errors import PantauError
from metrics.lookup import (
    ThrottlePolicy,
    ThrottleState,
    after_failure,
    lookup_complaint,
    normalise_nomor,
    valid_last4,
    wait_seconds,
)

SESSION_KEY = "_pantau_lookup_throttle"
SESSION_POLICY = ThrottlePolicy(free_tries=3, base_seconds=10.0, max_seconds=600.0)
# Across all sessions, per Nomor: stops guessing the 4 digits of one Nomor from fresh sessions.
NOMOR_POLICY = ThrottlePolicy(free_tries=10, base_seconds=30.0, max_seconds=900.0)


@st.cache_resource
def _nomor_throttles() -> tuple[dict[str, ThrottleState], threading.Lock]:
    return {}, threading.Lock()


def _when(stamp) -> str:
    """Date and time, or just the date when only a date was written (midnight)."""
    if stamp.hour == 0 and stamp.minute == 0:
        return tanggal(stamp, language())
    return tanggal_jam(stamp, language())


def _plain(text: str) -> str:
    """``text`` shown literally by st.markdown/st.subheader (markdown and HTML characters escaped)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))


def _forget_old(throttles: dict[str, ThrottleState], now: float) -> None:
    """Keep the per-Nomor table small: drop entries no longer locked once it grows."""
    if len(throttles) > 5000:
        for stale in [k for k, v in throttles.items() if wait_seconds(v, now) == 0]:
            del throttles[stale]


def _wait_message(seconds: float) -> str:
    return t(
        "Terlalu banyak percobaan yang tidak cocok. Tunggu {s} detik lalu coba lagi.",
        "Too many attempts that did not match. Wait {s} seconds and try again.",
    ).format(s=int(seconds + 0.999))


require(roles=("public", "admin", "kecamatan", "kepala_desa", "petugas"))
st.title(t("Lacak Pengaduan", "Track a complaint"))
st.write(
    t(
        "Masukkan **Nomor pengaduan** (ada di tanda terima) dan **4 angka terakhir nomor HP** yang "
        "Anda berikan saat melapor.",
        "Enter the **complaint number** (on your receipt) and the **last 4 digits of the phone "
        "number** you gave when reporting.",
    )
)

with st.form("lacak"):
    nomor = st.text_input(
        t("Nomor pengaduan", "Complaint number"),
        key="lacak_nomor",
        placeholder="CBD/2026/01/0007",
        max_chars=60,
    )
    last4 = st.text_input(
        t("4 angka terakhir nomor HP", "Last 4 digits of your phone"), key="lacak_hp", max_chars=8
    )
    submitted = st.form_submit_button(t("Lacak", "Track"), icon=":material/search:", type="primary")

if submitted:
    now = auth.clock()
    session_state = st.session_state.get(SESSION_KEY, ThrottleState())
    throttles, lock = _nomor_throttles()
    key = normalise_nomor(nomor)
    with lock:
        nomor_state = throttles.get(key, ThrottleState())
    wait = max(wait_seconds(session_state, now), wait_seconds(nomor_state, now))
    if wait > 0:
        st.warning(_wait_message(wait), icon=":material/hourglass_top:")
    elif not key or valid_last4(last4) is None:
        st.error(
            t(
                "Isi Nomor pengaduan dan tepat 4 angka terakhir nomor HP.",
                "Fill in the complaint number and exactly 4 last digits of the phone number.",
            ),
            icon=":material/error:",
        )
    else:
        try:
            loaded = load_register()
        except PantauError:
            loaded = None
            st.error(
                t(
                    "Data pengaduan sedang tidak dapat dibaca. Coba lagi nanti.",
                    "Complaint data cannot be read right now. Try again later.",
                )
            )
        result = lookup_complaint(loaded.complaints, loaded.profile, nomor, last4) if loaded else None
        if loaded is not None and result is None:
            session_state = after_failure(session_state, now, SESSION_POLICY)
            st.session_state[SESSION_KEY] = session_state
            with lock:
                _forget_old(throttles, now)
                throttles[key] = after_failure(throttles.get(key, ThrottleState()), now, NOMOR_POLICY)
                nomor_state = throttles[key]
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
            wait = max(wait_seconds(session_state, now), wait_seconds(nomor_state, now))
            if wait > 0:
                st.warning(_wait_message(wait), icon=":material/hourglass_top:")
        elif result is not None:
            st.subheader(t("Pengaduan {n}", "Complaint {n}").format(n=result.nomor))
            # The stage in full (st.metric cuts long labels off), as plain text: never markdown.
            st.caption(t("Tahap sekarang", "Current stage"))
            st.subheader(_plain(result.stage_label), anchor=False)
            cols = st.columns(2)
            cols[0].caption(t("Desa", "Village"))
            cols[0].text(result.desa or "–")
            cols[1].caption(t("Kategori", "Category"))
            cols[1].text(result.kategori or "–")
            st.markdown("**" + t("Perjalanan pengaduan", "Progress") + "**")
            for step in result.steps:
                if step.done_at is not None:
                    st.markdown(f":material/check_circle: {step.label} — {_when(step.done_at)}")
                elif step.skipped:
                    st.markdown(f":material/redo: {step.label} — " + t("dilewati", "skipped"))
                else:
                    st.markdown(f":material/radio_button_unchecked: {step.label} — " + t("belum", "not yet"))
            if result.answer:
                st.markdown("**" + t("Jawaban", "Answer") + "**")
                st.info(result.answer, icon=":material/mark_chat_read:")
            elif result.answered_at is None:
                st.caption(
                    t(
                        "Jawaban akan tampil di sini setelah disampaikan.",
                        "The answer will show here once it is given.",
                    )
                )

st.caption(
    t(
        "Halaman ini tidak menampilkan nama, alamat, nomor HP, maupun isi pengaduan.",
        "This page never shows names, addresses, phone numbers or the complaint text.",
    )
)
