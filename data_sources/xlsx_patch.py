"""Change a few cells of an .xlsx in place: the sheet's XML is patched, every other part of the
package (styles, Excel 2010+ data validations, tables, charts, macros' neighbours, comments...)
is copied unchanged, so a save keeps whatever the user's workbook had.

Re-serialising the workbook with openpyxl would drop what openpyxl does not model (for example
an ``x14:dataValidation`` dropdown pointing at a list on another sheet) and costs seconds on a big
register; patching costs one pass over the changed sheet's XML.

Only what a register write needs is supported: set cells (as inline strings, keeping the cell's
style), add rows, add a worksheet. Anything unexpected raises ``XlsxUnsupported`` BEFORE a byte is
written, with a message naming what could not be kept.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["XlsxPackage", "XlsxUnsupported", "column_index", "column_letters", "unescape_xml"]

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = _REL_NS + "/worksheet"
_WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# characters XML 1.0 cannot carry at all (a cell holding one would make the file unreadable)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')


class XlsxUnsupported(Exception):
    """The workbook has something the in-place patch cannot keep; nothing was written."""


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


def _attrs(tag: str) -> dict[str, str]:
    return dict(_ATTR.findall(tag))


class XlsxPackage:
    """An .xlsx opened for patching; ``save_bytes`` gives the new package."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._archive = zipfile.ZipFile(self.path)  # noqa: SIM115 - members are read on demand
        self._infos = self._archive.infolist()
        self._names = {info.filename for info in self._infos}
        self._data: dict[str, bytes] = {}  # decompressed members read or changed so far
        self._decoded: dict[str, str] = {}  # the same as text (a big sheet is decoded once)
        self._changed: set[str] = set()
        self._dropped: set[str] = set()
        self.workbook_part = self._office_document()
        self.sheets = self._sheet_list()  # [(name, part, state)]

    # -------------------------------------------------------------- package structure
    def _has(self, part: str) -> bool:
        return part in self._data or part in self._names

    def _text(self, part: str) -> str:
        if part not in self._data:
            try:
                self._data[part] = self._archive.read(part)
            except KeyError as error:
                raise XlsxUnsupported(f"bagian '{part}' tidak ada di berkas") from error
        text = self._decoded.get(part)
        if text is None:
            text = self._decoded[part] = self._data[part].decode("utf-8")
        return text

    def close(self) -> None:
        self._archive.close()

    def part_text(self, part: str) -> str:
        """A part's XML as text (read once, then kept)."""
        return self._text(part)

    def related_part(self, type_suffix: str) -> str | None:
        """The workbook's related part whose relationship type ends with ``type_suffix``
        (e.g. ``/sharedStrings``, ``/styles``); None when there is none."""
        folder = posixpath.dirname(self.workbook_part)
        for tag in re.findall(
            r"<(?:\w+:)?Relationship\b[^>]*>", self._text(self._rels_part(self.workbook_part))
        ):
            attrs = _attrs(tag)
            if attrs.get("Type", "").endswith(type_suffix) and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join(folder, target))
        return None

    def _set(self, part: str, text: str) -> None:
        self._data[part] = text.encode("utf-8")
        self._decoded[part] = text
        self._changed.add(part)

    def _office_document(self) -> str:
        rels = self._text("_rels/.rels")
        for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
            attrs = _attrs(tag)
            if attrs.get("Type", "").endswith("/officeDocument"):
                return attrs["Target"].lstrip("/")
        raise XlsxUnsupported("berkas tidak memiliki bagian workbook")

    def _rels_part(self, part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", name + ".rels")

    def _relationships(self) -> dict[str, str]:
        """rId -> part name of the workbook's relationships."""
        folder = posixpath.dirname(self.workbook_part)
        found = {}
        for tag in re.findall(
            r"<(?:\w+:)?Relationship\b[^>]*>", self._text(self._rels_part(self.workbook_part))
        ):
            attrs = _attrs(tag)
            target = attrs.get("Target", "")
            if attrs.get("TargetMode") == "External":
                continue
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found[attrs.get("Id", "")] = part
        return found

    def _sheet_list(self) -> list[tuple[str, str, str]]:
        workbook = self._text(self.workbook_part)
        rels = self._relationships()
        sheets = []
        for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
            attrs = _attrs(tag)
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            name = unescape_xml(attrs.get("name", ""))
            sheets.append((name, rels.get(rid, ""), attrs.get("state", "visible")))
        return sheets

    def sheet_part(self, name: str) -> str | None:
        for sheet_name, part, _state in self.sheets:
            if sheet_name == name:
                return part
        return None

    def sheet_xml(self, name: str) -> str:
        part = self.sheet_part(name)
        if not part or not self._has(part):
            raise XlsxUnsupported(f"sheet '{name}' tidak dapat dibaca")
        return self._text(part)

    def add_sheet(self, name: str) -> str:
        """A new empty worksheet ``name`` at the end of the workbook; returns its part name."""
        number = 1
        while self._has(f"xl/worksheets/sheet{number}.xml"):
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        self._set(
            part,
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheetData></sheetData></worksheet>',
        )
        rels_part = self._rels_part(self.workbook_part)
        rels = self._text(rels_part)
        taken = set(re.findall(r'\bId="([^"]+)"', rels))
        rid_number = len(taken) + 1
        while f"rId{rid_number}" in taken:
            rid_number += 1
        rid = f"rId{rid_number}"
        target = posixpath.relpath(part, posixpath.dirname(self.workbook_part))
        rels = _insert_before_close(
            rels,
            "Relationships",
            f'<Relationship Id="{rid}" Type="{_WORKSHEET_TYPE}" Target="{target}"/>',
        )
        self._set(rels_part, rels)
        workbook = self._text(self.workbook_part)
        ids = [int(i) for i in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bsheetId="(\d+)"', workbook)]
        main = _element_prefix(workbook, "sheets")
        workbook = _insert_before_close(
            workbook,
            main + "sheets",
            f'<{main}sheet xmlns:r="{_REL_NS}" name="{escape(name, {chr(34): "&quot;"})}" '
            f'sheetId="{max(ids, default=0) + 1}" r:id="{rid}"/>',
        )
        self._set(self.workbook_part, workbook)
        types = self._text("[Content_Types].xml")
        types = _insert_before_close(
            types, "Types", f'<Override PartName="/{part}" ContentType="{_WORKSHEET_CT}"/>'
        )
        self._set("[Content_Types].xml", types)
        self.sheets.append((name, part, "visible"))
        return part

    # -------------------------------------------------------------- cells
    def set_cells(self, name: str, cells: dict[tuple[int, int], str]) -> None:
        """Write ``{(row0, col0): text}`` into sheet ``name`` as plain text (keeping each cell's style);
        no cells is a no-op (the sheet must still exist)."""
        part = self.sheet_part(name)
        if part is None:
            raise XlsxUnsupported(f"sheet '{name}' tidak ada")
        if not cells:
            return
        xml = self._text(part)
        by_row: dict[int, dict[int, str]] = {}
        for (row, column), value in cells.items():
            by_row.setdefault(row + 1, {})[column] = value
        for row_number in sorted(by_row):
            xml, dropped_formula = _set_row_cells(xml, row_number, by_row[row_number])
            if dropped_formula:
                self._drop_calc_chain()
        xml = _grow_dimension(xml, max(by_row), max(c for row in by_row.values() for c in row) + 1)
        self._set(part, xml)

    def _drop_calc_chain(self) -> None:
        """A formula cell was replaced by text: Excel's calculation chain would name a cell without a
        formula (Excel then 'repairs' the file), so remove the chain; Excel rebuilds it on open."""
        part = posixpath.join(posixpath.dirname(self.workbook_part), "calcChain.xml")
        if not self._has(part) or part in self._dropped:
            return
        self._dropped.add(part)
        rels_part = self._rels_part(self.workbook_part)
        rels = re.sub(r"<(?:\w+:)?Relationship\b[^>]*calcChain[^>]*/>", "", self._text(rels_part))
        self._set(rels_part, rels)
        types = re.sub(
            r'<Override\b[^>]*PartName="/' + re.escape(part) + r'"[^>]*/>',
            "",
            self._text("[Content_Types].xml"),
        )
        self._set("[Content_Types].xml", types)

    # -------------------------------------------------------------- output
    def save_bytes(self) -> bytes:
        """The new package: changed parts from memory, every other part copied with the same
        name, date, attributes, compression method and decompressed bytes (deflated parts are
        recompressed at level 1, like the changed ones; only the public zipfile API is used)."""
        import io

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for info in self._infos:
                if info.filename in self._dropped:
                    continue
                if info.filename in self._changed:
                    data, method = self._data[info.filename], zipfile.ZIP_DEFLATED
                else:
                    cached = self._data.get(info.filename)
                    data = cached if cached is not None else self._archive.read(info)
                    method = info.compress_type
                new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                new.external_attr = info.external_attr
                archive.writestr(new, data, method, 1)
            for part in sorted(self._changed - self._names):
                archive.writestr(part, self._data[part], zipfile.ZIP_DEFLATED, 1)
        return buffer.getvalue()


def unescape_xml(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _element_prefix(xml: str, local: str) -> str:
    match = re.search(r"<(\w+:)?" + local + r"\b", xml)
    if not match:
        raise XlsxUnsupported(f"elemen <{local}> tidak ditemukan")
    return match.group(1) or ""


def _insert_before_close(xml: str, element: str, addition: str) -> str:
    closing = f"</{element}>"
    position = xml.rfind(closing)
    if position < 0:
        empty = re.search(r"<" + re.escape(element) + r"\b[^>]*/>", xml)
        if not empty:
            raise XlsxUnsupported(f"elemen <{element}> tidak ditemukan")
        tag = empty.group(0)
        return xml[: empty.start()] + tag[:-2] + ">" + addition + closing + xml[empty.end() :]
    return xml[:position] + addition + xml[position:]


def _cell_xml(prefix: str, ref: str, style: str, value: str) -> str:
    style_attr = f' s="{style}"' if style else ""
    value = _XML_ILLEGAL.sub("", value)
    if value == "":
        return f'<{prefix}c r="{ref}"{style_attr}/>'
    return (
        f'<{prefix}c r="{ref}"{style_attr} t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">'
        f"{escape(value)}</{prefix}t></{prefix}is></{prefix}c>"
    )


def _sheet_data_bounds(xml: str) -> tuple[str, int, int, str]:
    """(element prefix, start, end of sheetData's content, xml possibly with <sheetData/> opened)."""
    match = re.search(r"<(\w+:)?sheetData\b[^>]*?(/?)>", xml)
    if not match:
        raise XlsxUnsupported("sheet tanpa <sheetData>")
    prefix = match.group(1) or ""
    if match.group(2):
        xml = xml[: match.start()] + f"<{prefix}sheetData></{prefix}sheetData>" + xml[match.end() :]
        start = match.start() + len(f"<{prefix}sheetData>")
        return prefix, start, start, xml
    end = xml.find(f"</{prefix}sheetData>", match.end())
    return prefix, match.end(), end, xml


def _set_row_cells(xml: str, row_number: int, values: dict[int, str]) -> tuple[str, bool]:
    prefix, start, end, xml = _sheet_data_bounds(xml)
    row_tag = re.compile(rf'<{prefix}row\b[^>]*?\br="{row_number}"[^>]*?(/?)>')
    # fast path (Excel, LibreOffice and openpyxl write r first): a plain find, then the exact regex
    quick = xml.find(f'<{prefix}row r="{row_number}"', start, end)
    last = xml.rfind(f"<{prefix}row ", start, end)
    last_number = re.match(rf'<{prefix}row\b[^>]*?\br="(\d+)"', xml[last : last + 300]) if last >= 0 else None
    # rows are in ascending order (ECMA-376): a number past the last row's is a new row at the end,
    # found without searching the whole sheet (a 100,000-row sheet is ~80 MB of XML)
    past_the_end = last < 0 or (last_number is not None and int(last_number.group(1)) < row_number)
    if quick >= 0:
        match = row_tag.match(xml, quick)
    else:
        match = None if past_the_end else row_tag.search(xml, start, end)
    if match is None:
        # a new row: after the last row whose number is smaller (usually: at the end)
        insert_at = end
        if last >= 0 and (last_number is None or int(last_number.group(1)) > row_number):
            for later in re.compile(rf'<{prefix}row\b[^>]*?\br="(\d+)"').finditer(xml, start, end):
                if int(later.group(1)) > row_number:
                    insert_at = later.start()
                    break
        if insert_at == end and re.compile(rf"<{prefix}row\b(?![^>]*\br=)").search(xml, start, end):
            raise XlsxUnsupported("baris sheet tanpa nomor baris (atribut r)")
        cells = "".join(
            _cell_xml(prefix, f"{column_letters(c)}{row_number}", "", v) for c, v in sorted(values.items())
        )
        return xml[:insert_at] + f'<{prefix}row r="{row_number}">{cells}</{prefix}row>' + xml[
            insert_at:
        ], False
    open_tag = re.sub(r'\sspans="[^"]*"', "", match.group(0))
    if match.group(1):  # <row .../>: no cells yet
        open_tag = open_tag[:-2].rstrip() + ">"
        content, close_end = "", match.end()
    else:
        close = xml.find(f"</{prefix}row>", match.end())
        content, close_end = xml[match.end() : close], close + len(f"</{prefix}row>")
    cell_pattern = re.compile(
        rf'<{prefix}c\b[^>]*?(?:\br="([A-Z]+)\d+")?[^>]*?(?:/>|>.*?</{prefix}c>)', re.DOTALL
    )
    existing = []
    for cell in cell_pattern.finditer(content):
        letters = re.search(r'\br="([A-Z]+)\d+"', cell.group(0)[: cell.group(0).find(">") + 1])
        if letters is None:
            raise XlsxUnsupported("sel tanpa alamat (atribut r)")
        existing.append((column_index(letters.group(1)), cell.start(), cell.end(), cell.group(0)))
    dropped_formula = False
    pieces: list[tuple[int, str]] = [(c, text) for c, _s, _e, text in existing]
    for column, value in values.items():
        ref = f"{column_letters(column)}{row_number}"
        for index, (other, text) in enumerate(pieces):
            if other == column:
                head = text[: text.find(">") + 1]
                style = _attrs(head).get("s", "")
                if f"<{prefix}f" in text:
                    if 'ref="' in text[text.find(f"<{prefix}f") :].split(">", 1)[0]:
                        raise XlsxUnsupported(
                            f"sel {ref} adalah rumus bersama/array yang dipakai sel lain; menimpanya merusak rumus itu"
                        )
                    dropped_formula = True
                pieces[index] = (column, _cell_xml(prefix, ref, style, value))
                break
        else:
            pieces.append((column, _cell_xml(prefix, ref, _row_style(open_tag), value)))
    pieces.sort(key=lambda item: item[0])
    # text between cells (whitespace, extLst of a row is not allowed) is dropped only if blank
    leftovers = cell_pattern.sub("", content)
    if leftovers.strip():
        raise XlsxUnsupported(f"baris {row_number} berisi unsur yang tidak dikenal")
    new_row = open_tag + "".join(text for _c, text in pieces) + f"</{prefix}row>"
    return xml[: match.start()] + new_row + xml[close_end:], dropped_formula


def _row_style(open_tag: str) -> str:
    attrs = _attrs(open_tag)
    return attrs.get("s", "") if attrs.get("customFormat") in ("1", "true") else ""


def _grow_dimension(xml: str, last_row: int, last_column: int) -> str:
    match = re.search(r'(<(?:\w+:)?dimension\b[^>]*\bref=")([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?(")', xml[:5000])
    if not match:
        return xml
    first_col, first_row = match.group(2), int(match.group(3))
    end_col = match.group(4) or first_col
    end_row = int(match.group(5) or first_row)
    end_col_index = max(column_index(end_col), last_column - 1)
    end_row = max(end_row, last_row)
    ref = f"{first_col}{first_row}:{column_letters(end_col_index)}{end_row}"
    return xml[: match.start()] + match.group(1) + ref + match.group(6) + xml[match.end() :]
