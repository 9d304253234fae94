"""The WordprocessingML writer: paragraphs, runs, headings, tables and the Markdown subset, written as
XML text and inserted in large chunks.

Speed: python-docx's `add_paragraph` looks for the body's final `w:sectPr` on every call, which makes
large documents quadratic (python-docx issue 408). Paragraphs and tables are built here as WordprocessingML
text, parsed in large chunks and inserted straight before that `w:sectPr`, whose reference is kept (or
spliced into document.xml as text by `packaging.save`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from lxml import etree

from drafting.documents.render.template import BULLET_NUM_ID, DECIMAL_ABSTRACT_ID, LETTERED_ABSTRACT_ID
from drafting.documents.render.words import document_labels, typographic_quotes
from drafting.i18n import LANGUAGE_TAGS
from drafting.text import parse_inline_markdown, parse_markdown, simple_emphasis, xml_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NBSP = "\u00a0"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


PPR, PSTYLE, R, T, VAL = (w(t) for t in ("pPr", "pStyle", "r", "t", "val"))
# What the Markdown subset could read as block structure (headings, list items, indented lines), or
# whitespace it treats differently from Python's str.strip; text without any is plain paragraphs.
# (Two simple patterns: one alternation of both is ten times slower on long texts.)
_ODD_WHITESPACE = re.compile("[\t\r\x0b\x0c\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_LINE_START_SYNTAX = re.compile(r"\n *(?:#|[-+*]|\d{1,9}[.)])(?: |\n)|\n {4}")


# The ASCII characters _ODD_WHITESPACE does not look for: deleting them from ASCII text leaves only odd ones.
_NOT_ODD_ASCII = bytes(b for b in range(0x80) if not _ODD_WHITESPACE.match(chr(b)))


def _has_odd_whitespace(source: str) -> bool:
    if source.isascii():  # most text: a byte deletion is ten times faster than the search
        return bool(source.encode().translate(None, _NOT_ODD_ASCII))
    return bool(_ODD_WHITESPACE.search(source))


def _has_block_syntax(source: str) -> bool:
    return bool("#" in source or _has_odd_whitespace(source) or _LINE_START_SYNTAX.search(f"\n{source}\n"))


def _has_inline_syntax(block: str) -> bool:
    """Emphasis, links, hard breaks (substring tests: far faster than a regex alternation)."""
    return "*" in block or "_" in block or "[" in block or "]" in block or "  \n" in block


_BLANK_LINE = re.compile(r"\n(?: *\n)+")
LINK_SCHEMES = ("http://", "https://", "mailto:")


# Right-to-left script (Hebrew, Arabic and their presentation forms) and left-to-right letters.
_RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_STRONG = re.compile("([\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+)|([^\\W\\d_]+)")


def script_segments(text: str, rtl_context: bool) -> list[tuple[str, bool]]:
    """`text` cut where its script changes, as Word writes mixed text: (piece, right-to-left). Latin
    letters make left-to-right pieces, Arabic ones right-to-left pieces; digits, spaces and punctuation
    between two pieces of one direction belong to them, between two directions to the context's (the
    paragraph's), and at either end to the piece they touch: "UCLG-MEWA:" before Arabic text in an
    Arabic paragraph stays one left-to-right piece, its colon read after it."""
    strong = [(m.start(), m.end(), m.group(1) is not None) for m in _STRONG.finditer(text)]
    if not strong:
        return [(text, rtl_context)] if text else []
    pieces: list[list] = []

    def add(piece: str, rtl: bool) -> None:
        if piece:
            if pieces and pieces[-1][1] == rtl:
                pieces[-1][0] += piece
            else:
                pieces.append([piece, rtl])

    position, before = 0, None
    for start, end, rtl in strong:
        add(text[position:start], rtl if before is None or before == rtl else rtl_context)
        add(text[start:end], rtl)
        position, before = end, rtl
    add(text[position:], before)
    return [(piece, rtl) for piece, rtl in pieces]


def has_rtl(text: str) -> bool:
    return bool(_RTL_CHAR.search(text))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Table:
    """A table being written: its rows are lists of cells, each cell a list of paragraph strings."""

    def __init__(self, style_id: str, widths: list[int]):
        self.style_id = style_id
        self.widths = widths
        self.rows: list[tuple[bool, list[list[str]]]] = []
        self.merges: dict[int, list[str | None]] = {}

    def row(self, header: bool = False, merged: Iterable[str | None] = ()) -> list[list[str]]:
        """A new row. `merged` gives, cell by cell, "restart" (first of cells merged down the rows),
        "continue" (merged into the cell above) or None."""
        cells: list[list[str]] = [[] for _ in self.widths]
        self.rows.append((header, cells))
        merged = list(merged)
        if any(merged):
            self.merges[id(cells)] = merged
        return cells

    def xml(self) -> str:
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style_id}"/><w:tblW w:w="5000" w:type="pct"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out.extend(f'<w:gridCol w:w="{width}"/>' for width in self.widths)
        out.append("</w:tblGrid>")
        for header, cells in self.rows:
            # Rows never split across pages; the header row repeats on each page the table runs to.
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            merges = self.merges.get(id(cells), ())
            for index, paragraphs in enumerate(cells):
                merge = merges[index] if index < len(merges) else None
                if merge:  # widths come from tblGrid
                    out.append('<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' if merge == "restart"
                               else "<w:tc><w:tcPr><w:vMerge/></w:tcPr>")
                else:
                    out.append("<w:tc>")
                out.append("".join(paragraphs) or "<w:p/>")  # a cell needs at least one paragraph
                out.append("</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


_CHANGE_MARKS = {"same": "", "insert": '<w:b/><w:bCs/><w:u w:val="single"/>', "delete": "<w:strike/>"}


class Writer:
    """Writes the body as WordprocessingML text, parsed in large chunks and inserted before the body's
    final sectPr (kept by reference): no per-paragraph API call, no rescan of the body."""

    def __init__(self, document, language: str = "en"):
        """`language`: the edition's language, that of every generated word; it becomes the document's
        default (docDefaults), so only runs in another language carry a w:lang of their own."""
        self.document = document
        self.language = language
        default_lang = document.styles.element.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        if default_lang is not None:
            default_lang.set(VAL, LANGUAGE_TAGS.get(language, "en-GB"))
        self.labels = document_labels()
        self.body = document.element.body
        self.sect_pr = self.body.find(w("sectPr"))
        self.styles = {style.name: style.style_id for style in document.styles}
        self.numbering = document.part.numbering_part.element
        self.next_num_id = 1 + max((int(num.get(w("numId"))) for num in self.numbering.iter(w("num"))), default=2)
        self.headings: list[tuple[int, str, str, str]] = []  # level, text, bookmark, language
        self.running_title: tuple[str, str] | None = None  # the running header's symbol and full title
        self.links: dict[str, str] = {}
        self.dates: dict = {}
        self.parts: list = []
        self._ppr: dict[tuple, str] = {}
        self._rpr: dict[tuple, str] = {}
        self._header_cells: dict[tuple, list[str]] = {}

    def style(self, name: str) -> str:
        return self.styles[name]

    # Text of paragraphs and runs

    def ppr(self, style: str | None, language: str, extra: str = "") -> str:
        key = (style, language)
        cached = self._ppr.get(key)
        if cached is None:
            style_xml = f'<w:pStyle w:val="{self.styles[style]}"/>' if style else ""
            cached = self._ppr[key] = (style_xml, "<w:bidi/>" if language == "ar" else "")
        style_xml, bidi = cached
        if not (style_xml or bidi or extra):
            return ""
        # Schema order: pStyle, numPr, ..., bidi, ..., ind.
        if extra.startswith("<w:numPr>"):
            return f"<w:pPr>{style_xml}{extra}{bidi}</w:pPr>"
        return f"<w:pPr>{style_xml}{bidi}{extra}</w:pPr>"

    def rpr(self, language: str, bold: bool, italic: bool, char_style: str | None) -> str:
        key = (language, bold, italic, char_style)
        cached = self._rpr.get(key)
        if cached is None:
            # The edition's language is the document's default (docDefaults): its runs need no w:lang.
            inner = f'<w:rStyle w:val="{self.styles[char_style]}"/>' if char_style else ""
            inner += "<w:b/><w:bCs/>" if bold else ""
            inner += "<w:i/><w:iCs/>" if italic else ""
            if language == "ar":
                inner += f'<w:rtl/><w:cs/><w:lang w:bidi="{LANGUAGE_TAGS["ar"]}"/>'
            elif language != self.language:
                inner += f'<w:lang w:val="{LANGUAGE_TAGS.get(language, language)}"/>'
            cached = self._rpr[key] = f"<w:rPr>{inner}</w:rPr>" if inner else ""
        return cached

    def run_xml(self, text: str, language: str | None = None, *, bold: bool = False, italic: bool = False,
                char_style: str | None = None, safe: bool = False) -> str:
        """`safe`: the text already went through xml_safe (a Markdown source is cleaned whole)."""
        language = language or self.language
        text = text if safe else xml_safe(text)
        if language == "ar" or (not text.isascii() and has_rtl(text)):
            # Direction by run, from the script of its text: Latin words inside Arabic (or Arabic inside
            # another language) get runs of their own, right to left only where the text is Arabic.
            latin = language if language != "ar" else (self.language if self.language != "ar" else "en")
            return "".join(self._one_run(escape(piece), "ar" if rtl else latin, bold, italic, char_style)
                           for piece, rtl in script_segments(text, language == "ar"))
        return self._one_run(escape(text), language, bold, italic, char_style)

    def latin_if_no_rtl(self, text: str, language: str) -> str:
        """A paragraph of an Arabic position written without any Arabic (an English rationale) reads
        left to right: no bidi paragraph for it."""
        if language == "ar" and not has_rtl(text):
            return self.language if self.language != "ar" else "en"
        return language

    def _one_run(self, text: str, language: str, bold: bool, italic: bool, char_style: str | None) -> str:
        if NBSP in text:
            return self._runs_with_no_break_spaces(text, language, bold, italic, char_style)
        # xml:space only where it matters: fewer attributes make the tree of a large edition lighter.
        t_open = '<w:t xml:space="preserve">' if text[:1].isspace() or text[-1:].isspace() else "<w:t>"
        return f"<w:r>{self.rpr(language, bold, italic, char_style)}{t_open}{text}</w:t></w:r>"

    def _runs_with_no_break_spaces(self, text: str, language: str, bold: bool, italic: bool,
                                   char_style: str | None) -> str:
        """Each no-break space in an upright run of its own: LibreOffice sets one that follows italic
        text (the attribution line, "Langue\u00a0: français") with an italic correction, a third wider
        than a space, so that it prints as two spaces in the PDF; an upright blank looks the same in Word."""
        # Schema order: rStyle, (rFonts,) b, bCs, i, iCs, ...
        upright = self.rpr(language, bold, False, char_style) or "<w:rPr></w:rPr>"
        after = "<w:bCs/>" if bold else (upright[:upright.index("/>") + 2] if char_style else "<w:rPr>")
        upright = upright.replace(after, after + '<w:i w:val="0"/><w:iCs w:val="0"/>', 1)
        runs = []
        for index, piece in enumerate(text.split(NBSP)):
            if index:
                runs.append(f"<w:r>{upright}<w:t>{NBSP}</w:t></w:r>")
            if piece:
                t_open = '<w:t xml:space="preserve">' if piece[:1].isspace() or piece[-1:].isspace() else "<w:t>"
                runs.append(f"<w:r>{self.rpr(language, bold, italic, char_style)}{t_open}{piece}</w:t></w:r>")
        return "".join(runs)

    def paragraph(self, style: str | None = None, language: str | None = None, parent: list | None = None,
                  runs: str = "", extra: str = "") -> None:
        language = language or self.language
        (self.parts if parent is None else parent).append(f"<w:p>{self.ppr(style, language, extra)}{runs}</w:p>")

    def text_paragraph(self, text: str, style: str | None = None, language: str | None = None,
                       parent: list | None = None, **run_options) -> None:
        language = self.latin_if_no_rtl(text, language or self.language)
        self.paragraph(style, language, parent, self.run_xml(text, language, **run_options))

    def heading(self, level: int, text: str, language: str | None = None, comment_ids: Iterable[int] = ()) -> str:
        """A heading; levels 1 and 2 get a bookmark and an entry in the table of contents. `comment_ids`
        anchor Word comments (already in the comments part) on the heading's text."""
        text = typographic_quotes(xml_safe(text))
        language = language or self.language
        if level > 2:
            self.paragraph(f"Heading {level}", language, runs=self.run_xml(text, language, safe=True))
            return ""
        number = len(self.headings) + 1
        name = f"_Toc{number:08d}"
        run = self.run_xml(text, language, safe=True)
        for comment_id in comment_ids:
            run = (f'<w:commentRangeStart w:id="{comment_id}"/>{run}<w:commentRangeEnd w:id="{comment_id}"/>'
                   f'<w:r><w:commentReference w:id="{comment_id}"/></w:r>')
        runs = f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{run}<w:bookmarkEnd w:id="{number}"/>'
        self.paragraph(f"Heading {level}", language, runs=runs)
        self.headings.append((level, text, name, language))
        return name

    def page_break(self) -> None:
        self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def link_id(self, url: str) -> str:
        rel_id = self.links.get(url)
        if rel_id is None:
            rel_id = self.links[url] = self.document.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return rel_id

    def new_numbering(self, start: int, lettered: bool = False) -> int:
        """A numbered list restarts: a new w:num on the template's decimal definition, or its lettered one
        ((a), (b)) inside numbered paragraphs."""
        num_id = self.next_num_id
        self.next_num_id += 1
        num = etree.SubElement(self.numbering, w("num"))
        num.set(w("numId"), str(num_id))
        abstract = LETTERED_ABSTRACT_ID if lettered else DECIMAL_ABSTRACT_ID
        etree.SubElement(num, w("abstractNumId")).set(VAL, str(abstract))
        override = etree.SubElement(num, w("lvlOverride"))
        override.set(w("ilvl"), "0")
        etree.SubElement(override, w("startOverride")).set(VAL, str(max(start, 0)))
        return num_id

    # Tables

    def table(self, headers: list[str], widths: list[int]) -> Table:
        tbl = Table(self.styles["Amendments Table"], widths)
        self.parts.append(tbl)
        # Each position's amendments table has the same header row: written once.
        key = tuple(headers)
        header_cells = self._header_cells.get(key)
        if header_cells is None:
            header_cells = self._header_cells[key] = []
            for text in headers:
                self.text_paragraph(text, "Table Text", parent=header_cells, bold=True)
        for cell, paragraph in zip(tbl.row(header=True), header_cells, strict=True):
            cell.append(paragraph)
        return tbl

    def table_row(self, tbl: Table, widths: list[int] | None = None) -> list[list[str]]:
        return tbl.row()

    def cell_text(self, cell: list, text: str, language: str | None = None, style: str = "Table Text",
                  **options) -> None:
        for line in xml_safe(text or "").split("\n"):
            line_language = self.latin_if_no_rtl(line, language or self.language)
            self.paragraph(style, line_language, cell, self.run_xml(line, line_language, safe=True, **options))

    def change_paragraph(self, cell: list, segments, language: str | None = None) -> None:
        """A proposal as UN compilation documents print it: inserted words bold and underlined, deleted
        words struck through, the rest as it stands (`segments`: amendments.diff.diff_words' Segments)."""
        runs = []
        for segment in segments:
            text = segment.text.replace("\n", " ")
            if not text:
                continue
            run = self.run_xml(text, language)
            mark = _CHANGE_MARKS[segment.kind]
            if mark:  # the marks come first in w:rPr (schema order: b, bCs, strike, u, rtl, lang), on
                # every run of the segment (mixed scripts write one run per script)
                run = run.replace("<w:r><w:rPr>", f"<w:r><w:rPr>{mark}").replace(
                    "<w:r><w:t", f"<w:r><w:rPr>{mark}</w:rPr><w:t")
            runs.append(run)
        self.paragraph("Table Text", language, cell, "".join(runs))

    # Markdown

    def markdown(self, source: str, language: str, numbered: bool = False, top_heading: int = 4) -> None:
        """The Markdown subset as Word structure: paragraphs, headings, lists, bold, italic, links.
        `numbered`: plain paragraphs take the document's continuous paragraph numbers (1., 2., ...).
        A `#` heading becomes Word's Heading `top_heading`, deeper ones follow: inside a position (its
        title is Heading 2, the builder's own subheadings Heading 3) the text's headings stay below both."""
        source = xml_safe(source)
        body_style = "Numbered Paragraph" if numbered else None
        if not _has_block_syntax(source):
            # Paragraphs only (no heading, list or unusual whitespace): each block is one paragraph, so
            # only its inline syntax needs the parser, and plain text none. Same result as the token
            # walk below (a test holds them equal), in a fraction of the time of a large edition.
            space = self.run_xml(" ", language, safe=True)
            p_open = f"<w:p>{self.ppr(body_style, language)}"
            # A one-line plain paragraph, by far the most common, written at once (as run_xml would).
            plain_open = f"{p_open}<w:r>{self.rpr(language, False, False, None)}"
            parts = self.parts
            for block in _BLANK_LINE.split(source):
                block = block.strip()
                if not block:
                    continue
                block_language, block_open = language, p_open
                if language == "ar" or (not block.isascii() and has_rtl(block)):
                    # Mixed scripts: runs cut by script (run_xml), the paragraph right to left only
                    # where it has Arabic.
                    block_language = self.latin_if_no_rtl(block, language)
                    block_open = f"<w:p>{self.ppr(body_style, block_language)}"
                    if _has_inline_syntax(block):
                        tokens = parse_inline_markdown(block)
                        runs = self.inline(tokens[0].children or [] if tokens else [], block_language)
                    else:
                        runs = self.run_xml(" ", block_language, safe=True).join(
                            self.run_xml(line.strip(" "), block_language, safe=True) for line in block.split("\n"))
                    parts.append(f"{block_open}{runs}</w:p>")
                    continue
                if _has_inline_syntax(block):
                    spans = simple_emphasis(block)
                    if spans is None:
                        tokens = parse_inline_markdown(block)
                        runs = self.inline(tokens[0].children or [] if tokens else [], language)
                    else:
                        runs = "".join(self.run_xml(text, language, bold=bold, italic=italic, safe=True)
                                       for text, bold, italic in spans)
                elif "\n" not in block:
                    # Stripped: no space at either end, so no xml:space either.
                    parts.append(f"{plain_open}<w:t>{escape(block)}</w:t></w:r></w:p>")
                    continue
                else:
                    runs = space.join(self.run_xml(line.strip(" "), language, safe=True)
                                      for line in block.split("\n"))
                parts.append(f"{p_open}{runs}</w:p>")
            return
        lists: list[int] = []  # numId of each open list, innermost last
        item_open = False
        heading_level = 0
        for token in parse_markdown(source):
            kind = token.type
            if kind == "inline":
                runs = self.inline(token.children or [], language)
                if heading_level:
                    self.paragraph(f"Heading {min(heading_level + top_heading - 1, 9)}", language, runs=runs)
                elif lists:
                    level = min(len(lists) - 1, 3)
                    if item_open:
                        extra = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{lists[-1]}"/></w:numPr>'
                        item_open = False
                    else:  # a further paragraph of the same item: indented, no number
                        extra = f'<w:ind w:left="{720 * (level + 1)}"/>'
                    self.paragraph("List Paragraph", language, runs=runs, extra=extra)
                else:
                    self.paragraph(body_style, language, runs=runs)
            elif kind == "heading_open":
                heading_level = int(token.tag[1])
            elif kind == "heading_close":
                heading_level = 0
            elif kind == "bullet_list_open":
                lists.append(BULLET_NUM_ID)
            elif kind == "ordered_list_open":
                start = token.attrs.get("start", 1)
                lists.append(self.new_numbering(int(start) if str(start).isdigit() else 1, lettered=numbered))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                item_open = True
            elif kind == "list_item_close":
                item_open = False

    def inline(self, children: Iterable, language: str) -> str:
        out: list[str] = []
        bold = italic = 0
        in_link = False
        for child in children:
            kind = child.type
            if kind == "text":
                if child.content:
                    out.append(self.run_xml(child.content, language, bold=bold > 0, italic=italic > 0,
                                            char_style="Hyperlink" if in_link else None, safe=True))
            elif kind == "softbreak":
                out.append(self.run_xml(" ", language, safe=True))
            elif kind == "hardbreak":
                out.append("<w:r><w:br/></w:r>")
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                if href.lower().startswith(LINK_SCHEMES) and not in_link:
                    out.append(f'<w:hyperlink r:id="{self.link_id(href)}" w:history="1">')
                    in_link = True
            elif kind == "link_close" and in_link:
                out.append("</w:hyperlink>")
                in_link = False
        if in_link:
            out.append("</w:hyperlink>")
        return "".join(out)

    # Into the document

    def take(self) -> str:
        """What was written since the last call, as WordprocessingML text."""
        text = "".join(part if isinstance(part, str) else part.xml() for part in self.parts)
        self.parts = []
        return text

    def insert(self, text: str, before=None) -> list:
        """Parse `text` and insert it before `before` (default: the body's final sectPr, kept by reference)."""
        if not text:
            return []
        wrapper = parse_xml(f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{text}</w:body>')
        anchor = self.sect_pr if before is None else before
        elements = list(wrapper)
        for element in elements:
            anchor.addprevious(element)
        return elements

    # lxml helpers for the header and footer

    def lxml_run(self, parent, text: str) -> None:
        t = etree.SubElement(etree.SubElement(parent, R), T)
        t.text = xml_safe(text)
        t.set(XML_SPACE, "preserve")

    def field(self, parent, instruction: str, cached: str) -> None:
        etree.SubElement(etree.SubElement(parent, R), w("fldChar")).set(w("fldCharType"), "begin")
        instr = etree.SubElement(etree.SubElement(parent, R), w("instrText"))
        instr.text = f" {instruction} "
        instr.set(XML_SPACE, "preserve")
        etree.SubElement(etree.SubElement(parent, R), w("fldChar")).set(w("fldCharType"), "separate")
        if cached:
            etree.SubElement(etree.SubElement(parent, R), T).text = cached
        etree.SubElement(etree.SubElement(parent, R), w("fldChar")).set(w("fldCharType"), "end")
