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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import docx
from babel.dates import format_date
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from flask_babel import gettext as _
from lxml import etree

from drafting.documents.make_template import BULLET_NUM_ID, DECIMAL_ABSTRACT_ID, TEMPLATE_PATH
from drafting.i18n import LANGUAGE_NAMES, LANGUAGE_TAGS
from drafting.text import parse_markdown, xml_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, PPR, PSTYLE, R, RPR, RSTYLE, T, BR = (w(t) for t in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t", "br"))
B, BCS, ITALIC, ICS, RTL, LANG, BIDI, VAL = (w(t) for t in ("b", "bCs", "i", "iCs", "rtl", "lang", "bidi", "val"))
NUMPR, ILVL, NUMID, IND = w("numPr"), w("ilvl"), w("numId"), w("ind")
HYPERLINK, R_ID = w("hyperlink"), f"{{{R_NS}}}id"
GROUPINGS = ("objective", "organisation", "workstream")
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


def group_positions(plan: EditionPlan) -> list[Group]:
    """Chapters of the document. A position with several themes of the grouping's kind goes under the
    first one it lists (the reference order: objective number, then workstream order)."""
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
                heading = (_("Positions without an objective") if grouping == "objective"
                           else _("Positions without a workstream"))
            else:
                key = (0, *first.order)
                heading = (_("Objective %(label)s", label=first.label) if grouping == "objective"
                           else _("Workstream: %(label)s", label=first.label))
        buckets.setdefault(key, Group(heading, [])).positions.append(entry)
    groups = [buckets[key] for key in sorted(buckets)]
    for group in groups:
        group.positions.sort(key=lambda e: (e.organisation_short.casefold(), e.title.casefold(), e.position_id))
    return groups


# The writer -----------------------------------------------------------------------------------

class _Writer:
    """Appends lxml elements before the body's final sectPr; keeps the TOC's list of headings."""

    def __init__(self, document):
        self.document = document
        self.body = document.element.body
        self.sect_pr = self.body.find(w("sectPr"))
        self.styles = {style.name: style.style_id for style in document.styles}
        self.numbering = document.part.numbering_part.element
        self.next_num_id = 1 + max((int(num.get(w("numId"))) for num in self.numbering.iter(w("num"))), default=2)
        self.headings: list[tuple[int, str, str, str]] = []  # level, text, bookmark, language
        self.links: dict[str, str] = {}

    def style(self, name: str) -> str:
        return self.styles[name]

    # Paragraphs and runs

    def paragraph(self, style: str | None = None, language: str = "en", parent=None) -> etree._Element:
        p = etree.Element(P) if parent is not None else self.body.makeelement(P, {})
        if style is not None or language == "ar":
            ppr = etree.SubElement(p, PPR)
            if style is not None:
                etree.SubElement(ppr, PSTYLE).set(VAL, self.style(style))
            if language == "ar":
                etree.SubElement(ppr, BIDI)
        if parent is None:
            self.sect_pr.addprevious(p)
        else:
            parent.append(p)
        return p

    def run(self, parent, text: str, language: str = "en", *, bold: bool = False, italic: bool = False,
            char_style: str | None = None) -> etree._Element:
        r = etree.SubElement(parent, R)
        rpr = etree.SubElement(r, RPR)
        if char_style:
            etree.SubElement(rpr, RSTYLE).set(VAL, self.style(char_style))
        if bold:
            etree.SubElement(rpr, B)
            etree.SubElement(rpr, BCS)
        if italic:
            etree.SubElement(rpr, ITALIC)
            etree.SubElement(rpr, ICS)
        tag = LANGUAGE_TAGS.get(language, "en-GB")
        if language == "ar":
            etree.SubElement(rpr, RTL)
            etree.SubElement(rpr, LANG).set(BIDI, tag)
        else:
            etree.SubElement(rpr, LANG).set(VAL, tag)
        t = etree.SubElement(r, T)
        t.text = xml_safe(text)
        t.set(XML_SPACE, "preserve")
        return r

    def text_paragraph(self, text: str, style: str | None = None, language: str = "en", parent=None,
                       **run_options) -> etree._Element:
        p = self.paragraph(style, language, parent)
        self.run(p, text, language, **run_options)
        return p

    def heading(self, level: int, text: str, language: str = "en") -> etree._Element:
        p = self.paragraph(f"Heading {level}", language)
        text = xml_safe(text)
        if level <= 2:
            bookmark_id = len(self.headings) + 1
            name = f"_Toc{bookmark_id:08d}"
            start = etree.SubElement(p, w("bookmarkStart"))
            start.set(w("id"), str(bookmark_id))
            start.set(w("name"), name)
            self.run(p, text, language)
            etree.SubElement(p, w("bookmarkEnd")).set(w("id"), str(bookmark_id))
            self.headings.append((level, text, name, language))
        else:
            self.run(p, text, language)
        return p

    def page_break(self) -> etree._Element:
        p = self.paragraph()
        etree.SubElement(etree.SubElement(p, R), BR).set(w("type"), "page")
        return p

    def hyperlink(self, parent, url: str) -> etree._Element:
        rel_id = self.links.get(url)
        if rel_id is None:
            rel_id = self.links[url] = self.document.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = etree.SubElement(parent, HYPERLINK)
        link.set(R_ID, rel_id)
        link.set(w("history"), "1")
        return link

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

    def table(self, headers: list[str], widths: list[int], parent_language: str = "en") -> etree._Element:
        tbl = self.body.makeelement(w("tbl"), {})
        tbl_pr = etree.SubElement(tbl, w("tblPr"))
        etree.SubElement(tbl_pr, w("tblStyle")).set(VAL, self.style("Amendments Table"))
        width = etree.SubElement(tbl_pr, w("tblW"))
        width.set(w("w"), "5000")
        width.set(w("type"), "pct")
        look = etree.SubElement(tbl_pr, w("tblLook"))
        look.set(w("val"), "04A0")
        look.set(w("firstRow"), "1")
        look.set(w("noHBand"), "1")
        look.set(w("noVBand"), "1")
        grid = etree.SubElement(tbl, w("tblGrid"))
        for col in widths:
            etree.SubElement(grid, w("gridCol")).set(w("w"), str(col))
        self.sect_pr.addprevious(tbl)
        row = self.table_row(tbl, widths, header=True)
        for cell, text in zip(row, headers, strict=True):
            self.text_paragraph(text, "Table Text", parent=cell, bold=True)
        return tbl

    def table_row(self, tbl, widths: list[int], header: bool = False) -> list[etree._Element]:
        tr = etree.SubElement(tbl, w("tr"))
        if header:
            etree.SubElement(etree.SubElement(tr, w("trPr")), w("tblHeader"))
        cells = []
        for col in widths:
            tc = etree.SubElement(tr, w("tc"))
            tc_w = etree.SubElement(etree.SubElement(tc, w("tcPr")), w("tcW"))
            tc_w.set(w("w"), str(col))
            tc_w.set(w("type"), "dxa")
            cells.append(tc)
        return cells

    def cell_text(self, cell, text: str, language: str = "en", style: str = "Table Text", **options) -> None:
        lines = [line for line in xml_safe(text or "").split("\n")] or [""]
        for line in lines:
            self.text_paragraph(line, style, language, parent=cell, **options)

    # Markdown

    def markdown(self, source: str, language: str) -> None:
        """The Markdown subset as Word structure: paragraphs, headings, lists, bold, italic, links."""
        lists: list[tuple[str, int]] = []  # ("bullet" | "ordered", numId)
        item_open = False
        heading_level = 0
        for token in parse_markdown(xml_safe(source)):
            kind = token.type
            if kind == "inline":
                if heading_level:
                    p = self.paragraph(f"Heading {min(heading_level + 2, 6)}", language)
                elif lists:
                    p = self.paragraph("List Paragraph", language)
                    ppr = p.find(PPR)
                    level = min(len(lists) - 1, 3)
                    if item_open:
                        numpr = etree.Element(NUMPR)
                        etree.SubElement(numpr, ILVL).set(VAL, str(level))
                        etree.SubElement(numpr, NUMID).set(VAL, str(lists[-1][1]))
                        ppr.find(PSTYLE).addnext(numpr)
                        item_open = False
                    else:  # a further paragraph of the same item: indented, no number
                        ind = etree.SubElement(ppr, IND)
                        ind.set(w("left"), str(720 * (level + 1)))
                else:
                    p = self.paragraph("Body Text", language)
                self.inline(p, token.children or [], language)
            elif kind == "heading_open":
                heading_level = int(token.tag[1])
            elif kind == "heading_close":
                heading_level = 0
            elif kind == "bullet_list_open":
                lists.append(("bullet", BULLET_NUM_ID))
            elif kind == "ordered_list_open":
                start = token.attrs.get("start", 1)
                lists.append(("ordered", self.new_numbering(int(start) if str(start).isdigit() else 1)))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                item_open = True
            elif kind == "list_item_close":
                item_open = False

    def inline(self, p, children: Iterable, language: str) -> None:
        bold = italic = 0
        target = p
        for child in children:
            kind = child.type
            if kind == "text":
                if child.content:
                    self.run(target, child.content, language, bold=bold > 0, italic=italic > 0,
                             char_style="Hyperlink" if target is not p else None)
            elif kind == "softbreak":
                self.run(target, " ", language)
            elif kind == "hardbreak":
                etree.SubElement(etree.SubElement(target, R), BR)
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
                if href.lower().startswith(LINK_SCHEMES):
                    target = self.hyperlink(p, xml_safe(href))
            elif kind == "link_close":
                target = p

    # Fields

    def field(self, parent, instruction: str, cached: str, dirty: bool = False) -> None:
        begin = etree.SubElement(etree.SubElement(parent, R), w("fldChar"))
        begin.set(w("fldCharType"), "begin")
        if dirty:
            begin.set(w("dirty"), "true")
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
    toc_tail = _table_of_contents_start(writer)
    if plan.preface.strip():
        writer.heading(1, _("Preface"))
        writer.markdown(plan.preface, plan.locale if plan.locale in LANGUAGE_TAGS else "en")
    anchors: dict[int, etree._Element] = {}
    for group in group_positions(plan):
        writer.heading(1, group.heading)
        for entry in group.positions:
            anchors[entry.position_id] = writer.heading(2, entry.title, entry.language)
            _position_body(writer, entry, plan)
    if plan.amendments_annex:
        _amendments_annex(writer, plan)
    _contributors_annex(writer, plan)
    if plan.review_comments:
        _review_comments(document, writer, plan, anchors)
    if plan.uploaded_annexes:
        _uploaded_annexes(document, writer, plan)
    _table_of_contents_entries(writer, toc_tail)
    _settings(document)
    _core_properties(document, plan)
    out = io.BytesIO()
    document.save(out)
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
    writer.run(header_p, plan.title)

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
            writer.run(footer_p, piece)


def _cover(writer: _Writer, plan: EditionPlan) -> None:
    writer.text_paragraph(plan.title, "Cover Title")
    writer.text_paragraph(plan.milestone_name, "Cover Line", bold=True)
    when_where = _date_range(plan) + (f", {plan.milestone_place}" if plan.milestone_place else "")
    writer.text_paragraph(when_where, "Cover Line")
    writer.text_paragraph(_("Compiled by the UCLG World Secretariat"), "Cover Line")
    writer.text_paragraph(_("Edition %(number)s of %(date)s", number=plan.edition_number,
                            date=_long_date(plan.compiled_at, plan)), "Cover Line")
    writer.page_break()


def _table_of_contents_start(writer: _Writer) -> etree._Element:
    writer.text_paragraph(_("Contents"), "TOC Heading")
    # The entries go before this empty paragraph once every heading is known; Heading 1 starts a page.
    return writer.paragraph()


def _table_of_contents_entries(writer: _Writer, tail: etree._Element) -> None:
    """A real TOC field whose cached result already lists the headings, so any viewer shows them
    before Word updates the field (and adds the page numbers)."""
    entries = writer.headings or [(1, "", "", "en")]
    last = len(entries) - 1
    for index, (level, text, bookmark, language) in enumerate(entries):
        p = writer.paragraph(f"TOC {level}")  # left to right whatever the entry's script
        tail.addprevious(p)
        if index == 0:
            begin = etree.SubElement(etree.SubElement(p, R), w("fldChar"))
            begin.set(w("fldCharType"), "begin")
            instr = etree.SubElement(etree.SubElement(p, R), w("instrText"))
            instr.text = ' TOC \\o "1-2" \\h \\z \\u '
            instr.set(XML_SPACE, "preserve")
            etree.SubElement(etree.SubElement(p, R), w("fldChar")).set(w("fldCharType"), "separate")
        target = p
        if bookmark:
            target = etree.SubElement(p, HYPERLINK)
            target.set(w("anchor"), bookmark)
            target.set(w("history"), "1")
        writer.run(target, text, language)
        if index == last:
            etree.SubElement(etree.SubElement(p, R), w("fldChar")).set(w("fldCharType"), "end")


def _attribution(entry: PositionEntry, plan: EditionPlan) -> str:
    parts = [f"{entry.organisation_full} ({entry.organisation_short})"]
    if entry.authors:
        parts.append(_("Authors: %(names)s", names=", ".join(entry.authors)))
    parts.append(_("Language: %(language)s", language=str(LANGUAGE_NAMES.get(entry.language, entry.language))))
    if entry.approved_on:
        approved = _long_date(entry.approved_on, plan)
        if entry.approvers:
            parts.append(_("Approved on %(date)s by %(names)s", date=approved, names=", ".join(entry.approvers)))
        else:
            parts.append(_("Approved on %(date)s", date=approved))
    return " \u00b7 ".join(parts)


def _section_label(amendment: AmendmentEntry) -> str:
    if amendment.section_name:
        return _("%(section)s, paragraph %(paragraph)s", section=amendment.section_name,
                 paragraph=amendment.paragraph)
    return _("Paragraph %(paragraph)s", paragraph=amendment.paragraph)


def _position_body(writer: _Writer, entry: PositionEntry, plan: EditionPlan) -> None:
    writer.text_paragraph(_attribution(entry, plan), "Attribution")
    if entry.summary.strip():
        writer.text_paragraph(entry.summary, "Position Summary", entry.language)
    writer.markdown(entry.text, entry.language)
    if entry.amendments:
        writer.heading(3, _("Proposed amendments"))
        widths = [1800, 2500, 2500, 2200]
        tbl = writer.table([_("Paragraph"), _("Current text"), _("Proposed text"), _("Rationale")], widths)
        for amendment in sorted(entry.amendments, key=lambda a: (a.section_order,
                                                                  paragraph_sort_key(a.paragraph))):
            cells = writer.table_row(tbl, widths)
            writer.cell_text(cells[0], _section_label(amendment))
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


def compile_amendments(plan: EditionPlan) -> list[_ParagraphRow]:
    """One row per (section, paragraph reference), in compact order; identical proposals (same text,
    whitespace and case aside) merged into one entry listing every network that made it."""
    rows: dict[tuple, _ParagraphRow] = {}
    for entry in plan.positions:
        for amendment in entry.amendments:
            key = (amendment.section_order, amendment.section_name, normalise_reference(amendment.paragraph))
            row = rows.get(key)
            if row is None:
                row = rows[key] = _ParagraphRow(_section_label(amendment))
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
    rows = compile_amendments(plan)
    if not rows:
        writer.text_paragraph(_("No position of this edition proposes an amendment."), "Body Text")
        return
    widths = [2000, 3300, 3700]
    tbl = writer.table([_("Paragraph"), _("Current text"), _("Proposals")], widths)
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
            writer.text_paragraph(_("Proposed by %(networks)s", networks=", ".join(proposal.networks)),
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
    writer.text_paragraph(_("%(positions)s positions from %(organisations)s organisations.",
                            positions=len(plan.positions), organisations=len(per_org)), "Body Text")
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
            label = (_("Objective %(label)s", label=theme.label) if theme.kind == "objective"
                     else _("Workstream: %(label)s", label=theme.label))
            writer.cell_text(cells[0], label)
            writer.cell_text(cells[1], str(theme_counts[theme.id]))


def _review_comments(document, writer: _Writer, plan: EditionPlan, anchors: dict) -> None:
    """Shared review comments as Word comments on the position's heading."""
    for entry in plan.positions:
        heading = anchors.get(entry.position_id)
        if heading is None or not entry.review_notes:
            continue
        runs = heading.findall(R)
        if not runs:
            continue
        paragraph = Paragraph(heading, document._body)
        run = Run(runs[0], paragraph)
        for note in entry.review_notes:
            initials = "".join(part[:1] for part in note.author.split()[:3]).upper() or "R"
            text = f"{_long_date(note.created_at, plan)}: {note.body}"
            document.add_comment(run, text=xml_safe(text), author=xml_safe(note.author), initials=initials)


def _uploaded_annexes(document, writer: _Writer, plan: EditionPlan) -> None:
    from docxcompose.composer import Composer

    from drafting.documents.annexes import open_without_comments

    with_annexes = [e for group in group_positions(plan) for e in group.positions if e.annexes]
    if not with_annexes:
        return
    writer.heading(1, _("Annex: Documents attached to positions"))
    composer = Composer(document)
    for entry in with_annexes:
        for annex in entry.annexes:
            writer.heading(2, _("“%(title)s” (%(organisation)s): %(filename)s", title=entry.title,
                                organisation=entry.organisation_short, filename=annex.filename))
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
