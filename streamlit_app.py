"""Pantau Aduan — the one entrypoint: ``streamlit run streamlit_app.py``.

The menu shows the pages of the viewer's role (``dashboard.navigation.pages_for``); each page
re-checks access itself (``dashboard.access.require``).
"""

import streamlit as st

from dashboard.i18n import show_language_switch, switch_to, t

# Something on screen before the heavy imports: the first run after a server start imports pandas,
# plotly, the metrics and the views (7-12 s on a busy 2-core machine) and the page stayed blank
# meanwhile. Only streamlit and dashboard.i18n are imported above this line.
st.set_page_config(page_title="Pantau Aduan", page_icon=":material/campaign:", layout="wide")
show_language_switch()
_loading = st.empty()
_loading.caption(t("Memuat aplikasi…", "Loading the app…"))

from dashboard.access import role_label  # noqa: E402
from dashboard.auth import keep_login_cookie, log_out, pop_notice, session_viewer  # noqa: E402
from dashboard.components import plain  # noqa: E402
from dashboard.navigation import build_navigation, pages_for  # noqa: E402
from dashboard.profile_choice import show_profile_choice  # noqa: E402
from dashboard.settings import current_settings  # noqa: E402

_AFTER_LOGIN_KEY = "_pantau_after_login"

viewer = session_viewer()
public_overview, public_intake = current_settings().public_overview, current_settings().public_intake
with st.sidebar:
    if viewer.is_staff:
        desa = ", ".join(viewer.desa) if viewer.desa else t("semua desa", "all villages")
        st.caption(
            t("Masuk sebagai **{n}** · {r} · {d}", "Logged in as **{n}** · {r} · {d}").format(
                n=plain(viewer.name), r=role_label(viewer.role), d=plain(desa)
            )
        )
        if st.button(t("Keluar", "Log out"), icon=":material/logout:", key="keluar_sidebar"):
            log_out()
            st.rerun()
    show_profile_choice(viewer)  # a synced kabupaten: the SOP profile the pages show
    keep_login_cookie()
allowed = pages_for(viewer.role, public_overview, public_intake=public_intake)
page, spec = build_navigation(allowed)
if spec not in allowed and not viewer.is_staff:
    # A link to a page that needs a login (a bookmark to Register, a link in a chat): the page
    # itself asks for the login; it is opened again right after.
    st.session_state[_AFTER_LOGIN_KEY] = spec.url
elif viewer.is_staff and (wanted_url := st.session_state.pop(_AFTER_LOGIN_KEY, None)):
    wanted = next((allowed_spec for allowed_spec in allowed if allowed_spec.url == wanted_url), None)
    if wanted is not None and wanted != spec:
        switch_to(wanted.path)
# A session that ended (inactivity, logout in another tab) or an unknown account is said on
# whatever page the user is on; Masuk / Akun says it in its own place.
if spec.url != "masuk" and (notice := pop_notice()):
    st.warning(notice, icon=":material/info:")
_loading.empty()
page.run()
