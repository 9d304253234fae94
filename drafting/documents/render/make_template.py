"""Writes `template.docx`, the styles of the consolidated document.

Run `python -m drafting.documents.render.make_template` after changing a style here; the builder takes every
style (headings, body, attribution, lists, tables, table of contents) from the file this writes, so
the look of the document lives in this one place. A designer may also restyle the .docx in Word, as
long as the style names stay.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor, Twips

from drafting.documents.render.template import (
    ARABIC_FONT,
    BULLET_NUM_ID,
    CLOSING_RULE_WIDTH,
    DECIMAL_ABSTRACT_ID,
    DECIMAL_NUM_ID,
    FONT,
    LETTERED_ABSTRACT_ID,
    PARAGRAPH_ABSTRACT_ID,
    PARAGRAPH_INDENT,
    PARAGRAPH_NUM_ID,
    TEMPLATE_PATH,
    TEXT_WIDTH,
    W_NS,
)

_LEVELS = 4
_BULLETS = ("\u2022", "\u25e6", "\u25aa", "\u2022")


def _numbering_xml() -> str:
    def levels(kind: str) -> str:
        out = []
        for level in range(_LEVELS):
            indent = 720 * (level + 1)
            if kind == "bullet":
                fmt, text = "bullet", _BULLETS[level]
            elif kind == "lettered":
                fmt, text = ("lowerLetter", "lowerRoman", "decimal", "lowerLetter")[level], f"(%{level + 1})"
                indent = PARAGRAPH_INDENT * (level + 2)  # "(a)" where the numbered paragraph's text starts
            else:
                fmt, text = ("decimal", "lowerLetter", "lowerRoman", "decimal")[level], f"%{level + 1}."
            out.append(
                f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{indent}" w:hanging="{PARAGRAPH_INDENT if kind == "lettered" else 360}"/>'
                f'</w:pPr></w:lvl>'
            )
        return "".join(out)

    return (
        f'<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="hybridMultilevel"/>{levels("bullet")}'
        f"</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="{DECIMAL_ABSTRACT_ID}"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'{levels("decimal")}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="{LETTERED_ABSTRACT_ID}"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'{levels("lettered")}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="{PARAGRAPH_ABSTRACT_ID}"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        # The "Numbered Paragraph" style's indentation (_hanging_styles), repeated: LibreOffice indents a
        # list paragraph as its list level says, whatever its style says.
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{PARAGRAPH_INDENT}" w:hanging="{PARAGRAPH_INDENT}"/>'
        '</w:pPr></w:lvl></w:abstractNum>'
        f'<w:num w:numId="{BULLET_NUM_ID}"><w:abstractNumId w:val="10"/></w:num>'
        f'<w:num w:numId="{DECIMAL_NUM_ID}"><w:abstractNumId w:val="{DECIMAL_ABSTRACT_ID}"/></w:num>'
        f'<w:num w:numId="{PARAGRAPH_NUM_ID}"><w:abstractNumId w:val="{PARAGRAPH_ABSTRACT_ID}"/></w:num>'
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
                     centered: bool = False, right: bool = False):
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
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if right:
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return style


def _fonts_and_defaults(document) -> None:
    """Times New Roman everywhere (no theme fonts, which differ between Word versions), body text with
    widow and orphan control, English the default language (the builder sets the edition's)."""
    styles = document.styles.element
    for fonts in styles.iter(f"{{{W_NS}}}rFonts"):
        for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(f"{{{W_NS}}}{name}", None)
    defaults = styles.find(f"{{{W_NS}}}docDefaults")
    rpr = defaults.find(f"{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr")
    fonts = rpr.find(f"{{{W_NS}}}rFonts")
    for name in ("ascii", "hAnsi", "eastAsia"):
        fonts.set(f"{{{W_NS}}}{name}", FONT)
    fonts.set(f"{{{W_NS}}}cs", ARABIC_FONT)
    rpr.find(f"{{{W_NS}}}lang").set(f"{{{W_NS}}}val", "en-GB")
    ppr = defaults.find(f"{{{W_NS}}}pPrDefault/{{{W_NS}}}pPr")
    ppr.insert(0, parse_xml(f'<w:widowControl xmlns:w="{W_NS}"/>'))


def _hanging_styles(document) -> None:
    """The one home of the numbered paragraphs' hanging indent, for every edition kind: "Numbered
    Paragraph" (the consolidated text, numbered by a list) is a "Hanging Paragraph" (the text with
    proposed amendments, its numbers typed and followed by a tab); a typed "(a)" hangs one indent in."""
    def indent(style, left: int) -> None:
        style.element.get_or_add_pPr().append(parse_xml(
            f'<w:ind xmlns:w="{W_NS}" w:left="{left}" w:hanging="{PARAGRAPH_INDENT}"/>'))

    indent(_paragraph_style(document, "Hanging Paragraph"), PARAGRAPH_INDENT)
    indent(_paragraph_style(document, "Hanging Sub-paragraph", "Hanging Paragraph"), 2 * PARAGRAPH_INDENT)
    numbered = _paragraph_style(document, "Numbered Paragraph", "Hanging Paragraph")
    numbered.element.get_or_add_pPr().insert(0, parse_xml(
        f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{PARAGRAPH_NUM_ID}"/></w:numPr>'))


# Word's own footnote styles (an uploaded annex's footnotes map onto them by name), as UN documents: the
# text 9 pt on a 10 pt leading, the reference mark raised.
_FOOTNOTE_STYLES = f"""
<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:styleId="FootnoteText">
  <w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:spacing w:after="0" w:line="200" w:lineRule="exact"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>
<w:style w:type="character" w:styleId="FootnoteReference">
  <w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>
  <w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>
</w:style>
</w:styles>
"""


# Word's own comment styles (python-docx's comments part refers to them by these ids).
_COMMENT_STYLES = f"""
<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:styleId="CommentText">
  <w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:link w:val="CommentTextChar"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>
<w:style w:type="character" w:customStyle="1" w:styleId="CommentTextChar">
  <w:name w:val="Comment Text Char"/><w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="CommentText"/>
  <w:uiPriority w:val="99"/>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>
<w:style w:type="character" w:styleId="CommentReference">
  <w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>
</w:style>
</w:styles>
"""


def _house_style(document) -> None:
    """UN house style over every style: black text (no theme colours on headings), and complex-script
    sizes equal to the Latin ones, so that Arabic is set at the same size as the text around it."""
    styles = document.styles.element
    for rpr in styles.iter(f"{{{W_NS}}}rPr"):
        for color in rpr.findall(f"{{{W_NS}}}color"):
            if color.get(f"{{{W_NS}}}themeColor") or color.get(f"{{{W_NS}}}val") in ("1F3A5F", "365F91", "4F81BD",
                                                                                        "243F60"):
                rpr.remove(color)
        size = rpr.find(f"{{{W_NS}}}sz")
        if size is None:
            continue
        cs = rpr.find(f"{{{W_NS}}}szCs")
        if cs is None:
            cs = parse_xml(f'<w:szCs xmlns:w="{W_NS}"/>')
            size.addnext(cs)
        cs.set(f"{{{W_NS}}}val", size.get(f"{{{W_NS}}}val"))
        style = rpr.getparent()
        if style.tag == f"{{{W_NS}}}style" and style.get(f"{{{W_NS}}}type") == "paragraph" \
                and int(size.get(f"{{{W_NS}}}val")) > 20:
            # Larger than the body (headings, the cover): single spacing, not the body's exact 12 pt.
            ppr = style.find(f"{{{W_NS}}}pPr")
            if ppr is None:
                ppr = parse_xml(f'<w:pPr xmlns:w="{W_NS}"/>')
                rpr.addprevious(ppr)
            spacing = ppr.find(f"{{{W_NS}}}spacing")
            if spacing is None:
                spacing = parse_xml(f'<w:spacing xmlns:w="{W_NS}"/>')
                ppr.append(spacing)
            spacing.set(f"{{{W_NS}}}line", "240")
            spacing.set(f"{{{W_NS}}}lineRule", "auto")
    defaults = styles.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr")
    for tag in ("sz", "szCs"):
        element = defaults.find(f"{{{W_NS}}}{tag}")
        if element is None:
            element = parse_xml(f'<w:{tag} xmlns:w="{W_NS}"/>')
            defaults.append(element)
        element.set(f"{{{W_NS}}}val", "20")


_KEPT_TABLE_STYLES = {"TableNormal", "AmendmentsTable"}
# python-docx's paragraph and character styles that no edition refers to.
_UNUSED_STYLES = {
    "NoSpacing", "Title", "TitleChar", "Subtitle", "SubtitleChar", "BodyText", "BodyTextChar", "BodyText2",
    "BodyText2Char", "BodyText3", "BodyText3Char", "List", "List2", "List3", "ListBullet", "ListBullet2",
    "ListBullet3", "ListNumber", "ListNumber2", "ListNumber3", "ListContinue", "ListContinue2", "ListContinue3",
    "MacroText", "MacroTextChar", "Quote", "QuoteChar", "Caption", "Strong", "Emphasis", "IntenseQuote",
    "IntenseQuoteChar", "SubtleEmphasis", "IntenseEmphasis", "SubtleReference", "IntenseReference", "BookTitle",
}


def _prune_styles_and_fonts(document) -> None:
    """Only what an edition may use: no latent style list and none of python-docx's hundred table
    styles (an annex that brings its own gets it copied in), and a font table of the one face used."""
    styles = document.styles.element
    for latent in styles.findall(f"{{{W_NS}}}latentStyles"):
        styles.remove(latent)
    for style in styles.findall(f"{{{W_NS}}}style"):
        style_id = style.get(f"{{{W_NS}}}styleId")
        if style_id in _UNUSED_STYLES or (style.get(f"{{{W_NS}}}type") == "table"
                                          and style_id not in _KEPT_TABLE_STYLES):
            styles.remove(style)
    for part in document.part.package.parts:
        if str(part.partname) == "/word/fontTable.xml":
            part._blob = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                f'<w:fonts xmlns:w="{W_NS}"><w:font w:name="{FONT}"><w:panose1 w:val="02020603050405020304"/>'
                '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
                f'<w:font w:name="{ARABIC_FONT}"><w:charset w:val="B2"/><w:family w:val="roman"/>'
                '<w:pitch w:val="variable"/></w:font></w:fonts>'
            ).encode()


def _strip_defaults_of_python_docx(document) -> None:
    """python-docx's default document is a Word 2010 file: drop what it carries that is not ours (a
    bibliography custom XML part, the stylesWithEffects copy of the styles, revision ids), and say
    Word 2013 or later (compatibility mode 15) so that Word does not open in Compatibility Mode."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/customXml", "/stylesWithEffects")):
            del part.rels[rel_id]
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's own thumbnail picture
            del package_rels[rel_id]
    settings = document.settings.element
    for child in list(settings):
        if child.tag in (f"{{{W_NS}}}rsids", f"{{{W_NS}}}proofState", f"{{{W_NS}}}attachedTemplate"):
            settings.remove(child)
    for setting in settings.iter(f"{{{W_NS}}}compatSetting"):
        if setting.get(f"{{{W_NS}}}name") == "compatibilityMode":
            setting.set(f"{{{W_NS}}}val", "15")
    for element in document.element.iter():
        for name in ("rsidR", "rsidRPr", "rsidSect", "rsidRDefault", "rsidP"):
            element.attrib.pop(f"{{{W_NS}}}{name}", None)
    for style in document.styles.element.iter(f"{{{W_NS}}}rsid"):
        style.getparent().remove(style)


def build_template(path: Path = TEMPLATE_PATH) -> Path:
    document = docx.Document()
    styles = document.styles
    _strip_defaults_of_python_docx(document)
    _fonts_and_defaults(document)

    normal = styles["Normal"]
    normal.font.size = Pt(10)
    # UN body text: 10 pt on an exact 12 pt leading.
    normal.paragraph_format.line_spacing = Pt(12)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.space_after = Pt(6)  # Normal is the body text: body paragraphs carry no pPr
    normal.paragraph_format.widow_control = True

    # Space after each heading, so that a chapter's first line or an amendments table does not touch it; a
    # position's title keeps its attribution line close.
    for level, size, after in ((1, 14, 12), (2, 12, 3), (3, 11, 6), (4, 10, 3)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.name = FONT
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_after = Pt(after)
    for level in (5, 6):
        styles[f"Heading {level}"].paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True

    _hanging_styles(document)

    # The UN first page: symbol and distribution at the top right, the session, then the title.
    _paragraph_style(document, "Cover Symbol", size=16, bold=True, after=0, right=True)
    _paragraph_style(document, "Cover Distribution", after=0, right=True)
    _paragraph_style(document, "Cover Notice", size=12, bold=True, before=18, after=6)
    _paragraph_style(document, "Cover Session", after=0, bold=True)
    _paragraph_style(document, "Cover Line", after=0)
    _paragraph_style(document, "Cover Title", "Normal", size=17, bold=True, before=24, after=18)
    _paragraph_style(document, "Attribution", size=9, italic=True, color=RGBColor(0x59, 0x59, 0x59), after=8)
    _paragraph_style(document, "Position Summary", italic=True, after=8)
    _paragraph_style(document, "Table Text", size=9, before=0, after=2)
    _paragraph_style(document, "Proposers", size=8.5, italic=True, color=RGBColor(0x59, 0x59, 0x59), after=4)
    # Contents entries: the title, a dot leader, the page number at the right margin.
    leader = f'<w:tabs xmlns:w="{W_NS}"><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
    for name, options in (("TOC 1", {"before": 4, "after": 2, "bold": True}),
                          ("TOC 2", {"before": 0, "after": 0, "indent_cm": 0.6})):
        style = _paragraph_style(document, name, **options)
        style.element.get_or_add_pPr().insert(0, parse_xml(leader))
        style.paragraph_format.keep_together = True
    styles["TOC Heading"].paragraph_format.page_break_before = False
    # UN documents: "Page" above the contents' column of page numbers, and a short centred rule closing
    # the text on its last page.
    _paragraph_style(document, "Contents Page Label", size=8, italic=True, before=0, after=2, right=True)
    rule = _paragraph_style(document, "Closing Rule", before=24, after=0, centered=True)
    side = Twips((TEXT_WIDTH - CLOSING_RULE_WIDTH) // 2)
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = side
    rule.paragraph_format.keep_together = True
    border = parse_xml(f'<w:pBdr xmlns:w="{W_NS}"><w:bottom w:val="single" w:sz="6" w:space="1" '
                       'w:color="auto"/></w:pBdr>')
    rule.element.get_or_add_pPr().find(f"{{{W_NS}}}keepLines").addnext(border)  # schema order: after keepLines
    # The running header: one line, symbol at the left and the short title at the right margin. Its tab
    # stop is the section's text width, written on the header of each section (a landscape annex page
    # is wider): the style has none, python-docx's centre and right ones included.
    header = styles["Header"].element.get_or_add_pPr()
    for tabs in header.findall(f"{{{W_NS}}}tabs"):
        header.remove(tabs)
    header.insert(0, parse_xml(f'<w:pBdr xmlns:w="{W_NS}"><w:bottom w:val="single" w:sz="4" w:space="1" '
                               'w:color="auto"/></w:pBdr>'))
    styles["Header"].font.size = Pt(9)
    styles["Footer"].font.size = Pt(9)

    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True

    styles.element.append(parse_xml(_TABLE_STYLE))
    for style in (*parse_xml(_COMMENT_STYLES), *parse_xml(_FOOTNOTE_STYLES)):
        styles.element.append(style)
    _house_style(document)
    _prune_styles_and_fonts(document)

    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(_numbering_xml()):
        numbering.append(child)

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)

    core = document.core_properties
    core.title = "Consolidated positions"
    core.author = "UCLG World Secretariat"
    core.comments = ""
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build_template())
