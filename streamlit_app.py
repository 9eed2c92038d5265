"""Pantau Aduan — the one entrypoint: ``streamlit run streamlit_app.py``.

The menu shows the pages of the viewer's role (``dashboard.navigation.pages_for``); each page
re-checks access itself (``dashboard.access.require``).
"""

import streamlit as st

from dashboard import ENTRYPOINT_MARK
from dashboard.access import role_label
from dashboard.auth import keep_login_cookie, log_out, pop_notice, session_viewer
from dashboard.i18n import show_language_switch, t
from dashboard.navigation import build_navigation, pages_for
from dashboard.settings import current_settings

st.set_page_config(page_title="Pantau Aduan", page_icon=":material/campaign:", layout="wide")
st.session_state[ENTRYPOINT_MARK] = True
show_language_switch()
viewer = session_viewer()
with st.sidebar:
    if viewer.is_staff:
        desa = ", ".join(viewer.desa) if viewer.desa else t("semua desa", "all villages")
        st.caption(
            t("Masuk sebagai **{n}** · {r} · {d}", "Logged in as **{n}** · {r} · {d}").format(
                n=viewer.name, r=role_label(viewer.role), d=desa
            )
        )
        if st.button(t("Keluar", "Log out"), icon=":material/logout:", key="keluar_sidebar"):
            log_out()
            st.rerun()
    keep_login_cookie()
page = build_navigation(pages_for(viewer.role, current_settings().public_overview))
# A session that ended (inactivity, logout in another tab) or an unknown account is said on
# whatever page the user is on; Masuk / Akun says it in its own place.
if page.url_path != "masuk" and (notice := pop_notice()):
    st.warning(notice, icon=":material/info:")
page.run()
