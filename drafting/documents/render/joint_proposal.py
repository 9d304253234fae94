"""The "UCLG joint proposal": a revision of the negotiated text with only UCLG's joint proposals (the
secretariat's, one per paragraph at most) as Word tracked changes, each authored "UCLG", each with a
comment naming the networks whose amendments it took up and the reason. Nothing of the networks' own
wordings that were not taken appears. Accept All gives the text as UCLG proposes it, Reject All the
revision (the tracked-change writer, `tracked.TrackedText`, sees to both).

`build_joint_proposal(plan, template)` is the builder's (`plan.joint` set); `build_joint_file` builds the
same Word file from a revision's lines and the changes alone, for a benchmark or a script (within an
application context: the document's words are translated, but no request is needed).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _

from drafting.core.dates import long_date
from drafting.documents.plan.data import EditionPlan, JointChange, JointText, TextLine
from drafting.documents.render.template import TEMPLATE_PATH
from drafting.documents.render.text_with_amendments import TrackedEdition
from drafting.documents.render.tracked import CommentLine, TrackedChange
from drafting.documents.render.words import DOCUMENT_LANGUAGES, typeset
from drafting.text import xml_safe

__all__ = ["AUTHOR", "build_joint_file", "build_joint_proposal", "tracked_joint_changes"]

# The one author of every change in this edition (Word lists it as the one reviewer).
AUTHOR = "UCLG"


class _Comments:
    """The words of the comments on UCLG's changes, in the document's language."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.on_the_basis = typeset(_("Proposed by UCLG on the basis of the amendments of %(networks)s."), locale)
        self.own = typeset(_("Proposed by UCLG."), locale)
        self.reason = typeset(_("Reason: %(reason)s"), locale)

    def lines(self, change: JointChange) -> list[CommentLine]:
        heading = (self.on_the_basis % {"networks": ", ".join(change.networks)} if change.networks
                   else self.own)
        lines = [CommentLine(heading, self.locale)]
        if change.reason.strip():
            # The secretariat writes its reasons in the document's language.
            lines.append(CommentLine(self.reason % {"reason": change.reason.strip()}, self.locale))
        return lines


def tracked_joint_changes(lines: list[TextLine], changes: list[JointChange], locale: str) -> dict[int, TrackedChange]:
    """Paragraph key -> UCLG's tracked change on it: one per paragraph of the text (the first given, if
    several), none where the proposal leaves the paragraph as it is (whitespace aside), none on headings."""
    comments = _Comments(locale)
    texts = {line.key: line.text for line in lines if line.kind == "paragraph"}
    tracked: dict[int, TrackedChange] = {}
    for change in changes:
        current = texts.get(change.paragraph_key)
        if current is None or change.paragraph_key in tracked or change.choice == "unchanged":
            continue
        if change.kind == "replace" and " ".join(change.text.split()) == " ".join(current.split()):
            continue
        if change.kind in ("replace", "insert_after") and not change.text.strip():
            continue  # no wording: nothing a reader could accept
        tracked[change.paragraph_key] = TrackedChange(change.kind, change.text, AUTHOR, change.changed_at,
                                                      comments.lines(change), label=AUTHOR)
    return tracked


def _clean(joint: JointText) -> tuple[list[TextLine], list[JointChange]]:
    """The lines and changes made XML-safe once, so that nothing below escapes more than markup."""
    lines = [TextLine(line.key, line.kind, xml_safe(line.text), xml_safe(line.number)) for line in joint.lines]
    changes = [JointChange(c.paragraph_key, c.choice, c.kind, xml_safe(c.text), xml_safe(c.reason),
                           [xml_safe(network) for network in c.networks], c.changed_at) for c in joint.changes]
    return lines, changes


def build_joint_proposal(plan: EditionPlan, template: Path) -> bytes:
    """The edition's Word file (`plan.joint` set). Called by `builder.build_document`, inside the
    document's locale: every word it adds is in the document's language."""
    joint = plan.joint
    locale = plan.locale
    introduction = _(
        "%(revision)s of %(date)s, with the joint proposals of UCLG as tracked changes: each one can be "
        "accepted or rejected in Word or LibreOffice.",
        revision=joint.revision_name, date=long_date(joint.revision_date, locale))
    if joint.agreed_only:
        introduction += " " + _("Only the proposals that every network concerned agreed to are shown.")
    edition = TrackedEdition(plan, template, introduction)
    body = edition.body
    lines, changes = _clean(joint)
    tracked = tracked_joint_changes(lines, changes, locale)
    for line in lines:
        if line.kind == "heading":
            body.heading(line.text)
        else:
            change = tracked.get(line.key)
            body.paragraph(line, [change] if change else [])
    body.close()
    return edition.save()


def build_joint_file(lines: list[TextLine], changes: list[JointChange], *, revision_name: str = "Draft",
                     revision_date: date | None = None, locale: str = "en", title: str = "",
                     symbol: str = "", agreed_only: bool = False, template: Path = TEMPLATE_PATH) -> bytes:
    """The "UCLG joint proposal" Word file of a revision (its `lines`, in order) and UCLG's joint proposals
    on it (`changes`), without an edition in the database: the cover names no milestone. Needs an
    application context (the document's words are translated), no request."""
    moment = datetime.combine(revision_date or date.today(), datetime.min.time())
    plan = EditionPlan(
        title=title or revision_name, milestone_name="", milestone_start=moment.date(), milestone_end=moment.date(),
        milestone_place="", edition_number=1, compiled_at=moment, compiled_by="", positions=[],
        locale=locale if locale in DOCUMENT_LANGUAGES else "en", symbol=symbol,
        joint=JointText(revision_name, moment.date(), lines, changes, agreed_only))
    with force_locale(plan.locale):
        return build_joint_proposal(plan, template)
