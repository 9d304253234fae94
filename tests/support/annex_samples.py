"""Word annexes as contributors write them: Letter-sized pages, landscape sections, numbered lists,
their own headings, footnotes, pictures and links."""

from __future__ import annotations

import base64
import io

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Inches

# A 1x1 PNG.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
                         "AAAABJRU5ErkJggg==")


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter_annex_with_landscape_table(label: str = "Costs") -> bytes:
    """US Letter, its own margins and header; a landscape section holding a wide table; a numbered list."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(0.5)
    section.header.paragraphs[0].text = f"{label} annex running header"
    document.add_heading(f"{label} overview", level=1)
    document.add_paragraph(f"{label} first step", style="List Number")
    document.add_paragraph(f"{label} second step", style="List Number")
    document.add_paragraph(f"{label} third step", style="List Number")
    wide = document.add_section(WD_SECTION.NEW_PAGE)
    wide.orientation = WD_ORIENT.LANDSCAPE
    wide.page_width, wide.page_height = Inches(11), Inches(8.5)
    table = document.add_table(rows=2, cols=8)
    for index, cell in enumerate(table.rows[0].cells):
        cell.text = f"{label} column {index + 1}"
    back = document.add_section(WD_SECTION.NEW_PAGE)
    back.orientation = WD_ORIENT.PORTRAIT
    back.page_width, back.page_height = Inches(8.5), Inches(11)
    document.add_paragraph(f"{label} closing words.")
    return _save(document)


def numbered_annex(label: str) -> bytes:
    """Portrait, with a numbered list through the List Number style and a picture and a web link."""
    document = docx.Document()
    document.add_heading(f"{label} heading", level=1)
    for step in ("alpha", "beta", "gamma"):
        document.add_paragraph(f"{label} {step}", style="List Number")
    document.add_picture(io.BytesIO(PIXEL), width=Inches(0.5))
    paragraph = document.add_paragraph("See ")
    rel_id = document.part.relate_to("https://www.uclg.org/", "http://schemas.openxmlformats.org/officeDocument/"
                                     "2006/relationships/hyperlink", is_external=True)
    paragraph._p.append(docx.oxml.parse_xml(
        '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:id="{rel_id}"><w:r><w:t>{label} website</w:t></w:r></w:hyperlink>'))
    return _save(document)
