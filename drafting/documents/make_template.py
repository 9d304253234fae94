"""Writes `template.docx`, the styles of the consolidated document.

Run `python -m drafting.documents.make_template` after changing a style here; the builder takes every
style (headings, body, attribution, lists, tables, table of contents) from the file this writes, so
the look of the document lives in this one place. A designer may also restyle the .docx in Word, as
long as the style names stay.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor

TEMPLATE_PATH = Path(__file__).with_name("template.docx")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BULLET_NUM_ID = 1
DECIMAL_NUM_ID = 2
DECIMAL_ABSTRACT_ID = 11

_LEVELS = 4
_BULLETS = ("\u2022", "\u25e6", "\u25aa", "\u2022")


def _numbering_xml() -> str:
    def levels(kind: str) -> str:
        out = []
        for level in range(_LEVELS):
            indent = 720 * (level + 1)
            if kind == "bullet":
                fmt, text = "bullet", _BULLETS[level]
            else:
                fmt, text = ("decimal", "lowerLetter", "lowerRoman", "decimal")[level], f"%{level + 1}."
            out.append(
                f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl>'
            )
        return "".join(out)

    return (
        f'<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="hybridMultilevel"/>{levels("bullet")}'
        f"</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="{DECIMAL_ABSTRACT_ID}"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'{levels("decimal")}</w:abstractNum>'
        f'<w:num w:numId="{BULLET_NUM_ID}"><w:abstractNumId w:val="10"/></w:num>'
        f'<w:num w:numId="{DECIMAL_NUM_ID}"><w:abstractNumId w:val="{DECIMAL_ABSTRACT_ID}"/></w:num>'
        "</w:numbering>"
    )


_TABLE_STYLE = f"""
<w:style xmlns:w="{W_NS}" w:type="table" w:customStyle="1" w:styleId="AmendmentsTable">
  <w:name w:val="Amendments Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
    </w:tblBorders>
    <w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE6F0"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def _paragraph_style(document, name: str, base: str = "Normal", *, size: float | None = None,
                     italic: bool = False, bold: bool = False, color: RGBColor | None = None,
                     before: float | None = None, after: float | None = None, indent_cm: float | None = None,
                     centered: bool = False):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.quick_style = True
    font = style.font
    if size:
        font.size = Pt(size)
    font.italic = italic or None
    font.bold = bold or None
    if color is not None:
        font.color.rgb = color
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if indent_cm is not None:
        fmt.left_indent = Cm(indent_cm)
    if centered:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return style


def build_template(path: Path = TEMPLATE_PATH) -> Path:
    document = docx.Document()
    styles = document.styles

    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)  # Normal is the body text: body paragraphs carry no pPr
    # Arabic and other complex scripts need a font that has them.
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(f"{{{W_NS}}}cs", "Arial")

    # English is the document's default language: English runs need no w:lang of their own.
    defaults_lang = styles.element.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr/{{{W_NS}}}lang")
    defaults_lang.set(f"{{{W_NS}}}val", "en-GB")

    for level, size in ((1, 16), (2, 13), (3, 12), (4, 11)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    styles["Heading 1"].paragraph_format.page_break_before = True

    _paragraph_style(document, "Cover Title", "Title", size=26, before=120, after=12, centered=True)
    _paragraph_style(document, "Cover Line", size=13, after=6, centered=True)
    _paragraph_style(document, "Attribution", size=9.5, italic=True, color=RGBColor(0x59, 0x59, 0x59), after=8)
    _paragraph_style(document, "Position Summary", italic=True, after=8)
    _paragraph_style(document, "Table Text", size=9, before=0, after=2)
    _paragraph_style(document, "Proposers", size=8.5, italic=True, color=RGBColor(0x59, 0x59, 0x59), after=4)
    _paragraph_style(document, "TOC 1", before=4, after=2, bold=True)
    _paragraph_style(document, "TOC 2", before=0, after=0, indent_cm=0.6)
    styles["TOC Heading"].paragraph_format.page_break_before = False

    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True

    styles.element.append(parse_xml(_TABLE_STYLE))

    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(_numbering_xml()):
        numbering.append(child)

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)

    # python-docx's default package carries its own thumbnail picture: not ours to ship.
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel_id]

    core = document.core_properties
    core.title = "Consolidated positions"
    core.author = "UCLG World Secretariat"
    core.comments = ""
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build_template())
