"""Small widgets shared by every page (no page logic, no data loading)."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t


def show_empty(
    message_id: str = "Belum ada data pengaduan untuk pilihan ini.",
    message_en: str = "No complaints match this selection yet.",
) -> None:
    st.info(t(message_id, message_en), icon=":material/inbox:")


# Characters Markdown (and Streamlit's extensions: ``:red[..]``, ``:material/icon:``, ``$math$``)
# gives a meaning; each is escaped with a backslash in text shown through a Markdown element.
MARKDOWN_CHARACTERS = frozenset("\\`*_{}[]()<>#+-.!|~$&:")


def plain(text: object) -> str:
    """User-supplied text for a place that renders Markdown (a heading, a caption): every Markdown
    and HTML character escaped, so a cell is shown exactly as written and never becomes a link,
    an image or formatting."""
    if text is None:
        return ""
    out = []
    for char in str(text):
        if char in MARKDOWN_CHARACTERS:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def plain_lines(text: object) -> str:
    """``plain`` keeping the text's line breaks (Markdown would join single lines)."""
    return "  \n".join(plain(line) for line in str(text or "").splitlines())
