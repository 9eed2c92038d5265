"""Pemantauan SLA: what is late, what is about to be, where complaints get stuck, one complaint's path."""

import streamlit as st

from dashboard.access import require_page, scoped
from dashboard.components import show_empty
from dashboard.filters import show_filters
from dashboard.i18n import t
from dashboard.shell import page_register
from dashboard.sla_views import show_sla_monitor

viewer = require_page("pemantauan-sla")
st.title(t("Pemantauan SLA", "SLA monitor"))
loaded = page_register()
if loaded is not None:
    visible = scoped(loaded, viewer)
    filters = show_filters(loaded, allowed_desa=viewer.allowed_desa)
    mask = filters.mask(visible.complaints)
    complaints, flags = visible.complaints[mask], visible.flags[mask]
    if complaints.empty:
        show_empty()
    else:
        show_sla_monitor(loaded, complaints, flags)
