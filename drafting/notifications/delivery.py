"""Sending outbox messages: over SMTP to MAIL_SERVER, or to the log when no server is configured.

Only the background worker (drafting/notifications/tasks.py) and `flask send-outbox` call `deliver`;
a web request never does, so no page waits on the mail server.

Two deliveries may run at once (the worker's threads, a nudge after an action and the minute's
round, a manual `send-outbox`). Each message is claimed before it is sent, with one conditional UPDATE
that only one of them can win, on SQLite as on PostgreSQL: it moves `next_attempt_at` past a lease,
so the others see the message as not due. A failed attempt sets `next_attempt_at` by exponential
back-off (1, 2, 4 ... minutes); a worker that dies mid-send leaves the message due again when the
lease ends. After MAX_ATTEMPTS failures the message is no longer retried.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import current_app
from sqlalchemy import or_, select, update

from drafting.clock import now
from drafting.extensions import db
from drafting.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 10
ERROR_MAX = 1000
# After this many failed attempts (a mailbox that does not exist, say), the message is no longer
# retried: it stays on the outbox page with its last error, for the secretariat to follow up.
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
# How long a claimed message is left to the delivery that claimed it before another may try.
LEASE = timedelta(minutes=10)
# Messages whose body is finished at sending, by kind: an area that mails a secret link (accounts)
# registers here the function that writes it, so the link exists only in the e-mail sent.
BODY_WRITERS: dict[str, Callable[[OutboxMessage], str]] = {}
LINK = re.compile(r"https?://\S+")


@dataclass
class DeliveryReport:
    sent: int = 0
    logged: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.logged + self.failed


def status(message: OutboxMessage) -> str:
    """sent (SMTP), logged (no mail server: written to the log), failed (will be retried), abandoned
    (failed MAX_ATTEMPTS times), pending."""
    if message.sent_at is not None:
        # A message written to the log never met an SMTP server: it has no attempts.
        return "sent" if message.attempts else "logged"
    if not message.last_error:
        return "pending"
    return "abandoned" if (message.attempts or 0) >= MAX_ATTEMPTS else "failed"


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1 minute, doubling, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _due(moment: datetime):
    return (OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= moment))


def retry_failed_now() -> int:
    """Make every failed message (not abandoned, not being sent) due at once; return how many."""
    moment = now()
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
               OutboxMessage.last_error != "")
        .values(next_attempt_at=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return changed


def deliver(message_ids: Iterable[int] | None = None) -> DeliveryReport:
    """Send the messages due now among `message_ids` (every due message when None)."""
    report = DeliveryReport()
    query = select(OutboxMessage.id).where(*_due(now())).order_by(OutboxMessage.id)
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(list(message_ids)))
    ids = db.session.scalars(query).all()
    db.session.rollback()
    if ids:
        with _Transport(current_app.config) as transport:
            for message_id in ids:
                _deliver_one(transport, message_id, report)
    return report


def _claim(message_id: int, counts_as_attempt: bool) -> bool:
    """Take the message for this delivery; False if another one has it (or sent it) already."""
    moment = now()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, *_due(moment))
        .values(next_attempt_at=moment + LEASE, last_error="",
                attempts=OutboxMessage.attempts + (1 if counts_as_attempt else 0))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()  # the claim must be visible to the others before the (slow) sending starts
    return claimed == 1


def _deliver_one(transport: _Transport, message_id: int, report: DeliveryReport) -> None:
    if not _claim(message_id, counts_as_attempt=not transport.to_log):
        return
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    writer = BODY_WRITERS.get(message.kind)
    body = writer(message) if writer else message.body
    if transport.to_log:
        # One line per message: the full text is on the Outbox page; its links are what a developer
        # follows (a sign-in or password link), so they stay on the line.
        links = " ".join(LINK.findall(body))
        current_app.logger.info("Mail (no MAIL_SERVER) to %s: %s%s", message.recipient,
                                " ".join(message.subject.split()), f" {links}" if links else "")
        message.sent_at = now()
        message.next_attempt_at = None
        report.logged += 1
    else:
        error = transport.send(message, body)
        if error is None:
            message.sent_at = now()
            message.next_attempt_at = None
            report.sent += 1
        else:
            message.last_error = error[:ERROR_MAX]
            message.next_attempt_at = (now() + retry_delay(message.attempts)
                                       if message.attempts < MAX_ATTEMPTS else None)
            report.failed += 1
            current_app.logger.warning("Mail %s to %s not sent (attempt %s): %s", message.id,
                                       message.recipient, message.attempts, error)
    db.session.commit()


class _Transport:
    """One SMTP connection for a batch, opened on the first message. If the server cannot be
    reached, the rest of the batch fails at once instead of waiting for a timeout each."""

    def __init__(self, config):
        self.config = config
        self.to_log = not config.get("MAIL_SERVER")
        self.connection: smtplib.SMTP | None = None
        self.unreachable: str | None = None

    def __enter__(self) -> _Transport:
        return self

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except OSError:
                self.connection.close()

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = float(config.get("MAIL_TIMEOUT") or SMTP_TIMEOUT_SECONDS)
        connection = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=timeout)
        try:
            if config.get("MAIL_USE_TLS"):
                connection.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        except OSError:
            connection.close()
            raise
        return connection

    def send(self, message: OutboxMessage, body: str | None = None) -> str | None:
        """Send one message; return None, or what went wrong."""
        if self.unreachable:
            return self.unreachable
        if self.connection is None:
            try:
                self.connection = self._connect()
            except OSError as error:  # smtplib.SMTPException is an OSError too
                self.unreachable = _describe(error)
                return self.unreachable
        try:
            self.connection.send_message(build_email(message, self.config["MAIL_SENDER"], body))
        except smtplib.SMTPServerDisconnected as error:
            self.connection = None  # the next message reconnects
            return _describe(error)
        except smtplib.SMTPException as error:  # this message refused (recipient, size...): the next may pass
            return _describe(error)
        except OSError as error:
            # The network failed (timeout, reset): the rest of the batch fails at once, not one timeout each.
            self.connection.close()
            self.connection = None
            self.unreachable = _describe(error)
            return self.unreachable
        return None


def build_email(message: OutboxMessage, sender: str, body: str | None = None) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    # Stable across retries, so a message delivered twice after an ambiguous failure reads as one.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    email.set_content(message.body if body is None else body)
    return email


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"
