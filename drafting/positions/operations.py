"""Writing positions: drafting, saving revisions, comments, extensions, carrying forward.

Stage changes are not here: they go through `drafting.positions.workflow.transition`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from drafting.amendments.rules import new_key, normalised
from drafting.clock import now
from drafting.extensions import db
from drafting.models import (
    Amendment,
    Comment,
    Milestone,
    Position,
    Revision,
    StageEvent,
    TextParagraph,
    Theme,
    User,
    stages,
)
from drafting.negotiated_text.following import reanchor
from drafting.negotiated_text.revisions import current_revision
from drafting.positions.signals import comment_added
from drafting.positions.workflow import WorkflowError, commit_or_conflict


@dataclass
class PositionContent:
    """Everything a contributor writes; a revision is a frozen copy of it."""

    title: str
    milestone_id: int
    language: str = "en"
    summary: str = ""
    text: str = ""
    theme_ids: list[int] = field(default_factory=list)
    amendments: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, position: Position) -> PositionContent:
        return cls(title=position.title, milestone_id=position.milestone_id, language=position.language,
                   summary=position.summary, text=position.text,
                   theme_ids=[theme.id for theme in position.themes],
                   amendments=[dict(a) for a in position.amendments])


class EditConflict(Exception):
    """The position was saved by someone else since the editor opened it."""

    def __init__(self, position: Position, base_revision: int):
        super().__init__(f"position {position.id} is at revision {position.revision_number}, not {base_revision}")
        self.position = position
        self.base_revision = base_revision


def _apply(position: Position, content: PositionContent) -> None:
    position.title = content.title
    if position.milestone_id != content.milestone_id:
        # An extension was granted against one milestone's deadline: it does not travel with the
        # position. The relationship is set too, so the deadline checked next is the new milestone's.
        position.extended_until = None
        position.milestone = db.session.get(Milestone, content.milestone_id)
    position.milestone_id = content.milestone_id
    position.language = content.language
    position.summary = content.summary
    position.text = content.text
    with db.session.no_autoflush:  # the position may not be complete enough to flush yet
        position.amendments = anchored(content.amendments)
        keep_records(position)
        position.themes = list(
            db.session.scalars(select(Theme).where(Theme.id.in_(content.theme_ids)).order_by(Theme.id))
        ) if content.theme_ids else []


def anchored(amendments: list[dict]) -> list[dict]:
    """The amendments as stored: each with its key, and an anchored one quoting its paragraph as
    published (the current text a form sends is never taken for it). An anchor to a paragraph that
    does not exist, or to a heading, is dropped."""
    result = normalised(amendments)
    ids = {a["paragraph_id"] for a in result if a["paragraph_id"] is not None}
    paragraphs = {p.id: p for p in db.session.scalars(
        select(TextParagraph).where(TextParagraph.id.in_(ids), TextParagraph.kind == "paragraph"))} if ids else {}
    seen: set[str] = set()
    for amendment in result:
        if amendment["key"] in seen:  # a copied fieldset: the copy is another amendment
            amendment["key"] = new_key()
        seen.add(amendment["key"])
        if amendment["paragraph_id"] is None:
            continue
        paragraph = paragraphs.get(amendment["paragraph_id"])
        if paragraph is None:
            amendment["paragraph_id"] = None
            continue
        amendment["paragraph"] = paragraph.number
        amendment["current_text"] = paragraph.text
        if amendment["kind"] == "delete":
            amendment["proposed_text"] = ""
    return result


def keep_records(position: Position) -> None:
    """Mirror the position's stored amendments in its `Amendment` rows (one per key): a new key gets a
    row and with it an id, a changed one is updated, a removed one is marked removed and kept, and one
    typed again under its old key comes back under its old id."""
    moment = now()
    records = {record.key: record for record in position.amendment_records}
    current = set()
    for order, amendment in enumerate(position.amendments):
        key = amendment["key"]
        current.add(key)
        values = {"paragraph_id": amendment["paragraph_id"], "kind": amendment["kind"],
                  "paragraph": amendment["paragraph"], "proposed_text": amendment["proposed_text"],
                  "rationale": amendment["rationale"], "order": order}
        record = records.get(key)
        if record is None:
            position.amendment_records.append(Amendment(key=key, created_at=moment, updated_at=moment, **values))
            continue
        changed = record.removed_at is not None or any(getattr(record, name) != value
                                                      for name, value in values.items() if name != "order")
        for name, value in values.items():
            setattr(record, name, value)
        record.removed_at = None
        if changed:
            record.updated_at = moment
    for key, record in records.items():
        if key not in current and record.removed_at is None:
            record.removed_at = moment


def _snapshot(position: Position, author: User, moment) -> Revision:
    return Revision(
        position=position, number=position.revision_number, author=author, created_at=moment,
        title=position.title, summary=position.summary, text=position.text, language=position.language,
        theme_ids=[theme.id for theme in position.themes], amendments=list(position.amendments),
    )


def create_position(author: User, content: PositionContent, predecessor: Position | None = None,
                    commit: bool = True) -> Position:
    moment = now()
    position = Position(organisation_id=author.organisation_id, created_by=author, stage="draft",
                        revision_number=1, created_at=moment, updated_at=moment, stage_changed_at=moment,
                        predecessor=predecessor)
    _apply(position, content)
    db.session.add(position)
    db.session.add(_snapshot(position, author, moment))
    if commit:
        db.session.commit()
    return position


def save_position(position: Position, author: User, content: PositionContent, base_revision: int) -> Revision:
    """Save an edit made on top of `base_revision`; refuse (EditConflict) if it is no longer the latest."""
    if base_revision != position.revision_number:
        raise EditConflict(position, base_revision)
    if content == PositionContent.of(position):
        return position.revisions[-1]
    moment = now()
    _apply(position, content)
    position.revision_number += 1
    position.updated_at = moment
    revision = _snapshot(position, author, moment)
    db.session.add(revision)
    try:
        commit_or_conflict()
    except WorkflowError:
        raise EditConflict(db.session.get(Position, position.id), base_revision) from None
    return revision


def add_comment(position: Position, author: User, body: str, visibility: str) -> Comment:
    comment = Comment(position=position, author=author, body=body.strip(), visibility=visibility,
                      revision_number=position.revision_number, created_at=now())
    db.session.add(comment)
    comment_added.send(position, comment=comment)
    db.session.commit()
    return comment


def grant_extension(position: Position, actor: User, until: date, reason: str = "") -> StageEvent:
    """The secretariat lets one position be submitted after the milestone's deadline."""
    position.extended_until = until
    event = StageEvent(position=position, actor=actor, action="extend", from_stage=position.stage,
                       to_stage=position.stage, revision_number=position.revision_number,
                       comment=reason or str(_l("Submission extended until %(date)s.", date=until.isoformat())),
                       created_at=now())
    db.session.add(event)
    commit_or_conflict()
    return event


def unanchored_note(unanchored, target) -> str:
    """The note carry forward leaves on the new draft for amendments whose paragraph was removed."""
    paragraphs = "; ".join(str(_l("paragraph %(number)s of %(revision)s", number=u.paragraph, revision=u.revision))
                           for u in unanchored)
    return str(_l("Carried forward to %(revision)s, where these paragraphs were removed: %(paragraphs)s. Their "
                  "amendments are kept, no longer anchored to the text; anchor them again or remove them.",
                  revision=target.name, paragraphs=paragraphs))


def carry_forward(position: Position, milestone: Milestone, actor: User) -> Position:
    """Start a new draft for a later milestone from an approved position, content copied."""
    if position.stage not in stages.COMPILABLE:
        raise WorkflowError(str(_l("Only an approved position can be carried forward.")))
    if milestone.start_date <= position.milestone.start_date:
        raise WorkflowError(str(_l("Choose a milestone later than %(milestone)s.",
                                   milestone=position.milestone.display_name)))
    author = actor
    content = PositionContent.of(position)
    content.milestone_id = milestone.id
    # The amendments follow the text to the revision the new milestone amends.
    target = current_revision(milestone)
    content.amendments, unanchored = reanchor(content.amendments, target)
    successor = create_position(author, content, predecessor=position, commit=False)
    successor.organisation_id = position.organisation_id
    db.session.flush()
    moment = now()
    db.session.add(StageEvent(position=successor, actor=actor, action="carry_forward", from_stage="draft",
                              to_stage="draft", revision_number=1,
                              comment=f"#{position.id} · {position.milestone.name}", created_at=moment))
    if unanchored:
        db.session.add(Comment(position=successor, author=actor, visibility="shared", revision_number=1,
                               created_at=moment, body=unanchored_note(unanchored, target)))
    db.session.commit()
    return successor
