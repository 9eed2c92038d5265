"""The printable PDF of a document: the bundled layout (``layouts.py``) drawn with fpdf2 and the
DejaVu font, emoji with Symbola (``services.pdf_kit.printable``; no browser, no office suite). Field values are data, never template code: each
layout text is rendered once with the values inserted as they are."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from services.documents.layouts import LAYOUTS, Para, Rows, Signatures, Table, Title
from services.pdf_kit import FONT, PantauPDF, pdf_bytes, printable

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
LINE = 5.5


def _fill(text: str, context: Mapping[str, Any], **extra: Any) -> str:
    return printable(_ENV.from_string(text).render({**context, **extra}))


def _kop(pdf: PantauPDF, context: Mapping[str, Any], logo: str | Path) -> None:
    top = pdf.get_y()
    if logo and Path(logo).is_file():
        pdf.image(str(logo), x=pdf.l_margin, y=top, h=22)
    pdf.set_font(FONT, "B", 13)
    for line in str(context["kop"]).split("\n"):
        pdf.cell(0, 6.5, printable(line), align="C", new_x="LMARGIN", new_y="NEXT")
    if context.get("kop_kontak"):
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, printable(str(context["kop_kontak"])), align="C", new_x="LMARGIN", new_y="NEXT")
    y = max(pdf.get_y(), top + (23 if logo and Path(logo).is_file() else 0)) + 1.5
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.2, pdf.w - pdf.r_margin, y + 1.2)
    pdf.set_y(y + 5)
    pdf.set_font(FONT, "", 10)


def _rows(pdf: PantauPDF, rows: tuple[tuple[str, str], ...], context: Mapping[str, Any]) -> None:
    for label, value in rows:
        pdf.set_font(FONT, "", 10)
        pdf.cell(44, LINE, printable(label))
        pdf.cell(4, LINE, ":")
        pdf.multi_cell(0, LINE, _fill(value, context), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _table(pdf: PantauPDF, table: Table, context: Mapping[str, Any]) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    widths = [w * width / sum(table.widths) for w in table.widths]
    items = list(context.get(table.items) or [])
    rows = [[_fill(cell, context, p=item) for cell in table.cells] for item in items]
    rows += [[str(len(items) + i + 1)] + [""] * (len(table.cells) - 1) for i in range(table.blank)]
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=widths, width=width, line_height=7, padding=1.2) as grid:
        heading = grid.row()
        for header in table.headers:
            heading.cell(header)
        for row in rows:
            cells = grid.row()
            for value in row:
                cells.cell(value)
    pdf.ln(3)


def _signatures(pdf: PantauPDF, block: Signatures, context: Mapping[str, Any]) -> None:
    """One signatory on the right (as on a letter), two side by side; the name lines level."""
    if pdf.get_y() > pdf.h - 65:
        pdf.add_page()
    people = list(block.people)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    slots = [(1, people[0])] if len(people) == 1 else list(enumerate(people[:2]))
    top = pdf.get_y() + 2
    captions_end = top
    pdf.set_font(FONT, "", 10)
    for column, person in slots:
        x = pdf.l_margin + column * half
        pdf.set_xy(x, top)
        for text in (person.caption, person.jabatan):
            pdf.set_x(x)
            pdf.multi_cell(half, LINE, _fill(text, context), align="C", new_x="LEFT", new_y="NEXT")
        captions_end = max(captions_end, pdf.get_y())
    bottom = captions_end
    for column, person in slots:
        x = pdf.l_margin + column * half
        pdf.set_xy(x, captions_end + 18)
        pdf.set_font(FONT, "BU", 10)
        pdf.multi_cell(half, LINE, _fill(person.nama, context), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        nip = _fill(person.nip, context) if person.nip else ""
        if nip:
            pdf.set_x(x)
            pdf.multi_cell(half, LINE, nip, align="C", new_x="LEFT", new_y="NEXT")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 4)


def render_pdf(kind: str, context: Mapping[str, Any], logo: str | Path = "") -> bytes:
    """The PDF of ``kind`` filled with ``context``."""
    pdf = PantauPDF(footer_text=printable(f"{context['jenis_dokumen']} · {context['nomor_pengaduan']}"))
    pdf.alias_nb_pages()
    pdf.add_page()
    _kop(pdf, context, logo)
    for block in LAYOUTS[kind].blocks:
        if isinstance(block, Title):
            pdf.set_font(FONT, "BU", 12)
            pdf.cell(0, 7, printable(block.text), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 10)
            if block.subtitle:
                pdf.cell(0, 6, _fill(block.subtitle, context), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif isinstance(block, Para):
            pdf.set_font(FONT, "B" if block.bold else "", 7.5 if block.small else 10)
            single_field = (
                block.text.startswith("{{") and block.text.endswith("}}") and block.text.count("{{") == 1
            )
            align = "L" if single_field else {"left": "L", "center": "C", "justify": "J"}[block.align]
            pdf.multi_cell(
                0,
                4 if block.small else LINE,
                _fill(block.text, context),
                align=align,
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(1.5)
        elif isinstance(block, Rows):
            _rows(pdf, block.rows, context)
        elif isinstance(block, Table):
            _table(pdf, block, context)
        elif isinstance(block, Signatures):
            _signatures(pdf, block, context)
    return pdf_bytes(pdf)
