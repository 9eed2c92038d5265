"""Use-cases of Pantau Aduan (no Streamlit): the pages call these."""
