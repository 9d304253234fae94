"""Writes of the negotiated text: publishing a revision. A published revision is never changed.

Publishing also queues the following of the amendments anchored to the revision before
(`following.schedule`), which the worker does once the publishing has committed."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import insert, select

from drafting.extensions import db
from drafting.models import Milestone, TextParagraph, TextRevision, User
from drafting.negotiated_text import following
from drafting.negotiated_text.objectives import proposed_objectives
from drafting.negotiated_text.structure import Paragraph, ParsedText, parse_plain_text
from drafting.negotiated_text.word_import import parse_package
from drafting.wordfiles import REVISION, WordFileRefused, check_word_file


class RevisionRefused(ValueError):
    """A revision that cannot be read or published; the message is for the person loading it."""


def read_word_file(filename: str, data: bytes) -> ParsedText:
    """The revision a Word file holds, read within the revision's budget, as Publish will store it: the
    canonical text the preview carries to Publish is read back here the way Publish reads it."""
    try:
        parsed = parse_package(check_word_file(filename, data, REVISION))
    except WordFileRefused as refusal:
        raise RevisionRefused(str(refusal)) from None
    return parse_plain_text(parsed.canonical_text())


def read_pasted_text(text: str) -> ParsedText:
    return parse_plain_text(text)


# What the secretariat makes of a line without a number.
LINE_USES = ("heading", "paragraph", "omit")


def mark_unnumbered_lines(parsed: ParsedText, uses: dict[int, str]) -> ParsedText:
    """The structure with each unnumbered line (by its index among the paragraphs) used as the
    secretariat chose: a heading, a paragraph, or left out; the importer's guess where no choice is
    given. The sections are recomputed: a paragraph stands under the last heading kept before it."""
    marked = ParsedText()
    section = ""
    for index, paragraph in enumerate(parsed.paragraphs):
        use = paragraph.kind
        if not paragraph.number and uses.get(index) in LINE_USES:
            use = uses[index]
        if use == "omit":
            continue
        if use == "heading":
            section = paragraph.text
            marked.paragraphs.append(Paragraph("heading", paragraph.text, section=section))
        else:
            marked.paragraphs.append(Paragraph("paragraph", paragraph.text, number=paragraph.number,
                                               section=section))
    return marked


def publish_revision(*, name: str, issued_on: date, milestone: Milestone | None, structure: str | ParsedText,
                     source_filename: str, by: User) -> TextRevision:
    """Save the revision the preview showed: its structure as confirmed, or its canonical text parsed
    again."""
    parsed = structure if isinstance(structure, ParsedText) else parse_plain_text(structure)
    if not parsed.numbered:
        raise RevisionRefused(_("No numbered paragraph was found: nothing to publish."))
    if db.session.scalar(select(TextRevision.id).where(TextRevision.name == name)):
        raise RevisionRefused(_("A revision with this name exists already."))
    revision = TextRevision(name=name, issued_on=issued_on, milestone=milestone,
                            source_filename=source_filename[:255], published_by=by)
    db.session.add(revision)
    db.session.flush()
    # A heading's own section is itself: it belongs to the objective it names.
    headings = [paragraph.text if paragraph.kind == "heading" else paragraph.section for paragraph in parsed.paragraphs]
    objectives = proposed_objectives(headings)
    db.session.execute(insert(TextParagraph), [
        {"revision_id": revision.id, "order": order, "kind": paragraph.kind, "number": paragraph.number,
         "section": paragraph.section[:300], "text": paragraph.text, "objective_id": objective}
        for order, (paragraph, objective) in enumerate(zip(parsed.paragraphs, objectives, strict=True), start=1)
    ])
    following.schedule(revision)
    db.session.commit()
    return revision
