"""Streamlit glue of Pantau Aduan: session, login, cached loading, components and views.

Page files live in ``app_pages/`` (not ``pages/``: Streamlit's legacy multipage mode is never
switched on) and are listed once in ``dashboard.navigation``.
"""
