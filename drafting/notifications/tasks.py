"""The notifications' background jobs: delivering the outbox and the daily reminders.

A transaction that writes outbox messages nudges the worker when it commits (`_nudge_delivery`
below), so mail usually leaves within seconds; the round every minute picks up what a nudge missed
(the queue was unreachable, a retry fell due). The `flask send-outbox` and `send-reminders` commands
do the same by hand.
"""

from __future__ import annotations

from flask import current_app
from huey import crontab
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from drafting.clock import today
from drafting.extensions import db
from drafting.models import OutboxMessage
from drafting.notifications.delivery import deliver
from drafting.notifications.reminders import queue_reminders
from drafting.worker import enqueue_after_commit, huey

# The hour (UTC) of the daily reminders, as the cron line it replaces.
REMINDERS_HOUR = 7


@huey.task()
def deliver_messages(message_ids: list[int]) -> None:
    """Send these messages, written by an action that has just committed."""
    deliver(message_ids)


@huey.periodic_task(crontab(minute="*"))
def deliver_outbox() -> None:
    """Every minute: send whatever is due (new messages a nudge missed, retries whose time came)."""
    report = deliver()
    if report.total:
        current_app.logger.info("Outbox: sent %s, written to the log %s, failed %s.",
                                report.sent, report.logged, report.failed)


@huey.periodic_task(crontab(minute="0", hour=str(REMINDERS_HOUR)))
def send_reminders() -> None:
    """Once a day: queue the deadline reminders (each at most once a day per person and position)."""
    queue_reminders(today())
    try:
        db.session.commit()  # the commit nudges delivery
    except IntegrityError:
        # A manual send-reminders run queued the same reminders meanwhile (unique dedupe key).
        db.session.rollback()


@event.listens_for(db.session, "after_flush")
def _nudge_delivery(session, flush_context) -> None:
    # In after_flush the new rows still sit in session.new, and already have their ids.
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        enqueue_after_commit(deliver_messages, ids)
