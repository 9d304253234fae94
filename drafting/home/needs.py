"""What needs each role now, for the home page. A fixed number of queries per role, whatever the data:
each list is one query (capped at LIST_LIMIT rows, with its total counted in the same query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, exists, func, over, select
from sqlalchemy.orm import contains_eager, selectinload

from drafting import permissions
from drafting.clock import today
from drafting.extensions import db
from drafting.joint_proposals import queries as joint_queries
from drafting.models import Approval, Milestone, OutboxMessage, Position, Revision, StageEvent, User, stages
from drafting.positions import workflow

LIST_LIMIT = 25


@dataclass
class Listing:
    """Up to LIST_LIMIT items and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class Needs:
    drafts: Listing | None = None          # contributors: drafts and changes requested, with deadlines
    waiting: Listing | None = None         # reviewers: submitted, not written or approved by me
    resubmitted: Listing | None = None     # reviewers: submitted again since my last decision
    overdue: Listing | None = None         # reviewers and secretariat: reviews past the review deadline
    to_compile: list = field(default_factory=list)  # secretariat: (milestone, approved count)
    failed_mail: int = 0                   # secretariat
    # Networks (contributors and reviewers): UCLG's joint proposals their network still owes an answer to.
    answers_due: list | None = None


def _listing(query) -> Listing:
    """One query: the first rows and, beside each, the count of all rows (a window function)."""
    rows = db.session.execute(query.add_columns(over(func.count())).limit(LIST_LIMIT)).all()
    return Listing(items=[row[0] for row in rows], total=rows[0][-1] if rows else 0)


def _awaiting_review():
    return (select(Position).join(Position.milestone).options(contains_eager(Position.milestone),
                                                              selectinload(Position.organisation))
            .where(Position.stage.in_(stages.AWAITING_REVIEW)))


def _overdue(on: date):
    return _awaiting_review().where(Milestone.review_deadline < on).order_by(Milestone.review_deadline,
                                                                             Position.submitted_at, Position.id)


def closing(deadline: date | None, on: date | None = None) -> int | None:
    """Days left until a submission deadline (0: closes today), or None when closed or none."""
    if deadline is None:
        return None
    days = (deadline - (on or today())).days
    return days if days >= 0 else None


def for_contributor(user: User) -> Needs:
    query = (select(Position).join(Position.milestone)
             .options(contains_eager(Position.milestone), selectinload(Position.themes))
             .where(Position.organisation_id == user.organisation_id,
                    Position.stage.in_(stages.AWAITING_SUBMISSION))
             # Changes requested first (someone waits for them), then the nearest deadline.
             .order_by((Position.stage == "changes_requested").desc(), workflow.submission_deadline_sql(),
                       Position.id))
    return Needs(drafts=_listing(query), answers_due=_answers_due(user))


def _answers_due(user: User) -> list:
    """The joint proposals on paragraphs the user's network amended that await its answer, open today."""
    if user.organisation is None or not user.organisation.contributes_positions:
        return []
    return joint_queries.answers_due(user.organisation_id, today())[:LIST_LIMIT]


def for_reviewer(user: User) -> Needs:
    wrote_it = exists().where(Revision.position_id == Position.id, Revision.author_id == user.id)
    approved_it = exists().where(Approval.position_id == Position.id, Approval.reviewer_id == user.id,
                                 Approval.revision_number == Position.revision_number)
    waiting = _awaiting_review().where(~wrote_it, ~approved_it).order_by(Position.submitted_at, Position.id)
    my_last_decision = (select(StageEvent.position_id, func.max(StageEvent.created_at).label("decided_at"))
                        .where(StageEvent.actor_id == user.id, StageEvent.action.in_(workflow.DECISIONS))
                        .group_by(StageEvent.position_id).subquery())
    resubmitted = (_awaiting_review()
                   .join(my_last_decision, and_(my_last_decision.c.position_id == Position.id,
                                                Position.submitted_at > my_last_decision.c.decided_at))
                   .order_by(Position.submitted_at, Position.id))
    return Needs(waiting=_listing(waiting), resubmitted=_listing(resubmitted),
                 overdue=_listing(_overdue(today()).where(~wrote_it)), answers_due=_answers_due(user))


def for_secretariat(user: User) -> Needs:
    approved = (select(Milestone, func.count(Position.id))
                .join(Position, Position.milestone_id == Milestone.id)
                .where(Position.stage == "approved")
                .group_by(Milestone.id).order_by(Milestone.start_date))
    failed = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.last_error != "", OutboxMessage.attempts > 0))
    return Needs(to_compile=db.session.execute(approved).all(), overdue=_listing(_overdue(today())),
                 failed_mail=failed or 0)


def needs_of(user: User) -> Needs:
    if permissions.is_secretariat(user):
        return for_secretariat(user)
    if permissions.is_reviewer(user):
        return for_reviewer(user)
    if permissions.is_contributor(user):
        return for_contributor(user)
    return Needs()

