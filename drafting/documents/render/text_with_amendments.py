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

from drafting.amendments.diff import diff_words
from drafting.core.dates import long_date
from drafting.core.memo import memoized
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
from drafting.documents.render.wordml import Writer, escape
from drafting.documents.render.words import typeset
from drafting.text import xml_safe

__all__ = ["Change", "Proposal", "TextLine", "build_text_with_amendments", "distinct_changes"]

_SPACES = re.compile(r"\s+")
W_NS = nsdecls("w")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
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
    """One distinct wording for a paragraph and the networks that propose it."""

    kind: str
    text: str
    sponsors: list[str] = field(default_factory=list)
    rationales: list[tuple[str, str]] = field(default_factory=list)
    approved_at: datetime | None = None
    attributes: str | None = None  # w:author and w:date, written once per change

    @property
    def author(self) -> str:
        return ", ".join(self.sponsors)


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
            change.rationales.append((proposal.sponsor, proposal.rationale.strip()))
    return {key: list(changes.values()) for key, changes in by_paragraph.items()}


@memoized(maxsize=4096)
def _attr(text: str) -> str:
    """Escape for an XML attribute. Texts are made XML-safe once, on the way in (`_clean`)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class _Body:
    """The text's paragraphs with their changes, as WordprocessingML pieces, and the comments naming the
    co-sponsors. Changes and comments draw their ids from one counter: no two annotations share one."""

    def __init__(self, writer: Writer, proposed_by: str) -> None:
        self.writer = writer
        # The compact's text is English whatever the document's language (see chapters.COMPACT_LANGUAGE).
        self.rpr = writer.rpr(COMPACT_LANGUAGE, False, False, None)
        self.heading_style = writer.style("Heading 2")
        self.reference_style = writer.styles.get("Comment Reference")
        # The template's hanging indents, as the consolidated text's numbered paragraphs: "16." and "(a)".
        self.hanging_styles = (writer.style("Hanging Paragraph"), writer.style("Hanging Sub-paragraph"))
        self.proposed_by = proposed_by  # "Proposed by %(networks)s", in the document's language
        self.pieces: list[str] = []
        self.comments: list[str] = []
        self._next_id = 0

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    @staticmethod
    def _date(change: Change) -> str:
        return f' w:date="{change.approved_at.strftime(DATE_FORMAT)}"' if change.approved_at else ""

    def _mark(self, change: Change) -> str:
        if change.attributes is None:  # once per change, however many runs it marks
            change.attributes = f'w:author="{_attr(change.author)}"{self._date(change)}'
        return f'w:id="{self._id()}" {change.attributes}'

    def run(self, text: str) -> str:
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f"<w:r>{self.rpr}<w:t{space}>{escape(text)}</w:t></w:r>"

    def inserted(self, text: str, change: Change) -> str:
        return (f'<w:ins {self._mark(change)}><w:r>{self.rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
                "</w:ins>")

    def deleted(self, text: str, change: Change) -> str:
        return (f'<w:del {self._mark(change)}><w:r>{self.rpr}<w:delText xml:space="preserve">{escape(text)}'
                f'</w:delText></w:r></w:del>')

    def paragraph(self, content: str, mark: str = "", line: TextLine | None = None) -> None:
        """`line`: the numbered line of the text that the paragraph prints, hanging its number."""
        style = ""
        if line is not None and line.number:
            style = f'<w:pStyle w:val="{self.hanging_styles["(" in line.number]}"/>'
        mark = f"<w:rPr>{mark}</w:rPr>" if mark else ""
        ppr = f"<w:pPr>{style}{mark}</w:pPr>" if style or mark else ""
        self.pieces.append(f"<w:p>{ppr}{content}</w:p>")

    def heading(self, text: str) -> None:
        self.pieces.append(f'<w:p><w:pPr><w:pStyle w:val="{self.heading_style}"/></w:pPr>{self.run(text)}</w:p>')

    def comment(self, change: Change, content: str) -> str:
        """Wrap `content` in a comment naming the co-sponsors and their rationales."""
        comment_id = self._id()
        lines = [self.proposed_by % {"networks": change.author} + "."]
        lines += [f"{sponsor}: {rationale}" for sponsor, rationale in change.rationales]
        date = self._date(change)
        paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
        self.comments.append(f'<w:comment w:id="{comment_id}" w:author="{_attr(change.author)}"{date} '
                             f'w:initials="{_attr(change.sponsors[0][:8])}">{paragraphs}</w:comment>')
        style = f'<w:rPr><w:rStyle w:val="{self.reference_style}"/></w:rPr>' if self.reference_style else ""
        return (f'<w:commentRangeStart w:id="{comment_id}"/>{content}'
                f'<w:commentRangeEnd w:id="{comment_id}"/><w:r>{style}<w:commentReference w:id="{comment_id}"/></w:r>')


def _number_run(body: _Body, line: TextLine) -> str:
    """"16." before a paragraph, "(a)" before a lettered sub-paragraph "16(a)", then a tab."""
    if not line.number:
        return ""
    number = f"({line.number.split('(', 1)[1]}" if "(" in line.number else f"{line.number}."
    return f"{body.run(number)}<w:r><w:tab/></w:r>"


def _clean(text: TextWithAmendments) -> tuple[list[TextLine], list[Proposal]]:
    """The lines and proposals made XML-safe once, so that nothing below escapes more than markup."""
    lines = [TextLine(line.key, line.kind, xml_safe(line.text), xml_safe(line.number)) for line in text.lines]
    proposals = [Proposal(p.paragraph_key, p.kind, xml_safe(p.text), xml_safe(p.sponsor), p.approved_at,
                          xml_safe(p.rationale)) for p in text.proposals]
    return lines, proposals


def build_text_with_amendments(plan: EditionPlan, template: Path) -> bytes:
    """The edition's Word file (`plan.text` set). Called by `builder.build_document`, inside the
    document's locale: every word it adds is in the document's language."""
    text = plan.text
    locale = plan.locale
    document = docx.Document(str(template))
    writer = Writer(document, locale)
    front_matter.header_and_footer(document, writer, plan)
    front_matter.cover(writer, plan)
    writer.text_paragraph(typeset(_(
        "%(revision)s of %(date)s, with the amendments proposed in the approved positions as tracked "
        "changes: each one can be accepted or rejected in Word or LibreOffice.",
        revision=text.revision_name, date=long_date(text.revision_date, locale)), locale), "Attribution")
    if plan.preface.strip():
        writer.markdown(plan.preface, locale, top_heading=3)
    front = writer.take()

    body = _Body(writer, writer.labels["proposed_by"])
    alternative = typeset(_("Alt. %(n)s (%(networks)s)"), locale)
    lines, proposals = _clean(text)
    changes = distinct_changes(proposals)
    for line in lines:
        if line.kind == "heading":
            body.heading(line.text)
        else:
            _paragraph_with_changes(body, line, changes.get(line.key, []), alternative)

    if text.elsewhere:
        _elsewhere_appendix(writer, text, locale)
    appendix = writer.take()
    packaging.settings(document, plan)
    _track_revisions(document)
    if body.comments:
        document.part._comments_part._element = parse_xml(f"<w:comments {W_NS}>{''.join(body.comments)}</w:comments>")
    return packaging.save(document, plan, [front, "".join(body.pieces), appendix])


def _paragraph_with_changes(body: _Body, line: TextLine, changes: list[Change], alternative: str) -> None:
    in_place = [c for c in changes if c.kind in ("replace", "delete")]
    after = [c for c in changes if c.kind == "insert_after"]
    number = _number_run(body, line)
    if len(in_place) == 1:
        change = in_place[0]
        if change.kind == "delete":
            content = body.comment(change, body.deleted(line.text, change))
            body.paragraph(number + content, mark=f"<w:del {body._mark(change)}/>", line=line)
        else:
            body.paragraph(number + body.comment(change, _tracked_runs(body, line.text, change)), line=line)
    else:
        body.paragraph(number + body.run(line.text), line=line)
        for n, change in enumerate(in_place, start=1):
            label = body.writer.run_xml(alternative % {"n": n, "networks": change.author}, bold=True, safe=True)
            if change.kind == "delete":
                content = body.deleted(line.text, change)
            else:
                content = _tracked_runs(body, line.text, change)
            body.paragraph(label + "<w:r><w:tab/></w:r>" + body.comment(change, content))
    for change in after:
        body.paragraph(body.comment(change, body.inserted(change.text, change)), mark=f"<w:ins {body._mark(change)}/>")


def _tracked_runs(body: _Body, current: str, change: Change) -> str:
    pieces = []
    for segment in diff_words(current, change.text):
        if segment.kind == "same":
            pieces.append(body.run(segment.text))
        elif segment.kind == "delete":
            pieces.append(body.deleted(segment.text, change))
        else:
            pieces.append(body.inserted(segment.text, change))
    return "".join(pieces)


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


def _track_revisions(document) -> None:
    """Edits a delegate makes are tracked too. The schema orders settings: trackRevisions comes before these."""
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        track = parse_xml(f"<w:trackRevisions {W_NS}/>")
        later = [child for child in settings if child.tag in _AFTER_TRACK_REVISIONS]
        if later:
            later[0].addprevious(track)
        else:
            settings.append(track)
