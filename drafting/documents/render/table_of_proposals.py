"""The "Table of proposals": the four-column document negotiators work from. One row per amended
paragraph of the text revision, in the text's order: its number | the revision's text | each network's
proposal, one block per network (a dash where it proposes nothing there) | UCLG's joint proposal. Every
proposal is printed against the revision's text as UN compilation tables print it: inserted words bold
and underlined, deleted words struck through.

The cover is a portrait page like any edition's; the table is a landscape section of its own. Rows never
split across pages and the header row repeats on each page (`wordml.Table`). Called by
`builder.build_document` inside the document's locale; nothing here knows the database.
"""

from __future__ import annotations

from collections import defaultdict
from copy import deepcopy
from pathlib import Path

import docx
from flask_babel import gettext as _
from flask_babel import ngettext
from lxml import etree

from drafting.amendments.rules import proposed_change
from drafting.core.dates import long_date
from drafting.documents.plan.data import EditionPlan, JointWording, Proposal, TextLine
from drafting.documents.render import front_matter, packaging
from drafting.documents.render.chapters import COMPACT_LANGUAGE
from drafting.documents.render.wordml import R_NS, Writer, has_rtl, w
from drafting.documents.render.words import typeset

__all__ = ["COLUMN_WIDTHS", "build_table_of_proposals", "table_rows"]

# Twips across A4 landscape between the template's margins (16838 - 2 x 1247): number | revision |
# networks | joint proposal.
COLUMN_WIDTHS = [1100, 4100, 4900, 4244]
DASH = "\u2014"
_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def table_rows(lines: list[TextLine], proposals: list[Proposal],
               joint: dict[int, JointWording]) -> list[tuple[TextLine, dict[str, list[Proposal]]]]:
    """The amended paragraphs in the text's order, each with its proposals by network: a paragraph
    with a network's proposal or a joint proposal. A network's identical proposals (the same kind and
    wording, whitespace aside) are printed once."""
    by_paragraph: dict[int, dict[str, list[Proposal]]] = defaultdict(lambda: defaultdict(list))
    for proposal in proposals:
        listed = by_paragraph[proposal.paragraph_key][proposal.sponsor]
        key = (proposal.kind, " ".join(proposal.text.split()))
        if all((p.kind, " ".join(p.text.split())) != key for p in listed):
            listed.append(proposal)
    return [(line, by_paragraph.get(line.key, {})) for line in lines
            if line.kind == "paragraph" and (line.key in by_paragraph or line.key in joint)]


def _wording_language(text: str) -> str:
    """The compact's wording reads in English; Arabic wording right to left (its runs cut by script)."""
    return "ar" if has_rtl(text) else COMPACT_LANGUAGE


class _Cells:
    """Writes the cells of the table in the document's language (labels) and the wording's (text)."""

    def __init__(self, writer: Writer, locale: str) -> None:
        self.writer = writer
        self.kind_notes = {"delete": typeset(_("Delete the paragraph."), locale),
                           "insert_after": typeset(_("New paragraph after it:"), locale)}
        self.no_proposal = typeset(_("No joint proposal yet."), locale)
        self.unchanged = typeset(_("No change: the paragraph as it stands."), locale)
        self.reason = typeset(_("Reason: %(reason)s"), locale)

    def change(self, cell: list, kind: str, current: str, proposed: str) -> None:
        """One proposal against the paragraph's text, with what it does when it is not a rewording."""
        note = self.kind_notes.get(kind)
        if note:
            self.writer.cell_text(cell, note, italic=True)
        language = _wording_language(current if kind == "delete" else proposed)
        self.writer.change_paragraph(cell, proposed_change(kind, current, proposed), language)

    def networks(self, cell: list, line: TextLine, networks: list[str], proposals: dict[str, list[Proposal]]) -> None:
        if not proposals:
            self.writer.cell_text(cell, DASH)
            return
        for network in networks:
            self.writer.cell_text(cell, network, bold=True)
            listed = proposals.get(network)
            if not listed:
                self.writer.cell_text(cell, DASH)
            for proposal in listed or ():
                self.change(cell, proposal.kind, line.text, proposal.text)

    def joint(self, cell: list, line: TextLine, joint: JointWording | None) -> None:
        if joint is None:
            self.writer.cell_text(cell, DASH)
            self.writer.cell_text(cell, self.no_proposal, italic=True)
            return
        if joint.choice == "unchanged":
            self.writer.cell_text(cell, self.unchanged, italic=True)
        else:
            self.change(cell, joint.kind, line.text, joint.text)
        if joint.reason.strip():
            self.writer.cell_text(cell, self.reason % {"reason": joint.reason.strip()}, italic=True)


def _landscape_after_cover(document, writer: Writer, front: str) -> str:
    """The cover closes a portrait section (instead of its page break); the body's final section, where
    the table goes, turns landscape and takes the running header from its first page, in a header of its
    own whose title sits at the landscape page's right margin, as long as fits there
    (front_matter.fit_running_header)."""
    sect_pr = writer.sect_pr
    portrait = etree.tostring(sect_pr, encoding="unicode")
    if front.endswith(_PAGE_BREAK):
        front = front[:-len(_PAGE_BREAK)]
    front += f"<w:p><w:pPr>{portrait}</w:pPr></w:p>"
    size = sect_pr.find(w("pgSz"))
    width, height = size.get(w("w")), size.get(w("h"))
    size.set(w("w"), height)
    size.set(w("h"), width)
    size.set(w("orient"), "landscape")
    for title_page in sect_pr.findall(w("titlePg")):
        sect_pr.remove(title_page)
    running = document.sections[0].header._element  # noqa: SLF001 (python-docx names the header's XML so)
    header_part, rel_id = document.part.add_header_part()
    for child in list(header_part.element):
        header_part.element.remove(child)
    for child in running:
        header_part.element.append(deepcopy(child))
    front_matter.fit_running_header(header_part.element, front_matter.text_width(sect_pr), writer)
    for reference in sect_pr.findall(w("headerReference")):
        if reference.get(w("type")) == "default":
            reference.set(f"{{{R_NS}}}id", rel_id)
    return front


def build_table_of_proposals(plan: EditionPlan, template: Path) -> bytes:
    """The edition's Word file (`plan.text` set, `plan.text.table` true)."""
    text, locale = plan.text, plan.locale
    document = docx.Document(str(template))
    writer = Writer(document, locale)
    front_matter.header_and_footer(document, writer, plan)
    front_matter.cover(writer, plan)
    front = _landscape_after_cover(document, writer, writer.take())

    rows = table_rows(text.lines, text.proposals, text.joint)
    writer.text_paragraph(typeset(_(
        "%(revision)s of %(date)s: each paragraph that the approved positions propose to amend, with each "
        "network's proposal and UCLG's joint proposal. Inserted words are in bold and underlined, deleted "
        "words struck through.", revision=text.revision_name, date=long_date(text.revision_date, locale)), locale),
        "Attribution")
    if plan.preface.strip():
        writer.markdown(plan.preface, locale, top_heading=3)
    networks = sorted({network for _line, proposals in rows for network in proposals}, key=str.casefold)
    labels = writer.labels
    tbl = writer.table([labels["paragraph"], typeset(_("Text of %(revision)s", revision=text.revision_name), locale),
                        typeset(_("Proposals of the networks"), locale), typeset(_("UCLG joint proposal"), locale)],
                       COLUMN_WIDTHS)
    cells_of = _Cells(writer, locale)
    for line, proposals in rows:
        cells = tbl.row()
        writer.cell_text(cells[0], line.number or DASH)
        writer.cell_text(cells[1], line.text, _wording_language(line.text))
        cells_of.networks(cells[2], line, networks, proposals)
        cells_of.joint(cells[3], line, text.joint.get(line.key))
    if not rows:
        writer.text_paragraph(typeset(_("No paragraph of this revision has a proposal yet."), locale))
    if text.elsewhere:
        writer.text_paragraph(typeset(ngettext(
            "%(num)d approved amendment points at no paragraph of this revision: the text with proposed "
            "amendments lists it in its appendix.",
            "%(num)d approved amendments point at no paragraph of this revision: the text with proposed "
            "amendments lists them in its appendix.", len(text.elsewhere)), locale))
    packaging.settings(document, plan)
    return packaging.save(document, plan, [front, writer.take(), front_matter.closing_rule(writer)])
