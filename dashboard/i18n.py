"""Bahasa Indonesia by default, English on request: every UI text is written in both.

How a text reaches the user in the session's language — one mechanism, three shapes:

- **UI text written here (dashboard/, pages)**: ``t("Indonesia", "English")``; counts with
  ``t_count(n, "temuan", "finding", "findings")`` ("1 finding", "3 findings").
- **Messages built in metrics/ or services/** (no streamlit there): they *carry* their English as
  ``metrics.text.Text("Indonesia", "English")`` — a ``str`` subclass that is the Indonesian text
  and has ``.en``. Render them with ``tr(message)`` (also takes a ``PantauError``). A plain ``str``
  message (written Indonesian-first) is shown as written, so older code keeps working; convert it
  to ``Text`` to give it an English text.
- **Messages in a frame column** (pandas 3 stores a column as plain ``str``, dropping ``.en``):
  keep a key column and map it to a ``Text`` catalogue here. Data-quality findings take their
  English from the check's catalogue entry keyed by ``kode`` (``metrics.quality.QUALITY_CHECKS``:
  ``judul_en``, ``saran_en``; see ``dashboard.quality_views.finding_messages``); a new check
  without ``saran_en`` shows its English title.

Streamlit's own texts that take a parameter are set from here: ``CHOOSE`` (selectbox and
multiselect placeholder), ``DATE_FORMAT`` (date_input).
"""

from __future__ import annotations

import streamlit as st

from dashboard.browser_cookies import browser_cookies, run_in_browser, set_cookie_script
from metrics.errors import PantauError
from metrics.text import count_text, english

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
_STATE_KEY = "bahasa"
# The language carried across ``switch_to`` (Streamlit resets the radio's widget state when a
# page switches pages: "Buka" in Antrean Saya opened Perbarui in Indonesian).
_CARRIED_KEY = "_pantau_bahasa_dibawa"


def language() -> str:
    """The language chosen in this session (``"id"`` unless the user switched)."""
    return st.session_state.get(_STATE_KEY, "id")


def t(indonesian: str, english: str) -> str:
    """The text in the session's language."""
    return english if language() == "en" else indonesian


def tr(message: object) -> str:
    """A message from metrics/services (``Text``, ``PantauError`` or plain ``str``) in the
    session's language; a plain ``str`` has only the text it was written in."""
    if isinstance(message, PantauError):
        message = getattr(message, "text", str(message))  # a subclass that skipped PantauError.__init__
    if language() == "en":
        return english(message)
    return str(message)


def t_count(n: int, indonesian: str, singular: str, plural: str) -> str:
    """``n`` with its noun, English singular/plural by ``n``: ``t_count(1, "temuan", "finding",
    "findings")`` -> "1 finding"."""
    return tr(count_text(n, indonesian, singular, plural))


def choose() -> str:
    """Placeholder of a selectbox/multiselect (Streamlit's own is "Choose an option")."""
    return t("Pilih…", "Choose…")


# date_input shows dates day-first, as both languages here write them.
DATE_FORMAT = "DD/MM/YYYY"


_COOKIE = "pantau_bahasa"


def _remembered() -> str:
    """The language this browser chose before (a reload or a link starts a new session)."""
    value = browser_cookies().get(_COOKIE, "")
    return value if value in LANGUAGES else "id"


def show_language_switch() -> str:
    """Sidebar switch between Indonesian and English; returns the chosen language code. The
    choice is kept in a browser cookie (a year), so a reload does not fall back to Indonesian."""
    carried = st.session_state.pop(_CARRIED_KEY, None)
    if carried in LANGUAGES:
        st.session_state[_STATE_KEY] = carried
    st.session_state.setdefault(_STATE_KEY, _remembered())
    st.sidebar.radio(
        "Bahasa / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=_STATE_KEY,
        horizontal=True,
    )
    chosen = language()
    if chosen != _remembered() or st.session_state.get("_pantau_bahasa_ditulis") not in (None, chosen):
        st.session_state["_pantau_bahasa_ditulis"] = chosen
        with st.sidebar:
            run_in_browser(
                set_cookie_script(_COOKIE, chosen, max_age_seconds=365 * 24 * 3600, same_site="Lax")
            )
    return chosen


def switch_to(page: str) -> None:
    """``st.switch_page`` that keeps the session's language (the sidebar radio's state would
    fall back to the browser's remembered choice)."""
    st.session_state[_CARRIED_KEY] = language()
    st.switch_page(page)
