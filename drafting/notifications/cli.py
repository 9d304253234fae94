"""Mail commands for manual runs. The worker (`flask --app wsgi worker`) does the same on its own:
the outbox every minute, the reminders daily (drafting/notifications/tasks.py)."""

from __future__ import annotations

import click
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from drafting.clock import today
from drafting.extensions import db
from drafting.models import OutboxMessage
from drafting.notifications.delivery import MAX_ATTEMPTS, DeliveryReport, deliver, retry_failed_now
from drafting.notifications.reminders import queue_reminders


def _echo_delivery(report: DeliveryReport) -> None:
    click.echo(f"Sent {report.sent}, written to the log {report.logged}, failed {report.failed}.")


@click.command("send-outbox")
@click.option("--retry-failed", is_flag=True,
              help="Try the failed messages now instead of at their next attempt (the mail server is back).")
def send_outbox(retry_failed: bool) -> None:
    """Send the messages due in the outbox: new ones, and failed ones whose next attempt has come."""
    if retry_failed:
        click.echo(f"{retry_failed_now()} failed message(s) made due now.")
    report = deliver()
    _echo_delivery(report)
    if report.failed:
        waiting = db.session.scalar(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        )
        raise click.ClickException(f"{report.failed} message(s) could not be sent; {waiting} stay in the outbox.")


@click.command("send-reminders")
def send_reminders() -> None:
    """Queue and send today's deadline reminders; each one goes out at most once a day."""
    on = today()
    report = queue_reminders(on)
    try:
        db.session.commit()
    except IntegrityError as error:
        # Another run queued the same reminders meanwhile: the unique dedupe key refused ours.
        db.session.rollback()
        raise click.ClickException("Another send-reminders run queued today's reminders; nothing added.") from error
    click.echo(f"Reminders for {on.isoformat()}: {report.review} review, {report.submission} submission queued; "
               f"{report.already_sent} already sent today.")
    _echo_delivery(deliver())
    unsent = db.session.scalar(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.dedupe_key.like("reminder:%"))
    )
    if unsent:
        click.echo(f"{unsent} reminder(s) wait in the outbox; the worker retries them.")


commands = [send_outbox, send_reminders]
