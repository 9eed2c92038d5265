"""Use-cases of Pantau Aduan: who may do what, recording and updating complaints, the register,
its history and its quality findings as a given viewer may see them.

No streamlit here: pages call these functions and render the result. Services may call a
``data_sources.base.RegisterSource`` and anything in ``metrics/``; never ``dashboard/``.
"""
