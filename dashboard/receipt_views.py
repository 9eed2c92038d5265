"""Printing a complaint's receipt (tanda terima) again later, from Register and Perbarui
(issue 13.6). The receipt itself is drawn by ``dashboard.receipts.receipt_pdf``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.data import local_now
from dashboard.i18n import t
from dashboard.receipts import receipt_pdf
from dashboard.settings import Settings
from metrics.profiles import Profile
from services.access import Viewer
from services.documents import DocumentSettings


def receipt_fields(complaint: Mapping[str, Any]) -> dict[str, Any]:
    """A register row (typed) as the receipt takes it: missing cells empty, Rahasia as Ya/Tidak."""
    out = {
        key: (None if not isinstance(value, str) and pd.isna(value) else value)
        for key, value in complaint.items()
        if not isinstance(value, list | tuple | dict)
    }
    out["rahasia"] = (
        "Ya"
        if bool(out.get("rahasia")) and str(out.get("rahasia")).lower() not in ("tidak", "false", "0")
        else "Tidak"
    )
    return out


def show_receipt_download(
    complaint: Mapping[str, Any], profile: Profile, viewer: Viewer, settings: Settings, *, key: str
) -> None:
    """A download button for the complaint's receipt, for those who may write its desa (the
    receipt carries the reporter's name and phone); drawn only when clicked."""
    if not viewer.can_write(str(complaint.get("desa") or "")):
        return
    nomor = str(complaint.get("nomor") or "")
    fields = receipt_fields(complaint)

    def build() -> bytes:
        return receipt_pdf(
            fields,
            profile,
            petugas=viewer.name,
            kecamatan=settings.kecamatan,
            kabupaten=settings.kabupaten,
            printed_at=local_now(profile).to_pydatetime(),
            public_url=settings.public_url,
            settings=DocumentSettings.from_secrets(settings.secrets, settings.kecamatan, settings.kabupaten),
        )

    st.download_button(
        t("Cetak ulang tanda terima (PDF)", "Print the receipt again (PDF)"),
        data=build,
        file_name=f"tanda_terima_{nomor.replace('/', '-')}.pdf",
        mime="application/pdf",
        icon=":material/receipt_long:",
        key=key,
        on_click="ignore",
    )
