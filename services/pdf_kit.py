"""A4 PDF documents made offline (fpdf2), with an embedded Unicode TTF font.

The DejaVu Sans font ships inside matplotlib (already a dependency for report charts), so
Indonesian text, dashes, quotes and the rupiah sign render without any download or browser.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"


class PantauPDF(FPDF):
    """A4 portrait document with the DejaVu family registered and page numbers in the footer.

    Regular, bold and italic only: parsing a TTF takes ~0.2–0.5 s (bench/documents.py), and no
    document uses bold italic."""

    def __init__(self, footer_text: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_font(FONT, size=10)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 15, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "I", 8)
        self.cell(0, 6, f"{self.footer_text}  ·  Halaman {self.page_no()}/{{nb}}", align="C")

    def letterhead(self, lines: list[str]) -> None:
        """Centered bold heading lines (e.g. PEMERINTAH DESA …) and a double rule under them."""
        self.set_font(FONT, "B", 13)
        for line in lines:
            self.cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
        y = self.get_y() + 1.5
        self.set_line_width(0.8)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.2)
        self.line(self.l_margin, y + 1.2, self.w - self.r_margin, y + 1.2)
        self.set_y(y + 5)
        self.set_font(FONT, "", 10)


def new_document(footer_text: str = "Pantau Aduan") -> PantauPDF:
    pdf = PantauPDF(footer_text)
    pdf.alias_nb_pages()
    pdf.add_page()
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
