"""A4 PDF documents made offline (fpdf2), with an embedded Unicode TTF font.

The DejaVu Sans font ships inside matplotlib (already a dependency for report charts), so
Indonesian text, dashes, quotes and the rupiah sign render without any download or browser.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
# Emoji and symbols DejaVu lacks are drawn with Debian's Symbola (package fonts-symbola, a
# monochrome outline font: fpdf2 embeds it like DejaVu). Noto Color Emoji is a bitmap (CBDT)
# font and would make every PDF several MB larger. Without Symbola, or for a character no font
# has, a visible placeholder is printed: user text is never silently dropped.
SYMBOL_FONT = "Symbola"
SYMBOL_FONT_PATH = Path(
    os.environ.get("PANTAU_SYMBOL_FONT", "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")
)
PLACEHOLDER = "\u25a1"  # □ (in DejaVu): a character neither font can draw
# invisible joiners and emoji variation selectors: part of an emoji's spelling, nothing to draw
_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F}
_log = logging.getLogger(__name__)


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
        if symbol_font_path() is not None:
            self.add_font(SYMBOL_FONT, "", str(SYMBOL_FONT_PATH))
            self.set_fallback_fonts([SYMBOL_FONT], exact_match=False)
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


@functools.cache
def symbol_font_path() -> Path | None:
    """Symbola's file when installed (``apt-get install fonts-symbola``); else None, said once in
    the log."""
    if SYMBOL_FONT_PATH.is_file():
        return SYMBOL_FONT_PATH
    _log.warning(
        "Font emoji/simbol %s tidak ada (apt-get install fonts-symbola): emoji di PDF dicetak sebagai %s.",
        SYMBOL_FONT_PATH,
        PLACEHOLDER,
    )
    return None


@functools.cache
def _covered() -> frozenset[int]:
    fonts = [FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"]
    symbols = symbol_font_path()
    regular = set(TTFont(str(fonts[0]), lazy=True).getBestCmap())
    bold = set(TTFont(str(fonts[1]), lazy=True).getBestCmap())
    extra = set(TTFont(str(symbols), lazy=True).getBestCmap()) if symbols else set()
    return frozenset((regular & bold) | extra)


def printable(text: str) -> str:
    """``text`` as the PDF fonts can draw it: every character kept, except that one no font has
    becomes a visible placeholder (□) and invisible emoji joiners/selectors are left out."""
    covered = _covered()
    out = []
    for char in text:
        code = ord(char)
        if code in _INVISIBLE:
            continue
        out.append(char if code < 0x20 or code in covered else PLACEHOLDER)
    return "".join(out)
