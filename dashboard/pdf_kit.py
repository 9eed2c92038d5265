"""Moved to ``services.pdf_kit`` (no streamlit in it; services build PDFs too); kept for the UI."""

from services.pdf_kit import FONT, FONT_DIR, PantauPDF, new_document, pdf_bytes

__all__ = ["FONT", "FONT_DIR", "PantauPDF", "new_document", "pdf_bytes"]
