"""Filling the Word templates (docxtpl) and drawing the printable PDF (fpdf2) of a document.

Templates: ``templates/dokumen/<jenis>.docx`` bundled; an office's folder (``[dokumen]
templates``) holding ``<jenis>.docx`` overrides the bundled one of that kind. A template naming a
field the app does not fill is refused with the field's name (before anything is filled); a file
that is not a readable Word document, or whose tags are broken, is refused with a message naming
the file. Values are inserted with autoescaping and never rendered again: ``{{ }}``, ``{% %}``,
``=HYPERLINK(…)`` typed by someone appear as those characters.

PDF: drawn from the same fields and the bundled layout with fpdf2 (no browser, no office suite at
run time); an office's edited Word template changes the DOCX, the PDF keeps the bundled layout
(see README, "Dokumen").
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, Listing
from lxml.etree import XMLSyntaxError

from metrics.errors import PantauError
from services.documents.context import FIELDS

BUNDLED_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "dokumen"


class TemplateProblem(PantauError):
    """An office template cannot be used; the message names the file and what is wrong."""


def template_path(kind: str, office_dir: str | Path | None = None) -> Path:
    """The office's ``<kind>.docx`` when its folder has one, else the bundled template."""
    if office_dir:
        folder = Path(office_dir).expanduser()
        if not folder.is_dir():
            raise TemplateProblem(
                f"Folder templat kantor '{folder}' (pengaturan [dokumen] templates) tidak ditemukan."
            )
        own = folder / f"{kind}.docx"
        if own.is_file():
            return own
    path = BUNDLED_DIR / f"{kind}.docx"
    if not path.is_file():
        raise TemplateProblem(f"Templat bawaan '{path.name}' tidak ada di {BUNDLED_DIR}.")
    return path


def _environment() -> jinja2.Environment:
    # StrictUndefined: ``{{ kepala.gelar }}`` (a part the app does not fill) is refused, not left blank
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def _open(path: Path) -> DocxTemplate:
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError, OSError) as error:
        raise TemplateProblem(
            f"Templat '{path.name}' rusak atau bukan dokumen Word (.docx) yang dapat dibaca: {error}. "
            "Simpan ulang dari Word/LibreOffice sebagai .docx, atau hapus dari folder templat kantor "
            "agar templat bawaan dipakai."
        ) from None
    return template


def check_template(path: Path) -> DocxTemplate:
    """The opened template, refused when it is broken or names a field the app does not fill."""
    template = _open(path)
    try:
        used = template.get_undeclared_template_variables(_environment())
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(
            f"Templat '{path.name}' memuat tanda {{{{ }}}} / {{% %}} yang rusak: {error.message}."
        ) from None
    except (XMLSyntaxError, ValueError, KeyError) as error:
        raise TemplateProblem(f"Templat '{path.name}' tidak dapat dibaca: {error}.") from None
    unknown = sorted(used - set(FIELDS))
    if unknown:
        raise TemplateProblem(
            f"Templat '{path.name}' memakai kolom yang tidak dikenal: {', '.join(unknown)}. "
            f"Kolom yang tersedia: {', '.join(FIELDS)}."
        )
    return template


def _docx_value(value: Any) -> Any:
    """Plain text as docxtpl inserts it: escaped, line breaks kept (Listing)."""
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, Mapping):
        return {k: _docx_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_docx_value(v) for v in value]
    return value


def render_docx(
    kind: str, context: Mapping[str, Any], office_dir: str | Path | None = None, logo: str | Path = ""
) -> bytes:
    """The filled Word document of ``kind``."""
    path = template_path(kind, office_dir)
    template = check_template(path)
    values = {key: _docx_value(value) for key, value in context.items()}
    values["logo"] = ""
    if logo:
        logo_path = Path(logo).expanduser()
        if not logo_path.is_file():
            raise TemplateProblem(f"Logo '{logo_path}' (pengaturan [dokumen] logo) tidak ditemukan.")
        from docxtpl import InlineImage

        values["logo"] = InlineImage(template, str(logo_path), height=Mm(22))
    try:
        template.render(values, _environment(), autoescape=True)
    except jinja2.UndefinedError as error:
        raise TemplateProblem(
            f"Templat '{path.name}' memakai kolom yang tidak dikenal: {error.message}."
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(
            f"Templat '{path.name}' memuat tanda {{{{ }}}} / {{% %}} yang rusak: {error.message}."
        ) from None
    except jinja2.TemplateError as error:
        raise TemplateProblem(f"Templat '{path.name}' tidak dapat diisi: {error}.") from None
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
