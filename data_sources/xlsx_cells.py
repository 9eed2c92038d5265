"""The few cells a save needs, read straight from a worksheet's XML (no full parse of the sheet).

A save of one complaint needs the header row, the Nomor column and one row. Parsing the whole
sheet (python-calamine) costs ~2 s on a 100,000-row register; finding those cells in the XML the
save patches anyway costs a fraction of that. Values come out as the text ``cell_text`` gives for
what calamine would return (shared and inline strings, numbers, booleans, dates by the cell's
number format). Anything this reader is not sure about (an error cell, a duration format, the
1904 date system, a row or cell without its address) raises ``NeedFullRead``: the caller then
parses the sheet as usual, so the shortcut never changes a value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from data_sources.xlsx_patch import XlsxPackage, XlsxUnsupported, column_index, unescape_xml

__all__ = ["NeedFullRead", "SheetCells"]


class NeedFullRead(Exception):
    """The shortcut cannot give the exact value: parse the sheet instead."""


_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_T = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>|<(?:\w+:)?t\s*/>", re.DOTALL)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.DOTALL)
_V = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.DOTALL)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r'\br="([A-Z]+)(\d+)"')
# number formats that show a date or time (ECMA-376 18.8.30 built-ins; 46 is a duration)
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)])
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SIMPLE_SI = re.compile(r'<(?:\w+:)?si><(?:\w+:)?t(?: xml:space="preserve")?>([^<&]*)</(?:\w+:)?t>')


def _text_of(xml: str) -> str:
    """The text of an ``<is>`` / ``<si>`` element (rich-text runs joined, phonetic runs left out)."""
    if "<" not in xml:
        return ""
    if "rPh" in xml:
        xml = _PHONETIC.sub("", xml)
    text = "".join(m.group(1) or "" for m in _T.finditer(xml))
    if "&" in text:
        text = unescape_xml(text).replace("&#10;", "\n").replace("&#13;", "\r").replace("&#9;", "\t")
        text = re.sub(r"&#(x[0-9A-Fa-f]+|\d+);", _char_reference, text)
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _char_reference(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16) if code.startswith("x") else int(code))


def _is_date_code(code: str) -> bool | None:
    """True: a date/time format; False: not; None: a duration ([h]:mm), which needs the full read."""
    plain = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)
    if re.search(r"\[(?:h+|m+|s+)\]", plain, re.IGNORECASE):
        return None
    plain = re.sub(r"\[[^\]]*\]", "", plain)
    return bool(re.search(r"[dmyhs]", plain, re.IGNORECASE))


class SheetCells:
    """Text of chosen cells of one worksheet of an open ``XlsxPackage``."""

    def __init__(self, package: XlsxPackage, sheet: str) -> None:
        self.package = package
        try:
            self.xml = package.sheet_xml(sheet)
        except XlsxUnsupported as error:
            raise NeedFullRead(str(error)) from error
        match = re.search(r"<(\w+:)?sheetData\b[^>]*?(/?)>", self.xml)
        if not match:
            raise NeedFullRead("sheet tanpa <sheetData>")
        self.prefix = match.group(1) or ""
        self.start = match.end()
        self.end = match.end() if match.group(2) else self.xml.find(f"</{self.prefix}sheetData>", match.end())
        self._shared: list[int] | None = None
        self._shared_xml = ""
        self._shared_end = ""
        self._date_styles: dict[str, bool | None] | None = None
        self._hint = self.start  # where the last row looked up ended (rows are read in order)
        self._cell_pattern = re.compile(rf"<{self.prefix}c\b[^>]*?(?:/>|>.*?</{self.prefix}c>)", re.DOTALL)

    # ---------------------------------------------------------------- rows
    def last_row_number(self) -> int:
        """Number (1-based) of the last ``<row>`` element (0: none)."""
        position = self.xml.rfind(f"<{self.prefix}row ", self.start, self.end)
        if position < 0:
            return 0
        match = re.match(rf'<{self.prefix}row\b[^>]*?\br="(\d+)"', self.xml[position : position + 400])
        if match is None:
            raise NeedFullRead("baris tanpa nomor (atribut r)")
        return int(match.group(1))

    def _row_span(self, number: int) -> tuple[int, int] | None:
        """(start, end) of row ``number``'s content; None when the sheet has no such row."""
        prefix = self.prefix
        tag = re.compile(rf'<{prefix}row\b[^>]*?\br="{number}"[^>]*?(/?)>')
        literal = f'<{prefix}row r="{number}"'
        quick = self.xml.find(literal, self._hint, self.end)
        if quick < 0:
            quick = self.xml.find(literal, self.start, self._hint)
        match = tag.match(self.xml, quick) if quick >= 0 else None
        if match is None:
            match = tag.search(self.xml, self.start, self.end)
        if match is None:
            return None
        if match.group(1):
            self._hint = match.end()
            return match.end(), match.end()
        end = self.xml.find(f"</{prefix}row>", match.end())
        self._hint = end
        return match.end(), end

    def row(self, number: int) -> list[str]:
        """Row ``number`` (1-based) as text, trailing empty cells left out."""
        span = self._row_span(number)
        if span is None:
            return []
        cells: dict[int, str] = {}
        for letters, _row, cell in self._cells(span[0], span[1]):
            cells[column_index(letters)] = self._value(cell)
        width = max((c + 1 for c, v in cells.items() if v != ""), default=0)
        return [cells.get(c, "") for c in range(width)]

    def _cells(self, start: int, end: int) -> Iterator[tuple[str, int, str]]:
        for match in self._cell_pattern.finditer(self.xml, start, end):
            cell = match.group(0)
            ref = _REF.search(cell, 0, cell.find(">") + 1)
            if ref is None:
                raise NeedFullRead("sel tanpa alamat (atribut r)")
            yield ref.group(1), int(ref.group(2)), cell

    def column(self, letters: str, first_row: int) -> list[tuple[int, str]]:
        """(row number, text) of every non-empty-addressed cell of column ``letters`` from ``first_row``."""
        prefix = self.prefix
        quick = self._simple_column(letters, first_row)
        if quick is not None:
            return quick
        pattern = re.compile(rf'<{prefix}c r="{letters}(\d+)"([^>]*?)(?:/>|>(.*?)</{prefix}c>)', re.DOTALL)
        inline = re.compile(
            rf'<{prefix}is><{prefix}t(?: xml:space="preserve")?>([^<&]*)</{prefix}t></{prefix}is>'
        )
        shared = re.compile(rf"<{prefix}v>(\d+)</{prefix}v>")
        found = []
        for match in pattern.finditer(self.xml, self.start, self.end):
            number = int(match.group(1))
            if number < first_row:
                continue
            attrs, inner = match.group(2), match.group(3)
            # the two usual spellings of a text cell, read without the general decoder
            if inner is None and "t=" not in attrs:
                found.append((number, ""))
                continue
            if inner is not None and 't="inlineStr"' in attrs:
                simple = inline.fullmatch(inner)
                if simple is not None and "_x" not in simple.group(1):
                    found.append((number, simple.group(1)))
                    continue
            elif inner is not None and 't="s"' in attrs:
                simple = shared.fullmatch(inner)
                if simple is not None:
                    found.append((number, self._shared_string(int(simple.group(1)))))
                    continue
            found.append((number, self._value(match.group(0))))
        if not found and self.xml.find(f"<{prefix}c ", self.start, self.end) >= 0:
            # cells written with another attribute order: make sure none of this column was missed
            for cell_letters, number, cell in self._cells(self.start, self.end):
                if cell_letters == letters and number >= first_row:
                    found.append((number, self._value(cell)))
        return found

    def _simple_column(self, letters: str, first_row: int) -> list[tuple[int, str]] | None:
        """The column in three C-speed passes when every one of its cells is a plain inline or
        shared string (how Excel, LibreOffice, openpyxl and this app write text); else None."""
        prefix, xml, start, end = self.prefix, self.xml, self.start, self.end
        every = re.compile(rf'<{prefix}c r="{letters}\d+"').findall(xml, start, end)
        inline = re.compile(
            rf'<{prefix}c r="{letters}(\d+)"(?: s="\d+")? t="inlineStr"(?: s="\d+")?>'
            rf'<{prefix}is><{prefix}t(?: xml:space="preserve")?>([^<&]*)</{prefix}t></{prefix}is></{prefix}c>'
        ).findall(xml, start, end)
        if len(inline) == len(every):
            shared: list[tuple[str, str]] = []
        else:
            shared = re.compile(
                rf'<{prefix}c r="{letters}(\d+)"(?: s="\d+")? t="s"(?: s="\d+")?><{prefix}v>(\d+)</{prefix}v></{prefix}c>'
            ).findall(xml, start, end)
            if len(inline) + len(shared) != len(every):
                return None
        found = [(int(number), text) for number, text in inline if int(number) >= first_row]
        if any("_x" in text for _number, text in found):
            return None
        found += [(int(n), self._shared_string(int(i))) for n, i in shared if int(n) >= first_row]
        return sorted(found) if shared and inline else found

    def last_filled_row(self, is_filled: Callable[[list[str]], bool]) -> int:
        """Number of the last row holding a non-empty value (0: none)."""
        prefix = self.prefix
        position = self.end
        while True:
            position = self.xml.rfind(f"<{prefix}row ", self.start, position)
            if position < 0:
                return 0
            match = re.match(rf'<{prefix}row\b[^>]*?\br="(\d+)"', self.xml[position : position + 400])
            if match is None:
                raise NeedFullRead("baris tanpa nomor (atribut r)")
            number = int(match.group(1))
            if is_filled(self.row(number)):
                return number

    # ---------------------------------------------------------------- values
    def _value(self, cell: str) -> str:
        head = cell[: cell.find(">") + 1]
        attrs = dict(_ATTR.findall(head))
        kind = attrs.get("t", "n")
        if kind == "inlineStr":
            return _text_of(cell)
        value = _V.search(cell)
        raw = value.group(1) if value else ""
        if kind == "s":
            return self._shared_string(int(raw)) if raw.strip() else ""
        if kind == "str":
            return _text_of(f"<t>{raw}</t>") if raw else ""
        if kind == "b":
            return "TRUE" if raw.strip() in ("1", "true") else "FALSE" if raw.strip() else ""
        if kind != "n":
            raise NeedFullRead(f"jenis sel '{kind}'")
        if not raw.strip():
            return ""
        number = float(raw)
        date = self._is_date_style(attrs.get("s", ""))
        if date is None:
            raise NeedFullRead("format durasi")
        if not date:
            return str(int(number)) if number.is_integer() else str(number)
        return self._date_text(number)

    def _date_text(self, serial: float) -> str:
        if 0 <= serial < 1:  # a time of day
            moment = _EXCEL_EPOCH + dt.timedelta(milliseconds=round(serial * 86_400_000))
            if moment.date() == _EXCEL_EPOCH.date():
                return moment.strftime("%H:%M")
        if serial < 61:  # Excel's 1900 leap-year bug: let the full reader decide
            raise NeedFullRead("tanggal sebelum Maret 1900")
        if serial.is_integer():
            return (_EXCEL_EPOCH + dt.timedelta(days=serial)).strftime("%Y-%m-%d")
        moment = _EXCEL_EPOCH + dt.timedelta(milliseconds=round(serial * 86_400_000))
        if moment.time() == dt.time(0, 0):
            return moment.strftime("%Y-%m-%d")
        return moment.strftime("%Y-%m-%d %H:%M")

    def _is_date_style(self, style: str) -> bool | None:
        if self._date_styles is None:
            self._date_styles = self._load_date_styles()
        if not style:
            return False
        if style not in self._date_styles:
            raise NeedFullRead(f"gaya sel {style} tidak ada")
        return self._date_styles[style]

    def _load_date_styles(self) -> dict[str, bool | None]:
        if re.search(r'\bdate1904="(?:1|true)"', self.package.part_text(self.package.workbook_part)):
            raise NeedFullRead("sistem tanggal 1904")
        part = self.package.related_part("/styles")
        if part is None:
            return {}
        styles = self.package.part_text(part)
        codes = {
            int(m.group(1)): unescape_xml(m.group(2))
            for m in re.finditer(
                r'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', styles
            )
        }
        for m in re.finditer(r'<(?:\w+:)?numFmt\b[^>]*?formatCode="([^"]*)"[^>]*?numFmtId="(\d+)"', styles):
            codes[int(m.group(2))] = unescape_xml(m.group(1))
        xfs = re.search(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.DOTALL)
        found: dict[str, bool | None] = {}
        for index, xf in enumerate(re.findall(r"<(?:\w+:)?xf\b[^>]*>", xfs.group(1) if xfs else "")):
            number_format = int(dict(_ATTR.findall(xf)).get("numFmtId", "0"))
            if number_format in codes:
                found[str(index)] = _is_date_code(codes[number_format])
            elif number_format == 46:
                found[str(index)] = None
            else:
                found[str(index)] = number_format in _DATE_FORMAT_IDS
        return found

    def _shared_string(self, index: int) -> str:
        if self._shared is None:
            part = self.package.related_part("/sharedStrings")
            if part is None:
                raise NeedFullRead("tabel teks bersama tidak ada")
            self._shared_xml = self.package.part_text(part)
            match = re.search(r"<(\w+:)?si\b", self._shared_xml)
            prefix = match.group(1) or "" if match else ""
            self._shared_end = f"</{prefix}si>"
            self._shared = [m.start() for m in re.finditer(rf"<{prefix}si\b", self._shared_xml)]
        if index >= len(self._shared):
            raise NeedFullRead("indeks teks bersama di luar tabel")
        start = self._shared[index]
        head_end = self._shared_xml.find(">", start)
        if self._shared_xml[head_end - 1] == "/":
            return ""
        content = self._shared_xml[start : self._shared_xml.find(self._shared_end, start)]
        simple = _SIMPLE_SI.fullmatch(content)
        if simple is not None and "_x" not in simple.group(1):
            return simple.group(1)
        return _text_of(content)
