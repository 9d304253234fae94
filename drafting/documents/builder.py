"""The consolidated Word document of one edition, built from plain data (`EditionPlan`).

Nothing here knows the database or the request: `drafting.documents.operations` gathers the plan,
this module turns it into .docx bytes. The styles come from `template.docx` (see make_template.py).

Speed: python-docx's `add_paragraph` looks for the body's final `w:sectPr` on every call, which makes
large documents quadratic (python-docx issue 408). Paragraphs and tables are built here as lxml
elements and inserted straight before that `w:sectPr`, whose reference is kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import docx
from babel.dates import format_date
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from flask_babel import gettext as _
from flask_babel import ngettext
from lxml import etree

from drafting.documents.make_template import BULLET_NUM_ID, DECIMAL_ABSTRACT_ID, TEMPLATE_PATH
from drafting.i18n import LANGUAGE_NAMES, LANGUAGE_TAGS
from drafting.text import parse_inline_markdown, parse_markdown, xml_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


PPR, PSTYLE, R, T, VAL = (w(t) for t in ("pPr", "pStyle", "r", "t", "val"))
GROUPINGS = ("objective", "organisation", "workstream")
# What the Markdown subset could read as block structure (headings, list items, indented lines), or
# whitespace it treats differently from Python's str.strip; text without any is plain paragraphs.
# (Two simple patterns: one alternation of both is ten times slower on long texts.)
_ODD_WHITESPACE = re.compile("[\t\r\x0b\x0c\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_LINE_START_SYNTAX = re.compile(r"\n *(?:#|[-+*]|\d{1,9}[.)])(?: |\n)|\n {4}")


def _has_block_syntax(source: str) -> bool:
    return bool(_ODD_WHITESPACE.search(source) or _LINE_START_SYNTAX.search(f"\n{source}\n") or "#" in source)




def _has_inline_syntax(block: str) -> bool:
    """Emphasis, links, hard breaks (substring tests: far faster than a regex alternation)."""
    return "*" in block or "_" in block or "[" in block or "]" in block or "  \n" in block
_BLANK_LINE = re.compile(r"\n(?: *\n)+")
LINK_SCHEMES = ("http://", "https://", "mailto:")
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# The plan: plain data ------------------------------------------------------------------------

@dataclass(frozen=True)
class ThemeRef:
    id: int
    kind: str  # "objective" or "workstream"
    label: str
    order: tuple  # how groups of this theme sort


@dataclass
class AmendmentEntry:
    section_id: int | None
    section_name: str
    section_order: int
    paragraph: str
    current_text: str
    proposed_text: str
    rationale: str = ""


@dataclass
class ReviewNote:
    author: str
    created_at: datetime
    body: str


@dataclass
class AnnexFile:
    filename: str
    data: bytes


@dataclass
class PositionEntry:
    """One position as the edition includes it: the content of one exact revision."""

    position_id: int
    revision_number: int
    title: str
    text: str
    language: str
    organisation_short: str
    organisation_full: str
    summary: str = ""
    authors: list[str] = field(default_factory=list)
    approved_on: date | None = None
    approvers: list[str] = field(default_factory=list)
    themes: list[ThemeRef] = field(default_factory=list)  # in the order they were chosen
    amendments: list[AmendmentEntry] = field(default_factory=list)
    review_notes: list[ReviewNote] = field(default_factory=list)
    annexes: list[AnnexFile] = field(default_factory=list)


@dataclass
class EditionPlan:
    title: str
    milestone_name: str
    milestone_start: date
    milestone_end: date
    milestone_place: str
    edition_number: int
    compiled_at: datetime
    compiled_by: str
    positions: list[PositionEntry]
    preface: str = ""
    grouping: str = "objective"
    amendments_annex: bool = True
    review_comments: bool = False
    uploaded_annexes: bool = True
    locale: str = "en"


# Words of the document --------------------------------------------------------------------------

def _labels() -> dict[str, str]:
    """The document's recurring words, translated once per build (not once per position), then
    filled in with %-formatting."""
    labels = {
        "objective": _("Objective %(label)s"),
        "workstream": _("Workstream: %(label)s"),
        "no_objective": _("Positions without an objective"),
        "no_workstream": _("Positions without a workstream"),
        "authors": _("Authors: %(names)s"),
        "language": _("Language: %(language)s"),
        "approved_by": _("Approved on %(date)s by %(names)s"),
        "approved": _("Approved on %(date)s"),
        "section_paragraph": _("%(section)s, paragraph %(paragraph)s"),
        "paragraph_only": _("Paragraph %(paragraph)s"),
        "proposed_amendments": _("Proposed amendments"),
        "paragraph": _("Paragraph"),
        "current_text": _("Current text"),
        "proposed_text": _("Proposed text"),
        "rationale": _("Rationale"),
        "proposals": _("Proposals"),
        "proposed_by": _("Proposed by %(networks)s"),
    }
    labels.update({f"lang_{code}": str(name) for code, name in LANGUAGE_NAMES.items()})
    return labels


# Ordering rules -----------------------------------------------------------------------------

def paragraph_sort_key(reference: str) -> tuple:
    """Natural order of paragraph references: 31(b) < 31(c) < 32 < 100."""
    parts = re.findall(r"\d+|\D+", normalise_reference(reference))
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts)


def normalise_reference(reference: str) -> str:
    return re.sub(r"\s+", "", reference or "").lower()


def _same_text_key(value: str) -> str:
    return " ".join((value or "").split()).casefold()


@dataclass
class Group:
    heading: str
    positions: list[PositionEntry]


def group_positions(plan: EditionPlan, labels: dict[str, str] | None = None) -> list[Group]:
    """Chapters of the document. A position with several themes of the grouping's kind goes under the
    first one it lists (the reference order: objective number, then workstream order)."""
    labels = labels or _labels()
    grouping = plan.grouping if plan.grouping in GROUPINGS else "objective"
    buckets: dict[tuple, Group] = {}
    for entry in plan.positions:
        if grouping == "organisation":
            key = (0, entry.organisation_short.casefold())
            heading = f"{entry.organisation_short} \u2014 {entry.organisation_full}"
        else:
            first = next((theme for theme in entry.themes if theme.kind == grouping), None)
            if first is None:
                key = (1,)
                heading = labels["no_objective"] if grouping == "objective" else labels["no_workstream"]
            else:
                key = (0, *first.order)
                heading = labels[grouping] % {"label": first.label}
        buckets.setdefault(key, Group(heading, [])).positions.append(entry)
    groups = [buckets[key] for key in sorted(buckets)]
    for group in groups:
        group.positions.sort(key=lambda e: (e.organisation_short.casefold(), e.title.casefold(), e.position_id))
    return groups


# The writer -----------------------------------------------------------------------------------

def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Table:
    """A table being written: its rows are lists of cells, each cell a list of paragraph strings."""

    def __init__(self, style_id: str, widths: list[int]):
        self.style_id = style_id
        self.widths = widths
        self.rows: list[tuple[bool, list[list[str]]]] = []

    def row(self, header: bool = False) -> list[list[str]]:
        cells: list[list[str]] = [[] for _ in self.widths]
        self.rows.append((header, cells))
        return cells

    def xml(self) -> str:
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style_id}"/><w:tblW w:w="5000" w:type="pct"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out.extend(f'<w:gridCol w:w="{width}"/>' for width in self.widths)
        out.append("</w:tblGrid>")
        for header, cells in self.rows:
            out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>")
            for paragraphs in cells:
                out.append("<w:tc>")  # widths come from tblGrid
                out.append("".join(paragraphs) or "<w:p/>")  # a cell needs at least one paragraph
                out.append("</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


class _Writer:
    """Writes the body as WordprocessingML text, parsed in large chunks and inserted before the body's
    final sectPr (kept by reference): no per-paragraph API call, no rescan of the body."""

    def __init__(self, document):
        self.document = document
        self.labels = _labels()
        self.body = document.element.body
        self.sect_pr = self.body.find(w("sectPr"))
        self.styles = {style.name: style.style_id for style in document.styles}
        self.numbering = document.part.numbering_part.element
        self.next_num_id = 1 + max((int(num.get(w("numId"))) for num in self.numbering.iter(w("num"))), default=2)
        self.headings: list[tuple[int, str, str, str]] = []  # level, text, bookmark, language
        self.links: dict[str, str] = {}
        self.dates: dict = {}
        self.parts: list = []
        self._ppr: dict[tuple, str] = {}
        self._rpr: dict[tuple, str] = {}

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
            # English is the template's default language (docDefaults): English runs need no w:lang.
            inner = f'<w:rStyle w:val="{self.styles[char_style]}"/>' if char_style else ""
            inner += "<w:b/><w:bCs/>" if bold else ""
            inner += "<w:i/><w:iCs/>" if italic else ""
            if language == "ar":
                inner += f'<w:rtl/><w:lang w:bidi="{LANGUAGE_TAGS["ar"]}"/>'
            elif language != "en":
                inner += f'<w:lang w:val="{LANGUAGE_TAGS.get(language, language)}"/>'
            cached = self._rpr[key] = f"<w:rPr>{inner}</w:rPr>" if inner else ""
        return cached

    def run_xml(self, text: str, language: str = "en", *, bold: bool = False, italic: bool = False,
                char_style: str | None = None, safe: bool = False) -> str:
        """`safe`: the text already went through xml_safe (a Markdown source is cleaned whole)."""
        text = _escape(text if safe else xml_safe(text))
        # xml:space only where it matters: fewer attributes make the tree of a large edition lighter.
        t_open = '<w:t xml:space="preserve">' if text[:1].isspace() or text[-1:].isspace() else "<w:t>"
        return f"<w:r>{self.rpr(language, bold, italic, char_style)}{t_open}{text}</w:t></w:r>"

    def paragraph(self, style: str | None = None, language: str = "en", parent: list | None = None,
                  runs: str = "", extra: str = "") -> None:
        (self.parts if parent is None else parent).append(f"<w:p>{self.ppr(style, language, extra)}{runs}</w:p>")

    def text_paragraph(self, text: str, style: str | None = None, language: str = "en", parent: list | None = None,
                       **run_options) -> None:
        self.paragraph(style, language, parent, self.run_xml(text, language, **run_options))

    def heading(self, level: int, text: str, language: str = "en", comment_ids: Iterable[int] = ()) -> str:
        """A heading; levels 1 and 2 get a bookmark and an entry in the table of contents. `comment_ids`
        anchor Word comments (already in the comments part) on the heading's text."""
        text = xml_safe(text)
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

    def new_numbering(self, start: int) -> int:
        """A numbered list restarts: a new w:num on the template's decimal definition."""
        num_id = self.next_num_id
        self.next_num_id += 1
        num = etree.SubElement(self.numbering, w("num"))
        num.set(w("numId"), str(num_id))
        etree.SubElement(num, w("abstractNumId")).set(VAL, str(DECIMAL_ABSTRACT_ID))
        override = etree.SubElement(num, w("lvlOverride"))
        override.set(w("ilvl"), "0")
        etree.SubElement(override, w("startOverride")).set(VAL, str(max(start, 0)))
        return num_id

    # Tables

    def table(self, headers: list[str], widths: list[int]) -> _Table:
        tbl = _Table(self.styles["Amendments Table"], widths)
        self.parts.append(tbl)
        for cell, text in zip(tbl.row(header=True), headers, strict=True):
            self.text_paragraph(text, "Table Text", parent=cell, bold=True)
        return tbl

    def table_row(self, tbl: _Table, widths: list[int] | None = None) -> list[list[str]]:
        return tbl.row()

    def cell_text(self, cell: list, text: str, language: str = "en", style: str = "Table Text", **options) -> None:
        for line in xml_safe(text or "").split("\n"):
            self.paragraph(style, language, cell, self.run_xml(line, language, safe=True, **options))

    # Markdown

    def markdown(self, source: str, language: str) -> None:
        """The Markdown subset as Word structure: paragraphs, headings, lists, bold, italic, links."""
        source = xml_safe(source)
        if not _has_block_syntax(source):
            # Paragraphs only (no heading, list or unusual whitespace): each block is one paragraph, so
            # only its inline syntax needs the parser, and plain text none. Same result as the token
            # walk below (a test holds them equal), in a fraction of the time of a large edition.
            space = self.run_xml(" ", language, safe=True)
            for block in _BLANK_LINE.split(source):
                block = block.strip()
                if not block:
                    continue
                if _has_inline_syntax(block):
                    tokens = parse_inline_markdown(block)
                    runs = self.inline(tokens[0].children or [] if tokens else [], language)
                else:
                    runs = space.join(self.run_xml(line.strip(" "), language, safe=True)
                                      for line in block.split("\n"))
                self.paragraph(None, language, runs=runs)
            return
        lists: list[int] = []  # numId of each open list, innermost last
        item_open = False
        heading_level = 0
        for token in parse_markdown(source):
            kind = token.type
            if kind == "inline":
                runs = self.inline(token.children or [], language)
                if heading_level:
                    self.paragraph(f"Heading {min(heading_level + 2, 6)}", language, runs=runs)
                elif lists:
                    level = min(len(lists) - 1, 3)
                    if item_open:
                        extra = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{lists[-1]}"/></w:numPr>'
                        item_open = False
                    else:  # a further paragraph of the same item: indented, no number
                        extra = f'<w:ind w:left="{720 * (level + 1)}"/>'
                    self.paragraph("List Paragraph", language, runs=runs, extra=extra)
                else:
                    self.paragraph(None, language, runs=runs)
            elif kind == "heading_open":
                heading_level = int(token.tag[1])
            elif kind == "heading_close":
                heading_level = 0
            elif kind == "bullet_list_open":
                lists.append(BULLET_NUM_ID)
            elif kind == "ordered_list_open":
                start = token.attrs.get("start", 1)
                lists.append(self.new_numbering(int(start) if str(start).isdigit() else 1))
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


# The document ---------------------------------------------------------------------------------

def build_document(plan: EditionPlan, template: Path = TEMPLATE_PATH) -> bytes:
    document = docx.Document(str(template))
    writer = _Writer(document)
    _header_and_footer(document, writer, plan)
    _cover(writer, plan)
    writer.text_paragraph(_("Contents"), "TOC Heading")
    front = writer.take()  # the table of contents goes after this, once every heading is known
    body: list[str] = []
    if plan.preface.strip():
        writer.heading(1, _("Preface"))
        writer.markdown(plan.preface, plan.locale if plan.locale in LANGUAGE_TAGS else "en")
    for group in group_positions(plan, writer.labels):
        writer.heading(1, group.heading)
        for entry in group.positions:
            comment_ids = _review_comments(document, entry, plan) if plan.review_comments else ()
            writer.heading(2, entry.title, entry.language, comment_ids)
            _position_body(writer, entry, plan)
        body.append(writer.take())
    if plan.amendments_annex:
        _amendments_annex(writer, plan)
    _contributors_annex(writer, plan)
    body.append(writer.take())
    _settings(document)
    _core_properties(document, plan)
    annexed = [e for group in group_positions(plan, writer.labels) for e in group.positions if e.annexes] \
        if plan.uploaded_annexes else []
    if not annexed:
        # The body is spliced into document.xml as text: no tree of a large edition is ever built.
        return _save(document, [front, _table_of_contents(writer), *body])
    # docxcompose works on the tree: the body goes into it, then each annex after its heading.
    toc_heading = writer.insert(front)[-1]
    writer.insert("".join(body))
    del body
    _uploaded_annexes(document, writer, annexed)
    writer.insert(_table_of_contents(writer), before=toc_heading.getnext())
    return _save(document)


class _LightZipWriter:
    """python-docx's physical package writer, with the fastest deflate level: on a large edition the
    default level spends longer compressing than everything else takes to build."""

    def __init__(self, out):
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)

    def write(self, pack_uri, blob) -> None:
        self._zip.writestr(pack_uri.membername, blob)

    def write_pieces(self, pack_uri, pieces: Iterable[bytes]) -> None:
        """One member written piece by piece: no copy of a large document.xml is ever joined."""
        with self._zip.open(pack_uri.membername, "w", force_zip64=True) as member:
            for piece in pieces:
                member.write(piece)

    def close(self) -> None:
        self._zip.close()


def _document_xml(document, body: list[str]) -> Iterable[bytes]:
    """document.xml with `body` (pieces of WordprocessingML text) before the body's final sectPr."""
    xml = serialize_part_xml(document.element)
    at = xml.rindex(b"<w:sectPr")
    yield xml[:at]
    for piece in body:
        yield piece.encode("utf-8")
    yield xml[at:]


def _save(document, body: list[str] | None = None) -> bytes:
    from docx.opc.pkgwriter import PackageWriter

    out = io.BytesIO()
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer = _LightZipWriter(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    for part in package.parts:
        if body is not None and part is document.part:
            writer.write_pieces(part.partname, _document_xml(document, body))
        else:
            writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()
    return out.getvalue()


def _long_date(value: date | datetime | None, plan: EditionPlan) -> str:
    if value is None:
        return ""
    try:
        return format_date(value, "long", locale=plan.locale)
    except (ValueError, LookupError):
        return format_date(value, "long", locale="en")


def _date_range(plan: EditionPlan) -> str:
    if plan.milestone_start == plan.milestone_end:
        return _long_date(plan.milestone_start, plan)
    return f"{_long_date(plan.milestone_start, plan)} \u2013 {_long_date(plan.milestone_end, plan)}"


def _header_and_footer(document, writer: _Writer, plan: EditionPlan) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True  # the cover page has neither
    header_p = section.header.paragraphs[0]._p
    ppr = etree.SubElement(header_p, PPR)
    etree.SubElement(ppr, PSTYLE).set(VAL, writer.style("Header"))
    writer.lxml_run(header_p, plan.title)

    footer_p = section.footer.paragraphs[0]._p
    ppr = etree.SubElement(footer_p, PPR)
    etree.SubElement(ppr, PSTYLE).set(VAL, writer.style("Footer"))
    etree.SubElement(ppr, w("jc")).set(VAL, "center")
    # "Page X of Y" with X and Y as fields, in whatever order the translation puts them.
    pattern = _("Page %(page)s of %(pages)s", page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")
    for index, piece in enumerate(pattern.split("\x00")):
        if index % 2:
            writer.field(footer_p, piece, "1")
        elif piece:
            writer.lxml_run(footer_p, piece)


def _cover(writer: _Writer, plan: EditionPlan) -> None:
    writer.text_paragraph(plan.title, "Cover Title")
    writer.text_paragraph(plan.milestone_name, "Cover Line", bold=True)
    when_where = _date_range(plan) + (f", {plan.milestone_place}" if plan.milestone_place else "")
    writer.text_paragraph(when_where, "Cover Line")
    writer.text_paragraph(_("Compiled by the UCLG World Secretariat"), "Cover Line")
    writer.text_paragraph(_("Edition %(number)s of %(date)s", number=plan.edition_number,
                            date=_long_date(plan.compiled_at, plan)), "Cover Line")
    writer.page_break()


def _table_of_contents(writer: _Writer) -> str:
    """A real TOC field whose cached result already lists the headings, so any viewer shows them
    before Word updates the field (and adds the page numbers). Heading 1 starts a new page."""
    entries = writer.headings or [(1, "", "", "en")]
    last = len(entries) - 1
    for index, (level, text, bookmark, language) in enumerate(entries):
        runs = ""
        if index == 0:
            runs = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        entry = writer.run_xml(text, language, safe=True)
        if bookmark:
            entry = f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{entry}</w:hyperlink>'
        runs += entry
        if index == last:
            runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        writer.paragraph(f"TOC {level}", runs=runs)  # left to right whatever the entry's script
    return writer.take()


def _attribution(entry: PositionEntry, plan: EditionPlan, labels: dict[str, str], dates: dict) -> str:
    parts = [f"{entry.organisation_full} ({entry.organisation_short})"]
    if entry.authors:
        parts.append(labels["authors"] % {"names": ", ".join(entry.authors)})
    parts.append(labels["language"] % {"language": labels.get(f"lang_{entry.language}", entry.language)})
    if entry.approved_on:
        if entry.approved_on not in dates:
            dates[entry.approved_on] = _long_date(entry.approved_on, plan)
        approved = dates[entry.approved_on]
        if entry.approvers:
            parts.append(labels["approved_by"] % {"date": approved, "names": ", ".join(entry.approvers)})
        else:
            parts.append(labels["approved"] % {"date": approved})
    return " \u00b7 ".join(parts)


def _section_label(amendment: AmendmentEntry, labels: dict[str, str]) -> str:
    if amendment.section_name:
        return labels["section_paragraph"] % {"section": amendment.section_name, "paragraph": amendment.paragraph}
    return labels["paragraph_only"] % {"paragraph": amendment.paragraph}


def _position_body(writer: _Writer, entry: PositionEntry, plan: EditionPlan) -> None:
    labels = writer.labels
    writer.text_paragraph(_attribution(entry, plan, labels, writer.dates), "Attribution")
    if entry.summary.strip():
        writer.text_paragraph(entry.summary, "Position Summary", entry.language)
    writer.markdown(entry.text, entry.language)
    if entry.amendments:
        writer.heading(3, labels["proposed_amendments"])
        widths = [1800, 2500, 2500, 2200]
        tbl = writer.table([labels["paragraph"], labels["current_text"], labels["proposed_text"],
                            labels["rationale"]], widths)
        for amendment in sorted(entry.amendments, key=lambda a: (a.section_order,
                                                                  paragraph_sort_key(a.paragraph))):
            cells = writer.table_row(tbl, widths)
            writer.cell_text(cells[0], _section_label(amendment, labels))
            writer.cell_text(cells[1], amendment.current_text, entry.language)
            writer.cell_text(cells[2], amendment.proposed_text, entry.language)
            writer.cell_text(cells[3], amendment.rationale, entry.language)


@dataclass
class _Proposal:
    text: str
    language: str
    networks: list[str] = field(default_factory=list)


@dataclass
class _ParagraphRow:
    label: str
    current_texts: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    proposals: dict[str, _Proposal] = field(default_factory=dict)


def compile_amendments(plan: EditionPlan, labels: dict[str, str] | None = None) -> list[_ParagraphRow]:
    """One row per (section, paragraph reference), in compact order; identical proposals (same text,
    whitespace and case aside) merged into one entry listing every network that made it."""
    labels = labels or _labels()
    rows: dict[tuple, _ParagraphRow] = {}
    for entry in plan.positions:
        for amendment in entry.amendments:
            key = (amendment.section_order, amendment.section_name, normalise_reference(amendment.paragraph))
            row = rows.get(key)
            if row is None:
                row = rows[key] = _ParagraphRow(_section_label(amendment, labels))
            current = (amendment.current_text or "").strip()
            if current and _same_text_key(current) not in {_same_text_key(t) for t, _l in row.current_texts}:
                row.current_texts.append((current, entry.language))
            proposal = row.proposals.setdefault(_same_text_key(amendment.proposed_text),
                                                _Proposal(amendment.proposed_text, entry.language))
            if entry.organisation_short not in proposal.networks:
                proposal.networks.append(entry.organisation_short)
    ordered = sorted(rows, key=lambda k: (k[0], k[1], paragraph_sort_key(k[2])))
    return [rows[key] for key in ordered]


def _amendments_annex(writer: _Writer, plan: EditionPlan) -> None:
    writer.heading(1, _("Annex: Compilation of proposed amendments"))
    labels = writer.labels
    rows = compile_amendments(plan, labels)
    if not rows:
        writer.text_paragraph(_("No position of this edition proposes an amendment."), None)
        return
    widths = [2000, 3300, 3700]
    tbl = writer.table([labels["paragraph"], labels["current_text"], labels["proposals"]], widths)
    for row in rows:
        cells = writer.table_row(tbl, widths)
        writer.cell_text(cells[0], row.label)
        if row.current_texts:
            for text, language in row.current_texts:
                writer.cell_text(cells[1], text, language)
        else:
            writer.cell_text(cells[1], "")
        for proposal in row.proposals.values():
            writer.cell_text(cells[2], proposal.text, proposal.language)
            writer.text_paragraph(labels["proposed_by"] % {"networks": ", ".join(proposal.networks)},
                                  "Proposers", parent=cells[2])


def _contributors_annex(writer: _Writer, plan: EditionPlan) -> None:
    writer.heading(1, _("Annex: Contributors"))
    per_org: dict[str, list] = {}
    for entry in plan.positions:
        org = per_org.setdefault(entry.organisation_short, [entry.organisation_full, [], 0])
        org[2] += 1
        for author in entry.authors:
            if author not in org[1]:
                org[1].append(author)
    writer.text_paragraph(_("%(positions)s from %(organisations)s.",
                            positions=ngettext("%(num)d position", "%(num)d positions", len(plan.positions)),
                            organisations=ngettext("%(num)d organisation", "%(num)d organisations",
                                                   len(per_org))), None)
    widths = [3000, 4500, 1500]
    tbl = writer.table([_("Organisation"), _("Authors"), _("Positions")], widths)
    for short in sorted(per_org, key=str.casefold):
        full, authors, count = per_org[short]
        cells = writer.table_row(tbl, widths)
        writer.cell_text(cells[0], f"{full} ({short})")
        writer.cell_text(cells[1], ", ".join(authors))
        writer.cell_text(cells[2], str(count))

    theme_counts: Counter = Counter()
    themes: dict[int, ThemeRef] = {}
    for entry in plan.positions:
        for theme in entry.themes:
            themes[theme.id] = theme
            theme_counts[theme.id] += 1
    if theme_counts:
        writer.heading(3, _("Positions per theme"))
        widths = [7500, 1500]
        tbl = writer.table([_("Theme"), _("Positions")], widths)
        for theme in sorted(themes.values(), key=lambda t: (t.kind != "objective", t.order)):
            cells = writer.table_row(tbl, widths)
            label = writer.labels["objective" if theme.kind == "objective" else "workstream"] % {"label": theme.label}
            writer.cell_text(cells[0], label)
            writer.cell_text(cells[1], str(theme_counts[theme.id]))


def _review_comments(document, entry: PositionEntry, plan: EditionPlan) -> list[int]:
    """Shared review comments into the comments part; their ids anchor them on the position's heading."""
    ids = []
    for note in entry.review_notes:
        initials = "".join(part[:1] for part in note.author.split()[:3]).upper() or "R"
        text = f"{_long_date(note.created_at, plan)}: {note.body}"
        comment = document.comments.add_comment(text=xml_safe(text), author=xml_safe(note.author),
                                                initials=xml_safe(initials))
        ids.append(comment.comment_id)
    return ids


def _uploaded_annexes(document, writer: _Writer, annexed: list[PositionEntry]) -> None:
    from docxcompose.composer import Composer

    from drafting.documents.annexes import open_without_comments

    writer.heading(1, _("Annex: Documents attached to positions"))
    composer = Composer(document)
    for entry in annexed:
        for annex in entry.annexes:
            writer.heading(2, _("“%(title)s” (%(organisation)s): %(filename)s", title=entry.title,
                                organisation=entry.organisation_short, filename=annex.filename))
            writer.insert(writer.take())
            composer.append(open_without_comments(annex.data))


def _settings(document) -> None:
    """Ask Word to refresh the fields (TOC page numbers) when the file is opened."""
    settings = document.settings.element
    successors = {w(t) for t in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")}
    successors |= {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}
    successors |= {w(t) for t in ("attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                                  "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                                  "smartTagType", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                                  "listSeparator")}
    update = etree.Element(w("updateFields"))
    update.set(VAL, "true")
    for child in settings:
        if child.tag in successors:
            child.addprevious(update)
            return
    settings.append(update)


def _core_properties(document, plan: EditionPlan) -> None:
    core = document.core_properties
    core.title = xml_safe(plan.title)[:255]
    core.subject = xml_safe(plan.milestone_name)[:255]
    core.author = "UCLG World Secretariat"
    core.last_modified_by = xml_safe(plan.compiled_by)[:255]
    core.created = plan.compiled_at
    core.modified = plan.compiled_at
    core.revision = max(plan.edition_number, 1)
    core.comments = _("Edition %(number)s", number=plan.edition_number)
