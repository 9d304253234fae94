"""Daily reminders: reviews due within three days (or overdue), submissions due within three days.

Each reminder carries a dedupe key naming recipient, position and day, unique in the database, so
running `send-reminders` again the same day (cron, a retry by hand) queues nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from drafting import permissions
from drafting.extensions import db
from drafting.models import Milestone, OutboxMessage, Position, User
from drafting.models.stages import AWAITING_REVIEW, AWAITING_SUBMISSION
from drafting.notifications.outbox import queue_message
from drafting.positions.workflow import (
    DUE_SOON,
    approvals_of_current_revision,
    submission_deadline,
)

REVIEW_DUE = (_l("Review due %(date)s: %(title)s"),
              _l("The review of this position is due on %(date)s."))
REVIEW_OVERDUE = (_l("Review overdue: %(title)s"),
                  _l("The review of this position was due on %(date)s and is overdue."))
SUBMISSION_DUE = (_l("Submission deadline %(date)s: %(title)s"),
                  _l("This position is not submitted yet. Submit it by %(date)s, or it misses %(milestone)s."))


@dataclass
class ReminderReport:
    review: int = 0
    submission: int = 0
    already_sent: int = 0

    @property
    def queued(self) -> int:
        return self.review + self.submission


def queue_reminders(on: date) -> ReminderReport:
    """Add today's reminders to the session (the caller commits); skip those already queued today."""
    report = ReminderReport()
    horizon = on + DUE_SOON
    already = set(db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like(f"reminder:%:{on.isoformat()}"))
    ))

    def queue(user: User, kind: str, position: Position, texts, deadline: date) -> None:
        key = f"reminder:{kind}:{user.id}:{position.id}:{on.isoformat()}"
        if key in already:
            report.already_sent += 1
            return
        already.add(key)
        queue_message(user, f"reminder_{kind}", position, texts[0], texts[1], deadline=deadline, dedupe_key=key)
        setattr(report, kind, getattr(report, kind) + 1)

    reviewers = db.session.scalars(
        select(User).where(User.role == "reviewer", User.active.is_(True)).order_by(User.id)
    ).all()
    for position in _positions(
        Position.stage.in_(AWAITING_REVIEW), Milestone.review_deadline.is_not(None),
        Milestone.review_deadline <= horizon,
    ):
        deadline = position.milestone.review_deadline
        done = {approval.reviewer_id for approval in approvals_of_current_revision(position)}
        for reviewer in reviewers:
            if reviewer.id not in done and permissions.can_review(reviewer, position):
                queue(reviewer, "review", position, REVIEW_OVERDUE if deadline < on else REVIEW_DUE, deadline)

    contributors: dict[int, list[User]] = defaultdict(list)
    for user in db.session.scalars(
        select(User).where(User.role == "contributor", User.active.is_(True)).order_by(User.id)
    ):
        contributors[user.organisation_id].append(user)
    # Candidates by either date; `submission_deadline` then says which date counts for each one.
    for position in _positions(
        Position.stage.in_(AWAITING_SUBMISSION),
        or_(Milestone.submission_deadline.between(on, horizon), Position.extended_until.between(on, horizon)),
    ):
        deadline = submission_deadline(position)
        if deadline is None or not on <= deadline <= horizon:
            continue
        for contributor in contributors[position.organisation_id]:
            queue(contributor, "submission", position, SUBMISSION_DUE, deadline)
    return report


def _positions(*conditions) -> list[Position]:
    return list(db.session.scalars(
        select(Position).join(Position.milestone).where(*conditions)
        .options(joinedload(Position.milestone), joinedload(Position.organisation),
                 selectinload(Position.revisions), selectinload(Position.approvals))
        .order_by(Position.id)
    ).unique())
