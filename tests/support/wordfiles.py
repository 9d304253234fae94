"""Word files for the importer tests, built here with python-docx and our own numbering.xml."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn


class DraftFile:
    """A draft compact as the co-facilitators might circulate it."""

    def __init__(self) -> None:
        self.document = docx.Document()
        self.numbering = self.document.part.numbering_part.element
        self._next_abstract = 900
        self._next_num = 900

    def list_definition(self, levels: list[tuple[str, str]], start: int = 1) -> str:
        """A new abstract list of (numFmt, lvlText) levels; returns the abstractNumId."""
        abstract_id = str(self._next_abstract)
        self._next_abstract += 1
        lvls = "".join(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start if ilvl == 0 else 1}"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
            for ilvl, (fmt, text) in enumerate(levels))
        element = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.numbering.append(element)
        return abstract_id

    def list_instance(self, abstract_id: str, restart_at: int | None = None) -> str:
        num_id = str(self._next_num)
        self._next_num += 1
        override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
                    if restart_at is not None else "")
        self.numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'))
        return num_id

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(text, level)

    def paragraph(self, text: str, num_id: str | None = None, ilvl: int = 0) -> None:
        paragraph = self.document.add_paragraph(text)
        if num_id is not None:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))

    def table(self, rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()
