"""Build the bundled Word templates ``templates/dokumen/<jenis>.docx`` from the layouts in
``services/documents/layouts.py`` (python-docx). Run after changing a layout and commit the
result:  ``.venv/bin/python -m templates.build_templates``

The templates use docxtpl's Jinja tags (``{{ nama_pelapor }}``, ``{%tr for p in rapat_peserta %}``);
an office copies one, changes it in Word/LibreOffice (kop, logo, wording) and puts it in its own
folder (``[dokumen] templates``) under the same file name.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from services.documents.layouts import LAYOUTS, Para, Rows, Signatures, Table, Title  # noqa: E402

OUT = ROOT / "templates" / "dokumen"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
FONT = "Arial"


def _spacing(paragraph, after: float = 2) -> None:
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)


def _text(paragraph, text: str, *, bold: bool = False, size: float = 11, underline: bool = False) -> None:
    """Add ``text`` as runs; each line break of the layout text becomes a Word line break.
    A Jinja tag never spans two runs (docxtpl needs it whole)."""
    for number, line in enumerate(text.split("\n")):
        if number:
            paragraph.add_run().add_break()
        run = paragraph.add_run(line)
        run.bold = bold
        run.underline = underline
        run.font.size = Pt(size)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _bottom_rule(paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thinThickSmallGap")
    bottom.set(qn("w:sz"), "18")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths, written both where Word reads them (cells) and where LibreOffice
    does (the table grid)."""
    table.autofit = False
    table_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table_pr.append(layout)
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def kop(document) -> None:
    table = document.add_table(rows=1, cols=3)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [2.2, 12.6, 2.2])
    logo, text, _ = table.rows[0].cells
    _text(logo.paragraphs[0], "{{ logo }}")
    heading = text.paragraphs[0]
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(heading, 0)
    _text(heading, "{{ kop }}", bold=True, size=12)
    contact = text.add_paragraph()
    contact.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(contact, 0)
    _text(contact, "{{ kop_kontak }}", size=8)
    rule = document.add_paragraph()
    _spacing(rule, 8)
    _bottom_rule(rule)


def block(document, item) -> None:
    if isinstance(item, Title):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, 0)
        _text(paragraph, item.text, bold=True, size=12, underline=True)
        if item.subtitle:
            sub = document.add_paragraph()
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _text(sub, item.subtitle)
        _spacing(document.add_paragraph(), 0)
    elif isinstance(item, Para):
        paragraph = document.add_paragraph()
        # a paragraph that is one field holds typed text with line breaks: never stretch it
        single_field = item.text.startswith("{{") and item.text.endswith("}}") and item.text.count("{{") == 1
        paragraph.alignment = ALIGN["left" if single_field else item.align]
        _spacing(paragraph, 6)
        _text(paragraph, item.text, bold=item.bold, size=8 if item.small else 11)
    elif isinstance(item, Rows):
        table = document.add_table(rows=len(item.rows), cols=3)
        _no_borders(table)
        _widths(table, [4.6, 0.5, 11.9])
        for row, (label, value) in zip(table.rows, item.rows, strict=True):
            _text(row.cells[0].paragraphs[0], label)
            _text(row.cells[1].paragraphs[0], ":")
            _text(row.cells[2].paragraphs[0], value)
        _spacing(document.add_paragraph(), 0)
    elif isinstance(item, Table):
        table = document.add_table(rows=4 + item.blank, cols=len(item.headers))
        table.style = "Table Grid"
        widths = [w / 10 for w in item.widths]
        for cell, header in zip(table.rows[0].cells, item.headers, strict=True):
            _text(cell.paragraphs[0], header, bold=True)
        table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for p in {item.items} %}}")
        for cell, value in zip(table.rows[2].cells, item.cells, strict=True):
            _text(cell.paragraphs[0], value)
        table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        for row in (table.rows[2], *table.rows[4:]):
            row.height = Cm(0.9)
        _widths(table, widths)
        _spacing(document.add_paragraph(), 0)
    elif isinstance(item, Signatures):
        table = document.add_table(rows=1, cols=2)
        _no_borders(table)
        _widths(table, [8.5, 8.5])
        cells = table.rows[0].cells
        people = list(item.people)
        # one signatory signs on the right, as on a letter
        slots = [None, people[0]] if len(people) == 1 else people[:2]
        for cell, person in zip(cells, slots, strict=True):
            if person is None:
                continue
            lines = [(person.caption, False), (person.jabatan, False)]
            first = cell.paragraphs[0]
            first.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _text(first, person.caption)
            for text, bold in lines[1:]:
                paragraph = cell.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _spacing(paragraph, 0)
                _text(paragraph, text, bold=bold)
            for _ in range(3):
                _spacing(cell.add_paragraph(), 0)
            name = cell.add_paragraph()
            name.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(name, 0)
            _text(name, person.nama, bold=True, underline=True)
            if person.nip:
                nip = cell.add_paragraph()
                nip.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _text(nip, person.nip)
        _spacing(document.add_paragraph(), 0)
    else:  # pragma: no cover - a layout block this builder does not know
        raise TypeError(f"unknown layout block {item!r}")


def build(kind: str, folder: Path = OUT) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    document.core_properties.title = kind
    document.core_properties.author = "Pantau Aduan"
    kop(document)
    for item in LAYOUTS[kind].blocks:
        block(document, item)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.docx"
    document.save(path)
    return path


def main() -> None:
    for kind in LAYOUTS:
        print(build(kind).relative_to(ROOT))


if __name__ == "__main__":
    main()
