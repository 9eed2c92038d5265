"""What every page shows around its content: the data source status and reload button."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import streamlit as st

from dashboard.access import current_viewer
from dashboard.components import plain, show_empty
from dashboard.data import LoadedRegister, load_register, reload_register
from dashboard.i18n import language, t, tr
from dashboard.intake_views import merge_on_refresh
from dashboard.quality_views import finding_messages, show_set_aside_notice
from dashboard.settings import current_settings
from dashboard.sync_views import show_store_health
from metrics.errors import PantauError


def loaded_time(loaded: LoadedRegister) -> dt.datetime:
    """When the register was read, as wall-clock time of the profile's time zone (``loaded_at``
    is the server's naive local time, often UTC)."""
    stamp = loaded.loaded_at
    try:
        zone = zoneinfo.ZoneInfo(loaded.profile.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return stamp
    # A naive datetime is taken as the server's local time by astimezone().
    return stamp.astimezone(zone).replace(tzinfo=None)


def show_source_status(loaded: LoadedRegister) -> None:
    """Sidebar: where the data comes from, when it was read, and *Muat ulang*."""
    with st.sidebar:
        st.caption(
            t("Sumber: **{src}** · data per {time}", "Source: **{src}** · data as of {time}").format(
                src=plain(loaded.source_label), time=loaded_time(loaded).strftime("%H:%M")
            )
        )
        st.caption(t("Profil SOP: {p}", "SOP profile: {p}").format(p=plain(loaded.profile.name)))
        if st.button(t("Muat ulang", "Reload"), icon=":material/refresh:", key="muat_ulang"):
            reload_register()
            st.rerun()
    show_source_warnings(loaded)
    show_store_health(current_settings())


def show_source_warnings(loaded: LoadedRegister) -> None:
    """Above the page: stale data after a failed read, and sheets whose header is not understood."""
    if loaded.stale_reason:
        st.warning(
            t(
                "Register tidak dapat dibaca ulang: {reason}\n\nYang tampil adalah data terakhir per {time}.",
                "The register could not be read again: {reason}\n\nShowing the last data as of {time}.",
            ).format(
                reason=plain(tr(loaded.stale_reason)), time=loaded_time(loaded).strftime("%d-%m-%Y %H:%M")
            ),
            icon=":material/cloud_off:",
        )
    findings = loaded.register.findings
    if len(findings):
        no_header = findings[findings["kode"] == "HEADER_TIDAK_DITEMUKAN"]
        for sheet, message in zip(no_header["sheet"], finding_messages(no_header), strict=True):
            # the Indonesian message names the sheet; the English catalogue entry does not
            st.warning(
                plain(message if language() != "en" else f"{sheet}: {message}"), icon=":material/table_rows:"
            )


def page_register(set_aside_notice: bool = True) -> LoadedRegister | None:
    """Load the register for a page; on failure show the reason and return None. Staff also see
    the data source and the "rows set aside — see Kualitas Data" notice (not on that page itself)."""
    try:
        loaded = load_register()
    except PantauError as error:
        st.error(tr(error))
        return None
    viewer = current_viewer()
    loaded = merge_on_refresh(loaded, viewer)  # new Google Form responses, for petugas/admin
    if viewer.is_staff:  # the public (overview) does not see where the data lives
        show_source_status(loaded)
        if set_aside_notice:
            show_set_aside_notice(loaded)
    return loaded


__all__ = ["loaded_time", "page_register", "show_empty", "show_source_status", "show_source_warnings"]
