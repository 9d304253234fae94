from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from flask_babel import gettext as _

from drafting.core.dates import long_date
from drafting.documents.plan.data import (
    AmendmentElsewhere,
    EditionPlan,
    Proposal,
    TextLine,
    TextWithAmendments,
    paragraph_sort_key,
)
from drafting.documents.render import front_matter, packaging
from drafting.documents.render.chapters import COMPACT_LANGUAGE
from drafting.documents.render.tracked import CommentLine, TrackedChange, TrackedText
from drafting.documents.render.wordml import Writer
from drafting.documents.render.words import typeset
from drafting.text import xml_safe

__all__ = ["Change", "Proposal", "TextLine", "TrackedEdition", "build_text_with_amendments", "distinct_changes",
           "track_revisions"]

_SPACES = re.compile(r"\s+")
W_NS = nsdecls("w")
_AFTER_TRACK_REVISIONS = {qn(f"w:{name}") for name in (
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride", "styleLockTheme",
    "styleLockQFSet", "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
    "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle", "defaultTableStyle",
    "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning", "characterSpacingControl",
    "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
    "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
    "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}



@dataclass
class Change:
    """One distinct wording for a paragraph and the networks that propose it, in the order they did."""

    kind: str
    text: str
    sponsors: list[str] = field(default_factory=list)
    rationales: list[tuple[str, str, str]] = field(default_factory=list)  # sponsor, rationale, its language
    approved_at: datetime | None = None

    @property
    def author(self) -> str:
        """One author per change: the network that proposed it first (the comment names the others)."""
        return self.sponsors[0]


def distinct_changes(proposals: list[Proposal]) -> dict[int, list[Change]]:
    """Per paragraph, one Change per distinct wording (whitespace aside; case and punctuation kept),
    in the order first proposed; sponsors in the order they proposed it."""
    by_paragraph: dict[int, dict[tuple[str, str], Change]] = defaultdict(dict)
    for proposal in sorted(proposals, key=lambda p: (p.approved_at, p.sponsor)):
        key = (proposal.kind, _SPACES.sub(" ", proposal.text).strip())
        change = by_paragraph[proposal.paragraph_key].get(key)
        if change is None:
            change = Change(proposal.kind, key[1], approved_at=proposal.approved_at)
            by_paragraph[proposal.paragraph_key][key] = change
        if proposal.sponsor not in change.sponsors:
            change.sponsors.append(proposal.sponsor)
        if proposal.rationale.strip():
            change.rationales.append((proposal.sponsor, proposal.rationale.strip(), proposal.language))
    return {key: list(changes.values()) for key, changes in by_paragraph.items()}


class _Comments:
    """The words of the comments on the networks' changes, in the document's language."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.proposed_by = typeset(_("Proposed by %(network)s."), locale)
        self.also = typeset(_("Proposed by %(network)s; also proposed by %(networks)s."), locale)
        self.rationale = typeset(_("%(network)s: %(rationale)s"), locale)

    def lines(self, change: Change) -> list[CommentLine]:
        first, others = change.sponsors[0], change.sponsors[1:]
        heading = (self.also % {"network": first, "networks": ", ".join(others)} if others
                   else self.proposed_by % {"network": first})
        return [CommentLine(heading, self.locale)] + [
            CommentLine(self.rationale % {"network": sponsor, "rationale": rationale}, language)
            for sponsor, rationale, language in change.rationales]

    def tracked(self, change: Change) -> TrackedChange:
        return TrackedChange(change.kind, change.text, change.author, change.approved_at, self.lines(change),
                             label=", ".join(change.sponsors))


def _clean(text: TextWithAmendments) -> tuple[list[TextLine], list[Proposal]]:
    """The lines and proposals made XML-safe once, so that nothing below escapes more than markup."""
    lines = [TextLine(line.key, line.kind, xml_safe(line.text), xml_safe(line.number)) for line in text.lines]
    proposals = [Proposal(p.paragraph_key, p.kind, xml_safe(p.text), xml_safe(p.sponsor), p.approved_at,
                          xml_safe(p.rationale), p.language) for p in text.proposals]
    return lines, proposals


class TrackedEdition:
    """A Word edition of the negotiated text with changes tracked (the text with amendments, UCLG's joint
    proposal): opened with the header, footer, cover, the `introduction` and the preface, then the text
    (`body`), which the caller writes, and saved with its changes tracked and its comments installed."""

    def __init__(self, plan: EditionPlan, template: Path, introduction: str) -> None:
        self.plan = plan
        self.document = docx.Document(str(template))
        self.writer = Writer(self.document, plan.locale)
        front_matter.header_and_footer(self.document, self.writer, plan)
        front_matter.cover(self.writer, plan)
        self.writer.text_paragraph(typeset(introduction, plan.locale), "Attribution")
        if plan.preface.strip():
            self.writer.markdown(plan.preface, plan.locale, top_heading=3)
        self.front = self.writer.take()
        # The compact's text is English whatever the document's language (see chapters.COMPACT_LANGUAGE).
        self.body = TrackedText(self.writer, COMPACT_LANGUAGE,
                                typeset(_("Alt. %(n)s \u2014 %(networks)s"), plan.locale))

    def save(self, *after_text: str) -> bytes:
        """The Word file: the front matter, the text, what is given `after_text` (an appendix), the closing rule."""
        packaging.settings(self.document, self.plan)
        track_revisions(self.document)
        self.body.install_comments(self.document)
        return packaging.save(self.document, self.plan, [self.front, self.body.xml(), *after_text,
                                                         front_matter.closing_rule(self.writer)])


def build_text_with_amendments(plan: EditionPlan, template: Path) -> bytes:
    """The edition's Word file (`plan.text` set). Called by `builder.build_document`, inside the
    document's locale: every word it adds is in the document's language."""
    text = plan.text
    locale = plan.locale
    edition = TrackedEdition(plan, template, _(
        "%(revision)s of %(date)s, with the amendments proposed in the approved positions as tracked "
        "changes: each one can be accepted or rejected in Word or LibreOffice.",
        revision=text.revision_name, date=long_date(text.revision_date, locale)))
    body = edition.body
    comments = _Comments(locale)
    lines, proposals = _clean(text)
    changes = distinct_changes(proposals)
    for line in lines:
        if line.kind == "heading":
            body.heading(line.text)
        else:
            body.paragraph(line, [comments.tracked(change) for change in changes.get(line.key, [])])

    if text.elsewhere:
        _elsewhere_appendix(edition.writer, text, locale)
    else:
        body.close()
    return edition.save(edition.writer.take())


def _where(amendment: AmendmentElsewhere) -> str:
    if amendment.revision_name:
        return _("%(revision)s, paragraph %(paragraph)s", revision=amendment.revision_name,
                 paragraph=amendment.paragraph or "\u2014")
    if amendment.paragraph:
        return _("Paragraph %(paragraph)s (not anchored)", paragraph=amendment.paragraph)
    return _("Not anchored")


def _elsewhere_appendix(writer: Writer, text: TextWithAmendments, locale: str) -> None:
    """The approved amendments that point at no paragraph of this revision, so that none is lost."""
    labels = writer.labels
    writer.text_paragraph(typeset(_("Amendments not anchored to this revision"), locale), "Heading 1")
    writer.text_paragraph(typeset(_(
        "These approved amendments do not point at a paragraph of %(revision)s: they were made on another "
        "revision of the text, or before amendments were anchored to paragraphs.",
        revision=text.revision_name), locale), None)
    widths = [1300, 1500, 2200, 2400, 1600]
    tbl = writer.table([_("Network"), labels["paragraph"], labels["current_text"], labels["proposed_text"],
                        labels["rationale"]], widths)
    kinds = {"delete": typeset(_("Delete the paragraph."), locale),
             "insert_after": typeset(_("New paragraph after it:"), locale)}
    ordered = sorted(text.elsewhere, key=lambda a: (a.revision_name, paragraph_sort_key(a.paragraph), a.network))
    for amendment in ordered:
        cells = tbl.row()
        writer.cell_text(cells[0], amendment.network)
        writer.cell_text(cells[1], typeset(_where(amendment), locale))
        writer.cell_text(cells[2], amendment.current_text, COMPACT_LANGUAGE)
        if amendment.kind in kinds:
            writer.cell_text(cells[3], kinds[amendment.kind], italic=True)
        if amendment.kind != "delete":
            writer.cell_text(cells[3], amendment.proposed_text, COMPACT_LANGUAGE)
        writer.cell_text(cells[4], amendment.rationale, amendment.language)


def track_revisions(document) -> None:
    """Edits a delegate makes are tracked too. The schema orders settings: trackRevisions comes before these."""
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        track = parse_xml(f"<w:trackRevisions {W_NS}/>")
        later = [child for child in settings if child.tag in _AFTER_TRACK_REVISIONS]
        if later:
            later[0].addprevious(track)
        else:
            settings.append(track)
