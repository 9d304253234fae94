"""The "Text with proposed amendments": the draft compact as a Word document in which every proposed
amendment is a native tracked change, so that a delegate accepts or rejects each one in Word or
LibreOffice.

- One proposal on a paragraph: the paragraph itself carries the change (`w:ins`/`w:del`), with the
  proposing networks as the change's author and the approval date as its date.
- The same wording from several networks is one change; a Word comment names the co-sponsors and
  gives each one's rationale.
- Different wordings for the same paragraph: the paragraph stays as it is, followed by one
  alternative per wording ("Alt. 1 (CEMR, Metropolis)"), each a tracked change against the same text.
- A proposed new paragraph is an inserted paragraph after its anchor; a proposed deletion deletes the
  paragraph, mark included.

The body is written as WordprocessingML text and parsed once, like the consolidated document.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from drafting.documents.make_template import TEMPLATE_PATH
from drafting.negotiated_text.matching import opcodes
from drafting.text import xml_safe

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
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


@dataclass(frozen=True)
class TextLine:
    """A heading or a paragraph of the text revision, in order."""

    key: int
    kind: str  # "heading" or "paragraph"
    text: str
    number: str = ""


@dataclass
class Proposal:
    """One network's approved amendment to one paragraph."""

    paragraph_key: int
    kind: str  # "replace", "insert_after", "delete"
    text: str
    sponsor: str
    approved_at: datetime
    rationale: str = ""


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


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKENS.findall(text))


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) runs, kind "same", "delete" or "insert"."""
    a, b = _tokens(old), _tokens(new)
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            runs.append(("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            runs.append(("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            runs.append(("insert", "".join(b[j1:j2])))
    return runs


def _esc(text: str) -> str:
    """Escape for XML. Texts are made XML-safe once, on the way in (`build_tracked_text`)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class _Body:
    """The body's XML pieces, with the ids that changes and comments need."""

    def __init__(self, styles: dict[str, str], date_format: str = "%Y-%m-%dT%H:%M:%SZ") -> None:
        self.styles = styles
        self.pieces: list[str] = []
        self.comments: list[str] = []
        self._change_id = 0
        self.date_format = date_format

    def _mark(self, change: Change) -> str:
        self._change_id += 1
        if change.attributes is None:
            date = change.approved_at.strftime(self.date_format) if change.approved_at else ""
            change.attributes = f'w:author="{_esc(change.author)}"' + (f' w:date="{date}"' if date else "")
        return f'w:id="{self._change_id}" {change.attributes}'

    @staticmethod
    def run(text: str, bold: bool = False) -> str:
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'

    def inserted(self, text: str, change: Change) -> str:
        return f'<w:ins {self._mark(change)}><w:r><w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:ins>'

    def deleted(self, text: str, change: Change) -> str:
        return (f'<w:del {self._mark(change)}><w:r><w:delText xml:space="preserve">{_esc(text)}</w:delText>'
                f'</w:r></w:del>')

    def paragraph(self, content: str, style: str = "Normal", mark: str = "") -> None:
        rpr = f"<w:rPr>{mark}</w:rPr>" if mark else ""
        self.pieces.append(f'<w:p><w:pPr><w:pStyle w:val="{self.styles[style]}"/>{rpr}</w:pPr>{content}</w:p>')

    def comment(self, change: Change, content: str) -> str:
        """Wrap `content` in a comment naming the co-sponsors and their rationales."""
        comment_id = len(self.comments)
        lines = [f"Proposed by {change.author}."]
        lines += [f"{sponsor}: {rationale}" for sponsor, rationale in change.rationales]
        date = f' w:date="{change.approved_at.strftime(self.date_format)}"' if change.approved_at else ""
        paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{_esc(line)}</w:t></w:r></w:p>' for line in lines)
        self.comments.append(f'<w:comment w:id="{comment_id}" w:author="{_esc(change.author)}"{date} '
                             f'w:initials="{_esc(change.sponsors[0][:8])}">{paragraphs}</w:comment>')
        reference = (f'<w:r><w:rPr><w:rStyle w:val="{self.styles["Comment Reference"]}"/></w:rPr>'
                     f'<w:commentReference w:id="{comment_id}"/></w:r>')
        return (f'<w:commentRangeStart w:id="{comment_id}"/>{content}'
                f'<w:commentRangeEnd w:id="{comment_id}"/>{reference}')


def _number_run(line: TextLine) -> str:
    return _Body.run(f"{line.number}.\t") if line.number and "(" not in line.number else \
        _Body.run(f"({line.number.split('(', 1)[1]}\t") if line.number else ""


def build_tracked_text(title: str, subtitle: str, lines: list[TextLine], proposals: list[Proposal],
                       *, alternative_label: str = "Alt. %(n)d (%(sponsors)s)") -> bytes:
    """The Word document of a text revision with its approved proposals as tracked changes."""
    document = docx.Document(str(TEMPLATE_PATH))
    styles = {}
    for name in ("Normal", "Title", "Heading 2", "Comment Reference", "Comment Text"):
        try:
            styles[name] = document.styles[name].style_id
        except KeyError:
            styles[name] = "Normal" if name != "Comment Reference" else "CommentReference"
    title, subtitle = xml_safe(title), xml_safe(subtitle)
    lines = [TextLine(line.key, line.kind, xml_safe(line.text), xml_safe(line.number)) for line in lines]
    proposals = [Proposal(p.paragraph_key, p.kind, xml_safe(p.text), xml_safe(p.sponsor), p.approved_at,
                          xml_safe(p.rationale)) for p in proposals]
    body = _Body(styles)
    body.paragraph(_Body.run(title), "Title")
    if subtitle:
        body.paragraph(_Body.run(subtitle))
    changes = distinct_changes(proposals)
    for line in lines:
        if line.kind == "heading":
            body.paragraph(_Body.run(line.text), "Heading 2")
        else:
            _paragraph_with_changes(body, line, changes.get(line.key, []), alternative_label)
    _attach(document, body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph_with_changes(body: _Body, line: TextLine, changes: list[Change], alternative_label: str) -> None:
    in_place = [c for c in changes if c.kind in ("replace", "delete")]
    after = [c for c in changes if c.kind == "insert_after"]
    number = _number_run(line)
    if len(in_place) == 1:
        change = in_place[0]
        if change.kind == "delete":
            content = body.comment(change, body.deleted(line.text, change))
            body.paragraph(number + content, mark=f"<w:del {body._mark(change)}/>")
        else:
            body.paragraph(number + body.comment(change, _tracked_runs(body, line.text, change)))
    else:
        body.paragraph(number + _Body.run(line.text))
        for n, change in enumerate(in_place, start=1):
            label = _Body.run(alternative_label % {"n": n, "sponsors": change.author} + "\t", bold=True)
            if change.kind == "delete":
                content = body.deleted(line.text, change)
            else:
                content = _tracked_runs(body, line.text, change)
            body.paragraph(label + body.comment(change, content))
    for change in after:
        body.paragraph(body.comment(change, body.inserted(change.text, change)), mark=f"<w:ins {body._mark(change)}/>")


def _tracked_runs(body: _Body, current: str, change: Change) -> str:
    pieces = []
    for kind, text in _diff(current, change.text):
        if kind == "same":
            pieces.append(_Body.run(text))
        elif kind == "delete":
            pieces.append(body.deleted(text, change))
        else:
            pieces.append(body.inserted(text, change))
    return "".join(pieces)


def _attach(document, body: _Body) -> None:
    element = document.element.body
    sect_pr = element.find(qn("w:sectPr"))
    for child in list(element):
        if child is not sect_pr:
            element.remove(child)
    parsed = parse_xml(f"<w:body {W_NS}>{''.join(body.pieces)}</w:body>")
    for child in list(parsed):
        if sect_pr is not None:
            sect_pr.addprevious(child)
        else:
            element.append(child)
    if body.comments:
        part = document.part._comments_part
        root = parse_xml(f"<w:comments {W_NS}>{''.join(body.comments)}</w:comments>")
        part._element = root
    # Edits a delegate makes are tracked too. The schema orders settings: trackRevisions comes before these.
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        track = parse_xml(f"<w:trackRevisions {W_NS}/>")
        later = [child for child in settings if child.tag in _AFTER_TRACK_REVISIONS]
        if later:
            later[0].addprevious(track)
        else:
            settings.append(track)
