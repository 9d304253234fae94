"""The review stages of a position.

The allowed moves are the `TRANSITIONS` table below, and `transition()` is the only code that changes
a position's stage: it checks the move, writes the change and its audit event, and announces it
(`position_moved`, see signals.py; notifications queue the emails in the same transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, insert, or_, update
from sqlalchemy.orm.exc import StaleDataError

from drafting import permissions
from drafting.clock import now, today
from drafting.extensions import db
from drafting.models import Approval, Comment, Milestone, Position, StageEvent, User

# The stages' groups and labels are described in models.stages; named here too for callers not yet moved.
from drafting.models.stages import AWAITING_REVIEW, AWAITING_SUBMISSION, STAGE_LABELS  # noqa: F401
from drafting.positions.signals import position_moved
from drafting.reference.snapshot import MilestoneName, reference_names


class WorkflowError(Exception):
    """The move is refused; the message says why, and nothing was changed."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: object
    allowed: Callable[[User, Position], bool]
    comment_required: bool = False
    # A comment on a person's move is also a Comment for the page (and its readers); a system move
    # such as "include" keeps its note in the audit event only.
    records_comment: bool = True


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", ("draft", "changes_requested"), "submitted", _l("Submit for review"),
                   permissions.is_member),
        Transition("start_review", ("submitted",), "in_review", _l("Start review"), permissions.can_review),
        Transition("request_changes", ("in_review",), "changes_requested", _l("Request changes"),
                   permissions.can_review, comment_required=True),
        # With more than one approval required, the position stays in review until enough
        # reviewers have approved the same revision (see _approve).
        Transition("approve", ("in_review",), "approved", _l("Approve"), permissions.can_review),
        Transition("reject", ("in_review",), "rejected", _l("Reject"), permissions.can_review,
                   comment_required=True),
        Transition("withdraw", ("draft", "submitted", "changes_requested"), "withdrawn", _l("Withdraw"),
                   permissions.is_member),
        # Undoes a withdrawal, while the milestone still takes submissions: the authors get a draft back.
        Transition("restore", ("withdrawn",), "draft", _l("Restore"), permissions.is_member),
        Transition("reopen", ("approved", "rejected"), "in_review", _l("Reopen"),
                   lambda user, position: permissions.is_secretariat(user), comment_required=True),
        Transition("include", ("approved",), "included", _l("Include in an edition"),
                   lambda user, position: permissions.is_secretariat(user), records_comment=False),
    )
}

# How close a deadline must be for reminders and the tracker's "due soon" flag.
DUE_SOON = timedelta(days=3)

# The buttons of a position's page, in the order they are shown.
REVIEW_ACTIONS = ("start_review", "approve", "request_changes", "reject")
# A reviewer decides straight from "submitted": the review starts implicitly (a "start_review" event
# is still recorded first, through `transition`). "Start review" as a button of its own is only
# offered where a milestone needs several approvals, so that reviewers can say they are on it.
DECISIONS = ("approve", "request_changes", "reject")
# Moves that need the milestone's submission window open (or the position's extension).
NEEDS_OPEN_WINDOW = ("submit", "restore")


def submission_deadline(position: Position) -> date | None:
    """The last day this position may be submitted: its extension, else the deadline of the milestone it
    belongs to now (read through the id, so a move not yet flushed is not judged by the old one)."""
    milestone = position.milestone
    if milestone is None or milestone.id != position.milestone_id:
        milestone = db.session.get(Milestone, position.milestone_id)
    return deadline_with_extension(milestone, position.extended_until)


def deadline_with_extension(milestone: Milestone | None, extended_until: date | None) -> date | None:
    deadline = milestone.submission_deadline if milestone is not None else None
    if extended_until and (deadline is None or extended_until > deadline):
        return extended_until
    return deadline


def review_overdue(position: Position, on: date | None = None) -> bool:
    """A review still pending after the milestone's review deadline."""
    return position.stage in AWAITING_REVIEW and position.milestone.review_overdue(on or today())


def submission_deadline_sql():
    """`submission_deadline` as an SQL expression over positions joined to their milestone."""
    return case(
        (and_(Position.extended_until.is_not(None),
              or_(Milestone.submission_deadline.is_(None), Position.extended_until > Milestone.submission_deadline)),
         Position.extended_until),
        else_=Milestone.submission_deadline,
    )


def submission_window_open(position: Position, on: date | None = None) -> bool:
    deadline = submission_deadline(position)
    return deadline is not None and (on or today()) <= deadline


def next_open_milestone(after: Milestone | None = None) -> MilestoneName | None:
    """The milestone whose submission deadline comes next (today's included), other than `after`; read
    from the in-memory reference data (drafting.reference.snapshot)."""
    on = today()
    open_ones = [m for m in reference_names().milestones.values()
                 if m.submission_deadline is not None and m.submission_deadline >= on
                 and (after is None or m.id != after.id)]
    return min(open_ones, key=lambda m: (m.submission_deadline, m.id), default=None)


def closed_window_message(position: Position) -> str:
    return closed_window_message_for(position.milestone, submission_deadline(position))


def closed_window_message_for(milestone: Milestone, deadline: date | None) -> str:
    if deadline is None:
        message = str(_l("%(milestone)s does not take positions.", milestone=milestone.display_name))
    else:
        message = str(_l("The submission deadline for %(milestone)s was %(date)s.",
                         milestone=milestone.display_name, date=format_date(deadline)))
    following = next_open_milestone(after=milestone)
    if following is not None:
        message += " " + str(_l("The next milestone still open is %(milestone)s (deadline %(date)s).",
                                milestone=following.name, date=format_date(following.submission_deadline)))
    else:
        message += " " + str(_l("No milestone is open for submissions now."))
    return message


def missing_fields(title: str, theme_ids: list, text: str, amendments: list | None = None) -> dict[str, str]:
    """What a submission still lacks, by field of the position form: the one home of that rule, used
    by the workflow and by the form (which refuses a submit before saving anything). A position may
    consist only of amendments: the text is needed only when there is none."""
    missing = {}
    if not (title or "").strip():
        missing["title"] = str(_l("a title"))
    if not theme_ids:
        missing["themes"] = str(_l("at least one theme"))
    if not (text or "").strip() and not amendments:
        missing["text"] = str(_l("a text or at least one amendment"))
    return missing


def submission_refusals(title: str, theme_ids: list, text: str, milestone: Milestone | None,
                        extended_until: date | None = None, amendments: list | None = None) -> dict[str, str]:
    """Why the position form's content could not be submitted, by field (empty: it can be).
    The form shows these beside the fields and saves nothing, instead of saving a half-done draft."""
    refusals = {name: str(_l("Needed before submitting: %(missing)s.", missing=missing))
                for name, missing in missing_fields(title, theme_ids, text, amendments).items()}
    deadline = deadline_with_extension(milestone, extended_until)
    if milestone is not None and (deadline is None or today() > deadline):
        refusals["milestone_id"] = closed_window_message_for(milestone, deadline)
    return refusals


def missing_for_submission(position: Position) -> list[str]:
    return list(missing_fields(position.title, position.themes, position.text,
                                 position.amendments).values())


def can_transition(user: User | None, position: Position, action: str) -> bool:
    """Whether the button for `action` belongs on the page: role, state and calendar allow it."""
    move = TRANSITIONS.get(action)
    if move is None:
        return False
    if position.stage not in move.sources and not _starts_review_implicitly(position, action):
        return False
    if user is None or not user.is_authenticated or not move.allowed(user, position):
        return False
    if action in NEEDS_OPEN_WINDOW and not submission_window_open(position):
        return False
    if action == "approve" and _has_approved(user, position):
        return False
    return True


def _starts_review_implicitly(position: Position, action: str) -> bool:
    return action in DECISIONS and position.stage == "submitted"


def offers_start_review(position: Position) -> bool:
    """"Start review" has a button of its own only where a milestone needs several approvals."""
    return position.milestone.approvals_required > 1


def _has_approved(user: User, position: Position) -> bool:
    return any(
        a.reviewer_id == user.id and a.revision_number == position.revision_number for a in position.approvals
    )


def _move(action: str) -> Transition:
    move = TRANSITIONS.get(action)
    if move is None:
        raise WorkflowError(str(_l("Unknown action.")))
    return move


def _check(move: Transition, position: Position, actor: User, comment: str, implicit_start: bool = False) -> None:
    """Refuse (WorkflowError) a move that the table, the role, the comment or the calendar does not allow."""
    if position.stage not in move.sources and not implicit_start:
        raise WorkflowError(str(_l("“%(action)s” is not possible while the position is %(stage)s.",
                                   action=move.label, stage=STAGE_LABELS[position.stage])))
    if not move.allowed(actor, position):
        if move.action in REVIEW_ACTIONS and permissions.is_reviewer(actor):
            raise WorkflowError(str(_l("You cannot review a position you wrote or edited.")))
        raise WorkflowError(str(_l("Your account may not “%(action)s” this position.", action=move.label)))
    if move.comment_required and not comment:
        raise WorkflowError(str(_l("A reason is required to “%(action)s”.", action=move.label)))
    if move.action in NEEDS_OPEN_WINDOW and not submission_window_open(position):
        raise WorkflowError(closed_window_message(position))
    if move.action == "submit":
        missing = missing_for_submission(position)
        if missing:
            raise WorkflowError(str(_l("Before submitting, add %(missing)s.", missing=", ".join(missing))))


# Moves made by the system for many positions at once, which email nobody.
BULK_ACTIONS = ("include",)


def transition_many(positions: list[Position], action: str, actor: User, comment: str = "") -> None:
    """The same move for many positions (compiling an edition includes thousands): each is checked as by
    `transition`, then all are written in a few statements instead of one flush of thousands of objects.
    The caller commits; if any position moved meanwhile, WorkflowError and the caller rolls back."""
    move = _move(action)
    if action not in BULK_ACTIONS:
        raise WorkflowError(f"{action} moves one position at a time")
    comment = (comment or "").strip()
    for position in positions:
        _check(move, position, actor, comment)
    moment = now()
    events = [{"position_id": p.id, "actor_id": actor.id, "action": action, "from_stage": p.stage,
               "to_stage": move.target, "revision_number": p.revision_number, "comment": comment,
               "created_at": moment} for p in positions]
    ids = [p.id for p in positions]
    moved = 0
    for start in range(0, len(ids), 900):  # within SQLite's limit on bound parameters
        moved += db.session.execute(
            update(Position)
            .where(Position.id.in_(ids[start:start + 900]), Position.stage.in_(move.sources))
            .values(stage=move.target, stage_changed_at=moment, version_id=Position.version_id + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
    if moved != len(ids):
        raise WorkflowError(str(_l("Someone else changed one of these positions in the meantime. "
                                   "Nothing was changed; try again.")))
    if events:
        db.session.execute(insert(StageEvent), events)
    for position in positions:
        db.session.expire(position)


def transition(position: Position, action: str, actor: User, comment: str = "",
               visibility: str = "shared", commit: bool = True, internal_note: str = "") -> StageEvent:
    """Move `position` by `action`, or raise WorkflowError and change nothing.

    A decision (approve, request changes, reject) carries its comment to the authors: it is always
    shared, and `internal_note`, if any, is a separate comment for reviewers and the secretariat only.
    A decision taken on a "submitted" position first starts the review (its own audit event)."""
    # Nothing reaches the database before the commit: if another request changed the position
    # meanwhile, the version check fails there, as a WorkflowError (commit_or_conflict), and not
    # halfway through as a StaleDataError from an autoflush (a 500, found by bench/soak.py).
    with db.session.no_autoflush:
        event = _record(position, action, actor, comment, visibility, internal_note)
    if commit:
        commit_or_conflict()
    return event


def _record(position: Position, action: str, actor: User, comment: str, visibility: str,
            internal_note: str) -> StageEvent:
    """The move itself: checks, the change, its audit event and its announcement (no commit)."""
    move = _move(action)
    comment = (comment or "").strip()
    internal_note = (internal_note or "").strip()
    if action in DECISIONS:
        visibility = "shared"
    if _starts_review_implicitly(position, action):
        _check(move, position, actor, comment, implicit_start=True)
        transition(position, "start_review", actor, commit=False)
    _check(move, position, actor, comment)

    from_stage = position.stage
    target = move.target
    if action == "approve":
        target = _approve(position, actor)
    elif action == "reopen":
        # Earlier approvals do not count again: the review starts over on the current revision.
        for approval in list(position.approvals):
            if approval.revision_number == position.revision_number:
                position.approvals.remove(approval)

    moment = now()
    if target != from_stage:
        position.stage = target
        position.stage_changed_at = moment
    if action == "submit":
        position.submitted_at = moment
    if target == "approved":
        position.approved_at = moment
    event = StageEvent(position=position, actor=actor, action=action, from_stage=from_stage,
                       to_stage=target, revision_number=position.revision_number, comment=comment,
                       created_at=moment)
    db.session.add(event)
    if comment and move.records_comment:
        db.session.add(Comment(position=position, author=actor, body=comment, visibility=visibility,
                               revision_number=position.revision_number, created_at=moment))
    if internal_note:
        db.session.add(Comment(position=position, author=actor, body=internal_note, visibility="internal",
                               revision_number=position.revision_number, created_at=moment))
    position_moved.send(position, event=event, comment_visibility=visibility if comment else None)
    return event


def _approve(position: Position, reviewer: User) -> str:
    if _has_approved(reviewer, position):
        raise WorkflowError(str(_l("You have already approved this revision.")))
    position.approvals.append(Approval(reviewer=reviewer, revision_number=position.revision_number))
    count = sum(1 for a in position.approvals if a.revision_number == position.revision_number)
    return "approved" if count >= position.milestone.approvals_required else "in_review"


def approvals_of_current_revision(position: Position) -> list[Approval]:
    return [a for a in position.approvals if a.revision_number == position.revision_number]


def commit_or_conflict() -> None:
    """Commit; if someone else changed the position meanwhile, change nothing and say so."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise WorkflowError(str(_l("Someone else changed this position in the meantime. "
                                   "Nothing was changed; look at it again."))) from error
