"""Streamlit glue of Pantau Aduan.

Streamlit treats an app that has a ``pages/`` folder as a legacy multipage app until the first
``st.navigation`` call of the server process: a fresh server's first request straight to e.g.
``/masuk`` would run that page on its own (no entrypoint, so no role menu and no language switch)
for every session until someone opened the root URL. This app only uses ``st.navigation``, so the
legacy mode is switched off as soon as any page imports this package, and
``dashboard.access.require`` reruns such a first request through the entrypoint.
(Streamlit internal; pinned version; covered by tests/browser/test_deep_link.py.)
"""

from streamlit.runtime.pages_manager import PagesManager

PagesManager.uses_pages_directory = False

# Set by streamlit_app.py in every session it has run in.
ENTRYPOINT_MARK = "_pantau_entrypoint"
