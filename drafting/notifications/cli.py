"""Mail commands, safe to run from cron:

    */10 * * * *  cd /srv/drafting && .venv/bin/flask --app wsgi send-outbox
    0 7 * * *     cd /srv/drafting && .venv/bin/flask --app wsgi send-reminders
"""

from __future__ import annotations

import click
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from drafting.clock import today
from drafting.extensions import db
from drafting.models import OutboxMessage
from drafting.notifications.delivery import DeliveryReport, deliver
from drafting.notifications.reminders import queue_reminders


def _echo_delivery(report: DeliveryReport) -> None:
    click.echo(f"Sent {report.sent}, written to the log {report.logged}, failed {report.failed}.")


@click.command("send-outbox")
def send_outbox() -> None:
    """Send every message still waiting in the outbox (those whose first sending failed)."""
    report = deliver()
    _echo_delivery(report)
    if report.failed:
        waiting = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        )
        raise click.ClickException(f"{report.failed} message(s) could not be sent; {waiting} stay in the outbox.")


@click.command("send-reminders")
def send_reminders() -> None:
    """Queue and send today's deadline reminders; each one goes out at most once a day."""
    on = today()
    report = queue_reminders(on)
    try:
        db.session.commit()  # the outbox's after-commit hook sends them
    except IntegrityError as error:
        # Another run queued the same reminders meanwhile: the unique dedupe key refused ours.
        db.session.rollback()
        raise click.ClickException("Another send-reminders run queued today's reminders; nothing added.") from error
    click.echo(f"Reminders for {on.isoformat()}: {report.review} review, {report.submission} submission queued; "
               f"{report.already_sent} already sent today.")
    unsent = db.session.scalar(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.dedupe_key.like("reminder:%"))
    )
    if unsent:
        click.echo(f"{unsent} reminder(s) wait in the outbox; send-outbox retries them.")


commands = [send_outbox, send_reminders]
